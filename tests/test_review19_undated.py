"""Review 19, data without dates: the funnel, abandonment, checkout abandonment and the journey map's conversion and
drop-off cells say they need dates (NoDatesError); every other section still gives the right numbers; data with
some dated rows is counted as written below. Every expected figure is worked out by hand beside it."""

from __future__ import annotations

import math

import pytest

from cjm import report
from cjm.data.dataset import build_dataset
from cjm.errors import NoDatesError
from cjm.journey.abandonment import compute_abandonment, compute_checkout_abandonment
from cjm.journey.funnel import FunnelParams, compute_funnel
from cjm.journey.kpis import compute_kpis
from cjm.journey.paths import compute_variants
from cjm.journey.reach import compute_stage_reach
from cjm.maps import build_current_map
from cjm.voice.sentiment import compute_overall, compute_signals
from tests.helpers import parsed_rows, parsed_text

# Four respondents (no id, no date): page_view 4, purchase 5, page_view 3, checkout 2 (ratings 1..5).
UNDATED = "event,score\npage_view,4\npurchase,5\npage_view,3\ncheckout,2\n"
STAGES = FunnelParams(steps=("consideration", "conversion"), step_kind="stage")


def undated():
    return build_dataset(parsed_text(UNDATED, "survey.csv"))


def test_every_analysis_in_time_of_undated_data_says_it_needs_dates():
    ds = undated()
    for run, what in [(lambda: compute_funnel(ds, params=STAGES), "The funnel"),
                      (lambda: compute_abandonment(ds, params=STAGES), "Abandonment"),
                      (lambda: compute_checkout_abandonment(ds), "Checkout abandonment")]:
        with pytest.raises(NoDatesError, match=f"^{what} needs dates"):
            run()
    cells = build_current_map(ds).cells
    # the journey map's conversion and drop-off cells of the first stage say so instead of a 0%
    assert cells["conversion"]["consideration"].value.startswith("needs dates")
    assert cells["dropoff"]["consideration"].value.startswith("needs dates")


def test_the_other_sections_of_undated_data_give_the_hand_counted_numbers():
    ds = undated()
    kpis = compute_kpis(ds).set_index("name")
    # four respondents, one bought: 1 / 4; the default period of undated data is all of it
    assert kpis.loc["customers", "value"] == 4
    assert kpis.loc["conversion_rate", "value"] == pytest.approx(0.25)
    assert kpis.loc["customers", "period"] == "all data (it has no dates)"
    reach = compute_stage_reach(ds).set_index("stage")["customers"]
    # consideration: page_view, page_view, checkout = 3; conversion: purchase = 1
    assert (reach["consideration"], reach["conversion"]) == (3, 1)
    cells = build_current_map(ds).cells
    assert cells["reached"]["consideration"].value == "3 (75.0%)" and cells["reached"]["conversion"].value == "1 (25.0%)"
    # emotion by stage, ratings (r - 3) / 2: consideration 4, 3, 2 -> +0.5, 0, -0.5, mean 0; conversion 5 -> +1
    assert cells["emotions"]["consideration"].value == "+0.00 (n=3)"
    assert cells["emotions"]["conversion"].value == "+1.00 (n=1)"
    overall = compute_overall(compute_signals(ds))
    # CSAT = share of 4-5 among 1..5 answers: 4 and 5 of 4, 5, 3, 2 = 2 / 4; mean (0.5 + 1 + 0 - 0.5) / 4 = 0.25
    assert overall["csat"] == pytest.approx(0.5) and overall["mean"] == pytest.approx(0.25) and overall["n"] == 4
    variants = compute_variants(ds).set_index("path")
    # each respondent's journey is one stage: consideration 3 respondents, conversion 1 (which converted)
    assert variants["customers"].to_dict() == {"consideration": 3, "conversion": 1}
    assert variants.loc["conversion", "converted"] == 1 and variants.loc["consideration", "converted"] == 0


def test_the_report_of_undated_data_skips_the_analyses_in_time_with_their_reason_and_keeps_the_rest():
    out = report.build_report(undated())
    assert out["rows"] == {"in": 4, "used": 4, "rejected": 0, "reasons": {}}
    assert out["kpis"]["customers"] == 4 and out["kpis"]["conversion_rate"] == pytest.approx(0.25)
    assert out["stages"]["consideration"] == 3 and out["stages"]["conversion"] == 1
    assert out["skipped"]["funnel"].startswith("The funnel needs dates")
    assert out["skipped"]["abandonment"].startswith("Abandonment needs dates")
    assert "funnel" not in out and "abandonment" not in out


# Five respondents, three of whom wrote a date (file lines 2, 4, 6), two left it blank (lines 3, 5).
PARTLY = ("date,event,score\n"
          "2024-01-01,page_view,4\n"   # row 2
          ",purchase,5\n"              # row 3: undated
          "2024-01-03,purchase,3\n"    # row 4
          ",page_view,2\n"             # row 5: undated
          "2024-01-02,page_view,5\n")  # row 6


