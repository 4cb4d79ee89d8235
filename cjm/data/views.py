"""Views of a Dataset that are again Datasets: filtered by the dashboard filters, or with segments.

A view shares the loaded dataset's engine tables; only its `events` expression differs. What a view
keeps from the dataset it was made from (its `base`): the stage model, `event_counts` (names and
counts of the WHOLE data, so a step that exists but that no event of the view reaches is an honest
0, not a typo), `present`, the files and the row accounting, and the customers table (a lookup
joined by customer id: customers outside the view simply join nothing).

What each filter selects (Filters, cjm.data.filters):
- start / end (dates, inclusive, in the dataset's time zone: cjm.data.clock.dates_clock, UTC when the data names
  none or its events are on several clocks): EVENTS. A customer stays in the view with the events inside
  the range; their journey is cut to the range (a funnel counts only steps taken inside it). The view shows the
  data as of the range: its end (the midnight after the end date, or the data's last event when sooner: data_end)
  is the end of the data, by which a window is closed or still "in progress" (DESIGN.md section 4), as the
  Overview's KPIs judge a period by its end.
- channels, devices: EVENTS. Only the events of the chosen channels/devices remain, so a customer
  who viewed on the web and bought by email reaches "buy" under the email filter only if "view"
  also happened by email. The funnel's channel BREAKDOWN differs on purpose: it keeps all of a
  customer's events and puts the customer in the group of the channel of their first (or last)
  touch, so the breakdown's groups add up to the whole funnel while filtered funnels need not.
  The data still ends where the loaded data ends (seen through the date filter), not at the channel's own last
  event: the data was recorded to then, so a window that closed before it is closed whatever the channel of later
  events, and two channels' default periods are the same calendar periods (a channel quiet in them shows 0).
- segments: CUSTOMERS. A segment is a property of the customer (joined to every one of their
  events), so the filter keeps whole journeys of the customers in the chosen segments.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pandas as pd

from cjm import engine
from cjm.data.clock import dates_clock
from cjm.data.filters import Filters, apply_filters, range_end

SEGMENT = "segment"


def _digest(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:12]


def filtered(dataset, filters: Filters):
    """The Dataset seen through the dashboard filters (itself when no filter is active)."""
    if not filters.active:
        return dataset
    end_from = None
    # customers selected (a segment), events of some channels or devices kept, or the data cut at an end date: the
    # data they were taken from, seen through the start date alone, ends their journeys (or the range's end does,
    # when sooner: data_end)
    if any((filters.segments, filters.channels, filters.devices, filters.end,
            getattr(dataset, "end_from", None) is not None)):
        end_from = filtered(end_source(dataset), Filters(start=filters.start))
    tz = dates_clock(dataset).tz if filters.start or filters.end else "UTC"  # the days of the data's time zone
    end_at = _sooner(getattr(dataset, "end_at", None), range_end(filters, tz=tz))
    return replace(dataset, key=f"{dataset.key}+filters-{_digest(filters.to_dict())}",
                   events=apply_filters(dataset.events, filters, tz=tz), base=dataset, end_from=end_from,
                   end_at=end_at)


def check_not_empty(dataset, filters: Filters) -> None:
    """Raise EmptyViewError, naming `filters`, when `dataset` seen through them holds no interaction (every analysis
    would otherwise say that something else is missing: a stage, a channel column, a purchase)."""
    from cjm.errors import EmptyViewError

    events = filtered(dataset, filters).events
    if int(engine.execute(events.aggregate(n=events.count()))["n"].iloc[0]):
        return
    runs, clock = "", None
    if filters.start or filters.end:  # a range outside the data (a link saved before the data changed) says where it is
        clock = dates_clock(dataset)  # the days of the range and of the data: the data's time zone's
        whole = dataset.events
        span = engine.execute(whole.aggregate(first=whole.timestamp.min(), last=whole.timestamp.max())).iloc[0]
        if not pd.isna(span["last"]):
            tz = clock.tz  # the dates the sidebar offers: the data's time zone's
            first, last = (_utc(span[k]).tz_convert(tz) for k in ("first", "last"))
            runs = f" (the data runs {first.day} {first:%b %Y} – {last.day} {last:%b %Y})"
    raise EmptyViewError(f"The filters leave no interaction of the data: {describe_filters(filters, clock)}{runs}. "
                         "Widen the date range or clear a filter in the sidebar.")


def describe_filters(filters: Filters, clock=None) -> str:
    """The filters in plain words: "1 Feb 2024 – 31 Mar 2024, channel web, device mobile". `clock`: the data's
    (cjm.data.clock.dates_clock), whose days the dates are: named when they are not UTC's ("1 Jan 2025 – 8 Jan 2025
    (America/New_York days)", "(UTC-05:00 days)")."""
    def day(value):
        stamp = pd.Timestamp(value)
        return f"{stamp.day} {stamp:%b %Y}"

    parts = []
    if filters.start or filters.end:
        days = f" ({clock.label} days)" if clock is not None and clock.single and clock.label != "UTC" else ""
        parts.append(f"{day(filters.start) if filters.start else 'the start'} – "
                     f"{day(filters.end) if filters.end else 'the end'}{days}")
    for name, values in (("channel", filters.channels), ("device", filters.devices), ("segment", filters.segments)):
        if values:
            parts.append(f"{name}{'s' if len(values) > 1 else ''} " + ", ".join(str(v) for v in values))
    return ", ".join(parts) or "no filter"


