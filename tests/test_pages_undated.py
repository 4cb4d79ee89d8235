"""Every page runs on an export with neither ids nor dates (anonymous reviews: each row one respondent)."""

from pathlib import Path

import pytest

from tests.apptest import open_app

PAGES = sorted(str(p.relative_to(Path(__file__).resolve().parents[1]))
               for p in (Path(__file__).resolve().parents[1] / "app_pages").glob("*.py"))
REVIEWS = ["Great phone, fast delivery and a lovely screen", "Broke after two days, very disappointed",
           "Good value for the money, would buy again", "The battery dies quickly, not happy at all"]
EXPORT = ("review,stars\n" + "\n".join(f"\"{REVIEWS[i % 4]} ({i})\",{5 - i % 4}" for i in range(40)) + "\n").encode()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_anonymous_reviews_without_dates(page):
    at = open_app(page, files={"reviews.csv": EXPORT})
    assert not at.exception, [e.value for e in at.exception]


def test_the_overview_of_undated_responses_shows_the_customer_tile_not_an_empty_table_error():
    at = open_app("app_pages/overview.py", files={"reviews.csv": EXPORT})
    assert not at.error, [e.value for e in at.error]  # was "The events table is empty: …" over 40 rows
    assert {m.label: m.value for m in at.metric}["Customers"] == "40"
    assert any("Figures cover all data (it has no dates)" in c.value for c in at.caption)


def test_the_customer_page_of_undated_responses_says_there_are_no_dates_not_blank_first_and_last_seen():
    at = open_app("app_pages/customer.py", files={"reviews.csv": EXPORT})
    facts = next(m.value for m in at.markdown if m.value.startswith("**Channels used:**"))
    assert "**First seen:** – (this data has no dates)" in facts
    assert "last seen:** ·" not in facts and not facts.rstrip().endswith("**last seen:**")


def test_missing_values_in_the_sentiment_tables_read_as_a_dash_not_none():
    # The quotes table of the Arabic reviews showed "None" under Sentiment, Reading, Score, Channel and When.
    at = open_app("app_pages/sentiment.py", files={"reviews.csv": EXPORT})
    assert at.dataframe
    assert {d.proto.placeholder for d in at.dataframe} == {"–"}



@pytest.mark.parametrize("page", PAGES)
def test_a_page_that_needs_what_the_export_lacks_says_so_as_a_note_not_an_error(page):
    # Missing dates or ratings is no failure: the page says what would enable it (an info note and a link to the Data
    # page, as for a missing channel column), and a red error is kept for what went wrong.
    at = open_app(page, files={"reviews.csv": EXPORT})
    assert not at.error, [e.value for e in at.error]


def test_the_at_risk_panel_without_dates_says_it_needs_them_and_links_to_the_data_page():
    # It was a red error box worded unlike every other page's "needs dates" note.
    at = open_app("app_pages/followup.py", files={"reviews.csv": EXPORT})
    notes = [i.value.replace("\\", "") for i in at.info]
    assert any("needs dates, and no event of this data has one" in n and "Map a date column on the Data page" in n
               for n in notes), notes
    assert [link.proto.page for link in at.main.get("page_link")][-1] == "data"
