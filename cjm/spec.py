"""The dashboard spec: every parameter of every page in one serialisable document.

Dashboards are saved, versioned and shared by link, so whatever a user tunes (mapping, stages,
filters, funnel steps, windows, segment settings, maps) lives here as plain JSON.

- Each page's parameters are a dataclass (PAGE_PARAMS names them); `spec.page(name)` reads them typed,
  `spec.with_page(name, params)` returns a NEW spec (specs are updated with dataclasses.replace, never
  in place).
- Nothing invalid is silently dropped: `spec.page` returns the problems it found with the saved values
  (the defaults are used instead), and `DashboardSpec.read(data)` returns the spec with the problems of
  every part that could not be read, for the app to show.
- A file reference (FileRef) names a snapshot of the data by the SHA-256 of its bytes (`content`), kept
  on disk by cjm.data.snapshots, not an object in server memory.
- `to_dict()` / `from_dict()` are stable; new fields are only ever added (with defaults).

May import: cjm.data (columns, filters, stages), cjm.errors; page parameter classes lazily by name.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import asdict, dataclass, field, fields, replace

from cjm.data.columns import ColumnMapping
from cjm.errors import CJMError
from cjm.data.filters import Filters
from cjm.data.stages import StageMapping

SPEC_VERSION = 1


@dataclass
class FileRef:
    name: str
    digest: str
    role: str = "auto"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    content: str | None = None  # SHA-256 of the file's bytes: the snapshot it names (cjm.data.snapshots)


PAGE_PARAMS = {  # page -> "module:Class" of its parameters (imported only when the page's params are read)
    "funnel": "cjm.journey.funnel.params:FunnelParams",
    "journeys": "cjm.journey.paths:PathParams",
    "gaps": "cjm.journey.gaps:GapParams",
    "sentiment": "cjm.voice.sentiment:SentimentParams",
    "risk": "cjm.voice.risk:RiskParams",
    "segments": "cjm.customers.segments:SegmentParams",
    "overview": "cjm.journey.kpi_period:KpiParams",
    "ab_test": "cjm.journey.experiment_params:ExperimentParams",  # the Funnel page's A/B test: its control arm
}
EXTRA_KEYS = {"segments": ("applied",)}  # saved next to a page's parameters, not part of its dataclass
TITLES = {"ab_test": "A/B test"}  # what the messages call a page's settings, when not its name


def params_class(page: str):
    module, _, name = PAGE_PARAMS[page].partition(":")
    return getattr(importlib.import_module(module), name)


def encode_params(params) -> dict:
    """A page's parameters as JSON types (tuples as lists)."""
    values = params.to_dict() if hasattr(params, "to_dict") else asdict(params)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


def decode_params(cls, saved: dict, *, page: str = ""):
    """(params, problems): the dataclass from saved JSON; on a problem, the defaults and what was wrong."""
    known = {f.name for f in fields(cls)}
    title = TITLES.get(page, page) or cls.__name__
    values = {k: v for k, v in saved.items() if k not in EXTRA_KEYS.get(page, ())}
    unknown = sorted(set(values) - known)
    problems = [f"The saved {title} settings have {', '.join(map(repr, unknown))}, which this "
                f"version of cjm does not know; they were ignored."] if unknown else []
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in known}
    try:
        return (cls.from_dict(values) if hasattr(cls, "from_dict") else cls(**values)), problems
    except (TypeError, ValueError) as exc:  # CJMError is a ValueError
        return _defaults(cls), problems + [f"The saved {title} settings could not be used ({exc}); "
                                           "the defaults are shown instead."]


def _defaults(cls):
    """The class's default parameters, or None when it has none (e.g. a funnel needs its steps)."""
    try:
        return cls()
    except (TypeError, ValueError):
        return None


@dataclass
class MapSpec:
    """One journey map of the dashboard: what it is built from and, once a person has touched it, the
    map document itself (cjm.maps.JourneyMap.to_dict(): edits, assumptions, targets, activities)."""

    template: str = "current"            # "current" | "future" | "day"
    segment: str | None = None           # None: every customer
    compare_segment: str | None = None   # shown side by side when set
    document: dict | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "MapSpec":
        known = {k: data[k] for k in ("template", "segment", "compare_segment", "document") if k in data}
        if known.get("template", "current") not in ("current", "future", "day"):
            raise CJMError(f"A saved map has template {known['template']!r}; expected current, future or day.")
        return cls(**known)


