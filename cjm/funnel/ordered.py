"""Ordered-mode attempts (DESIGN.md section 4).

Every step-1 event starts an attempt (attempts starting at the same timestamp are identical, so one is
kept per customer and time). Step i is the earliest step-i event at or after the step i-1 event, strictly
after it when steps i-1 and i are the same name, and no later than the window after step 1 (inclusive).
As the earliest candidate is taken, an attempt whose candidate falls outside the window stops there.
"""

from __future__ import annotations

import ibis

from cjm.funnel import times
from cjm.funnel.params import FunnelParams


def reached(i: int) -> str:
    return f"reached_at_{i}"


def _next_column(params: FunnelParams, i: int) -> str:
    """The step-times column giving step i (1-based, >= 2) from the time of step i-1."""
    keys = times.step_keys(params)
    step, previous = params.steps[i - 1], params.steps[i - 2]
    return times.gt(keys[step]) if step == previous else times.ge(keys[step])


def strictly_after_keys(params: FunnelParams) -> set:
    keys = times.step_keys(params)
    return {keys[b] for a, b in zip(params.steps, params.steps[1:]) if a == b}


def attempts(events, params: FunnelParams, table=None):
    """One row per attempt: customer_id, entered_at, reached_at_1..n (null when not reached), depth."""
    keys = times.step_keys(params)
    n = len(params.steps)
    if table is None:
        table = times.step_times(events, params, strictly_after=strictly_after_keys(params))
    first = table.filter(table[times.flag(keys[params.steps[0]])])
    limit = first.t + ibis.interval(seconds=params.window_seconds)
    nxt = first[_next_column(params, 2)]
    out = first.select(
        "customer_id",
        entered_at=first.t,
        _limit=limit,
        **{reached(1): first.t, reached(2): ibis.cases((nxt <= limit, nxt))},
    )
    for i in range(3, n + 1):
        # column names carry i so that repeated steps give distinct lookups (Ibis would merge them)
        c, t, nxt = f"_c{i}", f"_t{i}", f"_next{i}"
        lookup = table.filter(table[times.flag(keys[params.steps[i - 2]])]).select(
            **{c: table.customer_id, t: table.t, nxt: table[_next_column(params, i)]}
        ).view()
        joined = out.left_join(lookup, [out.customer_id == lookup[c], out[reached(i - 1)] == lookup[t]])
        out = joined.select(
            *out.columns,
            **{reached(i): ibis.cases((joined[nxt] <= joined._limit, joined[nxt]))},
        ).view()  # a fresh relation: Ibis cannot extend a join chain with a predicate on a computed column
    depth = sum(out[reached(i)].notnull().cast("int32") for i in range(1, n + 1))
    return out.mutate(depth=depth)
