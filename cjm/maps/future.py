"""The future-state map: targets per stage, the gap to today and the projection (DESIGN.md section 5).

Projection (`compute_projection`): along the stage funnel of the current map, from its first stage to
the goal stage (`baseline["goal"]`),

    projected conversions = today's entries x product over the stages before the goal of
                            (the stage's target conversion when set, else today's conversion)
    today's conversions   = today's entries x product of today's conversions (= the funnel's count at the goal)
    revenue               = conversions x today's value per converted customer

Targets on stages after the goal (or hidden stages) do not change the projection. Sentiment and time
targets do not enter the projection; they show as a gap to today.

Hidden stages: hiding a stage hides its column, never its targets. They stay in the map (saved, listed by the target
status, back in the target table and the projection as soon as the stage is shown again) and the map says so:
`hidden_targets` names them, and the projection's `left_out` names the hidden stages whose conversion target it
leaves out (drawn under the projection and shown on the page), so a projection that stops counting a target never
does so silently.

Baseline: each target keeps the data's figure of its measure when it was set (Target.baseline). Opening the
map on newer data and saving it again (the page saves on every edit) keeps it, so "target vs baseline" reads
against the same figure until the person resets it (reset_baselines); changing a target's value keeps its
baseline, clearing it drops the baseline with it. The gap-to-today lane and the projection read today's data.
"""

from __future__ import annotations

import math

import pandas as pd

from cjm.errors import ParameterError
from cjm.maps.model import FUTURE_LANES, Cell, Evidence, JourneyMap, Lane, Target

MEASURES = ("conversion", "sentiment", "seconds")
from cjm.present.formats import format_duration, format_percent, format_points, format_signed


def build_future_map(current: JourneyMap, *, targets: dict | None = None) -> JourneyMap:
    """A copy of `current` as a future-state map, with target lanes and `targets` (stage -> Target or dict)."""
    future = current.copy()
    future.template = "future"
    future.title = current.title.replace("journey map", "journey map · future state") \
        if "journey map" in current.title else f"{current.title} · future state"
    have = {lane.key for lane in future.lanes}
    position = next((i for i, lane in enumerate(future.lanes) if lane.key == "dropoff"), len(future.lanes) - 1) + 1
    for offset, (key, (name, kind)) in enumerate((k, v) for k, v in FUTURE_LANES.items() if k not in have):
        future.lanes.insert(position + offset, Lane(key=key, name=name, kind=kind))
    for stage, target in (targets or {}).items():
        values = {m: getattr(target, m) for m in MEASURES} if isinstance(target, Target) else dict(target)
        set_target(future, stage, **values)
    refresh_target_cells(future)
    return future


def _check(name, value, low, high):
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"target {name} must be a number from {low} to {high}; got {value!r}.") from None
    if not (low <= value <= high) or math.isnan(value):
        raise ParameterError(f"target {name} must be a number from {low} to {high}; got {value!r}.")
    return value


def set_target(jm: JourneyMap, stage: str, *, conversion=None, sentiment=None, seconds=None) -> None:
    """Set (or clear, with None) the targets of one stage: conversion 0..1, sentiment -1..+1, seconds >= 0. A
    measure newly set takes today's figure as its baseline; one already set keeps its baseline (module docstring)."""
    jm.stage(stage)
    target = Target(conversion=_check("conversion", conversion, 0.0, 1.0),
                    sentiment=_check("sentiment", sentiment, -1.0, 1.0),
                    seconds=_check("seconds", seconds, 0.0, 10 * 365 * 86400.0))
    if target == Target():
        jm.targets.pop(stage, None)
    else:
        old = jm.targets.get(stage)
        kept = with_baseline(old, jm, stage).baseline if old is not None else {}
        now = today(jm, stage)
        target.baseline = {m: kept.get(m, now[m]) for m in MEASURES if getattr(target, m) is not None}
        jm.targets[stage] = target
    if jm.template == "future":
        refresh_target_cells(jm)


