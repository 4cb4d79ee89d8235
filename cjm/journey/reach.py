"""How many customers reached each journey stage (at any time)."""

from __future__ import annotations

import ibis
import pandas as pd

from cjm import engine
from cjm.data.stages import stages_present


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


def present_stages(events: ibis.Table, *, stages: tuple[str, ...]) -> tuple[str, ...]:
    """The stages of the model that at least one of these events is mapped to, in model order (default funnel
    steps). Used between analyses on an events table; a Dataset says the same of its whole data in
    `Dataset.present_stages`."""
    reach = _reach(events, tuple(stages))
    return stages_present(stages, reach.loc[reach["customers"] > 0, "stage"])
