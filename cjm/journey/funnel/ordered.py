"""Ordered-mode attempts (DESIGN.md section 4).

Every step-1 event starts an attempt (attempts starting at the same timestamp are identical, so one is
kept per customer and time). Step i is the earliest step-i event at or after the step i-1 event, strictly
after it when steps i-1 and i are the same name, and no later than the window after step 1 (inclusive).
As the earliest candidate is taken, an attempt whose candidate falls outside the window stops there.

A step name that comes back later in the funnel (view -> cart -> view) follows the same rule as two
adjacent identical steps: its event must be strictly later than that name's previous step. Otherwise,
with cart at the same second as the view, the step-1 view itself would be taken again as step 3 and a
single view would count as two (DESIGN.md states the rule for adjacent steps only; one event filling
two steps is never what an analyst means).
"""

from __future__ import annotations

import ibis

from cjm.journey.funnel import times
from cjm.journey.funnel.params import FunnelParams


def reached(i: int) -> str:
    return f"reached_at_{i}"


def previous_occurrence(params: FunnelParams, i: int) -> int | None:
    """The latest step p < i (1-based) with the same name as step i, or None."""
    name = params.steps[i - 1]
    return next((p for p in range(i - 1, 0, -1) if params.steps[p - 1] == name), None)


def _next_column(params: FunnelParams, i: int) -> str:
    """The step-times column giving step i (1-based, >= 2) from the time of step i-1 when step i's name
    does not come back from step i-1 itself (the non-adjacent repeat is handled in `attempts`)."""
    keys = times.step_keys(params)
    step = params.steps[i - 1]
    return times.gt(keys[step]) if previous_occurrence(params, i) == i - 1 else times.ge(keys[step])


def strictly_after_keys(params: FunnelParams) -> set:
    """Keys of the step names that occur more than once (they need the strictly-after lookup)."""
    keys = times.step_keys(params)
    return {keys[s] for s in params.steps if params.steps.count(s) > 1}


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
        p = previous_occurrence(params, i)
        columns = {c: table.customer_id, t: table.t, nxt: table[_next_column(params, i)]}
        if p is not None and p < i - 1:  # step i's name came earlier: strictly after step p
            columns[f"_gt{i}"] = table[times.gt(keys[params.steps[i - 1]])]
        lookup = table.filter(table[times.flag(keys[params.steps[i - 2]])]).select(**columns).view()
        joined = out.left_join(lookup, [out.customer_id == lookup[c], out[reached(i - 1)] == lookup[t]])
        candidate = joined[nxt]
        if p is not None and p < i - 1:
            # step i-1 is at or after step p; only when they share a second would step p's event be taken
            candidate = ibis.ifelse(joined[reached(i - 1)] == joined[reached(p)], joined[f"_gt{i}"], candidate)
        out = joined.select(
            *out.columns,
            **{reached(i): ibis.cases((candidate <= joined._limit, candidate))},
        ).view()  # a fresh relation: Ibis cannot extend a join chain with a predicate on a computed column
    depth = sum(out[reached(i)].notnull().cast("int32") for i in range(1, n + 1))
    return out.mutate(depth=depth)
