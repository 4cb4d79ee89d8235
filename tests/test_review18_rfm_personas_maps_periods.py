"""Review 18: RFM scores and segments, persona figures, stages reached, one customer's timeline, the
day-in-the-life and future-state maps, the statistics and the funnel's period comparison, checked on
small literal exports worked out by hand (each expected figure in a comment beside it) and against
plain-pandas references written from DESIGN.md section 4 and the module docstrings (not from cjm's code)
on the real exports of ../shared/data (those tests skip when the folder is absent)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from cjm import engine, stats
from cjm.customers.personas import compute_demographics, compute_segment_preferences, compute_typical_journeys
from cjm.customers.rfm import compute_rfm, compute_rfm_segments
from cjm.data.dataset import Dataset, load_dataset
from cjm.errors import InsufficientDataError
from cjm.journey.funnel import FunnelParams
from cjm.journey.periods import compare_periods
from cjm.journey.reach import compute_stage_reach
from cjm.journey.timeline import compute_customer_summary, compute_customer_timeline
from cjm.maps import build_current_map, build_day_map, build_future_map, compute_projection
from cjm.maps.future import compute_target_status
from tests.helpers import dataset, real_file

STAGES = {"ad_click": "awareness", "product_view": "consideration", "purchase": "conversion"}
# The R x FM grid of the RFM module docstring, written out again here: R (rows 5..1) x FM 1..5.
GRID = {
    5: ("New", "Potential loyalists", "Potential loyalists", "Champions", "Champions"),
    4: ("Promising", "Potential loyalists", "Potential loyalists", "Champions", "Champions"),
    3: ("About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"),
    2: ("Hibernating", "Hibernating", "At risk", "At risk", "At risk"),
    1: ("Lost", "Lost", "At risk", "Cannot lose them", "Cannot lose them"),
}


def events(rows, columns=("customer_id", "timestamp", "event")):
    return Dataset.from_events(engine.events_table(pd.DataFrame(rows, columns=list(columns))))


# --- RFM ----------------------------------------------------------------------------------------------

# Two buyers and eight browsers who never bought (page views only), the browsers more recent. Data end 24 Jan.
BROWSERS = ([("b1", "2024-01-01", "purchase", 10.0),
             ("b2", "2024-01-02", "purchase", 20.0), ("b2", "2024-01-03", "purchase", 20.0)]
            + [(f"v{i}", f"2024-01-{16 + i}", "page_view", None) for i in range(1, 9)])


def test_a_customer_who_never_bought_scores_the_lowest_frequency_and_spend_and_is_no_champion():
    rfm = compute_rfm(dataset(BROWSERS, columns=("customer_id", "timestamp", "event", "revenue"))).set_index(
        "customer_id")
    # Days since last activity: b1 23, b2 21, v1 7 (17 Jan), v2 6, ..., v8 0 (24 Jan). R by fifths of all 10,
    # the more recent the better: b1 b2 -> 1, v1 v2 -> 2, v3 v4 -> 3, v5 v6 -> 4, v7 v8 -> 5.
    assert rfm["R"].to_dict() == {"b1": 1, "b2": 1, "v1": 2, "v2": 2, "v3": 3, "v4": 3, "v5": 4, "v6": 4,
                                  "v7": 5, "v8": 5}
    # The eight browsers bought nothing: F = 1 and M = 1. The two buyers are split into fifths among
    # themselves (ranks 1 and 2 of 2: scores 1 and 5): b1 (1 purchase, 10) F 1 M 1; b2 (2 purchases, 40) F 5 M 5.
    # Before: fifths of all ten put the browsers v7 and v8 at F = M = 4 (ranks 7-8 of 10), so R 5 x FM 4 made
    # two 'Champions' who never bought.
    assert rfm["F"].to_dict() == {"b1": 1, "b2": 5, **{f"v{i}": 1 for i in range(1, 9)}}
    assert rfm["M"].to_dict() == {"b1": 1, "b2": 5, **{f"v{i}": 1 for i in range(1, 9)}}
    # Segments: b1 R1 FM1 Lost; b2 R1 FM5 Cannot lose them; the browsers by recency with FM 1:
    # R2 Hibernating, R3 About to sleep, R4 Promising, R5 New.
    assert rfm["segment"].to_dict() == {
        "b1": "Lost", "b2": "Cannot lose them", "v1": "Hibernating", "v2": "Hibernating", "v3": "About to sleep",
        "v4": "About to sleep", "v5": "Promising", "v6": "Promising", "v7": "New", "v8": "New"}
    assert any("8 customers never bought" in note for note in rfm.attrs["notes"])
    summary = compute_rfm_segments(rfm.reset_index()).set_index("segment")
    assert summary.loc["Champions", "customers"] == 0 and summary["customers"].sum() == 10  # everyone scored


def test_a_lone_buyer_among_browsers_is_the_best_fifth_of_the_buyers():
    rows = [("b", "2024-01-01", "purchase", 5.0)] + [(f"v{i}", f"2024-01-0{1 + i}", "page_view", None)
                                                      for i in range(1, 6)]
    rfm = compute_rfm(dataset(rows, columns=("customer_id", "timestamp", "event", "revenue"))).set_index(
        "customer_id")
    # one buyer: the only (so the best) fifth of the buyers, F 5 M 5; the five browsers F 1 M 1
    assert rfm.loc["b", ["F", "M"]].tolist() == [5, 5]
    assert (rfm.drop(index="b")[["F", "M"]] == 1).all().all()


def test_real_rees46_rfm_champions_all_bought_and_browsers_score_the_lowest_frequency():
    # Plain pandas: a purchase is an event_type 'purchase'; purchases = distinct purchase times per user.
    raw = pd.read_csv(real_file("rees46_2019-Oct-sample.csv"), dtype={"user_id": str})
    raw["t"] = pd.to_datetime(raw["event_time"].str.replace(" UTC", ""), utc=True)
    bought = raw[raw["event_type"] == "purchase"].groupby("user_id")["t"].nunique()
    rfm = compute_rfm(load_dataset([real_file("rees46_2019-Oct-sample.csv")])).set_index("customer_id")
    assert len(rfm) == raw["user_id"].nunique() == 330  # every customer scored, none dropped or merged
    assert rfm["frequency"].to_dict() == {u: int(bought.get(u, 0)) for u in rfm.index}
    assert len(bought) == 9  # 9 buyers, 321 browsers
    # Before: 128 'Champions', 123 of them with no purchase (fifths of all 330 by purchases, ties by recency).
    champions = rfm[rfm["segment"] == "Champions"]
    assert (champions["frequency"] > 0).all() and len(champions) > 0
    assert (rfm.loc[rfm["frequency"] == 0, "F"] == 1).all()
    # no revenue mapped (price is a list price of views too): M unscored, FM = F
    assert rfm["M"].isna().all() and (rfm["FM"] == rfm["F"]).all()


def test_equal_spends_tie_on_m_even_when_the_sum_of_one_comes_out_a_hair_lower_in_floating_point():
    # x spent 0.70 + 0.10 = 0.80 in two purchases (a float sum gives 0.7999999999999999), y 0.80 in one.
    # Equal spend: the tie goes to the customer who bought more often (x). Spends: r 0.20 < y 0.80 = x 0.80
    # < p 5 < q 9, so M ranks r 1, y 2, x 3, p 4, q 5 (five customers: one per fifth).
    # Before: x's 0.7999999999999999 ranked below y's 0.8: M x 2, y 3.
    rows = [("x", "2024-01-01", "purchase", 0.7), ("x", "2024-01-02", "purchase", 0.1),
            ("y", "2024-01-02", "purchase", 0.8), ("p", "2024-01-02", "purchase", 5.0),
            ("q", "2024-01-02", "purchase", 9.0), ("r", "2024-01-03", "purchase", 0.2)]
    rfm = compute_rfm(dataset(rows, columns=("customer_id", "timestamp", "event", "revenue"))).set_index(
        "customer_id")
    assert rfm["M"].to_dict() == {"p": 4, "q": 5, "r": 1, "x": 3, "y": 2}
    # F: x bought twice (the most); the one-purchase customers tie and go by spend: r 1, y 2, p 3, q 4, x 5
    assert rfm["F"].to_dict() == {"p": 3, "q": 4, "r": 1, "x": 5, "y": 2}


def cdnow_rows() -> pd.DataFrame:
    raw = pd.read_csv(real_file("cdnow_master.txt"), sep=r"\s+", dtype={"customer_id": str})
    rows = raw[~raw.duplicated()].copy()  # DESIGN section 3: a row equal in every column to an earlier one
    rows["t"] = pd.to_datetime(rows["date"].astype(str), format="%Y%m%d", utc=True)
    rows["cents"] = (rows["dollar_value"] * 100).round().astype("int64")  # exact money, no float sums
    return rows


def reference_scores(table: pd.DataFrame, keys: list[str], ascending: list[bool]) -> pd.Series:
    """Fifths by rank (1 = worst), ties by the later keys, then the earlier id ranks higher."""
    ordered = table.reset_index().sort_values(keys + ["customer_id"], ascending=ascending + [False],
                                              kind="mergesort")
    position = np.arange(1, len(ordered) + 1)
    return pd.Series(pd.qcut(position, 5, labels=False) + 1, index=ordered["customer_id"].to_numpy())


def test_real_cdnow_rfm_scores_and_segments_agree_with_a_plain_pandas_reference():
    rows = cdnow_rows()
    end = rows["t"].max()
    by = rows.groupby("customer_id")
    ref = pd.DataFrame({"recency": (end - by["t"].max()).dt.days, "purchases": by["t"].nunique(),
                        "cents": by["cents"].sum()})
    ref["R"] = reference_scores(ref, ["recency", "purchases", "cents"], [False, True, True])
    ref["F"] = reference_scores(ref, ["purchases", "cents", "recency"], [True, True, False])
    ref["M"] = reference_scores(ref, ["cents", "purchases", "recency"], [True, True, False])
    ref["FM"] = np.floor((ref["F"] + ref["M"]) / 2 + 0.5).astype(int)  # rounded half up
    ref["segment"] = [GRID[r][fm - 1] for r, fm in zip(ref["R"], ref["FM"])]
    rfm = compute_rfm(load_dataset([real_file("cdnow_master.txt")])).set_index("customer_id")
    assert len(rfm) == len(ref) == 23_570  # every customer scored
    assert (rfm["recency_days"] == ref["recency"]).all() and (rfm["frequency"] == ref["purchases"]).all()
    # 04716 (2 purchases) and 10214 (3 purchases) both spent 59.85; 10214 bought more often, so ranks higher
    # on M (they are neighbours: 4 and 3). Before: 10214's float sum 59.849999999999994 gave M 3 and 04716 4.
    assert rfm.loc["10214", "M"] == 4 and rfm.loc["04716", "M"] == 3
    for column in ("R", "F", "M", "FM", "segment"):
        assert (rfm[column] == ref[column]).all(), column
    summary = compute_rfm_segments(rfm.reset_index()).set_index("segment")
    expected = ref.groupby("segment")["cents"].sum() / 100
    for segment, total in expected.items():
        assert summary.loc[segment, "monetary"] == pytest.approx(total, abs=0.01)
    assert summary["customers"].sum() == 23_570


RFM_COLUMNS = ("customer_id", "timestamp", "event", "revenue")


def test_rfm_scores_customers_who_were_all_last_seen_on_the_same_day():
    # Everyone's last purchase is on 2 Jan (recency 0 for all: the features drop it as the same for everyone).
    # x bought twice (1 + 2 = 3), p 2, q 3, r 4, s 5 once each.
    rows = [("x", "2024-01-01", "purchase", 1.0), ("x", "2024-01-02", "purchase", 2.0)] + [
        (c, "2024-01-02", "purchase", v) for c, v in (("p", 2.0), ("q", 3.0), ("r", 4.0), ("s", 5.0))]
    rfm = compute_rfm(dataset(rows, columns=RFM_COLUMNS)).set_index("customer_id")
    assert (rfm["recency_days"] == 0).all()
    # R: all tie on recency, then purchases (x first), then spend: p 1, q 2, r 3, s 4, x 5. F the same.
    assert rfm["R"].to_dict() == rfm["F"].to_dict() == {"p": 1, "q": 2, "r": 3, "s": 4, "x": 5}
    # M: p 2 < q 3 = x 3 (x bought more often: above q) < r 4 < s 5 -> p 1, q 2, x 3, r 4, s 5
    assert rfm["M"].to_dict() == {"p": 1, "q": 2, "r": 4, "s": 5, "x": 3}
    # FM half up: p 1, q 2, r (3+4)/2 = 3.5 -> 4, s 4.5 -> 5, x (5+3)/2 = 4. Segments: p R1 FM1 Lost, q R2 FM2
    # Hibernating, r R3 FM4 Loyal, s R4 FM5 Champions, x R5 FM4 Champions.
    assert rfm["segment"].to_dict() == {"p": "Lost", "q": "Hibernating", "r": "Loyal", "s": "Champions",
                                        "x": "Champions"}


def test_rfm_scores_customers_who_all_bought_once():
    # a..e each bought once, on 1..5 Jan, spending 1..5: frequency is 1 for everyone (dropped from the features).
    rows = [(c, f"2024-01-0{i}", "purchase", float(i)) for i, c in enumerate("abcde", 1)]
    rfm = compute_rfm(dataset(rows, columns=RFM_COLUMNS)).set_index("customer_id")
    assert (rfm["frequency"] == 1).all()
    # R by recency (a 4 days ... e 0): a 1 .. e 5; F all tie, then spend: a 1 .. e 5; M by spend: a 1 .. e 5
    for score in ("R", "F", "M"):
        assert rfm[score].to_dict() == {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}, score
    # R x FM: a 1x1 Lost, b 2x2 Hibernating, c 3x3 Need attention, d 4x4 Champions, e 5x5 Champions
    assert rfm["segment"].tolist() == ["Lost", "Hibernating", "Need attention", "Champions", "Champions"]


def test_rfm_scores_spend_when_every_customer_spent_the_same():
    # a..e each bought once for 10.00 on 1..5 Jan: the spend is there (10.00 each), the same for everyone.
    rows = [(c, f"2024-01-0{i}", "purchase", 10.0) for i, c in enumerate("abcde", 1)]
    rfm = compute_rfm(dataset(rows, columns=RFM_COLUMNS)).set_index("customer_id")
    assert (rfm["monetary"] == 10.0).all()
    # M: all tie on spend and purchases, then recency: a 1 .. e 5 (as R); no note saying there is no revenue
    assert rfm["M"].to_dict() == {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}
    assert not any("No revenue" in note for note in rfm.attrs["notes"])
    assert compute_rfm_segments(rfm.reset_index()).set_index("segment")["monetary"].sum() == 50.0
