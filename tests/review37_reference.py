"""Review 37: an independent pandas reference for the journey maps' numbers, written from DESIGN.md section 5
(and section 4 for the funnel the KPI lane reuses) and DOMAIN.md alone, before reading cjm's code for them.
Slow and obvious: loops over customers are fine here (small logs only).

Every function takes the canonical events as a pandas frame: customer_id, timestamp (tz-aware UTC), event,
stage, stage_index and, where needed, revenue / channel / device.

What the documents say, and how it is read here:
- future state: "The map shows the gap to today and the projection: end-to-end conversions and revenue if the
  targets were met (stage conversions multiplied through from today's entries and today's value per converted
  customer)". Entries = customers counted at the funnel's first stage (ordered stage funnel, window from
  entry); conversions = entries x product over the stages before the goal of (target if set, else today's
  conversion to the next stage); revenue = conversions x value per converted customer, where that value is
  today's net revenue of the customers who converted divided by their number.
- "When newer data arrives, each target shows actual against target": the actual is the newer map's figure of
  the same stage (conversion to next stage, mean sentiment, median time in stage).
- day in the life: "the persona's day hour by hour and by weekday, from when interactions happen in the data
  (channel and device by hour)". Counted in events; shares are events of a block / events with a time of day.
"""

from __future__ import annotations

import pandas as pd

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# --- ordered stage funnel (DESIGN 4) ------------------------------------------------------------------------
def _depth(times_by_step: list[list[pd.Timestamp]], t0: pd.Timestamp, window: pd.Timedelta) -> int:
    """Depth of the attempt entered at t0: step i is the earliest step-i time at or after step i-1's and no
    later than t0 + window (the steps of a stage funnel are distinct stages, so never the same event)."""
    t, depth = t0, 1
    for times in times_by_step[1:]:
        later = [x for x in times if t <= x <= t0 + window]
        if not later:
            break
        t, depth = min(later), depth + 1
    return depth


def stage_funnel(events: pd.DataFrame, steps, window=pd.Timedelta(days=7)) -> dict[str, int]:
    """customer -> depth of their counted attempt (deepest, then earliest) on the ordered stage funnel."""
    out = {}
    for cid, rows in events.groupby("customer_id", sort=False):
        times = [sorted(rows.loc[rows["stage"] == s, "timestamp"]) for s in steps]
        best = None
        for t0 in times[0]:
            d = _depth(times, t0, window)
            if best is None or d > best:
                best = d
        if best is not None:
            out[cid] = best
    return out


def funnel_counts(events: pd.DataFrame, steps, window=pd.Timedelta(days=7)) -> list[int]:
    depth = pd.Series(stage_funnel(events, steps, window), dtype="int64")
    return [int((depth >= i).sum()) for i in range(1, len(steps) + 1)]


def present_stages(events: pd.DataFrame, model) -> list[str]:
    seen = set(events["stage"].dropna())
    return [s for s in model if s in seen]


# --- future state -------------------------------------------------------------------------------------------
def value_per_converted_customer(events: pd.DataFrame, converted: set) -> float | None:
    """Today's net revenue of the converted customers (all their events) / their number."""
    if not converted or "revenue" not in events:
        return None
    mine = events[events["customer_id"].isin(converted)]
    return float(mine["revenue"].fillna(0).sum()) / len(converted)


def projection(entries: int, today: dict[str, float], targets: dict[str, float | None], before_goal,
               value: float | None) -> dict:
    """Conversions and revenue multiplied through from today's entries; a stage without a target keeps today's
    conversion."""
    conv_today = float(entries)
    conv_target = float(entries)
    for stage in before_goal:
        conv_today *= today[stage]
        t = targets.get(stage)
        conv_target *= today[stage] if t is None else t
    money = (lambda n: None if value is None else n * value)
    return {"today": {"conversions": conv_today, "revenue": money(conv_today)},
            "projected": {"conversions": conv_target, "revenue": money(conv_target)}}


def gaps(today: dict[str, float | None], targets: dict[str, float | None]) -> dict[str, float | None]:
    """Target minus today, per stage (None when either is unknown)."""
    return {s: (None if targets.get(s) is None or today.get(s) is None else targets[s] - today[s]) for s in targets}


# --- day in the life ----------------------------------------------------------------------------------------
def local(events: pd.DataFrame, zone: str = "UTC") -> pd.Series:
    return events["timestamp"].dt.tz_convert(zone)


def heat(events: pd.DataFrame, zone: str = "UTC") -> list[list[int]]:
    """Weekday (Mon..Sun) x hour (0..23) event counts, read on the clock of `zone`."""
    t = local(events, zone)
    grid = pd.crosstab(t.dt.weekday, t.dt.hour).reindex(index=range(7), columns=range(24), fill_value=0)
    return grid.astype(int).values.tolist()


def block_shares(events: pd.DataFrame, zone: str = "UTC", block: int = 3) -> dict[int, tuple[int, float]]:
    """Start hour of each block -> (events in it, share of all timed events)."""
    t = local(events, zone)
    counts = (t.dt.hour // block * block).value_counts().reindex(range(0, 24, block), fill_value=0)
    return {int(h): (int(n), n / len(t)) for h, n in counts.items()}


def top_in_block(events: pd.DataFrame, column: str, start: int, zone: str = "UTC", block: int = 3) -> pd.Series:
    """Shares of the values of `column` among the block's events with that column filled, largest first
    (ties by name)."""
    t = local(events, zone)
    inside = events[(t.dt.hour >= start) & (t.dt.hour < start + block)]
    values = inside[column].dropna()
    values = values[values.astype(str).str.strip() != ""]
    counts = values.value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    return counts / counts.sum()


def weekday_shares_in_block(events: pd.DataFrame, start: int, zone: str = "UTC", block: int = 3) -> pd.Series:
    t = local(events, zone)
    inside = t[(t.dt.hour >= start) & (t.dt.hour < start + block)]
    counts = inside.dt.weekday.map(dict(enumerate(WEEKDAYS))).value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    return counts / counts.sum()
