"""The Abandonment page on the demo data (streamlit AppTest), sharing the Funnel page's settings."""

import json
from dataclasses import replace
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cjm.spec import DashboardSpec
from tests.apptest import open_app

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "app_pages/abandonment.py"


def app(spec: DashboardSpec | None = None, page: str = PAGE) -> AppTest:
    return open_app(page, spec=spec)


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def tables(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def assert_clean(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_the_page_shows_drop_off_checkout_abandonment_groups_and_last_touchpoints_on_the_demo():
    at = app()
    assert_clean(at)
    steps = tables(at)[0]
    assert list(steps["Stopped before"]) == ["consideration", "conversion", "retention", "loyalty"]
    assert (steps["Abandoned"] + steps["Still in progress"] + steps["Reached this step"]
            == steps["Reached the step before"]).all()
    # the rate is of the customers whose window has closed, who are at most those who reached the step before
    base = steps["Window closed (the rate's base)"]
    assert (base <= steps["Reached the step before"]).all() and (steps["Abandoned"] <= base).all()
    assert ((steps["Abandonment rate"] - (steps["Abandoned"] / base * 100).round(1)).abs() < 1e-9).all()
    assert int(metrics(at)["Customers who abandoned"].replace(",", "")) == steps["Abandoned"].sum()
    titles = chart_titles(at)
    assert any("of checkouts are abandoned" in t and "70% online average" in t for t in titles)
    assert any(t.startswith("Most customers who abandoned at") for t in titles)
    groups = {t.columns[0]: set(t.iloc[:, 0]) for t in tables(at) if t.columns[0] in ("Channel", "Device")}
    assert groups == {"Channel": {"email", "search ads", "social"}, "Device": {"desktop", "mobile", "tablet"}}
    touchpoints = tables(at)[-1]
    assert list(touchpoints["Rank"]) == list(range(1, len(touchpoints) + 1))


def test_the_funnel_chosen_on_the_funnel_page_and_its_window_drive_the_abandonment_page():
    at = app(page="app_pages/funnel.py")
    at.radio(key="cjm.funnel.kind").set_value("event").run()
    at.switch_page(PAGE)
    at.run()
    assert_clean(at)
    week = tables(at)[0]
    assert list(week["Stopped before"]) == ["add_to_cart", "checkout_started", "purchase"]
    assert "Drop-off per journey stage" in [h.value for h in at.subheader]

    at.number_input(key="cjm.funnel.window_value").set_value(1).run()
    assert_clean(at)
    day = tables(at)[0]
    assert day["Still in progress"].sum() < week["Still in progress"].sum()
    assert day["Abandoned"].sum() > week["Abandoned"].sum()
    assert at.session_state["cjm.spec"].pages["funnel"]["window_seconds"] == 86400

    choice = at.selectbox(key="cjm.abandonment.step")
    other = 3 if choice.value != 3 else 2
    choice.set_value(other).run()
    assert_clean(at)
    name = list(day["Stopped before"])[other - 2]
    assert any(f"abandoned at {name} last did" in t for t in chart_titles(at))


def test_without_checkout_events_the_page_says_which_events_would_enable_checkout_abandonment():
    from cjm.data.dataset import parse_files
    from cjm.ui.data import demo_sources

    events_file = parse_files(demo_sources()).files[0]
    mapping = events_file.mapping
    mapping.columns["event"] = mapping.columns.pop("department")  # an export whose events are departments
    at = app(replace(DashboardSpec(), mappings={events_file.name: mapping}))
    assert_clean(at)
    notes = " ".join(i.value for i in at.info)
    assert "checkout" in notes and "70%" in notes
    assert not any("checkouts are abandoned" in t for t in chart_titles(at))
    at.selectbox(key="cjm.abandonment.checkout_event").set_value("sales").run()
    at.selectbox(key="cjm.abandonment.purchase_event").set_value("billing").run()
    assert_clean(at)
    assert any("of checkouts are abandoned" in t for t in chart_titles(at))
    assert at.session_state["cjm.spec"].pages["abandonment"] == {"checkout_event": "sales", "purchase_event": "billing"}


def test_under_a_date_filter_that_cuts_the_demo_the_page_says_windows_are_open_at_the_end_of_the_chosen_range():
    # The demo runs 1 May 2025 - 30 Apr 2026; a range ending 31 Jan 2026 cuts it, so a window still open on 1 Feb
    # 00:00 is open "at the end of the chosen range (31 Jan 2026)", in the caption, the tile's help, the chart's
    # subtitle and the checkout sentence (when it names windows still open); without the filter, "the end of the data".
    words = "at the end of the chosen range (31 Jan 2026)"
    at = open_app(PAGE, query={"end": "2026-01-31"})
    assert_clean(at)
    assert any(words in c.value for c in at.caption)
    assert any(words in (m.help or "") for m in at.metric if m.label == "Still in progress")
    subtitles = [json.loads(c.proto.spec)["title"].get("subtitle", "") for c in at.get("vega_lite_chart")]
    assert any(words in str(s) for s in subtitles)
    checkout = [m.value for m in at.markdown if "checkout window" in m.value]  # some windows still open on 1 Feb
    assert checkout and all(words in m for m in checkout)
    plain = app()
    assert any("at the end of the data are *in progress*" in c.value for c in plain.caption)
