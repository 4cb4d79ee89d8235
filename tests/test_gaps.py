"""Gaps: switches of device / channel / department, compared with customers who stayed at the same stage."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm.journey import gaps
from cjm.present.charts.gaps import gap_stages_chart, gaps_chart
from cjm.errors import InsufficientDataError, ParameterError
from cjm.journey.gaps import GapParams
from cjm.data.dataset import Dataset
from tests.helpers import counting, dataset

STAGES = {"ad": "awareness", "view": "consideration", "buy": "conversion", "invoice": "retention",
          "referral": "loyalty"}
FIVE = ("awareness", "consideration", "conversion", "retention", "loyalty")
ANY = GapParams(dimension="device", min_customers=1)
COLUMNS = ("customer_id", "timestamp", "event", "device")


def log():
    """s1, s2 switch mobile → desktop while considering (s2 then buys); n1..n4, n6 stay on one device at
    consideration (n1, n2, n4, n5 buy); n4 has an event without device between mobile and desktop (no
    switch); n5 switches tablet → mobile at awareness; n6 stays at awareness and moves on."""
    rows = [
        ("s1", "2024-01-01T00:00:00", "view", "mobile"), ("s1", "2024-01-01T01:00:00", "view", "desktop"),
        ("s2", "2024-01-01T00:00:00", "view", "mobile"), ("s2", "2024-01-01T03:00:00", "view", "desktop"),
        ("s2", "2024-01-01T04:00:00", "buy", "desktop"),
        ("n1", "2024-01-01T00:00:00", "view", "mobile"), ("n1", "2024-01-01T01:00:00", "buy", "mobile"),
        ("n2", "2024-01-01T00:00:00", "view", "desktop"), ("n2", "2024-01-01T01:00:00", "buy", "desktop"),
        ("n3", "2024-01-01T00:00:00", "view", "mobile"), ("n3", "2024-01-01T01:00:00", "view", "mobile"),
        ("n4", "2024-01-01T00:00:00", "view", "mobile"), ("n4", "2024-01-01T01:00:00", "view", None),
        ("n4", "2024-01-01T02:00:00", "view", "desktop"), ("n4", "2024-01-01T03:00:00", "buy", "desktop"),
        ("n5", "2024-01-01T00:00:00", "ad", "tablet"), ("n5", "2024-01-01T00:20:00", "ad", "mobile"),
        ("n5", "2024-01-01T01:00:00", "view", "mobile"), ("n5", "2024-01-01T02:00:00", "buy", "mobile"),
        ("n6", "2024-01-01T00:00:00", "ad", "mobile"), ("n6", "2024-01-01T01:00:00", "view", "mobile"),
    ]
    return dataset(rows, columns=COLUMNS, stages=STAGES)


def by_switch(frame):
    return frame.set_index("switch")


def test_switchers_are_compared_with_customers_at_the_same_stage_who_did_not_switch():
    found = by_switch(gaps.compute_gaps(log(), params=ANY))
    row = found.loc["mobile → desktop"]
    assert row["customers"] == 2
    assert row["customers_compared"] == 2
    assert row["stage"] == "consideration"
    assert row["next_stage"] == "conversion"
    assert row["conversion_after"] == pytest.approx(0.5)          # s2 bought, s1 did not
    assert row["conversion_without_switch"] == pytest.approx(4 / 6)  # n1 n2 n4 n5 of n1..n6
    assert row["difference_points"] == pytest.approx(-100 / 6)
    assert row["customers_lost"] == pytest.approx(2 * (4 / 6 - 0.5))


def test_the_plain_language_line_states_the_gap_in_points():
    found = by_switch(gaps.compute_gaps(log(), params=ANY))
    assert found.loc["mobile → desktop", "summary"] == (
        "Customers who moved from mobile to desktop converted 16.7 points less than those who stayed "
        "(50.0% vs 66.7% reached the next stage)")


def test_a_switch_at_an_earlier_stage_does_not_exclude_a_customer_from_later_stayers():
    found = by_switch(gaps.compute_gaps(log(), params=ANY))
    row = found.loc["tablet → mobile"]   # n5 at awareness vs n6, who stayed there and moved on
    assert (row["conversion_after"], row["conversion_without_switch"], row["customers_lost"]) == (1.0, 1.0, 0.0)
    assert row["summary"].startswith("Customers who moved from tablet to mobile converted as often as")


def test_an_event_without_a_value_in_between_is_not_a_switch():
    found = gaps.compute_gaps(log(), params=ANY)
    assert set(found["switch"]) == {"mobile → desktop", "tablet → mobile"}
    stages = gaps.compute_gap_stages(log(), params=ANY)
    assert stages.loc[stages["switch"] == "mobile → desktop", "customers"].sum() == 2  # not n4


def test_gaps_are_ranked_by_customers_lost():
    found = gaps.compute_gaps(log(), params=ANY)
    assert found["switch"].tolist() == ["mobile → desktop", "tablet → mobile"]


def test_the_time_across_a_switch_is_the_median_over_occurrences():
    found = by_switch(gaps.compute_gaps(log(), params=ANY))
    assert found.loc["mobile → desktop", "seconds"] == 2 * 3600   # 1 h (s1) and 3 h (s2)
    assert found.loc["tablet → mobile", "seconds"] == 20 * 60


def test_switch_types_made_by_too_few_customers_are_left_out():
    found = gaps.compute_gaps(log(), params=GapParams(dimension="device", min_customers=2))
    assert found["switch"].tolist() == ["mobile → desktop"]


def test_ties_in_time_are_ordered_by_file_order():
    rows = [("t", "2024-01-01T00:00:00", "view", "desktop"), ("t", "2024-01-01T00:00:00", "view", "mobile")]
    found = gaps.compute_gaps(dataset(rows, columns=COLUMNS, stages=STAGES), params=ANY)
    assert found["switch"].tolist() == ["desktop → mobile"]


def test_a_switch_at_the_last_stage_is_counted_but_not_compared():
    rows = [("l", "2024-01-01T00:00:00", "referral", "mobile"), ("l", "2024-01-01T01:00:00", "referral", "desktop"),
            ("m", "2024-01-01T00:00:00", "referral", "mobile")]
    found = gaps.compute_gaps(dataset(rows, columns=COLUMNS, stages=STAGES), params=ANY)
    row = found.iloc[0]
    assert (row["customers"], row["customers_compared"], row["customers_lost"]) == (1, 0, 0.0)
    assert pd.isna(row["conversion_after"]) and pd.isna(row["conversion_without_switch"])
    assert "cannot be compared" in row["summary"]


def test_a_customer_who_switches_twice_is_compared_once_at_the_first_switch():
    rows = [("w", "2024-01-01T00:00:00", "ad", "mobile"), ("w", "2024-01-01T01:00:00", "ad", "desktop"),
            ("w", "2024-01-01T02:00:00", "view", "mobile"), ("w", "2024-01-01T03:00:00", "view", "desktop"),
            ("o", "2024-01-01T00:00:00", "ad", "mobile"), ("o", "2024-01-01T01:00:00", "view", "mobile"),
            ("o", "2024-01-01T02:00:00", "buy", "mobile")]
    found = by_switch(gaps.compute_gaps(dataset(rows, columns=COLUMNS, stages=STAGES), params=ANY))
    row = found.loc["mobile → desktop"]
    assert row["customers"] == 1 and row["customers_compared"] == 1
    assert row["conversion_after"] == 1.0          # after the awareness switch, w reached consideration
    assert row["conversion_without_switch"] == 1.0  # o, who stayed at awareness, moved on


def test_switches_in_the_same_second_are_taken_in_file_order_and_the_first_one_is_compared():
    """a's events all share one second: view mobile, view desktop (switch at consideration), buy desktop,
    view mobile, view desktop (the same switch again at consideration, after which a does not move on).
    In file order the first switch is the one before the purchase. b (stays, buys) and c (stays) are the
    stayers at consideration: 1 of 2 moved on."""
    t = "2024-01-01T00:00:00"
    rows = [("a", t, "view", "mobile"), ("a", t, "view", "desktop"), ("a", t, "buy", "desktop"),
            ("a", t, "view", "mobile"), ("a", t, "view", "desktop"),
            ("b", "2024-01-01T00:00:00", "view", "mobile"), ("b", "2024-01-01T01:00:00", "buy", "mobile"),
            ("c", "2024-01-01T00:00:00", "view", "mobile")]
    data = dataset(rows, columns=COLUMNS, stages=STAGES)
    row = by_switch(gaps.compute_gaps(data, params=ANY)).loc["mobile → desktop"]
    assert (row["customers"], row["customers_compared"]) == (1, 1)
    assert (row["conversion_after"], row["conversion_without_switch"]) == (1.0, 0.5)
    at = gaps.compute_gap_stages(data, params=ANY).set_index(["switch", "stage"])
    assert at.loc[("mobile → desktop", "consideration"), "conversion_after"] == 1.0
    # the switch back desktop → mobile happened at conversion (the stage of the purchase before it)
    assert at.loc[("desktop → mobile", "conversion"), "customers"] == 1


def test_the_per_stage_frame_says_where_in_the_journey_switches_happen():
    rows = [("w", "2024-01-01T00:00:00", "ad", "mobile"), ("w", "2024-01-01T01:00:00", "ad", "desktop"),
            ("w", "2024-01-01T02:00:00", "view", "mobile"), ("w", "2024-01-01T03:00:00", "view", "desktop"),
            ("u", "2024-01-01T00:00:00", "unknown_event", "mobile"), ("u", "2024-01-01T01:00:00", "view", "desktop")]
    stages = gaps.compute_gap_stages(dataset(rows, columns=COLUMNS, stages=STAGES), params=ANY)
    got = {(r.switch, r.stage): (r.customers, r.customers_compared) for r in stages.itertuples()}
    # Nobody stayed at awareness, so the awareness switches have no comparison group; at consideration
    # u (whose own switch happened at an unmapped event) is the one who stayed.
    assert got == {("mobile → desktop", "unmapped"): (1, 0), ("mobile → desktop", "awareness"): (1, 0),
                   ("mobile → desktop", "consideration"): (1, 1), ("desktop → mobile", "awareness"): (1, 0)}
    at_consideration = stages[stages["stage"] == "consideration"].iloc[0]
    assert (at_consideration["conversion_after"], at_consideration["conversion_without_switch"]) == (0.0, 0.0)


def test_channel_and_department_switches_use_their_own_columns():
    rows = [("c", "2024-01-01T00:00:00", "ad", "social", "marketing"),
            ("c", "2024-01-01T01:00:00", "view", "web", "sales")]
    log_ = dataset(rows, columns=("customer_id", "timestamp", "event", "channel", "department"), stages=STAGES)
    channel = gaps.compute_gaps(log_, params=GapParams(dimension="channel", min_customers=1))
    department = gaps.compute_gaps(log_, params=GapParams(dimension="department", min_customers=1))
    assert channel["switch"].tolist() == ["social → web"]
    assert department["switch"].tolist() == ["marketing → sales"]


def test_a_dimension_without_values_names_the_column_to_map():
    with pytest.raises(InsufficientDataError, match='"channel"'):
        gaps.compute_gaps(log(), params=GapParams(dimension="channel"))


def test_gap_params_reject_bad_values_quoting_them():
    with pytest.raises(ParameterError, match="'browser'"):
        GapParams(dimension="browser")
    with pytest.raises(ParameterError, match="0"):
        GapParams(min_customers=0)
    with pytest.raises(ParameterError, match="at least two distinct stage names; got \\['awareness'\\]"):
        gaps.compute_gaps(Dataset.from_events(log().events, stages=("awareness",)), params=ANY)


def test_the_gaps_chart_titles_the_biggest_gap_and_shows_exact_numbers():
    found = gaps.compute_gaps(log(), params=ANY)
    spec = gaps_chart(found, dimension="device").to_dict()
    assert spec["title"]["text"].startswith("Customers who moved from mobile to desktop converted 16.7 points less")
    bars = spec["layer"][0]
    fields = {t["field"] for t in bars["encoding"]["tooltip"]}
    assert {"customers", "customers_compared", "conversion_after", "conversion_without_switch",
            "difference_points", "customers_lost"} <= fields
    assert "percentage points" in bars["encoding"]["x"]["title"]


def test_the_gaps_chart_explains_when_nothing_can_be_compared():
    empty = gaps.compute_gaps(log(), params=ANY).iloc[0:0]
    assert gaps_chart(empty).to_dict()["title"]["text"] == "No device switch can be compared yet"


def test_the_gap_stage_chart_orders_stages_by_the_model():
    stages = gaps.compute_gap_stages(log(), params=ANY)
    spec = gap_stages_chart(stages, stages=FIVE).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["sort"] == list(FIVE) + ["unmapped"]
    assert spec["title"]["text"] == "2 customers switched mobile → desktop at consideration, the most of any stage"


def retention_log():
    """Like the demo data: every buyer gets an invoice from billing; the only way on to loyalty (a review)
    is through marketing. a and b move billing → marketing at retention and review; c and d stay with billing
    (d gets a second invoice) and never move on."""
    stages = {"buy": "conversion", "invoice": "retention", "survey": "retention", "review": "loyalty"}
    rows = [
        ("a", "2024-01-01T00:00:00", "buy", "sales"), ("a", "2024-01-01T00:01:00", "invoice", "billing"),
        ("a", "2024-01-05T00:00:00", "review", "marketing"),
        ("b", "2024-01-01T00:00:00", "buy", "sales"), ("b", "2024-01-01T00:01:00", "invoice", "billing"),
        ("b", "2024-01-03T00:00:00", "survey", "marketing"), ("b", "2024-01-04T00:00:00", "review", "marketing"),
        ("c", "2024-01-01T00:00:00", "buy", "sales"), ("c", "2024-01-01T00:01:00", "invoice", "billing"),
        ("d", "2024-01-01T00:00:00", "buy", "sales"), ("d", "2024-01-01T00:01:00", "invoice", "billing"),
        ("d", "2024-02-01T00:00:00", "invoice", "billing"),
    ]
    return dataset(rows, columns=("customer_id", "timestamp", "event", "department"), stages=stages)


DEPARTMENT = GapParams(dimension="department", min_customers=1)


def test_when_nobody_who_stayed_moves_on_the_switch_is_the_way_forward_not_a_gap():
    found = by_switch(gaps.compute_gaps(retention_log(), params=DEPARTMENT))
    row = found.loc["billing → marketing"]
    assert (row["stage"], row["customers"], row["customers_compared"]) == ("retention", 2, 2)
    assert row["conversion_after"] == 1.0             # a and b reached loyalty
    assert row["conversion_without_switch"] == 0.0    # c and d, who stayed with billing, did not
    assert row["route_forward"] and row["customers_lost"] == 0.0
    assert row["summary"] == ("Customers who moved from billing to marketing reached the next stage 100.0% of the "
                              "time; no customer at the same stage who kept the same department did, so this "
                              "switch is the way forward, not a gap")
    # Everyone switched sales → billing at conversion: nobody stayed there, so it is not compared at all.
    assert found.loc["sales → billing", "customers_compared"] == 0
    assert not found.loc["sales → billing", "route_forward"]


def test_a_page_can_explain_why_without_a_switch_reads_zero():
    stages = gaps.compute_gap_stages(retention_log(), params=DEPARTMENT)
    note = gaps.route_forward_note(stages, dimension="department")
    assert note.startswith("At retention, no customer who kept the same department moved on")
    assert "billing → marketing" in note and "0.0%" in note
    assert gaps.route_forward_note(gaps.compute_gap_stages(log(), params=ANY), dimension="device") is None


def test_the_gaps_chart_does_not_headline_a_way_forward_as_a_gap():
    found = gaps.compute_gaps(retention_log(), params=DEPARTMENT)
    spec = gaps_chart(found, dimension="department").to_dict()
    assert spec["title"]["text"] == ("No department switch is followed by fewer customers moving on than among "
                                     "those who stayed")
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    assert colour == {"domain": ["the way forward (no stayer moved on)"], "range": ["#9e9e9e"]}


def test_two_switch_types_whose_names_read_alike_are_counted_apart():
    """a → b then c, and a then b → c, both read "a → b → c"; a switch type is its (from, to) pair."""
    rows = [
        ("x", "2024-01-01T00:00:00", "view", "a → b"), ("x", "2024-01-01T01:00:00", "view", "c"),
        ("x", "2024-01-02T01:00:00", "buy", "c"),
        ("y", "2024-01-01T00:00:00", "view", "a"), ("y", "2024-01-01T02:00:00", "view", "b → c"),
        ("s", "2024-01-01T00:00:00", "view", "a"), ("s", "2024-01-01T02:00:00", "buy", "a"),
    ]
    found = gaps.compute_gaps(dataset(rows, columns=COLUMNS, stages=STAGES), params=ANY)
    assert list(found["switch"]) == ["a → b → c", "a → b → c"]
    assert sorted(zip(found["customers"], found["customers_compared"], found["conversion_after"])) == [
        (1, 1, 0.0), (1, 1, 1.0)]  # y did not buy, x did; never one row of 2 compared with 1 customer


def test_the_gaps_page_gets_both_frames_from_one_count_and_the_same_rows_as_apart():
    from cjm import engine

    data = log()
    calls = counting(engine.backend_of(data.events))
    apart = gaps.compute_gaps(data, params=ANY), gaps.compute_gap_stages(data, params=ANY)
    queries_apart = len(calls)
    together = gaps.compute_gaps_and_stages(data, params=ANY)
    pd.testing.assert_frame_equal(together[0], apart[0])
    pd.testing.assert_frame_equal(together[1], apart[1])
    assert len(calls) - queries_apart == queries_apart / 2  # each function alone checks and counts once
