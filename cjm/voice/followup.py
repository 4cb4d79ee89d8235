"""Closed loop: the unhappy customers to call back first (most valuable, then most recent).

A customer is on the list when their LATEST scored feedback is negative: a text the scorer read as
negative (compound <= -0.05), or a score below the survey's neutral point (rating 1-2, NPS
detractor 0-6, CES 1-3). When the latest feedback event has both a score and a text, the score
decides (it is the customer's own rating). Later positive feedback takes a customer off the list.

Value: the customer's total revenue when the dataset has revenue; otherwise their purchases, as the Overview and
the segments count a customer's purchases (cjm.journey.buying: orders of events named as a purchase in any case,
spacing or language the stage mapping reads, "Order Completed", "Kauf"; an order's line items are one purchase; a
cancellation or refund is never one (without money nothing says which order it takes back)); otherwise the number of
events.
`value_basis` says which.
Owner: the department of the feedback event, else the customer's most recent department at or
before it, else "unassigned". Days since feedback are counted to `as_of` (default: the last event
in the data, so results do not change with the day they are computed).
"""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd

from cjm import engine
from cjm.errors import NoDatesError, ParameterError
from cjm.journey.buying import Buying
from cjm.voice.sentiment import SentimentParams, compute_signals, describe_scores

UNASSIGNED = "unassigned"
CLOSED_LOOP_COLUMNS = (
    "customer_id", "value", "value_basis", "last_feedback", "sentiment", "source", "at", "stage",
    "event", "channel", "department", "days_since",
)


def latest_feedback(signals: pd.DataFrame) -> pd.DataFrame:
    """Each customer's latest scored signal (ties on one event: the score wins over the text), in
    customer order."""
    codes, _ = pd.factorize(signals["customer_id"], sort=True)  # in customer order; a missing id sorts last
    return signals.iloc[latest_positions(signals, np.where(codes < 0, codes.max(initial=-1) + 1, codes))]


def latest_positions(signals: pd.DataFrame, groups: np.ndarray) -> np.ndarray:
    """Positions in `signals` of each group's latest scored signal, in ascending group order. `groups`
    holds an integer per signal, equal for the signals of one customer. Latest: by time (a missing time
    counts as latest), then row, then the score after the text of the same event; of rows alike in all
    of these, the last one."""
    rows = np.flatnonzero(signals["scored"].to_numpy(dtype=bool))
    stamps, row_ids = signals["timestamp"].array, signals["row_id"]
    if not (isinstance(stamps, pd.arrays.DatetimeArray) and pd.api.types.is_integer_dtype(row_ids.dtype)):
        return _latest_positions_sorted(signals, groups, rows)
    # integer keys sorted with numpy (stable, so full ties keep their order); the same order as sorting
    # the columns themselves, a missing time (NaT) moved after every time
    stamps = np.where(stamps.isna(), np.iinfo("int64").max, stamps.asi8)
    order = np.lexsort((signals["source"].eq("score").to_numpy(dtype=bool)[rows], row_ids.to_numpy()[rows],
                        stamps[rows], groups[rows]))
    ordered = rows[order]
    keys = groups[ordered]
    return ordered[np.append(keys[1:] != keys[:-1], True)] if len(ordered) else ordered


