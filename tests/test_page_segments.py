"""The Segments page on the demo data (streamlit AppTest): find segments on request, tune k, tabs, export,
and the segment column every other page can use."""

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cjm.data.dataset import parse_files
from cjm.spec import DashboardSpec
from cjm.ui.data import demo_sources
from cjm.ui.segments import _algorithms
from tests.apptest import open_app

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "app_pages/segments.py"
KEY = "cjm.segments."
TABS = ["Segments", "Profiles", "Map", "Funnel", "Quality", "RFM", "Export"]


def app(spec: DashboardSpec | None = None, page: str = PAGE) -> AppTest:
    return open_app(page, spec=spec)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def sizes(at: AppTest) -> dict[str, int]:
    """Segment name -> customers, from the headline line "k segments: **name**: 1,234 customers (…) · …"."""
    line = next(m.value for m in at.markdown if re.match(r"\d+ segments: ", m.value))
    return {name: int(n.replace(",", "")) for name, n in re.findall(r"\*\*(.+?)\*\*: ([\d,]+) customers", line)}


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]


def open_tab(at: AppTest, tab: str) -> AppTest:
    at.session_state[KEY + "tab"] = tab
    return at.run()


@pytest.fixture(scope="module")
def found() -> AppTest:
    at = app()
    at.button(key=KEY + "find").click().run()
    return at


def test_before_anything_is_asked_the_page_explains_segments_and_offers_the_button():
    at = app()
    assert_clean(at)
    assert "3,000 customers" in at.info[0].value
    assert at.button(key=KEY + "find").label == "Find segments"
    assert not at.session_state["cjm.spec"].pages["segments"]["applied"]
    assert "Segment" not in [m.label for m in at.sidebar.multiselect]  # nothing to filter by yet


def test_finding_segments_shows_their_sizes_quality_and_charts_on_the_demo_data(found):
    assert_clean(found)
    shown = sizes(found)
    assert len(shown) >= 2 and sum(shown.values()) == 3000
    metrics = {m.label: m.value for m in found.metric}
    assert metrics["Customers"] == "3,000" and int(metrics["Segments (k)"]) == len(shown)
    assert -1 <= float(metrics["Silhouette"]) <= 1 and 0 <= float(metrics["Stability (ARI)"]) <= 1
    titles = chart_titles(found)
    assert any("is the largest segment" in t for t in titles)
    assert any(t.endswith("x the average customer") for t in titles)  # value per segment
    assert any("separates customers best" in t for t in titles)  # silhouette per k
    saved = found.session_state["cjm.spec"].pages["segments"]
    assert saved["applied"] is True and saved["k"] is None and saved["k_range"] == [2, 8]


def test_a_browsing_segment_is_not_called_at_risk_on_the_feedback_of_a_handful(found):
    names = list(sizes(found))
    assert not any("at-risk" in name.lower() and "browsers" in name.lower() for name in names)


def test_changing_k_by_its_widget_changes_the_segment_sizes_and_the_saved_settings(found):
    before = sizes(found)
    found.radio(key=KEY + "k_mode").set_value("fixed").run()
    found.number_input(key=KEY + "k").set_value(4).run()
    assert_clean(found)
    after = sizes(found)
    assert len(after) == 4 and sum(after.values()) == 3000 and after != before
    assert found.session_state["cjm.spec"].pages["segments"]["k"] == 4
    assert any("chosen by the analyst" in t for t in chart_titles(found))
    found.number_input(key=KEY + "k").set_value(3).run()
    assert len(sizes(found)) == 3


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_runs_without_an_error(found, tab):
    open_tab(found, tab)
    assert_clean(found)
    quality = any(m.value.startswith("**Stability**") for m in found.markdown)
    assert found.get("vega_lite_chart") or found.get("download_button") or quality


def test_the_profiles_tab_states_what_sets_each_segment_apart(found):
    open_tab(found, "Profiles")
    assert any("stands out most" in t for t in chart_titles(found))
    labels = [b.label for b in found.get("download_button")]
    assert "Download segment profiles (CSV)" in labels


