"""Journey-map widgets: template and segment pickers, the drawn grid, edit in place, targets, activities,
comparison and downloads. The map documents live in the dashboard spec (spec.maps, one per template),
so saved and shared dashboards keep every edit; quotes pinned on the Sentiment page wait in the spec
under pages["journey_map"]["pins"] and land in the thoughts lane.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace

import pandas as pd
import streamlit as st

from cjm.errors import CJMError
from cjm.maps import (Activity, JourneyMap, add_activity, build_current_map, build_day_map, build_future_map,
                      compare_maps, compute_projection, compute_target_status, refresh, reset_baselines, set_target)
from cjm.maps.current import segment_names
from cjm.maps.future import hidden_targets, today
from cjm.maps.model import TEMPLATE_NAMES
from cjm.maps.render import drawn_width, export, grid_html
from cjm.present.formats import NO_VALUE, format_duration
from cjm.spec import MapSpec
from cjm.ui import data, state, widgets
from cjm.ui.safe import md

KEY = "cjm.maps."
PAGE = "journey_map"
ALL = "All customers"
KINDS = {"brand": "With the brand", "competitors": "Competitors' touchpoints", "life": "Life outside the brand"}


# --- what the user chose (kept in the spec) -------------------------------------------------------------

def _page() -> dict:
    """This page's saved choices (template, segment, compare, pins): a JSON dict in the spec."""
    return dict(state.spec().pages.get(PAGE) or {})


def _save_page(**values) -> None:
    """A new spec with these choices (specs are replaced, never changed in place)."""
    spec = state.spec()
    page = {**(spec.pages.get(PAGE) or {}), **values}
    if page != spec.pages.get(PAGE):
        st.session_state[state.SPEC_KEY] = replace(spec, pages={**spec.pages, PAGE: page})


def template_picker() -> str:
    saved = _page()
    current = saved.get("template") if saved.get("template") in TEMPLATE_NAMES else "current"
    choice = st.segmented_control("Template", list(TEMPLATE_NAMES), format_func=TEMPLATE_NAMES.get,
                                  default=current, key=KEY + "template", selection_mode="single")
    choice = choice or current
    _save_page(template=choice)
    return choice


def segment_pickers(dataset) -> tuple[str | None, str | None]:
    """The segment the map is drawn for and an optional second one shown side by side."""
    names = data.run(segment_names, dataset)
    saved = _page()
    left, right = st.columns(2)
    if not names:
        left.caption("Segments: none yet. Build them on the Segments page to draw a map per segment.")
        return None, None
    options = [ALL, *names]
    pick = lambda k: saved.get(k) if saved.get(k) in options else ALL  # noqa: E731
    segment = left.selectbox("Segment", options, index=options.index(pick("segment")), key=KEY + "segment")
    compare = right.selectbox("Compare side by side with", [None, *options], key=KEY + "compare",
                              index=([None, *options].index(saved.get("compare")) if saved.get("compare") in options else 0),
                              format_func=lambda s: "No comparison" if s is None else s)
    _save_page(segment=segment, compare=compare)
    return (None if segment == ALL else segment), compare


def _segment_arg(name):
    return None if name in (None, ALL) else name


# --- building and keeping the map ----------------------------------------------------------------------

def fresh_map(dataset, template: str, segment: str | None) -> JourneyMap:
    # Building the map reads every lane from the data: on the demo data the page stayed blank under its
    # template picker for over 10 s with nothing saying it was working (data.run shows no spinner).
    with st.spinner("Building the journey map from the data…", show_time=True):
        if template == "day":
            return data.run(build_day_map, dataset, segment=segment).copy()
        return data.run(build_current_map, dataset, segment=segment).copy()


def _spec_key(template: str, segment: str | None) -> str:
    return template if segment is None else f"{template}:{segment}"


