"""Review of the number vocabulary (cjm/present/formats.py) after the switch to rounding half away from zero
on a value snapped to 12 significant digits: large values, odd inputs, and call sites that must not
multiply by 100 twice."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from cjm.journey.experiments import verdict
from cjm.present.formats import (NO_VALUE, format_count, format_duration, format_money, format_number,
                                 format_percent, format_points, format_signed)
from cjm.voice.risk import risk_status


def test_money_of_ten_billion_or_more_keeps_its_cents():
    # Revenue in rupiah, won or dong passes ten billion quickly; float64 holds these cents exactly enough
    # (f"{v:,.2f}" shows them), but snapping to 12 significant digits drops or invents digits.
    assert format_money(12_345_678_901.23) == "12,345,678,901.23"
    assert format_money(1_234_567_890_123.45) == "1,234,567,890,123.45"


def test_a_count_with_thirteen_digits_keeps_every_digit():
    assert format_count(1_234_567_890_123) == "1,234,567,890,123"
    assert format_number(98_765_432_101_234.5, 1) == "98,765,432,101,234.5"


@pytest.mark.parametrize("show", [format_number, format_money, format_count, format_percent, format_signed,
                                  format_points])
def test_a_huge_finite_value_is_written_out_rather_than_raising(show):
    # Decimal.quantize in a 60-digit context raises InvalidOperation from about 1e58 up.
    assert show(1e300).replace("+", "").startswith("1")
    assert show(-1e60).startswith("-1")


def test_odd_inputs_are_read_as_numbers_or_shown_as_no_value():
    assert format_number(np.float32(0.125)) == "0.13"
    assert format_count(np.int64(1234)) == "1,234"
    assert format_percent(Decimal("0.125")) == "12.5%"
    assert format_number("1.005") == "1.01"
    assert format_number(1e-20) == "0.00"
    assert format_signed(-1e-20) == "+0.00"
    assert format_percent(pd.NA) == format_money(None) == format_count(np.nan) == NO_VALUE
    assert format_duration(pd.NA) == NO_VALUE


def test_sentences_that_already_hold_points_or_shares_are_not_multiplied_again():
    assert verdict("B", "A", "purchase", 2.345, 0.01) == "B converts 2.3 points better than A (control) at purchase (p=0.01)"
    _, sentence = risk_status(pd.Series({"risk": 0.456, "at_risk": True, "drivers": ""}), threshold=0.4)
    assert "46%" in sentence and "40%" in sentence and "4560" not in sentence
