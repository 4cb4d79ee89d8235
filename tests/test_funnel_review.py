"""Independent review of the funnel, abandonment, KPI and A/B numbers against DESIGN.md section 4.

Adversarial literal logs; every expected value is computed by hand in the test (the comment shows the
arithmetic), never by calling the code under test a second way.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cjm.journey.abandonment import compute_abandonment, compute_checkout_abandonment, compute_time_to_abandon
from cjm.journey.experiments import compute_variant_funnel
from cjm.journey.funnel import (
    FunnelParams,
    compute_conversion_over_time,
    compute_dropped,
    compute_funnel,
)
from cjm.journey.kpis import compute_kpis
from cjm.journey.periods import compare_periods
from cjm.stats import newcombe_interval, two_proportion_ztest, wilson_interval
from tests.funnel_reference import reference_progress
from tests.helpers import dataset, event_frame, events

from tests.funnel_helpers import CHANNELS, DAY, HOUR, MINUTE, at, params, progress_of


def reference_of(rows, p, columns=("customer_id", "timestamp", "event")) -> pd.DataFrame:
    return reference_progress(event_frame(rows, columns), p).set_index("customer_id")


# ---------------------------------------------------------------- ordered mode: attempts


def test_a_later_attempt_that_goes_deeper_is_counted_and_its_step_times_are_the_ones_measured():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T00:10:00Z", "cart"),  # attempt of 1 Jan: view -> cart, stops (no buy within 7 d)
        ("c", "2024-01-20T00:00:00Z", "view"),
        ("c", "2024-01-20T02:00:00Z", "cart"),
        ("c", "2024-01-20T05:00:00Z", "buy"),  # attempt of 20 Jan: all three steps
    ]
    p = params("view", "cart", "buy")
    got = progress_of(rows, p).loc["c"]
    assert got["steps_reached"] == 3
    assert got["entered_at"] == at("2024-01-20")
    funnel = compute_funnel(dataset(rows), params=p)
    assert list(funnel["customers"]) == [1, 1, 1]
    # view -> cart on the 20 Jan attempt: 02:00 - 00:00 = 2 h (not the 10 min of 1 Jan);
    # cart -> buy: 05:00 - 02:00 = 3 h
    assert list(funnel["median_seconds_from_previous"].iloc[1:]) == [2 * HOUR, 3 * HOUR]
    assert list(funnel["mean_seconds_from_previous"].iloc[1:]) == [2 * HOUR, 3 * HOUR]


def test_among_equally_deep_attempts_the_earliest_is_counted_with_its_own_times():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T04:00:00Z", "cart"),  # attempt 1: 4 h to cart
        ("c", "2024-01-15T00:00:00Z", "view"),
        ("c", "2024-01-15T01:00:00Z", "cart"),  # attempt 2: 1 h to cart, equally deep, later
        ("x", "2024-01-01T00:00:00Z", "buy"),  # someone else's buy, so that the step exists
    ]
    p = params("view", "cart", "buy")
    got = progress_of(rows, p).loc["c"]
    assert (got["steps_reached"], got["entered_at"], got["reached_at_2"]) == (2, at("2024-01-01"), at("2024-01-01T04:00"))
    # the median is measured on the earliest attempt: 04:00 - 00:00 = 4 h
    assert compute_funnel(dataset(rows), params=p)["median_seconds_from_previous"].iloc[1] == 4 * HOUR


def test_overlapping_attempts_that_reach_the_same_cart_count_from_the_earliest_view():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T01:00:00Z", "view"),
        ("c", "2024-01-01T02:00:00Z", "cart"),
    ]
    funnel = compute_funnel(dataset(rows), params=params("view", "cart"))
    assert list(funnel["customers"]) == [1, 1]  # one customer, counted once
    # both attempts reach cart at 02:00; the earliest (00:00) is counted: 2 h, not 1 h
    assert funnel["median_seconds_from_previous"].iloc[1] == 2 * HOUR


def test_a_step_event_before_the_previous_step_does_not_count():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "cart"),  # cart before any view
        ("c", "2024-01-01T01:00:00Z", "view"),
    ]
    got = progress_of(rows, params("view", "cart")).loc["c"]
    assert got["steps_reached"] == 1


def test_adjacent_identical_steps_at_the_same_second_do_not_count_but_a_later_one_does():
    rows = [
        ("c", "2024-01-01T10:00:00Z", "view"),
        ("c", "2024-01-01T10:00:00Z", "view"),  # same second: not strictly after
        ("c", "2024-01-01T10:00:05Z", "view"),  # strictly after: the second view
        ("c", "2024-01-01T10:00:05Z", "cart"),  # same second as the second view: at-or-after counts
    ]
    got = progress_of(rows, params("view", "view", "cart")).loc["c"]
    assert got["steps_reached"] == 3
    # attempt 10:00:00 -> view 10:00:05 -> cart 10:00:05
    assert (got["entered_at"], got["reached_at_2"], got["reached_at_3"]) == (
        at("2024-01-01T10:00:00"), at("2024-01-01T10:00:05"), at("2024-01-01T10:00:05"))


def test_different_steps_at_the_same_second_count_whatever_the_file_order():
    rows = [
        ("c", "2024-01-01T10:00:00Z", "buy"),
        ("c", "2024-01-01T10:00:00Z", "cart"),
        ("c", "2024-01-01T10:00:00Z", "view"),
    ]
    got = progress_of(rows, params("view", "cart", "buy")).loc["c"]
    assert got["steps_reached"] == 3
    assert compute_funnel(dataset(rows), params=params("view", "cart", "buy"))["median_seconds_from_previous"].iloc[2] == 0


def test_one_event_cannot_fill_a_step_twice_when_a_step_name_comes_back_later_in_the_funnel():
    # Steps view -> cart -> view: the only view is step 1; cart at the same second is step 2; step 3
    # needs another view. Re-using the step-1 view as step 3 would count a journey that never happened.
    rows = [
        ("once", "2024-01-01T10:00:00Z", "view"),
        ("once", "2024-01-01T10:00:00Z", "cart"),
        ("twice", "2024-01-01T10:00:00Z", "view"),
        ("twice", "2024-01-01T10:00:00Z", "cart"),
        ("twice", "2024-01-01T10:00:01Z", "view"),
    ]
    p = params("view", "cart", "view")
    got = progress_of(rows, p)
    assert got.loc["once", "steps_reached"] == 2
    assert got.loc["twice", "steps_reached"] == 3
    assert got.loc["twice", "reached_at_3"] == at("2024-01-01T10:00:01")
    # the brute-force reference agrees
    want = reference_of(rows, p)
    assert want.loc["once", "steps_reached"] == 2 and want.loc["twice", "steps_reached"] == 3


def test_a_step_name_that_comes_back_may_share_the_second_of_the_previous_step_but_not_of_its_first_use():
    rows = [
        ("c", "2024-01-01T10:00:00Z", "view"),
        ("c", "2024-01-01T10:00:01Z", "cart"),
        ("c", "2024-01-01T10:00:01Z", "view"),  # same second as the cart, later than the step-1 view
    ]
    got = progress_of(rows, params("view", "cart", "view")).loc["c"]
    assert got["steps_reached"] == 3
    assert got["reached_at_3"] == at("2024-01-01T10:00:01")


def test_strict_mode_applies_the_same_strictly_later_rule_to_a_step_name_that_comes_back():
    # In file order view, cart, view, all at one second: the step-3 view shares the step-1 view's second,
    # so strict mode (like ordered mode) stops at cart; a strict success must also be an ordered success.
    rows = [
        ("c", "2024-01-01T10:00:00Z", "view"),
        ("c", "2024-01-01T10:00:00Z", "cart"),
        ("c", "2024-01-01T10:00:00Z", "view"),
    ]
    strict = progress_of(rows, params("view", "cart", "view", mode="strict")).loc["c"]
    ordered = progress_of(rows, params("view", "cart", "view")).loc["c"]
    assert strict["steps_reached"] == ordered["steps_reached"] == 2


def test_the_window_is_inclusive_and_measured_from_entry_not_from_the_previous_step():
    rows = [
        ("edge", "2024-01-01T00:00:00Z", "view"),
        ("edge", "2024-01-07T00:00:00Z", "cart"),
        ("edge", "2024-01-08T00:00:00Z", "buy"),  # exactly 7 d after entry: counts
        ("over", "2024-01-01T00:00:00Z", "view"),
        ("over", "2024-01-02T00:00:00Z", "cart"),
        ("over", "2024-01-08T00:00:01Z", "buy"),  # 6 d after cart but 7 d + 1 s after entry: does not
    ]
    got = progress_of(rows, params("view", "cart", "buy", window_seconds=7 * DAY))
    assert got.loc["edge", "steps_reached"] == 3
    assert got.loc["over", "steps_reached"] == 2


# ---------------------------------------------------------------- strict and any-order modes


def test_strict_mode_an_unrelated_event_ends_the_attempt_and_a_later_clean_attempt_succeeds():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T00:01:00Z", "search"),  # between view and cart: ends the 00:00 attempt
        ("c", "2024-01-01T00:02:00Z", "cart"),
        ("c", "2024-01-01T00:05:00Z", "view"),
        ("c", "2024-01-01T00:06:00Z", "cart"),
        ("c", "2024-01-01T00:09:00Z", "buy"),
    ]
    p = params("view", "cart", "buy", mode="strict")
    got = progress_of(rows, p).loc["c"]
    assert got["steps_reached"] == 3
    assert got["entered_at"] == at("2024-01-01T00:05")
    funnel = compute_funnel(dataset(rows), params=p)
    assert list(funnel["median_seconds_from_previous"].iloc[1:]) == [60.0, 180.0]  # 00:06-00:05, 00:09-00:06
    # ordered mode ignores the search and counts the first attempt: 00:02 - 00:00 = 2 min to cart
    ordered = compute_funnel(dataset(rows), params=params("view", "cart", "buy"))
    assert ordered["median_seconds_from_previous"].iloc[1] == 120.0


def test_strict_mode_does_not_take_two_views_at_the_same_second_as_two_view_steps():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T00:00:00Z", "view"),  # the very next event, but not strictly later
        ("c", "2024-01-01T00:03:00Z", "cart"),
    ]
    got = progress_of(rows, params("view", "view", "cart", mode="strict")).loc["c"]
    # attempt 1: view(row 0) -> view(row 1) at the same second: not strictly after -> depth 1
    # attempt 2: view(row 1) -> cart is not a view -> depth 1
    assert got["steps_reached"] == 1


def test_any_order_mode_counts_distinct_steps_within_the_window_from_the_attempt_start():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "cart"),
        ("c", "2024-01-01T00:20:00Z", "cart"),  # a repeat: no new step, but it starts its own attempt
        ("c", "2024-01-01T00:30:00Z", "view"),
        ("c", "2024-01-01T01:10:00Z", "buy"),  # 70 min after 00:00, 50 min after 00:20
        ("d", "2024-01-01T00:00:00Z", "cart"),
        ("d", "2024-01-01T00:10:00Z", "cart"),
        ("d", "2024-01-01T00:20:00Z", "view"),  # cart, cart, view: 2 distinct steps, not 3
    ]
    p = params("view", "cart", "buy", mode="any", window_seconds=HOUR)
    got = progress_of(rows, p)
    # c from 00:00: cart, view (buy at 01:10 is after 00:00 + 1 h) -> 2
    # c from 00:20: cart, view, buy (01:10 <= 01:20) -> 3: the best attempt
    c = got.loc["c"]
    assert c["steps_reached"] == 3
    assert (c["entered_at"], c["reached_at_2"], c["reached_at_3"]) == (
        at("2024-01-01T00:20"), at("2024-01-01T00:30"), at("2024-01-01T01:10"))
    assert got.loc["d", "steps_reached"] == 2
    assert got.loc["d", "entered_at"] == at("2024-01-01T00:00")  # 00:00 and 00:10 both reach 2: earliest
    funnel = compute_funnel(dataset(rows), params=p)
    assert list(funnel["step"]) == ["1 step", "2 steps", "3 steps"]
    assert list(funnel["customers"]) == [2, 2, 1]
    # 2nd step: c 00:30 - 00:20 = 10 min, d 00:20 - 00:00 = 20 min -> median 15 min
    assert funnel["median_seconds_from_previous"].iloc[1] == 15 * MINUTE
    assert funnel["median_seconds_from_previous"].iloc[2] == 40 * MINUTE  # c: 01:10 - 00:30


# ---------------------------------------------------------------- exclusion


def test_an_excluded_event_after_step_i_and_before_step_j_discards_the_attempt_but_not_one_before_step_i():
    rows = [
        ("between", "2024-01-01T00:00:00Z", "view"),
        ("between", "2024-01-01T01:00:00Z", "cart"),
        ("between", "2024-01-01T02:00:00Z", "refund"),  # after cart (step i=1), before buy (step j=2)
        ("between", "2024-01-01T03:00:00Z", "buy"),
        ("before_i", "2024-01-01T00:00:00Z", "view"),
        ("before_i", "2024-01-01T00:30:00Z", "refund"),  # before cart: not between cart and buy
        ("before_i", "2024-01-01T01:00:00Z", "cart"),
        ("before_i", "2024-01-01T03:00:00Z", "buy"),
    ]
    p = params("view", "cart", "buy", exclude_event="refund", exclude_between=(1, 2))
    got = progress_of(rows, p)
    assert list(got.index) == ["before_i"]  # "between" had one attempt, discarded: not counted
    assert got.loc["before_i", "steps_reached"] == 3


def test_an_excluded_event_when_step_j_is_never_reached_discards_only_before_the_window_ends():
    rows = [
        ("inside", "2024-01-01T00:00:00Z", "view"),
        ("inside", "2024-01-08T00:00:00Z", "refund"),  # exactly at the window end (7 d): discards
        ("outside", "2024-01-01T00:00:00Z", "view"),
        ("outside", "2024-01-08T00:00:01Z", "refund"),  # 1 s after the window ended: keeps
        ("x", "2024-01-01T00:00:00Z", "cart"),  # someone else's cart, so that the step exists
    ]
    got = progress_of(rows, params("view", "cart", exclude_event="refund", window_seconds=7 * DAY))
    assert list(got.index) == ["outside"]
    assert got.loc["outside", "steps_reached"] == 1


def test_a_discarded_deeper_attempt_leaves_the_customer_at_a_shallower_clean_attempt():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T01:00:00Z", "refund"),
        ("c", "2024-01-01T02:00:00Z", "cart"),  # the 00:00 attempt reaches cart but is discarded
        ("c", "2024-01-10T00:00:00Z", "view"),  # clean attempt, reaches only the view
    ]
    got = progress_of(rows, params("view", "cart", exclude_event="refund")).loc["c"]
    assert (got["steps_reached"], got["entered_at"]) == (1, at("2024-01-10"))


# ---------------------------------------------------------------- breakdown


def test_first_touch_is_the_value_at_the_counted_entry_and_last_touch_the_value_at_the_furthest_step():
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view", "email"),  # entry of a shallower attempt
        ("c", "2024-01-20T00:00:00Z", "view", "web"),  # entry of the counted (deepest) attempt
        ("c", "2024-01-20T01:00:00Z", "cart", "app"),
        ("c", "2024-01-20T02:00:00Z", "other", "store"),  # not a step: never the last touch
    ]
    first = progress_of(rows, params("view", "cart", breakdown="channel"), CHANNELS)
    last = progress_of(rows, params("view", "cart", breakdown="channel", attribution="last"), CHANNELS)
    assert first.loc["c", "group"] == "web"
    assert last.loc["c", "group"] == "app"


def test_any_order_last_touch_is_the_event_of_the_step_counted_last_even_at_the_same_second():
    # view and cart at the same second: the 2nd distinct step is cart (ties ordered by step position),
    # so last touch is cart's channel, whatever the file order.
    rows = [
        ("c", "2024-01-01T00:00:00Z", "view", "web"),
        ("c", "2024-01-01T00:00:00Z", "cart", "app"),
    ]
    flipped = list(reversed(rows))
    p = params("view", "cart", mode="any", breakdown="channel", attribution="last")
    assert progress_of(rows, p, CHANNELS).loc["c", "group"] == "app"
    assert progress_of(flipped, p, CHANNELS).loc["c", "group"] == "app"
    first = params("view", "cart", mode="any", breakdown="channel")
    assert progress_of(rows, first, CHANNELS).loc["c", "group"] == "web"
    assert progress_of(flipped, first, CHANNELS).loc["c", "group"] == "web"
    assert reference_of(flipped, p, CHANNELS).loc["c", "group"] == "app"
    assert reference_of(flipped, first, CHANNELS).loc["c", "group"] == "web"


# ---------------------------------------------------------------- conversion over time, dropped list


def test_conversion_over_time_buckets_customers_by_the_entry_of_the_attempt_they_are_counted_at():
    rows = [
        ("a", "2024-01-01T00:00:00Z", "view"),  # Monday 1 Jan
        ("a", "2024-01-09T00:00:00Z", "view"),  # Tuesday 9 Jan: the converting attempt
        ("a", "2024-01-09T01:00:00Z", "buy"),
        ("b", "2024-01-07T23:00:00Z", "view"),  # Sunday 7 Jan (week of 1 Jan) ...
        ("b", "2024-01-08T01:00:00Z", "buy"),  # ... converts on Monday 8 Jan: still the 1 Jan cohort
        ("d", "2024-01-02T00:00:00Z", "view"),
    ]
    got = compute_conversion_over_time(dataset(rows), params=params("view", "buy"), period="week")
    # week of 1 Jan: b (converted), d (not) -> 1 / 2; week of 8 Jan: a (converted) -> 1 / 1
    assert list(got["period"]) == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-08")]
    assert list(got["entered"]) == [2, 1]
    assert list(got["converted"]) == [1, 1]
    assert got["conversion"].tolist() == [0.5, 1.0]


def test_the_dropped_list_at_every_step_is_exactly_the_dropped_count_of_the_funnel():
    rows = [
        ("a", "2024-01-01T00:00:00Z", "view"),  # view only -> dropped at cart
        ("b", "2024-01-01T00:00:00Z", "view"),
        ("b", "2024-01-01T01:00:00Z", "cart"),  # dropped at buy
        ("c", "2024-01-01T00:00:00Z", "view"),
        ("c", "2024-01-01T01:00:00Z", "cart"),
        ("c", "2024-01-20T00:00:00Z", "view"),  # a later attempt that goes all the way: not dropped
        ("c", "2024-01-20T00:10:00Z", "cart"),
        ("c", "2024-01-20T00:20:00Z", "buy"),
        ("d", "2024-01-01T00:00:00Z", "cart"),  # cart without a view: not in the funnel at all
    ]
    p = params("view", "cart", "buy")
    funnel = compute_funnel(dataset(rows), params=p)
    assert list(funnel["customers"]) == [3, 2, 1]  # a b c / b c / c
    assert list(funnel["dropped"]) == [0, 1, 1]  # 3 - 2, 2 - 1
    assert list(compute_dropped(dataset(rows), params=p, step=2)["customer_id"]) == ["a"]
    assert list(compute_dropped(dataset(rows), params=p, step=3)["customer_id"]) == ["b"]


# ---------------------------------------------------------------- abandonment

ABANDON = params("view", "cart", "buy")  # 7-day window
ABANDON_LOG = [
    ("a", "2024-01-01 00:00", "view"), ("a", "2024-01-01 01:00", "cart"),  # closed 8 Jan: abandons at buy
    ("b", "2024-01-02 00:00", "view"),  # closed 9 Jan: abandons at cart
    ("c", "2024-01-03 00:00", "view"), ("c", "2024-01-03 00:30", "cart"), ("c", "2024-01-03 01:00", "buy"),
    ("d", "2024-01-24 00:00", "view"),  # window ends 31 Jan 00:00 = the data end: in progress
    ("e", "2024-01-23 23:59:59", "view"),  # window ends 1 s before the data end: abandons at cart
    ("f", "2024-01-28 00:00", "view"), ("f", "2024-01-28 00:05", "cart"),  # open: in progress at buy
    ("z", "2024-01-31 00:00", "other"),  # the end of the data
]


def test_abandonment_by_hand_closed_windows_abandon_open_ones_are_in_progress_and_the_edge_is_open():
    table = compute_abandonment(dataset(ABANDON_LOG), params=ABANDON).set_index("step")
    cart = table.loc["cart"]
    # viewed: a b c d e f = 6; reached cart: a c f = 3; stopped at view: b d e -> b, e abandoned, d open.
    # The rate is of the 4 whose window has closed (a b c e): f reached cart but its window is open, so it is
    # out as d is (keeping the quick f and leaving out the slow d would pull the rate low)
    assert (cart["reached_previous"], cart["reached"], cart["abandoned"], cart["in_progress"]) == (6, 3, 2, 1)
    assert cart["closed"] == 4 and cart["abandonment_rate"] == pytest.approx(2 / 4)
    buy = table.loc["buy"]
    # reached cart: a c f = 3; reached buy: c; stopped at cart: a (closed), f (open); closed: a c
    assert (buy["reached_previous"], buy["reached"], buy["abandoned"], buy["in_progress"]) == (3, 1, 1, 1)
    assert buy["closed"] == 2 and buy["abandonment_rate"] == pytest.approx(1 / 2)


def test_an_open_attempt_that_an_exclusion_discarded_does_not_keep_a_customer_in_progress():
    rows = [
        ("a", "2024-01-01 00:00", "view"),  # clean attempt, window closed 8 Jan: would abandon at cart
        ("a", "2024-01-29 00:00", "view"), ("a", "2024-01-29 01:00", "refund"),  # open, but discarded for good
        ("b", "2024-01-01 00:00", "view"),
        ("b", "2024-01-29 00:00", "view"),  # open and clean: in progress
        ("x", "2024-01-01 00:00", "view"), ("x", "2024-01-01 01:00", "cart"),
        ("z", "2024-01-31 00:00", "other"),  # the end of the data
    ]
    p = params("view", "cart", exclude_event="refund")
    cart = compute_abandonment(dataset(rows), params=p).set_index("step").loc["cart"]
    # viewed: a b x = 3; reached cart: x; a abandoned (its only countable attempt closed); b is counted on
    # its earliest equally deep attempt (1 Jan, closed), so b abandoned too: a newer attempt that is no
    # deeper never makes an old drop-off "in progress" (DESIGN.md section 4)
    assert (cart["reached_previous"], cart["reached"], cart["abandoned"], cart["in_progress"]) == (3, 1, 2, 0)
    assert cart["abandonment_rate"] == pytest.approx(2 / 3)


def test_time_to_abandon_by_hand():
    table = compute_time_to_abandon(dataset(ABANDON_LOG), params=ABANDON).set_index("step")
    # cart: b and e each had no event after their view -> 0 s, 0 s
    assert (table.loc["cart", "customers"], table.loc["cart", "median_seconds"]) == (2, 0)
    assert table.loc["cart", "no_later_activity"] == 2
    # buy: a's last event in the window is the cart itself -> 0 s
    assert (table.loc["buy", "customers"], table.loc["buy", "mean_seconds"]) == (1, 0)


def test_checkout_abandonment_rate_by_hand():
    rows = [
        ("a", "2024-01-01 00:00", "checkout_started"), ("a", "2024-01-01 00:30", "purchase"),  # bought
        ("b", "2024-01-01 00:00", "checkout_started"),  # closed 8 Jan, no purchase: abandoned
        ("c", "2024-01-01 00:00", "checkout_started"), ("c", "2024-01-08 00:00", "purchase"),  # at the edge: bought
        ("d", "2024-01-01 00:00", "checkout_started"), ("d", "2024-01-08 00:00:01", "purchase"),  # 1 s late
        ("e", "2024-01-01 00:00", "purchase"), ("e", "2024-01-02 00:00", "checkout_started"),  # purchase before
        ("f", "2024-01-25 00:00", "checkout_started"),  # window ends 1 Feb = data end: in progress
        ("z", "2024-02-01 00:00", "page_view"),
    ]
    result = compute_checkout_abandonment(dataset(rows), window_seconds=7 * DAY)
    # started: a b c d e f = 6; purchased: a c = 2; in progress: f; abandoned: b d e = 3
    # window closed (data end 1 Feb): a b c d e = 5 (f's is open): 3 / 5
    assert result == {"started": 6, "abandoned": 3, "in_progress": 1, "purchased": 2, "closed": 5,
                      "rate": pytest.approx(3 / 5), "start": "checkout"}  # 0.6


# ---------------------------------------------------------------- KPIs


def test_conversion_and_bounce_rates_by_hand():
    mapping = {"view": "consideration", "purchase": "conversion", "ad": "awareness"}
    columns = ("customer_id", "timestamp", "event", "session_id")
    rows = [
        ("a", "2024-01-01 10:00", "view", "s1"), ("a", "2024-01-01 10:05", "purchase", "s1"),  # 2 events
        ("b", "2024-01-01 11:00", "view", "s1"),  # another customer's "s1": a separate 1-event session
        ("b", "2024-01-02 11:00", "view", "s2"), ("b", "2024-01-02 11:01", "ad", "s2"),  # 2 events
        ("c", "2024-01-03 09:00", "ad", "s9"),  # 1 event
        ("d", "2024-01-03 09:00", "ad", None),  # no session: not in the bounce rate
    ]
    kpis = compute_kpis(dataset(rows, columns, stages=mapping), period="all")
    value = kpis.set_index("name")["value"]
    assert value["customers"] == 4
    assert value["conversion_rate"] == pytest.approx(1 / 4)  # a / (a b c d)
    # sessions: (a,s1) 2 ev, (b,s1) 1 ev, (b,s2) 2 ev, (c,s9) 1 ev -> 2 bounced of 4
    assert value["bounce_rate"] == pytest.approx(2 / 4)


# ---------------------------------------------------------------- A/B and period tests


def _phi_two_sided(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))  # 2 * (1 - Phi(|z|))


def _wilson(k: int, n: int, z: float = 1.959963984540054):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def test_the_two_proportion_test_equals_the_hand_formula():
    # 12/40 against 20/40: pooled = 32/80 = 0.4; se = sqrt(0.4 * 0.6 * (1/40 + 1/40)) = sqrt(0.012)
    se = math.sqrt(0.4 * 0.6 * (2 / 40))
    z_hand = (12 / 40 - 20 / 40) / se  # -0.2 / 0.10954 = -1.8257
    z, p = two_proportion_ztest(12, 40, 20, 40)
    assert z == pytest.approx(z_hand, rel=1e-12)
    assert z == pytest.approx(-1.8257, abs=1e-4)
    assert p == pytest.approx(_phi_two_sided(z_hand), rel=1e-9)  # 0.0679
    low, high = wilson_interval(12, 40)
    assert (low, high) == pytest.approx(_wilson(12, 40), rel=1e-9)
    # Newcombe: d - sqrt((p1 - l1)^2 + (u2 - p2)^2), d + sqrt((u1 - p1)^2 + (p2 - l2)^2)
    l1, u1 = _wilson(12, 40)
    l2, u2 = _wilson(20, 40)
    d = 12 / 40 - 20 / 40
    want = (d - math.sqrt((0.3 - l1) ** 2 + (u2 - 0.5) ** 2), d + math.sqrt((u1 - 0.3) ** 2 + (0.5 - l2) ** 2))
    assert newcombe_interval(12, 40, 20, 40) == pytest.approx(want, rel=1e-9)


def test_the_variant_funnel_compares_conversion_from_entry_with_the_hand_computed_test():
    rows = []
    for i in range(40):  # A: 40 enter, 12 buy;  B: 40 enter, 20 buy
        rows.append((f"a{i}", "2024-01-01 00:00", "view", "A"))
        if i < 12:
            rows.append((f"a{i}", "2024-01-01 01:00", "buy", "A"))
        rows.append((f"b{i}", "2024-01-01 00:00", "view", "B"))
        if i < 20:
            rows.append((f"b{i}", "2024-01-01 01:00", "buy", "B"))
    table = dataset(rows, ("customer_id", "timestamp", "event", "variant"))
    got = compute_variant_funnel(table, params=params("view", "buy")).set_index(["variant", "step"]).loc[("B", "buy")]
    assert (got["entered"], got["customers"]) == (40, 20)
    assert got["difference_points"] == pytest.approx((20 / 40 - 12 / 40) * 100)  # 20.0
    se = math.sqrt(0.4 * 0.6 * (2 / 40))
    assert got["p_value"] == pytest.approx(_phi_two_sided(0.2 / se), rel=1e-9)  # 0.0679
    assert not got["significant"]


def test_the_variant_funnel_keeps_every_arm_of_a_test_with_more_than_eight_arms():
    rows = []
    arms = [f"v{k}" for k in range(10)]  # v0 .. v9, 10 arms of 3 customers each
    for arm in arms:
        for i in range(3):
            rows.append((f"{arm}_{i}", "2024-01-01 00:00", "view", arm))
    rows.append(("v0_0", "2024-01-01 01:00", "buy", "v0"))
    table = dataset(rows, ("customer_id", "timestamp", "event", "variant"))
    got = compute_variant_funnel(table, params=params("view", "buy"), control="v0")
    assert sorted(got["variant"].unique()) == arms  # no arm folded into "other"
    assert (got[got["step_number"] == 1]["entered"] == 3).all()


def test_period_comparison_by_hand():
    rows = []
    for i in range(10):  # previous period (Dec 2023): 10 enter, 2 buy; current (Feb 2024): 10 enter, 6 buy
        rows.append((f"p{i}", "2023-12-01 00:00", "view"))
        if i < 2:
            rows.append((f"p{i}", "2023-12-01 01:00", "buy"))
        rows.append((f"c{i}", "2024-02-01 00:00", "view"))
        if i < 6:
            rows.append((f"c{i}", "2024-02-01 01:00", "buy"))
    got = compare_periods(dataset(rows), params=params("view", "buy"),
                          current=("2024-01-01", "2024-03-01"), previous=("2023-11-01", "2024-01-01"))
    buy = got.set_index("step").loc["buy"]
    assert (buy["customers_previous"], buy["customers_current"]) == (2, 6)
    assert buy["change_points"] == pytest.approx((6 / 10 - 2 / 10) * 100)  # 40.0
    se = math.sqrt(0.4 * 0.6 * (2 / 10))  # pooled 8/20
    assert buy["p_value"] == pytest.approx(_phi_two_sided(0.4 / se), rel=1e-9)  # z = 1.826, p = 0.068


def test_a_step_that_no_event_in_a_filtered_view_reaches_counts_zero_rather_than_failing():
    from cjm.data.filters import Filters
    from cjm.journey.funnel import compute_funnel
    from tests.helpers import dataset as make_dataset

    log = make_dataset([("a", "2024-01-01T00:00:00Z", "view", "web"), ("a", "2024-01-01T01:00:00Z", "buy", "web"),
                       ("b", "2024-01-01T00:00:00Z", "view", "email")],
                      columns=("customer_id", "timestamp", "event", "channel"))
    params = FunnelParams(steps=("view", "buy"), step_kind="event")
    email_only = log.filtered(Filters(channels=("email",)))
    funnel = compute_funnel(email_only, params=params)  # names are checked against the data the filter narrows
    assert funnel["customers"].tolist() == [1, 0]  # b viewed; nobody in the email view bought