def load_map(dataset, template: str, segment: str | None) -> JourneyMap:
    """The map to show: fresh data with the person's saved work on top (its targets with the baselines they were
    set against: cjm.maps.future)."""
    fresh = fresh_map(dataset, template, segment)
    maps = state.spec().maps
    spec = maps.get(_spec_key(template, segment))
    saved = None
    if spec is not None and spec.document:
        try:
            saved = JourneyMap.from_dict(spec.document)
        except CJMError as exc:
            widgets.show_error(exc)
    if saved is not None:
        jm = refresh(saved, fresh)
    elif template == "future":
        base = maps.get(_spec_key("current", segment))
        current = refresh(JourneyMap.from_dict(base.document), fresh) if base and base.document else fresh
        jm = build_future_map(current)
    else:
        jm = fresh
    if template != "day":
        for pin in _page().get("pins", []):
            jm.pin_quote(pin.get("stage", ""), pin.get("text", ""), customer_id=pin.get("customer_id"),
                         when=pin.get("when"))
    return jm


def save_map(jm: JourneyMap, segment: str | None) -> None:
    spec = state.spec()
    saved = MapSpec(template=jm.template, segment=segment, document=jm.to_dict())
    st.session_state[state.SPEC_KEY] = replace(spec, maps={**spec.maps, _spec_key(jm.template, segment): saved})


def pin_quote(stage: str, text: str, *, customer_id=None, when=None) -> None:
    """Pin a comment to the journey map (its thoughts lane at `stage`)."""
    pins = list(_page().get("pins", []))
    pin = {"stage": str(stage), "text": str(text), "customer_id": None if customer_id is None else str(customer_id),
           "when": when}
    if pin not in pins:
        _save_page(pins=[*pins, pin])


# --- drawing ---------------------------------------------------------------------------------------------

def persona_editor(jm: JourneyMap) -> bool:
    left, right = st.columns([1, 2])
    name = _synced_text(left, "Persona", KEY + "persona", jm.persona.name)
    about = _synced_text(right, "About the persona", KEY + "about", jm.persona.description)
    if (name, about) != (jm.persona.name, jm.persona.description):
        jm.persona.name, jm.persona.description, jm.persona.provenance = name, about, "assumption"
        return True
    return False


def _synced_text(where, label: str, key: str, value: str) -> str:
    """A text input that shows the map's value unless the person has just typed into it (a keyed widget
    would otherwise keep an old map's text after the segment or template changes)."""
    typed = key + ".typed"
    if not st.session_state.pop(typed, False):
        st.session_state[key] = value
    return where.text_input(label, key=key, on_change=lambda: st.session_state.__setitem__(typed, True))


def grid(jm: JourneyMap, *, projection: dict | None = None, marked: set | None = None, fit: bool = False) -> None:
    """The drawn map (every value escaped, so the HTML we hand the iframe is our own; evidence on hover).
    An iframe, because st.html's sanitiser removes SVG. The map is drawn to the page's width (about 940 px,
    cjm.maps.render.PAGE_W) and scaled to the column, but never below 96% (its 12.5 px text stays 12 px
    high: a narrower window scrolls it sideways) nor above 125%. `fit`: scaled to the column whatever its
    width, at least 640 px (two maps side by side)."""
    fragment = grid_html(jm, projection=projection, marked=marked)
    width = drawn_width(jm)
    size = "min-width:640px" if fit else f"min-width:{math.ceil(width * 0.96)}px;max-width:{width * 1.25:.0f}px"
    st.iframe("<!doctype html><html><head><meta charset='utf-8'><style>body{margin:0;font-family:sans-serif}"
              f".cjm-map svg{{width:100%;height:auto;{size}}}</style>"
              f"</head><body>{fragment}</body></html>", height="content")


def _scope(jm: JourneyMap) -> str:
    """Editor keys per template and segment, so edits typed for one map never replay onto another."""
    return jm.template if jm.persona.segment is None else f"{jm.template}.{jm.persona.segment}"


