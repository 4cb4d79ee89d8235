"""Per-customer features: hand-computed values on a literal log, dropping rules, customer attributes."""

import numpy as np
import pandas as pd
import pytest

from cjm import engine
from cjm.errors import InsufficientDataError, ParameterError
from cjm.customers.features import compute_customer_features, feature_columns, feature_label, feature_phrase
from cjm.data.dataset import Dataset
from cjm.journey.kpis import compute_kpis
from tests.helpers import dataset, real_file

STAGES = {"ad_click": "awareness", "product_view": "consideration", "purchase": "conversion",
          "support_ticket": "retention"}
COLUMNS = ("customer_id", "timestamp", "event", "channel", "device", "department", "revenue", "score")
ROWS = [
    ("a", "2024-01-01", "ad_click", "social", "mobile", None, None, None),
    ("a", "2024-01-02", "product_view", "web", "desktop", None, None, None),
    ("a", "2024-01-03", "purchase", "web", "mobile", None, 50.0, None),
    ("a", "2024-01-05", "support_ticket", "phone", None, "support", None, 2),
    ("b", "2024-01-04", "product_view", "web", "desktop", None, None, 5),
    ("b", "2024-01-10", "purchase", "web", "desktop", None, 20.0, None),
    ("b", "2024-01-10", "purchase", "email", "desktop", None, 30.0, None),
    ("c", "2024-01-08", "ad_click", "social", "mobile", None, None, None),
]


@pytest.fixture(scope="module")
def log():
    return dataset(ROWS, columns=COLUMNS, stages=STAGES)


@pytest.fixture(scope="module")
def features(log):
    return compute_customer_features(log).set_index("customer_id")


def test_each_customer_gets_one_row_sorted_by_id(log):
    frame = compute_customer_features(log)
    assert list(frame["customer_id"]) == ["a", "b", "c"]


def test_recency_and_tenure_are_days_to_the_last_event_in_the_data(features):
    assert features["recency_days"].to_dict() == {"a": 5.0, "b": 0.0, "c": 2.0}
    assert features["tenure_days"].to_dict() == {"a": 9.0, "b": 6.0, "c": 2.0}


def test_frequency_counts_events_and_purchases_counts_purchases(features):
    assert features["frequency"].to_dict() == {"a": 4, "b": 3, "c": 1}
    # b's two purchases share customer, time and event: line items of one order (DESIGN.md section 3)
    assert features["purchases"].to_dict() == {"a": 1, "b": 1, "c": 0}


def test_monetary_sums_revenue_with_zero_for_customers_without_any(features):
    assert features["monetary"].to_dict() == {"a": 50.0, "b": 50.0, "c": 0.0}


def test_furthest_stage_and_converted_follow_the_stage_model(features):
    assert features["furthest_stage"].to_dict() == {"a": 3, "b": 2, "c": 0}
    assert features["converted"].to_dict() == {"a": True, "b": True, "c": False}


def test_device_switches_count_consecutive_events_on_different_known_devices(features):
    # a: mobile -> desktop -> mobile -> (none): two switches; b stays on desktop.
    assert features["device_switches"].to_dict() == {"a": 2, "b": 0, "c": 0}


def test_support_contacts_count_support_department_and_support_like_events(features):
    assert features["support_contacts"].to_dict() == {"a": 1, "b": 0, "c": 0}


def test_ratings_become_sentiment_on_the_minus_one_to_one_scale(features):
    assert features.loc["a", "mean_sentiment"] == pytest.approx(-0.5)  # rating 2 -> (2-3)/2
    assert features.loc["b", "mean_sentiment"] == pytest.approx(1.0)  # rating 5
    assert np.isnan(features.loc["c", "mean_sentiment"])


