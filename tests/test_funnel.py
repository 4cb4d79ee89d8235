"""Funnel semantics (DESIGN.md section 4) on small literal logs with hand-computed answers."""

from __future__ import annotations

import json
from dataclasses import asdict, replace

import pandas as pd
import pytest

from cjm.report.sections import funnel_section
from cjm import engine
from cjm.data.dataset import Dataset
from cjm.errors import InsufficientDataError, ParameterError
from cjm.journey.funnel import (
    FunnelParams,
    compute_conversion_over_time,
    compute_dropped,
    compute_funnel,
    compute_next_after_drop,
    compute_time_to_convert,
    parse_window,
)
from tests.helpers import dataset, real_file

from tests.funnel_helpers import CHANNELS, DAY, at, params, progress_of


# ---------------------------------------------------------------- parameters


def test_a_funnel_needs_between_two_and_ten_steps():
    with pytest.raises(ParameterError, match=r"\['view'\]"):
        params("view")
    with pytest.raises(ParameterError, match="found 11"):
        params(*[f"s{i}" for i in range(11)])
    assert len(params(*[f"s{i}" for i in range(10)]).steps) == 10


def test_a_window_outside_one_minute_to_ninety_days_is_refused_quoting_the_value():
    with pytest.raises(ParameterError, match="59"):
        params("a", "b", window_seconds=59)
    with pytest.raises(ParameterError, match="7776001"):
        params("a", "b", window_seconds=90 * DAY + 1)
    assert params("a", "b", window_seconds=60).window_seconds == 60
    assert params("a", "b", window_seconds=90 * DAY).window_seconds == 90 * DAY


def test_windows_written_as_text_are_parsed_into_seconds():
    assert parse_window("7d") == 7 * DAY
    assert parse_window("12h") == 12 * 3600
    assert parse_window("30m") == 1800
    assert parse_window("90d") == 90 * DAY
    assert params("a", "b", window_seconds="2d").window_seconds == 2 * DAY


@pytest.mark.parametrize("text", ["7 weeks", "7", "d7", "", "91d", "30s"])
def test_a_window_text_that_is_not_a_duration_in_range_is_refused_quoting_it(text):
    with pytest.raises(ParameterError, match=repr(text).replace("'", "'")):
        parse_window(text)


@pytest.mark.parametrize(
    "field, value",
    [("mode", "sequential"), ("step_kind", "page"), ("attribution", "middle"), ("max_groups", 0)],
)
def test_an_unknown_choice_is_refused_quoting_the_value(field, value):
    with pytest.raises(ParameterError, match=repr(value)):
        params("a", "b", **{field: value})


@pytest.mark.parametrize("between", [(0, 3), (1, 1), (2, 1), (-1, 1), (0,)])
def test_exclusion_step_positions_out_of_range_are_refused(between):
    with pytest.raises(ParameterError, match="exclude_between"):
        params("a", "b", "c", exclude_event="x", exclude_between=between)


def test_any_order_mode_refuses_a_repeated_step():
    with pytest.raises(ParameterError, match="any-order"):
        params("view", "view", "cart", mode="any")


def test_parameters_survive_a_json_round_trip():
    p = params("view", "cart", window_seconds="1d", exclude_event="refund", exclude_between=(0, 1))
    again = FunnelParams(**json.loads(json.dumps(asdict(p))))
    assert again == p


LOG = [
    ("a", "2024-01-01T00:00:00Z", "view"),
    ("a", "2024-01-02T00:00:00Z", "purchase"),
]


def test_an_unknown_step_name_is_refused_with_the_closest_match_and_the_known_events():
    with pytest.raises(ParameterError) as error:
        compute_funnel(dataset(LOG), params=params("view", "purchse"))
    message = str(error.value)
    assert "'purchse'" in message and "Did you mean 'purchase'?" in message
    assert "purchase, view" in message


