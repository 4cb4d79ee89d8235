"""Filters that leave none of the data's interactions get one plain note on every analysis page, naming the filters
and the fix, instead of each panel saying something else is missing (a stage, a channel column, a purchase) or a
failure ("Could not compute the abandonment by channel: KeyError ...", seen before on this data)."""

from __future__ import annotations

import datetime as dt

import pytest

from cjm.data import views
from cjm.data.filters import Filters
from cjm.errors import EmptyViewError
from tests.apptest import open_app
from tests.helpers import parsed_text
from cjm.data.dataset import build_dataset

# five customers who view and buy in January and again in May 2024 (c0 on the 10th ... c4 on the 14th), all on the
# web: February to April holds nothing
GAP = (b"customer_id,timestamp,event,channel\n" + b"".join(
    f"c{i},2024-0{m}-1{i},view,web\nc{i},2024-0{m}-1{i} 01:00,purchase,web\n".encode()
    for i in range(5) for m in (1, 5)))
NOTE = "The filters leave no interaction of the data"


def test_the_filters_are_named_in_plain_words():
    assert views.describe_filters(Filters(start="2024-02-01", end="2024-03-31", channels=("web", "app"))) == \
        "1 Feb 2024 – 31 Mar 2024, channels web, app"
    assert views.describe_filters(Filters(end="2024-03-31", devices=("mobile",))) == "the start – 31 Mar 2024, device mobile"


def test_a_view_without_interactions_is_refused_naming_its_filters_and_one_with_them_passes():
    dataset = build_dataset(parsed_text(GAP.decode(), "gap.csv"))
    with pytest.raises(EmptyViewError, match="1 Feb 2024 – 31 Mar 2024 \\(the data runs 10 Jan 2024 – 14 May 2024\\). "
                                             "Widen the date range or clear a filter"):
        views.check_not_empty(dataset, Filters(start="2024-02-01", end="2024-03-31"))
    views.check_not_empty(dataset, Filters(start="2024-02-01", end="2024-05-31"))  # May holds 10 interactions


@pytest.mark.parametrize("page", ["overview", "funnel", "abandonment", "followup", "journey_map", "gaps"])
def test_every_analysis_page_says_the_filters_leave_nothing_and_stops(page):
    at = open_app(f"app_pages/{page}.py", files={"gap.csv": GAP})
    at.date_input(key="cjm.filter.dates").set_value((dt.date(2024, 2, 1), dt.date(2024, 3, 31))).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    notes = [i.value for i in at.info]
    assert any(n.startswith(NOTE) and "1 Feb 2024 – 31 Mar 2024" in n for n in notes), notes
    assert len(notes) == 1, notes  # the page stopped: no other panel adds its own reason


def test_a_range_that_holds_interactions_shows_the_page_as_before():
    at = open_app("app_pages/overview.py", files={"gap.csv": GAP})
    at.date_input(key="cjm.filter.dates").set_value((dt.date(2024, 4, 1), dt.date(2024, 5, 31))).run()
    assert not at.exception and not any(i.value.startswith(NOTE) for i in at.info)
    assert at.metric  # the KPI tiles are drawn
