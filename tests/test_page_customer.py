"""Customer page (AppTest): arrive with ?customer=ID, search by part of an id, closest ids on a miss."""

from __future__ import annotations

from tests.test_page_journeys import app, metrics, no_problem, specs

PAGE = "app_pages/customer.py"


def shown(at) -> str:
    return at.selectbox(key="cjm.customer.pick").value


def test_without_an_id_the_page_shows_the_first_customer_with_their_story():
    at = app(PAGE)
    no_problem(at)
    assert shown(at) == "C000001"
    assert metrics(at) == {"Value to date": "95.23", "Events": "10", "Furthest stage": "retention", "Last rating": "2"}
    text = "\n".join(m.value for m in at.markdown)
    assert "**Channels used:** email, mobile app" in text
    assert "passed from sales to support" in text  # the last comment, quoted for the agent
    assert specs(at)[0]["title"]["text"] == "Customer C000001: 10 events over 7 days, furthest stage retention"
    assert at.query_params["customer"] == "C000001"  # the address now links to this customer


def test_a_link_with_a_customer_in_the_address_opens_that_customer():
    at = app(PAGE, query={"customer": "C000123"})
    no_problem(at)
    assert at.text_input(key="cjm.customer.query").value == "C000123"
    assert shown(at) == "C000123"
    assert metrics(at)["Events"] == "5"
    assert specs(at)[0]["title"]["text"].startswith("Customer C000123: 5 events")


def test_a_new_customer_in_the_address_replaces_the_one_shown():
    at = app(PAGE, query={"customer": "C000123"})
    at.query_params["customer"] = "C000001"
    at.run()
    no_problem(at)
    assert shown(at) == "C000001" and metrics(at)["Events"] == "10"


def test_searching_by_part_of_an_id_suggests_matching_customers():
    at = app(PAGE)
    at.text_input(key="cjm.customer.query").set_value("0012").run()
    no_problem(at)
    options = at.selectbox(key="cjm.customer.pick").options
    assert options[:2] == ["C000012", "C000120"] and all("0012" in o for o in options)
    at.selectbox(key="cjm.customer.pick").set_value("C000123").run()
    assert metrics(at)["Events"] == "5"
    assert at.query_params["customer"] == "C000123"


def test_an_id_that_matches_nothing_offers_the_closest_ids():
    at = app(PAGE)
    at.text_input(key="cjm.customer.query").set_value("C0001234X").run()
    no_problem(at)
    assert any("No customer id contains “C0001234X”" in w.value for w in at.warning)
    assert at.selectbox(key="cjm.customer.pick").label == "Closest ids"
    assert shown(at) == "C000123"  # the closest id is shown straight away


def test_the_timeline_can_space_events_by_real_time():
    at = app(PAGE)
    assert specs(at)[0]["layer"][1]["encoding"]["x"]["field"] == "when"  # one slot per event by default
    at.radio(key="cjm.customer.spacing").set_value("time").run()
    no_problem(at)
    assert specs(at)[0]["layer"][1]["encoding"]["x"]["field"] == "timestamp"


def test_other_pages_can_link_to_a_customer_by_address():
    from cjm.ui.journeys import customer_url

    assert customer_url("C000123") == "customer?customer=C000123"
    assert customer_url("a b&c") == "customer?customer=a+b%26c"


def test_the_customer_page_shows_the_risk_flag_scored_like_the_follow_up_page():
    at = app(PAGE, query={"customer": "C000001"})
    no_problem(at)
    texts = [w.value for w in at.warning] + [c.value for c in at.caption] + [i.value for i in at.info]
    assert any("risk" in t.lower() and "%" in t for t in texts)
    # C000001 is marked churned in the demo customers file: already left, never "Not at risk (risk 95%)".
    assert any(t.startswith("Already left (marked as churned in the 'churned' column)") for t in texts)
    assert not any(t.startswith("Not at risk") for t in texts)
