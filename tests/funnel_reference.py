"""A brute-force funnel written straight from DESIGN.md section 4, for tests only.

Plain Python over each customer's events, trying every attempt literally. Slow on purpose: it is the
yardstick the Ibis implementation in cjm.funnel is checked against on small random logs.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import pandas as pd


@dataclass
class Attempt:
    entered_at: pd.Timestamp
    start_row: int
    reached: list  # times of steps 1..depth
    events: list  # the event (dict) that filled each reached step, when one is identified
    seen: dict = field(default_factory=dict)  # any-order: step position -> first time


def _customer_events(frame: pd.DataFrame) -> dict[str, list[dict]]:
    rows = frame.sort_values(["timestamp", "row_id"]).to_dict("records")
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(row["customer_id"], []).append(row)
    return out


def _same_name_before(steps, reached, i):
    """The time of the latest step before step i (0-based) with step i's name, or None.

    DESIGN.md: when two adjacent steps are the same event, the later one must be strictly after; cjm
    applies that to any repeated step name (view -> cart -> view), so one event never fills two steps."""
    return next((reached[p] for p in range(i - 1, -1, -1) if steps[p] == steps[i]), None)


def _earliest_at_or_after(evs, name_col, step, after, limit, strictly_after=None):
    times = [
        e for e in evs
        if e[name_col] == step and e["timestamp"] >= after and e["timestamp"] <= limit
        and (strictly_after is None or e["timestamp"] > strictly_after)
    ]
    if not times:
        return None
    best = min(e["timestamp"] for e in times)
    return min((e for e in times if e["timestamp"] == best), key=lambda e: e["row_id"])


def _ordered_attempts(evs, params, name_col, window):
    steps = params.steps
    for e in evs:
        if e[name_col] != steps[0]:
            continue
        limit = e["timestamp"] + window
        reached, chosen = [e["timestamp"]], [e]
        for i in range(1, len(steps)):
            nxt = _earliest_at_or_after(evs, name_col, steps[i], reached[-1], limit,
                                        _same_name_before(steps, reached, i))
            if nxt is None:
                break
            reached.append(nxt["timestamp"])
            chosen.append(nxt)
        # the first-touch event: earliest in the file among step-1 events at this time
        chosen[0] = min((x for x in evs if x[name_col] == steps[0] and x["timestamp"] == e["timestamp"]),
                        key=lambda x: x["row_id"])
        yield Attempt(e["timestamp"], e["row_id"], reached, chosen)


def _strict_attempts(evs, params, name_col, window):
    steps = params.steps
    for p, e in enumerate(evs):
        if e[name_col] != steps[0]:
            continue
        limit = e["timestamp"] + window
        reached, chosen = [e["timestamp"]], [e]
        for k in range(1, len(steps)):
            q = p + k
            if q >= len(evs):
                break
            x = evs[q]
            if x[name_col] != steps[k] or x["timestamp"] > limit:
                break
            same = _same_name_before(steps, reached, k)
            if same is not None and not x["timestamp"] > same:
                break
            reached.append(x["timestamp"])
            chosen.append(x)
        yield Attempt(e["timestamp"], e["row_id"], reached, chosen)


def _any_attempts(evs, params, name_col, window):
    steps = params.steps
    for e in evs:
        if e[name_col] not in steps:
            continue
        t0 = e["timestamp"]
        seen = {}
        for i, s in enumerate(steps):
            times = [x["timestamp"] for x in evs if x[name_col] == s and t0 <= x["timestamp"] <= t0 + window]
            if times:
                seen[i] = min(times)
        order = sorted(seen, key=lambda i: (seen[i], i))
        reached = [seen[i] for i in order]
        # the event behind each counted step: that step's event at its first time (earliest in the file)
        chosen = [
            min((x for x in evs if x[name_col] == steps[i] and x["timestamp"] == seen[i]), key=lambda x: x["row_id"])
            for i in order
        ]
        yield Attempt(t0, e["row_id"], reached, chosen, seen)


def _step_time(attempt, params, index):
    if params.mode == "any":
        return attempt.seen.get(index)
    return attempt.reached[index] if index < len(attempt.reached) else None


def _discarded(attempt, evs, params, window) -> bool:
    if params.exclude_event is None:
        return False
    i, j = params.exclude_between
    lo, hi = _step_time(attempt, params, i), _step_time(attempt, params, j)
    if lo is None:
        return False
    for x in evs:
        if x["event"] != params.exclude_event:
            continue
        t = x["timestamp"]
        if hi is not None and lo < t < hi:
            return True
        if hi is None and lo < t <= attempt.entered_at + window:
            return True
    return False


def reference_progress(frame: pd.DataFrame, params) -> pd.DataFrame:
    """Same columns as cjm.funnel.compute_progress, computed by brute force."""
    name_col = params.name_column
    window = timedelta(seconds=params.window_seconds)
    make = {"ordered": _ordered_attempts, "strict": _strict_attempts, "any": _any_attempts}[params.mode]
    n = len(params.steps)
    rows = []
    for customer, evs in _customer_events(frame).items():
        attempts = [a for a in make(evs, params, name_col, window) if not _discarded(a, evs, params, window)]
        if not attempts:
            continue
        best = min(attempts, key=lambda a: (-len(a.reached), a.entered_at, a.start_row))
        row = {"customer_id": customer, "steps_reached": len(best.reached), "entered_at": best.entered_at}
        for k in range(1, n + 1):
            row[f"reached_at_{k}"] = best.reached[k - 1] if k <= len(best.reached) else pd.NaT
        if params.breakdown is not None:
            touch = best.events[0] if params.attribution == "first" else best.events[-1]
            value = touch[params.breakdown]
            row["group"] = "unknown" if value is None or pd.isna(value) else str(value)
        rows.append(row)
    columns = ["customer_id", "steps_reached", "entered_at"] + [f"reached_at_{k}" for k in range(1, n + 1)]
    out = pd.DataFrame(rows, columns=columns + (["group"] if params.breakdown is not None else []))
    if params.breakdown is not None and len(out):
        sizes = Counter(out["group"])
        keep = set(sorted(sizes, key=lambda g: (-sizes[g], g))[: params.max_groups])
        out["group"] = [g if g in keep else "other" for g in out["group"]]
    return out.sort_values("customer_id").reset_index(drop=True)


def reference_funnel(frame: pd.DataFrame, params) -> list[dict]:
    """Per step: customers, dropped, median and mean seconds from the previous step (no breakdown)."""
    progress = reference_progress(frame, params)
    n = len(params.steps)
    out = []
    for k in range(1, n + 1):
        reached = progress[progress["steps_reached"] >= k]
        gaps = []
        if k > 1:
            gaps = [
                (b - a).total_seconds() for a, b in zip(reached[f"reached_at_{k - 1}"], reached[f"reached_at_{k}"])
            ]
        previous = int((progress["steps_reached"] >= k - 1).sum()) if k > 1 else len(reached)
        out.append({
            "customers": len(reached),
            "dropped": previous - len(reached),
            "median_seconds_from_previous": statistics.median(gaps) if gaps else None,
            "mean_seconds_from_previous": statistics.fmean(gaps) if gaps else None,
        })
    return out
