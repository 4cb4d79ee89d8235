"""Chart specs of the KPI, abandonment and comparison charts, checked through chart.to_dict()."""

import json

import pandas as pd
import pytest

from cjm.present.charts.abandonment import (
    CART_BENCHMARK_LABEL,
    abandonment_chart,
    checkout_abandonment_chart,
    last_touchpoints_chart,
)
from cjm.present.charts.experiments import period_comparison_chart, variant_funnel_chart
from cjm.present.charts.kpis import kpi_change_chart, kpi_tiles_chart

ABANDONMENT = pd.DataFrame({
    "step": ["cart", "buy"], "step_number": [2, 3], "reached_previous": [5, 2], "reached": [2, 1],
    "abandoned": [2, 1], "in_progress": [1, 0], "closed": [4, 2], "abandonment_rate": [0.5, 0.5],
})
# 6 started: 1 in progress, 5 with a closed window (2 abandoned, 3 bought): 2 / 5
CHECKOUT = {"started": 6, "abandoned": 2, "in_progress": 1, "purchased": 3, "closed": 5, "rate": 0.4}
LAST = pd.DataFrame({"rank": [1, 2], "event": ["faq", "view"], "stage": ["unmapped", "consideration"],
                     "customers": [2, 1], "share": [2 / 3, 1 / 3], "abandoners": [3, 3]})
KPIS = pd.DataFrame({
    "name": ["customers", "conversion_rate", "reviews"], "label": ["Customers", "Conversion rate", "Reviews received"],
    "value": [3.0, 1 / 3, float("nan")], "previous": [2.0, 0.5, float("nan")], "change": [1.0, -1 / 6, float("nan")],
    "unit": ["count", "share", "count"], "available": [True, True, False],
    "needs": [None, None, "review_written events"], "display": ["3", "33.3%", "—"],
    "change_display": ["+1", "-16.7 pts", ""],
})
VARIANTS = pd.DataFrame({
    "variant": ["A", "A", "B", "B"], "is_control": [True, True, False, False], "step": ["view", "buy"] * 2,
    "step_number": [1, 2, 1, 2], "entered": [100] * 4, "customers": [100, 30, 100, 45],
    "conversion_from_first": [1.0, 0.3, 1.0, 0.45], "conversion_low": [0.963, 0.219, 0.963, 0.356],
    "conversion_high": [1.0, 0.396, 1.0, 0.548], "difference_points": [None, None, None, 15.0],
    "difference_low_points": [None, None, None, 1.6], "difference_high_points": [None, None, None, 27.7],
    "p_value": [None, None, None, 0.028], "significant": [False, False, False, True],
    "verdict": [None, None, None, "B converts 15.0 points better than A at buy (p=0.028)"],
    "warning": [None, None, None, None],
})
PERIODS = pd.DataFrame({
    "step": ["view", "buy"], "step_number": [1, 2], "customers_previous": [100, 30], "customers_current": [100, 45],
    "conversion_previous": [1.0, 0.3], "conversion_current": [1.0, 0.45], "change_points": [0.0, 15.0],
    "p_value": [None, 0.028], "significant": [False, True],
    "previous_start": pd.Timestamp("2023-04-02", tz="UTC"), "previous_end": pd.Timestamp("2023-10-02", tz="UTC"),
    "current_start": pd.Timestamp("2023-10-02", tz="UTC"), "current_end": pd.Timestamp("2024-04-02", tz="UTC"),
})


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def tooltip_titles(spec: dict) -> set[str]:
    titles = set()
    for layer in layers(spec):
        for tip in layer.get("encoding", {}).get("tooltip", []):
            titles.add(tip.get("title"))
    return titles


def tooltip_formats(spec: dict) -> dict[str, str]:
    return {tip["title"]: tip.get("format") for layer in layers(spec)
            for tip in layer.get("encoding", {}).get("tooltip", [])}


def test_the_checkout_chart_draws_the_70_percent_reference_line_with_its_label():
    spec = checkout_abandonment_chart(CHECKOUT).to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["bar", "rule", "text"]
    rule_data = spec["datasets"][spec["layer"][1]["data"]["name"]]
    assert rule_data == [{"rate": 0.7, "label": CART_BENCHMARK_LABEL}]
    assert CART_BENCHMARK_LABEL == "≈70% average online cart abandonment"
    assert spec["layer"][2]["encoding"]["text"]["field"] == "label"


def test_the_checkout_chart_states_the_finding_and_the_sample_size():
    spec = checkout_abandonment_chart(CHECKOUT).to_dict()
    assert spec["title"]["text"] == "40.0% of checkouts are abandoned (below the ≈70% online average)"
    assert "6 customers started checkout" in spec["title"]["subtitle"]
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Checkout abandonment rate (%)"
    formats = tooltip_formats(spec)
    assert formats["Abandonment rate"] == ".1%"
    assert {"Started checkout", "Still in progress", "Abandoned"} <= set(formats)


def test_the_checkout_chart_says_so_when_every_window_is_still_open():
    spec = checkout_abandonment_chart({"started": 2, "abandoned": 0, "in_progress": 2, "purchased": 0, "closed": 0,
                                       "rate": None}).to_dict()
    assert "still open" in spec["title"]["text"]


def test_the_abandonment_chart_stacks_abandoned_and_in_progress_per_step_under_a_finding_title():
    spec = abandonment_chart(ABANDONMENT).to_dict()
    # cart: 2 abandoned of the 4 whose window has closed (2 reached it + 2 abandoned; the 1 in progress is out)
    assert spec["title"]["text"] == "50.0% of customers abandon before cart (2 of 4 whose window has closed)"
    assert spec["transform"][0]["fold"] == ["Abandoned", "In progress"]
    assert spec["encoding"]["y"]["sort"] == ["cart", "buy"]
    assert spec["encoding"]["x"]["title"] == "Customers"
    assert {"Abandonment rate", "Reached the step before", "Customers"} <= tooltip_titles(spec)
    assert tooltip_formats(spec)["Abandonment rate"] == ".1%"