def test_an_unknown_stage_is_refused_listing_the_known_stages():
    log = dataset(LOG, stages={"view": "awareness", "purchase": "conversion"})
    with pytest.raises(ParameterError, match="awareness, conversion") as error:
        compute_funnel(log, params=FunnelParams(steps=("awareness", "conversoin")))
    assert "Did you mean 'conversion'?" in str(error.value)


def test_an_unknown_breakdown_column_or_excluded_event_is_refused():
    with pytest.raises(ParameterError, match="'chanel'.*Did you mean 'channel'"):
        compute_funnel(dataset(LOG), params=params("view", "purchase", breakdown="chanel"))
    with pytest.raises(ParameterError, match="'refnd'"):
        compute_funnel(dataset(LOG), params=params("view", "purchase", exclude_event="refnd"))


def test_a_missing_stage_column_is_reported_as_insufficient_data():
    log = dataset(LOG)
    no_stage = replace(log, events=log.events.drop("stage"))
    with pytest.raises(InsufficientDataError, match="'stage'"):
        compute_funnel(no_stage, params=FunnelParams(steps=("awareness", "conversion")))


# ---------------------------------------------------------------- ordered mode


def test_the_1_jan_20_jan_21_jan_example_counts_the_customer_at_cart_on_the_20_jan_attempt():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-20T00:00:00Z", "view"),
        ("c", "2024-01-21T00:00:00Z", "cart"),
    ]
    got = progress_of(rows, params("view", "cart", window_seconds=7 * DAY)).loc["c"]
    assert got["steps_reached"] == 2
    assert got["entered_at"] == at("2024-01-20")
    assert got["reached_at_2"] == at("2024-01-21")


def test_a_step_exactly_at_the_window_limit_counts_and_one_second_later_does_not():
    rows = [
        ("on_time", "2024-01-01T00:00:00Z", "view"),
        ("on_time", "2024-01-08T00:00:00Z", "cart"),
        ("late", "2024-01-01T00:00:00Z", "view"),
        ("late", "2024-01-08T00:00:01Z", "cart"),
    ]
    got = progress_of(rows, params("view", "cart", window_seconds=7 * DAY))
    assert got.loc["on_time", "steps_reached"] == 2
    assert got.loc["late", "steps_reached"] == 1
    assert pd.isna(got.loc["late", "reached_at_2"])


def test_the_window_is_measured_from_step_one_not_from_the_previous_step():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-05T00:00:00Z", "cart"),
        ("c", "2024-01-09T00:00:00Z", "buy"),  # 4 days after cart, 8 days after entry
    ]
    assert progress_of(rows, params("view", "cart", "buy", window_seconds=7 * DAY)).loc["c", "steps_reached"] == 2


def test_a_step_at_the_same_second_as_the_previous_step_counts_whatever_the_file_order():
    rows = [
        ("c", "2024-01-01T10:00:00Z", "cart"),  # earlier in the file, same timestamp as the view
        ("c", "2024-01-01T10:00:00Z", "view"),
    ]
    got = progress_of(rows, params("view", "cart")).loc["c"]
    assert got["steps_reached"] == 2
    assert got["reached_at_2"] == got["reached_at_1"] == at("2024-01-01T10:00:00")


def test_a_repeated_step_needs_a_strictly_later_event():
    rows = [
        ("same_second", "2024-01-01T10:00:00Z", "view"),
        ("same_second", "2024-01-01T10:00:00Z", "view"),
        ("same_second", "2024-01-01T11:00:00Z", "cart"),
        ("later", "2024-01-01T10:00:00Z", "view"),
        ("later", "2024-01-01T10:00:01Z", "view"),
        ("later", "2024-01-01T11:00:00Z", "cart"),
    ]
    got = progress_of(rows, params("view", "view", "cart"))
    # same_second: its best attempt is 10:00 -> no strictly later view; the other attempt is identical
    assert got.loc["same_second", "steps_reached"] == 1
    assert got.loc["later", "steps_reached"] == 3
    assert got.loc["later", "reached_at_2"] == at("2024-01-01T10:00:01")


