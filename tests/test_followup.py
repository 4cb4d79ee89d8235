"""Closed loop: customers whose latest feedback is negative, most valuable first, then most recent."""

import pandas as pd
import pytest

from cjm.data.filters import Filters
from cjm.errors import ParameterError
from cjm.voice.followup import compute_closed_loop, compute_followup_by_department, latest_feedback
from cjm.voice.sentiment import compute_signals
from tests.helpers import dataset

COLUMNS = ("customer_id", "timestamp", "event", "revenue", "score", "text", "department")


def log(rows, columns=COLUMNS):
    ev = dataset(rows, columns)
    return ev, compute_signals(ev)


def test_unhappy_customers_are_ranked_by_revenue_then_by_recency():
    ev, signals = log([
        ("a", "2024-01-01", "purchase", 100.0, None, None, "sales"),
        ("a", "2024-01-05", "support_ticket", None, 1, "Terrible, awful support", None),
        ("b", "2024-01-02", "purchase", 300.0, None, None, None),
        ("b", "2024-01-06", "review", None, 2, None, "support"),
        ("c", "2024-01-02", "purchase", 100.0, None, None, None),
        ("c", "2024-01-08", "review", None, 1, None, None),
        ("d", "2024-01-02", "purchase", 900.0, None, None, None),
        ("d", "2024-01-03", "review", None, 1, None, None),
        ("d", "2024-01-07", "review", None, 5, "Love it, thank you", None),
        ("e", "2024-01-10", "review", None, 3, None, None),
    ])
    loop = compute_closed_loop(ev, signals=signals)
    # d's latest feedback is positive and e's neutral: not on the list. a and c tie on 100: c is more recent.
    assert list(loop["customer_id"]) == ["b", "c", "a"]
    assert list(loop["value"]) == [300.0, 100.0, 100.0]
    assert set(loop["value_basis"]) == {"revenue"}
    assert list(loop["days_since"]) == [4.0, 2.0, 5.0]
    assert list(loop["sentiment"]) == [-0.5, -1.0, -1.0]


def test_the_owner_is_the_feedback_events_department_else_the_latest_one_before_it():
    ev, signals = log([
        ("a", "2024-01-01", "purchase", 10.0, None, None, "sales"),
        ("a", "2024-01-02", "review", None, 1, None, None),
        ("a", "2024-01-03", "visit", None, None, None, "marketing"),
        ("b", "2024-01-02", "review", 5.0, 1, None, "billing"),
        ("c", "2024-01-02", "review", 1.0, 1, None, None),
    ])
    owners = compute_closed_loop(ev, signals=signals).set_index("customer_id")["department"]
    assert owners.to_dict() == {"a": "sales", "b": "billing", "c": "unassigned"}


def test_without_revenue_the_value_is_the_number_of_purchases_and_says_so():
    ev, signals = log([
        ("a", "2024-01-01", "purchase", None, None, None, None),
        ("a", "2024-01-02", "repeat_purchase", None, None, None, None),
        ("a", "2024-01-03", "review", None, 2, None, None),
        ("b", "2024-01-01", "order_completed", None, None, None, None),
        ("b", "2024-01-04", "review", None, 1, None, None),
    ])
    loop = compute_closed_loop(ev, signals=signals)
    assert list(loop["customer_id"]) == ["a", "b"]
    assert list(loop["value"]) == [2.0, 1.0]
    assert set(loop["value_basis"]) == {"purchases"}


def test_without_revenue_or_purchases_the_value_is_the_number_of_events():
    ev, signals = log([
        ("a", "2024-01-01", "visit", None, None, None, None),
        ("a", "2024-01-03", "review", None, 2, None, None),
        ("b", "2024-01-04", "review", None, 1, None, None),
    ])
    loop = compute_closed_loop(ev, signals=signals)
    assert list(zip(loop["customer_id"], loop["value"])) == [("a", 2.0), ("b", 1.0)]
    assert set(loop["value_basis"]) == {"events"}


def test_when_the_last_event_has_a_score_and_a_text_the_score_decides():
    ev, signals = log([
        ("a", "2024-01-01", "review", 10.0, 1, "Thanks, great job", None),
        ("b", "2024-01-01", "review", 10.0, 5, "Terrible, awful", None),
    ])
    loop = compute_closed_loop(ev, signals=signals)
    assert list(loop["customer_id"]) == ["a"]
    assert loop.loc[0, "last_feedback"] == "rating 1/5: Thanks, great job"


def test_a_negative_comment_is_quoted_as_the_last_feedback():
    ev, signals = log([("a", "2024-01-01", "chat", 3.0, None, "The agent was rude and useless", "support")])
    loop = compute_closed_loop(ev, signals=signals)
    assert loop.loc[0, "last_feedback"] == "The agent was rude and useless"
    assert loop.loc[0, "source"] == "text" and loop.loc[0, "sentiment"] < -0.05


def test_unscored_foreign_text_does_not_put_anyone_on_the_list():
    ev, signals = log([("a", "2024-01-01", "chat", 3.0, None, "El servicio fue muy malo y lento", None)])
    assert compute_closed_loop(ev, signals=signals).empty


