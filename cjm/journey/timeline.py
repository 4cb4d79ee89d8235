"""One customer's story: their events in order, a short profile, and finding a customer by id.

The customer's events are few, so they are fetched once (filtered in the engine) and summarised in
pandas. An id that does not exist raises ParameterError listing the closest existing ids. Every public
function takes the Dataset (or a view of it: the customer's events inside the view) first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import ibis
import pandas as pd

from cjm import engine
from cjm.data.clock import dates_clock
from cjm.data.reversals import reached_stage_index, reversal_names
from cjm.errors import ParameterError

TIMELINE_COLUMNS = ("timestamp", "event", "stage", "channel", "device", "department", "revenue", "score", "text")


def closest_customers(dataset, *, customer_id: str, limit: int = 5) -> list[str]:
    """Existing ids nearest to `customer_id`: those containing it first, then by edit distance."""
    return _closest(dataset.events, customer_id, limit)


def _closest(events, customer_id: str, limit: int = 5) -> list[str]:
    ids = events.select("customer_id").distinct()
    lowered = ids.customer_id.lower()
    wanted = str(customer_id).strip().lower()
    ranked = ids.mutate(
        contains=ibis.ifelse(lowered.contains(wanted), 0, 1),
        distance=lowered.levenshtein(wanted),
    ).order_by(["contains", "distance", "customer_id"]).limit(limit)
    return engine.execute(ranked.select("customer_id"))["customer_id"].tolist()


def _unknown(events, customer_id) -> ParameterError:
    near = _closest(events, customer_id)
    hint = f" The closest ids are: {', '.join(near)}." if near else " The data has no customers."
    return ParameterError(
        f"customer_id {customer_id!r} is not in the data.{hint} Pick one of them or search by part of the id."
    )


def compute_customer_timeline(dataset, *, customer_id: str) -> pd.DataFrame:
    """That customer's events, oldest first (ties in time in file order): timestamp, event, stage, channel,
    device, department, revenue, score, text. attrs["tz"]: the dataset's time zone (cjm.data.clock.dates_clock),
    whose clock the chart shows the times on."""
    frame = _timeline(dataset.events, customer_id)
    frame.attrs["tz"] = dates_clock(dataset).tz
    return frame


def _timeline(events, customer_id) -> pd.DataFrame:
    if not isinstance(customer_id, str) or not customer_id:
        raise ParameterError(f"customer_id must be an id as written in the data; got {customer_id!r}.")
    mine = events.filter(events.customer_id == customer_id).order_by(["timestamp", "row_id"])
    frame = engine.execute(mine.select(*TIMELINE_COLUMNS))
    if not len(frame):
        raise _unknown(events, customer_id)
    return frame.reset_index(drop=True)


def compute_customer_summary(dataset, *, customer_id: str, segments=None, risk=None) -> dict:
    """A profile of one customer.

    Keys: customer_id, first_seen, last_seen (UTC timestamps), events, value_to_date (sum of revenue;
    None when none is recorded), last_score / last_score_at (latest event with a score), last_text /
    last_text_at (latest event with a comment), furthest_stage (the latest stage of the model reached, a
    cancellation, return or refund lifting nobody to its stage as in cjm.journey.reach; None when none is),
    channels (in order of first use), and, when given:
    segment (`segments`: a mapping or Series id -> segment, or a table with customer_id and segment; without
    it, the customer's latest value of a `segment` column of the events, when there is one) and at_risk
    (`risk`: ids at risk, a Series id -> bool, or a table with customer_id [and at_risk]).
    """
    events = dataset.events
    timeline = _timeline(events, customer_id)
    summary = {
        "customer_id": customer_id,
        "first_seen": timeline["timestamp"].iloc[0],
        "last_seen": timeline["timestamp"].iloc[-1],
        "events": int(len(timeline)),
        "value_to_date": float(timeline["revenue"].sum()) if timeline["revenue"].notna().any() else None,
    }
    for column in ("score", "text"):
        present = timeline[timeline[column].notna()]
        last = present.iloc[-1] if len(present) else None
        value = None if last is None else last[column]
        summary[f"last_{column}"] = None if value is None else (float(value) if column == "score" else str(value))
        summary[f"last_{column}_at"] = None if last is None else last["timestamp"]
    summary["furthest_stage"] = _furthest_stage(events, customer_id,
                                                reversal_names(timeline["event"].dropna().unique()))
    summary["channels"] = [str(c) for c in timeline["channel"].dropna().drop_duplicates()]
    if segments is not None:
        summary["segment"] = _lookup(segments, customer_id, "segment")
    elif "segment" in events.columns:
        summary["segment"] = _latest_segment(events, customer_id)
    if risk is not None:
        summary["at_risk"] = _at_risk(risk, customer_id)
    return summary


def _latest_segment(events, customer_id: str):
    mine = events.filter((events.customer_id == customer_id) & events.segment.notnull())
    last = engine.execute(mine.order_by([ibis.desc("timestamp"), ibis.desc("row_id")]).select("segment").limit(1))
    return str(last["segment"].iloc[0]) if len(last) else None


def _furthest_stage(events, customer_id: str, named: list[str]):
    """The latest stage of the model the customer reached, as the Overview's stage reach counts it: a cancellation,
    return or refund (`named`: cjm.data.reversals.reversal_names of their events) lifts nobody to its stage."""
    mine = events.filter((events.customer_id == customer_id) & (reached_stage_index(events, named) >= 0))
    top = engine.execute(mine.order_by([ibis.desc("stage_index")]).select("stage").limit(1))
    return str(top["stage"].iloc[0]) if len(top) else None


def _lookup(table, customer_id: str, column: str):
    if isinstance(table, ibis.Table):
        table = engine.execute(table.filter(table.customer_id == customer_id))
    if isinstance(table, pd.DataFrame):
        if "customer_id" not in table.columns or column not in table.columns:
            raise ParameterError(
                f"The {column} table needs columns customer_id and {column}; found {list(table.columns)!r}."
            )
        match = table.loc[table["customer_id"].astype(str) == customer_id, column]
        return None if match.empty or pd.isna(match.iloc[0]) else match.iloc[0]
    if isinstance(table, (Mapping, pd.Series)):
        value = table.get(customer_id)
        return None if value is None or pd.isna(value) else value
    raise ParameterError(f"{column} must be a mapping, a Series or a table; got {type(table).__name__!r}.")


def _at_risk(risk, customer_id: str) -> bool:
    if isinstance(risk, (pd.DataFrame, ibis.Table)):
        columns = risk.columns
        if "at_risk" in columns:
            return bool(_lookup(risk, customer_id, "at_risk") or False)
        return _lookup(risk.assign(at_risk=True) if isinstance(risk, pd.DataFrame) else risk.mutate(at_risk=True),
                       customer_id, "at_risk") is not None
    if isinstance(risk, (Mapping, pd.Series)):
        return bool(_lookup(risk, customer_id, "at_risk") or False)
    if isinstance(risk, Iterable) and not isinstance(risk, str):
        return customer_id in {str(r) for r in risk}
    raise ParameterError(f"risk must be a list of ids, a Series or a table; got {type(risk).__name__!r}.")


def search_customers(dataset, *, query: str, limit: int = 20) -> list[str]:
    """Ids containing `query` (any case): ids starting with it first, then the rest, each alphabetically."""
    if not isinstance(query, str):
        raise ParameterError(f"query must be text (part of a customer id); got {query!r}.")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1000:
        raise ParameterError(f"limit must be a whole number from 1 to 1000; got {limit!r}.")
    wanted = query.strip().lower()
    ids = dataset.events.select("customer_id").distinct()
    lowered = ids.customer_id.lower()
    if wanted:
        ids = ids.filter(lowered.contains(wanted))
        lowered = ids.customer_id.lower()
    ranked = ids.mutate(prefix=ibis.ifelse(lowered.startswith(wanted), 0, 1)) if wanted else ids.mutate(prefix=0)
    ranked = ranked.order_by(["prefix", "customer_id"]).limit(limit)
    return engine.execute(ranked.select("customer_id"))["customer_id"].tolist()