def test_the_earliest_matching_event_is_taken_for_each_step():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T05:00:00Z", "cart"),
        ("c", "2024-01-01T01:00:00Z", "cart"),
        ("c", "2024-01-01T03:00:00Z", "buy"),
    ]
    got = progress_of(rows, params("view", "cart", "buy")).loc["c"]
    assert got["reached_at_2"] == at("2024-01-01T01:00:00")
    assert got["reached_at_3"] == at("2024-01-01T03:00:00")


def test_the_best_attempt_is_the_deepest_and_its_times_are_the_ones_measured():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),  # attempt 1: view, cart (1 h) ... buy is 10 days later
        ("c", "2024-01-01T01:00:00Z", "cart"),
        ("c", "2024-01-10T00:00:00Z", "view"),  # attempt 2: view, cart (3 h), buy (5 h)
        ("c", "2024-01-10T03:00:00Z", "cart"),
        ("c", "2024-01-10T05:00:00Z", "buy"),
    ]
    p = params("view", "cart", "buy", window_seconds=7 * DAY)
    got = progress_of(rows, p).loc["c"]
    assert got["steps_reached"] == 3
    assert got["entered_at"] == at("2024-01-10")
    funnel = compute_funnel(dataset(rows), params=p)
    assert list(funnel["median_seconds_from_previous"].iloc[1:]) == [3 * 3600, 2 * 3600]


def test_among_equally_deep_attempts_the_earliest_is_counted():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T02:00:00Z", "cart"),
        ("c", "2024-01-20T00:00:00Z", "view"),
        ("c", "2024-01-20T00:30:00Z", "cart"),
    ]
    p = params("view", "cart", window_seconds=7 * DAY)
    got = progress_of(rows, p).loc["c"]
    assert got["entered_at"] == at("2024-01-01")
    assert compute_funnel(dataset(rows), params=p)["median_seconds_from_previous"].iloc[1] == 2 * 3600


def test_a_customer_still_inside_the_window_at_the_end_of_the_data_appears_like_anyone_else():
    rows = [
        ("done", "2024-01-01T00:00:00Z", "view"),
        ("done", "2024-01-02T00:00:00Z", "cart"),
        ("in_progress", "2024-01-09T00:00:00Z", "view"),  # the data end here: window still open
    ]
    got = progress_of(rows, params("view", "cart"))
    assert got.loc["in_progress", "steps_reached"] == 1
    assert got.loc["in_progress", "entered_at"] == at("2024-01-09")


def test_customers_without_a_step_one_event_are_not_counted():
    rows = [("a", "2024-01-01T00:00:00Z", "view"), ("b", "2024-01-01T00:00:00Z", "cart")]
    assert list(progress_of(rows, params("view", "cart")).index) == ["a"]


FUNNEL_LOG = [
    ("a", "2024-01-01T00:00:00Z", "view"), ("a", "2024-01-01T01:00:00Z", "cart"), ("a", "2024-01-01T03:00:00Z", "buy"),
    ("b", "2024-01-02T00:00:00Z", "view"), ("b", "2024-01-02T03:00:00Z", "cart"),
    ("c", "2024-01-03T00:00:00Z", "view"), ("c", "2024-01-03T05:00:00Z", "cart"), ("c", "2024-01-03T06:00:00Z", "buy"),
    ("d", "2024-01-04T00:00:00Z", "view"),
    ("e", "2024-01-05T00:00:00Z", "cart"),  # no view: never enters
]


