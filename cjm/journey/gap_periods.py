"""Have new gaps appeared? The gaps of two periods side by side (DOMAIN.md: "the map is never finished; compare
with six months ago; have new gaps appeared?").

Each period's gaps are `compute_gaps` on the events inside it, half-open [start, end), as the dashboard's date filter
would show them (cjm.data.views): every customer's journey is cut to the period, so a switch counts in a period when
both its events fall inside it, and moving on to a later stage counts only inside the period too.

By default the periods are those of the funnel's period comparison (cjm.journey.periods): the last 6 months of the
data against the 6 months before, or the data's two halves when it covers less than a year, placed under a filter
on the data the view is part of (a segment's, channel's or device's periods are the data's; a date filter's end at
its range's end). A switch type is listed
when at least `params.min_customers` customers made it in either period; its status is
- "new": nobody made it in the previous period;
- "gone": nobody made it in the current period;
- "in both" otherwise.
Rows: new first, then in both, then gone; within each, most customers lost in the current period first (then the
previous period's, then customers, then the switch's name).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from cjm.errors import InsufficientDataError
from cjm.journey.funnel.validate import check_dated
from cjm.journey.gaps import GapParams, check_inputs, compute_gaps
from cjm.journey.kpis import within_period
from cjm.journey.periods import two_periods
from cjm.data.clock import dates_clock

STATUS_ORDER = ("new", "in both", "gone")
FIGURES = ("customers", "customers_compared", "conversion_after", "conversion_without_switch", "customers_lost")
COLUMNS = (["switch", "from_value", "to_value", "status"]
           + [f"{figure}_{period}" for figure in FIGURES for period in ("previous", "current")]
           + ["previous_start", "previous_end", "current_start", "current_end"])
GAP_PERIODS_NEEDS_DATES = ("The gaps over time", "its two periods are spans of time")


def _inside(dataset, period):
    """The dataset seen through a half-open period: its events with start <= timestamp < end."""
    start, end = period
    return replace(dataset, key=f"{dataset.key}+period-{start.isoformat()}-{end.isoformat()}",
                   events=within_period(dataset.events, period), base=dataset)


def _gaps_in(dataset, params: GapParams, period) -> pd.DataFrame:
    try:
        return compute_gaps(_inside(dataset, period), params=replace(params, min_customers=1))
    except InsufficientDataError:  # no value of the dimension inside the period: nobody switched there
        return pd.DataFrame(columns=["switch", "from_value", "to_value", *FIGURES])


def compare_gap_periods(dataset, *, params: GapParams = GapParams(), current=None, previous=None) -> pd.DataFrame:
    """One row per switch type made by at least `params.min_customers` customers in either period: switch,
    from_value, to_value, status (new / in both / gone), and for each period (suffix _previous, _current) customers,
    customers_compared, conversion_after, conversion_without_switch and customers_lost as compute_gaps defines them
    (0 customers and no rates in a period where nobody made the switch); then the periods' bounds (also in
    `attrs["periods"]`: {"previous": (start, end), "current": (start, end)}, for a frame without rows).

    dataset: the Dataset (or a view of it). current, previous: (start, end) pairs, start included, end excluded;
    by default the funnel's period comparison's (see the module docstring)."""
    check_inputs(dataset.events, params, dataset.stages)  # a stage model and a dimension with values in the whole data
    check_dated(dataset.events, GAP_PERIODS_NEEDS_DATES)
    current, previous = two_periods(dataset, current, previous,
                                    why="the two periods would share their switches")
    keys = ["switch", "from_value", "to_value"]
    both = pd.merge(_gaps_in(dataset, params, previous)[keys + list(FIGURES)],
                    _gaps_in(dataset, params, current)[keys + list(FIGURES)],
                    on=keys, how="outer", suffixes=("_previous", "_current"))
    for period in ("previous", "current"):
        for figure in ("customers", "customers_compared"):
            both[f"{figure}_{period}"] = both[f"{figure}_{period}"].fillna(0).astype("int64")
        both[f"customers_lost_{period}"] = both[f"customers_lost_{period}"].fillna(0.0).astype("float64")
        for figure in ("conversion_after", "conversion_without_switch"):
            both[f"{figure}_{period}"] = both[f"{figure}_{period}"].astype("float64")
    both = both[both[["customers_previous", "customers_current"]].max(axis=1) >= params.min_customers]
    both["status"] = "in both"
    both.loc[both["customers_previous"] == 0, "status"] = "new"
    both.loc[both["customers_current"] == 0, "status"] = "gone"
    both["_order"] = both["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    both["_now"], both["_then"] = both["customers_lost_current"].round(9), both["customers_lost_previous"].round(9)
    both = both.sort_values(["_order", "_now", "_then", "customers_current", "switch"],
                            ascending=[True, False, False, False, True], kind="stable")
    both["previous_start"], both["previous_end"] = previous
    both["current_start"], both["current_end"] = current
    out = both[COLUMNS].reset_index(drop=True)
    out.attrs["periods"] = {"previous": previous, "current": current}  # also when no switch was made in either
    out.attrs["tz"] = dates_clock(dataset).tz  # the time zone whose days the periods are (the pickers' days)
    return out


def gap_periods_headline(frame: pd.DataFrame, *, dimension: str) -> str:
    """What changed, in one sentence with its n: the new switches first, by customers in the current period."""
    if frame.empty:
        return f"No {dimension} switch was made in either period"
    new = frame[frame["status"] == "new"].sort_values("customers_current", ascending=False, kind="stable")
    if len(new):
        top = new.iloc[0]
        more = f" and {len(new) - 1} more" if len(new) > 1 else ""
        return (f"{len(new)} new {dimension} switch{'es' if len(new) > 1 else ''} since the previous period: "
                f"{top['switch']} ({top['customers_current']:,} customers){more}")
    gone = int((frame["status"] == "gone").sum())
    return (f"No new {dimension} switch since the previous period; {len(frame) - gone} made in both"
            + (f", {gone} no longer made" if gone else ""))
