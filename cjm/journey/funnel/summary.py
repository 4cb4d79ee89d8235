"""Funnel numbers aggregated from each customer's best attempt (DESIGN.md section 4).

compute_funnel: customers reaching each step, conversion from the previous and the first step, median
and mean seconds from the previous step (over the customers who reached the step), and the customers
dropped at the step (reached the previous step but not this one; 0 at step 1). Customers whose window
is still open at the end of the data are counted like everyone else (see DESIGN.md "Abandonment" for
the in-progress rule, which belongs to the abandonment page).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cjm import engine
from cjm.data.clock import dates_clock
from cjm.errors import ParameterError
from cjm.present.formats import format_duration
from cjm.journey.funnel.breakdown import OTHER
from cjm.journey.funnel.ordered import reached
from cjm.journey.funnel.params import FunnelParams
from cjm.journey.funnel.progress import progress_expr, progress_on

FUNNEL_COLUMNS = [
    "step", "step_number", "customers", "conversion_from_previous", "conversion_from_first",
    "median_seconds_from_previous", "mean_seconds_from_previous", "dropped",
]
PERIODS = {"day": "D", "week": "W", "month": "M"}


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def _seconds(value) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)


def _step_rows(row, params: FunnelParams) -> list[dict]:
    n = len(params.steps)
    counts = [0 if pd.isna(row.get(f"c{k}")) else int(row[f"c{k}"]) for k in range(1, n + 1)]
    rows = []
    for k in range(1, n + 1):
        previous = counts[k - 2] if k > 1 else counts[0]
        rows.append({
            "step": params.labels[k - 1],
            "step_number": k,
            "customers": counts[k - 1],
            "conversion_from_previous": _ratio(counts[k - 1], previous),
            "conversion_from_first": _ratio(counts[k - 1], counts[0]),
            "median_seconds_from_previous": _seconds(row.get(f"median{k}")),
            "mean_seconds_from_previous": _seconds(row.get(f"mean{k}")),
            "dropped": counts[k - 2] - counts[k - 1] if k > 1 else 0,
        })
    return rows


def funnel_expr(dataset, *, params: FunnelParams):
    """Ibis expression: one row (per group) with c<k> customers reaching step k and median<k>/mean<k>
    seconds from step k-1, for k = 1..n (no median/mean for k = 1). dataset: the Dataset (or a view)."""
    return _funnel_expr(progress_expr(dataset, params=params), params)


def _funnel_expr(progress, params: FunnelParams):
    n = len(params.steps)
    metrics = {}
    for k in range(1, n + 1):
        metrics[f"c{k}"] = (progress.steps_reached >= k).cast("int64").sum()
        if k > 1:
            gap = engine.seconds_between(progress[reached(k)], progress[reached(k - 1)])
            metrics[f"median{k}"] = gap.median()
            metrics[f"mean{k}"] = gap.mean()
    if params.breakdown is None:
        return progress.aggregate(**metrics)
    return progress.group_by("group").aggregate(**metrics)


def compute_funnel(dataset, *, params: FunnelParams) -> pd.DataFrame:
    """One row per step (and per breakdown group): see FUNNEL_COLUMNS (+ "group" with a breakdown).

    dataset: the Dataset (or a view of it); a breakdown column may be a column of its customers table.
    Groups are ordered by customers entered, largest first, with "other" last.
    """
    return funnel_on(dataset.events, params=params, customers=dataset.customers)


def funnel_on(events, *, params: FunnelParams, customers=None, validate: bool = True) -> pd.DataFrame:
    """compute_funnel over an events table, for analyses that derive their own events first (the A/B
    test's variants assigned, the journey map's segment). validate=False when the caller has checked
    the step names against the whole Dataset (a step no event of these reaches is then an honest 0)."""
    progress = progress_on(events, params=params, customers=customers, validate=validate)
    totals = engine.execute(_funnel_expr(progress, params))
    if params.breakdown is None:
        return pd.DataFrame(_step_rows(totals.iloc[0].to_dict(), params), columns=FUNNEL_COLUMNS)
    totals = totals.assign(_other=totals["group"] == OTHER).sort_values(
        ["_other", "c1", "group"], ascending=[True, False, True]
    )
    rows = [dict(r, group=g["group"]) for g in totals.to_dict("records") for r in _step_rows(g, params)]
    return pd.DataFrame(rows, columns=FUNNEL_COLUMNS + ["group"])


def compute_conversion_over_time(dataset, *, params: FunnelParams, period: str = "week") -> pd.DataFrame:
    """Customers bucketed by the period of their entry (weeks start on Monday), in the dataset's time zone
    (cjm.data.clock.dates_clock: the days of the date filter; UTC's when the data names no zone or several).

    "Entry" is the start of the attempt the customer is counted at (their best attempt), so the
    bucket's conversion is that attempt's: a customer who viewed in week 1 and converted on a new
    attempt in week 3 is a week-3 conversion, not a week-1 one.

    Columns: period (start date), entered, converted (reached the last step), conversion (fraction)
    [, group with a breakdown], ordered by period.
    """
    if period not in PERIODS:
        raise ParameterError(f"period: expected one of 'day', 'week', 'month', found {period!r}.")
    progress = progress_expr(dataset, params=params)
    tz = dates_clock(dataset).tz
    if str(tz) == "UTC":
        keys = {"period": progress.entered_at.truncate(PERIODS[period]).date()}
    else:  # counted per quarter hour (every zone's offset is whole quarter hours), bucketed on the zone's clock below
        keys = {"quarter": (progress.entered_at.epoch_seconds() // QUARTER_HOUR).cast("int64")}
    if params.breakdown is not None:
        keys["group"] = progress.group
    n = len(params.steps)
    counts = progress.group_by(**keys).aggregate(
        entered=progress.count(), converted=(progress.steps_reached == n).cast("int64").sum()
    )
    frame = engine.execute(counts.order_by(list(keys)))
    if str(tz) == "UTC":
        frame["period"] = pd.to_datetime(frame["period"])
    else:
        frame = _local_periods(frame, tz, period)
    frame["entered"] = frame["entered"].astype("int64")
    frame["converted"] = frame["converted"].astype("int64")
    frame["conversion"] = frame["converted"] / frame["entered"]
    frame = frame[["period", "entered", "converted", "conversion", *(["group"] if "group" in keys else [])]]
    frame.attrs["tz"] = tz  # the time zone whose days the periods are (the chart's axis names it)
    return frame


QUARTER_HOUR = 900


def _local_periods(frame: pd.DataFrame, tz, period: str) -> pd.DataFrame:
    """Counts per quarter hour of entry (UTC) summed into the day, week (from Monday) or month of the entry on the
    clock of `tz` (the data's time zone or offset, summer time included), as the dashboard's dates are."""
    instants = pd.to_datetime(frame.pop("quarter").astype("int64") * QUARTER_HOUR, unit="s", utc=True)
    day = instants.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    if period == "week":
        day = day - pd.to_timedelta(day.dt.weekday, unit="D")
    elif period == "month":
        day = day.dt.to_period("M").dt.to_timestamp()
    keys = ["period", *(["group"] if "group" in frame else [])]
    frame = frame.assign(period=day.to_numpy()).groupby(keys, as_index=False, sort=True, dropna=False)[
        ["entered", "converted"]]
    return frame.sum()


# Bin edges people read easily; the last bin ends at the conversion window.
_EDGES = (0, 60, 300, 900, 1800, 3600, 7200, 21600, 43200, 86400, 172800, 259200, 604800, 1209600,
          2592000, 5184000, 7776000)


def _edge_label(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size} {unit}"
    return format_duration(seconds)


def compute_time_to_convert(dataset, *, params: FunnelParams) -> pd.DataFrame:
    """Time from step 1 to the last step for converted customers, already binned for a histogram.

    One row per bin (empty bins included, the last one ending at the window, inclusive): bin (label
    such as "1 h - 2 h"), bin_start_seconds, bin_end_seconds, customers, share (of converted customers),
    converted (total converted customers), median_seconds (over all converted customers).
    """
    progress = progress_expr(dataset, params=params)
    n = len(params.steps)
    done = progress.filter(progress.steps_reached == n)
    seconds = engine.execute(done.select(seconds=engine.seconds_between(done[reached(n)], done.entered_at)))["seconds"]
    seconds = seconds.to_numpy(dtype="float64")
    window = params.window_seconds
    edges = [e for e in _EDGES if e < window] + [window]
    counts, _ = np.histogram(seconds, bins=edges)  # numpy bins are [a, b) except the last, [a, b]
    total = int(len(seconds))
    labels = [
        f"under {_edge_label(b)}" if a == 0 else f"{_edge_label(a)} - {_edge_label(b)}"
        for a, b in zip(edges, edges[1:])
    ]
    return pd.DataFrame({
        "bin": labels,
        "bin_start_seconds": edges[:-1],
        "bin_end_seconds": edges[1:],
        "customers": counts.astype("int64"),
        "share": counts / total if total else np.zeros(len(counts)),
        "converted": total,
        "median_seconds": float(np.median(seconds)) if total else math.nan,
    })
