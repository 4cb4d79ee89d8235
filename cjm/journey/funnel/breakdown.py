"""Breakdown groups: which value of a column each counted customer belongs to (DESIGN.md section 4).

First touch (the default) takes the value on the event that started the customer's best attempt; last
touch the value on the event of the furthest step that attempt reached (in any-order mode, the step
counted first / last, equal times ordered by step position). Several events can share that step and
timestamp; the one earliest in the file (smallest row_id) is used, except in strict mode where the
attempt's exact events are known. A column of the customers table has one value per customer, so
first and last touch agree. Missing values are shown as "unknown"; groups beyond the largest
`max_groups` (by customers entered) are folded into "other".
"""

from __future__ import annotations

import ibis

from cjm import engine

from cjm.journey.funnel.ordered import reached
from cjm.journey.funnel.params import FunnelParams

UNKNOWN = "unknown"
OTHER = "other"


def _touch_time(progress, params: FunnelParams):
    if params.attribution == "first":
        return progress.entered_at
    n = len(params.steps)
    return ibis.cases(*[(progress.steps_reached == k, progress[reached(k)]) for k in range(1, n + 1)])


def _touch_name(progress, params: FunnelParams):
    if params.mode == "any":
        return progress.first_step if params.attribution == "first" else progress.last_step
    if params.attribution == "first":
        return ibis.literal(params.steps[0])
    n = len(params.steps)
    return ibis.cases(*[(progress.steps_reached == k, ibis.literal(params.steps[k - 1])) for k in range(1, n + 1)])


def _event_values(progress, events, params: FunnelParams):
    """customer_id -> the breakdown value on the attributed event."""
    column = params.breakdown
    if params.mode == "strict":
        row = progress.first_row if params.attribution == "first" else progress.last_row
        keys = progress.select(_c=progress.customer_id, _row=row)
        joined = keys.join(events, [keys._c == events.customer_id, keys._row == events.row_id])
        return joined.select(customer_id=joined._c, _value=joined[column])
    keys = progress.select(
        _c=progress.customer_id, _t=_touch_time(progress, params), _name=_touch_name(progress, params)
    )
    name = events[params.name_column]
    candidates = events.filter(name.isin(list(params.distinct_steps))).select(
        "customer_id", "row_id", _at=events.timestamp, _step=name, _value=events[column]
    )
    predicates = [keys._c == candidates.customer_id, keys._t == candidates._at, keys._name == candidates._step]
    joined = keys.join(candidates, predicates)
    earliest = ibis.window(group_by=joined._c, order_by=joined.row_id)
    ranked = joined.mutate(_rank=ibis.row_number().over(earliest))
    ranked = ranked.filter(ranked._rank == 0)
    return ranked.select(customer_id=ranked._c, _value=ranked._value)


def attach(progress, events, params: FunnelParams, customers=None):
    """`progress` with a `group` column (the attributed value, small groups folded into "other")."""
    column = params.breakdown
    if column in events.columns:
        values = _event_values(progress, events, params)
    else:
        customers = engine.colocate(customers, like=events)  # joined where the events live
        values = customers.select(customer_id=customers.customer_id.cast("string"), _value=customers[column])
    values = values.select(_vc=values.customer_id, _value=values._value.cast("string"))
    joined = progress.left_join(values, progress.customer_id == values._vc)
    with_group = joined.select(*progress.columns, group=joined._value.fill_null(UNKNOWN))
    sized = with_group.mutate(_n=with_group.customer_id.count().over(ibis.window(group_by=with_group.group)))
    ranked = sized.mutate(_rank=ibis.dense_rank().over(order_by=[ibis.desc(sized._n), sized.group]))
    group = ibis.ifelse(ranked._rank < params.max_groups, ranked.group, ibis.literal(OTHER))
    return ranked.select(*[c for c in progress.columns], group=group)
