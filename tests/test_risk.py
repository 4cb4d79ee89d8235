"""At-risk customers: features, transparent rules, and the cross-validated model when a churn label exists."""

import numpy as np
import pandas as pd
import pytest

from cjm import engine
from cjm.errors import InsufficientDataError, ParameterError
from cjm.voice.risk import (
    RULES,
    RiskParams,
    compute_at_risk,
    compute_risk_distribution,
    compute_risk_features,
    describe_rules,
    find_label_column,
)
from cjm.voice.sentiment import SentimentParams, compute_signals
from cjm.data.dataset import Dataset
from tests.helpers import dataset

COLUMNS = ("customer_id", "timestamp", "event", "department", "text")
STAGES = {"visit": "awareness", "cart": "consideration", "purchase": "conversion"}


def small_log(customers=None):
    rows = [
        # a: active, then silent for 100 days, two support contacts long ago, negative last comment
        ("a", "2024-01-01", "visit", None, None), ("a", "2024-01-05", "visit", None, None),
        ("a", "2024-01-10", "visit", None, None), ("a", "2024-03-01", "chat", "support", None),
        ("a", "2024-03-02", "support_ticket", None, "Terrible service, I am furious"),
        # b: steady visitor who keeps progressing, two support contacts in the last 90 days
        ("b", "2024-04-01", "visit", None, None), ("b", "2024-05-20", "cart", None, None),
        ("b", "2024-06-01", "chat", "Customer Support", None), ("b", "2024-06-05", "purchase", "support", None),
        ("b", "2024-06-10", "visit", None, "Lovely shop, great help"),
    ]
    return dataset(rows, COLUMNS, stages=STAGES, customers=customers)


def test_features_are_computed_per_customer_to_the_end_of_the_data():
    ev = small_log()
    features = compute_risk_features(ev, signals=compute_signals(ev)).set_index("customer_id")
    a, b = features.loc["a"], features.loc["b"]
    assert a["recency_days"] == 100.0  # 2024-03-02 -> 2024-06-10
    assert (a["events_recent"], a["events_before"]) == (0, 5)
    assert a["frequency_change"] == -5
    assert (b["events_recent"], b["events_before"]) == (5, 0)  # 2024-04-01 is 70 days before the end
    assert a["support_contacts"] == 0 and b["support_contacts"] == 2
    assert a["last_negative"] and not b["last_negative"]
    assert b["furthest_stage"] == 2 and b["days_since_progress"] == 5.0
    assert a["furthest_stage"] == 0 and a["days_since_progress"] == 161.0 and a["stalled"]
    assert not b["stalled"]


def test_without_a_churn_label_the_rules_score_risk_and_say_why():
    ev = small_log()
    ranked, summary = compute_at_risk(ev, signals=compute_signals(ev))
    assert summary["method"] == "rules" and "no churn label" in summary["reason"]
    a = ranked.set_index("customer_id").loc["a"]
    # inactive 30 + falling frequency 20 + negative last comment 20 + low mean sentiment 10 + stalled 5
    assert a["risk"] == pytest.approx(0.85)
    assert a["drivers"] == ("no activity for 100 days; events fell from 5 to 0; negative last comment; "
                            "mean sentiment -0.78; no stage progress for 161 days")
    b = ranked.set_index("customer_id").loc["b"]
    assert b["risk"] == pytest.approx(0.15) and b["drivers"] == "2 support contacts in the last 90 days"
    assert list(ranked["customer_id"]) == ["a", "b"]
    assert summary["count"] == 1 and summary["top"] == ["a"]


def test_the_rule_list_is_exposed_with_points_adding_to_100():
    table = describe_rules(RiskParams(inactive_days=45))
    assert sum(r.points for r in RULES) == 100
    assert table.loc[table["rule"] == "inactive", "condition"].item() == "no event for 45 days or more"


