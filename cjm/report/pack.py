"""The board pack: a whole dashboard as one self-contained HTML file and a PDF, from Jinja2 templates.

`build_pack` runs the analyses of the dashboard's pages with the parameters saved in its spec (filters
applied) and returns plain content: KPI tiles, sections (each with its chart as inline SVG drawn by
vl-convert, a key table and a note), the journey maps, the filters and a note on method. `to_html`
renders it with templates/pack.html.j2 (autoescape on: every value from the data is escaped; only the
SVG drawn by vl-convert and by the map renderer is inserted as markup). `to_pdf` prints the same HTML
with WeasyPrint, so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from cjm.data.clock import date_in, dates_clock
from cjm.data.filters import Filters, apply_filters
from cjm.data.views import end_phrase
from cjm.errors import CJMError
from cjm.spec import DashboardSpec
from cjm.present.formats import format_count, format_duration, format_percent, format_signed

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class Section:
    title: str
    finding: str = ""
    svg: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""


@dataclass
class Pack:
    title: str
    description: str
    shared_by: str
    saved_at: str
    generated_at: str
    date_range: str
    data_summary: str
    filters: list[tuple[str, str]]
    tiles: list[dict]
    sections: list[Section]
    maps: list[dict]
    skipped: list[tuple[str, str]]
    method: list[str]
    tiles_period: str = ""  # which period the tiles cover, and the one their changes compare with


CHART_WIDTH = 760  # px: the app's charts stretch to their container; on paper they get a fixed width


def _svg(chart) -> str:
    from cjm.present.export import chart_svg

    if chart.to_dict().get("width") in (None, "container"):
        try:
            chart = chart.properties(width=CHART_WIDTH)
        except Exception:  # noqa: BLE001  (concatenated charts size their parts themselves)
            pass
    return chart_svg(chart)


_pct, _int, _duration = format_percent, format_count, format_duration


def _params(spec: DashboardSpec, page: str, cls, default):
    saved = spec.pages.get(page) or {}
    try:
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in saved.items()}) if saved else default
    except (TypeError, CJMError):
        return default


def _filters_text(filters: Filters, zone: str = "UTC") -> list[tuple[str, str]]:
    """The filters' rows; `zone`: the time zone whose days the dates are (DataClock.label), said with a date range."""
    dates = f"{filters.start or 'first day'} to {filters.end or 'last day'}"
    rows = [("Dates", f"{dates} (days in {zone})" if filters.start or filters.end else dates)]
    for label, values in (("Channel", filters.channels), ("Device", filters.devices), ("Segment", filters.segments)):
        rows.append((label, ", ".join(values) if values else f"all"))
    return rows


