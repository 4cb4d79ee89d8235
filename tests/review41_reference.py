"""Review 41: an independent plain-pandas reading of the numbers changed at the last stop, written from
../shared/DESIGN.md (sections 4, 5 and 8), README.md and the words cjm shows its users (kpis.MEANINGS, the at-risk
rules' conditions), before reading the code that computes them. Slow and obvious: loops over customers are fine
here (small logs only). Nothing here imports cjm.

Every function takes the canonical events as a pandas frame: customer_id, timestamp (tz-aware UTC), event, stage
(the stage the mapping gives the event name, None when unmapped), and where needed revenue / channel / file.

How the words are read:

- Reversal (README, "Money is net"): an event that takes money or an order back: a cancellation, a return, a refund,
  a chargeback. Read here from its name: it holds one of the words cancel / refund / return / chargeback /
  reversal / void. (cjm reads more, e.g. statuses of settled orders; the hand data below only names them.)
- Stage reach (README "how far customers get through the journey"; the last stop's rule): a customer is counted at
  a stage when they have an event there that is no reversal; a customer whose only events at a stage are
  reversals is not lifted to it and is counted apart (reversals only). So reached + reversals only = customers
  with any event at the stage. Reach is per stage, not cumulative: "counts a customer at a stage by an event there".
- Furthest stage (DESIGN 4 "Segments: ... furthest stage"): the latest stage, in the model's order, among the
  stages the customer reached by the rule above; none when they reached none.
- Stalled (the at-risk rule's words: "no stage progress for 30 days (not at the final stage)"): the customer's last
  progress is the moment they first reached their furthest stage (the earliest non-reversal event there); stalled
  when as_of - that moment >= 30 days and the furthest stage is not the model's last. A customer who reached no
  stage has made no progress to measure: not stalled (the last stop's rule; the words say nothing of it).
- Journey map stage funnel (DESIGN 5 KPIs lane + DESIGN 4 ordered funnel): the steps are the model's stages that
  have any event in the data (a stage with reversals only keeps its column, reached by nobody); a reversal is no
  event of its stage (it lifts nobody); the ordered funnel with a 7-day window from entry.
- Value per converted customer (DESIGN 5 "today's value per converted customer"; the brief: "revenue of the
  funnel's converters / converters"): the converters are the customers the stage funnel counts at the goal stage;
  their money is all their net revenue (refunds negative) in the data seen.
- Repeat-purchase rate (kpis.MEANINGS and README "Orders"): the period's buyers are the customers with a purchase
  in the period that is not cancelled or fully refunded; a repeat buyer bought two or more times in the period, or
  once in it after a purchase before it, at any time, that is itself no cancelled or fully refunded order (taken
  back whole by reversals up to the period's end). An order is one moment of one customer (no order id column
  here: DESIGN 3, line items share customer and time). A reversal takes back the customer's latest earlier
  purchase of the same amount (README: "others by amount and time"), else nets against their latest earlier
  purchase (README: "a partial refund nets against its order"): partial refunds adding up to the order's amount
  take it back whole. (First written without the netting: review 41 found it wrong, not cjm.)
- Dates (DESIGN 8 "dates in the dataset's time zone", README sidebar): the date range [start, end] keeps an
  event whose local date, in the one zone (or one offset) the data names for all its events, is within it;
  UTC's dates when the data names none or several.
- The report's sentiment scale (README): one file, or files all on one scale: that scale; files on different
  scales: 'mixed', with scales = {scale: the scores read on it} and scales_by_file = {file: its scale}.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pandas as pd

FIVE = ("awareness", "consideration", "conversion", "retention", "loyalty")
_REVERSAL = re.compile(r"cancel|refund|return|chargeback|reversal|void", re.IGNORECASE)


def is_reversal(name: str) -> bool:
    return bool(_REVERSAL.search(str(name)))


def with_stages(events: pd.DataFrame, table: dict[str, str]) -> pd.DataFrame:
    """The events with their stage from an explicit event -> stage table (None when unmapped)."""
    out = events.copy()
    out["stage"] = out["event"].map(table)
    out["reversal"] = out["event"].map(is_reversal)
    return out


# --- stage reach and furthest stage -----------------------------------------------------------------------------
def stage_reach(events: pd.DataFrame, stages=FIVE) -> pd.DataFrame:
    """stage, reached (customers with a non-reversal event there), reversals_only, any_event."""
    rows = []
    for s in stages:
        at = events[events["stage"] == s]
        anyone = set(at["customer_id"])
        reached = set(at.loc[~at["reversal"], "customer_id"])
        rows.append({"stage": s, "reached": len(reached), "reversals_only": len(anyone - reached),
                     "any_event": len(anyone)})
    return pd.DataFrame(rows)


def furthest_stage(events: pd.DataFrame, stages=FIVE) -> dict[str, str | None]:
    out = {}
    for cid, rows in events.groupby("customer_id", sort=False):
        reached = [s for s in stages if ((rows["stage"] == s) & ~rows["reversal"]).any()]
        out[cid] = reached[-1] if reached else None
    return out


def stalled(events: pd.DataFrame, as_of: pd.Timestamp, stages=FIVE, days: int = 30) -> dict[str, tuple]:
    """customer -> (furthest stage, days since progress or None, stalled)."""
    out = {}
    far = furthest_stage(events, stages)
    for cid, rows in events.groupby("customer_id", sort=False):
        s = far[cid]
        if s is None:
            out[cid] = (None, None, False)
            continue
        first = rows.loc[(rows["stage"] == s) & ~rows["reversal"], "timestamp"].min()
        since = (as_of - first).total_seconds() / 86400
        out[cid] = (s, since, since >= days and s != stages[-1])
    return out


# --- journey map stage funnel and value per converted customer -------------------------------------------------
def map_steps(events: pd.DataFrame, stages=FIVE) -> list[str]:
    seen = set(events["stage"].dropna())
    return [s for s in stages if s in seen]


def stage_funnel_depths(events: pd.DataFrame, steps, window=pd.Timedelta(days=7)) -> dict[str, int]:
    """customer -> depth of their counted attempt on the ordered stage funnel (reversals lift nobody)."""
    lifting = events[~events["reversal"]]
    out = {}
    for cid, rows in lifting.groupby("customer_id", sort=False):
        times = [sorted(rows.loc[rows["stage"] == s, "timestamp"]) for s in steps]
        best = 0
        for t0 in times[0]:
            t, depth = t0, 1
            for later in times[1:]:
                nxt = [x for x in later if t <= x <= t0 + window]
                if not nxt:
                    break
                t, depth = min(nxt), depth + 1
            best = max(best, depth)
        if best:
            out[cid] = best
    return out


def stage_funnel(events: pd.DataFrame, stages=FIVE, window=pd.Timedelta(days=7)) -> list[tuple[str, int]]:
    steps = map_steps(events, stages)
    depth = stage_funnel_depths(events, steps, window)
    return [(s, sum(1 for d in depth.values() if d >= i + 1)) for i, s in enumerate(steps)]


def value_per_converted(events: pd.DataFrame, goal: str, stages=FIVE, window=pd.Timedelta(days=7)):
    steps = map_steps(events, stages)
    depth = stage_funnel_depths(events, steps, window)
    k = steps.index(goal) + 1
    converted = {c for c, d in depth.items() if d >= k}
    if not converted:
        return None, 0
    if "revenue" not in events or events["revenue"].isna().all():  # no money in the data: no value, not 0
        return None, len(converted)
    money = events.loc[events["customer_id"].isin(converted), "revenue"].fillna(0).sum()
    return float(money) / len(converted), len(converted)


# --- repeat-purchase rate ---------------------------------------------------------------------------------------
def orders_kept(events: pd.DataFrame, upto: pd.Timestamp) -> pd.DataFrame:
    """The purchase orders (one moment of one customer) not taken back whole by reversals at or before `upto`."""
    buys = events[events["event"] == "purchase"]
    orders = (buys.groupby(["customer_id", "timestamp"], as_index=False)["revenue"].sum()
              .sort_values(["customer_id", "timestamp"]))
    orders["left"] = orders["revenue"].astype(float)
    backs = events[events["reversal"] & (events["timestamp"] <= upto)].sort_values("timestamp")
    for _, r in backs.iterrows():
        amount = -float(r["revenue"])
        mine = orders[(orders["customer_id"] == r["customer_id"]) & (orders["timestamp"] <= r["timestamp"])
                      & (orders["left"] > 0.005)]
        same = mine[mine["left"].round(2) == round(amount, 2)]
        if len(same):  # the latest earlier order of that amount
            orders.loc[same.index[-1], "left"] = 0.0
        elif len(mine):  # a partial refund nets against the latest earlier order (two halves take it back whole)
            orders.loc[mine.index[-1], "left"] -= amount
    return orders[orders["left"] > 0.005]


def repeat_purchase_rate(events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> tuple[int, int]:
    """(repeat buyers, buyers) of the period [start, end)."""
    kept = orders_kept(events, end)
    inside = kept[(kept["timestamp"] >= start) & (kept["timestamp"] < end)]
    before = set(kept.loc[kept["timestamp"] < start, "customer_id"])
    counts = inside.groupby("customer_id").size()
    repeat = sum(1 for c, n in counts.items() if n >= 2 or c in before)
    return repeat, len(counts)


# --- dates in the data's time zone ------------------------------------------------------------------------------
def local_dates(events: pd.DataFrame, zone: str | dt.tzinfo) -> pd.Series:
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    return events["timestamp"].map(lambda t: t.to_pydatetime().astimezone(tz).date())


def in_date_range(events: pd.DataFrame, start: dt.date, end: dt.date, zone) -> pd.DataFrame:
    days = local_dates(events, zone)
    return events[(days >= start) & (days <= end)]


def last_days_period(events: pd.DataFrame, zone, days: int = 30) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The Overview's last 30 days: ending at the zone's midnight after the last event's local day."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    last_day = max(local_dates(events, tz))
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    start = dt.datetime.combine(last_day + dt.timedelta(days=1 - days), dt.time(), tzinfo=tz)
    return pd.Timestamp(start).tz_convert("UTC"), pd.Timestamp(end).tz_convert("UTC")


# --- the report's sentiment scale -------------------------------------------------------------------------------
def report_scale(per_file: dict[str, tuple[str, int]]) -> dict:
    """per_file: {file: (its scale, scores read)} -> {scale, scales, scales_by_file} as README says."""
    names = {s for s, _ in per_file.values()}
    if len(names) == 1:
        return {"scale": names.pop()}
    scales: dict[str, int] = {}
    for s, n in per_file.values():
        scales[s] = scales.get(s, 0) + n
    return {"scale": "mixed", "scales": scales, "scales_by_file": {f: s for f, (s, _) in per_file.items()}}
