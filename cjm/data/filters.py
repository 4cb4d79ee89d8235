"""Dashboard-wide filters (date range, channel, device, segment) applied to the events table."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import ibis
import pandas as pd

from cjm import engine
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


def apply_filters(events: ibis.Table, filters: Filters) -> ibis.Table:
    """Keep the events inside the date range and of the chosen channels/devices/segments."""
    out = events
    if filters.start:
        out = out.filter(out.timestamp >= pd.Timestamp(filters.start, tz="UTC").to_pydatetime())
    if filters.end:
        out = out.filter(out.timestamp < range_end(filters).to_pydatetime())
    if filters.channels:
        out = out.filter(out.channel.isin(list(filters.channels)))
    if filters.devices:
        out = out.filter(out.device.isin(list(filters.devices)))
    if filters.segments and "segment" in out.columns:  # of every event, whatever the other filters keep
        out = in_segments(out, events, filters.segments)
    return out


def range_end(filters: Filters) -> pd.Timestamp | None:
    """Where the date range ends, its end excluded: the midnight (UTC) after its end date (the whole day is in the
    range); None without an end date."""
    if not filters.end:
        return None
    return pd.Timestamp(filters.end, tz="UTC") + pd.Timedelta(days=1)


def in_segments(out: ibis.Table, events: ibis.Table, segments) -> ibis.Table:
    """The rows of `out` of the customers any of whose `events` names one of `segments` in its 'segment' column. A
    segment selects customers (cjm.data.views): their whole journeys, also the rows of an export that leave the column
    blank (written on a customer's first row only)."""
    named = events.filter(events.segment.cast("string").isin([str(s) for s in segments]))
    members = named.select(_member=named.customer_id).distinct()
    # a row filter (IN the members), not a join: the funnel checks its step names on the data under the filters
    # (cjm.journey.funnel.validate.names_source peels filters), so a step the segment never reached is an honest 0
    return out.filter(out.customer_id.isin(members._member))


def filter_choices(events: ibis.Table) -> dict:
    """What the dashboard filters can offer on these events: first and last day (UTC dates), and the
    sorted distinct channels, devices and segments (segments empty when no segmentation is applied)."""
    span = engine.execute(events.aggregate(first=events.timestamp.min(), last=events.timestamp.max())).iloc[0]
    dated = not pd.isna(span["first"])  # None, None: an export without dates (each row one respondent)
    choices = {"first": pd.Timestamp(span["first"]).date() if dated else None,
               "last": pd.Timestamp(span["last"]).date() if dated else None}
    for column in ("channel", "device", "segment"):
        if column not in events.columns:
            choices[column] = []
            continue
        values = engine.execute(events.select(column).distinct().filter(events[column].notnull()))
        choices[column] = sorted(values[column].astype(str))
    return choices
