"""The headless report: the same analyses as the app, as one JSON document (DESIGN.md section 9)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from cjm.data import quality, views
from cjm.data.dataset import Dataset
from cjm.errors import CJMError
from cjm.journey.funnel import FunnelParams, parse_window
from cjm.journey.funnel.defaults import default_funnel
from cjm.report import sections


@dataclass(frozen=True)
class ReportOptions:
    steps: tuple[str, ...] | None = None
    window: str = "7d"
    mode: str = "ordered"
    k: int | None = None
    algorithm: str = "kmeans"
    seed: int = 0


def funnel_params(dataset: Dataset, options: ReportOptions) -> FunnelParams:
    """The funnel the report uses: --steps (stages, else events), else the one the app proposes too
    (cjm.journey.funnel.defaults: the stages present, else the e-commerce events)."""
    return default_funnel(dataset, steps=options.steps, window_seconds=parse_window(options.window),
                          mode=options.mode)


def _funnel(ds, o):
    return sections.funnel_section(ds.events, params=funnel_params(ds, o))


def _abandonment(ds, o):
    return sections.abandonment_section(ds.events, stages=ds.stages, params=funnel_params(ds, o),
                                        present=ds.present_stages)


def _paths(ds, o):
    return sections.paths_section(ds.events, stages=ds.stages)


def _voice(ds, o):
    return sections.sentiment_section(ds.events, stages=ds.stages, customers=ds.customers)


def _segments(ds, o):
    params = sections.SegmentParams(k=o.k, algorithm=o.algorithm, random_state=o.seed)
    return sections.segments_section(ds.events, stages=ds.stages, customers=ds.customers, params=params)


def _sections():
    """(name, function(dataset, options) -> dict of report keys), in the order of DESIGN.md section 9."""
    return [
        ("quality", lambda ds, o: {"quality": quality.compute_quality(ds.events)}),
        ("stages", lambda ds, o: sections.reach_section(ds.events, stages=ds.stages)),
        ("funnel", _funnel),
        ("abandonment", _abandonment),
        ("variants", _paths),
        ("sentiment", _voice),
        ("segments", _segments),
        ("journey_map", lambda ds, o: sections.journey_map_section(ds.events, stages=ds.stages, customers=ds.customers,
                                                                   window_seconds=parse_window(o.window))),
    ]


EXPECTED = ("funnel", "abandonment", "kpis", "variants", "gaps", "sentiment", "pain_points", "at_risk", "segments")


def build_report(dataset: Dataset, *, options: ReportOptions = ReportOptions()) -> dict:
    """Every analysis that can run on this dataset; the others are listed under `skipped` with the reason.

    The events are computed once into an engine table (with their stages) that every section reads."""
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
    dataset = views.materialized(dataset)
    for key, section in _sections():
        try:
            result = section(dataset, options)
        except CJMError as exc:
            skipped[key] = str(exc)
            continue
        for name, value in result.items():
            if isinstance(value, dict) and isinstance(value.get("skipped"), dict):
                skipped.update({f"{name}.{k}": v for k, v in value.pop("skipped").items()})
        skipped.update(result.pop("skipped", {}) or {})
        report.update(result)
    for key in EXPECTED:
        if key not in report and not any(k == key or k.startswith(key + ".") for k in skipped):
            skipped[key] = _missing_reason(key, dataset)
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


def _missing_reason(key: str, dataset: Dataset) -> str:
    needs = {"gaps": "a device, channel or department column", "sentiment": "a score or text column",
             "pain_points": "a text column with negative comments", "at_risk": "customers with activity to score"}
    return f"not enough data: this analysis needs {needs.get(key, 'more data')}."
