"""The Follow-up page on the demo data (streamlit AppTest): closed loop, departments, at-risk customers."""

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cjm.data.dataset import parse_files
from cjm.spec import DashboardSpec
from cjm.ui.data import demo_sources

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "app_pages/followup.py"
KEY = "cjm.followup."


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(PAGE)
    at.run()
    return at


def chart_titles(at) -> list[str]:
    specs = [json.loads(c.proto.spec) for c in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")]
    return [s.get("title", {}).get("text", "") for s in specs]


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_follow_up_page_runs_on_the_demo_data_without_an_error(page):
    assert not page.exception, page.exception
    assert not page.error, [e.value for e in page.error]
    assert page.title[0].value == "Follow-up"


def test_the_closed_loop_lists_the_unhappy_customers_with_their_value(page):
    assert int(tiles(page)["Unhappy customers to call back"].replace(",", "")) > 100
    assert any(re.match(r"[\d,]+ unhappy customers to call back; most valuable: C\d+", t) for t in chart_titles(page))
    assert any(re.match(r"\w+ owns the most follow-ups \([\d,]+ customers\)", t) for t in chart_titles(page))


def test_keeping_only_recent_feedback_shortens_the_call_back_list(page):
    everyone = int(tiles(page)["Unhappy customers to call back"].replace(",", ""))
    page.selectbox(key=KEY + "within_days").set_value(30).run()
    recent = int(tiles(page)["Unhappy customers to call back"].replace(",", ""))
    assert 0 < recent < everyone
    assert float(tiles(page)["Median days since their feedback"]) <= 30
    page.selectbox(key=KEY + "within_days").set_value(None).run()
    assert int(tiles(page)["Unhappy customers to call back"].replace(",", "")) == everyone


def test_the_page_shows_the_churn_model_and_its_cross_validated_auc_on_the_demo_data(page):
    method = next(m.value for m in page.markdown if m.value.startswith("**Model:"))
    auc = float(re.search(r"\*\*How well it tells who leaves: (0\.\d\d)\*\*", method).group(1))
    assert 0.7 < auc < 1.0
    assert "churned" in method


def test_the_most_at_risk_customers_come_with_their_reasons_and_a_link_to_their_page(page):
    reasons = next(m.value for m in page.markdown if m.value.startswith("- [C"))
    first = reasons.splitlines()[0]
    assert re.match(r"- \[C\d+\]\(customer\?customer=C\d+\) · risk \d+%: \S", first)
    assert any(t.startswith(tiles(page)["Customers at risk"]) and "customers at risk" in t for t in chart_titles(page))


def test_choosing_the_rules_lists_them_and_says_why(page):
    page.radio(key=KEY + "method").set_value("rules").run()
    assert not page.exception and not page.error
    sentence = next(m.value for m in page.markdown if m.value.startswith("**Risk is scored by transparent rules**"))
    assert "the rules were chosen" in sentence
    assert any(t.endswith("risk at or above 50%)") for t in chart_titles(page))
    page.radio(key=KEY + "method").set_value("auto").run()
    assert any(m.value.startswith("**Model:") for m in page.markdown)


def test_raising_the_threshold_puts_fewer_customers_at_risk(page):
    before = int(tiles(page)["Customers at risk"].replace(",", ""))
    page.slider(key=KEY + "threshold").set_value(0.8).run()
    after = int(tiles(page)["Customers at risk"].replace(",", ""))
    assert after < before
    page.slider(key=KEY + "threshold").set_value(0.5).run()


def test_without_feedback_the_closed_loop_says_which_column_is_missing_and_risk_still_runs():
    parsed = parse_files(demo_sources())
    mappings = {f.name: replace(f.mapping, columns={k: v for k, v in f.mapping.columns.items()
                                                    if k not in ("score", "text")})
                for f in parsed.files}
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["cjm.spec"] = DashboardSpec(mappings=mappings)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception and not at.error
    assert any("The closed loop needs feedback" in i.value and "**score or text**" in i.value for i in at.info)
    assert "Unhappy customers to call back" not in tiles(at)
    assert any(m.value.startswith("**Model:** risk learnt from") for m in at.markdown)


def test_without_a_department_column_the_page_says_follow_ups_are_unassigned_instead_of_one_bar():
    # airline_tweets.csv: one bar "unassigned owns the most follow-ups (2,458 customers)" told nothing.
    from tests.apptest import open_app

    bad = ["Terrible service, my flight was cancelled and nobody helped", "Awful, lost my bag again"]
    rows = ["customer_id,timestamp,event,comment"] + [
        f"C{i},2024-03-{1 + i % 20:02d} 10:00:00,feedback,\"{bad[i % 2]} ({i})\"" for i in range(12)]
    at = open_app(PAGE, files={"tweets.csv": ("\n".join(rows) + "\n").encode()})
    assert not at.exception, at.exception
    assert int(tiles(at)["Unhappy customers to call back"].replace(",", "")) == 12
    assert not any("owns the most follow-ups" in t for t in chart_titles(at))
    assert any(i.value.startswith("Every follow-up is unassigned (12 customers): the data has no department")
               for i in at.info)


def test_the_support_contacts_setting_explains_the_one_support_contact_rule(page):
    from cjm.data.contacts import RULE

    assert page.number_input(key=KEY + "support").help == RULE