def test_risk_parameters_are_checked():
    with pytest.raises(ParameterError, match="0"):
        RiskParams(window_days=0)
    with pytest.raises(ParameterError, match="'magic'"):
        RiskParams(method="magic")


def labelled_world(n=240, seed=0):
    """Synthetic customers: churners stop visiting and complain; a fifth of those who stay look the
    same (they are the ones at risk); everything drawn at random."""
    rng = np.random.default_rng(seed)
    churned = rng.random(n) < 0.35
    end = pd.Timestamp("2024-12-31", tz="UTC")
    looks_gone = churned | (rng.random(n) < 0.2)
    last_gap = np.where(looks_gone, rng.integers(30, 200, n), rng.integers(0, 60, n))
    visits = rng.integers(2, 12, n)
    ids = np.repeat([f"c{i:03d}" for i in range(n)], visits)
    gaps = np.repeat(last_gap, visits) + rng.integers(0, 200, visits.sum())
    frame = pd.DataFrame({"customer_id": ids, "timestamp": end - pd.to_timedelta(gaps, unit="D"), "event": "visit"})
    complaint = looks_gone & (rng.random(n) < 0.6)
    notes = pd.DataFrame({"customer_id": [f"c{i:03d}" for i in range(n)],
                          "timestamp": end - pd.to_timedelta(last_gap, unit="D"), "event": "review",
                          "text": np.where(complaint, "Awful service, I am very disappointed", "Nice shop, thanks")})
    customers = pd.DataFrame({"customer_id": [f"c{i:03d}" for i in range(n)],
                              "Churned": np.where(churned, "yes", "no"), "age": rng.integers(18, 80, n)})
    return Dataset.from_events(pd.concat([frame, notes], ignore_index=True), customers=customers)


def test_with_a_churn_label_a_cross_validated_model_scores_risk():
    ev = labelled_world()
    ranked, summary = compute_at_risk(ev, signals=compute_signals(ev))
    assert summary["method"] == "model" and summary["label_column"] == "Churned"
    assert summary["auc"] > 0.7
    assert ranked["risk"].between(0, 1).all()
    assert not ranked.loc[ranked["churned"] == 1, "at_risk"].any()  # already gone, not "at risk"
    assert summary["count"] == int(ranked["at_risk"].sum())
    top = ranked.iloc[0]
    assert top["at_risk"] and "no activity for" in top["drivers"]


def test_the_model_gives_the_same_risks_on_every_run():
    ev = labelled_world(seed=3)
    first, s1 = compute_at_risk(ev)
    second, s2 = compute_at_risk(ev)
    pd.testing.assert_frame_equal(first, second)
    assert s1 == s2


def test_too_few_churners_fall_back_to_rules_unless_the_model_is_forced():
    ev = small_log(customers=engine.register(pd.DataFrame({"customer_id": ["a", "b"], "churn": [1, 0]})))
    _, summary = compute_at_risk(ev)
    assert summary["method"] == "rules" and "1 churned and 1 retained" in summary["reason"]
    with pytest.raises(InsufficientDataError, match="at least 5 of each"):
        compute_at_risk(ev, params=RiskParams(method="model"))


def test_a_churn_label_column_is_found_by_name_in_any_case_and_spacing():
    assert find_label_column(["customer_id", "Is Churn", "age"]) == "Is Churn"
    assert find_label_column(["customer_id", "Cancelled"]) == "Cancelled"
    assert find_label_column(["customer_id", "age"]) is None


def test_the_risk_distribution_counts_customers_per_band():
    at_risk = pd.DataFrame({"risk": [0.0, 0.04, 0.5, 0.55, 1.0], "at_risk": [False, False, True, True, True]})
    bands = compute_risk_distribution(at_risk, bins=10)
    assert bands["customers"].sum() == 5
    assert list(bands.loc[[0, 5, 9], "customers"]) == [2, 2, 1]
    assert bands["at_risk_customers"].sum() == 3
    assert (bands["other_customers"] == bands["customers"] - bands["at_risk_customers"]).all()


