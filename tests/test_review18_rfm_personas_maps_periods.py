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
