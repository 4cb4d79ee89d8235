"""Any-order attempts (DESIGN.md section 4).

An attempt starts at any step event (attempts starting at the same timestamp are identical, so one is
kept per customer and time). For each step, its first event at or after the start (equal timestamps
count) and no later than the window after the start (inclusive) is found; the attempt reached k steps
when k distinct steps occur. reached_at_k is the time the k-th distinct step first occurred (step 1 is
the start itself); ties between steps at one timestamp are ordered by their position in the step list,
and first / last touch (breakdown) read the event of the step counted first / last in that order.
"""

from __future__ import annotations

import ibis

from cjm.journey.funnel import times
from cjm.journey.funnel.ordered import reached
from cjm.journey.funnel.params import FunnelParams


def first_seen(k: int) -> str:
    """Column: when step k (0-based position in params.steps) first occurred in the attempt."""
    return f"seen_{k}"


def attempts(events, params: FunnelParams, table=None):
    """One row per attempt: customer_id, entered_at, seen_0..seen_{n-1} (null when not seen), depth."""
    keys = times.step_keys(params)
    if table is None:
        table = times.step_times(events, params)
    starts = table.filter(ibis.or_(*[table[times.flag(k)] for k in keys.values()]))
    limit = starts.t + ibis.interval(seconds=params.window_seconds)
    seen = {
        first_seen(i): ibis.cases((starts[times.ge(keys[s])] <= limit, starts[times.ge(keys[s])]))
        for i, s in enumerate(params.steps)
    }
    out = starts.select("customer_id", entered_at=starts.t, **seen)
    depth = sum(out[first_seen(i)].notnull().cast("int32") for i in range(len(params.steps)))
    return out.mutate(depth=depth)


def _ranks(best, params: FunnelParams):
    """(seen times, rank of each reached step among the reached ones: earlier first, equal times by
    step position)."""
    n = len(params.steps)
    x = [best[first_seen(i)] for i in range(n)]
    ranks = [
        sum(
            ((x[j] < x[i]) | ((x[j] == x[i]) & ibis.literal(j < i))).fill_null(False).cast("int32")
            for j in range(n)
            if j != i
        )
        for i in range(n)
    ]
    return x, ranks


def reached_columns(best, params: FunnelParams) -> dict:
    """reached_at_1..n from the seen_ columns: the k-th distinct step's first time (computed only on
    the best attempts, as it is the costly part)."""
    x, ranks = _ranks(best, params)
    n = len(params.steps)
    return {
        reached(k): ibis.cases(*[((x[i].notnull()) & (ranks[i] == k - 1), x[i]) for i in range(n)])
        for k in range(1, n + 1)
    }


def touch_steps(best, params: FunnelParams) -> dict:
    """first_step / last_step: the names of the steps counted first and last on the best attempt, so
    that first and last touch read the value on that step's event (not on another step's event that
    happens to share the second)."""
    x, ranks = _ranks(best, params)
    n = len(params.steps)

    def name_at(rank):
        return ibis.cases(*[((x[i].notnull()) & (ranks[i] == rank), ibis.literal(params.steps[i])) for i in range(n)])

    return {"first_step": name_at(0), "last_step": name_at(best.depth - 1)}
