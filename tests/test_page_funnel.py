"""The Funnel page on the demo data (streamlit AppTest): default view, settings, tabs, A/B and periods."""

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cjm.spec import DashboardSpec
from cjm.ui.safe import md
from tests.apptest import open_app

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "app_pages/funnel.py"
DEMO_STAGES = ["awareness", "consideration", "conversion", "retention", "loyalty"]


def app(spec: DashboardSpec | None = None) -> AppTest:
    return open_app(PAGE, spec=spec)


def open_tab(at: AppTest, tab: str) -> AppTest:
    at.session_state["cjm.funnel.tab"] = tab
    return at.run()


def steps_table(at: AppTest):
    return at.dataframe[0].value


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_a_marketer_sees_the_stage_funnel_without_touching_anything():
    at = app()
    assert_clean(at)
    table = steps_table(at)
    assert list(table["Step"]) == DEMO_STAGES
    assert table["Customers"].is_monotonic_decreasing and table["Customers"].iloc[0] > 0
    assert table["From first step"].iloc[0] == 100.0
    assert {m.label.split(" (")[0] for m in at.metric} >= {"Customers who entered", "Reached loyalty"}
    assert re.search(r"of customers who entered reached loyalty \([\d,]+ of [\d,]+\)$", chart_titles(at)[0])
    saved = at.session_state["cjm.spec"].pages["funnel"]
    assert saved["steps"] == DEMO_STAGES and saved["window_seconds"] == 7 * 86400


def test_changing_steps_window_and_mode_changes_the_funnel_and_the_saved_spec():
    at = app()
    at.radio(key="cjm.funnel.kind").set_value("event").run()
    assert_clean(at)
    events = steps_table(at)
    assert list(events["Step"]) == ["page_view", "add_to_cart", "checkout_started", "purchase"]

    at.multiselect(key="cjm.funnel.steps").set_value(["add_to_cart", "checkout_started", "purchase"]).run()
    week = steps_table(at)
    assert list(week["Step"]) == ["add_to_cart", "checkout_started", "purchase"]

    at.number_input(key="cjm.funnel.window_value").set_value(1).run()
    at.selectbox(key="cjm.funnel.window_unit").set_value("hours").run()
    hour = steps_table(at)
    assert hour["Customers"].iloc[0] == week["Customers"].iloc[0]  # entry does not depend on the window
    assert hour["Customers"].iloc[-1] < week["Customers"].iloc[-1]

    at.selectbox(key="cjm.funnel.exclude_event").set_value("review_read").run()
    at.selectbox(key="cjm.funnel.exclude_to").set_value("3. purchase").run()
    excluded = steps_table(at)
    assert excluded["Customers"].iloc[0] < hour["Customers"].iloc[0]  # attempts with a review read are discarded

    at.radio(key="cjm.funnel.mode").set_value("any").run()
    assert_clean(at)
    assert list(steps_table(at)["Step"]) == ["1 step", "2 steps", "3 steps"]
    saved = at.session_state["cjm.spec"].pages["funnel"]
    assert saved["steps"] == ["add_to_cart", "checkout_started", "purchase"]
    assert (saved["step_kind"], saved["window_seconds"], saved["mode"]) == ("event", 3600, "any")
    assert (saved["exclude_event"], saved["exclude_between"]) == ("review_read", [0, 2])


def test_a_window_beyond_90_days_is_explained_not_computed():
    at = app()
    at.number_input(key="cjm.funnel.window_value").set_value(91).run()
    assert not at.exception
    assert any("90 days" in e.value for e in at.error)
    assert not at.get("vega_lite_chart")


def test_breakdown_over_time_and_who_dropped_tabs_follow_their_controls():
    at = app()
    open_tab(at, "Breakdown")
    assert_clean(at)
    assert set(at.dataframe[0].value["Group"]) == {"email", "search ads", "social"}
    at.selectbox(key="cjm.funnel.breakdown").set_value("device").run()
    assert set(at.dataframe[0].value["Group"]) == {"desktop", "mobile", "tablet"}
    assert at.session_state["cjm.spec"].pages["funnel"]["breakdown"] == "device"

    open_tab(at, "Over time")
    assert_clean(at)
    assert any(t.startswith("Median time from first to last step") for t in chart_titles(at))

    open_tab(at, "Who dropped")
    assert_clean(at)
    assert "After dropping" in markdown(at)
    next_events, customers = at.dataframe[0].value, at.dataframe[1].value
    assert len(customers) > 0 and customers["Customer"].is_unique
    assert next_events["Share of those who dropped"].between(0, 100).all()
    at.selectbox(key="cjm.funnel.dropped_step").set_value(2).run()
    assert set(at.dataframe[1].value["Last step reached"]) == {"awareness"}


