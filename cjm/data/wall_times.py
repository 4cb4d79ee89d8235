"""Wall times in a named time zone read as UTC instants in the engine, as an upload reads them
(cjm.data.timestamps._localise): a time in the hour repeated when summer time ends is read in summer time, a time in
the hour skipped when it starts is moved to the end of that gap.

The zone's offsets between the data's first and last times are found in Python (zoneinfo, through pandas) and become
one CASE over the wall time: a few branches a year, in plain interval arithmetic that PostgreSQL and Spark run too.
"""

from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd

_MARGIN = pd.Timedelta(days=2)  # beyond the data's first and last wall times: every offset they can need


def _offsets(zone: str, first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.Timedelta, list]:
    """(the offset before the first transition, [(UTC instant of a transition, offset before, offset after)])."""
    hours = pd.date_range(first - _MARGIN, last + _MARGIN, freq="h", tz="UTC")
    offsets = hours.tz_convert(zone).tz_localize(None) - hours.tz_localize(None)
    changes = []
    for i in (offsets[1:] != offsets[:-1]).nonzero()[0]:
        minutes = pd.date_range(hours[i], hours[i + 1], freq="min")  # the transition to the minute
        within = minutes.tz_convert(zone).tz_localize(None) - minutes.tz_localize(None)
        at = minutes[(within != offsets[i]).argmax()]
        changes.append((at.tz_localize(None), offsets[i], offsets[i + 1]))
    return offsets[0], changes


def _literal(stamp: pd.Timestamp):
    return ibis.timestamp(stamp.to_pydatetime().replace(tzinfo=None))


def _shift(wall, offset: pd.Timedelta):
    return wall - ibis.interval(seconds=int(offset / dt.timedelta(seconds=1)))


def to_utc(wall, zone: str, first: pd.Timestamp, last: pd.Timestamp):
    """`wall` (naive timestamps: the clock in `zone`) as naive UTC timestamps. `first`, `last`: the earliest and latest
    of `wall` in the data (naive)."""
    start, changes = _offsets(zone, pd.Timestamp(first), pd.Timestamp(last))
    if not changes:
        return _shift(wall, start)
    branches = []
    for at, before, after in changes:
        branches.append((wall < _literal(at + before), _shift(wall, before)))  # before it; a repeated hour: summer
        if after > before:  # the skipped hour: the end of the gap
            branches.append((wall < _literal(at + after), _literal(at)))
    return ibis.cases(*branches, else_=_shift(wall, changes[-1][2]))
