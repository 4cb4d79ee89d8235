"""Wall times in a named time zone read as UTC instants in the engine, as an upload reads them
(cjm.data.timestamps._localise): a time in the hour repeated when summer time ends is read in summer time, a time in
the hour skipped when it starts is moved to the end of that gap.

The zone's offsets between the data's first and last times are found in Python (zoneinfo, through pandas) and become
one CASE over the wall time: a few branches a year, in plain interval arithmetic that PostgreSQL and Spark run too.
"""

from __future__ import annotations

import datetime as dt

import ibis
import numpy as np
import pandas as pd

_MARGIN = pd.Timedelta(days=2)  # beyond the data's first and last wall times: every offset they can need


def _offsets(zone: str, first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.Timedelta, list]:
    """(the offset before the first transition, [(UTC instant of a transition, offset before, offset after)])."""
    # whole hours, whatever the seconds of the data's first time: a grid from 09:00:17 put every transition 17
    # seconds late (the gap's end, and the repeated hour's, at 01:00:17 UTC)
    hours = pd.date_range((first - _MARGIN).floor("h"), (last + _MARGIN).ceil("h"), freq="h", tz="UTC")
    offsets = _offsets_at(hours, zone)
    changes = []
    for i in (offsets[1:] != offsets[:-1]).nonzero()[0]:
        at = hours[i]
        for step in ("min", "s"):  # the transition to the minute, then to the second (1901's local mean times)
            grid = pd.date_range(at, at + (pd.Timedelta(hours=1) if step == "min" else pd.Timedelta(minutes=1)),
                                 freq=step)
            at = grid[(_offsets_at(grid, zone) != offsets[i]).argmax() - 1]  # the last instant still before
        changes.append(((at + pd.Timedelta(seconds=1)).tz_localize(None), offsets[i], offsets[i + 1]))
    return offsets[0], changes


def _offsets_at(instants: pd.DatetimeIndex, zone: str):
    return instants.tz_convert(zone).tz_localize(None) - instants.tz_localize(None)


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


def clock(wall, zone: str, first: pd.Timestamp, last: pd.Timestamp):
    """The offset (seconds east of UTC, int32) of `zone` at the instant `to_utc` reads each of `wall` as: the clock a
    time written without a zone is on (cjm.data.schema.CLOCK). A time in the hour summer time skips is moved to the
    gap's end, so it is on the summer clock (Sydney's 02:30 on 6 Oct 2024: 03:00 at +11:00, not 02:30 at +10:30,
    which is no zone's clock and would put the data on mixed clocks)."""
    start, changes = _offsets(zone, pd.Timestamp(first), pd.Timestamp(last))
    seconds = [int(offset / dt.timedelta(seconds=1)) for offset in [start] + [after for _, _, after in changes]]
    if not changes:
        return ibis.literal(seconds[0], type="int32")
    branches = []
    for (at, before, after), was, now in zip(changes, seconds, seconds[1:]):
        branches.append((wall < _literal(at + before), ibis.literal(was, type="int32")))
        if after > before:
            branches.append((wall < _literal(at + after), ibis.literal(now, type="int32")))
    return ibis.cases(*branches, else_=ibis.literal(seconds[-1], type="int32"))


def moved_to_gap_end(walls: pd.DatetimeIndex, utc: pd.DatetimeIndex, zone: str) -> np.ndarray:
    """Which of `walls` (naive wall times) the zone skips and were read as the end of their gap (`utc`, naive UTC):
    a time written without an offset, moved to the gap's end (cjm.data.timestamps._localise). One written with an
    offset of its own is not (it keeps that offset's clock)."""
    walls, utc = pd.DatetimeIndex(walls), pd.DatetimeIndex(utc)
    local = walls.tz_localize(zone, ambiguous=np.ones(len(walls), dtype=bool), nonexistent="NaT")
    skipped = np.asarray(local.isna() & walls.notna() & utc.notna())
    out = np.zeros(len(walls), dtype=bool)
    if skipped.any():
        out[skipped] = np.asarray(gap_ends(walls[skipped], zone) == utc[skipped])
    return out


def gap_ends(walls: pd.DatetimeIndex, zone: str) -> pd.DatetimeIndex:
    """Naive UTC instants of the end of the gap each of `walls` (naive wall times the zone skips) falls in: the moment
    the clock jumps, as `to_utc` reads them. pandas' nonexistent="shift_forward" goes to the next whole hour instead,
    which is past the gap's end when the gap ends off the hour (Lord Howe's 02:30, Kathmandu's 00:15 of 1986) and still
    in it when the gap is longer than an hour (Kwajalein's lost day of 1993)."""
    _, changes = _offsets(zone, walls.min(), walls.max())
    gaps = [(at, before, after) for at, before, after in changes if after > before]
    starts = pd.DatetimeIndex([at + before for at, before, _ in gaps])
    ends = pd.DatetimeIndex([at for at, _, _ in gaps])
    return ends[starts.searchsorted(walls, side="right") - 1]
