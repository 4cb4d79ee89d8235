"""Partly dated data (a survey where some respondents left the date blank): the analyses in time leave the
undated events out, and the Funnel and Abandonment pages say how many."""

from __future__ import annotations

from cjm.data.dataset import build_dataset
from cjm.journey.funnel.validate import count_undated
from tests.apptest import open_app
from tests.helpers import parsed_text
from tests.test_review19_undated import PARTLY

# five respondents, each their own customer ("row 2" .. "row 6"); rows 3 and 5 have no date


def test_undated_events_and_customers_with_no_dated_event_are_counted():
    counts = count_undated(build_dataset(parsed_text(PARTLY, "survey.csv")))
    # 5 events, 2 undated (rows 3 and 5); each respondent has one event, so 2 of 5 customers have no dated event
    assert counts == {"events": 5, "undated": 2, "customers": 5, "customers_undated": 2}


def test_a_customer_with_a_dated_and_an_undated_event_still_counts_as_dated():
    import pandas as pd

    from cjm import engine
    from cjm.data.dataset import Dataset

    frame = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
                          "timestamp": pd.to_datetime(["2024-01-01", None, "2024-01-02", None]),
                          "event": ["page_view", "purchase", "page_view", "page_view"]})
    counts = count_undated(Dataset.from_events(engine.events_table(frame)))
    # undated: a's purchase and c's view (2 of 4); a and b have a dated event, c has none: 1 of 3 customers
    assert counts == {"events": 4, "undated": 2, "customers": 3, "customers_undated": 1}


def test_the_funnel_and_abandonment_pages_say_what_they_leave_out():
    for page, analysis in (("app_pages/funnel.py", "the funnel"), ("app_pages/abandonment.py", "abandonment")):
        at = open_app(page, files={"survey.csv": PARTLY.encode()})
        assert not at.exception
        captions = "\n".join(c.value for c in at.caption)
        assert (f"2 of 5 events have no date, so {analysis} leaves them out: 2 of 5 customers have no dated "
                "event and are not counted here. Map or fill a date column on the Data page to include them.") in captions


def test_fully_dated_data_has_no_such_note():
    at = open_app("app_pages/funnel.py")  # the demo data: every event dated
    assert not at.exception
    assert not any("have no date" in c.value or "has no date" in c.value for c in at.caption)