def test_customers_already_churned_are_counted_apart_in_the_risk_distribution():
    at_risk = pd.DataFrame({"risk": [0.1, 0.9, 0.95, 0.2], "at_risk": [False, True, False, False],
                            "churned": [0.0, 0.0, 1.0, None]})
    bands = compute_risk_distribution(at_risk, bins=2)
    assert list(bands["churned_customers"]) == [0, 1] and list(bands["at_risk_customers"]) == [0, 1]
    assert list(bands["other_customers"]) == [2, 0]


def test_given_sentiment_settings_the_at_risk_score_reads_the_feedback_itself():
    rows = [("a", "2024-01-01", "visit", None, None), ("a", "2024-01-02", "chat", "support", "Awful, rude and useless"),
            ("b", "2024-01-01", "visit", None, None), ("b", "2024-01-03", "chat", "support", "Lovely, thank you")]
    log = dataset(rows, COLUMNS, stages=STAGES)
    ranked, _ = compute_at_risk(log, sentiment=SentimentParams())
    with_signals, _ = compute_at_risk(log, signals=compute_signals(log))
    assert ranked.set_index("customer_id")["last_negative"].to_dict() == {"a": True, "b": False}
    assert ranked.equals(with_signals)
    without, _ = compute_at_risk(log)
    assert not without["last_negative"].any()


def test_a_churned_customer_with_a_high_score_is_already_lost_never_not_at_risk():
    from cjm.voice.risk import risk_status

    row = pd.Series({"risk": 0.95, "at_risk": False, "drivers": "no activity for 90 days", "churned": 1.0})
    kind, text = risk_status(row, threshold=0.5, label_column="Churn")
    assert kind == "churned"
    assert text == ("Already left (marked as churned in the 'Churn' column), so no longer counted at risk; "
                    "the model's risk score for them is 95%.")
    assert "Not at risk" not in text


def test_the_risk_sentence_names_the_threshold_it_is_read_against():
    from cjm.voice.risk import risk_status

    low = pd.Series({"risk": 0.12, "at_risk": False, "drivers": "", "churned": 0.0})
    high = pd.Series({"risk": 0.5, "at_risk": True, "drivers": "2 support contacts"})
    assert risk_status(low, threshold=0.5) == ("not_at_risk", "Not at risk (risk 12%, below the 50% threshold)")
    assert risk_status(high, threshold=0.5) == (
        "at_risk", "At risk of leaving (risk 50%, at or above the 50% threshold): 2 support contacts")


@pytest.mark.parametrize("listed", [1000, 0])  # 0: too many values to list, matched against a table of them
def test_a_support_contact_is_found_by_its_department_stage_or_event_name_in_any_case(monkeypatch, listed):
    monkeypatch.setattr("cjm.data.contacts.MAX_LISTED", listed)
    rows = [  # all within the last 90 days of the data (it ends 2024-06-30)
        ("s", "2024-06-01", "visit", " HELP_DESK ", None),        # department, spaces and case aside
        ("s", "2024-06-02", "refund", None, None),                # stage "after-sales Service"
        ("s", "2024-06-03", "Callback_Requested", None, None),    # not a support contact: "callback" is no word of the rule
        ("s", "2024-06-04", "Live Chat", "sales", None),          # event name has the word "chat"
        ("s", "2024-06-05", "visit", "sales", None),              # not a support contact
        ("s", "2024-06-30", "purchase", None, None),              # not a support contact
    ]
    stages = {"refund": "after-sales Service", "visit": "awareness", "purchase": "conversion",
              "__order__": ("awareness", "conversion", "after-sales Service")}
    features = compute_risk_features(dataset(rows, COLUMNS, stages=stages)).set_index("customer_id")
    assert features.loc["s", "support_contacts"] == 3  # the help desk visit, the refund, the live chat


