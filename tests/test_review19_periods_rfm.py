"""Review 19, the funnel's period comparison by default (kpis.default_periods with 6 months) and the RFM rules
(cjm/customers/rfm.py: non-buyers F = M = 1, buyers in fifths, R over everyone, ties broken by the other two measures
then by id). Every expected figure is worked out by hand beside it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cjm.customers.rfm import compute_rfm
from cjm.journey.funnel import FunnelParams
from cjm.journey.kpis import default_periods
from cjm.journey.periods import compare_periods
from tests.helpers import dataset

SIX_MONTHS = pd.DateOffset(months=6)


def T(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.mark.parametrize("first, last, current, previous", [
    # two years: the current period ends at the midnight after the last event (1 Jan 2025); 6 months each
    ("2023-01-01", "2024-12-31 10:00", ("2024-07-01", "2025-01-01"), ("2024-01-01", "2024-07-01")),
    # exactly a year (1 Jan 2024 .. the midnight after 31 Dec): two whole periods
    ("2024-01-01", "2024-12-31 10:00", ("2024-07-01", "2025-01-01"), ("2024-01-01", "2024-07-01")),
    # a last event at midnight is in the day it starts: the period ends at the next midnight
    ("2023-01-01", "2024-12-31 00:00", ("2024-07-01", "2025-01-01"), ("2024-01-01", "2024-07-01")),
    # less than a year: the halves of [10 Jan, 1 Apr) = 82 days, split after 41 days at 20 Feb
    ("2024-01-10", "2024-03-31 18:00", ("2024-02-20", "2024-04-01"), ("2024-01-10", "2024-02-20")),
    # month ends: 6 months before 31 Aug 2024 is 29 Feb (no 31 Feb), 6 months before that 29 Aug 2023
    ("2023-03-01", "2024-08-30 12:00", ("2024-02-29", "2024-08-31"), ("2023-08-29", "2024-02-29")),
    # 15 Dec 2022 .. 29 Feb 2024 08:00: ends 1 Mar 2024; 1 Sep 2023 and 1 Mar 2023 before it
    ("2022-12-15", "2024-02-29 08:00", ("2023-09-01", "2024-03-01"), ("2023-03-01", "2023-09-01")),
    # 23:00 .. 01:00 the next day: two calendar days, so halves by whole days: [1 Jan, 2 Jan) and [2 Jan, 3 Jan)
    ("2024-01-01 23:00", "2024-01-02 01:00", ("2024-01-02", "2024-01-03"), ("2024-01-01", "2024-01-02")),
])
def test_the_funnels_default_periods_are_the_last_six_months_and_the_six_before_or_the_halves(
        first, last, current, previous):
    got = default_periods(T(first), T(last), length=SIX_MONTHS)
    assert got == ((T(current[0]), T(current[1])), (T(previous[0]), T(previous[1])))


def test_data_within_one_day_is_halved_in_its_own_span_and_both_halves_hold_data():
    first, last = T("2024-03-01 00:00"), T("2024-03-01 00:17")
    (cur_start, cur_end), (prev_start, prev_end) = default_periods(first, last, length=SIX_MONTHS)
    # the span 00:00 .. 00:17 ends at the minute after its last event (00:18); its middle, to the minute, is 00:08
    assert (cur_start, cur_end) == (T("2024-03-01 00:08"), T("2024-03-01 00:18"))
    assert prev_end == cur_start and prev_end - prev_start == cur_end - cur_start  # two periods of equal length
    assert prev_start <= first < prev_end and cur_start <= last < cur_end  # each holds data
    # within a minute there is no earlier half
    assert default_periods(T("2024-03-01 10:00"), T("2024-03-01 10:00:30"), length=SIX_MONTHS)[1] is None


def test_the_period_comparison_by_default_compares_the_last_six_months_with_the_six_before():
    rows = [("o1", T("2023-01-05 10:00"), "view"), ("o1", T("2023-01-05 11:00"), "purchase")]  # before both periods
    # previous period [1 Jan 2024, 1 Jul 2024): p1..p4 view in March, p1 and p2 buy a day later -> 4 and 2
    rows += [(c, T(f"2024-03-0{i + 1} 10:00"), "view") for i, c in enumerate(["p1", "p2", "p3", "p4"])]
    rows += [("p1", T("2024-03-02 10:00"), "purchase"), ("p2", T("2024-03-04 10:00"), "purchase")]
    # current period [1 Jul 2024, 1 Jan 2025): c1..c5 view in October, c1 buys 2 days later -> 5 and 1;
    # c5 views again on 31 Dec, the last event
    rows += [(c, T(f"2024-10-0{i + 1} 10:00"), "view") for i, c in enumerate(["c1", "c2", "c3", "c4", "c5"])]
    rows += [("c1", T("2024-10-03 10:00"), "purchase"), ("c5", T("2024-12-31 10:00"), "view")]
    out = compare_periods(dataset(rows), params=FunnelParams(steps=("view", "purchase"), step_kind="event"))
    row = out.set_index("step").loc["purchase"]
    assert (row["previous_start"], row["previous_end"]) == (T("2024-01-01"), T("2024-07-01"))
    assert (row["current_start"], row["current_end"]) == (T("2024-07-01"), T("2025-01-01"))
    assert out["customers_previous"].tolist() == [4, 2] and out["customers_current"].tolist() == [5, 1]
    # conversion from step 1: 2 / 4 = 0.5 against 1 / 5 = 0.2: -30 points
    assert (row["conversion_previous"], row["conversion_current"]) == (0.5, 0.2)
    assert row["change_points"] == pytest.approx(-30.0)
    # pooled two-proportion z-test: p = 3 / 9 = 1/3, se = sqrt(1/3 * 2/3 * (1/4 + 1/5)) = sqrt(0.1),
    # z = (0.2 - 0.5) / sqrt(0.1) = -0.9487; two-sided p = erfc(|z| / sqrt 2) = 0.3428
    assert row["p_value"] == pytest.approx(math.erfc(0.3 / math.sqrt(0.1) / math.sqrt(2)), rel=1e-9)
    assert not row["significant"]


def rfm(rows, columns=("customer_id", "recency_days", "purchases", "monetary")):
    out = compute_rfm(pd.DataFrame(rows, columns=list(columns))).set_index("customer_id")
    return {c: (int(out.loc[c, "R"]), int(out.loc[c, "F"]),
                None if pd.isna(out.loc[c, "M"]) else int(out.loc[c, "M"]), out.loc[c, "segment"]) for c in out.index}


def test_non_buyers_score_f_and_m_of_one_and_the_buyers_are_split_into_fifths():
    # c01..c10 last active 1..10 days ago; c01..c05 bought 5, 4, 3, 2, 1 times for 500, 400, 300, 200, 100
    rows = [(f"c{i:02d}", i, max(0, 6 - i), 100 * max(0, 6 - i)) for i in range(1, 11)]
    got = rfm(rows)
    # R over all ten in fifths, most recent best: c01, c02 = 5; c03, c04 = 4; c05, c06 = 3; c07, c08 = 2; c09, c10 = 1
    # F and M over the five buyers, one a fifth: c01 5 .. c05 1; the five non-buyers F = M = 1
    # FM = (F + M) / 2 = F. Grid: R5 FM5 and R5 FM4 Champions; R4 FM3, R4 FM2 Potential loyalists;
    # R3 FM1 About to sleep (c05 bought once); the non-buyers c06..c10 'Never bought', whatever their R (review 36)
    assert got == {"c01": (5, 5, 5, "Champions"), "c02": (5, 4, 4, "Champions"),
                   "c03": (4, 3, 3, "Potential loyalists"), "c04": (4, 2, 2, "Potential loyalists"),
                   "c05": (3, 1, 1, "About to sleep"), "c06": (3, 1, 1, "Never bought"),
                   "c07": (2, 1, 1, "Never bought"), "c08": (2, 1, 1, "Never bought"),
                   "c09": (1, 1, 1, "Never bought"), "c10": (1, 1, 1, "Never bought")}


@pytest.mark.parametrize("buyers, scores", [
    (1, [5]),                # one buyer is the best of the buyers
    (3, [1, 3, 5]),          # ranks 1..3 in fifths (pd.qcut edges 1, 1.4, 1.8, 2.2, 2.6, 3): 1, 3, 5
    (4, [1, 2, 4, 5]),       # ranks 1..4 (edges 1, 1.6, 2.2, 2.8, 3.4, 4): 1, 2, 4, 5
])
def test_a_few_buyers_are_spread_over_the_fifths_and_a_lone_buyer_scores_five(buyers, scores):
    # seven customers b1..b7 last active 1..7 days ago; b1..b<buyers> bought once, spending 10, 20, ... (the later
    # the more); F ties are broken by spend first here: the biggest spender is the best buyer
    rows = [(f"b{i}", i, int(i <= buyers), 10.0 * i if i <= buyers else 0.0) for i in range(1, 8)]
    got = rfm(rows)
    assert [got[f"b{i}"][2] for i in range(1, buyers + 1)] == scores  # M by spend 10 < 20 < ...
    assert [got[f"b{i}"][1] for i in range(1, buyers + 1)] == scores  # F tied at 1, broken by spend
    assert all(got[f"b{i}"][1:3] == (1, 1) for i in range(buyers + 1, 8))  # non-buyers


def test_identical_customers_get_distinct_scores_by_id_whatever_the_row_order():
    rows = [(c, 3, 1, 10.0) for c in "abcde"]
    # all tied on every measure: broken by id, a first: a 555 .. e 111
    expected = {"a": (5, 5, 5, "Champions"), "b": (4, 4, 4, "Champions"), "c": (3, 3, 3, "Need attention"),
                "d": (2, 2, 2, "Hibernating"), "e": (1, 1, 1, "Lost")}
    assert rfm(rows) == expected and rfm(rows[::-1]) == expected


def test_spends_equal_to_twelve_digits_are_a_tie_broken_by_recency():
    # a spent 0.70 + 0.10 = 0.7999999999999999, b 0.80: equal; a is more recent (1 day against 2), so a ranks higher
    rows = [("a", 1, 1, 0.7 + 0.1), ("b", 2, 1, 0.8), ("c", 3, 1, 0.5), ("d", 4, 1, 0.9), ("e", 5, 1, 0.3)]
    got = rfm(rows)
    # M: d 0.9 = 5, a = 4, b = 3, c 0.5 = 2, e 0.3 = 1
    assert {c: got[c][2] for c in "abcde"} == {"a": 4, "b": 3, "c": 2, "d": 5, "e": 1}


def test_without_money_fm_is_f_and_without_purchases_frequency_counts_events():
    got = rfm([(f"c{i}", i, [3, 2, 1, 0, 0, 0][i - 1]) for i in range(1, 7)], ("customer_id", "recency_days", "purchases"))
    # buyers c1 (3), c2 (2), c3 (1) in fifths: 5, 3, 1; c4..c6 F = 1. R over six (ranks 1..6 in fifths): c1 5, c2 4,
    # c3 3, c4 2, c5 and c6 1. M none, FM = F: c1 R5 FM5 Champions, c2 R4 FM3 Potential loyalists, c3 R3 FM1 About
    # to sleep; c4, c5 and c6 never bought: 'Never bought' (R2 FM1 was Hibernating, R1 Lost)
    assert got == {"c1": (5, 5, None, "Champions"), "c2": (4, 3, None, "Potential loyalists"),
                   "c3": (3, 1, None, "About to sleep"), "c4": (2, 1, None, "Never bought"),
                   "c5": (1, 1, None, "Never bought"), "c6": (1, 1, None, "Never bought")}
    events = rfm([(f"c{i}", i, [3, 2, 1, 1, 1, 1][i - 1]) for i in range(1, 7)],
                 ("customer_id", "recency_days", "frequency"))
    # no purchases told apart: F over everyone by events, ties by recency: c1 5, c2 4, c3 3, c4 2, c5 1, c6 1
    assert {c: v[1] for c, v in events.items()} == {"c1": 5, "c2": 4, "c3": 3, "c4": 2, "c5": 1, "c6": 1}


def test_rfm_from_the_events_counts_orders_spend_and_the_last_activity():
    at = lambda day: T(f"2024-03-{day:02d} 12:00")  # noqa: E731
    rows = [("a", at(1), "page_view", None), ("a", at(2), "purchase", 50.0), ("a", at(10), "purchase", 50.0),
            ("b", at(5), "purchase", 300.0),
            ("c", at(9), "page_view", None),
            ("d", at(1), "page_view", None),
            ("e", at(8), "purchase", 200.0), ("e", at(8), "purchase", 200.0),  # two lines of one order
            ("f", at(11), "page_view", None)]  # the last event: recency is counted back from 11 Mar 12:00
    ds = dataset(rows, ("customer_id", "timestamp", "event", "revenue"),
                 stages={"page_view": "consideration", "purchase": "conversion"})
    out = compute_rfm(ds).set_index("customer_id")
    # recency a 1, b 6, c 2, d 10, e 3, f 0 days; orders a 2, b 1, e 1 (one moment); spend a 100, b 300, e 400
    assert out["recency_days"].to_dict() == {"a": 1, "b": 6, "c": 2, "d": 10, "e": 3, "f": 0}
    assert out["frequency"].to_dict() == {"a": 2, "b": 1, "c": 0, "d": 0, "e": 1, "f": 0}
    assert out["monetary"].to_dict() == {"a": 100, "b": 300, "c": 0, "d": 0, "e": 400, "f": 0}
    # R (six in fifths by recency, ranks 1..6): d, b 1; e 2; c 3; a 4; f 5.
    # F over buyers a (2), e (1, more recent and spent more than b), b (1): 5, 3, 1. M over buyers a 100 < b 300 <
    # e 400: 1, 3, 5. FM half up: a (5 + 1) / 2 = 3, b (1 + 3) / 2 = 2, e (3 + 5) / 2 = 4; non-buyers 1.
    # Grid: a R4 FM3 Potential loyalists, b R1 FM2 Lost, e R2 FM4 At risk; c, d and f never bought: 'Never bought'
    # (the grid's R3 FM1 About to sleep, R1 FM1 Lost and R5 FM1 New name customers by how they buy)
    assert out["rfm"].to_dict() == {"a": "451", "b": "113", "c": "311", "d": "111", "e": "235", "f": "511"}
    assert out["FM"].to_dict() == {"a": 3, "b": 2, "c": 1, "d": 1, "e": 4, "f": 1}
    assert out["segment"].to_dict() == {"a": "Potential loyalists", "b": "Lost", "c": "Never bought",
                                        "d": "Never bought", "e": "At risk", "f": "Never bought"}