def test_the_ab_tab_gives_a_plain_language_verdict_on_the_demo_checkout_test():
    at = app()
    at.radio(key="cjm.funnel.kind").set_value("event").run()
    at.multiselect(key="cjm.funnel.steps").set_value(["checkout_started", "purchase"]).run()
    open_tab(at, "A/B test")
    assert_clean(at)
    assert re.search(r"\*\*B converts \d+\.\d points better than A \(control\) at purchase \(p=0\.0\d+\)\.\*\*", markdown(at))
    variants = at.dataframe[0].value
    assert set(variants["Variant"]) == {"A", "B"}
    assert (variants["95% CI low"] <= variants["Conversion from step 1"]).all()


def test_the_period_comparison_renders_and_follows_the_chosen_dates():
    at = app()
    open_tab(at, "Period comparison")
    assert_clean(at)
    assert "changed significantly" in markdown(at)
    default = at.dataframe[0].value
    assert list(default["Step"]) == DEMO_STAGES
    previous = at.date_input(key="cjm.funnel.period_previous")
    start, end = previous.value
    previous.set_value((start, start.replace(month=start.month + 2))).run()
    assert_clean(at)
    narrow = at.dataframe[0].value
    assert narrow["Customers, previous"].iloc[0] < default["Customers, previous"].iloc[0]
    assert list(narrow["Customers, current"]) == list(default["Customers, current"])


def test_without_a_variant_column_the_ab_tab_explains_what_would_enable_it():
    from cjm.data.dataset import parse_files
    from cjm.ui.data import demo_sources

    events_file = parse_files(demo_sources()).files[0]
    mapping = events_file.mapping
    mapping.columns.pop("variant")
    at = app(replace(DashboardSpec(), mappings={events_file.name: mapping}))
    open_tab(at, "A/B test")
    assert_clean(at)
    assert any("variant" in i.value for i in at.info)
    assert not at.get("vega_lite_chart")


def test_on_the_real_rees46_export_the_proposed_funnel_is_view_cart_purchase_and_stages_are_one_click_away():
    from cjm.data.dataset import SourceFile
    from cjm.ui import data
    from tests.helpers import real_file

    ref = data.remember_upload(SourceFile.from_path(real_file("rees46_2019-Oct-sample.csv")))
    at = app(replace(DashboardSpec(), source="upload", files=[ref]))
    assert_clean(at)
    # view and cart are both consideration: the shop's three events give more steps than its two stages
    table = steps_table(at)
    assert list(table["Step"]) == ["view", "cart", "purchase"]
    assert list(table["Customers"]) == [330, 3, 2]
    at.radio(key="cjm.funnel.kind").set_value("stage").run()
    assert_clean(at)
    assert list(steps_table(at)["Step"]) == ["consideration", "conversion"]  # the only stages in 17 minutes of data
    open_tab(at, "A/B test")
    assert any("variant" in i.value for i in at.info)


def test_an_ab_arm_whose_customers_never_entered_is_listed_and_named_without_an_error():
    from cjm.data.dataset import SourceFile
    from cjm.ui import data

    rows = ["customer_id,timestamp,event,variant"]
    rows += [f"a{i},2024-01-0{1 + i % 5}T10:00:00,view,A" for i in range(6)]
    rows += [f"a{i},2024-01-0{1 + i % 5}T11:00:00,buy,A" for i in range(3)]
    rows += [f"b{i},2024-01-0{1 + i % 5}T10:00:00,view,B" for i in range(4)]
    rows += ["c1,2024-01-02T10:00:00,buy,C"]  # C's only customer bought without a view: nobody of C entered
    ref = data.remember_upload(SourceFile(name="ab.csv", data=("\n".join(rows) + "\n").encode()))
    at = app(replace(DashboardSpec(), source="upload", files=[ref]))
    at.radio(key="cjm.funnel.kind").set_value("event").run()
    open_tab(at, "A/B test")
    assert_clean(at)
    variants = at.dataframe[0].value
    assert set(variants["Variant"]) == {"A", "B", "C"}
    assert any("No customer of C entered the funnel" in w.value for w in at.warning)


