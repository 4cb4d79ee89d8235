"""The step-times table every funnel mode looks things up in.

One row per customer and distinct timestamp at which a step event (or the excluded event) happened,
with a flag per step name, and for each step name s:

    ge_<k>: the earliest time of an s event at or after this row's time (equal timestamps count),
    gt_<k>: the earliest time of an s event strictly after this row's time.

Because rows are distinct per (customer, time), "at or after" is a cumulative minimum over the rows
ordered by time descending, and "strictly after" is that same minimum one row later. This replaces
the DuckDB-only ASOF join with window functions every SQL engine has, and it never joins a
customer's attempts against all their events (no blow-up for customers with many step-1 events).
"""

from __future__ import annotations

import ibis

from cjm.journey.funnel.params import FunnelParams

EXCLUDED = "x"  # column suffix used for the excluded event


def flag(key) -> str:
    return f"f_{key}"


def ge(key) -> str:
    return f"ge_{key}"


def gt(key) -> str:
    return f"gt_{key}"


def step_keys(params: FunnelParams) -> dict[str, int]:
    """Each distinct step name -> the small integer used in column names."""
    return {name: k for k, name in enumerate(params.distinct_steps)}


def relevant_events(events, params: FunnelParams):
    """Only the events a funnel can use: step events, plus the excluded event when there is one."""
    name = events[params.name_column]
    keep = name.isin(list(params.distinct_steps))
    if params.exclude_event is not None:
        keep = keep | (events.event == params.exclude_event)
    return events.filter(keep, events.timestamp.notnull(), events.customer_id.notnull())


def step_times(events, params: FunnelParams, *, strictly_after=()):
    """The step-times table (see module docstring). `strictly_after` lists the keys needing gt_ columns."""
    keys = step_keys(params)
    relevant = relevant_events(events, params)
    name = relevant[params.name_column]
    flags = {flag(k): (name == s).any() for s, k in keys.items()}
    if params.exclude_event is not None:
        flags[flag(EXCLUDED)] = (relevant.event == params.exclude_event).any()
    table = relevant.group_by(customer_id=relevant.customer_id, t=relevant.timestamp).aggregate(**flags)
    later_first = ibis.window(group_by=table.customer_id, order_by=ibis.desc(table.t), preceding=None, following=0)
    columns = list(keys.values()) + ([EXCLUDED] if params.exclude_event is not None else [])
    table = table.mutate(
        **{ge(k): ibis.cases((table[flag(k)], table.t)).min().over(later_first) for k in columns}
    )
    if strictly_after:
        next_row = ibis.window(group_by=table.customer_id, order_by=ibis.desc(table.t))
        table = table.mutate(**{gt(k): table[ge(k)].lag().over(next_row) for k in strictly_after})
    return table