def test_the_funnel_reports_customers_conversions_times_and_drops_per_step():
    got = compute_funnel(dataset(FUNNEL_LOG), params=params("view", "cart", "buy"))
    assert list(got["step"]) == ["view", "cart", "buy"]
    assert list(got["step_number"]) == [1, 2, 3]
    assert list(got["customers"]) == [4, 3, 2]
    assert list(got["dropped"]) == [0, 1, 1]
    assert got["conversion_from_previous"].tolist() == pytest.approx([1.0, 0.75, 2 / 3])
    assert got["conversion_from_first"].tolist() == pytest.approx([1.0, 0.75, 0.5])
    assert pd.isna(got["median_seconds_from_previous"].iloc[0])
    assert got["median_seconds_from_previous"].iloc[1] == 3 * 3600  # 1 h, 3 h, 5 h
    assert got["mean_seconds_from_previous"].iloc[1] == 3 * 3600
    assert got["median_seconds_from_previous"].iloc[2] == 1.5 * 3600  # 2 h, 1 h
    assert got["mean_seconds_from_previous"].iloc[2] == 1.5 * 3600


def test_funnel_steps_can_be_stages():
    stages = {"view": "awareness", "ad": "awareness", "cart": "consideration", "buy": "conversion"}
    rows = [
        ("a", "2024-01-01T00:00:00Z", "ad"), ("a", "2024-01-01T01:00:00Z", "cart"),
        ("b", "2024-01-01T00:00:00Z", "view"), ("b", "2024-01-01T02:00:00Z", "buy"),
    ]
    got = compute_funnel(dataset(rows, stages=stages), params=FunnelParams(steps=("awareness", "consideration")))
    assert list(got["customers"]) == [2, 1]


def test_a_funnel_nobody_enters_after_exclusion_reports_zero_customers():
    rows = [("a", "2024-01-01T00:00:00Z", "view"), ("a", "2024-01-01T01:00:00Z", "refund"),
            ("b", "2024-01-01T00:00:00Z", "cart")]
    got = compute_funnel(dataset(rows), params=params("view", "cart", exclude_event="refund"))
    assert list(got["customers"]) == [0, 0]
    assert got["conversion_from_first"].isna().all()


# ---------------------------------------------------------------- strict mode


def test_strict_mode_ends_an_attempt_at_any_other_event_in_between():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T00:01:00Z", "email_open"),
        ("c", "2024-01-01T00:02:00Z", "cart"),
    ]
    assert progress_of(rows, params("view", "cart", mode="strict")).loc["c", "steps_reached"] == 1
    assert progress_of(rows, params("view", "cart", mode="ordered")).loc["c", "steps_reached"] == 2


def test_strict_mode_uses_file_order_within_equal_timestamps():
    in_order = [("c", "2024-01-01T10:00:00Z", "view"), ("c", "2024-01-01T10:00:00Z", "cart")]
    reversed_ = [("c", "2024-01-01T10:00:00Z", "cart"), ("c", "2024-01-01T10:00:00Z", "view")]
    p = params("view", "cart", mode="strict")
    assert progress_of(in_order, p).loc["c", "steps_reached"] == 2
    assert progress_of(reversed_, p).loc["c", "steps_reached"] == 1


def test_strict_mode_counts_a_later_uninterrupted_attempt():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T00:01:00Z", "search"),
        ("c", "2024-01-01T00:02:00Z", "view"),
        ("c", "2024-01-01T00:03:00Z", "cart"),
        ("c", "2024-01-01T00:04:00Z", "buy"),
    ]
    got = progress_of(rows, params("view", "cart", "buy", mode="strict")).loc["c"]
    assert got["steps_reached"] == 3
    assert got["entered_at"] == at("2024-01-01T00:02:00")


def test_strict_mode_still_applies_the_window():
    rows = [("c", "2024-01-01T00:00:00Z", "view"), ("c", "2024-01-01T00:02:01Z", "cart")]
    assert progress_of(rows, params("view", "cart", mode="strict", window_seconds=120)).loc["c", "steps_reached"] == 1


# ---------------------------------------------------------------- any-order mode