def test_partly_dated_respondents_are_all_used_and_the_funnel_counts_the_dated_ones():
    parsed = parsed_text(PARTLY, "survey.csv")
    # anonymous respondents: a blank date rejects no row (5 in = 5 used + 0 rejected)
    assert (parsed.accounting.rows_in, parsed.accounting.rows_used, parsed.accounting.rows_rejected) == (5, 5, 0)
    assert parsed_rows(parsed)["timestamp"].isna().tolist() == [False, True, False, True, False]
    ds = build_dataset(parsed)
    funnel = compute_funnel(ds, params=STAGES)
    # dated consideration events: rows 2 and 6 (row 5 has no date, so no attempt); none of them bought (each row is
    # another respondent): [2, 0], both dropped
    assert funnel["customers"].tolist() == [2, 0] and funnel["dropped"].tolist() == [0, 2]
    # the stage reach counts every respondent: consideration rows 2, 5, 6 = 3; conversion rows 3, 4 = 2
    reach = compute_stage_reach(ds).set_index("stage")["customers"]
    assert (reach["consideration"], reach["conversion"]) == (3, 2)


def test_the_overview_of_partly_dated_data_counts_all_rows_over_all_data_and_the_dated_ones_in_a_period():
    ds = build_dataset(parsed_text(PARTLY, "survey.csv"))
    whole = compute_kpis(ds, period="all").set_index("name")
    # all data: 5 respondents, purchases rows 3 and 4: 2 / 5
    assert whole.loc["customers", "value"] == 5 and whole.loc["conversion_rate", "value"] == pytest.approx(0.4)
    default = compute_kpis(ds).set_index("name")
    # dated 1 Jan .. 3 Jan (< 60 days): halves of [1 Jan, 4 Jan), split at 2 Jan 12:00. Current: row 4 (3 Jan,
    # purchase) = 1 respondent, conversion 1 / 1; previous: rows 2 (1 Jan) and 6 (2 Jan), both page views: 2, 0 / 2.
    # The undated rows 3 and 5 are in no period.
    assert default.loc["customers", ["value", "previous"]].tolist() == [1, 2]
    assert default.loc["conversion_rate", ["value", "previous"]].tolist() == [pytest.approx(1.0), 0.0]
    assert default.loc["customers", "period"] == "2 Jan 2024 12:00 – 4 Jan 2024 00:00 UTC"


def test_a_customer_log_with_blank_dates_rejects_those_rows_and_counts_the_rest():
    text = ("customer_id,date,event\n"
            "a,2024-01-01,page_view\n"   # used
            "a,,purchase\n"              # blank date: rejected (missing timestamp)
            "b,2024-01-02,page_view\n"   # used
            "b,2024-01-03,purchase\n"    # used
            "c,,page_view\n"             # rejected: c has no other row, so c is no customer
            "d,2024-01-05,checkout\n")   # used
    parsed = parsed_text(text, "log.csv")
    acc = parsed.accounting
    # rows in 6 = used 4 + rejected 2, both 'missing timestamp'
    assert (acc.rows_in, acc.rows_used, acc.rows_rejected) == (6, 4, 2)
    ds = build_dataset(parsed)
    whole = compute_kpis(ds, period="all").set_index("name")
    # customers a, b, d; only b bought: 1 / 3
    assert whole.loc["customers", "value"] == 3 and whole.loc["conversion_rate", "value"] == pytest.approx(1 / 3)
    funnel = compute_funnel(ds, params=STAGES)
    # consideration a (1 Jan), b (2 Jan), d (checkout, 5 Jan) = 3; conversion b one day later = 1 (86,400 s)
    assert funnel["customers"].tolist() == [3, 1]
    assert funnel["median_seconds_from_previous"].iloc[1] == 86_400
    ab = compute_abandonment(ds, params=STAGES).iloc[0]
    # windows of 7 days from 1 Jan and 5 Jan are still open at the data's end (5 Jan): a and d in progress, none
    # abandoned. b's window (2 Jan + 7 days) is open too, so no window has closed: the rate (abandoned / closed)
    # has no base and is no value, not 0 %
    assert (ab["reached_previous"], ab["reached"], ab["abandoned"], ab["in_progress"]) == (3, 1, 0, 2)
    assert ab["closed"] == 0 and math.isnan(ab["abandonment_rate"])


def test_the_period_comparison_and_rfm_of_undated_data_say_they_need_dates():
    from cjm.customers.rfm import compute_rfm
    from cjm.journey.periods import compare_periods

    ds = undated()
    # was: 'The events table is empty: there are no periods to compare.' (it has four events, none dated)
    with pytest.raises(NoDatesError, match="^The period comparison needs dates"):
        compare_periods(ds, params=STAGES)
    # was: 'RFM needs the recency_days column of the customer features; it is missing.' (no fix named)
    with pytest.raises(NoDatesError, match="^RFM needs dates"):
        compute_rfm(ds)
