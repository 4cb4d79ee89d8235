"""Dashboard-wide filters (date range, channel, device, segment) applied to the events table.

The date range's days are those of the dataset's time zone (DESIGN.md section 8; cjm.data.clock.dates_clock): a range
1-8 Jan of a shop whose data names America/New_York keeps 1 Jan 00:00 to 9 Jan 00:00 New York time (05:00 UTC each),
summer time included; UTC days when the data names no zone or its events are on several clocks. The bounds are
instants computed once, so the filter stays a comparison of the UTC timestamps (any backend)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import ibis
import pandas as pd

from cjm import engine
from cjm.data.clock import UTC, date_in, midnight
from cjm.errors import ParameterError


@dataclass(frozen=True)
class Filters:
    start: str | None = None  # ISO date, inclusive
    end: str | None = None  # ISO date, inclusive (the whole day)
    channels: tuple[str, ...] = ()
    devices: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()

    def __post_init__(self):
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None:
                try:
                    pd.Timestamp(value)
                except (ValueError, TypeError):
                    raise ParameterError(f"The {name} date {value!r} is not a date; use YYYY-MM-DD.") from None
        if self.start and self.end and pd.Timestamp(self.start) > pd.Timestamp(self.end):
            raise ParameterError(f"The date range starts ({self.start}) after it ends ({self.end}); swap them.")

    @property
    def active(self) -> bool:
        return any((self.start, self.end, self.channels, self.devices, self.segments))

    def to_dict(self) -> dict:
        data = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}

    @classmethod
    def from_dict(cls, data: dict) -> "Filters":
        return cls(start=data.get("start"), end=data.get("end"),
                   channels=tuple(data.get("channels") or ()), devices=tuple(data.get("devices") or ()),
                   segments=tuple(data.get("segments") or ()))


def apply_filters(events: ibis.Table, filters: Filters, *, tz=UTC) -> ibis.Table:
    """Keep the events inside the date range and of the chosen channels/devices/segments. The range's days are those
    of `tz` (the dataset's: cjm.data.clock.dates_clock(dataset).tz; UTC by default)."""
    out = events
    if filters.start:
        out = out.filter(out.timestamp >= range_start(filters, tz=tz).to_pydatetime())
    if filters.end:
        out = out.filter(out.timestamp < range_end(filters, tz=tz).to_pydatetime())
    if filters.channels:
        out = out.filter(out.channel.isin(list(filters.channels)))
    if filters.devices:
        out = out.filter(out.device.isin(list(filters.devices)))
    if filters.segments and "segment" in out.columns:  # of every event, whatever the other filters keep
        out = in_segments(out, events, filters.segments)
    return out


def range_start(filters: Filters, *, tz=UTC) -> pd.Timestamp | None:
    """Where the date range starts (a UTC time): the midnight of its start date in `tz`; None without a start date."""
    return midnight(filters.start, tz) if filters.start else None


def range_end(filters: Filters, *, tz=UTC) -> pd.Timestamp | None:
    """Where the date range ends, its end excluded (a UTC time): the midnight in `tz` after its end date (the whole
    day is in the range; a day of 23 or 25 hours where summer time starts or ends); None without an end date."""
    if not filters.end:
        return None
    return midnight(pd.Timestamp(filters.end) + pd.Timedelta(days=1), tz)


def in_segments(out: ibis.Table, events: ibis.Table, segments) -> ibis.Table:
    """The rows of `out` of the customers any of whose `events` names one of `segments` in its 'segment' column. A
    segment selects customers (cjm.data.views): their whole journeys, also the rows of an export that leave the column
    blank (written on a customer's first row only)."""
    named = events.filter(events.segment.cast("string").isin([str(s) for s in segments]))
    members = named.select(_member=named.customer_id).distinct()
    # a row filter (IN the members), not a join: the funnel checks its step names on the data under the filters
    # (cjm.journey.funnel.validate.names_source peels filters), so a step the segment never reached is an honest 0
    return out.filter(out.customer_id.isin(members._member))


def filter_choices(events: ibis.Table, *, tz=UTC) -> dict:
    """What the dashboard filters can offer on these events: first and last day (dates in `tz`, the dataset's time
    zone: cjm.data.clock.dates_clock), and the sorted distinct channels, devices and segments (segments empty when
    no segmentation is applied)."""
    span = engine.execute(events.aggregate(first=events.timestamp.min(), last=events.timestamp.max())).iloc[0]
    dated = not pd.isna(span["first"])  # None, None: an export without dates (each row one respondent)
    choices = {"first": date_in(span["first"], tz) if dated else None,
               "last": date_in(span["last"], tz) if dated else None}
    for column in ("channel", "device", "segment"):
        if column not in events.columns:
            choices[column] = []
            continue
        values = engine.execute(events.select(column).distinct().filter(events[column].notnull()))
        choices[column] = sorted(values[column].astype(str))
    return choices
