"""How many customers reached each journey stage (at any time): "How far customers get" on the Overview and in
the report, and the journey map's "customers reached" lane.

A customer reached a stage when at least one of their events maps to it, reversals apart: an event that takes
money or an order back (a cancellation, a return, a refund, a chargeback: an event named as one, cjm.data.reversals,
as the loader names an order settled by its status and a reversal line of an export without event names, a
C-invoice: 'cancellation' / 'return') lifts nobody to its stage (retention / support in the built-in mapping). A
customer whose only row is a cancelled order did not get to retention in any useful sense; one who bought and then
returned the goods reached conversion by the purchase, not retention by the return. Such customers are counted per
stage in `reversals_only` (their only events at the stage are reversals), so the chart can say who is left out and
why. A support contact about a refund ("refund_requested", a complaint) is no reversal: money never moved, the
customer did contact support.
"""

from __future__ import annotations

import ibis
import pandas as pd

from cjm import engine
from cjm.data.reversals import reversal_names, reversals_in  # noqa: F401 (reversal_names: offered here since it moved)
from cjm.data.clock import dates_clock
from cjm.journey.kpis import period_text, wall


def compute_stage_reach(dataset) -> pd.DataFrame:
    """stage, stage_index, customers (distinct customers with an event in that stage that is no reversal: module
    docstring), share of all customers, total_customers (every customer, whatever their events), reversals_only
    (customers whose only events in the stage are reversals: not counted there), for every stage of the dataset's
    stage model.

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
    named = reversals_in(mapped)
    # per customer and stage: any event there that is no reversal; then per stage, customers of each kind
    per = mapped.group_by(["stage_index", "customer_id"]).agg(
        kept=(~mapped.event.isin(named)).fill_null(True).any() if named else mapped.count() > 0)
    counts = engine.execute(per.group_by("stage_index").agg(customers=per.count(where=per.kept),
                                                            reversals_only=per.count(where=~per.kept)))
    frame = pd.DataFrame({"stage": list(stages), "stage_index": range(len(stages))})
    frame = frame.merge(counts, on="stage_index", how="left").fillna({"customers": 0, "reversals_only": 0})
    frame["customers"] = frame["customers"].astype("int64")
    frame["reversals_only"] = frame["reversals_only"].astype("int64")
    frame["share"] = frame["customers"] / total if total else 0.0
    frame["total_customers"] = int(total)
    return frame[["stage", "stage_index", "customers", "share", "total_customers", "reversals_only"]]