def test_channel_and_device_mix_are_shares_of_the_customers_events(features):
    assert features.loc["a", "channel_share_web"] == pytest.approx(0.5)
    assert features.loc["a", "channel_share_social"] == pytest.approx(0.25)
    assert features.loc["b", "channel_share_email"] == pytest.approx(1 / 3)
    assert features.loc["a", "device_share_mobile"] == pytest.approx(2 / 3)  # 2 of 3 events with a device
    assert features.loc["c", "device_share_mobile"] == 1.0


def test_as_of_ignores_later_events_and_measures_recency_from_that_date(log):
    frame = compute_customer_features(log, as_of="2024-01-06").set_index("customer_id")
    assert list(frame.index) == ["a", "b"]
    assert frame["recency_days"].to_dict() == {"a": 1.0, "b": 2.0}
    assert frame.attrs["as_of"].startswith("2024-01-06")


def test_a_bad_as_of_date_is_quoted_in_the_error(log):
    with pytest.raises(ParameterError, match="'next tuesday'"):
        compute_customer_features(log, as_of="next tuesday")


def test_an_as_of_before_every_event_explains_there_is_nothing_to_describe(log):
    with pytest.raises(InsufficientDataError, match="as_of"):
        compute_customer_features(log, as_of="2020-01-01")


def test_without_a_revenue_column_monetary_is_absent_and_the_reason_recorded():
    log = dataset([("a", "2024-01-01", "view"), ("a", "2024-01-03", "view"), ("b", "2024-01-02", "view")])
    frame = compute_customer_features(log)
    assert "monetary" not in frame
    assert "revenue" in frame.attrs["dropped"]["monetary"]


def test_features_that_are_the_same_for_everyone_are_dropped_with_the_reason(features, log):
    frame = compute_customer_features(log)
    dropped = frame.attrs["dropped"]
    assert dropped == {}  # this log varies on everything
    same = dataset([("a", "2024-01-01", "view"), ("b", "2024-01-02", "view")])
    frame = compute_customer_features(same)
    assert "support_contacts" not in frame
    assert "same value" in frame.attrs["dropped"]["support_contacts"]
    assert "frequency" in frame.attrs["dropped"]


def test_purchases_identical_to_events_are_dropped_as_duplicating_frequency():
    log = dataset(
        [("a", "2024-01-01", "purchase", 10.0), ("a", "2024-01-02", "purchase", 5.0),
         ("b", "2024-01-03", "purchase", 7.0)],
        columns=("customer_id", "timestamp", "event", "revenue"),
    )
    frame = compute_customer_features(log)
    assert "purchases" not in frame
    assert frame.attrs["dropped"]["purchases"].startswith("the same as frequency")
    assert frame.set_index("customer_id")["frequency"].to_dict() == {"a": 2, "b": 1}


def test_without_a_conversion_stage_a_purchase_counts_as_converting():
    log = dataset(
        [("a", "2024-01-01", "visit"), ("a", "2024-01-02", "purchase"), ("b", "2024-01-03", "visit")],
        stages={"visit": "browse", "purchase": "buy", "__order__": ("browse", "buy")},
    )
    frame = compute_customer_features(log).set_index("customer_id")
    assert frame["converted"].to_dict() == {"a": True, "b": False}
    assert any("no 'conversion' stage" in note for note in frame.attrs["notes"])


def test_device_switches_follow_file_order_when_timestamps_tie():
    log = dataset(
        [("a", "2024-01-01 10:00", "view", "mobile"), ("a", "2024-01-01 10:00", "view", "desktop"),
         ("a", "2024-01-01 10:00", "view", "desktop"), ("b", "2024-01-01", "view", "mobile")],
        columns=("customer_id", "timestamp", "event", "device"),
    )
    frame = compute_customer_features(log).set_index("customer_id")
    assert frame["device_switches"].to_dict() == {"a": 1, "b": 0}


