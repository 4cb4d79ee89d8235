"""Brute-force references for the review (written from DESIGN.md sections 3-5 and the modules' docstrings,
not from the implementations). Plain Python over pandas rows: slow, obvious, only for small logs.

Every function takes a pandas frame with at least customer_id, timestamp (tz-aware UTC), event and, where
needed, stage / stage_index / revenue / score.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

import pandas as pd


def _by_customer(df: pd.DataFrame) -> dict:
    out = defaultdict(list)
    for row in df.itertuples(index=False):
        out[row.customer_id].append(row)
    return out


# --- the ordered funnel (DESIGN section 4) ----------------------------------------------------------------

def attempts(rows, steps, key, window) -> list[tuple[int, pd.Timestamp]]:
    """(depth, entry time) of every attempt of one customer: each s1 event starts one; step i is the earliest
    s_i event at or after step i-1's event (strictly after when s_i == s_{i-1}) and no later than entry+window."""
    window = pd.Timedelta(seconds=window)
    out = []
    for start in rows:
        if getattr(start, key) != steps[0]:
            continue
        t0 = start.timestamp
        t, depth, prev_row = t0, 1, start
        for i in range(1, len(steps)):
            cands = [r for r in rows if getattr(r, key) == steps[i] and t0 + window >= r.timestamp
                     and (r.timestamp > t if steps[i] == steps[i - 1] else r.timestamp >= t)
                     and r is not prev_row]
            if not cands:
                break
            nxt = min(cands, key=lambda r: r.timestamp)
            t, depth, prev_row = nxt.timestamp, depth + 1, nxt
        out.append((depth, t0))
    return out


def strict_attempts(rows, steps, key, window) -> list[tuple[int, pd.Timestamp]]:
    """Strict mode (timestamps of one customer assumed distinct): step i must be the very next event."""
    rows = sorted(rows, key=lambda r: r.timestamp)
    window = pd.Timedelta(seconds=window)
    out = []
    for k, start in enumerate(rows):
        if getattr(start, key) != steps[0]:
            continue
        depth = 1
        while (depth < len(steps) and k + depth < len(rows) and getattr(rows[k + depth], key) == steps[depth]
               and rows[k + depth].timestamp <= start.timestamp + window):
            depth += 1
        out.append((depth, start.timestamp))
    return out


def best_attempts(df, steps, *, key="stage", window=604800, strict=False) -> dict:
    """customer -> (depth, entry) of the counted attempt: deepest, then earliest."""
    best = {}
    for cid, rows in _by_customer(df).items():
        tries = (strict_attempts if strict else attempts)(rows, steps, key, window)
        if tries:
            best[cid] = min(tries, key=lambda a: (-a[0], a[1]))
    return best


def funnel_counts(df, steps, *, key="stage", window=604800) -> list[int]:
    best = best_attempts(df, steps, key=key, window=window)
    return [sum(1 for d, _ in best.values() if d >= i) for i in range(1, len(steps) + 1)]


# --- journey map current state (cjm/maps/current.py docstring) ---------------------------------------------

def present_stages(df, stages) -> list[str]:
    have = set(df["stage"])
    return [s for s in stages if s in have]


def reach(df, stages) -> dict:
    return {s: df.loc[df["stage"] == s, "customer_id"].nunique() for s in stages}


def time_in_stage(df, stages) -> dict:
    """stage -> (customers, median seconds or None): first event in S to the first event at a later stage
    (index > S's) at or after it; customers who never leave forward are left out."""
    out = {}
    for i, s in enumerate(stages):
        durations = []
        for _cid, rows in _by_customer(df).items():
            inside = [r.timestamp for r in rows if r.stage == s]
            if not inside:
                continue
            first = min(inside)
            later = [r.timestamp for r in rows if r.stage in stages and stages.index(r.stage) > i
                     and r.timestamp >= first]
            if later:
                durations.append((min(later) - first).total_seconds())
        out[s] = (len(durations), statistics.median(durations) if durations else None)
    return out


