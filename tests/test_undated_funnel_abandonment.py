"""A funnel and abandonment need dates (their windows and step order are times): on an export without any, they say
so and how to enable them, instead of zeros; data with some dated rows works as before. Figures worked by hand."""

from __future__ import annotations

import pytest

from cjm import report
from cjm.data.dataset import build_dataset
from cjm.errors import InsufficientDataError, NoDatesError
from cjm.journey.abandonment import compute_abandonment, compute_checkout_abandonment, compute_time_to_abandon
from cjm.journey.funnel import FunnelParams, compute_funnel
from cjm.journey.funnel.defaults import default_funnel
from cjm.maps import build_current_map
from cjm.maps.current import UNDATED_CELL
from tests.apptest import open_app
from tests.helpers import parsed_text

# Three respondents (no id, no date): two page views (consideration), one purchase (conversion).
UNDATED = "event,score\npage_view,4\npurchase,5\npage_view,3\n"
# Four respondents, two of whom left the date blank: rows 2 (page_view, 1 Jan) and 4 (purchase, 3 Jan) are dated.
PARTLY_DATED = "date,event,score\n2024-01-01,page_view,4\n,purchase,5\n2024-01-03,purchase,3\n,page_view,2\n"
CHECKOUTS = "event,score\ncheckout,3\npurchase,5\ncheckout,2\n"
STAGES = FunnelParams(steps=("consideration", "conversion"), step_kind="stage")


def undated(text: str = UNDATED):
    return build_dataset(parsed_text(text, "undated.csv"))


def says_needs_dates(error: Exception, what: str) -> None:
    text = str(error)
    assert text.startswith(f"{what} needs dates"), text
    assert "no event of this data has one" in text and "Map a date column on the Data page" in text


def test_the_funnel_of_an_export_without_dates_says_it_needs_dates_instead_of_zero_customers():
    ds = undated()
    with pytest.raises(NoDatesError) as caught:  # was: consideration 0 customers, conversion 0 customers
        compute_funnel(ds, params=default_funnel(ds))
    says_needs_dates(caught.value, "The funnel")
    assert isinstance(caught.value, InsufficientDataError)  # every caller already shows these as a reason


def test_abandonment_of_an_export_without_dates_says_it_needs_dates_instead_of_nobody_abandoned():
    ds = undated()
    for compute in (compute_abandonment, compute_time_to_abandon):  # was: 0 abandoned, 0 in progress
        with pytest.raises(NoDatesError) as caught:
            compute(ds, params=STAGES)
        says_needs_dates(caught.value, "Abandonment")


def test_checkout_abandonment_of_an_export_without_dates_says_it_needs_dates_not_that_the_table_is_empty():
    with pytest.raises(NoDatesError) as caught:  # was: "The events table is empty" over 3 rows
        compute_checkout_abandonment(undated(CHECKOUTS))
    says_needs_dates(caught.value, "Checkout abandonment")


def test_the_report_skips_the_funnel_and_abandonment_of_undated_data_with_that_reason_and_keeps_the_kpis():
    out = report.build_report(undated())
    assert "funnel" not in out and "abandonment" not in out
    assert out["skipped"]["funnel"].startswith("The funnel needs dates")
    assert out["skipped"]["abandonment"].startswith("Abandonment needs dates")
    assert "abandonment.checkout_abandonment_rate" not in out["skipped"]
    # 3 respondents, 1 bought: conversion rate 1 / 3
    assert out["kpis"]["customers"] == 3 and out["kpis"]["conversion_rate"] == pytest.approx(1 / 3)
    # stage reach needs no dates: 2 respondents at consideration, 1 at conversion
    assert out["stages"]["consideration"] == 2 and out["stages"]["conversion"] == 1