@pytest.mark.parametrize("counted", [20, 3], ids=["devices counted per customer", "too many devices to count"])
def test_device_switches_between_rarely_used_devices_count_too(monkeypatch, counted):
    from cjm.customers import features as module

    monkeypatch.setattr(module, "MAX_COUNTED_DEVICES", counted)
    common = [(c, f"2024-01-0{d}", "view", device) for c in "abcdef" for d, device in enumerate(
        ["mobile", "desktop", "tablet", "tv", "watch"], start=1)]
    # g switches kiosk -> car twice; the event without a device between them breaks the pair car, kiosk
    rows = common + [("g", "2024-01-01", "view", "kiosk"), ("g", "2024-01-02", "view", "car"),
                     ("g", "2024-01-03", "view", None), ("g", "2024-01-04", "view", "kiosk"),
                     ("g", "2024-01-05", "view", "car"),
                     ("h", "2024-01-01", "view", "car"), ("h", "2024-01-02", "view", "car")]  # one device
    frame = compute_customer_features(dataset(rows, columns=("customer_id", "timestamp", "event", "device")))
    switches = frame.set_index("customer_id")["device_switches"].to_dict()
    assert switches == {**dict.fromkeys("abcdef", 4), "g": 2, "h": 0}


def test_nps_scores_are_put_on_the_sentiment_scale():
    log = dataset(
        [("a", "2024-01-01", "survey", 10), ("b", "2024-01-02", "survey", 0), ("c", "2024-01-02", "survey", 7)],
        columns=("customer_id", "timestamp", "event", "score"),
    )
    frame = compute_customer_features(log).set_index("customer_id")
    assert frame["mean_sentiment"].to_dict() == pytest.approx({"a": 1.0, "b": -1.0, "c": 0.4})


def test_text_sentiment_signals_are_averaged_with_scores():
    log = dataset(
        [("a", "2024-01-01", "review", 5), ("b", "2024-01-02", "visit", None)],
        columns=("customer_id", "timestamp", "event", "score"),
    )
    signals = pd.DataFrame({"customer_id": ["a", "b", "b"], "value": [0.0, -0.5, -0.1]})
    frame = compute_customer_features(log, sentiment=signals).set_index("customer_id")
    assert frame["mean_sentiment"].to_dict() == pytest.approx({"a": 0.5, "b": -0.3})


def test_a_sentiment_frame_without_a_value_column_names_it():
    log = dataset([("a", "2024-01-01", "visit"), ("b", "2024-01-02", "visit")])
    with pytest.raises(InsufficientDataError, match="value"):
        compute_customer_features(log, sentiment=pd.DataFrame({"customer_id": ["a"], "score": [1.0]}))


def test_customer_attributes_become_numeric_and_one_hot_features():
    customers = engine.register(
        pd.DataFrame(
            {
                "customer_id": list("abcdef"),
                "Income": [10.0, None, 30.0, 40.0, None, 1000.0],
                "plan": ["gold", "silver", "gold", "bronze", None, "gold"],
                "account_id": ["x1", "x2", "x3", "x4", "x5", "x6"],
                "country": ["FR"] * 6,
                "note": [f"called on day {i} about a long and winding complaint" for i in range(6)],
                "signup": ["2020-01-0%d" % (i + 1) for i in range(6)],
            }
        )
    )
    log = dataset([(c, "2024-01-01", "view") for c in "abcdef"] + [("a", "2024-01-05", "view")], customers=customers)
    frame = compute_customer_features(log).set_index("customer_id")
    assert frame["Income"].to_dict() == {"a": 10.0, "b": 35.0, "c": 30.0, "d": 40.0, "e": 35.0, "f": 1000.0}
    assert any(note.startswith("Income: 2 customers") and "median (35)" in note for note in frame.attrs["notes"])
    assert frame["plan_gold"].tolist() == [1.0, 0.0, 1.0, 0.0, 0.0, 1.0]
    assert frame.loc["e", "plan_missing"] == 1.0
    dropped = frame.attrs["dropped"]
    assert "identifier" in dropped["account_id"]
    assert "same value" in dropped["country_fr"]
    assert "free text" in dropped["note"]
    assert "dates" in dropped["signup"]


