"""The journey-map model (DESIGN.md section 5): a versioned, JSON-serialisable grid.

A map has a template ("current", "future" or "day"), a persona, stages across (columns), lanes down
(rows) and one cell per (lane, stage). Every cell holds

* `value`: the text shown (for numeric lanes also `number`, the figure behind the text),
* `evidence`: how many customers / events / comments it rests on and which analysis produced it,
* `provenance`: "data" (filled from the data), "assumption" (typed by a person) or "edited" (a person
  changed a data value; `data_value` / `data_number` keep what the data said).

Stages and lanes can be renamed, reordered, added and hidden: each has a stable `key` (the stage name in
the dataset's stage model, or a generated key for added ones) and a display `name`.

Versions: version 1 (the first draft, before provenance existed) stored
`{"version": 1, "kind": ..., "persona": "name", "stages": ["awareness", ...],
"cells": {lane: {stage: "text"}}, "sources": {lane: {stage: "data"|"user"}}}` and called the thoughts
lane "quotes". Version 2 kept no baseline with a target: its targets were read against the figures of whatever
data the map was last saved on; version 3 keeps each target's baseline (Target.baseline); a version-2 map's
targets take the figures it was saved with (cjm.maps.future.with_baseline). `from_dict` migrates step by step.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace

from cjm.errors import CJMError, ParameterError

MAP_VERSION = 3
TEMPLATES = ("current", "future", "day")
TEMPLATE_NAMES = {"current": "Current state", "future": "Future state", "day": "A day in the life"}
PROVENANCES = ("data", "assumption", "edited")

# Lanes of the journey templates, top to bottom: key -> (name, kind). Kinds: "text", "curve" (the
# emotion curve, drawn), "number" (a KPI: the cell keeps a figure), "target" (future state only).
JOURNEY_LANES = {
    "actions": ("Actions", "text"),
    "touchpoints": ("Touchpoints & channels", "text"),
    "departments": ("Departments involved", "text"),
    "emotions": ("Emotions", "curve"),
    "thoughts": ("Thoughts (real quotes)", "text"),
    "pain_points": ("Pain points / objections", "text"),
    "gaps": ("Biggest switch gap", "text"),
    "opportunities": ("Opportunities", "text"),
    "reached": ("KPI · customers reached", "number"),
    "conversion": ("KPI · conversion to next stage", "number"),
    "time_in_stage": ("KPI · median time in stage", "number"),
    "dropoff": ("KPI · drop-off", "number"),
    "owner": ("Owner", "text"),
    "service_level": ("Service level", "text"),
}
FUTURE_LANES = {
    "target_conversion": ("Target · conversion to next stage", "target"),
    "target_sentiment": ("Target · sentiment", "target"),
    "target_time": ("Target · median time in stage", "target"),
    "gap_to_today": ("Gap to today", "text"),
}
DAY_LANES = {
    "interactions": ("Interactions (share of the day)", "number"),
    "channels": ("Channels used", "text"),
    "devices": ("Devices used", "text"),
    "busiest_days": ("Busiest weekdays", "text"),
    "brand": ("With the brand (added)", "text"),
    "competitors": ("Competitors' touchpoints", "text"),
    "life": ("Life outside the brand", "text"),
}
# The day map's column for the whole day, shown before the hour blocks when the data has dates without
# times (cjm.maps.day): its data cells describe the whole day, the hour blocks hold only what people add.
WHOLE_DAY = "day"


@dataclass
class Evidence:
    customers: int | None = None
    events: int | None = None
    comments: int | None = None
    analysis: str = ""

    def describe(self) -> str:
        parts = [f"{n:,} {word}" for n, word in ((self.customers, "customers"), (self.events, "events"),
                                                 (self.comments, "comments")) if n is not None]
        rests = ", ".join(parts) if parts else "no counted records"
        return f"{rests} · {self.analysis}" if self.analysis else rests


@dataclass
class Cell:
    value: str = ""
    number: float | None = None
    provenance: str = "data"
    evidence: Evidence | None = None
    data_value: str | None = None    # what the data said, kept beside an edit
    data_number: float | None = None

    def __post_init__(self):
        if self.provenance not in PROVENANCES:
            raise ParameterError(f"provenance must be one of {', '.join(PROVENANCES)}; got {self.provenance!r}.")


@dataclass
class Stage:
    key: str
    name: str
    hidden: bool = False
    color: str | None = None


@dataclass
class Lane:
    key: str
    name: str
    kind: str = "text"
    hidden: bool = False


@dataclass
class Persona:
    name: str = "All customers"
    description: str = ""
    segment: str | None = None
    provenance: str = "data"


@dataclass
class Target:
    conversion: float | None = None   # 0..1, to the next stage
    sentiment: float | None = None    # -1..+1
    seconds: float | None = None      # median time in stage
    # {measure: the data's figure when that target was set (None: the data had none)}: what the target is read
    # against ("baseline"), kept as the map is saved again on newer data until the person resets it
    # (cjm.maps.future.set_target, reset_baselines)
    baseline: dict = field(default_factory=dict)


@dataclass
class Activity:
    """A day-in-the-life activity a person adds: hours [start, end), kind brand|competitors|life."""
    start: int
    end: int
    text: str
    kind: str = "life"
    weekdays: str = "every day"


@dataclass
class JourneyMap:
    template: str = "current"
    title: str = "Customer journey map"
    persona: Persona = field(default_factory=Persona)
    stages: list[Stage] = field(default_factory=list)
    lanes: list[Lane] = field(default_factory=list)
    cells: dict[str, dict[str, Cell]] = field(default_factory=dict)   # lane key -> stage key -> cell
    baseline: dict = field(default_factory=dict)   # numbers the projection needs (entries, conversions, ...)
    targets: dict[str, Target] = field(default_factory=dict)          # stage key -> targets (future state)
    activities: list[Activity] = field(default_factory=list)          # day in the life
    heat: list[list[int]] = field(default_factory=list)               # weekday (Mon..Sun) x hour event counts
    # day in the life: why the hours of the day are unknown (dates without times), drawn instead of the heat
    # strip; "" when the data has times
    hours_note: str = ""
    # day in the life: the clock its hours and weekdays are on ("UTC", "America/New_York time", "each interaction's
    # own clock": cjm.maps.day.clock_used), named in the weekday x hour strip's title
    clock: str = "UTC"
    version: int = MAP_VERSION

    def __post_init__(self):
        if self.template not in TEMPLATES:
            raise ParameterError(f"template must be one of {', '.join(TEMPLATES)}; got {self.template!r}.")

    # --- reading ---------------------------------------------------------------------------------
    def visible_stages(self) -> list[Stage]:
        return [s for s in self.stages if not s.hidden]

    def visible_lanes(self) -> list[Lane]:
        return [lane for lane in self.lanes if not lane.hidden]

    def cell(self, lane: str, stage: str) -> Cell:
        return self.cells.get(lane, {}).get(stage) or Cell(value="", provenance="assumption")

    def stage(self, key: str) -> Stage:
        for s in self.stages:
            if s.key == key:
                return s
        raise ParameterError(f"The map has no stage {key!r}; its stages are {[s.key for s in self.stages]}.")

    def lane(self, key: str) -> Lane:
        for lane in self.lanes:
            if lane.key == key:
                return lane
        raise ParameterError(f"The map has no lane {key!r}; its lanes are {[lane.key for lane in self.lanes]}.")

    # --- editing (each returns nothing and changes the map in place) ------------------------------
    def set_cell(self, lane: str, stage: str, value: str, *, number: float | None = None) -> None:
        """A person types `value`: a data cell becomes "edited" (the data value kept beside it), an empty
        or assumption cell stays an "assumption". Typing the data value back restores "data"."""
        self.lane(lane), self.stage(stage)
        old = self.cells.setdefault(lane, {}).get(stage)
        value = "" if value is None else str(value)
        if old is None or old.provenance == "assumption":
            self.cells[lane][stage] = Cell(value=value, number=number, provenance="assumption",
                                           evidence=old.evidence if old else None)
            return
        data_value = old.value if old.provenance == "data" else old.data_value
        data_number = old.number if old.provenance == "data" else old.data_number
        if value == data_value:
            self.cells[lane][stage] = Cell(value=value, number=data_number, provenance="data",
                                           evidence=old.evidence)
            return
        self.cells[lane][stage] = Cell(value=value, number=number, provenance="edited", evidence=old.evidence,
                                       data_value=data_value, data_number=data_number)

    def rename_stage(self, key: str, name: str) -> None:
        self.stage(key).name = str(name)

    def hide_stage(self, key: str, hidden: bool = True) -> None:
        self.stage(key).hidden = bool(hidden)

    def move_stage(self, key: str, position: int) -> None:
        stage = self.stage(key)
        self.stages.remove(stage)
        self.stages.insert(max(0, min(int(position), len(self.stages))), stage)

    def add_stage(self, name: str, *, after: str | None = None) -> Stage:
        if not str(name).strip():
            raise ParameterError("A new stage needs a name; got an empty one.")
        used = {s.key for s in self.stages}
        key, n = f"added-{len(used) + 1}", len(used) + 1
        while key in used:
            n += 1
            key = f"added-{n}"
        stage = Stage(key=key, name=str(name).strip())
        index = len(self.stages) if after is None else [s.key for s in self.stages].index(self.stage(after).key) + 1
        self.stages.insert(index, stage)
        return stage

    def rename_lane(self, key: str, name: str) -> None:
        self.lane(key).name = str(name)

    def hide_lane(self, key: str, hidden: bool = True) -> None:
        self.lane(key).hidden = bool(hidden)

    def move_lane(self, key: str, position: int) -> None:
        lane = self.lane(key)
        self.lanes.remove(lane)
        self.lanes.insert(max(0, min(int(position), len(self.lanes))), lane)

    def add_lane(self, name: str, *, kind: str = "text") -> Lane:
        if not str(name).strip():
            raise ParameterError("A new lane needs a name; got an empty one.")
        used = {lane.key for lane in self.lanes}
        n = len(used) + 1
        while f"lane-{n}" in used:
            n += 1
        lane = Lane(key=f"lane-{n}", name=str(name).strip(), kind=kind)
        self.lanes.append(lane)
        return lane

    def pin_quote(self, stage: str, quote: str, *, customer_id: str | None = None, when: str | None = None) -> None:
        """A quote pinned from the Sentiment page: added to the thoughts lane of `stage` (a real comment,
        so "data", with the comment as its evidence). Unknown stages go to the first stage."""
        keys = [s.key for s in self.stages]
        if stage not in keys:
            stage = keys[0]
        cell = self.cells.setdefault("thoughts", {}).get(stage)
        line = f"“{quote}”"
        if cell is not None and line in cell.value.split("\n"):
            return
        text = f"{line}\n{cell.value}" if cell is not None and cell.value else line  # pinned first: chosen by a person
        source = "pinned from the Sentiment page" + (f" (customer {customer_id}" + (f", {when})" if when else ")")
                                                     if customer_id else "")
        provenance = cell.provenance if cell is not None else "data"
        self.cells["thoughts"][stage] = Cell(value=text, provenance=provenance,
                                             evidence=Evidence(comments=(cell.evidence.comments or 0) + 1
                                                               if cell and cell.evidence else 1, analysis=source),
                                             data_value=cell.data_value if cell else None)

    # --- serialisation ----------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "version": MAP_VERSION, "template": self.template, "title": self.title,
            "persona": asdict(self.persona),
            "stages": [asdict(s) for s in self.stages],
            "lanes": [asdict(lane) for lane in self.lanes],
            "cells": [{"lane": lane, "stage": stage, **_cell_dict(cell)}
                      for lane, row in self.cells.items() for stage, cell in row.items()],
            "baseline": _clean(self.baseline),
            "targets": {k: asdict(t) for k, t in self.targets.items()},
            "activities": [asdict(a) for a in self.activities],
            "heat": self.heat,
            "hours_note": self.hours_note,
            "clock": self.clock,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)

    @classmethod
    def from_dict(cls, data: dict) -> "JourneyMap":
        if not isinstance(data, dict):
            raise CJMError(f"A journey map must be a JSON object; found {type(data).__name__}.")
        version = data.get("version", 1)
        if not isinstance(version, int) or version < 1:
            raise CJMError(f"The journey map has version {version!r}; expected a whole number from 1 to {MAP_VERSION}.")
        if version > MAP_VERSION:
            raise CJMError(f"This journey map was saved by a newer cjm (map version {version}; this one reads up to "
                           f"{MAP_VERSION}). Upgrade cjm to open it.")
        while version < MAP_VERSION:
            data = MIGRATIONS[version](data)
            version = data["version"]
        try:
            cells: dict[str, dict[str, Cell]] = {}
            for c in data.get("cells", []):
                evidence = Evidence(**c["evidence"]) if c.get("evidence") else None
                cells.setdefault(c["lane"], {})[c["stage"]] = Cell(
                    value=c.get("value", ""), number=c.get("number"), provenance=c.get("provenance", "data"),
                    evidence=evidence, data_value=c.get("data_value"), data_number=c.get("data_number"))
            return cls(
                template=data.get("template", "current"), title=data.get("title") or "Customer journey map",
                persona=Persona(**data.get("persona", {})),
                stages=[Stage(**s) for s in data.get("stages", [])],
                lanes=[Lane(**lane) for lane in data.get("lanes", [])],
                cells=cells, baseline=dict(data.get("baseline") or {}),
                targets={k: Target(**{**t, "baseline": dict(t.get("baseline") or {})})
                         for k, t in (data.get("targets") or {}).items()},
                activities=[Activity(**a) for a in data.get("activities", [])],
                heat=[list(row) for row in data.get("heat", [])],
                hours_note=str(data.get("hours_note") or ""),
                clock=str(data.get("clock") or "UTC"),  # maps saved before it: their hours were UTC's
            )
        except (KeyError, TypeError) as exc:
            raise CJMError(f"The journey map file is not in the expected shape ({exc}). Export it again from the "
                           "Journey map page.") from None

    @classmethod
    def from_json(cls, text: str) -> "JourneyMap":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CJMError(f"The journey map file is not valid JSON ({exc.msg} at line {exc.lineno}).") from None
        return cls.from_dict(data)

    def copy(self) -> "JourneyMap":
        return JourneyMap.from_dict(json.loads(self.to_json()))


def _cell_dict(cell: Cell) -> dict:
    out = {"value": cell.value, "provenance": cell.provenance}
    for name in ("number", "data_value", "data_number"):
        value = getattr(cell, name)
        if value is not None and not (isinstance(value, float) and math.isnan(value)):
            out[name] = value
    if cell.evidence is not None:
        out["evidence"] = asdict(cell.evidence)
    return out


def _clean(value):
    """Strict JSON: NaN and infinities become null."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _v1_to_v2(data: dict) -> dict:
    """Version 1 (see the module docstring) -> 2: template from "kind", stages and lanes as objects,
    cells with provenance ("data" stays data, "user" becomes an assumption), "quotes" -> "thoughts"."""
    lane_names = {**JOURNEY_LANES, **FUTURE_LANES, **DAY_LANES}
    rename = {"quotes": "thoughts"}
    sources = data.get("sources") or {}
    cells, lanes = [], []
    for lane, row in (data.get("cells") or {}).items():
        key = rename.get(lane, lane)
        if key not in [entry["key"] for entry in lanes]:
            name, kind = lane_names.get(key, (str(lane).replace("_", " ").capitalize(), "text"))
            lanes.append({"key": key, "name": name, "kind": kind, "hidden": False})
        for stage, text in row.items():
            source = (sources.get(lane) or {}).get(stage, "user")
            cells.append({"lane": key, "stage": stage, "value": str(text),
                          "provenance": "data" if source == "data" else "assumption"})
    persona = data.get("persona")
    return {
        "version": 2, "template": data.get("kind", "current"), "title": data.get("title") or "Customer journey map",
        "persona": {"name": persona, "provenance": "assumption"} if isinstance(persona, str) else (persona or {}),
        "stages": [{"key": s, "name": s} for s in data.get("stages", [])],
        "lanes": lanes, "cells": cells,
    }


def _v2_to_v3(data: dict) -> dict:
    """Version 2 -> 3: the shape is the same; targets without a baseline are given the figures the map holds when
    it is next opened or read (cjm.maps.future.with_baseline), the figures of the data it was saved on."""
    return {**data, "version": 3}


MIGRATIONS = {1: _v1_to_v2, 2: _v2_to_v3}


def with_template(journey_map: JourneyMap, template: str) -> JourneyMap:
    """A copy with another template label (the lanes are the builders' business)."""
    return replace(journey_map.copy(), template=template)
