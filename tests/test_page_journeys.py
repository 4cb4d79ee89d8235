"""Journeys page (AppTest): variants, coverage, the flow and its controls, several journeys side by side."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.helpers import real_file
from tests.apptest import open_app

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "app_pages/journeys.py"


def app(page: str = PAGE, *, files: dict[str, bytes] | None = None, query: dict | None = None) -> AppTest:
    """The app on `page`, on the demo data or on uploaded `files` ({name: bytes})."""
    return open_app(page, files=files, query=query)


def specs(at) -> list[dict]:
    charts = at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")
    return [json.loads(c.proto.spec) for c in charts]


def flow(at) -> dict:
    """The main flow diagram's spec (its subtitle mentions the ribbons)."""
    return next(s for s in specs(at) if "ribbon width" in s["title"].get("subtitle", ""))


def steps_on_axis(spec: dict) -> list[int]:
    return spec["layer"][0]["encoding"]["x"]["axis"]["values"]


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def no_problem(at) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_the_journeys_page_opens_on_the_demo_data_with_coverage_variants_flow_and_heat_map():
    at = app()
    no_problem(at)
    shown = metrics(at)
    assert shown["Customers"] == "3,000"
    assert int(shown["Variants covering 80%"]) <= int(shown["Variants covering 95%"]) <= int(
        shown["Variants covering 99%"]) <= int(shown["Journey variants"].replace(",", ""))
    titles = [s["title"]["text"] for s in specs(at)]
    assert any(t.startswith("The 20 most common journeys cover") for t in titles)
    assert flow(at)["title"]["text"].endswith("of customers go from awareness to consideration")
    assert any("go next to" in t for t in titles)  # the transition heat map


def test_the_default_view_compares_the_three_largest_first_channels_side_by_side():
    at = app()
    side = [s for s in specs(at) if s["title"]["text"].split(":")[0] in {"search ads", "social", "web", "email",
                                                                         "mobile app"}]
    assert len(side) == 3
    assert [int(s["title"]["text"].split(": ")[1].split()[0].replace(",", "")) for s in side] == sorted(
        [int(s["title"]["text"].split(": ")[1].split()[0].replace(",", "")) for s in side], reverse=True)


def test_fewer_steps_shorten_the_flow():
    at = app()
    assert steps_on_axis(flow(at)) == [1, 2, 3, 4, 5, 6]
    at.slider(key="cjm.journeys.max_steps").set_value(3).run()
    no_problem(at)
    assert steps_on_axis(flow(at)) == [1, 2, 3]


def test_a_higher_minimum_share_hides_thin_flows():
    at = app()
    before = flow(at)
    at.slider(key="cjm.journeys.min_share").set_value(10.0).run()
    no_problem(at)
    after = flow(at)
    assert len(steps_on_axis(after)) < len(steps_on_axis(before))
    assert at.session_state["cjm.spec"].pages["journeys"]["min_edge_share"] == 0.1


def test_event_level_journeys_use_touchpoint_names():
    at = app()
    stage_variants = metrics(at)["Journey variants"]
    at.radio(key="cjm.journeys.level").set_value("event").run()
    no_problem(at)
    assert metrics(at)["Journey variants"] != stage_variants
    assert flow(at)["title"]["text"].endswith("from social_view to page_view")


def test_journeys_can_start_at_a_chosen_touchpoint():
    at = app()
    at.radio(key="cjm.journeys.level").set_value("event").run()
    everyone = metrics(at)["Customers"]
    at.selectbox(key="cjm.journeys.start_at.event").set_value("add_to_cart").run()
    no_problem(at)
    assert int(metrics(at)["Customers"].replace(",", "")) < int(everyone.replace(",", ""))
    assert flow(at)["title"]["text"].endswith("from add_to_cart to checkout_started")


def test_the_flow_of_one_group_can_be_shown_and_the_split_changes_with_its_column():
    at = app()
    at.selectbox(key="cjm.journeys.group").set_value("email").run()
    no_problem(at)
    assert "in email" in flow(at)["title"]["subtitle"]
    at.selectbox(key="cjm.journeys.split_by").set_value("device").run()
    no_problem(at)
    assert at.selectbox(key="cjm.journeys.group").value == ""  # back to all customers
    titles = [s["title"]["text"] for s in specs(at)]
    assert {t.split(":")[0] for t in titles if ": " in t} == {"mobile", "desktop", "tablet"}


def test_without_a_split_the_page_says_how_to_compare_journeys():
    at = app()
    at.selectbox(key="cjm.journeys.split_by").set_value("").run()
    no_problem(at)
    assert any("compare their journeys side by side" in i.value for i in at.info)


def test_a_log_where_everyone_has_the_same_one_step_journey_is_explained_not_drawn():
    log = b"customer_id,timestamp,event\n1,2024-01-01,purchase\n1,2024-01-05,purchase\n2,2024-01-02,purchase\n"
    at = app(files={"orders.csv": log})
    no_problem(at)
    assert any("same one-step journey" in i.value for i in at.info)
    assert specs(at) == []


def test_real_single_event_exports_are_explained_not_drawn():
    at = app(files={"cdnow_master.txt": real_file("cdnow_master.txt").read_bytes()})
    no_problem(at)
    assert any('same one-step journey: "conversion"' in i.value for i in at.info)
    assert specs(at) == []