def test_the_funnel_tab_compares_a_segment_funnel_with_everyone(found):
    open_tab(found, "Funnel")
    name = found.selectbox(key=KEY + "funnel_segment").options[0]
    assert any(re.search(rf"% of {re.escape(name)} who entered reached \w+, against [\d.]+% of all customers", t)
               for t in chart_titles(found)), chart_titles(found)


def test_the_membership_csv_is_offered_for_campaigns(found):
    open_tab(found, "Export")
    labels = [b.label for b in found.get("download_button")]
    assert "Download segment membership (CSV)" in labels
    table = found.dataframe[0].value
    assert list(table.columns) == ["customer_id", "segment", "persona"] and len(table) == 3000


def test_the_rfm_tab_scores_customers_into_the_standard_named_groups(found):
    open_tab(found, "RFM")
    assert any("Champions" in t for t in chart_titles(found))


def test_after_finding_segments_the_sidebar_and_the_funnel_breakdown_offer_segment(found):
    open_tab(found, "Segments")
    names = set(sizes(found))
    segment_filter = found.sidebar.multiselect(key="cjm.filter.segments")
    assert set(segment_filter.options) == names
    found.switch_page("app_pages/funnel.py").run()
    found.session_state["cjm.funnel.tab"] = "Breakdown"
    found.run()
    breakdown = found.selectbox(key="cjm.funnel.breakdown")
    assert "segment" in breakdown.options
    breakdown.set_value("segment").run()
    assert_clean(found)
    assert any(name in t for name in names for t in chart_titles(found))
    high_value = next(name for name in names if name.startswith("High-value"))
    found.sidebar.multiselect(key="cjm.filter.segments").set_value([high_value]).run()
    assert_clean(found)
    assert found.session_state["cjm.spec"].filters.segments == (high_value,)
    found.sidebar.multiselect(key="cjm.filter.segments").set_value([]).run()
    found.switch_page(PAGE).run()


def test_a_saved_dashboard_with_segments_applied_joins_them_on_any_page():
    probe = AppTest.from_file(APP, default_timeout=180)
    probe.run()
    spec = probe.session_state["cjm.spec"]
    spec = replace(spec, pages={"segments": {"k": 3, "applied": True}})
    at = app(spec, page="app_pages/funnel.py")
    assert_clean(at)
    assert len(at.sidebar.multiselect(key="cjm.filter.segments").options) == 3


def test_agglomerative_clustering_is_offered_on_small_data_only():
    assert "agglomerative" in _algorithms(3000)
    assert _algorithms(50_000) == ["kmeans", "gmm"]


def test_without_revenue_the_value_per_segment_says_which_column_would_enable_it():
    probe = AppTest.from_file(APP, default_timeout=180)
    probe.run()
    spec = probe.session_state["cjm.spec"]
    parsed = parse_files(demo_sources())
    mappings = {f.name: replace(f.mapping, columns={k: v for k, v in f.mapping.columns.items() if k != "revenue"})
                for f in parsed.files}
    at = app(replace(spec, mappings=mappings, pages={"segments": {"k": 2, "applied": True}}))
    assert_clean(at)
    message = " ".join(i.value for i in at.info)
    assert "Value per segment" in message and "revenue" in message


def test_a_segment_filter_is_dropped_when_new_settings_rename_the_segments():
    at = app()
    at.button(key=KEY + "find").click().run()
    first = sorted(sizes(at))[0]
    at.sidebar.multiselect(key="cjm.filter.segments").set_value([first]).run()
    assert at.session_state["cjm.spec"].filters.segments == (first,)
    at.radio(key=KEY + "k_mode").set_value("fixed").run()
    at.number_input(key=KEY + "k").set_value(5).run()
    assert_clean(at)
    renamed = set(sizes(at))
    assert len(renamed) == 5
    assert set(at.session_state["cjm.spec"].filters.segments) <= renamed
    assert set(at.sidebar.multiselect(key="cjm.filter.segments").options) == renamed
