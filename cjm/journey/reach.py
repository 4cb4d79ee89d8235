"""How many customers reached each journey stage (at any time)."""

from __future__ import annotations

import ibis
import pandas as pd

from cjm import engine
from cjm.data.clock import dates_clock
from cjm.journey.kpis import period_text, wall


def compute_stage_reach(dataset) -> pd.DataFrame:
    """stage, stage_index, customers (distinct customers with an event in that stage), share of all customers,
    total_customers, for every stage of the dataset's stage model.

    dataset: the Dataset (or a view of it)."""
    return _reach(dataset.events, tuple(dataset.stages))


def reach_period(dataset) -> str:
    """The dates compute_stage_reach covers, as people read them ("1 May 2025 – 30 Apr 2026", whole days of the
    dataset's time zone: cjm.data.clock.dates_clock, UTC when the data names none);
    "" when the events have no dates. The Overview's tiles cover only the last 30 days: its "of 3,000 customers"
    beside a "Customers 492" tile read as a contradiction until the chart named its own dates."""
    events = dataset.events
    span = engine.execute(events.aggregate(first=events.timestamp.min(), last=events.timestamp.max()))
    first, last = span["first"].iloc[0], span["last"].iloc[0]
    if pd.isna(first):
        return ""
    tz = dates_clock(dataset).tz
    if str(tz) != "UTC":  # the first and last events' dates in the data's time zone
        first, last = wall(first, tz), wall(last, tz)
    return period_text((pd.Timestamp(first).floor("D"), pd.Timestamp(last).floor("D") + pd.Timedelta(days=1)))


def _reach(events: ibis.Table, stages: tuple[str, ...]) -> pd.DataFrame:
    total = engine.execute(events.aggregate(n=events.customer_id.nunique()))["n"].iloc[0]
    mapped = events.filter(events.stage_index >= 0)
    counts = engine.execute(mapped.group_by("stage_index").agg(customers=mapped.customer_id.nunique()))
    frame = pd.DataFrame({"stage": list(stages), "stage_index": range(len(stages))})
    frame = frame.merge(counts, on="stage_index", how="left").fillna({"customers": 0})
    frame["customers"] = frame["customers"].astype("int64")
    frame["share"] = frame["customers"] / total if total else 0.0
    frame["total_customers"] = int(total)
    return frame