def with_baseline(target: Target, jm: JourneyMap, stage: str) -> Target:
    """`target` with a baseline for each measure it sets: its own where it has one, else `jm`'s figure at `stage`
    (a map saved before baselines were kept: the figures of the data it was saved on)."""
    now = today(jm, stage) if any(s.key == stage for s in jm.stages) else {}
    baseline = {m: target.baseline[m] if m in target.baseline else now.get(m)
                for m in MEASURES if getattr(target, m) is not None}
    return Target(**{m: getattr(target, m) for m in MEASURES}, baseline=baseline)


def reset_baselines(jm: JourneyMap, stages=None) -> None:
    """The person resets the baselines of the targets of `stages` (all when None) to `jm`'s figures (today's data)."""
    for stage, target in jm.targets.items():
        if stages is None or stage in stages:
            now = today(jm, stage)
            target.baseline = {m: now[m] for m in MEASURES if getattr(target, m) is not None}


def load_targets(data) -> dict[str, Target]:
    """Targets from a --targets JSON file's content: {stage: {"conversion": 0.4, "sentiment": 0.2,
    "seconds": 86400}}; conversion may also be written as a percentage string ("40%")."""
    if not isinstance(data, dict):
        raise ParameterError('targets must be a JSON object like {"consideration": {"conversion": 0.4}}; '
                             f"got {type(data).__name__}.")
    out = {}
    for stage, values in data.items():
        if not isinstance(values, dict):
            raise ParameterError(f"targets for {stage!r} must be an object with conversion, sentiment and/or seconds; "
                                 f"got {values!r}.")
        unknown = set(values) - {"conversion", "sentiment", "seconds"}
        if unknown:
            raise ParameterError(f"targets for {stage!r} have unknown keys {sorted(unknown)}; "
                                 "use conversion, sentiment and seconds.")
        values = dict(values)
        if isinstance(values.get("conversion"), str) and values["conversion"].strip().endswith("%"):
            values["conversion"] = float(values["conversion"].strip()[:-1]) / 100
        out[str(stage)] = Target(conversion=_check("conversion", values.get("conversion"), 0.0, 1.0),
                                 sentiment=_check("sentiment", values.get("sentiment"), -1.0, 1.0),
                                 seconds=_check("seconds", values.get("seconds"), 0.0, 10 * 365 * 86400.0))
    return out


def today(jm: JourneyMap, stage: str) -> dict:
    """Today's conversion, sentiment and seconds at `stage` (None where the data has none)."""
    return {"conversion": (jm.baseline.get("conversion") or {}).get(stage),
            "sentiment": jm.cell("emotions", stage).data_number if jm.cell("emotions", stage).provenance == "edited"
            else jm.cell("emotions", stage).number,
            "seconds": jm.cell("time_in_stage", stage).data_number if jm.cell("time_in_stage", stage).provenance == "edited"
            else jm.cell("time_in_stage", stage).number}


def compute_projection(jm: JourneyMap) -> dict:
    """Today's and projected end-to-end conversions and revenue (module docstring). Keys: entries, goal,
    today {conversions, revenue}, projected {conversions, revenue}, value_per_conversion, stages
    [{stage, today, target, used}], left_out (names of the hidden stages whose conversion target is not counted).
    Raises ParameterError when the map has no stage funnel."""
    b = jm.baseline
    if not b.get("funnel_stages") or b.get("entries") is None:
        raise ParameterError("The projection needs at least two journey stages with customers in the current map.")
    stages, goal, entries = list(b["funnel_stages"]), b["goal"], int(b["entries"])
    rates = b.get("conversion") or {}
    today_rate = projected_rate = 1.0
    rows = []
    left_out = []
    for stage in stages[:stages.index(goal)]:
        now = rates.get(stage)
        now = 0.0 if now is None else float(now)
        target = jm.targets.get(stage)
        if target is not None and _hidden(jm, stage):
            if target.conversion is not None:
                left_out.append(_name(jm, stage))
            target = None
        used = target.conversion if target is not None and target.conversion is not None else now
        today_rate *= now
        projected_rate *= used
        rows.append({"stage": stage, "today": now, "target": None if target is None else target.conversion,
                     "used": used})
    value = b.get("value_per_conversion")
    today_conv, projected = entries * today_rate, entries * projected_rate
    return {
        "entries": entries, "goal": goal, "value_per_conversion": value, "stages": rows, "left_out": left_out,
        "today": {"conversions": today_conv, "revenue": None if value is None else today_conv * value},
        "projected": {"conversions": projected, "revenue": None if value is None else projected * value},
    }