def checkout_test_spec(**pages) -> DashboardSpec:
    """A hand export uploaded: 120 customers an arm view on 2 Jan; 30 of old_checkout and 50 of new_checkout
    purchase an hour later."""
    from cjm.data.dataset import SourceFile
    from cjm.ui import data

    rows = ["customer_id,timestamp,event,variant"]
    for arm, buyers in (("old_checkout", 30), ("new_checkout", 50)):
        for i in range(120):
            rows.append(f"{arm}-{i},2024-01-02T10:00:00,view,{arm}")
            if i < buyers:
                rows.append(f"{arm}-{i},2024-01-02T11:00:00,purchase,{arm}")
    ref = data.remember_upload(SourceFile(name="checkout_test.csv", data=("\n".join(rows) + "\n").encode()))
    return DashboardSpec(source="upload", files=[ref], pages=pages)


def checkout_ab_tab(spec: DashboardSpec) -> AppTest:
    at = app(spec)
    at.radio(key="cjm.funnel.kind").set_value("event").run()
    at.multiselect(key="cjm.funnel.steps").set_value(["view", "purchase"]).run()
    return open_tab(at, "A/B test")


# 25.0% (30 / 120) against 41.67% (50 / 120): 16.7 points apart; pooled 80 / 240, se 0.06086, z 2.739, p = 0.0062
# whichever arm is the control.
OLD_WORSE = "old_checkout converts 16.7 points worse than new_checkout (control) at purchase (p=0.0062)"
NEW_BETTER = "new_checkout converts 16.7 points better than old_checkout (control) at purchase (p=0.0062)"


def test_the_analyst_picks_the_control_arm_and_the_verdict_chart_and_saved_dashboard_follow():
    at = checkout_ab_tab(checkout_test_spec())
    assert_clean(at)
    picker = at.selectbox(key="cjm.funnel.control")
    assert picker.value == "new_checkout" and list(picker.options) == ["new_checkout", "old_checkout"]  # the default rule
    assert f"**{md(OLD_WORSE)}.**" in markdown(at) and OLD_WORSE in chart_titles(at)
    assert "ab_test" not in at.session_state["cjm.spec"].pages  # nothing picked, nothing saved
    assert "Difference vs new_checkout (control) (points)" in at.dataframe[0].value.columns

    picker.set_value("old_checkout").run()
    assert_clean(at)
    assert f"**{md(NEW_BETTER)}.**" in markdown(at) and NEW_BETTER in chart_titles(at)
    table = at.dataframe[0].value
    new = table[(table["Variant"] == "new_checkout") & (table["Step"] == "purchase")].iloc[0]
    assert new["Difference vs old_checkout (control) (points)"] == pytest.approx(16.7, abs=0.05)  # +16.67, named
    spec = at.session_state["cjm.spec"]
    assert spec.pages["ab_test"] == {"control": "old_checkout"}

    reopened = checkout_ab_tab(DashboardSpec.from_json(spec.to_json()))  # a saved dashboard or shared link
    assert_clean(reopened)
    assert reopened.selectbox(key="cjm.funnel.control").value == "old_checkout"
    assert f"**{md(NEW_BETTER)}.**" in markdown(reopened)


def test_a_saved_control_no_longer_in_the_data_is_reported_and_the_default_used_until_another_is_picked():
    at = checkout_ab_tab(checkout_test_spec(ab_test={"control": "A"}))
    assert_clean(at)
    from cjm.ui.funnel import missing_control_text

    said = missing_control_text("A", ["new_checkout", "old_checkout"], "new_checkout")
    assert "'A' is not an arm" in said and "(its arms: 'new_checkout', 'old_checkout')" in said
    assert "the default control 'new_checkout' is used" in said
    assert md(said) in [w.value for w in at.warning]
    assert f"**{md(OLD_WORSE)}.**" in markdown(at)  # the default control, new_checkout
    assert at.session_state["cjm.spec"].pages["ab_test"] == {"control": "A"}  # kept, not silently dropped
    at.run()
    assert md(said) in [w.value for w in at.sidebar.warning]  # the sidebar lists it with the other saved settings

    at.selectbox(key="cjm.funnel.control").set_value("old_checkout").run()
    assert_clean(at)
    assert not any("'A'" in w.value for w in at.warning)
    assert at.session_state["cjm.spec"].pages["ab_test"] == {"control": "old_checkout"}
    assert f"**{md(NEW_BETTER)}.**" in markdown(at)
