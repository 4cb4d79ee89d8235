"""The Personas page on the demo data (streamlit AppTest): the way in without segments, the persona cards,
and the goals, needs and objections people type, kept in the dashboard spec."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests.apptest import open_app

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "app_pages/personas.py"


def app() -> AppTest:
    return open_app(PAGE)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


@pytest.fixture(scope="module")
def cards() -> AppTest:
    at = app()
    at.button(key="cjm.personas.apply").click().run()
    return at


def test_without_segments_the_page_says_so_and_links_to_the_segments_page():
    at = app()
    assert_clean(at)
    assert "no segmentation has been applied yet" in at.info[0].value
    assert at.button(key="cjm.personas.apply").label == "Find segments with the recommended settings"
    assert not at.subheader


def test_the_button_applies_the_recommended_segmentation_and_shows_one_card_per_segment(cards):
    assert_clean(cards)
    assert cards.session_state["cjm.spec"].pages["segments"]["applied"] is True
    names = [s.value for s in cards.subheader]
    headline = next(m.value for m in cards.markdown if m.value.startswith("**") and "personas**" in m.value)
    assert int(re.match(r"\*\*(\d+) personas", headline).group(1)) == len(names) >= 2
    customers = [int(m.value.replace(",", "")) for m in cards.metric if m.label == "Customers"]
    assert len(customers) == len(names) and sum(customers) == 3000
    assert customers == sorted(customers, reverse=True)  # largest persona first


def test_each_card_tells_who_they_are_how_they_come_their_journey_and_pain_point(cards):
    facts = [m.value for m in cards.markdown if m.value.startswith("- **Who they are**")]
    assert len(facts) == len(cards.subheader)
    for text in facts:
        assert re.search(r"age band: [\w-]+", text) and "income:" in text and "gender:" in text
        assert "**Preferred channels**: " in text and "**Preferred devices**: " in text
        assert re.search(r"\*\*Typical journey\*\*: awareness → .+ \(\d+\.\d% of them\)", text)
        assert "**Top pain point**: " in text
    sentiment = [m for m in cards.metric if m.label == "Sentiment"]
    assert all(re.fullmatch(r"[+-]\d\.\d\d|–", m.value) for m in sentiment)
    assert all("customers who gave a score or comment" in (m.help or "") or m.value == "–" for m in sentiment)


def test_goals_typed_on_a_card_are_saved_in_the_dashboard_spec(cards):
    name = cards.subheader[0].value
    goals = next(t for t in cards.text_area if t.label == "Goals")
    goals.input("Find the right size fast\nFree returns").run()
    assert_clean(cards)
    assert cards.session_state["cjm.spec"].pages["personas"][name]["goals"] == ["Find the right size fast",
                                                                                "Free returns"]
    cards.switch_page("app_pages/overview.py").run()
    cards.switch_page(PAGE).run()
    assert next(t for t in cards.text_area if t.label == "Goals").value == "Find the right size fast\nFree returns"


def test_the_personas_can_be_downloaded_as_json(cards):
    labels = [b.label for b in cards.get("download_button")]
    assert "Download the personas (JSON)" in labels


def test_a_persona_of_data_without_comments_says_there_are_none_not_that_nobody_complains():
    # marketing_campaign.csv has no comment column: "no recurring complaint in their negative comments"
    # suggested the comments had been read and were fine.
    rows = ["customer_id,timestamp,event,revenue"]
    for c in range(40):
        rows += [f"C{c},2024-03-{1 + c % 20:02d} 10:00:00,page_view,",
                 f"C{c},2024-03-{1 + c % 20:02d} 11:00:00,{'purchase' if c % 2 else 'add_to_cart'},{10 + c * 7 if c % 2 else ''}"]
    at = open_app(PAGE, files={"orders.csv": ("\n".join(rows) + "\n").encode()})
    at.button(key="cjm.personas.apply").click().run()
    assert_clean(at)
    facts = [m.value for m in at.markdown if m.value.startswith("- **Who they are**")]
    assert facts
    for text in facts:
        assert ("**Top pain point**: no comments in this data to find one in (map a text column on the Data page)"
                in text)
        assert "no recurring complaint" not in text
