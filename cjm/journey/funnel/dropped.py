"""Who dropped at a step, and what they did instead: downloadable lists for marketers.

A customer dropped at step k (k >= 2) when their best attempt reached step k-1 but not step k (the
same customers as the `dropped` column of compute_funnel). "After dropping" means strictly after the
time of the last step they reached; the customer's events from then on, to the end of the data.
"""

from __future__ import annotations

from dataclasses import replace
from numbers import Integral

import ibis
import pandas as pd

from cjm import engine
from cjm.errors import ParameterError
from cjm.journey.funnel.ordered import reached
from cjm.journey.funnel.params import FunnelParams
from cjm.journey.funnel.progress import progress_expr

TOP_NEXT = 3
DROPPED_COLUMNS = ["customer_id", "reached", "entered_at", "last_event", "last_event_at", "next_events"]


def _check_step(step, params: FunnelParams) -> int:
    n = len(params.steps)
    if isinstance(step, bool) or not isinstance(step, Integral) or not 2 <= step <= n:
        raise ParameterError(
            f"step: expected a step number from 2 to {n} (the step customers did not reach), found {step!r}."
        )
    return int(step)


def _dropped(dataset, params: FunnelParams, step: int):
    progress = progress_expr(dataset, params=replace(params, breakdown=None))
    dropped = progress.filter(progress.steps_reached == step - 1)
    return dropped.select(_c=dropped.customer_id, _entered=dropped.entered_at, _drop_at=dropped[reached(step - 1)])


def _events_after_drop(events, dropped):
    joined = events.join(dropped, [events.customer_id == dropped._c, events.timestamp > dropped._drop_at])
    return joined.select("customer_id", "event")


def compute_dropped(dataset, *, params: FunnelParams, step: int, limit: int | None = None) -> pd.DataFrame:
    """Customers who reached step `step`-1 but not step `step` (1-based), most recently active first.
    dataset: the Dataset (or a view of it).

    Columns: customer_id, reached (the last step reached), entered_at, last_event / last_event_at (the
    customer's latest event in the data), next_events (their most common events after dropping, e.g.
    "view (5), email_open (2)"; empty when they did nothing afterwards).
    """
    step = _check_step(step, params)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, Integral) or limit < 1):
        raise ParameterError(f"limit: expected a whole number of at least 1, or nothing, found {limit!r}.")
    events = dataset.events
    dropped = _dropped(dataset, params, step)
    theirs = events.join(dropped, events.customer_id == dropped._c)
    latest_first = ibis.window(
        group_by=theirs.customer_id, order_by=[ibis.desc(theirs.timestamp), ibis.desc(theirs.row_id)]
    )
    latest = theirs.mutate(_rank=ibis.row_number().over(latest_first))
    latest = latest.filter(latest._rank == 0).select(
        _lc=latest.customer_id, last_event=latest.event, last_event_at=latest.timestamp
    )

    after = _events_after_drop(events, dropped)
    counts = after.group_by(["customer_id", "event"]).aggregate(_n=after.count())
    ranked = counts.mutate(_rank=ibis.row_number().over(
        group_by=counts.customer_id, order_by=[ibis.desc(counts._n), counts.event]
    ))
    ranked = ranked.filter(ranked._rank < TOP_NEXT)
    pieces = {
        f"_p{r}": ibis.cases((ranked._rank == r, ranked.event.concat(" (", ranked._n.cast("string"), ")"))).max()
        for r in range(TOP_NEXT)
    }
    top = ranked.group_by(_tc=ranked.customer_id).aggregate(**pieces)
    next_events = top._p0
    for r in range(1, TOP_NEXT):
        piece = top[f"_p{r}"]
        next_events = next_events.concat(ibis.ifelse(piece.notnull(), ibis.literal(", ").concat(piece), ""))
    top = top.select("_tc", next_events=next_events)

    out = dropped.left_join(latest, dropped._c == latest._lc).left_join(top, dropped._c == top._tc)
    out = out.select(
        customer_id=out._c,
        reached=ibis.literal(params.labels[step - 2]),
        entered_at=out._entered,
        last_event=out.last_event,
        last_event_at=out.last_event_at,
        next_events=out.next_events.fill_null(""),
    ).order_by([ibis.desc("last_event_at"), "customer_id"])
    if limit is not None:
        out = out.limit(int(limit))
    return engine.execute(out)[DROPPED_COLUMNS].reset_index(drop=True)


def compute_next_after_drop(dataset, *, params: FunnelParams, step: int) -> pd.DataFrame:
    """The most common events after dropping at `step`: event, customers (who did it at least once),
    share (of the customers who dropped there), most common first."""
    step = _check_step(step, params)
    dropped = _dropped(dataset, params, step).cache()
    try:
        total = int(engine.execute(dropped.aggregate(n=dropped.count()))["n"].iloc[0])
        after = _events_after_drop(dataset.events, dropped)
        counts = after.group_by("event").aggregate(customers=after.customer_id.nunique())
        frame = engine.execute(counts.order_by([ibis.desc("customers"), "event"]))
    finally:
        dropped.release()
    frame["customers"] = frame["customers"].astype("int64")
    frame["share"] = frame["customers"] / total if total else 0.0
    return frame[["event", "customers", "share"]].reset_index(drop=True)
