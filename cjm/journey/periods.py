"""Did the funnel change? The same funnel in two periods, step by step, with a significance test.

Each period's funnel is computed on the events inside it, as the Funnel page counts it with the
date filter set to that period (attempts that run past the period's end are cut there, in both
periods alike). Periods are half-open [start, end). By default the periods follow the Overview's rule
(cjm.journey.kpis.default_periods) with 6 months instead of 30 days: the current period is the 6 months
ending at the midnight after the last event (in the dataset's time zone: cjm.data.clock.dates_clock, UTC when it
names none) and the previous one the 6 months before, or, when the
data covers less than a year, the two halves of the data (so that both hold data: 10 Jan - 31 Mar 2024 is
[10 Jan, 20 Feb) against [20 Feb, 1 Apr)); data within one day is halved at the middle of its own span, to
the minute. Under a filter the periods are placed as the Overview's (cjm.data.views.period_span): on the loaded data
seen through the start date, whatever segment, channel or device is chosen, so two segments or two channels compare
the same calendar periods (one quiet in a period shows 0 customers there), and on a date filter's range, ending at
the midnight after its end date when the data goes on after it. Conversion from step 1 is compared with a pooled
two-proportion z-test, which assumes the two periods' customers are apart: periods that overlap are refused. `too_few` marks a step whose comparison rests
on too little data (a period with fewer than MIN_CUSTOMERS customers at step 1, or fewer than 5 expected
conversions or non-conversions: stats.too_few_to_tell, as the A/B test's warning).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from cjm import engine, stats
from cjm.data.clock import dates_clock
from cjm.data.views import period_span
from cjm.errors import InsufficientDataError, ParameterError
from cjm.journey.funnel import FunnelParams, progress_expr, progress_on
from cjm.journey.funnel.validate import check_dated
from cjm.journey.kpis import default_periods, parse_period, period_text, wall, within_period

DEFAULT_LENGTH = pd.DateOffset(months=6)  # each default period, when the data covers two of them (a year)
MIN_CUSTOMERS = 100  # per period at step 1, as per variant in an A/B test (cjm.journey.experiments)
COLUMNS = [
    "step", "step_number", "customers_previous", "customers_current", "conversion_previous",
    "conversion_current", "change_points", "p_value", "significant", "too_few",
    "previous_start", "previous_end", "current_start", "current_end",
]


def _step_names(params: FunnelParams) -> list[str]:
    if params.mode == "any":
        return ["1 step"] + [f"{i} steps" for i in range(2, len(params.steps) + 1)]
    return list(params.steps)


def _customers_per_step(events, params: FunnelParams, period) -> list[int]:
    """Customers reaching each step in the funnel of the events inside `period`.

    Step names were checked on the whole table; a period may lack some of them (0 customers there),
    so the per-period progress is built without the funnel's name check.
    """
    progress = progress_on(within_period(events, period), params=params, validate=False)
    counts = {f"c{k}": (progress.steps_reached >= k).cast("int64").sum() for k in range(1, len(params.steps) + 1)}
    row = engine.execute(progress.aggregate(**counts)).iloc[0]
    return [0 if pd.isna(row[f"c{k}"]) else int(row[f"c{k}"]) for k in range(1, len(params.steps) + 1)]


PERIODS_NEEDS_DATES = ("The period comparison", "its two periods are spans of time")


def two_periods(dataset, current=None, previous=None, *, why: str) -> tuple[tuple, tuple]:
    """(current, previous) half-open periods: those given ((start, end) pairs), else the defaults of the module
    docstring over the dates of the data `dataset` (the Dataset or a view of it) is part of (views.period_span: the
    view's own events without a filter). Refused when the data is too short to split or the periods overlap (`why`
    says what an overlap would spoil)."""
    first, last = period_span(dataset)
    if last is None:
        raise InsufficientDataError("The events table is empty: there are no periods to compare.")
    span = {"first": first, "last": last}
    clock = dates_clock(dataset)
    tz = clock.tz  # the periods are on the days of the data's time zone, and so is a date given for one
    default_current, default_previous = default_periods(first, last, length=DEFAULT_LENGTH, tz=tz)
    current = parse_period(current, "current", tz) if current is not None else default_current
    previous = parse_period(previous, "previous", tz) if previous is not None else default_previous
    if previous is None:
        earliest, latest = wall(span["first"], tz), wall(span["last"], tz)  # on the data's clock, which it names
        raise InsufficientDataError(
            f"Every event falls between {earliest:%d %b %Y %H:%M} and {latest:%H:%M} {clock.label}: too little time "
            "to split into two periods (the earlier half would be empty). Load data that spans more time to compare "
            "periods.")
    if previous[0] < current[1] and current[0] < previous[1]:
        raise ParameterError(
            f"The periods overlap: previous {period_text(previous, tz)} and current {period_text(current, tz)}. A "
            f"customer active in both would be counted in both, and {why}. Pick a previous period that ends before the "
            "current one starts.")
    return current, previous


def compare_periods(dataset, *, params: FunnelParams, current=None, previous=None, alpha: float = 0.05) -> pd.DataFrame:
    """One row per step: customers and conversion_from_first in each period, change_points
    (current - previous, in percentage points), p_value, significant (p < alpha), and the periods.
    dataset: the Dataset (or a view of it)."""
    events = dataset.events
    if not 0 < alpha < 1:
        raise ParameterError(f"alpha must be between 0 and 1 (e.g. 0.05); got {alpha!r}.")
    check_dated(events, PERIODS_NEEDS_DATES)  # a survey without dates is no empty table
    current, previous = two_periods(dataset, current, previous,
                                    why="the test compares customers who are apart")
    params = replace(params, breakdown=None)

    progress_expr(dataset, params=params)  # checks the step names (and breakdown) against the whole data
    names = _step_names(params)
    out = pd.DataFrame({
        "step": names, "step_number": range(1, len(names) + 1),
        "customers_previous": _customers_per_step(events, params, previous),
        "customers_current": _customers_per_step(events, params, current),
    })
    x1, x0 = out["customers_current"].to_numpy(), out["customers_previous"].to_numpy()
    n1, n0 = np.full_like(x1, x1[0]), np.full_like(x0, x0[0])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["conversion_previous"] = np.where(n0 > 0, x0 / n0, np.nan)
        out["conversion_current"] = np.where(n1 > 0, x1 / n1, np.nan)
    out["change_points"] = (out["conversion_current"] - out["conversion_previous"]) * 100
    _, p = stats.two_proportion_ztest(x1, n1, x0, n0)
    out["p_value"] = np.where(out["step_number"] > 1, p, np.nan)
    out["significant"] = out["p_value"].to_numpy() < alpha
    out["too_few"] = (out["step_number"] > 1).to_numpy() & stats.too_few_to_tell(x1, n1, x0, n0,
                                                                               min_customers=MIN_CUSTOMERS)
    out["previous_start"], out["previous_end"] = previous
    out["current_start"], out["current_end"] = current
    out = out[COLUMNS]
    out.attrs["tz"] = dates_clock(dataset).tz  # the time zone whose days the periods are (the pickers' days)
    return out
