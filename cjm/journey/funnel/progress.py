"""Each counted customer's best attempt (DESIGN.md section 4): the deepest, then the earliest.

`progress_expr` builds the Ibis expression every funnel number is aggregated from; `compute_progress`
runs it. Both take the Dataset (or a view of it); `progress_on` is the same expression over an events
table, for analyses that derive their own events first (a period's events, variants assigned).
Customers all of whose attempts were discarded by an exclusion are not counted at all.
"""

from __future__ import annotations

import ibis
import pandas as pd

from cjm import engine
from cjm.data.reversals import reached_stage_index, reversal_names
from cjm.data.schema import UNMAPPED
from cjm.journey.funnel import anyorder, breakdown, exclusion, ordered, strict, times
from cjm.journey.funnel.ordered import reached
from cjm.journey.funnel.params import FunnelParams
from cjm.journey.funnel.validate import check_breakdown, check_names


def _attempts(events, params: FunnelParams):
    excluding = params.exclude_event is not None
    i, j = params.exclude_between
    if params.mode == "ordered":
        after = ordered.strictly_after_keys(params) | ({times.EXCLUDED} if excluding else set())
        table = times.step_times(events, params, strictly_after=after)
        result = ordered.attempts(events, params, table)
        step_i, step_j = reached(i + 1), reached(j + 1)
    elif params.mode == "strict":
        result = strict.attempts(events, params)
        table = times.step_times(events, params, strictly_after={times.EXCLUDED}) if excluding else None
        step_i, step_j = reached(i + 1), reached(j + 1)
    else:
        table = times.step_times(events, params, strictly_after={times.EXCLUDED} if excluding else ())
        result = anyorder.attempts(events, params, table)
        step_i, step_j = anyorder.first_seen(i), anyorder.first_seen(j)
    if excluding:
        result = exclusion.keep_allowed(result, table, params, step_i=step_i, step_j=step_j)
    return result


def progress_expr(dataset, *, params: FunnelParams, validate: bool = True, last_entry: bool = False):
    """Ibis expression: one row per counted customer (see compute_progress), plus strict-mode row ids.

    dataset: the Dataset (or a view of it); a breakdown column may come from its customers table.
    With `last_entry`, also `last_entered_at`: the start of the customer's latest attempt that an
    exclusion did not discard (the abandonment page's "is a window still open" test).
    """
    return progress_on(dataset.events, params=params, customers=dataset.customers, validate=validate,
                       last_entry=last_entry)


def progress_on(events, *, params: FunnelParams, customers=None, validate: bool = True,
                last_entry: bool = False):
    """progress_expr over an events table (and an optional customers table for the breakdown)."""
    if validate:
        check_names(events, params)
        check_breakdown(events, params, customers)
    events = reached_events(events, params)
    # in a shared scope (the report) each funnel's progress is computed once for all its sections
    return engine.shared_table(_progress(events, params, customers, last_entry))


def reached_events(events, params: FunnelParams):
    """`events` as a funnel of stage steps reads them: a reversal (a cancellation, return or refund:
    cjm.data.reversals.reversal_names) is no event of its stage (read as unmapped, an "other event" in strict mode),
    so a funnel by stages counts a customer at a stage as the stage reach, the customer features and the journey
    map's stage funnel do (one rule for how far a customer got). Steps chosen by event name are taken as named:
    `events` itself."""
    if params.step_kind != "stage":
        return events
    at_steps = events.filter(events.stage.isin(list(params.distinct_steps)))
    named = reversal_names(engine.execute(at_steps.select("event").distinct())["event"].dropna())
    if not named:
        return events
    reversal = events.event.isin(named).fill_null(False)
    read = {"stage": reversal.ifelse(ibis.literal(UNMAPPED), events.stage)}
    if "stage_index" in events.columns:
        read["stage_index"] = reached_stage_index(events, named)
    return events.mutate(**read)


def _progress(events, params: FunnelParams, customers, last_entry: bool):
    attempts = _attempts(events, params)
    if last_entry:
        latest = attempts.entered_at.max().over(ibis.window(group_by=attempts.customer_id))
        attempts = attempts.mutate(last_entered_at=latest)
    order = [ibis.desc(attempts.depth), attempts.entered_at]
    if params.mode == "strict":
        order.append(attempts.first_row)
    best_first = ibis.window(group_by=attempts.customer_id, order_by=order)
    ranked = attempts.mutate(_rank=ibis.row_number().over(best_first))
    best = ranked.filter(ranked._rank == 0)
    n = len(params.steps)
    extra = {c: best[c] for c in ("first_row", "last_row")} if params.mode == "strict" else {}
    if params.mode == "any":
        reached_at = anyorder.reached_columns(best, params)
        if params.breakdown is not None:
            extra = anyorder.touch_steps(best, params)
    else:
        reached_at = {reached(k): best[reached(k)] for k in range(1, n + 1)}
    progress = best.select(
        "customer_id",
        steps_reached=best.depth.cast("int64"),
        entered_at=best.entered_at,
        **reached_at,
        **extra,
        **({"last_entered_at": best.last_entered_at} if last_entry else {}),
    )
    if params.breakdown is not None:
        progress = breakdown.attach(progress, events, params, customers)
    return progress


def compute_progress(dataset, *, params: FunnelParams) -> pd.DataFrame:
    """One row per customer who entered: customer_id, steps_reached, entered_at, reached_at_1..n [, group].

    entered_at and reached_at_k are the UTC times on the customer's best attempt (NaT when step k was
    not reached); in any-order mode reached_at_k is when the k-th distinct step first occurred.
    """
    expr = progress_expr(dataset, params=params)
    n = len(params.steps)
    columns = ["customer_id", "steps_reached", "entered_at", *[reached(k) for k in range(1, n + 1)]]
    if params.breakdown is not None:
        columns.append("group")
    frame = engine.execute(expr.select(*columns).order_by("customer_id"))
    return frame.reset_index(drop=True)