def map_kpis(df, stages, window=604800) -> dict:
    """stage -> {reached, conversion, dropoff} as the docstring defines them (conversion/dropoff None on the
    last occurring stage and on stages nobody reached)."""
    present = present_stages(df, stages)
    counts = funnel_counts(df, present, window=window) if len(present) >= 2 else [None] * len(present)
    r = reach(df, stages)
    out = {s: {"reached": r[s], "conversion": None, "dropoff": None} for s in stages}
    for i, s in enumerate(present[:-1]):
        a, b = counts[i], counts[i + 1]
        out[s]["conversion"] = b / a if a else None
        out[s]["dropoff"] = a - b
    return out, present, counts


def emotion(df, stages) -> dict:
    """stage -> (mean of (r-3)/2 over 1..5 ratings at S, n); only for score columns within 1..5."""
    out = {}
    for s in stages:
        scores = df.loc[(df["stage"] == s) & df["score"].notna(), "score"]
        vals = [(float(x) - 3) / 2 for x in scores]
        out[s] = (sum(vals) / len(vals) if vals else None, len(vals))
    return out


def value_per_conversion(df, goal, steps, window=604800) -> float | None:
    """Total revenue of the customers the stage funnel `steps` counts at the goal (their counted attempt reached it:
    today's conversions) / the number of those customers."""
    who = {c for c, (depth, _) in best_attempts(df, steps, window=window).items() if depth >= steps.index(goal) + 1}
    money = df.loc[df["customer_id"].isin(who), "revenue"]
    if not who or money.notna().sum() == 0:
        return None  # the implementation's reading of "None without revenue": none among those customers
    return float(money.fillna(0).sum()) / len(who)


def projection(entries, conversions_today: dict, targets: dict, stages_before_goal, vpc):
    today = projected = float(entries)
    for s in stages_before_goal:
        today *= conversions_today[s]
        projected *= targets.get(s, conversions_today[s])
    return {"today": today, "projected": projected,
            "today_revenue": None if vpc is None else today * vpc,
            "projected_revenue": None if vpc is None else projected * vpc}


# --- day in the life ----------------------------------------------------------------------------------------

def heat(df) -> list[list[int]]:
    grid = [[0] * 24 for _ in range(7)]
    for t in df["timestamp"]:
        t = pd.Timestamp(t).tz_convert("UTC")
        grid[t.weekday()][t.hour] += 1
    return grid


# --- abandonment (DESIGN section 4 after voice9) -----------------------------------------------------------

def abandonment(df, steps, *, key="event", window=604800, strict=False) -> list[dict]:
    end = df["timestamp"].max()
    best = best_attempts(df, steps, key=key, window=window, strict=strict)
    w = pd.Timedelta(seconds=window)
    rows = []
    for i in range(2, len(steps) + 1):
        stopped = [(d, e) for d, e in best.values() if d == i - 1]
        ab = sum(1 for _, e in stopped if e + w < end)
        ip = sum(1 for _, e in stopped if e + w >= end)
        reached = sum(1 for d, _ in best.values() if d >= i)
        prev = sum(1 for d, _ in best.values() if d >= i - 1)
        # the rate is of the customers whose counted window has closed (buyers whose window is open are out too)
        closed = sum(1 for d, e in best.values() if d >= i - 1 and e + w < end)
        rows.append({"step_number": i, "reached_previous": prev, "reached": reached, "abandoned": ab,
                     "in_progress": ip, "closed": closed, "abandonment_rate": ab / closed if closed else None})
    return rows


def checkout_abandonment(df, checkout, purchase, window=604800) -> dict:
    end = df["timestamp"].max()
    best = best_attempts(df, [checkout, purchase], key="event", window=window)
    w = pd.Timedelta(seconds=window)
    started = len(best)
    purchased = sum(1 for d, _ in best.values() if d == 2)
    ip = sum(1 for d, e in best.values() if d == 1 and e + w >= end)
    ab = started - purchased - ip
    closed = sum(1 for _, e in best.values() if e + w < end)  # DESIGN.md: buyers too, once their window closed
    return {"started": started, "abandoned": ab, "in_progress": ip, "purchased": purchased, "closed": closed,
            "rate": ab / closed if closed else None}
