"""A refund (or any reversal) in a stage path: a step of its own, never progress to its mapped stage.

Hand log (5-stage model; refund is mapped to retention, as the touchpoint dictionary does):
  a: visit 1 Jan, purchase 2 Jan, refund 3 Jan
  b: visit 1 Jan, purchase 2 Jan, repeat_purchase 5 Jan
  c: visit 1 Jan
Paths by hand: a "consideration → conversion → refund (reversal)" (1), b "consideration → conversion → loyalty" (1),
c "consideration" (1). Before the fix a read "consideration → conversion → retention": the refund as a later stage.
"""

from __future__ import annotations

import pytest

from cjm.errors import ParameterError
from cjm.journey import paths
from cjm.journey.paths import PathParams
from cjm.present.charts.paths import flow_chart, sankey_layout
from tests.helpers import dataset

STAGES = {"visit": "consideration", "purchase": "conversion", "refund": "retention",
          "repeat_purchase": "loyalty", "chargeback": "retention"}
ALL = PathParams(min_edge_share=0.0)
FIVE = ("awareness", "consideration", "conversion", "retention", "loyalty")
REFUNDED = "consideration → conversion → refund (reversal)"


def three_customers(extra=()):
    rows = [
        ("a", "2024-01-01T00:00:00", "visit"), ("a", "2024-01-02T00:00:00", "purchase"),
        ("a", "2024-01-03T00:00:00", "refund"),
        ("b", "2024-01-01T00:00:00", "visit"), ("b", "2024-01-02T00:00:00", "purchase"),
        ("b", "2024-01-05T00:00:00", "repeat_purchase"),
        ("c", "2024-01-01T00:00:00", "visit"),
        *extra,
    ]
    return dataset(rows, stages=STAGES)


def test_a_refund_is_a_step_of_its_own_in_a_stage_path_not_the_retention_stage():
    variants = paths.compute_variants(three_customers(), params=ALL)
    assert variants[["path", "customers", "steps", "converted"]].to_dict("records") == [
        {"path": "consideration", "customers": 1, "steps": 1, "converted": 0},
        {"path": "consideration → conversion → loyalty", "customers": 1, "steps": 3, "converted": 1},
        {"path": REFUNDED, "customers": 1, "steps": 3, "converted": 1},
    ]
    assert not variants["path"].str.contains("retention").any()


def test_the_flow_moves_from_conversion_to_the_refund_and_to_loyalty_one_customer_each():
    flows = paths.compute_transitions(three_customers(), params=ALL)
    assert flows[["position", "source", "target", "customers", "share"]].to_dict("records") == [
        {"position": 1, "source": "consideration", "target": "conversion", "customers": 2, "share": 2 / 3},
        {"position": 2, "source": "conversion", "target": "loyalty", "customers": 1, "share": 0.5},
        {"position": 2, "source": "conversion", "target": "refund (reversal)", "customers": 1, "share": 0.5},
    ]


def test_the_transition_matrix_counts_nobody_moving_on_to_retention():
    matrix = paths.compute_transition_matrix(three_customers(), params=ALL)
    assert matrix[["from", "to", "customers", "from_customers"]].to_dict("records") == [
        {"from": "consideration", "to": "conversion", "customers": 2, "from_customers": 3},
        {"from": "conversion", "to": "loyalty", "customers": 1, "from_customers": 2},
        {"from": "conversion", "to": "refund (reversal)", "customers": 1, "from_customers": 2},
    ]


def test_a_chargeback_after_a_refund_is_another_reversal_step_and_repeats_collapse():
    # d: visit, purchase, refund, refund, chargeback: the two refunds are one step
    extra = [("d", "2024-01-01T00:00:00", "visit"), ("d", "2024-01-02T00:00:00", "purchase"),
             ("d", "2024-01-03T00:00:00", "refund"), ("d", "2024-01-04T00:00:00", "refund"),
             ("d", "2024-01-06T00:00:00", "chargeback")]
    variants = paths.compute_variants(three_customers(extra), params=ALL).set_index("path")
    assert variants.loc[REFUNDED + " → chargeback (reversal)", ["customers", "steps"]].tolist() == [1, 4]


def test_nobody_reaches_retention_so_no_journey_ends_there():
    # before, a's refund ended a journey "consideration → conversion → retention"
    with pytest.raises(ParameterError, match="end_at='retention'"):
        paths.compute_variants(three_customers(), params=PathParams(min_edge_share=0.0, end_at="retention"))


def test_at_event_level_the_refund_keeps_its_own_name():
    variants = paths.compute_variants(three_customers(), params=PathParams(level="event", min_edge_share=0.0))
    assert sorted(variants["path"]) == ["visit", "visit → purchase → refund", "visit → purchase → repeat_purchase"]


def test_the_flow_chart_colours_the_refund_step_as_a_reversal_after_the_stages():
    data = three_customers()
    flows = paths.compute_transitions(data, params=ALL)
    stage_of = paths.step_stages(data, "stage")
    assert stage_of == {"refund (reversal)": "reversal"}
    nodes, _ = sankey_layout(flows, stages=FIVE, stage_of=stage_of)
    third = nodes[nodes["position"] == 3].sort_values("y0")["label"].tolist()
    assert third == ["loyalty", "refund (reversal)"]  # the reversal after the last stage
    spec = flow_chart(flows, stages=FIVE, stage_of=stage_of).to_dict()
    boxes = spec["layer"][1]
    assert boxes["encoding"]["color"]["field"] == "stage"
    assert boxes["encoding"]["color"]["scale"]["domain"] == [*FIVE, "unmapped", "reversal"]
    coloured = {n["label"]: n["stage"] for n in spec["datasets"][boxes["data"]["name"]]}
    assert coloured == {"consideration": "consideration", "conversion": "conversion", "loyalty": "loyalty",
                        "refund (reversal)": "reversal"}


def test_at_event_level_the_refund_event_is_coloured_as_a_reversal_not_retention():
    assert paths.step_stages(three_customers(), "event") == {
        "visit": "consideration", "purchase": "conversion", "refund": "reversal", "repeat_purchase": "loyalty"}