def test_a_running_number_is_skipped_as_an_identifier_but_unique_amounts_are_kept():
    ids = [f"c{i:02d}" for i in range(25)]
    customers = pd.DataFrame(
        {"customer_id": ids, "member_no": range(1001, 1026), "income": [20_000 + 1_337 * i * i for i in range(25)]}
    )
    log = dataset([(c, "2024-01-01", "view") for c in ids], customers=customers)
    frame = compute_customer_features(log)
    assert "member_no" not in frame and "identifier" in frame.attrs["dropped"]["member_no"]
    assert frame["income"].is_unique


def test_categorical_attributes_keep_the_ten_most_common_levels_and_fold_the_rest_into_other():
    ids = [f"c{i:02d}" for i in range(40)]
    city = [f"city{i % 13:02d}" for i in range(40)]  # 13 cities
    customers = pd.DataFrame({"customer_id": ids, "city": city})
    log = dataset([(c, "2024-01-01", "view") for c in ids], customers=customers)
    frame = compute_customer_features(log)
    one_hot = [c for c in frame.columns if c.startswith("city_")]
    assert len(one_hot) == 11
    assert "city_other" in one_hot
    assert frame["city_other"].sum() == 9  # city10..city12, three customers each


def test_feature_columns_lists_numeric_and_yes_no_features_only(features):
    assert feature_columns(features.reset_index())[:3] == ["recency_days", "frequency", "purchases"]
    assert "customer_id" not in feature_columns(features.reset_index())


def test_features_are_described_in_plain_words():
    assert feature_phrase("monetary", True) == "higher spend"
    assert feature_phrase("recency_days", False) == "more recent activity"
    assert feature_phrase("device_share_mobile", True) == "more mobile device use"
    assert feature_phrase("Income", False) == "lower Income"


def test_real_marketing_campaign_attributes_with_missing_income_do_not_break_features():
    path = real_file("marketing_campaign.csv")
    table = pd.read_csv(path, sep=";", encoding="utf-8-sig")
    table = table.rename(columns={"ID": "customer_id"}).astype({"customer_id": str})
    signup = pd.to_datetime(table["Dt_Customer"], format="%Y-%m-%d", utc=True)
    log = Dataset.from_events(
        pd.DataFrame({"customer_id": table["customer_id"], "timestamp": signup, "event": "signup"}), customers=table
    )
    frame = compute_customer_features(log)
    assert len(frame) == len(table) == 2240
    assert frame["Income"].notna().all()
    assert any(note.startswith("Income: 24 customers") for note in frame.attrs["notes"])
    assert "Z_CostContact" in frame.attrs["dropped"] and "Z_Revenue" in frame.attrs["dropped"]
    assert "Education_graduation" in frame.columns
    assert not frame[feature_columns(frame)].isna().any().any()


def test_without_revenue_the_money_columns_of_the_customers_file_give_the_spend():
    customers = pd.DataFrame({"customer_id": list("abc"), "MntWines": [100.0, 0.0, 20.0],
                              "MntMeat": [50.0, 10.0, 0.0], "NumWebVisits": [3, 1, 2], "Z_Revenue": [11, 11, 11]})
    log = dataset([(c, "2024-01-01", "signup") for c in "abc"] + [("a", "2024-01-03", "visit")], customers=customers)
    frame = compute_customer_features(log).set_index("customer_id")
    assert frame["monetary"].to_dict() == {"a": 150.0, "b": 10.0, "c": 20.0}  # counts and constants left out
    assert "monetary" not in frame.attrs["dropped"]
    assert any("sum of the customer columns MntWines, MntMeat" in note for note in frame.attrs["notes"])