def test_days_since_count_to_the_given_date_and_the_list_is_cut_at_limit():
    rows = [(f"c{i}", f"2024-01-{i + 1:02d}", "review", float(i), 1, None, None) for i in range(5)]
    ev, signals = log(rows)
    loop = compute_closed_loop(ev, signals=signals, limit=2, as_of="2024-02-01")
    assert list(loop["customer_id"]) == ["c4", "c3"]
    assert list(loop["days_since"]) == [27.0, 28.0]
    with pytest.raises(ParameterError, match="limit"):
        compute_closed_loop(ev, signals=signals, limit=0)


def test_follow_ups_are_summed_per_owner_department():
    loop = pd.DataFrame({"customer_id": ["a", "b", "c"], "value": [10.0, 5.0, 1.0], "value_basis": "revenue",
                         "department": ["support", "sales", "support"], "days_since": [1.0, 2.0, 3.0]})
    by = compute_followup_by_department(loop)
    assert list(by["department"]) == ["support", "sales"]
    assert list(by["customers"]) == [2, 1] and list(by["value"]) == [11.0, 5.0]
    assert list(by["median_days_since"]) == [2.0, 2.0]


def test_only_recent_negative_feedback_is_kept_when_asked():
    rows = [(f"c{i}", f"2024-01-{i + 1:02d}", "review", float(i), 1, None, None) for i in range(5)]
    ev, signals = log(rows)
    loop = compute_closed_loop(ev, signals=signals, as_of="2024-01-10", within_days=7)
    assert list(loop["customer_id"]) == ["c4", "c3", "c2"] and (loop["days_since"] <= 7).all()
    assert loop.loc[0, "last_feedback"] == "rating 1/5"
    with pytest.raises(ParameterError, match="within_days"):
        compute_closed_loop(ev, signals=signals, within_days=0)


def test_without_signals_the_closed_loop_reads_the_feedback_itself():
    ev, signals = log([("a", "2024-01-01", "review", 10.0, 2, "Late again", None),
                       ("b", "2024-01-02", "review", 5.0, 5, "Lovely", None)])
    assert compute_closed_loop(ev).equals(compute_closed_loop(ev, signals=signals))


def test_a_filtered_view_is_followed_up_on_its_own_feedback_and_last_day():
    ev = dataset([
        ("a", "2024-01-01", "purchase", 100.0, None, None, None),
        ("a", "2024-01-05", "review", None, 1, None, None),
        ("a", "2024-02-10", "review", None, 5, "Love it", None),  # after the view's end: not seen in January
        ("b", "2024-01-02", "purchase", 50.0, None, None, None),
        ("b", "2024-01-09", "review", None, 2, None, None),
    ], COLUMNS)
    january = compute_closed_loop(ev.filtered(Filters(end="2024-01-31")))
    assert list(january["customer_id"]) == ["a", "b"] and list(january["value"]) == [100.0, 50.0]
    # January as of its end (DESIGN.md section 4; cjm.data.views.data_end): the data goes on to 10 Feb, so the end of
    # what is seen is 1 Feb 00:00, not the view's last event (9 Jan): a's 1-star review of 5 Jan is 27 days old, b's
    # 2-star review of 9 Jan 23 days
    assert list(january["days_since"]) == [27.0, 23.0]
    # a range that ends after the data: its last event (10 Feb) ends it, as without a filter (a's last word is happy)
    later = compute_closed_loop(ev.filtered(Filters(start="2024-01-01", end="2024-12-31")))
    assert list(later["customer_id"]) == ["b"] and list(later["days_since"]) == [32.0]
    whole = compute_closed_loop(ev)
    assert list(whole["customer_id"]) == ["b"] and list(whole["days_since"]) == [32.0]  # to 2024-02-10


def test_the_latest_feedback_is_the_latest_time_then_row_then_the_score_over_the_text_of_one_event():
    at = pd.to_datetime(["2024-01-02", "2024-01-02", "2024-01-02", "2024-01-01", "2024-01-05", None,
                         "2024-01-03", "2024-01-03", "2024-01-04"], utc=True)
    signals = pd.DataFrame({
        "customer_id": pd.array(["b", "b", "b", "b", "c", "c", "a", "a", "a"], dtype="str"),
        "timestamp": at,
        "row_id": [7, 7, 6, 9, 1, 2, 3, 3, 4],
        "source": ["score", "text", "text", "text", "text", "text", "text", "score", "text"],
        "scored": [True, True, True, True, True, True, True, True, False],
        "label": ["negative", "positive", "neutral", "positive", "negative", "positive", "negative",
                  "positive", "negative"],
    })
    latest = latest_feedback(signals)
    # a: its 01-04 signal is unscored; on 01-03 row 3 has a text and a score: the score wins.
    # b: 01-02 beats 01-01; row 7 beats row 6; on row 7 the score wins. c: a missing time counts as latest.
    assert latest["customer_id"].tolist() == ["a", "b", "c"]
    assert latest["label"].tolist() == ["positive", "negative", "positive"]
    assert latest.index.tolist() == [7, 0, 5]


def test_the_latest_feedback_of_no_signals_is_an_empty_frame_not_an_error():
    ev, signals = log([("c1", "2024-01-01T00:00:00", "feedback", None, 2, "terrible service", "support")])
    assert latest_feedback(signals.iloc[:0]).empty
    assert compute_closed_loop(ev, signals=signals.iloc[:0]).empty
