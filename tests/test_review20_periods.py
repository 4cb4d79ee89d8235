"""Review 20, compare_periods (cjm/journey/periods.py): overlapping periods are refused; `too_few` marks a step under
100 customers a period at step 1 or under 5 expected conversions or non-conversions (stats.too_few_to_tell). Every
expected figure is worked out by hand beside it."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data.dataset import Dataset
from cjm.errors import ParameterError
from cjm.journey.funnel import FunnelParams
from cjm.journey.periods import compare_periods

TWO = FunnelParams(steps=("view", "buy"), step_kind="event")
THREE = FunnelParams(steps=("view", "cart", "buy"), step_kind="event")
PREVIOUS, CURRENT = ("2023-09-01", "2024-03-01"), ("2024-03-01", "2024-04-02")


def log(previous, current):
    """Each period: (customers viewing, of whom carting, of whom buying), on 1 Sep 2023 and 1 Mar 2024; a buyer carted
    first. Steps an hour apart."""
    rows = []
    for tag, day, counts in (("p", "2023-09-01", previous), ("c", "2024-03-01", current)):
        customers, cart, buy = counts
        for i in range(customers):
            rows.append((f"{tag}{i}", f"{day} 00:00", "view"))
            if i < cart:
                rows.append((f"{tag}{i}", f"{day} 01:00", "cart"))
            if i < buy:
                rows.append((f"{tag}{i}", f"{day} 02:00", "buy"))
    frame = pd.DataFrame(rows, columns=["customer_id", "timestamp", "event"])
    return Dataset.from_events(engine.events_table(frame))


def compare(previous, current, params=TWO):
    return compare_periods(log(previous, current), params=params, previous=PREVIOUS, current=CURRENT)


@pytest.mark.parametrize("previous, current", [
    (("2023-09-01", "2024-03-02"), ("2024-03-01", "2024-04-02")),  # one day in both: 1 Mar
    (("2024-03-05", "2024-04-02"), ("2024-03-01", "2024-03-06")),  # the current before the previous, 5 Mar in both
    (("2023-09-01", "2024-04-02"), ("2024-03-01", "2024-03-02")),  # the previous holds the current
])
def test_periods_sharing_any_moment_are_refused(previous, current):
    with pytest.raises(ParameterError, match="overlap"):
        compare_periods(log((100, 40, 30), (100, 50, 45)), params=TWO, previous=previous, current=current)


def test_periods_meeting_at_a_midnight_are_apart():
    # half-open [1 Sep, 1 Mar) and [1 Mar, 2 Apr): no moment in both. 100 and 100 viewers, 30 and 45 buyers
    result = compare((100, 30, 30), (100, 45, 45))
    assert result["customers_previous"].tolist() == [100, 30]
    assert result["customers_current"].tolist() == [100, 45]


def test_exactly_5_expected_conversions_a_period_is_enough():
    # 100 and 100 viewers, 4 and 6 buyers: pooled 10 / 200 = 0.05, expected 100 x 0.05 = 5 in each (not under 5);
    # non-buyers 95: enough
    assert compare((100, 4, 4), (100, 6, 6))["too_few"].tolist() == [False, False]


def test_4_and_a_half_expected_non_conversions_are_too_few():
    # 100 and 100 viewers, 96 and 95 buyers: pooled non-buyers 9 / 200, expected 100 x 0.045 = 4.5 < 5
    assert compare((100, 96, 96), (100, 95, 95))["too_few"].tolist() == [False, True]


def test_expected_conversions_are_counted_per_period_not_over_both():
    # 100 and 400 viewers, 1 and 19 buyers: pooled 20 / 500 = 0.04; expected 4 in the previous period (< 5), 16 in
    # the current. Over both periods 20 would be enough: too few
    assert compare((100, 1, 1), (400, 19, 19))["too_few"].tolist() == [False, True]


def test_a_later_step_is_judged_on_step_1_customers_not_the_step_before():
    # 100 and 100 viewers; cart 10 and 50; buy 5 and 20. From step 1: cart pooled 60 / 200 = 0.3, expected 30 and
    # non 70; buy pooled 25 / 200 = 0.125, expected 12.5 and non 87.5: every step enough (on the 10 carting customers
    # of the previous period, buy would be under 100)
    result = compare((100, 10, 5), (100, 50, 20), THREE)
    assert result["customers_previous"].tolist() == [100, 10, 5]
    assert result["too_few"].tolist() == [False, False, False]