def test_the_journey_maps_conversion_and_drop_off_cells_of_undated_data_say_they_need_dates():
    jm = build_current_map(undated())
    for lane in ("conversion", "dropoff"):  # were "– of 0 to conversion" and "0 of 0 (–)"
        assert jm.cell(lane, "consideration").value == UNDATED_CELL
        assert jm.cell(lane, "consideration").number is None
    # reach needs no dates: 2 of 3 respondents (66.7%) at consideration, 1 of 3 (33.3%) at conversion
    assert jm.cell("reached", "consideration").value == "2 (66.7%)"
    assert jm.cell("reached", "conversion").value == "1 (33.3%)"
    assert "entries" not in jm.baseline  # no projection from a funnel that was not computed


def test_a_survey_where_some_respondents_left_the_date_blank_keeps_its_funnel_and_abandonment():
    ds = undated(PARTLY_DATED)
    # Each respondent is one row. Only the dated ones count: row 2 enters at consideration (1 Jan); no respondent
    # reaches conversion after a consideration event (row 4's purchase is another respondent's).
    funnel = compute_funnel(ds, params=STAGES)
    assert funnel["customers"].tolist() == [1, 0]
    # Row 2's window (7 days from 1 Jan, to 8 Jan) is still open at the end of the data (row 4, 3 Jan):
    # in progress, not abandoned.
    steps = compute_abandonment(ds, params=STAGES)
    assert steps[["reached_previous", "abandoned", "in_progress"]].iloc[0].tolist() == [1, 0, 1]


def test_the_funnel_page_of_undated_data_says_it_needs_dates_and_shows_no_zero_tiles():
    at = open_app("app_pages/funnel.py", files={"undated.csv": UNDATED.encode()})
    assert not at.exception, [e.value for e in at.exception]
    # a note with a link to the Data page, not a red error: missing dates is no failure (widgets.panel)
    assert any(i.value.startswith("The funnel needs dates") for i in at.info), [i.value for i in at.info]
    assert not at.error, [e.value for e in at.error]
    assert not at.metric  # was "Customers who entered (consideration)": 0


def test_the_abandonment_page_of_undated_data_says_it_needs_dates_and_shows_no_zero_tiles():
    at = open_app("app_pages/abandonment.py", files={"undated.csv": UNDATED.encode()})
    assert not at.exception, [e.value for e in at.exception]
    assert any(i.value.startswith("Abandonment needs dates") for i in at.info), [i.value for i in at.info]
    assert not at.error, [e.value for e in at.error]
    assert not at.metric  # was "Customers who abandoned": 0, "Still in progress": 0


def test_the_journey_map_page_of_undated_data_draws_the_needs_dates_cells():
    import html
    import re

    at = open_app("app_pages/journey_map.py", files={"undated.csv": UNDATED.encode()})
    assert not at.exception and not at.error, [e.value for e in at.error]
    drawn = "\n".join(f.proto.srcdoc for f in at.get("iframe"))
    words = " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", drawn))
    assert "needs dates" in words and "of 0 to" not in words


def test_the_overview_of_undated_respondents_gives_checkout_abandonment_a_reason_not_a_zero():
    at = open_app("app_pages/overview.py", files={"undated.csv": UNDATED.encode()})
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Checkout abandonment" not in {m.label for m in at.metric}
    assert any("**Checkout abandonment** needs" in m.value for m in at.markdown)


def test_the_board_pack_of_undated_data_is_built_and_lists_the_funnel_and_abandonment_as_needing_dates():
    from cjm.report.pack import build_pack, to_html

    pack = build_pack(undated())  # was: ValueError "NaTType does not support strftime" (the data's date range)
    assert pack.date_range == "No dates (each row is one respondent or session)"
    skipped = dict(pack.skipped)
    assert skipped["Funnel"].startswith("The funnel needs dates")
    assert skipped["Abandonment"].startswith("Abandonment needs dates")
    assert "How far customers get" in [s.title for s in pack.sections]  # reach needs no dates
    assert "No dates (each row is one respondent or session)" in to_html(pack)
