"""Comparing two conversion rates: Wilson intervals, Newcombe difference intervals, z-tests.

Conventions: rates are fractions 0..1; a "difference" is p1 - p2 (first arm minus second arm).
Inputs may be scalars or array-likes of equal length; outputs are float numpy arrays (or floats for
scalar inputs). An arm with no trials gives NaN rather than an error, so a small table of variants
or periods can be passed whole.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as _stats

from cjm.errors import ParameterError

MIN_EXPECTED = 5  # the usual rule of thumb for the normal approximation (expected successes/failures)


def _check_counts(successes, trials):
    k = np.asarray(successes, dtype="float64")
    n = np.asarray(trials, dtype="float64")
    if np.any(k < 0) or np.any(n < 0) or np.any(k > n):
        raise ParameterError(
            f"Counts must satisfy 0 <= successes <= trials; got successes={k.tolist()!r}, trials={n.tolist()!r}."
        )
    return k, n


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ParameterError(f"confidence must be between 0 and 1 (e.g. 0.95); got {confidence!r}.")


def _out(value, scalar: bool):
    return float(value) if scalar else value


def wilson_interval(successes, trials, *, confidence: float = 0.95):
    """(low, high) Wilson score interval for a proportion (scipy.stats.binomtest), NaN when trials == 0."""
    _check_confidence(confidence)
    scalar = np.ndim(successes) == 0 and np.ndim(trials) == 0
    k, n = _check_counts(successes, trials)
    k, n = np.broadcast_arrays(np.atleast_1d(k), np.atleast_1d(n))
    low = np.full(k.shape, np.nan)
    high = np.full(k.shape, np.nan)
    for i in range(k.size):  # one call per arm/step: a handful of values, not rows of data
        if n[i] > 0:
            ci = _stats.binomtest(int(k[i]), int(n[i])).proportion_ci(confidence, method="wilson")
            low[i], high[i] = ci.low, ci.high
    return (_out(low[0], True), _out(high[0], True)) if scalar else (low, high)


def two_proportion_ztest(successes1, trials1, successes2, trials2):
    """(z, two-sided p) of the pooled two-proportion z-test of p1 == p2.

    Textbook example: 45/100 vs 30/100 gives z = 2.19, p = 0.028. NaN when an arm is empty or
    both arms are all successes / all failures (no variation to test).
    """
    scalar = all(np.ndim(v) == 0 for v in (successes1, trials1, successes2, trials2))
    k1, n1 = _check_counts(successes1, trials1)
    k2, n2 = _check_counts(successes2, trials2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = k1 / n1, k2 / n2
        pooled = (k1 + k2) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = np.where(se > 0, (p1 - p2) / se, np.nan)
    p = 2 * _stats.norm.sf(np.abs(z))
    return (_out(z, scalar), _out(p, scalar)) if scalar else (np.atleast_1d(z), np.atleast_1d(p))


def newcombe_interval(successes1, trials1, successes2, trials2, *, confidence: float = 0.95):
    """(low, high) interval for p1 - p2 by Newcombe's hybrid score method (from two Wilson intervals).

    Newcombe (1998), method 10: better coverage than the Wald interval for small samples and rates
    near 0 or 1. scipy has no difference-of-proportions interval, hence these few lines.
    """
    scalar = all(np.ndim(v) == 0 for v in (successes1, trials1, successes2, trials2))
    k1, n1 = _check_counts(successes1, trials1)
    k2, n2 = _check_counts(successes2, trials2)
    l1, u1 = wilson_interval(np.atleast_1d(k1), np.atleast_1d(n1), confidence=confidence)
    l2, u2 = wilson_interval(np.atleast_1d(k2), np.atleast_1d(n2), confidence=confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = np.atleast_1d(k1 / n1), np.atleast_1d(k2 / n2)
    d = p1 - p2
    low = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return (_out(low[0], True), _out(high[0], True)) if scalar else (low, high)


def too_few_to_tell(successes1, trials1, successes2, trials2, *, min_customers: int = 100):
    """True where a comparison rests on too little data: an arm under `min_customers` trials, or an
    expected count (under the pooled rate) below 5, where the normal approximation is unreliable."""
    k1, n1 = _check_counts(successes1, trials1)
    k2, n2 = _check_counts(successes2, trials2)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = np.nan_to_num((k1 + k2) / (n1 + n2))
    expected = np.stack([n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)])
    out = (n1 < min_customers) | (n2 < min_customers) | np.any(expected < MIN_EXPECTED, axis=0)
    return bool(out) if np.ndim(out) == 0 else out