def _number_from(text: str):
    found = re.search(r"[-+]?\d+(?:[.,]\d+)?", text or "")
    return float(found.group(0).replace(",", ".")) if found else None


def cell_editor(jm: JourneyMap) -> bool:
    """Edit in place: one row per lane, one column per stage. An edit of a data cell marks it "edited"."""
    stages, lanes = jm.visible_stages(), jm.visible_lanes()
    frame = pd.DataFrame({s.name: [jm.cell(lane.key, s.key).value for lane in lanes] for s in stages},
                         index=[lane.name for lane in lanes])
    frame.index.name = "Lane"
    edited = st.data_editor(frame, key=KEY + f"cells.{_scope(jm)}", width="stretch",
                            column_config={s.name: st.column_config.TextColumn(s.name) for s in stages})
    changed = False
    for i, lane in enumerate(lanes):
        for j, s in enumerate(stages):
            value = edited.iat[i, j]
            value = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
            if value != jm.cell(lane.key, s.key).value:
                number = _number_from(value) if lane.kind in ("curve", "number") else None
                jm.set_cell(lane.key, s.key, value, number=number)
                changed = True
    return changed


def structure_editor(jm: JourneyMap) -> bool:
    """Rename, reorder, hide and add stages; hide and add lanes."""
    changed = False
    frame = pd.DataFrame({"stage": [s.key for s in jm.stages], "name": [s.name for s in jm.stages],
                          "shown": [not s.hidden for s in jm.stages],
                          "position": list(range(1, len(jm.stages) + 1))})
    edited = st.data_editor(frame, key=KEY + f"stages.{_scope(jm)}", hide_index=True, width="stretch",
                            disabled=["stage"], column_config={
                                "position": st.column_config.NumberColumn("position", min_value=1, step=1)})
    for row in edited.itertuples(index=False):
        stage = jm.stage(row.stage)
        if str(row.name) != stage.name and str(row.name).strip():
            jm.rename_stage(row.stage, str(row.name)); changed = True  # noqa: E702
        if bool(row.shown) == stage.hidden:
            jm.hide_stage(row.stage, not bool(row.shown)); changed = True  # noqa: E702
    order = [r.stage for r in edited.sort_values("position", kind="stable").itertuples(index=False)]
    if order != [s.key for s in jm.stages]:
        jm.stages = [jm.stage(k) for k in order]
        changed = True
    hidden = st.multiselect("Hidden lanes", [lane.name for lane in jm.lanes],
                            default=[lane.name for lane in jm.lanes if lane.hidden], key=KEY + f"lanes.{_scope(jm)}")
    for lane in jm.lanes:
        if lane.hidden != (lane.name in hidden):
            lane.hidden = lane.name in hidden
            changed = True
    left, right = st.columns(2)
    with left.form(KEY + f"add-stage.{jm.template}", clear_on_submit=True, border=False):
        name = st.text_input("New stage")
        if st.form_submit_button("Add stage") and name.strip():
            jm.add_stage(name); changed = True  # noqa: E702
    with right.form(KEY + f"add-lane.{jm.template}", clear_on_submit=True, border=False):
        name = st.text_input("New lane")
        if st.form_submit_button("Add lane") and name.strip():
            jm.add_lane(name); changed = True  # noqa: E702
    return changed


def _pct(x):
    return None if x is None else round(100 * x, 1)


def _same(a, b) -> bool:
    return a == b or (a is not None and b is not None and abs(a - b) < 1e-9)


def _stored(column: str, typed):
    """A target table cell's figure as the target stores it: a percentage as a fraction, hours as seconds."""
    if typed is None:
        return None
    return typed / 100 if column.endswith("%") else typed * 3600 if column.endswith("(hours)") else typed