def test_a_customer_without_a_money_value_has_no_spend_rather_than_a_spend_of_zero():
    customers = pd.DataFrame({"customer_id": ["a", "b"], "total_spend": [100.0, 40.0]})
    log = dataset([(c, "2024-01-01", "signup") for c in "abc"] + [("a", "2024-01-03", "visit")], customers=customers)
    frame = compute_customer_features(log).set_index("customer_id")
    assert frame.loc[["a", "b"], "monetary"].tolist() == [100.0, 40.0]
    assert np.isnan(frame.loc["c", "monetary"])  # c is not in the customers file
    assert any(note.startswith("1 customer has no value in those columns") for note in frame.attrs["notes"])


def test_declared_expected_or_target_money_is_not_what_a_customer_spent():
    # olist's closed deals carry the seller's own declared_monthly_revenue: not a spend with the business
    customers = pd.DataFrame({"customer_id": list("abc"), "declared_monthly_revenue": [0.0, 50000.0, 120000.0],
                              "expected_revenue": [1.0, 2.0, 3.0], "target_amount": [5.0, 6.0, 7.0]})
    log = dataset([(c, "2024-01-01", "signup") for c in "abc"] + [("a", "2024-01-03", "visit")], customers=customers)
    frame = compute_customer_features(log)
    assert "monetary" not in frame.columns
    assert "monetary" in frame.attrs["dropped"]


def test_revenue_on_the_events_wins_over_money_columns_of_the_customers_file():
    customers = pd.DataFrame({"customer_id": list("abc"), "total_spend": [1.0, 2.0, 3.0]})
    log = dataset(ROWS, columns=COLUMNS, stages=STAGES, customers=customers)
    frame = compute_customer_features(log).set_index("customer_id")
    assert frame["monetary"].to_dict() == {"a": 50.0, "b": 50.0, "c": 0.0}


def test_with_one_active_day_per_customer_tenure_is_dropped_as_the_same_as_recency():
    log = dataset([("a", "2024-01-01", "signup"), ("b", "2024-01-05", "signup"), ("c", "2024-01-09", "signup")])
    frame = compute_customer_features(log)
    assert "tenure_days" not in frame and frame["recency_days"].tolist() == [8.0, 4.0, 0.0]
    assert frame.attrs["dropped"]["tenure_days"].startswith("the same as recency_days")


def test_one_hot_columns_of_categorical_attributes_are_listed_in_the_attrs():
    customers = pd.DataFrame({"customer_id": list("abcd"), "plan": ["gold", "gold", "silver", "bronze"],
                              "age": [20.0, 30.0, 40.0, 50.0]})
    log = dataset([(c, "2024-01-0%d" % (i + 1), "view") for i, c in enumerate("abcd")], customers=customers)
    frame = compute_customer_features(log)
    assert frame.attrs["one_hot"] == ["plan_bronze", "plan_gold", "plan_silver"]
    assert "age" not in frame.attrs["one_hot"]


def test_comments_without_a_score_are_read_into_mean_sentiment_when_asked():
    log = dataset(
        [("a", "2024-01-01", "review", 5, "Terrible, awful, broken."),  # the 5-star rating outranks the words
         ("b", "2024-01-02", "chat", None, "I love it, wonderful service!"),
         ("c", "2024-01-03", "chat", None, "This is terrible and I hate it."),
         ("d", "2024-01-04", "visit", None, None)],
        columns=("customer_id", "timestamp", "event", "score", "text"),
    )
    plain = compute_customer_features(log).set_index("customer_id")
    read = compute_customer_features(log, comments=True).set_index("customer_id")
    assert "mean_sentiment" not in plain  # one rating alone does not tell customers apart
    assert read.loc["a", "mean_sentiment"] == 1.0
    assert read.loc["b", "mean_sentiment"] > 0.5 and read.loc["c", "mean_sentiment"] < -0.5
    assert pd.isna(read.loc["d", "mean_sentiment"])
    assert any(note.startswith("2 comments without a score") for note in read.attrs["notes"])