def test_any_order_mode_counts_distinct_steps_in_any_order_and_labels_rows_by_count():
    rows = [
        ("a", "2024-01-01T00:00:00Z", "buy"), ("a", "2024-01-01T01:00:00Z", "view"),
        ("a", "2024-01-01T02:00:00Z", "cart"),
        ("b", "2024-01-01T00:00:00Z", "cart"), ("b", "2024-01-01T03:00:00Z", "cart"),
    ]
    p = params("view", "cart", "buy", mode="any")
    got = compute_funnel(dataset(rows), params=p)
    assert list(got["step"]) == ["1 step", "2 steps", "3 steps"]
    assert list(got["customers"]) == [2, 1, 1]
    a = progress_of(rows, p).loc["a"]
    assert (a["reached_at_1"], a["reached_at_2"], a["reached_at_3"]) == (
        at("2024-01-01T00:00"), at("2024-01-01T01:00"), at("2024-01-01T02:00"))


def test_any_order_mode_starts_attempts_at_any_step_event_and_keeps_the_best():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "buy"),
        ("c", "2024-01-10T00:00:00Z", "view"),  # 9 days after the buy: outside that attempt's window
        ("c", "2024-01-11T00:00:00Z", "cart"),
    ]
    got = progress_of(rows, params("view", "cart", "buy", mode="any", window_seconds=7 * DAY)).loc["c"]
    assert got["steps_reached"] == 2
    assert got["entered_at"] == at("2024-01-10")


# ---------------------------------------------------------------- exclusion


def test_an_excluded_event_between_the_two_steps_discards_the_attempt():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T01:00:00Z", "refund"),
        ("c", "2024-01-01T02:00:00Z", "cart"),
    ]
    assert progress_of(rows, params("view", "cart", exclude_event="refund")).empty


def test_an_excluded_event_after_the_later_step_does_not_discard():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T02:00:00Z", "cart"),
        ("c", "2024-01-01T03:00:00Z", "refund"),
    ]
    assert progress_of(rows, params("view", "cart", exclude_event="refund")).loc["c", "steps_reached"] == 2


def test_an_excluded_event_before_the_window_ends_discards_an_attempt_that_never_reaches_the_later_step():
    rows = [
        ("inside", "2024-01-01T00:00:00Z", "view"), ("inside", "2024-01-08T00:00:00Z", "refund"),
        ("after", "2024-01-01T00:00:00Z", "view"), ("after", "2024-01-08T00:00:01Z", "refund"),
        ("other", "2024-02-01T00:00:00Z", "cart"),
    ]
    got = progress_of(rows, params("view", "cart", exclude_event="refund", window_seconds=7 * DAY))
    assert list(got.index) == ["after"]
    assert got.loc["after", "steps_reached"] == 1


def test_an_excluded_event_at_the_same_second_as_a_step_is_not_between():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T00:00:00Z", "refund"),
        ("c", "2024-01-01T02:00:00Z", "cart"),
        ("c", "2024-01-01T02:00:00Z", "refund"),
    ]
    assert progress_of(rows, params("view", "cart", exclude_event="refund")).loc["c", "steps_reached"] == 2


def test_an_exclusion_between_later_steps_leaves_an_attempt_that_never_reached_them():
    rows = [("c", "2024-01-01T00:00:00Z", "view"), ("c", "2024-01-01T01:00:00Z", "refund"),
            ("other", "2024-02-01T00:00:00Z", "cart"), ("other", "2024-02-01T00:00:00Z", "buy")]
    p = params("view", "cart", "buy", exclude_event="refund", exclude_between=(1, 2))
    assert progress_of(rows, p).loc["c", "steps_reached"] == 1


def test_a_discarded_attempt_lets_a_later_clean_attempt_count():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T01:00:00Z", "refund"),
        ("c", "2024-01-01T02:00:00Z", "view"),
        ("c", "2024-01-01T03:00:00Z", "cart"),
    ]
    got = progress_of(rows, params("view", "cart", exclude_event="refund")).loc["c"]
    assert got["steps_reached"] == 2
    assert got["entered_at"] == at("2024-01-01T02:00")


