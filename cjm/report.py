"""The headless report: the same analyses as the app, as one JSON document (DESIGN.md section 9)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from cjm import quality, reach
from cjm.dataset import Dataset
from cjm.errors import CJMError


@dataclass(frozen=True)
class ReportOptions:
    steps: tuple[str, ...] | None = None
    window: str = "7d"
    mode: str = "ordered"
    k: int | None = None
    algorithm: str = "kmeans"
    seed: int = 0


def _sections():
    """(key, function(dataset, options) -> dict of keys). Later analyses append themselves here."""
    return [
        ("quality", lambda ds, o: {"quality": quality.compute_quality(ds.events)}),
        ("stages", lambda ds, o: reach.report_section(ds.events, stages=ds.stages)),
    ]


def build_report(dataset: Dataset, *, options: ReportOptions = ReportOptions()) -> dict:
    """Every analysis that can run on this dataset; the others are listed under `skipped` with the reason."""
    report = {
        "rows": dataset.accounting.to_dict(),
        "mapping": {name: f.mapping.columns | ({"event": f"= {f.mapping.event_constant}"}
                                               if f.mapping.event_constant and "event" not in f.mapping.columns else {})
                    for name, f in ((f.name, f) for f in dataset.files) if f.role != "customers"},
        "stage_model": {"model": dataset.stage_mapping.model, "stages": list(dataset.stages)},
    }
    if len(report["mapping"]) == 1:
        report["mapping"] = next(iter(report["mapping"].values()))
    skipped = {}
    for key, section in _sections():
        try:
            report.update(section(dataset, options))
        except CJMError as exc:
            skipped[key] = str(exc)
    report["skipped"] = skipped
    return report


def to_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, default=str)


def to_markdown(report: dict) -> str:
    lines = ["# Customer journey report", ""]
    rows = report["rows"]
    lines += [f"Rows: {rows['in']:,} in, {rows['used']:,} used, {rows['rejected']:,} rejected.", ""]
    for reason, n in rows["reasons"].items():
        lines.append(f"- {reason}: {n:,}")
    for key, value in report.items():
        if key in ("rows",):
            continue
        lines += ["", f"## {key.replace('_', ' ').capitalize()}", "", "```json",
                  json.dumps(value, indent=2, ensure_ascii=False, default=str), "```"]
    return "\n".join(lines) + "\n"


def to_html(report: dict) -> str:
    body = html.escape(to_markdown(report))
    return ("<!doctype html><html><head><meta charset='utf-8'><title>Customer journey report</title>"
            "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto}</style></head>"
            f"<body><pre style='white-space:pre-wrap'>{body}</pre></body></html>")