def target_editor(jm: JourneyMap) -> bool:
    """Per stage: today's conversion, sentiment and time in stage beside the targets a person sets."""
    rows = []
    for s in jm.visible_stages():
        now, target = today(jm, s.key), jm.targets.get(s.key)
        # Today's figures are read-only text: a missing one reads "–", never "None".
        rows.append({"stage": s.key,
                     "conversion today %": NO_VALUE if now["conversion"] is None else f"{_pct(now['conversion']):.1f}",
                     "target conversion %": _pct(target.conversion) if target else None,
                     "sentiment today": NO_VALUE if now["sentiment"] is None else f"{now['sentiment']:+.2f}",
                     "target sentiment": target.sentiment if target else None,
                     "time in stage today": format_duration(now["seconds"]),
                     "target time (hours)": None if not target or target.seconds is None else target.seconds / 3600})
    frame = pd.DataFrame(rows)
    key = KEY + "targets" + ("" if jm.persona.segment is None else f".{jm.persona.segment}")
    edited = st.data_editor(frame, key=key, hide_index=True, width="stretch", placeholder=NO_VALUE,
                            disabled=["stage", "conversion today %", "sentiment today", "time in stage today"],
                            column_config={
                                "target conversion %": st.column_config.NumberColumn(min_value=0.0, max_value=100.0),
                                "target sentiment": st.column_config.NumberColumn(min_value=-1.0, max_value=1.0),
                                "target time (hours)": st.column_config.NumberColumn(min_value=0.0)})
    changed = False
    columns = ("target conversion %", "target sentiment", "target time (hours)")
    for row, before in zip(edited.to_dict("records"), frame.to_dict("records")):
        value = lambda r, k: None if r[k] is None or pd.isna(r[k]) else float(r[k])  # noqa: E731
        target = jm.targets.get(row["stage"])
        have = (target.conversion, target.sentiment, target.seconds) if target else (None, None, None)
        # a measure whose cell still reads as shown keeps its stored value: the table shows 33.3 for a target of
        # 1/3, and writing the shown figure back would change a target nobody touched
        typed = [value(row, k) for k in columns]
        touched = [not _same(a, value(before, k)) for a, k in zip(typed, columns)]
        wanted = tuple(_stored(k, v) if t else h for k, v, t, h in zip(columns, typed, touched, have))
        if any(touched):
            try:
                set_target(jm, row["stage"], conversion=wanted[0], sentiment=wanted[1], seconds=wanted[2])
                changed = True
            except CJMError as exc:
                widgets.show_error(exc)
    if jm.targets and st.button("Reset the targets' baselines to today's data", key=KEY + "reset-baselines",
                                icon=":material/restart_alt:",
                                help="Each target is read against the data's figure when it was set, kept when the "
                                     "map is saved again on newer data. Reset to read them against today's figures."):
        reset_baselines(jm)
        changed = True
    return changed


def _against_today(won: int, had: int) -> dict:
    """The metric delta of a projected figure: "+408 vs today's 422"; no arrow when nothing changes
    (no target set yet), so an unchanged figure never shows a green rise."""
    if won == had:
        return {"delta": f"same as today's {had:,}", "delta_color": "off", "delta_arrow": "off"}
    return {"delta": f"{won - had:+,} vs today's {had:,}"}


def projection_tiles(projection: dict) -> None:
    today, future = projection["today"], projection["projected"]
    left, right, third = st.columns(3)
    left.metric(f"Entries (customers at {md(projection['stages'][0]['stage']) if projection['stages'] else 'the start'})",
                f"{projection['entries']:,}")
    won, had = round(future["conversions"]), round(today["conversions"])  # differences of the shown figures
    right.metric(f"Customers reaching {md(projection['goal'])} if the targets were met", f"{won:,}",
                 **_against_today(won, had))
    if future["revenue"] is not None:
        won, had = round(future["revenue"]), round(today["revenue"])
        third.metric("Revenue if the targets were met", f"{won:,}", **_against_today(won, had))
    else:
        third.caption("Revenue: the data has no revenue column, so the projection counts conversions only.")