# ---------------------------------------------------------------- breakdown

TOUCH_LOG = [
    ("c", "2024-01-01T00:00:00Z", "view", "web"),
    ("c", "2024-01-01T01:00:00Z", "cart", "app"),
    ("c", "2024-01-01T02:00:00Z", "email_open", "email"),
    ("other", "2024-02-01T00:00:00Z", "buy", "store"),  # makes "buy" a known event; never enters
]


def test_first_touch_takes_the_value_at_entry_and_last_touch_at_the_furthest_step():
    first = progress_of(TOUCH_LOG, params("view", "cart", "buy", breakdown="channel"), CHANNELS)
    last = progress_of(TOUCH_LOG, params("view", "cart", "buy", breakdown="channel", attribution="last"), CHANNELS)
    assert first.loc["c", "group"] == "web"
    assert last.loc["c", "group"] == "app"


def test_small_breakdown_groups_are_folded_into_other_and_missing_values_shown_as_unknown():
    rows = []
    for i, channel in enumerate(["web"] * 3 + ["app"] * 2 + ["email", "store"] + [None] * 2):
        rows.append((f"c{i}", "2024-01-01T00:00:00Z", "view", channel))
        if i % 2 == 0:
            rows.append((f"c{i}", "2024-01-01T01:00:00Z", "cart", channel))
    p = params("view", "cart", breakdown="channel", max_groups=3)
    got = compute_funnel(dataset(rows, CHANNELS), params=p)
    step1 = got[got["step_number"] == 1]
    assert list(step1["group"]) == ["web", "app", "unknown", "other"]
    assert list(step1["customers"]) == [3, 2, 2, 2]
    cart = got[got["step_number"] == 2].set_index("group")
    assert cart.loc["web", "customers"] == 2  # c0, c2
    assert cart.loc["web", "conversion_from_first"] == pytest.approx(2 / 3)
    assert cart.loc["other", "customers"] == 1  # c6 (store)


def test_a_breakdown_can_use_a_column_of_the_customers_table():
    customers = engine.register(pd.DataFrame({"customer_id": ["a", "b"], "segment": ["loyal", "new"]}),
                                name="funnel_test_customers")
    rows = [("a", "2024-01-01T00:00:00Z", "view"), ("a", "2024-01-01T01:00:00Z", "cart"),
            ("b", "2024-01-01T00:00:00Z", "view")]
    got = compute_funnel(dataset(rows, customers=customers), params=params("view", "cart", breakdown="segment"))
    assert got.set_index(["group", "step_number"]).loc[("loyal", 2), "customers"] == 1
    assert got.set_index(["group", "step_number"]).loc[("new", 2), "customers"] == 0


# ---------------------------------------------------------------- conversion over time and time to convert


def test_conversion_over_time_buckets_customers_by_the_week_of_their_entry():
    rows = [
        ("a", "2024-01-03T00:00:00Z", "view"), ("a", "2024-01-04T00:00:00Z", "cart"),  # Wed, week of Mon 1 Jan
        ("b", "2024-01-07T23:00:00Z", "view"), ("b", "2024-01-08T01:00:00Z", "cart"),  # Sun: still week of 1 Jan
        ("c", "2024-01-06T00:00:00Z", "view"),
        ("d", "2024-01-08T00:00:00Z", "view"),  # Mon: week of 8 Jan
    ]
    got = compute_conversion_over_time(dataset(rows), params=params("view", "cart"))
    assert list(got["period"]) == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-08")]
    assert list(got["entered"]) == [3, 1]
    assert list(got["converted"]) == [2, 0]
    assert got["conversion"].tolist() == pytest.approx([2 / 3, 0.0])
    monthly = compute_conversion_over_time(dataset(rows), params=params("view", "cart"), period="month")
    assert list(monthly["entered"]) == [4]
    with pytest.raises(ParameterError, match="'fortnight'"):
        compute_conversion_over_time(dataset(rows), params=params("view", "cart"), period="fortnight")