def test_the_last_touchpoint_chart_ranks_events_and_shows_shares_and_sample_size():
    spec = last_touchpoints_chart(LAST, step="cart").to_dict()
    assert spec["title"]["text"] == "Most customers who abandoned at cart last did 'faq' (66.7%)"
    assert "3 customers who abandoned at cart" in spec["title"]["subtitle"]
    assert spec["encoding"]["y"]["sort"] == ["faq", "view"]
    assert tooltip_formats(spec)["Share of abandoners"] == ".1%"
    assert "Customers who abandoned here" in tooltip_titles(spec)


def test_the_kpi_tiles_show_unavailable_kpis_with_what_they_need():
    spec = kpi_tiles_chart(KPIS).to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    reviews = next(r for r in rows if r["name"] == "reviews")
    assert reviews["shown"] == "not available" and reviews["note"] == "needs review_written events"
    assert spec["title"]["text"] == "Journey KPIs"
    assert "2 of 3 KPIs available" in spec["title"]["subtitle"]
    assert {"KPI", "Value", "Change vs previous period"} <= tooltip_titles(spec)


def test_the_kpi_change_chart_leaves_out_unavailable_kpis_and_has_a_percent_axis():
    spec = kpi_change_chart(KPIS).to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert [r["name"] for r in rows] == ["customers", "conversion_rate"]
    assert spec["encoding"]["x"]["axis"]["format"] == "%"
    assert spec["encoding"]["x"]["title"] == "Change against the previous period (%)"
    assert tooltip_formats(spec)["Relative change"] == "+.1%"


def test_the_variant_chart_has_bars_with_interval_error_bars_and_the_verdict_as_title():
    spec = variant_funnel_chart(VARIANTS).to_dict()
    assert spec["title"]["text"] == "B converts 15.0 points better than A at buy (p=0.028)"
    bar, errors = spec["layer"]
    assert bar["mark"]["type"] == "bar"
    assert errors["mark"]["type"] == "errorbar"
    assert errors["encoding"]["y"]["field"] == "conversion_low"
    assert errors["encoding"]["y2"]["field"] == "conversion_high"
    formats = tooltip_formats(spec)
    assert formats["Conversion from step 1"] == ".1%"
    assert {"Customers at entry", "p-value", "95% interval, low"} <= set(formats)


def test_the_variant_chart_puts_the_small_sample_warning_in_its_subtitle():
    warned = VARIANTS.assign(warning=[None, None, None, "Too few customers to tell: ..."])
    assert variant_funnel_chart(warned).to_dict()["title"]["subtitle"].startswith("Too few customers to tell")


def test_the_variant_chart_names_the_control_when_no_arm_can_be_compared_with_it():
    # B has nobody at entry (entered 0): no verdict, so the title alone says which arm the bars are compared with
    nobody = VARIANTS.assign(verdict=None, entered=[100, 100, 0, 0], customers=[100, 30, 0, 0])
    assert variant_funnel_chart(nobody).to_dict()["title"]["text"] == "Conversion by variant, against A (control)"


def test_the_period_chart_shows_both_periods_side_by_side_and_names_them():
    spec = period_comparison_chart(PERIODS).to_dict()
    assert spec["title"]["text"] == "Conversion to buy rose 15.0 points (p=0.028)"
    assert "2023-04-02 to 2023-10-01" in spec["title"]["subtitle"]
    assert "2023-10-02 to 2024-04-01" in spec["title"]["subtitle"]
    assert spec["transform"][0]["fold"] == ["Previous period", "Current period"]
    assert spec["encoding"]["xOffset"]["field"] == "period"
    assert spec["encoding"]["y"]["title"] == "Conversion from step 1 (%)"
    assert {"Customers", "p-value", "Change (points)"} <= tooltip_titles(spec)
    json.dumps(spec)


def test_the_period_chart_says_when_nothing_changed_significantly():
    same = PERIODS.assign(significant=False)
    assert period_comparison_chart(same).to_dict()["title"]["text"] == (
        "No significant change in conversion between the two periods"
    )


@pytest.mark.parametrize("chart", [
    lambda: abandonment_chart(ABANDONMENT.iloc[:0]),
    lambda: last_touchpoints_chart(LAST.iloc[:0]),
    lambda: kpi_change_chart(KPIS.iloc[:0]),
])
def test_charts_of_empty_results_still_render_with_a_title(chart):
    assert chart().to_dict()["title"]["text"]


def test_the_checkout_chart_tooltip_gives_the_rate_parts_the_sentence_gives():
    # 10 started: 1 in progress, 7 with a closed window (2 abandoned, 5 bought), 2 bought inside a window still
    # open (in neither count). Purchased reads 5, as the page's sentence does, not all 7 buyers; the 2 are named
    result = {"started": 10, "abandoned": 2, "in_progress": 1, "purchased": 7, "closed": 7, "rate": 2 / 7}
    spec = checkout_abandonment_chart(result).to_dict()
    row = spec["datasets"][spec["layer"][0]["data"]["name"]][0]
    assert (row["abandoned"], row["purchased"], row["decided"], row["in_progress"], row["bought_open"]) == (2, 5, 7, 1, 2)
    assert "Bought, window still open (not counted)" in tooltip_formats(spec)