def _hidden(jm: JourneyMap, stage: str) -> bool:
    return any(s.key == stage and s.hidden for s in jm.stages)


def _name(jm: JourneyMap, stage: str) -> str:
    return next((s.name for s in jm.stages if s.key == stage), stage)


def hidden_targets(jm: JourneyMap) -> list[str]:
    """The targets set on hidden stages, one line each in the map's stage order: 'awareness: conversion 80.0%,
    time 1 h' (kept; module docstring)."""
    out = []
    for s in jm.stages:
        target = jm.targets.get(s.key)
        if not s.hidden or target is None:
            continue
        parts = [f"{label} {shown(value)}" for label, value, shown in (
            ("conversion", target.conversion, format_percent), ("sentiment", target.sentiment, format_signed),
            ("time", target.seconds, format_duration)) if value is not None]
        out.append(f"{s.name}: {', '.join(parts)}")
    return out


def _points(x) -> str:
    return format_points(x)


def refresh_target_cells(jm: JourneyMap) -> None:
    """Write the target lanes and the gap-to-today lane from `jm.targets` (assumptions typed by a person)."""
    for key in FUTURE_LANES:
        jm.cells.pop(key, None)
    for stage, target in jm.targets.items():
        now = today(jm, stage)
        gaps = []
        if target.conversion is not None:
            jm.cells.setdefault("target_conversion", {})[stage] = Cell(
                value=format_percent(target.conversion), number=target.conversion, provenance="assumption")
            if now["conversion"] is not None:
                gaps.append(f"conversion {_points(target.conversion - now['conversion'])}")
        if target.sentiment is not None:
            jm.cells.setdefault("target_sentiment", {})[stage] = Cell(
                value=format_signed(target.sentiment), number=target.sentiment, provenance="assumption")
            if now["sentiment"] is not None:
                gaps.append(f"sentiment {format_signed(target.sentiment - now['sentiment'])}")
        if target.seconds is not None:
            jm.cells.setdefault("target_time", {})[stage] = Cell(
                value=format_duration(target.seconds), number=target.seconds, provenance="assumption")
            if now["seconds"] is not None:
                delta = target.seconds - now["seconds"]
                shown = format_duration(abs(delta))  # a gap that rounds to 0 s has no sign, as +0.0 pts has none
                gaps.append(f"time {'-' if delta < 0 and shown != format_duration(0) else '+'}{shown}")
        if gaps:
            jm.cells.setdefault("gap_to_today", {})[stage] = Cell(
                value="\n".join(gaps), provenance="data",
                evidence=Evidence(analysis="target minus today's value from the data"))


def compute_target_status(future: JourneyMap, actual: JourneyMap) -> pd.DataFrame:
    """Each target against what newer data shows: stage, measure, baseline (the data's figure when the target was
    set: Target.baseline, kept on every resave), target, actual (from `actual`, a map of the newer data), met (actual
    reached the target: at or above for conversion and sentiment, at or below for time in stage; None without an
    actual)."""
    rows = []
    for stage, target in future.targets.items():
        then = with_baseline(target, future, stage).baseline
        now = today(actual, stage) if any(s.key == stage for s in actual.stages) else {}
        for measure in ("conversion", "sentiment", "seconds"):
            goal = getattr(target, measure)
            if goal is None:
                continue
            value = now.get(measure)
            met = None if value is None else (value <= goal if measure == "seconds" else value >= goal)
            rows.append({"stage": stage, "measure": measure, "baseline": then[measure], "target": goal,
                         "actual": value, "met": met})
    return pd.DataFrame(rows, columns=["stage", "measure", "baseline", "target", "actual", "met"])