def test_conversion_over_time_can_be_broken_down_by_group():
    rows = [
        ("a", "2024-01-03T00:00:00Z", "view", "web"), ("a", "2024-01-04T00:00:00Z", "cart", "web"),
        ("b", "2024-01-03T00:00:00Z", "view", "app"),
    ]
    got = compute_conversion_over_time(dataset(rows, CHANNELS), params=params("view", "cart", breakdown="channel"))
    assert got.set_index("group")["converted"].to_dict() == {"web": 1, "app": 0}


def test_time_to_convert_is_binned_up_to_the_window_with_the_median():
    rows = [
        ("a", "2024-01-01T00:00:00Z", "view"), ("a", "2024-01-01T01:30:00Z", "cart"),  # 90 min
        ("b", "2024-01-01T00:00:00Z", "view"), ("b", "2024-01-01T00:00:30Z", "cart"),  # 30 s
        ("c", "2024-01-01T00:00:00Z", "view"), ("c", "2024-01-02T00:00:00Z", "cart"),  # exactly the window
        ("d", "2024-01-01T00:00:00Z", "view"),
    ]
    got = compute_time_to_convert(dataset(rows), params=params("view", "cart", window_seconds=DAY))
    assert got["bin_end_seconds"].iloc[-1] == DAY
    assert got["customers"].sum() == 3
    by_bin = got.set_index("bin")["customers"]
    assert by_bin["under 1 min"] == 1
    assert by_bin["1 h - 2 h"] == 1
    assert by_bin["12 h - 1 d"] == 1
    assert got["median_seconds"].iloc[0] == 90 * 60
    assert got["converted"].iloc[0] == 3
    assert got["share"].sum() == pytest.approx(1.0)


# ---------------------------------------------------------------- dropped customers

DROP_LOG = [
    ("a", "2024-01-01T00:00:00Z", "view"), ("a", "2024-01-01T01:00:00Z", "email_open"),
    ("a", "2024-01-01T02:00:00Z", "email_open"), ("a", "2024-01-01T03:00:00Z", "search"),
    ("b", "2024-01-02T00:00:00Z", "view"), ("b", "2024-01-02T01:00:00Z", "cart"),
    ("c", "2024-01-03T00:00:00Z", "view"),
    ("d", "2024-01-01T05:00:00Z", "search"), ("d", "2024-01-01T06:00:00Z", "view"),
    ("d", "2024-01-01T07:00:00Z", "search"),
]


def test_the_dropped_list_names_who_stopped_what_they_did_last_and_next():
    got = compute_dropped(dataset(DROP_LOG), params=params("view", "cart"), step=2)
    assert list(got.columns) == ["customer_id", "reached", "entered_at", "last_event", "last_event_at", "next_events"]
    assert list(got["customer_id"]) == ["c", "d", "a"]  # most recently active first
    a = got.set_index("customer_id").loc["a"]
    assert a["reached"] == "view"
    assert a["entered_at"] == at("2024-01-01")
    assert (a["last_event"], a["last_event_at"]) == ("search", at("2024-01-01T03:00"))
    assert a["next_events"] == "email_open (2), search (1)"
    assert got.set_index("customer_id").loc["c", "next_events"] == ""
    assert len(compute_dropped(dataset(DROP_LOG), params=params("view", "cart"), step=2, limit=1)) == 1


def test_the_dropped_list_matches_the_dropped_count_of_the_funnel():
    p = params("view", "cart", "buy")
    funnel = compute_funnel(dataset(FUNNEL_LOG), params=p)
    for step in (2, 3):
        listed = compute_dropped(dataset(FUNNEL_LOG), params=p, step=step)
        assert len(listed) == funnel["dropped"].iloc[step - 1]
    assert list(compute_dropped(dataset(FUNNEL_LOG), params=p, step=3)["customer_id"]) == ["b"]


