"""Strict-mode attempts (DESIGN.md section 4).

Every step-1 event starts an attempt. Step i must be the customer's very next event after step i-1,
whatever that event is (any other event in between ends the attempt), no later than the window after
step 1 (inclusive), and strictly later than the previous step of the same name when a step name comes
back (view -> view, or view -> cart -> view), as in ordered mode, so that a strict success is always an
ordered success. "Next" follows the customer's events ordered by (timestamp, row_id): within equal
timestamps, file order decides.
"""

from __future__ import annotations

import ibis

from cjm.journey.funnel import times
from cjm.journey.funnel.ordered import reached
from cjm.journey.funnel.params import FunnelParams


def attempts(events, params: FunnelParams):
    """One row per attempt: customer_id, entered_at, reached_at_1..n, depth, first_row, last_row."""
    keys = times.step_keys(params)
    n = len(params.steps)
    events = events.filter(events.timestamp.notnull(), events.customer_id.notnull())
    name = events[params.name_column]
    code = ibis.cases(*[(name == s, k) for s, k in keys.items()], else_=-1)
    following = ibis.window(group_by=events.customer_id, order_by=[events.timestamp, events.row_id])
    leads = {}
    for k in range(1, n):
        leads[f"_c{k}"] = code.lead(k).over(following)
        leads[f"_t{k}"] = events.timestamp.lead(k).over(following)
        leads[f"_r{k}"] = events.row_id.lead(k).over(following)
    seq = events.select(
        "customer_id", _t0=events.timestamp, _r0=events.row_id, _c0=code, **leads
    )
    seq = seq.filter(seq._c0 == keys[params.steps[0]])
    limit = seq._t0 + ibis.interval(seconds=params.window_seconds)
    columns = {reached(1): seq._t0}
    ok = ibis.literal(True)
    for k in range(1, n):
        t = seq[f"_t{k}"]
        step_ok = (seq[f"_c{k}"] == keys[params.steps[k]]) & (t <= limit)
        same = [p for p in range(k) if params.steps[p] == params.steps[k]]
        if same:  # a step name seen before in the funnel needs a strictly later time (see ordered.py)
            step_ok = step_ok & (t > seq[f"_t{same[-1]}"])
        ok = (ok & step_ok).fill_null(False)
        columns[reached(k + 1)] = ibis.cases((ok, t))
        columns[f"_ok{k}"] = ok
    out = seq.select("customer_id", entered_at=seq._t0, first_row=seq._r0, **columns,
                     **{f"_r{k}": seq[f"_r{k}"] for k in range(1, n)})
    depth = 1 + sum(out[f"_ok{k}"].cast("int32") for k in range(1, n))
    out = out.mutate(depth=depth)
    last_row = ibis.cases(*[(out.depth == k + 1, out[f"_r{k}"]) for k in range(1, n)], else_=out.first_row)
    return out.select("customer_id", "entered_at", *[reached(i) for i in range(1, n + 1)],
                      "depth", "first_row", last_row=last_row)
