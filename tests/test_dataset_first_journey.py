"""The journey analyses take the Dataset first (issue 10): one object, whatever the analysis."""

from __future__ import annotations

import inspect

import pytest

from cjm.customers.segments import compute_segment_funnel
from cjm.data.filters import Filters
from cjm.journey import abandonment, experiments, funnel, periods
from cjm.journey.funnel import FunnelParams
from tests.helpers import dataset

ANALYSES = [
    funnel.compute_progress, funnel.progress_expr, funnel.compute_funnel, funnel.funnel_expr,
    funnel.compute_conversion_over_time, funnel.compute_time_to_convert, funnel.compute_dropped,
    funnel.compute_next_after_drop, abandonment.compute_abandonment, abandonment.compute_abandonment_by,
    abandonment.compute_checkout_abandonment, abandonment.compute_time_to_abandon,
    abandonment.compute_last_touchpoints, experiments.compute_variant_funnel, periods.compare_periods,
    compute_segment_funnel,
]


@pytest.mark.parametrize("analysis", ANALYSES, ids=lambda f: f.__name__)
def test_each_journey_analysis_takes_the_dataset_first_and_no_loose_tables(analysis):
    parameters = inspect.signature(analysis).parameters
    assert next(iter(parameters)) == "dataset"
    assert "customers" not in parameters and "stages" not in parameters and "events" not in parameters


def test_a_breakdown_by_a_customer_attribute_reads_the_dataset_s_own_customers_table():
    import pandas as pd

    customers = pd.DataFrame({"customer_id": ["a", "b", "c"], "plan": ["pro", "free", "free"]})
    log = dataset([("a", "2024-01-01", "view", "web"), ("a", "2024-01-02", "buy", "web"),
                   ("b", "2024-01-01", "view", "web"), ("c", "2024-01-01", "view", "app"),
                   ("c", "2024-01-03", "buy", "app")],
                  ("customer_id", "timestamp", "event", "channel"), customers=customers)
    params = FunnelParams(steps=("view", "buy"), step_kind="event", breakdown="plan")
    got = funnel.compute_funnel(log, params=params).set_index(["group", "step_number"])["customers"]
    assert got.to_dict() == {("free", 1): 2, ("free", 2): 1, ("pro", 1): 1, ("pro", 2): 1}
    # a filtered view keeps the customers table: web only leaves a (pro, bought) and b (free, did not)
    web = funnel.compute_funnel(log.filtered(Filters(channels=("web",))), params=params)
    assert web.set_index(["group", "step_number"])["customers"].to_dict() == {
        ("free", 1): 1, ("free", 2): 0, ("pro", 1): 1, ("pro", 2): 1}
    by = abandonment.compute_abandonment_by(log, params=FunnelParams(steps=("view", "buy"), step_kind="event"),
                                            column="plan")
    assert set(by["group"]) == {"free", "pro"}
