"""The headless report: the same analyses as the app, as one JSON document (DESIGN.md section 9)."""

from __future__ import annotations

import contextvars
import html
import json
import logging
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from cjm import engine
from cjm.data import quality, views
from cjm.data.dataset import Dataset
from cjm.errors import CJMError, InsufficientDataError
from cjm.journey.funnel import FunnelParams, parse_window
from cjm.journey.funnel.defaults import default_funnel
from cjm.report import sections
from cjm.voice.languages import preload_language_models

log = logging.getLogger(__name__)


SECTION_THREADS = 2  # report sections run side by side on an in-process DuckDB (see _run_sections)
# The longest sections start first (1M events: variants and gaps, segments, funnel, sentiment, journey map), so
# the two threads finish together: 0.15-0.3 s less than in the report's order, 5 runs of each on 2026-12-05.
START_FIRST = ("variants", "segments", "funnel", "sentiment", "journey_map")


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
    return sections.funnel_section(ds, params=funnel_params(ds, o))


def _abandonment(ds, o):
    try:
        params = funnel_params(ds, o)
    except InsufficientDataError as error:  # no funnel to abandon; the KPIs need none
        return {**sections.kpis_section(ds, window_seconds=parse_window(o.window)), "skipped": {"abandonment": str(error)}}
    return sections.abandonment_section(ds, params=params)


def _paths(ds, o):
    return sections.paths_section(ds)


def _voice(ds, o):
    return sections.sentiment_section(ds)


def _segments(ds, o):
    params = sections.SegmentParams(k=o.k, algorithm=o.algorithm, random_state=o.seed)
    return sections.segments_section(ds, params=params)


def _sections():
    """(name, function(dataset, options) -> dict of report keys), in the order of DESIGN.md section 9."""
    return [
        ("quality", lambda ds, o: {"quality": quality.compute_quality(ds)}),
        ("stages", lambda ds, o: sections.reach_section(ds)),
        ("funnel", _funnel),
        ("abandonment", _abandonment),
        ("variants", _paths),
        ("sentiment", _voice),
        ("segments", _segments),
        ("journey_map", lambda ds, o: sections.journey_map_section(ds, window_seconds=parse_window(o.window))),
    ]


EXPECTED = ("funnel", "abandonment", "kpis", "variants", "gaps", "sentiment", "pain_points", "at_risk", "segments")


def build_report(dataset: Dataset, *, options: ReportOptions = ReportOptions()) -> dict:
    """Every analysis that can run on this dataset; the others are listed under `skipped` with the reason.

    The events are computed once into an engine table (with their stages) that every section reads."""
    report = {
        "rows": dataset.accounting.to_dict(),
        "mapping": {f.name: f.mapping.describe() for f in dataset.files if f.role != "customers"},
        "stage_model": {"model": dataset.stage_mapping.model, "stages": list(dataset.stages)},
    }
    if dataset.currency:  # every money figure is in it (cjm.data.currencies)
        report["currency"] = dataset.currency
    if "text" in dataset.present:  # the models load in their worker while the journey sections run
        preload_language_models()
    if len(report["mapping"]) == 1:
        report["mapping"] = next(iter(report["mapping"].values()))
    skipped = {}
    dataset = views.materialized(dataset)
    with engine.shared():  # sections that ask the same question of the events share the answer
        _run_sections(dataset, options, report, skipped)
    for key in EXPECTED:
        if key not in report and not any(k == key or k.startswith(key + ".") for k in skipped):
            skipped[key] = _missing_reason(key, dataset)
    report["skipped"] = skipped
    return report


def _run_sections(dataset: Dataset, options: ReportOptions, report: dict, skipped: dict) -> None:
    # In-process DuckDB only: one section's Python work runs beside another's query there, while a warehouse
    # does its own parallel work and its driver's transactions do not interleave on one connection.
    backend = engine.backend_of(dataset.events)
    threads = SECTION_THREADS if backend is not None and backend.kind == "duckdb" else 1
    sections = _sections()
    first = {key: i for i, key in enumerate(START_FIRST)}
    started = sorted(sections, key=lambda item: first.get(item[0], len(first)))
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = {key: pool.submit(contextvars.copy_context().run, _run_one, key, section, dataset, options)
                   for key, section in started}
    for key, _ in sections:  # the report's keys in the order of DESIGN.md section 9
        result, reason = futures[key].result()
        if reason is not None:
            skipped[key] = reason
            continue
        for name, value in result.items():
            if isinstance(value, dict) and isinstance(value.get("skipped"), dict):
                skipped.update({f"{name}.{k}": v for k, v in value.pop("skipped").items()})
        skipped.update(result.pop("skipped", {}) or {})
        report.update(result)


def _run_one(key, section, dataset, options):
    """(the section's keys, None), or (None, why it was skipped): a section never raises."""
    try:
        return section(dataset, options), None
    except CJMError as exc:
        return None, str(exc)
    except Exception as exc:  # one broken analysis never costs the whole report
        log.exception("Report section %r failed", key)
        return None, failure_reason(key, exc)


def failure_reason(what: str, exc: BaseException) -> str:
    """"could not compute funnel: division by zero (ZeroDivisionError)": plain, one line, no traceback."""
    message = " ".join(str(exc).split())
    if len(message) > 300:
        message = message[:297] + "..."
    kind = type(exc).__name__
    return f"could not compute {what}: {message} ({kind})" if message else f"could not compute {what}: {kind}"


def to_json(report: dict) -> str:
    """Strict JSON: a figure that is not a finite number (NaN, Infinity) is written as null."""
    return json.dumps(_finite(report), indent=2, ensure_ascii=False, default=str, allow_nan=False)


def _finite(value):
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "dtype") and getattr(value, "ndim", 1) == 0:  # numpy scalars
        item = value.item()
        return None if isinstance(item, float) and not math.isfinite(item) else item
    return value


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


_NEEDS_TIME = {"at_risk": "risk is scored from recent activity",
               "gaps": "switches are found in the order of events over time"}


def _missing_reason(key: str, dataset: Dataset) -> str:
    undated = bool(dataset.files) and all("timestamp" not in f.mapping.columns and f.mapping.shape != "wide"
                  for f in dataset.files if f.role != "customers")
    if undated and key in _NEEDS_TIME:
        return (f"needs dates: this export has no date column (each row is one respondent or session), and "
                f"{_NEEDS_TIME[key]}. Map a date column on the Data page to enable it.")
    needs = {"gaps": "a device, channel or department column", "sentiment": "a score or text column",
             "pain_points": "a text column with negative comments", "at_risk": "customers with activity to score"}
    return f"not enough data: this analysis needs {needs.get(key, 'more data')}."