def test_in_a_report_the_comments_come_from_the_sentiment_sections_signals_with_the_same_numbers():
    from cjm.voice.sentiment import compute_signals

    log = dataset(
        [("a", "2024-01-01", "review", 5, "Terrible, awful, broken."),  # a rating with words: not a comment
         ("a", "2024-01-02", "chat", None, "Quite good, thanks."),
         ("b", "2024-01-02", "chat", None, "I love it, wonderful service!"),
         ("b", "2024-01-03", "review", 2, None),
         ("c", "2024-01-03", "chat", None, "This is terrible and I hate it."),
         ("c", "2024-01-05", "chat", None, "   "),
         ("d", "2024-01-04", "visit", None, None)],
        columns=("customer_id", "timestamp", "event", "score", "text"),
    )
    alone = compute_customer_features(log, comments=True)
    with engine.shared():  # as in the report: the sentiment section reads the signals first
        compute_signals(log)
        in_report = compute_customer_features(log, comments=True)
    pd.testing.assert_frame_equal(in_report, alone, check_exact=True)
    assert in_report.attrs == alone.attrs
    assert any(note.startswith("3 comments without a score") for note in in_report.attrs["notes"])
    assert in_report.set_index("customer_id")["mean_sentiment"].notna().to_dict() == {
        "a": True, "b": True, "c": True, "d": False}


def test_abbreviated_export_column_names_are_spelt_out():
    assert feature_label("MntMeatProducts") == "spend on meat products"
    assert feature_phrase("NumWebPurchases", True) == "more web purchases"
    assert feature_label("NoOfVisits") == "number of visits"
    assert feature_label("Kidhome") == "Kidhome" and feature_label("number") == "number"


def test_a_support_stage_and_a_support_department_in_any_case_or_spacing_count_as_support_contacts():
    stages = {"__order__": ("consideration", "support"), "browse": "consideration", "call": "support"}
    rows = [("a", "2024-01-01", "browse", " SUPPORT "), ("a", "2024-01-02", "browse", "Sales"),
            ("b", "2024-01-01", "call", None), ("b", "2024-01-02", "call", None),
            ("c", "2024-01-01", "browse", "Supporting"), ("c", "2024-01-03", "browse", None)]
    log = dataset(rows, columns=("customer_id", "timestamp", "event", "department"), stages=stages)
    frame = compute_customer_features(log).set_index("customer_id")
    assert frame["support_contacts"].to_dict() == {"a": 1, "b": 2, "c": 0}


def test_purchases_count_distinct_purchase_times_of_the_purchase_events_as_the_overview_does():
    rows = [("a", "2024-01-01", "view", None), ("a", "2024-01-02", "purchase", 10.0),
            ("a", "2024-01-02", "purchase", 5.0), ("a", "2024-01-03", "renewal", 7.0),
            ("b", "2024-01-01", "view", None), ("b", "2024-01-04", "view", 0.0),
            ("c", "2024-01-05", "order_completed", None), ("c", "2024-01-06", "order_completed", None)]
    log = dataset(rows, columns=("customer_id", "timestamp", "event", "revenue"))
    frame = compute_customer_features(log)
    # The data names its purchases (purchase, order_completed), so those are its purchases, as the Overview's
    # repeat-purchase rate counts them (cjm.journey.buying): a's two purchase lines of 2 Jan are one order and her
    # 'renewal' with money is no purchase: a 1; b none; c 2 (5 and 6 Jan). Was a 2 (the renewal's money counted as a
    # purchase), which made a a repeat buyer in the segments and RFM while the Overview counts her once.
    assert frame.set_index("customer_id")["purchases"].to_dict() == {"a": 1, "b": 0, "c": 2}
    kpis = compute_kpis(log, period="all").set_index("name")["value"]
    assert kpis["repeat_purchase_rate"] == pytest.approx(1 / 2)  # c of the buyers a and c
