"""The data-quality summary shown after every load (computed in the engine)."""

from __future__ import annotations

import ibis
import pandas as pd

from cjm import engine
from cjm.data import schema


def compute_quality(dataset, *, columns=schema.CANONICAL) -> dict:
    """Date range, customers, events per customer, missing shares, out-of-order and duplicate events of
    `dataset` (the Dataset or a view of it), and what the load set aside: rows rejected for a missing
    customer id (empty, NA, N/A, null, ...), duplicates, and numeric cells left empty because they were
    unreadable (text, NaN, inf)."""
    events = dataset.events
    per_customer = events.group_by("customer_id").agg(n=events.count())
    totals = engine.execute(events.aggregate(
        events=events.count(), customers=events.customer_id.nunique(),
        first=events.timestamp.min(), last=events.timestamp.max(),
        **{f"missing_{c}": events[c].isnull().sum() for c in columns},
    )).iloc[0]
    spread = engine.execute(per_customer.aggregate(
        mean=per_customer.n.mean(), median=per_customer.n.median(), max=per_customer.n.max(),
        single=(per_customer.n == 1).sum(),
    )).iloc[0]
    n = int(totals["events"])
    return {
        "events": n,
        "customers": int(totals["customers"]),
        "first_event": _iso(totals["first"]),
        "last_event": _iso(totals["last"]),
        "days_covered": _days(totals["first"], totals["last"]),
        "events_per_customer": {"mean": round(float(spread["mean"]), 2), "median": float(spread["median"]),
                                "max": int(spread["max"]), "single_event_customers": int(spread["single"])},
        "missing_share": {c: round(int(totals[f"missing_{c}"]) / n, 4) if n else 0.0 for c in columns},
        "same_time_events": _same_time(events),
    } | _load_quality(dataset)


def _load_quality(dataset) -> dict:
    reasons = dataset.accounting.reasons
    rows_in = dataset.accounting.rows_in
    missing = reasons.get("missing customer id", 0)
    unreadable: dict[str, int] = {}
    for report in dataset.files:
        for column, n in report.unreadable.items():
            unreadable[column] = unreadable.get(column, 0) + n
    return {"rows_missing_customer_id": missing,
            "rows_missing_customer_id_share": round(missing / rows_in, 4) if rows_in else 0.0,
            "rows_duplicate": sum(n for r, n in reasons.items() if r.startswith("duplicate")),
            "unreadable_numbers": unreadable,
            "lines_in_another_encoding": sum(r.other_encoding_lines for r in dataset.files)}


def _same_time(events: ibis.Table) -> int:
    """Events sharing customer, timestamp and event with another one (file order then decides)."""
    groups = events.group_by(["customer_id", "timestamp", "event"]).agg(n=events.count())
    result = engine.execute(groups.filter(groups.n > 1).aggregate(extra=(groups.n - 1).sum()))
    value = result["extra"].iloc[0]
    return 0 if pd.isna(value) else int(value)


def compute_out_of_order(frame: pd.DataFrame) -> int:
    """Rows whose timestamp is earlier than the previous row of the same customer in file order."""
    previous = frame.groupby("customer_id", sort=False)["timestamp"].shift()
    return int((frame["timestamp"] < previous).sum())


def _iso(value) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).isoformat()


def _days(first, last) -> float | None:
    if pd.isna(first) or pd.isna(last):
        return None
    return round((pd.Timestamp(last) - pd.Timestamp(first)).total_seconds() / 86400, 1)
