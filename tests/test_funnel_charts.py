"""Funnel charts, checked through chart.to_dict(): titles state the finding, axes say their units,
tooltips carry the exact numbers and the sample size."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cjm.present.charts.funnel import (
    conversion_over_time_chart,
    format_duration,
    funnel_breakdown_chart,
    funnel_chart,
    time_to_convert_chart,
)
from cjm.errors import ParameterError

FUNNEL = pd.DataFrame({
    "step": ["view", "cart", "purchase"],
    "step_number": [1, 2, 3],
    "customers": [1000, 400, 184],
    "conversion_from_previous": [1.0, 0.4, 0.46],
    "conversion_from_first": [1.0, 0.4, 0.184],
    "median_seconds_from_previous": [math.nan, 7500.0, 90.0],
    "mean_seconds_from_previous": [math.nan, 8000.0, 100.0],
    "dropped": [0, 600, 216],
})


def _layers(spec):
    return spec.get("layer", [spec])


def _tooltip_titles(spec):
    titles = set()
    for layer in _layers(spec):
        for tip in layer.get("encoding", {}).get("tooltip", []):
            titles.add(tip.get("title"))
    return titles


def _dataset(spec):
    return next(iter(spec["datasets"].values()))


@pytest.mark.parametrize(
    "seconds, shown",
    [(7500, "2 h 05 min"), (45, "45 s"), (725, "12 min 05 s"), (3 * 86400 + 4 * 3600, "3 d 04 h"),
     (59.6, "1 min 00 s"), (None, "–"), (math.nan, "–")],
)
def test_durations_read_as_the_two_largest_units(seconds, shown):
    assert format_duration(seconds) == shown


def test_the_funnel_chart_title_states_the_share_that_reached_the_last_step():
    spec = funnel_chart(FUNNEL).to_dict()
    # 184 of the 1,000 who entered reached purchase
    assert spec["title"]["text"] == "18.4% of customers who entered reached purchase (184 of 1,000)"


def test_the_funnel_chart_has_axis_titles_and_tooltips_with_exact_numbers():
    spec = funnel_chart(FUNNEL).to_dict()
    bar = _layers(spec)[0]["encoding"]
    assert bar["y"]["axis"]["title"] == "Funnel step"
    assert bar["x"]["axis"]["title"] == "Customers (count)"
    assert bar["y"]["sort"] == ["view", "cart", "purchase"]
    assert {"Customers", "Conversion from previous step", "Conversion from first step",
            "Median time from previous step", "Dropped at this step",
            "Customers who entered (n)"} <= _tooltip_titles(spec)
    rows = _dataset(spec)
    cart = next(r for r in rows if r["step"] == "cart")
    assert cart["from_previous"] == "40.0%"
    assert cart["median_time"] == "2 h 05 min"
    assert cart["label"] == "400 (40.0%)"
    assert cart["entered"] == 1000


def test_a_vertical_funnel_puts_steps_across():
    spec = funnel_chart(FUNNEL, orientation="vertical").to_dict()
    bar = _layers(spec)[0]["encoding"]
    assert bar["x"]["field"] == "step" and bar["y"]["field"] == "customers"
    with pytest.raises(ParameterError, match="'diagonal'"):
        funnel_chart(FUNNEL, orientation="diagonal")


def test_an_any_order_funnel_title_says_completed():
    frame = FUNNEL.assign(step=["1 step", "2 steps", "3 steps"])
    assert funnel_chart(frame).to_dict()["title"]["text"] == "18.4% of customers who entered completed 3 steps (184 of 1,000)"


def test_an_empty_funnel_says_nobody_entered():
    frame = FUNNEL.assign(customers=[0, 0, 0], conversion_from_first=[math.nan] * 3)
    assert funnel_chart(frame).to_dict()["title"]["text"] == "No customer entered the funnel"


def test_the_breakdown_chart_compares_groups_on_conversion_from_first():
    frame = pd.concat([FUNNEL.assign(group="web"),
                       FUNNEL.assign(group="app", customers=[100, 30, 10], conversion_from_first=[1.0, 0.3, 0.1])])
    spec = funnel_chart(frame).to_dict()
    assert spec["title"]["text"] == "Conversion to purchase ranges from 10.0% (app) to 18.4% (web)"
    encoding = spec["encoding"]
    assert encoding["y"]["axis"]["title"] == "Conversion from first step (%)"
    assert encoding["x"]["axis"]["title"] == "Funnel step"
    assert encoding["xOffset"]["field"] == "group"
    assert {"Group", "Customers", "Customers who entered (n)"} <= _tooltip_titles(spec)
    assert funnel_breakdown_chart(frame).to_dict()["title"] == spec["title"]


def test_the_conversion_over_time_chart_states_the_range_and_shows_entrants():
    frame = pd.DataFrame({
        "period": pd.to_datetime(["2024-01-01", "2024-01-08"]),
        "entered": [30, 10], "converted": [6, 3], "conversion": [0.2, 0.3],
    })
    spec = conversion_over_time_chart(frame, last_step="purchase").to_dict()
    assert spec["title"]["text"] == "Share of customers reaching purchase ranged from 20.0% to 30.0% by week of entry"
    assert spec["encoding"]["x"]["axis"]["title"] == "Week of entry (UTC)"
    assert spec["encoding"]["y"]["axis"]["title"] == "Conversion (%)"
    assert {"Customers who entered (n)", "Converted", "Conversion"} <= _tooltip_titles(spec)


def test_the_time_to_convert_chart_states_the_median_and_keeps_bin_order():
    frame = pd.DataFrame({
        "bin": ["under 1 min", "1 min - 5 min", "5 min - 1 d"],
        "bin_start_seconds": [0, 60, 300], "bin_end_seconds": [60, 300, 86400],
        "customers": [5, 3, 2], "share": [0.5, 0.3, 0.2], "converted": 10, "median_seconds": 59.0,
    })
    spec = time_to_convert_chart(frame).to_dict()
    assert spec["title"]["text"] == "Median time from first to last step: 59 s (10 converted customers)"
    assert spec["encoding"]["x"]["sort"] == ["under 1 min", "1 min - 5 min", "5 min - 1 d"]
    assert spec["encoding"]["x"]["axis"]["title"] == "Time from first to last step"
    assert spec["encoding"]["y"]["axis"]["title"] == "Customers (count)"
    assert {"Customers", "Share of converted customers", "Converted customers (n)"} <= _tooltip_titles(spec)


def test_the_charts_draw_what_the_funnel_computes():
    from cjm import engine
    from cjm.data.dataset import Dataset
    from cjm.journey.funnel import (FunnelParams, compute_conversion_over_time, compute_funnel,
                            compute_time_to_convert)
    from tests.helpers import event_frame

    rows = [
        ("a", "2024-01-01T00:00:00Z", "view"), ("a", "2024-01-01T02:05:00Z", "purchase"),
        ("b", "2024-01-02T00:00:00Z", "view"),
    ]
    table = Dataset.from_events(engine.register(event_frame(rows), name="funnel_chart_test_events"))
    p = FunnelParams(steps=("view", "purchase"), step_kind="event")
    assert funnel_chart(compute_funnel(table, params=p)).to_dict()["title"]["text"] == (
        "50.0% of customers who entered reached purchase (1 of 2)")  # a of a and b
    over_time = conversion_over_time_chart(compute_conversion_over_time(table, params=p), last_step="purchase")
    assert over_time.to_dict()["title"]["text"] == (
        "Share of customers reaching purchase was 50.0% in every week of entry")
    histogram = time_to_convert_chart(compute_time_to_convert(table, params=p)).to_dict()
    assert histogram["title"]["text"] == "Median time from first to last step: 2 h 05 min (1 converted customers)"
