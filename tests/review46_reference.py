"""Review 46's independent reference: stage paths with reversal steps, and the future map's projection.

Plain Python over a small event log (a list of dicts with "customer", "time", "event" and optionally
"revenue"); it imports nothing from cjm. Written from DESIGN.md sections 4 and 5, the README's journeys and
journey-map paragraphs and cjm.data.reversals.reversal_names' docstring only, before reading the new code.

Rules it encodes:
- A customer's events are read in time order (ties keep the log's order).
- Stage path: each event mapped to a stage is a step named after its stage; a reversal event mapped to a stage
  is a step of its own, "<event> (reversal)", never its mapped stage. Events mapped to no stage are no step.
  Consecutive repeats are collapsed. Event path: each event's name, consecutive repeats collapsed.
- A variant's customers, share (of the customers with a path) and conversion (share of its customers who
  reached the conversion stage by an event that is not a reversal).
- Transitions A -> B: distinct customers whose path has B directly after A.
- Stage reach: a customer reached stage i when their furthest stage (by events that are not reversals) is at
  or beyond i. Today's conversion of stage i = reached(next) / reached(i).
- Projection: visible stages only; entries = customers reaching the first visible stage; each visible stage
  before the conversion stage multiplies by its target conversion if set, else today's conversion to the next
  visible stage; revenue = conversions x today's value per converted customer (revenue / converted customers).
  A target on a hidden stage is not counted.
"""

from __future__ import annotations

# The words of reversal_names' docstring: refund, return, chargeback, void, a cancelled order, a cancelled
# subscription, membership, plan or account.
REVERSAL_NAMES = {
    "refund", "refunded", "return", "returned", "chargeback", "void", "order_cancelled",
    "subscription_cancelled", "subscription_canceled", "membership_cancelled", "plan_cancelled",
    "account_cancelled", "trial_cancelled", "customer.subscription.deleted",
}


def is_reversal(event: str, reversals=REVERSAL_NAMES) -> bool:
    return event in reversals


def _by_customer(log):
    out: dict = {}
    for i, row in enumerate(log):
        out.setdefault(row["customer"], []).append((row["time"], i, row))
    return {c: [r for _, _, r in sorted(rows, key=lambda t: (t[0], t[1]))] for c, rows in out.items()}


def _collapse(steps):
    out = []
    for s in steps:
        if not out or out[-1] != s:
            out.append(s)
    return out


def stage_path(rows, stage_of, reversals=REVERSAL_NAMES):
    steps = []
    for r in rows:
        stage = stage_of.get(r["event"])
        if stage is None:
            continue
        steps.append(f"{r['event']} (reversal)" if is_reversal(r["event"], reversals) else stage)
    return tuple(_collapse(steps))


def event_path(rows):
    return tuple(_collapse([r["event"] for r in rows]))


def paths(log, stage_of=None, reversals=REVERSAL_NAMES):
    """customer -> path (stage path when stage_of is given, else event path); empty paths left out."""
    out = {}
    for c, rows in _by_customer(log).items():
        p = stage_path(rows, stage_of, reversals) if stage_of is not None else event_path(rows)
        if p:
            out[c] = p
    return out


def converted(rows, stage_of, conversion_stage, reversals=REVERSAL_NAMES) -> bool:
    return any(stage_of.get(r["event"]) == conversion_stage and not is_reversal(r["event"], reversals)
               for r in rows)


def variants(log, stage_of=None, conversion_stage="conversion", reversals=REVERSAL_NAMES,
             conversion_map=None):
    """[{path, customers, share, conversion}] ranked by customers (then path). conversion_map maps events to
    stages for the conversion test (defaults to stage_of; event paths need it)."""
    cmap = conversion_map if conversion_map is not None else stage_of
    per = _by_customer(log)
    ps = paths(log, stage_of, reversals)
    total = len(ps)
    groups: dict = {}
    for c, p in ps.items():
        g = groups.setdefault(p, [0, 0])
        g[0] += 1
        g[1] += converted(per[c], cmap or {}, conversion_stage, reversals)
    rows = [{"path": p, "customers": n, "share": n / total, "conversion": k / n} for p, (n, k) in groups.items()]
    return sorted(rows, key=lambda r: (-r["customers"], r["path"]))


def transitions(log, stage_of=None, reversals=REVERSAL_NAMES):
    """{(a, b): customers} for each direct move in a path (a customer counted once per pair)."""
    out: dict = {}
    for p in paths(log, stage_of, reversals).values():
        for pair in set(zip(p, p[1:])):
            out[pair] = out.get(pair, 0) + 1
    return out


def furthest(rows, stage_of, stages, reversals=REVERSAL_NAMES):
    idx = [stages.index(stage_of[r["event"]]) for r in rows
           if stage_of.get(r["event"]) in stages and not is_reversal(r["event"], reversals)]
    return max(idx) if idx else -1


def reached(log, stage_of, stages, reversals=REVERSAL_NAMES):
    """{stage: customers whose furthest stage is at or beyond it}."""
    far = [furthest(rows, stage_of, stages, reversals) for rows in _by_customer(log).values()]
    return {s: sum(1 for f in far if f >= i) for i, s in enumerate(stages)}


def today_conversions(log, stage_of, stages, hidden=(), reversals=REVERSAL_NAMES):
    """{visible stage: reached(next visible) / reached(stage)} (the last visible stage has none)."""
    vis = [s for s in stages if s not in hidden]
    r = reached(log, stage_of, stages, reversals)
    return {a: (r[b] / r[a] if r[a] else 0.0) for a, b in zip(vis, vis[1:])}


def projection(log, stage_of, stages, targets, conversion_stage="conversion", hidden=(),
               reversals=REVERSAL_NAMES):
    """{entries, conversions, revenue, value_per_converted, left_out}: targets is {stage: conversion}."""
    vis = [s for s in stages if s not in hidden]
    r = reached(log, stage_of, stages, reversals)
    today = today_conversions(log, stage_of, stages, hidden, reversals)
    entries = r[vis[0]]
    n = float(entries)
    for s in vis[: vis.index(conversion_stage)]:
        n *= targets.get(s, today[s])
    per = _by_customer(log)
    buyers = [c for c, rows in per.items() if converted(rows, stage_of, conversion_stage, reversals)]
    revenue = sum(float(row.get("revenue") or 0) for row in log)
    value = revenue / len(buyers) if buyers else 0.0
    return {"entries": entries, "conversions": n, "revenue": n * value, "value_per_converted": value,
            "left_out": sorted(s for s in targets if s in hidden)}
