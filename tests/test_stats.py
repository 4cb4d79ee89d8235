import math

import numpy as np
import pytest

from cjm import stats
from cjm.errors import ParameterError


def test_the_two_proportion_test_matches_the_textbook_example_45_of_100_against_30_of_100():
    # pooled p = 0.375, se = sqrt(0.375 * 0.625 * (1/100 + 1/100)) = 0.06847, z = 0.15 / 0.06847
    z, p = stats.two_proportion_ztest(45, 100, 30, 100)
    assert z == pytest.approx(2.1909, abs=1e-4)
    assert p == pytest.approx(0.02846, abs=1e-4)


def test_swapping_the_arms_flips_the_sign_of_z_but_not_the_p_value():
    z1, p1 = stats.two_proportion_ztest(45, 100, 30, 100)
    z2, p2 = stats.two_proportion_ztest(30, 100, 45, 100)
    assert z2 == pytest.approx(-z1)
    assert p2 == pytest.approx(p1)


def test_equal_rates_give_z_0_and_p_1():
    z, p = stats.two_proportion_ztest(20, 100, 40, 200)
    assert z == pytest.approx(0.0)
    assert p == pytest.approx(1.0)


def test_arms_without_variation_or_without_customers_give_nan_not_an_error():
    z, p = stats.two_proportion_ztest([1, 0, 45], [1, 0, 100], [1, 3, 30], [1, 5, 100])
    assert np.isnan(z[0]) and np.isnan(p[0])
    assert np.isnan(z[1]) and np.isnan(p[1])
    assert p[2] == pytest.approx(0.02846, abs=1e-4)


def test_the_wilson_interval_matches_newcombe_1998_for_81_of_263():
    low, high = stats.wilson_interval(81, 263)
    assert low == pytest.approx(0.2553, abs=1e-4)
    assert high == pytest.approx(0.3662, abs=1e-4)


def test_the_wilson_interval_of_0_successes_starts_at_0_and_of_0_trials_is_nan():
    low, high = stats.wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.2775, abs=1e-4)
    assert all(math.isnan(v) for v in stats.wilson_interval(0, 0))


def test_the_newcombe_difference_interval_matches_newcombe_1998_for_56_of_70_against_48_of_80():
    low, high = stats.newcombe_interval(56, 70, 48, 80)
    assert low == pytest.approx(0.0524, abs=1e-4)
    assert high == pytest.approx(0.3339, abs=1e-4)


def test_intervals_accept_arrays_and_contain_the_observed_rate():
    low, high = stats.wilson_interval([10, 45, 90], [100, 100, 100])
    rates = np.array([0.10, 0.45, 0.90])
    assert np.all(low < rates) and np.all(rates < high)
    d_low, d_high = stats.newcombe_interval([45, 30], [100, 100], [30, 45], [100, 100])
    assert np.all(d_low < np.array([0.15, -0.15])) and np.all(np.array([0.15, -0.15]) < d_high)


def test_a_significant_test_has_a_difference_interval_that_excludes_zero():
    low, _ = stats.newcombe_interval(45, 100, 30, 100)
    assert low > 0


def test_fewer_than_100_customers_or_an_expected_count_under_5_is_too_few_to_tell():
    assert not stats.too_few_to_tell(45, 100, 30, 100)
    assert stats.too_few_to_tell(45, 99, 30, 100)  # an arm under 100 customers
    assert stats.too_few_to_tell(2, 400, 1, 400)  # expected conversions 1.5 per arm
    assert list(stats.too_few_to_tell([45, 2], [100, 400], [30, 1], [100, 400])) == [False, True]


@pytest.mark.parametrize("k, n", [(5, 3), (-1, 10)])
def test_impossible_counts_are_refused_quoting_them(k, n):
    with pytest.raises(ParameterError, match="successes"):
        stats.wilson_interval(k, n)


def test_a_confidence_outside_0_1_is_refused():
    with pytest.raises(ParameterError, match="confidence"):
        stats.wilson_interval(1, 2, confidence=95)