def build_pack(dataset, spec: DashboardSpec | None = None, *, title: str | None = None, description: str = "",
               shared_by: str = "", saved_at: dt.datetime | None = None, maps: list | None = None) -> Pack:
    """Everything the board pack shows, computed from `dataset` with the spec's filters and page settings."""
    from cjm import engine
    from cjm.journey.kpi_period import KpiParams, period_sentence
    from cjm.journey.kpis import compute_kpis

    spec = spec or DashboardSpec()
    clock = dates_clock(dataset)  # the range's days are the dataset's time zone's, as in the app (cjm.data.views)
    events = apply_filters(dataset.events, spec.filters, tz=clock.tz)
    span = engine.execute(events.aggregate(first=events.timestamp.min(), last=events.timestamp.max(),
                                           customers=events.customer_id.nunique(), n=events.count())).iloc[0]
    if not int(span["n"]):
        raise CJMError("The filters leave no events, so there is nothing to put in the board pack. "
                       "Widen the date range or clear the channel/device/segment filters.")
    first, last = pd.Timestamp(span["first"]), pd.Timestamp(span["last"])
    sections, skipped = [], []
    for name, builder in _BUILDERS:
        try:
            section = builder(dataset, events, spec)
        except CJMError as exc:
            skipped.append((name, str(exc)))
            continue
        if section is not None:
            sections.append(section)
    tiles, tiles_period = [], ""
    try:  # the Overview's period (its choice is saved in the spec)
        kpis = compute_kpis(dataset.filtered(spec.filters), params=_params(spec, "overview", KpiParams, KpiParams()))
        shown = kpis[kpis["available"] & kpis["value"].notna()]  # a tile without a number says nothing
        tiles = [{"label": r.label, "value": r.display, "change": r.change_display or ""}
                 for r in shown.itertuples(index=False)]
        tiles_period = period_sentence(kpis)
    except CJMError as exc:
        skipped.append(("KPI tiles", str(exc)))
    maps = maps if maps is not None else getattr(spec, "maps", None)
    return Pack(
        title=title or spec.title, description=description, shared_by=shared_by,
        saved_at=f"{saved_at:%d %b %Y, %H:%M} UTC" if saved_at else "",
        generated_at=f"{dt.datetime.now(dt.timezone.utc):%d %b %Y, %H:%M} UTC",
        date_range=("No dates (each row is one respondent or session)" if pd.isna(first)  # the data's zone's dates
                    else f"{date_in(first, clock.tz):%d %b %Y} to {date_in(last, clock.tz):%d %b %Y}"),
        data_summary=f"{int(span['n']):,} events of {format_count(int(span['customers']), 'customer')}",
        filters=_filters_text(spec.filters, clock.label), tiles=tiles, sections=sections,
        maps=_maps(maps, dataset.filtered(spec.filters), skipped),
        skipped=skipped, method=_method(dataset, spec), tiles_period=tiles_period)


# --- sections ----------------------------------------------------------------------------------------

def _reach(dataset, events, spec):
    from cjm.journey.reach import compute_stage_reach, reach_period
    from cjm.present.charts.reach import stage_reach_chart

    view = dataset.filtered(spec.filters)
    reach = compute_stage_reach(view)
    total = int(reach["total_customers"].iloc[0])
    chart = stage_reach_chart(reach, customers=total, period=reach_period(view))
    return Section("How far customers get", svg=_svg(chart),
                   columns=["Stage", "Customers", "Share of all customers"],
                   rows=[[r.stage, _int(r.customers), _pct(r.share)] for r in reach.itertuples()])


def funnel_params(dataset, spec):
    from cjm.journey.funnel import FunnelParams
    from cjm.report.build import ReportOptions, funnel_params as default

    params = _params(spec, "funnel", FunnelParams, None)
    return replace(params, breakdown=None) if params is not None else default(dataset, ReportOptions())


def _funnel(dataset, events, spec):
    from cjm.journey.funnel import compute_funnel
    from cjm.present.charts.funnel import funnel_chart

    params = funnel_params(dataset, spec)
    funnel = compute_funnel(dataset.filtered(spec.filters), params=params)  # names checked on all the data
    last = funnel.iloc[-1]
    window = params.window_seconds / 86400
    return Section(
        "Funnel", finding=f"{_pct(last['conversion_from_first'])} of the customers who entered reached {last['step']}",
        svg=_svg(funnel_chart(funnel)),
        columns=["Step", "Customers", "From previous", "From first", "Median time from previous", "Dropped"],
        rows=[[r.step, _int(r.customers), _pct(r.conversion_from_previous), _pct(r.conversion_from_first),
               _duration(r.median_seconds_from_previous), _int(r.dropped)] for r in funnel.itertuples()],
        note=f"{params.mode.capitalize()} funnel of {params.step_kind}s, conversion window {window:g} days from entry.")


