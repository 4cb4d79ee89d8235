"""How many customers reached each journey stage (at any time)."""

from __future__ import annotations

import ibis
import pandas as pd

from cjm import engine


def compute_stage_reach(dataset) -> pd.DataFrame:
    """stage, stage_index, customers (distinct customers with an event in that stage), share of all customers,
    total_customers, for every stage of the dataset's stage model.

    dataset: the Dataset (or a view of it)."""
    return _reach(dataset.events, tuple(dataset.stages))


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
