"""The one vocabulary for numbers (cjm/present/formats.py): hand-written values, including exact halves
and the float noise that DuckDB's parallel sums leave in the last bits."""

import math

import pytest

from cjm.present.formats import (NO_VALUE, format_count, format_duration, format_money, format_number,
                                 format_percent, format_points, format_signed, format_value)


def test_an_exact_half_rounds_up_in_every_format():
    assert format_number(3.75, 1) == "3.8"
    assert format_number(0.125) == "0.13"
    assert format_money(2.675) == "2.68"  # 2.675 is 2.67499999999999982236431605997495353221893310546875
    assert format_count(2.5) == "3"
    assert format_percent(0.0125) == "1.3%"
    assert format_signed(0.125) == "+0.13"
    assert format_points(0.0125) == "+1.3 pts"


def test_float_noise_below_twelve_digits_does_not_change_what_is_shown():
    noisy = sum([1.25, 1.25, 1.25]) / 3 * 3 - 0.0000000000000004  # 3.7499999999999996
    assert noisy < 3.75
    assert format_number(noisy, 1) == format_number(3.75, 1) == "3.8"
    assert format_percent(0.145) == "14.5%"  # 0.145 * 100 is 14.499999999999998


def test_negative_halves_round_away_from_zero():
    assert format_signed(-0.125) == "-0.13"
    assert format_number(-3.75, 1) == "-3.8"
    assert format_points(-0.0125) == "-1.3 pts"


def test_a_value_that_rounds_to_zero_carries_no_minus_sign():
    assert format_number(-0.0004) == "0.00"
    assert format_signed(-0.0004) == "+0.00"
    assert format_percent(-0.00001) == "0.0%"
    assert format_count(-0.4) == "0"


def test_thousands_are_grouped_and_large_values_keep_their_digits():
    assert format_count(1234567) == "1,234,567"
    assert format_money(1234567.891) == "1,234,567.89"
    assert format_number(12345.678) == "12,345.68"
    assert format_count(1e30) == "1,000,000,000,000,000,000,000,000,000,000"


@pytest.mark.parametrize("value", [None, math.nan, math.inf, -math.inf, "not a number"])
def test_no_value_and_infinities_are_shown_as_a_dash(value):
    for show in (format_count, format_money, format_number, format_percent, format_points, format_signed,
                 format_duration):
        assert show(value) == NO_VALUE


def test_format_value_picks_the_format_by_unit():
    assert format_value(0.5, "share") == "50.0%"
    assert format_value(1234, "count") == "1,234"
    assert format_value(1234.5, "money") == "1,234.50"
    assert format_value(0.4213, "score") == "0.42"


def test_durations_round_to_the_nearest_second_half_up_then_truncate_the_second_unit():
    assert format_duration(0.5) == "1 s"
    assert format_duration(44.4) == "44 s"
    assert format_duration(7529) == "2 h 05 min"
    assert format_duration(725) == "12 min 05 s"
    assert format_duration(3 * 86400 + 4 * 3600 + 59 * 60) == "3 d 04 h"
    assert format_duration(-90) == "-1 min 30 s"
    assert format_duration(-0.4) == "0 s"


def test_a_count_with_a_noun_is_singular_for_one_and_plural_otherwise():
    assert format_count(1, "customer") == "1 customer"
    assert format_count(0, "customer") == "0 customers"
    assert format_count(1234, "customer") == "1,234 customers"
    assert format_count(float("nan"), "customer") == "– customers"