def hidden_targets_note(jm: JourneyMap) -> None:
    """Targets on hidden stages are kept, not drawn, and not counted in the projection: say which."""
    kept = hidden_targets(jm)
    if kept:
        st.info(f"Targets kept on hidden stages, not drawn and not counted in the projection until the stage is "
                f"shown again (under “Stages and lanes”): {md('; '.join(kept))}.", icon=":material/visibility_off:")


def target_status(jm: JourneyMap) -> None:
    """Each target of the map shown against today's data (`jm`'s figures), from the baseline it was set against."""
    if not jm.targets:
        return
    status = compute_target_status(jm, jm)
    if status.empty:
        return
    st.caption("Each target against today's data (\"baseline\" is what the data said when the target was set, "
               "kept when the map is saved again until you reset it).")
    widgets.table(status, name="targets against actuals", key="map-targets")


def activity_form(jm: JourneyMap) -> bool:
    with st.form(KEY + "activity", clear_on_submit=True):
        a, b, c, d = st.columns([1, 1, 2, 4])
        start = a.number_input("From hour", 0, 23, 8)
        end = b.number_input("To hour", 1, 24, 9)
        kind = c.selectbox("Kind", list(KINDS), format_func=KINDS.get)
        text = d.text_input("Activity", placeholder="e.g. checks a rival's app on the train")
        if st.form_submit_button("Add activity"):
            try:
                add_activity(jm, Activity(start=int(start), end=int(end), text=text, kind=kind))
                return True
            except CJMError as exc:
                widgets.show_error(exc)
    return False


def comparison(dataset, jm: JourneyMap, other_segment: str) -> None:
    other = fresh_map(dataset, jm.template if jm.template != "future" else "current", _segment_arg(other_segment))
    diff = compare_maps(jm, other)
    marked = {(r.lane, r.stage) for r in diff.itertuples() if r.marked}
    st.caption(f"{len(marked):,} cells differ (red edges): conversion by 5 points or more, sentiment by 0.1 or more, "
               "time in stage by a factor of 1.5, reach or drop-off by 5 points of share, or another top action, "
               "channel or department.")
    left, right = st.columns(2)
    with left:
        grid(jm, marked=marked, fit=True)
    with right:
        grid(other, marked=marked, fit=True)
    if marked:
        widgets.table(diff[diff["marked"]].drop(columns="marked"), name="map differences", key="map-diff")


@st.cache_data(max_entries=32, show_spinner="Drawing the map…")
def _export(map_json: str, fmt: str, projection_json: str) -> bytes:
    projection = json.loads(projection_json)
    return export(JourneyMap.from_json(map_json), fmt, projection=projection or None)


def downloads(jm: JourneyMap, projection: dict | None) -> None:
    row = st.container(horizontal=True)
    map_json, projection_json = jm.to_json(), json.dumps(projection or {})
    name = widgets.slug(jm.title)
    mimes = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "html": "text/html",
             "json": "application/json", "csv": "text/csv"}
    for fmt, mime in mimes.items():
        row.download_button(fmt.upper(), data=lambda f=fmt: _export(map_json, f, projection_json),
                            file_name=f"{name}.{fmt}", mime=mime, key=KEY + f"download.{fmt}", on_click="ignore",
                            icon=":material/download:")


def importer(template: str, segment: str | None) -> None:
    upload = st.file_uploader("Open a map saved as JSON", type=["json"], key=KEY + "import")
    if upload is None:
        return
    marker = KEY + "imported"
    if st.session_state.get(marker) == upload.file_id:
        return
    try:
        jm = JourneyMap.from_json(upload.getvalue().decode("utf-8", errors="replace"))
    except CJMError as exc:
        widgets.show_error(exc)
        return
    st.session_state[marker] = upload.file_id
    save_map(jm, segment)
    _save_page(template=jm.template)
    st.rerun()


def projection_of(jm: JourneyMap) -> dict | None:
    if jm.template != "future" or not jm.baseline.get("funnel_stages"):
        return None
    return compute_projection(jm)
