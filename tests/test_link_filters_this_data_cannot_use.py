"""A link (or a saved dashboard) whose filters this data cannot honour opens without a traceback and says so: a date
range outside the data's dates is shown as it is (the pages then say it leaves nothing), a channel the data does not
hold is named in the sidebar rather than silently dropped, and a range that starts after it ends is named too."""

from __future__ import annotations

import datetime as dt

from tests.apptest import open_app

# on the demo data: 1 May 2025 - 30 Apr 2026, channels such as email, social and search ads (no fax)
NOTE = "The filters leave no interaction of the data"


def _open(page, **params):
    return open_app(f"app_pages/{page}.py", query=params)


def test_a_link_whose_range_lies_before_the_data_shows_that_range_and_the_empty_note():
    at = _open("funnel", start="2024-01-01", end="2024-02-01")
    assert not at.exception, at.exception
    assert at.date_input(key="cjm.filter.dates").value == (dt.date(2024, 1, 1), dt.date(2024, 2, 1))
    assert any(i.value.startswith(NOTE) and "1 Jan 2024 – 1 Feb 2024" in i.value for i in at.info), \
        [i.value for i in at.info]


def test_a_link_naming_a_channel_the_data_does_not_hold_says_so_and_shows_every_channel():
    at = _open("overview", channels="fax")
    assert not at.exception, at.exception
    warnings = [w.value for w in at.sidebar.warning]
    assert any("The channel filter names 'fax', which this data does not have" in w for w in warnings), warnings
    assert at.multiselect(key="cjm.filter.channels").value == []
    assert at.metric  # the Overview is drawn on all the data


def test_a_link_whose_range_starts_after_it_ends_says_so():
    at = _open("overview", start="2024-02-01", end="2024-01-01")
    assert not at.exception, at.exception
    warnings = [w.value for w in at.sidebar.warning]
    assert any("could not be used" in w and "swap them" in w for w in warnings), warnings