def test_risk_drivers_written_once_per_distinct_combination_are_those_written_row_by_row():
    from cjm.voice.risk import RiskModel

    ev = small_log()
    features = compute_risk_features(ev, signals=compute_signals(ev))
    # four copies of each customer: the drivers are written for two rows and spread to eight
    many = pd.concat([features] * 4, ignore_index=True)
    model = RiskModel().fit(many, None)
    assert model.drivers(many).tolist() == model._rule_drivers(many).tolist()
    a = model.drivers(many)[many["customer_id"].eq("a")]
    vader = compute_signals(ev).set_index("customer_id").loc["a", "value"]  # VADER's score of a's one comment
    assert set(a) == {"no activity for 100 days; events fell from 5 to 0; negative last comment; "
                      f"mean sentiment {vader:+.2f}; no stage progress for 161 days"}


def test_equal_values_share_a_code_and_minus_zero_is_apart_from_zero():
    from cjm.voice.risk import distinct_codes

    codes = distinct_codes(pd.Series([0.0, -0.0, 0.0, np.nan, 1.5]))
    assert codes[0] == codes[2] and len(set(codes)) == 4
    assert distinct_codes(pd.Series(["x", None, "y", "x"])).tolist() == [0, -1, 1, 0]


def test_words_written_once_per_distinct_key_are_spread_to_every_row_in_order():
    from cjm.voice.risk import written_once

    frame = pd.DataFrame({"n": [3, 1, 3, 1, 2]}, index=[10, 11, 12, 13, 14])
    seen = []

    def write(rows):
        seen.append(len(rows))
        return "n=" + rows["n"].astype("string")

    out = written_once(frame, [frame["n"].to_numpy()], write)
    assert seen == [3]  # one row per distinct value
    assert out.tolist() == ["n=3", "n=1", "n=3", "n=1", "n=2"] and out.index.tolist() == [10, 11, 12, 13, 14]


def test_without_explanations_the_ranking_and_summary_are_the_same_and_drivers_are_empty():
    ev = small_log()
    signals = compute_signals(ev)
    explained, summary = compute_at_risk(ev, signals=signals)
    bare, bare_summary = compute_at_risk(ev, signals=signals, explain=False)
    assert bare_summary == summary
    assert bare.drop(columns="drivers").equals(explained.drop(columns="drivers"))
    assert bare["drivers"].isna().all() and explained["drivers"].notna().all()


def test_an_event_exactly_one_window_before_the_end_counts_in_the_window_before_not_the_recent_one():
    # days before the end (2024-06-30): 181 and 180 (outside both windows), 91 and 90 (the window before)
    rows = [("a", "2024-01-01", "visit", None, None), ("a", "2024-01-02", "visit", None, None),
            ("a", "2024-03-31", "visit", None, None), ("a", "2024-04-01", "visit", None, None),
            ("a", "2024-04-02", "chat", "support", None),  # 89 days: recent, a support contact
            ("b", "2024-06-29", "visit", None, "Awful, I hate it"), ("b", "2024-06-30", "visit", None, None)]
    features = compute_risk_features(dataset(rows, COLUMNS, stages=STAGES), params=RiskParams(window_days=90))
    a = features.set_index("customer_id").loc["a"]
    assert (a["events_recent"], a["events_before"], a["support_contacts"]) == (1, 2, 1)


def test_feedback_of_customers_without_events_up_to_as_of_is_left_out_and_the_others_keep_theirs():
    rows = [("a", "2024-01-01", "visit", None, "Wonderful, I love it"), ("a", "2024-01-03", "visit", None, None),
            ("b", "2024-01-02", "visit", None, "Terrible, awful service"),
            ("c", "2024-02-01", "visit", None, "Terrible, awful service")]  # after as_of
    ev = dataset(rows, COLUMNS, stages=STAGES)
    features = compute_risk_features(ev, signals=compute_signals(ev), as_of="2024-01-10")
    assert features["customer_id"].tolist() == ["a", "b"]
    assert features["last_negative"].tolist() == [False, True]
    assert features["mean_sentiment"].gt(0).tolist() == [True, False]