def _sooner(a, b):
    return b if a is None else a if b is None else min(a, b)


def end_source(dataset):
    """The dataset whose last event ends the data for `dataset` (DESIGN.md section 4: a window still open then is
    "in progress"; recency is counted to it), unless its date range ends sooner (data_end says which): when a filter
    selected customers (a segment), kept the events of some channels or devices, or cut the data at an end date, the
    data they were taken from, seen through the start-date filter alone; else `dataset`."""
    return getattr(dataset, "end_from", None) or dataset


def data_end(dataset) -> pd.Timestamp | None:
    """The end of the data for `dataset` (a UTC time; None when no event has a date): the last event of end_source,
    or where the date filter's range ends (the midnight after its end date) when that is sooner. A date filter shows
    the data as of its range: a window that closed inside the range is judged there, as the Overview's period judges
    it; one still open at the range's end is "in progress". Without an end date, a segment, a channel or a device
    filter, the view's own last event, as before."""
    return data_span(dataset)[1]


END_OF_DATA = "the end of the data"


def end_phrase(dataset) -> str:
    """Where the data ends for `dataset`, in the interface's words ("... still open at <this>"): "the end of the
    chosen range (14 Jan 2025)" when a date filter's end cut the data (the data goes on after it, so data_end is the
    range's end: the midnight after 14 Jan, in the dataset's time zone, whose date it names), else END_OF_DATA. Without
    an end date no query is run."""
    cut = range_end_of(dataset)
    if cut is None:
        return END_OF_DATA
    end = data_end(dataset)
    if end is None or end < cut:  # the data ended inside the range: its own last event ends it
        return END_OF_DATA
    day = (cut - pd.Timedelta(microseconds=1)).tz_convert(dates_clock(dataset).tz)  # the range's last day, its zone's
    return f"the end of the chosen range ({day.day} {day:%b %Y})"


def data_span(dataset) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """(first event, data_end) of the data end_source gives `dataset` (UTC times; None, None when no event has a
    date): what the Overview's default period is measured on, the same for every segment, channel and device of the
    data. One aggregate on the dataset's backend."""
    events = end_source(dataset).events
    row = engine.execute(events.aggregate(first=events.timestamp.min(), last=events.timestamp.max())).iloc[0]
    if pd.isna(row["last"]):
        return None, None
    first, last = (_utc(row[k]) for k in ("first", "last"))
    return first, _sooner(last, range_end_of(dataset))


def period_span(dataset) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """(first, last) on which the default periods of `dataset` are placed (the Overview's last 30 days, the funnel's
    and the gaps' period comparisons: cjm.journey.kpis.default_periods, whose current period ends at the midnight
    after `last`): data_span's first event, and its end, or the last instant before it when a date filter's range cut
    the data there (the period then ends at that midnight, not the day after). (None, None) without a dated event."""
    first, end = data_span(dataset)
    return (None, None) if end is None else (first, last_seen(dataset, end))


def last_seen(dataset, end: pd.Timestamp) -> pd.Timestamp:
    """The last instant of the data seen through `dataset` that ends at `end` (data_end): just before it when the
    date filter's range cut the data there (the range's end is excluded), else `end` itself (the last event)."""
    cut = range_end_of(dataset)
    return end - pd.Timedelta(microseconds=1) if cut is not None and end >= cut else end


def _utc(value) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def range_end_of(dataset) -> pd.Timestamp | None:
    """Where the date filter of `dataset` ends its range (its end excluded), None without one."""
    return getattr(dataset, "end_at", None)


def with_segments(dataset, membership: pd.DataFrame, *, settings: dict | None = None):
    """`dataset` whose events carry a `segment` column: each customer's segment name (null for customers
    without one). `membership` has customer_id and persona (the segment's name) columns; `settings` (the
    segmentation's parameters) names the view in its key."""
    names = membership["persona"]
    members = engine.register(pd.DataFrame({"_segment_customer": membership["customer_id"].astype("string"),
                                            SEGMENT: names.astype("string")}), like=dataset.events)
    events = dataset.events.drop(SEGMENT) if SEGMENT in dataset.events.columns else dataset.events
    joined = events.left_join(members, events.customer_id == members._segment_customer)
    joined = joined.select(*events.columns, segment=joined[SEGMENT])
    attributes = tuple(a for a in dataset.attributes if a != SEGMENT) + (SEGMENT,)
    payload = settings if settings is not None else membership.to_dict("list")
    return replace(dataset, key=f"{dataset.key}+segments-{_digest(payload)}", events=joined,
                   attributes=attributes, base=dataset)


def loaded(dataset):
    """The dataset as loaded from the files: no filters, no segments (what segmentation works on)."""
    while getattr(dataset, "base", None) is not None:
        dataset = dataset.base
    return dataset


def materialized(dataset):
    """The same dataset with its events computed once into an engine table (events with their stage),
    for work that queries them many times (the report: every section starts from this table instead of
    joining the stages again). The numbers are those of `dataset`.

    The table is written in each customer's time order: the funnel's, variants' and gaps' windows over a
    customer's events then sort rows already in order (on 1M events the write takes ~0.17 s more, their
    windows 0.14-0.17 s less each)."""
    name = "events_" + hashlib.sha256(dataset.key.encode()).hexdigest()[:16]
    events = dataset.events
    ordered = events.order_by([c for c in ("customer_id", "timestamp", "row_id") if c in events.columns])
    return replace(dataset, events=engine.materialize(ordered, name=name), base=dataset)