def _abandonment(dataset, events, spec):
    from cjm.journey.abandonment import compute_abandonment
    from cjm.present.charts.abandonment import abandonment_chart

    view = dataset.filtered(spec.filters)
    steps = compute_abandonment(view, params=funnel_params(dataset, spec))
    end = end_phrase(view)  # a date filter's range when its end cut the data
    cols = [c for c in ("step", "reached_previous", "abandoned", "in_progress", "closed", "abandonment_rate")
            if c in steps]
    labels = {"step": "Step", "reached_previous": "Reached the step before", "abandoned": "Abandoned",
              "in_progress": "In progress", "closed": "Window closed", "abandonment_rate": "Abandonment rate"}
    rows = [[_pct(v) if c.endswith("rate") else (_int(v) if c != "step" else str(v)) for c, v in zip(cols, row)]
            for row in steps[cols].itertuples(index=False)]
    return Section("Abandonment", svg=_svg(abandonment_chart(steps, end=end)), columns=[labels[c] for c in cols],
                   rows=rows, note=f"Customers whose conversion window is still open at {end} are in progress, "
                                   "never counted as abandoned. The rate is of the customers whose window has closed.")


def _journeys(dataset, events, spec):
    from cjm.journey.paths import PathParams, compute_transitions, compute_variants, step_stages
    from cjm.present.charts.paths import flow_chart, variants_chart

    params = replace(_params(spec, "journeys", PathParams, PathParams()), split_by=None)
    view = dataset.filtered(spec.filters)
    variants = compute_variants(view, params=params)
    flows = compute_transitions(view, params=params)
    stage_of = step_stages(dataset, params.level)
    svg = _svg(variants_chart(variants, top_n=params.top_n))
    if not flows.empty:
        svg += _svg(flow_chart(flows, stages=dataset.stages, stage_of=stage_of))
    top = variants.head(10)
    return Section("Journeys", svg=svg, columns=["Journey", "Customers", "Share"],
                   rows=[[str(r.path), _int(r.customers), _pct(r.share)] for r in top.itertuples()],
                   note="A journey variant is a customer's ordered steps with consecutive repeats collapsed.")


def _gaps(dataset, events, spec):
    from cjm.journey.gaps import GapParams, compute_gaps
    from cjm.present.charts.gaps import gaps_chart

    params = _params(spec, "gaps", GapParams, GapParams())
    if not dataset.has(params.dimension):
        return None
    found = compute_gaps(dataset.filtered(spec.filters), params=params)
    if found.empty:
        return None
    return Section(f"Gaps: {params.dimension} switches", svg=_svg(gaps_chart(found, dimension=params.dimension)),
                   columns=["Switch", "Customers", "Reached the next stage after", "Without switching"],
                   rows=[[str(r.switch), _int(r.customers), _pct(r.conversion_after), _pct(r.conversion_without_switch)]
                         for r in found.head(10).itertuples()])


def _sentiment(dataset, events, spec):
    from cjm.present.charts.sentiment import emotion_curve_chart
    from cjm.voice.sentiment import SentimentParams, compute_overall, compute_sentiment_by, compute_signals

    if not (dataset.has("score") or dataset.has("text")):
        return None
    params = _params(spec, "sentiment", SentimentParams, SentimentParams())
    signals = compute_signals(dataset.filtered(spec.filters), params=params)  # the same events as `events`
    overall = compute_overall(signals)
    by_stage = compute_sentiment_by(signals, by="stage", stages=dataset.stages)
    rows = [["Signals scored", _int(overall.get("n"))],
            ["Mean sentiment (-1 to +1)", "–" if overall.get("mean") is None else format_signed(overall['mean'])]]
    if overall.get("nps") is not None:
        rows.append(["NPS (points)", format_signed(overall['nps'], 0)])
    if overall.get("csat") is not None:
        rows.append(["CSAT", _pct(overall["csat"])])
    return Section("Sentiment along the journey", svg=_svg(emotion_curve_chart(by_stage)), columns=["", "Value"],
                   rows=rows, note="Ratings and comments on one scale from -1 to +1; unscored languages are left out.")


_BUILDERS = (("How far customers get", _reach), ("Funnel", _funnel), ("Abandonment", _abandonment),
             ("Journeys", _journeys), ("Gaps", _gaps), ("Sentiment", _sentiment))


