"""The dashboard spec: every parameter of every page in one serialisable document.

Dashboards are saved, versioned and shared by link, so whatever a user tunes (mapping, stages,
filters, funnel steps, windows, segment settings, maps) lives here as plain JSON.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

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

    @classmethod
    def from_json(cls, text: str) -> "DashboardSpec":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CJMError(f"The dashboard file is not valid JSON ({exc.msg} at line {exc.lineno}).") from None
        return cls.from_dict(data)
