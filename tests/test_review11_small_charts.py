"""Review 11: a Mixpanel export of 7 events and 4 users. On so few customers the funnel's count axis read
"0 0 0 1 1 1 1 2 2 2 ..." (fractional ticks written as whole numbers), and the Overview said "0.0% of customers
reached loyalty" when no event had a stage at all. Checked through chart.to_dict()."""

from __future__ import annotations

import math

import pandas as pd

from cjm.present.charts.abandonment import last_touchpoints_chart
from cjm.present.charts.followup import followup_by_department_chart
from cjm.present.charts.funnel import funnel_chart
from cjm.present.charts.reach import stage_reach_chart

SMALL_FUNNEL = pd.DataFrame({
    "step": ["Load Documents App", "Load Datasets App"], "step_number": [1, 2], "customers": [4, 1],
    "conversion_from_previous": [1.0, 0.25], "conversion_from_first": [1.0, 0.25],
    "median_seconds_from_previous": [math.nan, 130.0], "mean_seconds_from_previous": [math.nan, 130.0],
    "dropped": [0, 3],
})


def axis_of(spec: dict, channel: str) -> dict:
    layers = spec.get("layer", [spec])
    return next(layer["encoding"][channel]["axis"] for layer in layers if channel in layer.get("encoding", {}))


def test_a_small_funnels_count_axis_ticks_whole_customers():
    axis = axis_of(funnel_chart(SMALL_FUNNEL).to_dict(), "x")
    assert (axis["tickMinStep"], axis["format"]) == (1, ",d")
    axis = axis_of(funnel_chart(SMALL_FUNNEL, orientation="vertical").to_dict(), "y")
    assert axis["tickMinStep"] == 1


def test_the_abandoners_last_touchpoints_and_the_follow_ups_count_whole_customers():
    last = pd.DataFrame({"rank": [1, 2], "event": ["Load Documents App", "Signed In"], "stage": ["unmapped"] * 2,
                         "customers": [2, 1], "share": [2 / 3, 1 / 3], "abandoners": [3, 3]})
    assert axis_of(last_touchpoints_chart(last).to_dict(), "x")["tickMinStep"] == 1
    owners = pd.DataFrame({"department": ["support", "sales"], "customers": [2, 1], "value": [120.0, 40.0]})
    assert axis_of(followup_by_department_chart(owners).to_dict(), "x")["tickMinStep"] == 1


def test_when_no_event_has_a_stage_the_reach_title_says_so_instead_of_0_percent_reached_loyalty():
    stages = ["awareness", "consideration", "conversion", "retention", "loyalty"]
    reach = pd.DataFrame({"stage": stages, "stage_index": range(5), "customers": [0] * 5, "share": [0.0] * 5,
                          "total_customers": 4})
    title = stage_reach_chart(reach, customers=4).to_dict()["title"]["text"]
    assert title == "No event is mapped to a journey stage: assign the events their stages on the Data page"


def test_the_rfm_segments_axis_counts_whole_customers():
    from cjm.present.charts.segments import rfm_segments_chart

    summary = pd.DataFrame({"segment": ["Champions", "Lost"], "customers": [3, 1], "share": [0.75, 0.25]})
    assert axis_of(rfm_segments_chart(summary).to_dict(), "x")["tickMinStep"] == 1
