"""Exclusion (DESIGN.md section 4): discard attempts in which the excluded event X happens between two steps.

An attempt is discarded when X occurs strictly after its step-i event and strictly before its step-j
event, or, when step j is never reached, strictly after step i and no later than the window end
(entry + window, inclusive). An attempt that never reached step i is kept. "Step i event" is the
attempt's reached step i in ordered and strict modes, and the first occurrence of step i in any-order
mode. Equal timestamps are not "between": X at the same second as step i or step j does not discard.
"""

from __future__ import annotations

import ibis

from cjm.journey.funnel import times
from cjm.journey.funnel.params import FunnelParams


def keep_allowed(attempts, table, params: FunnelParams, *, step_i: str, step_j: str):
    """The attempts that X does not disqualify. `step_i`/`step_j` name the attempt's step-time columns."""
    i = params.exclude_between[0]
    keys = times.step_keys(params)
    lookup = table.filter(table[times.flag(keys[params.steps[i]])]).select(
        _c=table.customer_id, _t=table.t, _x=table[times.gt(times.EXCLUDED)]
    )
    joined = attempts.left_join(
        lookup, [attempts.customer_id == lookup._c, attempts[step_i] == lookup._t]
    )
    window_end = joined.entered_at + ibis.interval(seconds=params.window_seconds)
    hit = ibis.ifelse(joined[step_j].notnull(), joined._x < joined[step_j], joined._x <= window_end)
    discard = (joined[step_i].notnull() & joined._x.notnull() & hit).fill_null(False)
    return joined.filter(~discard).select(*attempts.columns)