def test_the_events_after_dropping_are_ranked_by_customers():
    got = compute_next_after_drop(dataset(DROP_LOG), params=params("view", "cart"), step=2)
    assert list(got["event"]) == ["search", "email_open"]
    assert list(got["customers"]) == [2, 1]
    assert got["share"].tolist() == pytest.approx([2 / 3, 1 / 3])


@pytest.mark.parametrize("step", [1, 3, "2", 2.0])
def test_a_dropped_step_outside_two_to_the_number_of_steps_is_refused(step):
    with pytest.raises(ParameterError, match="step"):
        compute_dropped(dataset(DROP_LOG), params=params("view", "cart"), step=step)


# ---------------------------------------------------------------- report


def test_the_report_section_is_plain_json_with_the_design_keys():
    section = funnel_section(dataset(FUNNEL_LOG), params=params("view", "cart", "buy", breakdown="channel"))
    assert json.loads(json.dumps(section)) == section
    assert [row["customers"] for row in section["funnel"]] == [4, 3, 2]
    assert set(section["funnel"][0]) == {
        "step", "customers", "conversion_from_previous", "conversion_from_first",
        "median_seconds_from_previous", "dropped",
    }
    assert section["funnel"][0]["median_seconds_from_previous"] is None


# ---------------------------------------------------------------- real data


def test_the_rees46_export_gives_a_consistent_view_cart_purchase_funnel():
    raw = pd.read_csv(real_file("rees46_2019-Oct-sample.csv"), dtype={"user_id": str})
    frame = pd.DataFrame({
        "customer_id": raw["user_id"],
        "timestamp": pd.to_datetime(raw["event_time"].str.replace(" UTC", "", regex=False), utc=True),
        "event": raw["event_type"],
    })
    table = Dataset.from_events(engine.events_table(frame, name="funnel_test_rees46"))
    p = params("view", "cart", "purchase", window_seconds=3600)
    got = compute_funnel(table, params=p)
    assert got["customers"].iloc[0] == raw.loc[raw["event_type"] == "view", "user_id"].nunique()
    assert list(got["customers"]) == sorted(got["customers"], reverse=True)
    assert got["customers"].iloc[0] == got["dropped"].sum() + got["customers"].iloc[-1]
    strict = compute_funnel(table, params=params("view", "cart", "purchase", window_seconds=3600, mode="strict"))
    assert (strict["customers"] <= got["customers"]).all()


# ---------------------------------------------------------------- portability


@pytest.mark.parametrize("dialect", ["postgres", "snowflake", "bigquery", "trino", "clickhouse", "databricks"])
@pytest.mark.parametrize("mode", ["ordered", "strict", "any"])
def test_each_customers_progress_compiles_for_other_sql_engines(mode, dialect):
    import ibis

    from cjm.journey.funnel import progress_expr

    table = dataset(TOUCH_LOG, CHANNELS)
    p = params("view", "cart", "buy", mode=mode, exclude_event="email_open", breakdown="channel", attribution="last")
    sql = ibis.to_sql(progress_expr(table, params=p), dialect=dialect)
    assert "customer_id" in sql


# BigQuery and Trino have no exact median aggregate in Ibis; the per-customer progress above still compiles.
@pytest.mark.parametrize("dialect", ["postgres", "snowflake", "clickhouse", "databricks"])
def test_the_funnel_aggregate_compiles_where_an_exact_median_exists(dialect):
    import ibis

    from cjm.journey.funnel.summary import funnel_expr

    p = params("view", "cart", "buy", breakdown="channel")
    sql = ibis.to_sql(funnel_expr(dataset(TOUCH_LOG, CHANNELS), params=p), dialect=dialect)
    assert "customer_id" in sql