def _latest_positions_sorted(signals: pd.DataFrame, groups: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """latest_positions by a pandas sort (for key columns of other types)."""
    keys = pd.DataFrame({"group": groups[rows], "timestamp": signals["timestamp"].to_numpy()[rows],
                         "row_id": signals["row_id"].to_numpy()[rows],
                         "_score_last": signals["source"].eq("score").to_numpy(dtype=bool)[rows]})
    keys = keys.sort_values(["group", "timestamp", "row_id", "_score_last"], kind="stable")
    return rows[keys.drop_duplicates("group", keep="last").index.to_numpy()]


def _feedback_words(rows: pd.DataFrame) -> pd.Series:
    """The comment for text feedback; "rating 2/5" (plus ": " and the comment, if any) for scores."""
    words = describe_scores(rows["score"], rows["scale"].astype("object"))
    score_side = (words + ": " + rows["text"]).fillna(words)
    return rows["text"].where(rows["source"].eq("text"), score_side)


def end_of_data(dataset, as_of=None) -> pd.Timestamp:
    """`as_of` as a UTC timestamp (naive values are read as UTC), or the end of the data for `dataset` (the Dataset
    or a view of it: views.data_end, the time of its last event; of the data a segment, channel or device filter
    took its customers or events from; the end of a date filter's range, the midnight after its end date, when the data goes on after it)."""
    if as_of is not None:
        stamp = pd.Timestamp(as_of)
        return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    from cjm.data.views import data_end

    end = data_end(dataset)
    if end is None:
        raise NoDatesError("This analysis needs dates, and no event of this data has one (the export has no date "
                           "column, or every date in it is blank). Map a date column on the Data page to enable it.")
    return pd.Timestamp(end)


def compute_closed_loop(dataset, *, signals: pd.DataFrame | None = None, limit: int = 100, as_of=None,
                        within_days: int | None = None,
                        sentiment: SentimentParams = SentimentParams()) -> pd.DataFrame:
    """Customers whose latest feedback is negative, most valuable first, then most recent.

    dataset: the Dataset (or a view of it). Without `signals`, they are computed from it with `sentiment` (raising
    InsufficientDataError when there is no score or text to read). `within_days` keeps customers whose
    negative feedback is at most that many days old (at `as_of`): the ones still worth a call.

    Columns: customer_id, value, value_basis ("revenue" | "purchases" | "events"), last_feedback
    (the comment, or e.g. "rating 2/5: the comment"), sentiment (-1..+1), source, at, stage, event,
    channel, department (owner), days_since.
    """
    if not 1 <= limit <= 100_000:
        raise ParameterError(f"limit must be between 1 and 100000; got {limit!r}.")
    if within_days is not None and not (isinstance(within_days, int) and 1 <= within_days <= 3650):
        raise ParameterError(f"within_days must be a whole number of days between 1 and 3650, or empty for all "
                             f"feedback; got {within_days!r}.")
    if signals is None:
        signals = compute_signals(dataset, params=sentiment)
    latest = latest_feedback(signals)
    unhappy = latest[latest["label"].eq("negative").fillna(False)]
    if unhappy.empty:
        return pd.DataFrame(columns=list(CLOSED_LOOP_COLUMNS))
    events = dataset.events
    keys = ibis.memtable(pd.DataFrame({"_cid": unhappy["customer_id"].astype(str),
                                       "_at": unhappy["timestamp"]}).reset_index(drop=True))
    mine = events.inner_join(keys, events.customer_id == keys._cid)
    has_revenue = int(engine.execute(events.aggregate(n=events.revenue.count()))["n"].iloc[0]) > 0
    totals = engine.execute(
        mine.group_by(customer_id=mine.customer_id).aggregate(revenue=mine.revenue.sum(), events=mine.count())
    )
    if not has_revenue:  # a customer's purchases, by the Overview's one rule (cjm.journey.buying)
        bought = engine.execute(Buying.of(dataset).purchases(mine.drop("_cid", "_at")))
        totals = totals.merge(bought, on="customer_id", how="left")
        totals["purchases"] = totals["purchases"].fillna(0).astype("int64")
    else:
        totals["purchases"] = 0
    before = mine.filter(mine.department.notnull() & (mine.timestamp <= mine._at))
    ranked = before.mutate(
        _n=ibis.row_number().over(group_by=before.customer_id, order_by=[before.timestamp.desc(), before.row_id.desc()])
    )
    recent_department = engine.execute(
        ranked.filter(ranked._n == 0).select("customer_id", recent_department="department")
    )
    out = unhappy.merge(totals, on="customer_id", how="left").merge(recent_department, on="customer_id", how="left")
    if has_revenue:
        basis, value = "revenue", out["revenue"].fillna(0.0)
    elif int(totals["purchases"].sum()) > 0:
        basis, value = "purchases", out["purchases"].fillna(0)
    else:
        basis, value = "events", out["events"].fillna(0)
    end = end_of_data(dataset, as_of)
    days = ((end - out["timestamp"]).dt.total_seconds() / 86400.0).clip(lower=0.0)
    out = out.assign(
        value=value.astype("float64"),
        value_basis=basis,
        last_feedback=_feedback_words(out),
        sentiment=out["value"],
        at=out["timestamp"],
        department=out["department"].fillna(out["recent_department"]).fillna(UNASSIGNED),
        days_since=days.round(1),  # shown to a tenth of a day
    )
    if within_days is not None:  # on the exact age: 3 days and 1 hour (shown 3.0) is not "in the last 3 days"
        out = out[days <= within_days]
    out = out.sort_values(["value", "at", "customer_id"], ascending=[False, False, True], kind="stable")
    return out.head(limit)[list(CLOSED_LOOP_COLUMNS)].reset_index(drop=True)


def compute_followup_by_department(closed_loop: pd.DataFrame) -> pd.DataFrame:
    """Follow-ups per owner department: department, customers, value, median_days_since."""
    if closed_loop.empty:
        return pd.DataFrame(columns=["department", "customers", "value", "median_days_since", "value_basis"])
    out = closed_loop.groupby("department").agg(
        customers=("customer_id", "size"), value=("value", "sum"), median_days_since=("days_since", "median")
    ).reset_index()
    out["value_basis"] = closed_loop["value_basis"].iloc[0]
    return out.sort_values(["value", "customers", "department"], ascending=[False, False, True]).reset_index(drop=True)