@dataclass
class DashboardSpec:
    title: str = "Customer journeys"
    source: str = "demo"  # "demo" or "upload"
    files: list[FileRef] = field(default_factory=list)
    mappings: dict[str, ColumnMapping] = field(default_factory=dict)
    stage_mapping: StageMapping = field(default_factory=StageMapping)
    filters: Filters = field(default_factory=Filters)
    pages: dict[str, dict] = field(default_factory=dict)  # page name -> that page's params as JSON
    maps: dict[str, MapSpec] = field(default_factory=dict)  # map name -> its spec and document
    version: int = SPEC_VERSION

    def to_dict(self) -> dict:
        return {
            "version": self.version, "title": self.title, "source": self.source,
            "files": [asdict(f) for f in self.files],
            "mappings": {name: m.to_dict() for name, m in self.mappings.items()},
            "stage_mapping": self.stage_mapping.to_dict(),
            "filters": self.filters.to_dict(),
            "pages": self.pages,
            "maps": {name: m.to_dict() for name, m in self.maps.items()},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict) -> "DashboardSpec":
        version = data.get("version", SPEC_VERSION)
        if version > SPEC_VERSION:
            raise CJMError(f"This dashboard was saved by a newer cjm (spec version {version}; this one reads up to "
                           f"{SPEC_VERSION}). Upgrade cjm to open it.")
        return cls(
            title=data.get("title") or "Customer journeys",
            source=data.get("source", "demo"),
            files=[FileRef(**f) for f in data.get("files", [])],
            mappings={k: ColumnMapping.from_dict(v) for k, v in (data.get("mappings") or {}).items()},
            stage_mapping=StageMapping.from_dict(data.get("stage_mapping") or {}),
            filters=Filters.from_dict(data.get("filters") or {}),
            pages=dict(data.get("pages") or {}),
            maps={str(k): MapSpec.from_dict(v) for k, v in (data.get("maps") or {}).items()},
            version=version,
        )

    def page(self, name: str, cls=None):
        """(parameters, problems) of one page: its dataclass from the spec (the defaults when absent or
        unusable; None when the class has no defaults), and what was wrong with the saved values."""
        cls = cls or params_class(name)
        saved = self.pages.get(name)
        if not saved:
            return _defaults(cls), []
        return decode_params(cls, dict(saved), page=name)

    def with_page(self, name: str, params, **extra) -> "DashboardSpec":
        """A new spec whose page `name` holds `params` (and `extra` JSON values such as applied=True)."""
        return replace(self, pages={**self.pages, name: {**encode_params(params), **extra}})

    def problems(self) -> list[str]:
        """What is wrong with the saved settings of every known page (empty when all can be used)."""
        found = []
        for name in self.pages:
            if name in PAGE_PARAMS:
                found += self.page(name)[1]
        return found

    @classmethod
    def read(cls, data: dict) -> tuple["DashboardSpec", list[str]]:
        """(spec, problems): like from_dict, but a part that cannot be read (a file reference, a mapping,
        the stage mapping, the filters) is replaced by its default and reported instead of failing."""
        problems = []

        def part(label, make, default):
            try:
                return make()
            except (TypeError, ValueError, KeyError, AttributeError) as exc:
                problems.append(f"The saved {label} could not be read ({exc}); the default is used instead.")
                return default

        version = data.get("version", SPEC_VERSION)
        if version > SPEC_VERSION:
            cls.from_dict(data)  # raises with the fix
        files = [f for f in (part(f"file reference {i + 1}", lambda f=f: FileRef(**f), None)
                             for i, f in enumerate(data.get("files") or [])) if f is not None]
        mappings = {}
        for name, value in (data.get("mappings") or {}).items():
            mapping = part(f"column mapping of {name!r}", lambda v=value: ColumnMapping.from_dict(v), None)
            if mapping is not None:
                mappings[name] = mapping
        spec = cls(title=data.get("title") or "Customer journeys", source=data.get("source", "demo"), files=files,
                   mappings=mappings,
                   stage_mapping=part("stage mapping", lambda: StageMapping.from_dict(data.get("stage_mapping") or {}),
                                      StageMapping()),
                   filters=part("filters", lambda: Filters.from_dict(data.get("filters") or {}), Filters()),
                   pages=dict(data.get("pages") or {}), version=version)
        maps = {}
        for name, value in (data.get("maps") or {}).items():
            saved = part(f"journey map {name!r}", lambda v=value: MapSpec.from_dict(v), None)
            if saved is not None:
                maps[str(name)] = saved
        spec = replace(spec, maps=maps)
        return spec, problems + spec.problems()

    @classmethod
    def from_json(cls, text: str) -> "DashboardSpec":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CJMError(f"The dashboard file is not valid JSON ({exc.msg} at line {exc.lineno}).") from None
        return cls.from_dict(data)