def _map_entries(maps) -> list[dict]:
    """The spec's maps as plain dicts: {name: MapSpec} (cjm.spec), {name: dict}, or a list of map documents."""
    if isinstance(maps, dict):
        items = list(maps.values())
    else:
        items = list(maps or [])
    out = []
    for item in items:
        item = item.to_dict() if hasattr(item, "to_dict") else item
        if isinstance(item, dict):
            out.append(item if ("template" in item and "lanes" not in item) else {"document": item})
    return out


def _maps(maps, view, skipped: list) -> list[dict]:
    """Each journey map as {title, svg}: its saved document, or built from `view` (the filtered dataset) as
    the Journey map page builds it; drawn by cjm.maps (the map's own grid as a table when cjm.maps is not
    installed). With no map in the spec, the current-state map of every customer."""
    entries = _map_entries(maps)
    try:
        from cjm.maps import model, render
    except ImportError:
        return [{"title": str((e.get("document") or {}).get("title") or "Journey map"), "svg": "",
                 "grid": _grid(e["document"])} for e in entries if e.get("document")]
    entries = entries or [{"template": "current"}]
    out = []
    for entry in entries:
        try:
            jm = model.JourneyMap.from_dict(entry["document"]) if entry.get("document") else _built_map(entry, view)
            out.append({"title": jm.title, "svg": render.to_svg(jm), "grid": None})
        except CJMError as exc:
            skipped.append((f"Journey map ({entry.get('template', 'saved')})", str(exc)))
    return out


def _built_map(entry: dict, view):
    from cjm import maps as cm

    segment = entry.get("segment")
    template = entry.get("template") or "current"
    if template == "day":
        return cm.build_day_map(view, segment=segment)
    current = cm.build_current_map(view, segment=segment)
    return cm.build_future_map(current) if template == "future" else current


def _grid(data: dict) -> dict:
    stages = [s.get("name") or s.get("key") for s in data.get("stages", []) if not s.get("hidden")]
    keys = [s.get("key") for s in data.get("stages", []) if not s.get("hidden")]
    rows = []
    for lane in data.get("lanes", []):
        if lane.get("hidden"):
            continue
        cells = data.get("cells", {}).get(lane.get("key"), {})
        rows.append([lane.get("name") or lane.get("key")] + [str((cells.get(k) or {}).get("value", "")) for k in keys])
    return {"columns": ["", *stages], "rows": rows}


def _method(dataset, spec) -> list[str]:
    stage_model = ", ".join(dataset.stages)
    return [
        f"Events are mapped onto the journey stages {stage_model}; a customer reaches a stage when any of their "
        "events is mapped to it.",
        "Funnel: every first-step event starts an attempt; each later step is the earliest such event after the "
        "previous step and within the conversion window from entry; a customer counts once, at their best attempt.",
        f"Abandonment counts only attempts whose window closed before {end_phrase(dataset.filtered(spec.filters))}; "
        "the rest are in progress.",
        "Percentages have one decimal; changes compare the latest period of the data with the one before.",
        f"Rows: {dataset.accounting.rows_in:,} read, {dataset.accounting.rows_used:,} used, "
        f"{dataset.accounting.rows_rejected:,} set aside with a reason.",
    ]


# --- writers -----------------------------------------------------------------------------------------

def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def to_html(pack: Pack, *, for_print: bool = False) -> str:
    """One self-contained HTML file: no script, no external request; charts as inline SVG."""
    from markupsafe import Markup

    sections = [replace(s, svg=Markup(s.svg)) for s in pack.sections]
    maps = [dict(m, svg=Markup(m["svg"])) for m in pack.maps]
    return _environment().get_template("pack.html.j2").render(pack=pack, sections=sections, maps=maps,
                                                               for_print=for_print)


def to_pdf(pack: Pack) -> bytes:
    """The same board pack, printed to PDF by WeasyPrint (A4 landscape, one section per page)."""
    from weasyprint import HTML

    return HTML(string=to_html(pack, for_print=True), base_url=str(TEMPLATES)).write_pdf()
