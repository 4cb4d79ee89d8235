"""Review 35: an independent plain-pandas reference for paths, gaps, sentiment, funnel breakdown /
conversion over time and the current map's KPI lane, written from DESIGN.md sections 4 and 5 alone.

Input: the Dataset's event table as pandas (engine.execute(dataset.events)): customer_id, timestamp (UTC),
row_id (file order), event, stage, stage_index (-1 / null when the event maps to no stage), channel,
device, department, score. Loops here are fine: this is a test oracle, not cjm.

Readings of DESIGN.md used where its text leaves a choice (each named where it is used):
- "ordered sequence of one customer": events ordered by (timestamp, row_id);
- at stage level, events mapped to no stage are not steps;
- "consecutive events whose device differs": two events next to each other in the customer's ordered
  events, both carrying a value of that column (an event without one, e.g. a store visit with no device,
  sits between its neighbours: they are not consecutive);
- a switch happens at the stage of the event the customer switched from; "still reached the next stage
  afterwards" = an event of a later stage at or after the switch's second event.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

COVERAGE = (0.80, 0.95, 0.99)


def ordered(events: pd.DataFrame) -> pd.DataFrame:
    return events.sort_values(["customer_id", "timestamp", "row_id"], kind="mergesort").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------- paths
def journeys(events: pd.DataFrame, level: str = "stage") -> dict[str, tuple[str, ...]]:
    """customer -> ordered sequence of stages (or events), consecutive repeats collapsed."""
    ev = ordered(events)
    if level == "stage":
        ev = ev[ev["stage"].notna() & (ev["stage_index"].fillna(-1) >= 0)]
    ids, steps = ev["customer_id"].tolist(), ev[level].tolist()
    out: dict[str, list] = {}
    for i, (cid, step) in enumerate(zip(ids, steps)):
        seq = out.setdefault(cid, [])
        if not seq or seq[-1] != step:
            seq.append(step)
    return {cid: tuple(seq) for cid, seq in out.items()}


def variants(events: pd.DataFrame, level: str = "stage") -> pd.DataFrame:
    """path (tuple), customers, share (of customers with a journey), ranked by customers (ties: path)."""
    paths = journeys(events, level)
    counts = pd.Series(list(paths.values()), dtype=object).value_counts()
    frame = pd.DataFrame({"path": list(counts.index), "customers": counts.to_numpy()})
    frame["key"] = frame["path"].map(" > ".join)
    frame = frame.sort_values(["customers", "key"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    frame["share"] = frame["customers"] / frame["customers"].sum()
    return frame.drop(columns="key")


def coverage(variant_counts, levels=COVERAGE) -> dict[float, int]:
    """How many of the most common variants cover each share of customers: the smallest k with
    (customers of the top k) >= level x all customers (counts compared exactly, no float cumsum)."""
    counts = sorted((int(c) for c in variant_counts), reverse=True)
    total = sum(counts)
    out = {}
    for level in levels:
        need = math.ceil(round(level * total, 9))
        running, k = 0, 0
        while running < need:
            running += counts[k]
            k += 1
        out[level] = k
    return out


def transitions(events: pd.DataFrame, level: str = "stage") -> pd.DataFrame:
    """from, to, customers (distinct customers moving directly from `from` to `to` at least once),
    from_customers (customers whose journey contains `from`)."""
    paths = journeys(events, level)
    pairs, holders = {}, {}
    for cid, seq in paths.items():
        for step in set(seq):
            holders.setdefault(step, set()).add(cid)
        for a, b in zip(seq, seq[1:]):
            pairs.setdefault((a, b), set()).add(cid)
    rows = [{"from": a, "to": b, "customers": len(c), "from_customers": len(holders[a])} for (a, b), c in pairs.items()]
    return pd.DataFrame(rows, columns=["from", "to", "customers", "from_customers"]).sort_values(
        ["from", "to"]).reset_index(drop=True)


# ------------------------------------------------------------------------------------------------ gaps
def switches(events: pd.DataFrame, column: str) -> pd.DataFrame:
    """Every switch: customer_id, switch ("a → b"), stage_index (of the event switched from), at (time of
    the event switched to), row (its position in the customer's ordered events)."""
    ev = ordered(events)
    rows = []
    for cid, part in ev.groupby("customer_id", sort=False):
        values, stages, times = part[column].tolist(), part["stage_index"].tolist(), part["timestamp"].tolist()
        for i in range(1, len(values)):
            if pd.notna(values[i]) and pd.notna(values[i - 1]) and values[i] != values[i - 1]:
                rows.append({"customer_id": cid, "switch": f"{values[i - 1]} → {values[i]}",
                             "stage_index": stages[i - 1], "at": times[i]})
    return pd.DataFrame(rows, columns=["customer_id", "switch", "stage_index", "at"])


def gap_customers(events: pd.DataFrame, column: str) -> dict[str, int]:
    """switch type -> distinct customers who made it."""
    found = switches(events, column)
    return found.groupby("switch")["customer_id"].nunique().to_dict()


def gap_stages(events: pd.DataFrame, column: str, n_stages: int | None = None) -> pd.DataFrame:
    """switch, stage_index, customers, conversion_after, conversion_without_switch.

    customers: distinct customers who made the switch at that stage (the stage of the event switched
    from; stages of the model only). conversion_after: share of them with an event of a later stage at
    or after their first such switch. conversion_without_switch: customers with an event at that stage
    who made no switch of `column` at that stage, share with an event of a later stage after their first
    event at that stage."""
    ev = ordered(events)
    ev = ev[ev["stage_index"].fillna(-1) >= 0]
    found = switches(events, column)
    found = found[found["stage_index"].fillna(-1) >= 0]
    last = ev["stage_index"].max() if n_stages is None else n_stages - 1
    rows = []
    for (switch, s), part in found.groupby(["switch", "stage_index"]):
        first = part.groupby("customer_id")["at"].min()
        after = sum(((ev["customer_id"] == c) & (ev["stage_index"] > s) & (ev["timestamp"] >= t)).any()
                    for c, t in first.items())
        switched_here = set(found.loc[found["stage_index"] == s, "customer_id"])
        at_stage = ev[ev["stage_index"] == s].groupby("customer_id")["timestamp"].min()
        stayed = at_stage[~at_stage.index.isin(switched_here)]
        moved = sum(((ev["customer_id"] == c) & (ev["stage_index"] > s) & (ev["timestamp"] >= t)).any()
                    for c, t in stayed.items())
        # The last stage of the model has no next stage to reach; where nobody stayed there is nobody to compare
        # with, and the switchers are not compared either (cjm's documented rule: DESIGN.md does not say).
        compared = s < last and len(stayed) > 0
        rows.append({"switch": switch, "stage_index": int(s), "customers": len(first),
                     "conversion_after": after / len(first) if compared else float("nan"),
                     "conversion_without_switch": moved / len(stayed) if compared else float("nan")})
    return pd.DataFrame(rows, columns=["switch", "stage_index", "customers", "conversion_after",
                                       "conversion_without_switch"])


def gap_types(events: pd.DataFrame, column: str, n_stages: int, *, skip_uncompared: bool = False) -> pd.DataFrame:
    """switch, customers (any stage), customers_compared, conversion_after, conversion_without_switch.

    Each customer is compared once per switch type, at their first switch of that type made at a stage
    with a next stage; when nobody stayed at that stage the customer is not compared (cjm's documented
    rule; DESIGN.md does not say). skip_uncompared=True is the other reading: compare them at their first
    switch of that type at a stage where somebody stayed. The stayers' rate is the stage rates of
    gap_stages weighted by the compared switchers' stages."""
    by_stage = gap_stages(events, column, n_stages).set_index(["switch", "stage_index"])
    found = switches(events, column).sort_values(["customer_id", "at"], kind="mergesort")
    found = found[found["stage_index"].fillna(-1) >= 0]
    ev = ordered(events)
    rows = []
    for switch, n in gap_customers(events, column).items():
        part = found[found["switch"] == switch]
        first = part[part["stage_index"] < n_stages - 1].groupby("customer_id", sort=False).first()
        if not skip_uncompared:
            keep = [not math.isnan(by_stage.at[(switch, s), "conversion_without_switch"]) for s in first["stage_index"]]
            first = first.loc[pd.Series(keep, index=first.index, dtype=bool)]
        else:
            keep = [(s < n_stages - 1) and not math.isnan(by_stage.at[(switch, s), "conversion_without_switch"])
                    for s in part["stage_index"]]
            comparable = part.loc[pd.Series(keep, index=part.index, dtype=bool)]
            first = comparable.groupby("customer_id", sort=False).first()
        after = [((ev["customer_id"] == c) & (ev["stage_index"] > r.stage_index) & (ev["timestamp"] >= r["at"])).any()
                 for c, r in first.iterrows()]
        base = [by_stage.at[(switch, s), "conversion_without_switch"] for s in first["stage_index"]]
        rows.append({"switch": switch, "customers": n, "customers_compared": len(first),
                     "conversion_after": sum(after) / len(first) if len(first) else float("nan"),
                     "conversion_without_switch": sum(base) / len(base) if base else float("nan")})
    return pd.DataFrame(rows, columns=["switch", "customers", "customers_compared", "conversion_after",
                                       "conversion_without_switch"])


# ------------------------------------------------------------------------------------------- sentiment
def scale_value(score: float, scale: str) -> float:
    if scale == "rating5":
        return (score - 3) / 2
    if scale == "nps10":
        return (score - 5) / 5
    raise ValueError(scale)


def nps(scores) -> float:
    """Points: % promoters (9-10) - % detractors (0-6) of the 0..10 answers."""
    s = pd.Series(scores, dtype=float).dropna()
    return 100.0 * ((s >= 9).mean() - (s <= 6).mean())


def csat(scores) -> float:
    """Share of 4-5 among the 1..5 answers."""
    s = pd.Series(scores, dtype=float).dropna()
    return float((s >= 4).mean())


def sentiment_by(events: pd.DataFrame, column: str, scale: str) -> pd.DataFrame:
    """group, n (scored responses), mean (-1..+1) of the score column by `column`."""
    ev = events[events["score"].notna() & events[column].notna()].copy()
    ev["value"] = [scale_value(s, scale) for s in ev["score"]]
    out = ev.groupby(column)["value"].agg(n="count", mean="mean").reset_index().rename(columns={column: "group"})
    return out


# -------------------------------------------------------------------------------------------- funnel
@dataclass
class Attempt:
    depth: int
    times: list           # time of each reached step
    rows: list            # the event rows (index into the customer's ordered frame) of each reached step


def _attempt(names: list, times: list, steps, start: int, window: pd.Timedelta) -> Attempt:
    """Ordered mode from the step-1 event at position `start` of one customer's events, ordered by
    (timestamp, row_id): step i is the earliest step-i event at or after step i-1's (strictly after when
    the two steps are the same name), no later than the window after the step-1 event; equal times:
    the earliest row in the file."""
    limit = times[start] + window
    reached_t, reached_p = [times[start]], [start]
    for i in range(1, len(steps)):
        prev_p, prev_t = reached_p[-1], reached_t[-1]
        strict = steps[i] == steps[i - 1]
        found = None
        for p in range(len(names)):   # positions are in time order: the first match is the earliest
            if p == prev_p or names[p] != steps[i] or times[p] > limit:
                continue
            if (times[p] > prev_t) if strict else (times[p] >= prev_t):
                found = p
                break
        if found is None:
            break
        reached_t.append(times[found])
        reached_p.append(found)
    return Attempt(len(reached_t), reached_t, reached_p)


def counted_attempts(events: pd.DataFrame, steps, *, kind: str = "event",
                     window: pd.Timedelta = pd.Timedelta(days=7)) -> dict[str, tuple[Attempt, pd.DataFrame]]:
    """customer -> (their counted attempt: deepest, earliest among equally deep; the ordered events of
    the customers who entered, which the attempt's rows index by position)."""
    col = "event" if kind == "event" else "stage"
    ev = ordered(events)
    ev = ev[ev["customer_id"].isin(set(ev.loc[ev[col] == steps[0], "customer_id"]))].reset_index(drop=True)
    names, times, ids = ev[col].tolist(), ev["timestamp"].tolist(), ev["customer_id"].tolist()
    cuts = [0] + [i for i in range(1, len(ids)) if ids[i] != ids[i - 1]] + [len(ids)]
    out = {}
    for a, b in zip(cuts, cuts[1:]):
        n, t = names[a:b], times[a:b]
        best = None
        for start in [p for p, name in enumerate(n) if name == steps[0]]:
            found = _attempt(n, t, steps, start, window)
            if best is None or found.depth > best.depth:
                best = found
        best.rows = [a + p for p in best.rows]   # positions in `ev`, shared by every customer
        out[ids[a]] = (best, ev)
    return out


def funnel_counts(events, steps, *, kind="event", window=pd.Timedelta(days=7)) -> list[int]:
    found = counted_attempts(events, steps, kind=kind, window=window)
    return [sum(a.depth >= k for a, _ in found.values()) for k in range(1, len(steps) + 1)]


def breakdown(events, steps, column, *, attribution="first", kind="event",
              window=pd.Timedelta(days=7)) -> dict[str, list[int]]:
    """group -> customers reaching each step. First touch: the value of `column` on the counted attempt's
    step-1 event. Last touch: on the last step event the counted attempt reached. A missing value reads
    "unknown"."""
    found = counted_attempts(events, steps, kind=kind, window=window)
    groups: dict[str, list[int]] = {}
    for a, part in found.values():
        pos = a.rows[0] if attribution == "first" else a.rows[-1]
        value = part[column].iat[pos]
        value = "unknown" if pd.isna(value) else str(value)
        counts = groups.setdefault(value, [0] * len(steps))
        for k in range(a.depth):
            counts[k] += 1
    return groups


def conversion_over_time(events, steps, *, period="week", kind="event",
                         window=pd.Timedelta(days=7)) -> pd.DataFrame:
    """period (start: Monday for weeks, first of month, the day), entered, converted (reached the last
    step), by the period of each customer's entry (their counted attempt's step-1 time, UTC)."""
    found = counted_attempts(events, steps, kind=kind, window=window)
    rows = []
    for a, _ in found.values():
        t = a.times[0].tz_convert("UTC").tz_localize(None)
        day = t.normalize()
        start = (day - pd.Timedelta(days=day.weekday()) if period == "week"
                 else day.replace(day=1) if period == "month" else day)
        rows.append({"period": start, "converted": int(a.depth == len(steps))})
    frame = pd.DataFrame(rows, columns=["period", "converted"])
    out = frame.groupby("period").agg(entered=("converted", "size"), converted=("converted", "sum")).reset_index()
    out["conversion"] = out["converted"] / out["entered"]
    return out


# ---------------------------------------------------------------------------------- current map KPIs
def map_kpis(events: pd.DataFrame, stages, window=pd.Timedelta(days=7)) -> pd.DataFrame:
    """Over the stages of the model that some event reached (the map hides the others):
    stage, reached (distinct customers with an event at the stage), funnel (customers reaching the
    stage on the stage funnel of all stages in order, window from entry), conversion (funnel k+1 /
    funnel k), dropped (funnel k - funnel k+1), median_seconds (first event in the stage to the first
    event of a later stage, customers who reached a later stage)."""
    ev = ordered(events)
    mapped = ev[ev["stage_index"].fillna(-1) >= 0]
    stages = [s for s in stages if (mapped["stage"] == s).any()]   # a stage no event reached is not measured
    counts = funnel_counts(events, list(stages), kind="stage", window=window)
    rows = []
    for k, stage in enumerate(stages):
        at = mapped[mapped["stage"] == stage]
        index = at["stage_index"].iloc[0]
        first = at.groupby("customer_id")["timestamp"].min().rename("first").reset_index()
        later = mapped.loc[mapped["stage_index"] > index, ["customer_id", "timestamp"]].merge(first, on="customer_id")
        later = later[later["timestamp"] >= later["first"]]
        left = later.groupby("customer_id").agg(first=("first", "min"), left=("timestamp", "min"))
        waits = (left["left"] - left["first"]).dt.total_seconds().tolist()
        nxt = counts[k + 1] if k + 1 < len(stages) else None
        rows.append({"stage": stage, "reached": len(first), "funnel": counts[k],
                     "conversion": (nxt / counts[k]) if nxt is not None and counts[k] else None,
                     "dropped": (counts[k] - nxt) if nxt is not None else None,
                     "median_seconds": float(pd.Series(waits).median()) if waits else None,
                     "timed": len(waits)})
    return pd.DataFrame(rows)
