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
- Flow: position k joins step k of a path to step k + 1 (customers, share of the customers at the source node
  at position k); the transition matrix counts distinct customers per pair over whole paths.
- Stage funnel (the map's conversion to the next stage): the ordered funnel of DESIGN.md section 4 over the stages
  someone reached (by an event that is not a reversal), in stage order, reversals not counted.
- Projection: entries = customers the funnel counts at its first stage; each stage before the conversion stage
  multiplies by its target conversion if set (and the stage shown), else today's; revenue = conversions x today's
  value per converted customer. A target on a hidden stage is not counted (the stage keeps today's rate).

Corrected after reading the new code (review 46's report says why): the first draft read "reached" as the
furthest stage, dropped a hidden stage from the chain, and divided all revenue by the converted customers; DESIGN.md
section 5's stage conversions are the stage funnel's, and the value per converted customer is theirs.
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


def flow(log, stage_of=None, max_steps=6, reversals=REVERSAL_NAMES):
    """The flow diagram's edges: {(position, a, b): (customers, share of the customers at a at that position)};
    position k joins step k of a path to step k + 1, k < max_steps."""
    at: dict = {}
    moves: dict = {}
    for p in paths(log, stage_of, reversals).values():
        p = p[:max_steps]
        for k, label in enumerate(p, start=1):
            at[(k, label)] = at.get((k, label), 0) + 1
        for k, (a, b) in enumerate(zip(p, p[1:]), start=1):
            moves[(k, a, b)] = moves.get((k, a, b), 0) + 1
    return {key: (n, n / at[(key[0], key[1])]) for key, n in moves.items()}


def transition_matrix(log, stage_of=None, reversals=REVERSAL_NAMES):
    """{(a, b): (customers moving directly from a to b, customers whose path contains a)}."""
    ps = paths(log, stage_of, reversals).values()
    moves = transitions(log, stage_of, reversals)
    has = {}
    for p in ps:
        for label in set(p):
            has[label] = has.get(label, 0) + 1
    return {(a, b): (n, has[a]) for (a, b), n in moves.items()}


def stage_reach(log, stage_of, stages, reversals=REVERSAL_NAMES):
    """{stage: customers with an event at it that is not a reversal} (the map's "customers reached")."""
    seen = {s: set() for s in stages}
    for row in log:
        s = stage_of.get(row["event"])
        if s in seen and not is_reversal(row["event"], reversals):
            seen[s].add(row["customer"])
    return {s: len(v) for s, v in seen.items()}


def _depth(rows, steps, stage_of, window, reversals):
    """Steps reached by the customer's best attempt of the ordered stage funnel (DESIGN.md section 4)."""
    hits = [(r["time"], steps.index(stage_of[r["event"]])) for r in rows
            if stage_of.get(r["event"]) in steps and not is_reversal(r["event"], reversals)]
    best = 0
    for start, i in hits:
        if i != 0:
            continue
        depth, at = 1, start
        for k in range(1, len(steps)):
            later = [t for t, j in hits if j == k and t >= at and (window is None or t - start <= window)]
            if not later:
                break
            depth, at = k + 1, min(later)
        best = max(best, depth)
    return best


def stage_funnel(log, stage_of, stages, window=None, reversals=REVERSAL_NAMES):
    """(steps, {customer: depth}): the ordered funnel over the stages someone reached, in stage order."""
    r = stage_reach(log, stage_of, stages, reversals)
    steps = [s for s in stages if r[s] > 0]
    return steps, {c: _depth(rows, steps, stage_of, window, reversals) for c, rows in _by_customer(log).items()}


def projection(log, stage_of, stages, targets, conversion_stage="conversion", hidden=(), window=None,
               reversals=REVERSAL_NAMES):
    """{entries, today, conversions, revenue, value_per_converted, left_out}: targets is {stage: conversion}.

    Along the stage funnel from its first stage to the goal (the conversion stage): entries x product of each
    stage's target conversion when set and its stage is shown, else today's conversion to the next funnel stage.
    A hidden stage stays in the funnel at today's rate. Value per converted customer: the net revenue of the
    customers the funnel counts at the goal / their number."""
    steps, depth = stage_funnel(log, stage_of, stages, window, reversals)
    counts = [sum(1 for d in depth.values() if d >= i + 1) for i in range(len(steps))]
    goal = conversion_stage if conversion_stage in steps else steps[-1]
    g = steps.index(goal)
    n = float(counts[0])
    for i, s in enumerate(steps[:g]):
        today = counts[i + 1] / counts[i] if counts[i] else 0.0
        n *= targets[s] if s in targets and s not in hidden else today
    buyers = {c for c, d in depth.items() if d >= g + 1}
    revenue = sum(float(row.get("revenue") or 0) for row in log if row["customer"] in buyers)
    value = revenue / len(buyers) if buyers else None
    return {"entries": counts[0], "today": counts[g], "conversions": n,
            "revenue": None if value is None else n * value, "value_per_converted": value,
            "left_out": [s for s in steps[:g] if s in targets and s in hidden]}
