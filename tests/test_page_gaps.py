"""Gaps page (AppTest): the costliest switches in plain words, the way-forward explanation, missing columns."""

from __future__ import annotations

from tests.test_page_journeys import app, no_problem, specs

PAGE = "app_pages/gaps.py"


def bullets(at) -> str:
    return "\n".join(m.value for m in at.markdown if m.value.startswith("- **"))


def test_the_gaps_page_opens_on_the_demo_data_with_the_costliest_device_switches_first():
    at = app(PAGE)
    no_problem(at)
    assert at.radio(key="cjm.gaps.dimension").value == "device"
    lines = bullets(at).splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("- **mobile → desktop**")
    assert "converted 27.1 points less than those who stayed" in lines[0]
    titles = [s["title"]["text"] for s in specs(at)]
    assert titles[0].startswith("Customers who moved from mobile to desktop converted 27.1 points less")
    assert "the most of any stage" in titles[1]


def test_channel_gaps_rank_the_switches_that_cost_customers():
    at = app(PAGE)
    at.radio(key="cjm.gaps.dimension").set_value("channel").run()
    no_problem(at)
    assert bullets(at).startswith("- **email → phone**")
    assert at.session_state["cjm.spec"].pages["gaps"]["dimension"] == "channel"


def test_department_switches_explain_why_without_a_switch_reads_zero():
    at = app(PAGE)
    at.radio(key="cjm.gaps.dimension").set_value("department").run()
    no_problem(at)
    assert bullets(at) == ""  # no department switch costs customers on the demo data
    assert any("No department switch is followed by fewer customers" in s.value for s in at.success)
    note = next(i.value for i in at.info if "way forward" in i.value)
    assert note.startswith("At awareness and retention, no customer who kept the same department moved on")
    assert "0.0%" in note


def test_a_higher_minimum_lists_fewer_switch_types():
    at = app(PAGE)
    assert len(bullets(at).splitlines()) == 3
    at.number_input(key="cjm.gaps.min_customers").set_value(40).run()
    no_problem(at)
    assert len(bullets(at).splitlines()) == 2  # only mobile → desktop (231) and tablet → desktop (51) remain
    at.number_input(key="cjm.gaps.min_customers").set_value(1000).run()
    assert any("by at least 1,000 customers" in i.value for i in at.info)
    assert specs(at) == []


def test_a_dimension_without_a_column_names_the_column_and_links_to_the_data_page():
    log = (b"customer_id,timestamp,event,channel\n1,2024-01-01,page_view,web\n1,2024-01-02,purchase,email\n"
           b"2,2024-01-01,page_view,web\n")
    at = app(PAGE, files={"web.csv": log})
    no_problem(at)
    assert at.radio(key="cjm.gaps.dimension").value == "channel"  # the first dimension the data has
    at.radio(key="cjm.gaps.dimension").set_value("department").run()
    no_problem(at)
    assert any("no department column" in i.value and "**department**" in i.value for i in at.info)
    assert specs(at) == []


def test_data_without_any_switch_dimension_is_explained_once():
    log = b"customer_id,timestamp,event\n1,2024-01-01,page_view\n1,2024-01-02,purchase\n"
    at = app(PAGE, files={"plain.csv": log})
    no_problem(at)
    assert any("none of those columns" in i.value for i in at.info)
    assert all(r.key != "cjm.gaps.dimension" for r in at.radio)  # nothing to choose from


def test_data_where_nobody_switches_does_not_suggest_lowering_the_minimum():
    # olist leads: the channel is on the first contact only, so no customer ever switches; the page said
    # "… by at least 5 customers. Lower the minimum …", and lowering it found nothing.
    rows = ["customer_id,timestamp,event,channel"] + [
        f"L{i},2024-01-{1 + i % 20:02d},first_contact,{['social', 'email'][i % 2]}" for i in range(30)] + [
        f"L{i},2024-02-{1 + i % 20:02d},won," for i in range(0, 30, 3)]
    at = app(PAGE, files={"leads.csv": ("\n".join(rows) + "\n").encode()})
    no_problem(at)
    assert at.radio(key="cjm.gaps.dimension").value == "channel"
    message = next(i.value for i in at.info if i.value.startswith("No customer switched channel"))
    assert message == ("No customer switched channel between two consecutive events. Every customer stays on "
                       "one channel: there is no gap to measure.")
