"""Review 41 on the real exports in ../shared/data (skipped when absent): stage reach, furthest stage, the map's stage
funnel and value per converted customer against tests/review41_reference.py, read on the events cjm loaded (their
stages are the mapping's; the reference reads reach, funnels and money itself), and the invariants: reached +
reversals only = customers with an event at the stage, shares within 0..1, a funnel never increases, and the
funnel of the five stages (the report's default) equals the map's stage funnel of the same stages and window."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.customers.features import compute_customer_features
from cjm.data.dataset import load_dataset
from cjm.journey.funnel import FunnelParams, compute_funnel
from cjm.journey.reach import compute_stage_reach
from cjm.maps.current import build_current_map
from cjm.maps.future import build_future_map, compute_projection
from tests import review41_reference as ref
from tests.helpers import REAL_DATA

EXPORTS = {
    "rees46": ["rees46_2019-Oct-sample.csv"],
    "olist": ["olist_marketing_funnel/olist_marketing_qualified_leads_dataset.csv",
              "olist_marketing_funnel/olist_closed_deals_dataset.csv"],
    "cdnow": ["cdnow_master.txt"],
}


def load(name: str):
    paths = [REAL_DATA / p for p in EXPORTS[name]]
    if not all(p.exists() for p in paths):
        pytest.skip("real exports absent")
    ds = load_dataset(paths)
    frame = engine.execute(ds.events.select("customer_id", "timestamp", "event", "stage", "revenue"))
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    frame["stage"] = frame["stage"].astype("object").where(frame["stage"].isin(ds.stages), None)
    frame["reversal"] = frame["event"].map(ref.is_reversal)
    return ds, frame


@pytest.mark.parametrize("name", list(EXPORTS))
def test_real_exports_reach_and_furthest_stage_agree_with_the_reference(name):
    ds, frame = load(name)
    stages = tuple(ds.stages)
    got = compute_stage_reach(ds).set_index("stage")
    want = ref.stage_reach(frame, stages).set_index("stage")
    assert got["customers"].tolist() == want["reached"].tolist()
    assert got["reversals_only"].tolist() == want["reversals_only"].tolist()
    assert (got["customers"] + got["reversals_only"]).tolist() == want["any_event"].tolist()
    assert ((got["share"] >= 0) & (got["share"] <= 1)).all()
    features = compute_customer_features(ds).set_index("customer_id")
    if "furthest_stage" not in features:  # one stage for everyone (CDNOW's purchases): dropped as uninformative
        assert want["any_event"].astype(bool).sum() == 1
        return
    furthest = features["furthest_stage"]
    wanted = {c: (stages.index(s) if s else -1) for c, s in ref.furthest_stage(frame, stages).items()}
    assert furthest.to_dict() == wanted


@pytest.mark.parametrize("name", ["rees46", "olist"])
def test_real_exports_map_funnel_and_value_agree_with_the_reference(name):
    ds, frame = load(name)
    stages = tuple(ds.stages)
    jm = build_current_map(ds)
    steps = jm.baseline["funnel_stages"]
    counts = jm.baseline["funnel_customers"]
    assert steps == ref.map_steps(frame, stages)
    assert counts == [n for _, n in ref.stage_funnel(frame, stages)]
    assert all(x >= y for x, y in zip(counts, counts[1:]))
    funnel = compute_funnel(ds, params=FunnelParams(steps=tuple(steps)))["customers"].tolist()
    assert funnel == counts  # the report's funnel of the stages = the map's stage funnel
    projection = compute_projection(build_future_map(jm))
    value, n = ref.value_per_converted(frame, projection["goal"], stages)
    assert projection["today"]["conversions"] == pytest.approx(n)
    if value is None:
        assert projection["value_per_conversion"] is None
    else:
        assert projection["value_per_conversion"] == pytest.approx(value)
