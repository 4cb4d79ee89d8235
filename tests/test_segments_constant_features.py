"""A feature the same for every customer (dropped from the features, its value kept in attrs["constant"]) is left
out of the clustering and never sets a segment apart, but every segment is described with its true value: the
profiles, the names, the report's segments section and the personas."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm.customers.features import compute_customer_features, feature_columns
from cjm.customers.personas import build_personas
from cjm.customers.profiles import compute_feature_differences, compute_segment_profiles, name_segments
from cjm.customers.segments import SegmentParams, build_segmentation, default_features
from cjm.data.dataset import load_dataset
from cjm.report.sections import segments_section
from tests.test_review17_features_risk_periods import SHOP

CONSTANTS = {"converted": False, "purchases": 1, "monetary": 5.0, "mean_sentiment": 0.5}


def with_constants(constants: dict) -> pd.DataFrame:
    """Four customers whose events differ (1, 1, 10, 10) and whose other features were dropped as constants."""
    frame = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "frequency": [1, 1, 10, 10]})
    frame.attrs["constant"] = dict(constants)
    return frame


# The small shop without a's refund: a's purchase of 40 on 2 Mar is kept, so every customer made one purchase.
# (With the refund a's purchase is undone, a made none, and purchases is no constant:
# tests/test_review17_features_risk_periods.py.)
KEPT_SHOP = SHOP.replace("a,2024-03-05 09:00:00,refund,web,desktop,,-40.00,\n", "")


@pytest.fixture
def shop(tmp_path):
    assert KEPT_SHOP != SHOP
    path = tmp_path / "shop.csv"
    path.write_text(KEPT_SHOP)
    return load_dataset([path])


def test_every_segment_shows_the_value_of_each_constant_feature():
    profiles = compute_segment_profiles(with_constants(CONSTANTS), [0, 0, 1, 1])
    # nobody converted: 0 of 2 in each segment -> 0.0 (not "–")
    assert profiles["conversion"].tolist() == [0.0, 0.0]
    # everyone spent 5.0: mean 5.0, total 2 x 5.0 = 10.0, over the 2 customers of each segment
    assert profiles["value_mean"].tolist() == [5.0, 5.0]
    assert profiles["value_total"].tolist() == [10.0, 10.0]
    assert profiles["value_customers"].tolist() == [2, 2]
    # everyone's sentiment is +0.5, and everyone has one: mean 0.5 over the 2 of each segment
    assert profiles["sentiment"].tolist() == [0.5, 0.5]
    assert profiles["sentiment_responses"].tolist() == [2, 2]
    # each constant's mean is its value (True/False as 1.0/0.0)
    assert profiles["mean_purchases"].tolist() == [1.0, 1.0]
    assert profiles["mean_converted"].tolist() == [0.0, 0.0]
    assert profiles["mean_monetary"].tolist() == [5.0, 5.0]
    assert profiles["mean_mean_sentiment"].tolist() == [0.5, 0.5]


def test_a_constant_sets_no_segment_apart():
    features = with_constants(CONSTANTS)
    profiles = compute_segment_profiles(features, [0, 0, 1, 1])
    # only frequency varies: mean 5.5, sd 4.5 (not skewed: 1, 1, 10, 10 is symmetric) -> z -1.0 and +1.0
    assert profiles["z_frequency"].tolist() == [-1.0, 1.0]
    assert [c for c in profiles if c.startswith("z_")] == ["z_frequency"]  # no difference measured on a constant
    assert profiles["top_features"].tolist() == [("frequency",), ("frequency",)]
    assert profiles["description"].tolist() == ["fewer events (well below average)", "more events (well above average)"]
    assert compute_feature_differences(features, [0, 0, 1, 1])["feature"].unique().tolist() == ["frequency"]


@pytest.mark.parametrize("constants", [
    {"converted": False},  # 0% conversion everywhere would otherwise call both "browsers" / "comparison shoppers"
    {"purchases": 1},  # one purchase each would otherwise call both "one-time buyers" (1.0 < 1.3)
    CONSTANTS,
])
def test_segment_names_do_not_change_because_of_a_constant(constants):
    profiles = compute_segment_profiles(with_constants(constants), [0, 0, 1, 1])
    # As without the constants: no trait (only frequency differs), no purchase count, no known conversion;
    # segment 0 has z_frequency -1.0 (not >= 0.5): "customers" with nothing else -> "Average customers";
    # segment 1 has +1.0 >= 0.5: more events, but no figure says anyone of it bought more than once (nobody bought,
    # everyone bought once, or nothing is known of buying): "Engaged customers", no buying word (was "Repeaters")
    assert name_segments(profiles) == {0: "Average customers", 1: "Engaged customers"}
    assert name_segments(compute_segment_profiles(with_constants({}), [0, 0, 1, 1])) == name_segments(profiles)


def test_a_constant_some_customers_have_no_value_for_is_recorded_as_partial(tmp_path):
    # a and c rated 4/5 -> (4 - 3) / 2 = +0.5 each; b gave no score: mean_sentiment is +0.5 for everyone who has one
    path = tmp_path / "rated.csv"
    path.write_text("customer_id,timestamp,event,score\n"
                    "a,2024-03-01,page_view,4\nb,2024-03-02,page_view,\nb,2024-03-03,page_view,\nc,2024-03-04,page_view,4\n")
    features = compute_customer_features(load_dataset([path]))
    assert features.attrs["constant"]["mean_sentiment"] == 0.5
    assert features.attrs["constant_partial"] == ["mean_sentiment"]


def test_a_partial_constant_is_not_claimed_for_every_customer():
    features = with_constants({"mean_sentiment": 0.5})
    features.attrs["constant_partial"] = ["mean_sentiment"]
    profiles = compute_segment_profiles(features, [0, 0, 1, 1])
    # which customers gave feedback is not known: no segment is said to have 2 of 2 responses at +0.5
    assert "mean_mean_sentiment" not in profiles
    assert profiles["sentiment_responses"].tolist() != [2, 2]


def test_a_segment_profile_shows_a_partial_constants_value_over_the_customers_who_have_it(tmp_path):
    path = tmp_path / "rated.csv"
    path.write_text("customer_id,timestamp,event,score\n"
                    "a,2024-03-01,page_view,4\nb,2024-03-02,page_view,\nb,2024-03-03,page_view,\nc,2024-03-04,page_view,4\n")
    features = compute_customer_features(load_dataset([path]))
    profiles = compute_segment_profiles(features, [0, 0, 1])  # {a, b} and {c}
    # a rated +0.5, b none -> 0.5 over 1; c +0.5 over 1
    assert profiles["sentiment"].tolist() == [0.5, 0.5]
    assert profiles["sentiment_responses"].tolist() == [1, 1]


def test_the_small_shops_segments_convert_fully_in_the_profiles_report_and_personas(shop):
    # Every customer of the shop reached the conversion stage (a, b, c and d each have a purchase) and made one
    # purchase: both are dropped as constants, so each segment has conversion 1.0 and 1.0 purchases on average.
    features = compute_customer_features(shop, comments=True)
    result = build_segmentation(features, params=SegmentParams(k=2))
    assert "converted" not in result.segmenter.feature_names_in_  # clustering still leaves them out
    assert "purchases" not in result.segmenter.feature_names_in_
    assert result.profiles["conversion"].tolist() == [1.0, 1.0]
    assert result.profiles["mean_purchases"].tolist() == [1.0, 1.0]
    report = segments_section(shop, params=SegmentParams(k=2))["segments"]["segments"]
    assert [(s["conversion"], s["purchases"]) for s in report] == [(1.0, 1.0), (1.0, 1.0)]
    personas = build_personas(shop, features, result.labels, result.profiles, names=result.names)
    assert [p.conversion for p in personas] == [1.0, 1.0]


def test_a_partial_constant_is_left_out_of_clustering_and_differences_but_profiled_where_customers_have_it(tmp_path):
    # a and c rated 4/5 -> +0.5 each, b none: mean_sentiment is dropped as a partial constant (attrs keep who has
    # it: a and c); it is no feature to cluster on or to compare segments by
    path = tmp_path / "rated.csv"
    path.write_text("customer_id,timestamp,event,score\n"
                    "a,2024-03-01,page_view,4\nb,2024-03-02,page_view,\nb,2024-03-03,page_view,\nc,2024-03-04,page_view,4\n")
    features = compute_customer_features(load_dataset([path]))
    assert "mean_sentiment" not in feature_columns(features)
    assert "mean_sentiment" not in default_features(features)
    assert "mean_sentiment" not in compute_feature_differences(features, [0, 1, 0])["feature"].tolist()
    profiles = compute_segment_profiles(features, [0, 1, 0])  # {a, c} and {b}
    # a and c +0.5 each -> mean 0.5 over 2 responses; b has none -> no mean (NaN), 0 responses
    assert profiles["sentiment"].tolist()[0] == 0.5 and pd.isna(profiles["sentiment"].tolist()[1])
    assert profiles["sentiment_responses"].tolist() == [2, 0]
    assert profiles["mean_mean_sentiment"].tolist()[0] == 0.5 and pd.isna(profiles["mean_mean_sentiment"].tolist()[1])
    assert "z_mean_sentiment" not in profiles  # a constant sets no segment apart
    # who has it is kept by customer id: with the rows reversed (c, b, a) and the same segments, the same profiles
    again = compute_segment_profiles(features.iloc[::-1].reset_index(drop=True), [0, 1, 0])
    assert again["sentiment_responses"].tolist() == [2, 0]
    # names leave it out: the same as when who has it is not known
    unknown = features.copy()
    unknown.attrs = {k: v for k, v in features.attrs.items() if k != "constant_holders"}
    assert name_segments(profiles) == name_segments(compute_segment_profiles(unknown, [0, 1, 0]))
