"""RFM quintile scores and named segments, checked by hand on a literal table."""

import pandas as pd
import pytest

from cjm.errors import InsufficientDataError
from cjm.customers.features import compute_customer_features
from cjm.customers.rfm import GRID, NEVER_BOUGHT, SEGMENTS, compute_rfm, compute_rfm_segments, rfm_segment
from cjm.data.dataset import Dataset
from tests.helpers import cdnow_purchases, dataset

# Ties: b and c were both last seen 2 days ago (c bought more, so c ranks higher on R);
# b, g and j bought once (ties broken by spend).
TABLE = pd.DataFrame(
    {
        "customer_id": list("abcdefghij"),
        "recency_days": [1, 2, 2, 5, 8, 10, 20, 30, 40, 50],
        "purchases": [5, 1, 3, 4, 2, 6, 1, 2, 7, 1],
        "monetary": [500, 20, 150, 300, 60, 400, 10, 80, 900, 5],
    }
)


@pytest.fixture(scope="module")
def rfm():
    return compute_rfm(TABLE).set_index("customer_id")


def test_recency_scores_give_five_to_the_most_recent_fifth(rfm):
    assert rfm["R"].to_dict() == dict(zip("abcdefghij", [5, 4, 5, 4, 3, 3, 2, 2, 1, 1]))


def test_frequency_scores_rank_purchases_with_ties_broken_by_spend(rfm):
    assert rfm["F"].to_dict() == dict(zip("abcdefghij", [4, 2, 3, 4, 2, 5, 1, 3, 5, 1]))


def test_monetary_scores_rank_spend(rfm):
    assert rfm["M"].to_dict() == dict(zip("abcdefghij", [5, 2, 3, 4, 2, 4, 1, 3, 5, 1]))


def test_fm_is_the_mean_of_f_and_m_rounded_half_up(rfm):
    assert rfm["FM"].to_dict() == dict(zip("abcdefghij", [5, 2, 3, 4, 2, 5, 1, 3, 5, 1]))
    assert rfm.loc["a", "rfm"] == "545"


def test_customers_get_the_named_segment_of_their_r_and_fm_scores(rfm):
    assert rfm["segment"].to_dict() == {
        "a": "Champions",
        "b": "Potential loyalists",
        "c": "Potential loyalists",
        "d": "Champions",
        "e": "About to sleep",
        "f": "Loyal",
        "g": "Hibernating",
        "h": "At risk",
        "i": "Cannot lose them",
        "j": "Lost",
    }


def test_each_score_holds_a_fifth_of_the_customers(rfm):
    for score in ("R", "F", "M"):
        assert rfm[score].value_counts().to_dict() == {1: 2, 2: 2, 3: 2, 4: 2, 5: 2}


def test_the_grid_covers_every_score_pair_with_the_eleven_standard_segments_and_never_bought_stands_beside_it():
    assert len(GRID) == 25
    # the eleven named cells, and the customers who never bought beside the grid
    assert set(GRID.values()) == set(SEGMENTS) - {NEVER_BOUGHT} and len(SEGMENTS) == 12
    assert rfm_segment(5, 1) == "New"
    assert rfm_segment(4, 1) == "Promising"
    assert rfm_segment(3, 3) == "Need attention"
    assert rfm_segment(1, 4) == "Cannot lose them"


def test_segment_summary_lists_every_named_segment_in_grid_order(rfm):
    summary = compute_rfm_segments(rfm.reset_index())
    assert list(summary["segment"]) == list(SEGMENTS)
    counts = summary.set_index("segment")["customers"]
    assert counts["Champions"] == 2 and counts["New"] == 0
    assert summary["share"].sum() == pytest.approx(1.0)
    assert summary.set_index("segment").loc["Champions", "monetary"] == 800


def test_the_same_table_in_another_order_gets_the_same_scores(rfm):
    shuffled = compute_rfm(TABLE.sample(frac=1, random_state=3)).set_index("customer_id")
    assert shuffled.sort_index()[["R", "F", "M", "segment"]].equals(rfm.sort_index()[["R", "F", "M", "segment"]])


def test_without_revenue_m_is_not_scored_and_fm_is_f():
    rfm = compute_rfm(TABLE.drop(columns="monetary")).set_index("customer_id")
    assert rfm["M"].isna().all()
    assert (rfm["FM"] == rfm["F"]).all()
    assert rfm.loc["a", "rfm"] == "54-"
    assert rfm.attrs["notes"]


def test_fewer_than_five_customers_cannot_be_split_into_fifths():
    with pytest.raises(InsufficientDataError, match="at least 5"):
        compute_rfm(TABLE.head(4))


def test_a_features_frame_without_recency_names_the_column():
    with pytest.raises(InsufficientDataError, match="recency_days"):
        compute_rfm(TABLE.drop(columns="recency_days"))


def test_rfm_can_start_from_the_dataset():
    rows = [(c, f"2024-01-{d:02d}", "purchase", float(v)) for c, d, v in
            [("a", 1, 10), ("a", 20, 10), ("b", 5, 100), ("c", 10, 5), ("d", 15, 30), ("e", 18, 1), ("e", 19, 1)]]
    log = dataset(rows, columns=("customer_id", "timestamp", "event", "revenue"))
    rfm = compute_rfm(log).set_index("customer_id")
    assert rfm.loc["a", "recency_days"] == 0.0
    assert rfm.loc["a", "R"] == 5 and rfm.loc["b", "R"] == 1  # b last bought 15 days before the end
    assert rfm.loc["b", "M"] == 5


def test_real_cdnow_champions_are_worth_more_than_lost_customers():
    rfm = compute_rfm(Dataset.from_events(cdnow_purchases()))
    assert len(rfm) == 23_570
    means = rfm.groupby("segment")["monetary"].mean()
    assert means["Champions"] > 5 * means["Lost"]
    assert rfm["R"].value_counts().min() >= 4_700  # fifths even with heavy ties in dates


def test_rfm_of_the_dataset_scores_the_events_alone_not_the_customers_file():
    customers = pd.DataFrame({"customer_id": list("abcde"), "MntWines": [5.0, 1.0, 4.0, 2.0, 3.0]})
    days = {"a": (1, 2), "b": (3,), "c": (4, 5, 6), "d": (7,), "e": (8,)}
    log = dataset([(c, f"2024-01-0{d}", "visit") for c, ds in days.items() for d in ds], customers=customers)
    assert compute_customer_features(log)["monetary"].tolist() == [5.0, 1.0, 4.0, 2.0, 3.0]  # spend from the file
    rfm = compute_rfm(log).set_index("customer_id")
    assert rfm["monetary"].isna().all() and rfm["M"].isna().all()  # no revenue on the events: M is not scored
    assert rfm["frequency"].to_dict() == {"a": 2, "b": 1, "c": 3, "d": 1, "e": 1}
