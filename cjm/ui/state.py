"""Session state holds user intent only (the dashboard spec), under namespaced keys.

Filters are mirrored into the URL (st.query_params) so a view is shared by copying the address.
"""

from __future__ import annotations

import streamlit as st

from cjm.errors import CJMError
from cjm.data.filters import Filters
from cjm.spec import DashboardSpec

SPEC_KEY = "cjm.spec"
_LIST_PARAMS = ("channels", "devices", "segments")
SOURCE_PARAM, UPLOAD = "data", "upload"  # ?data=upload: this view was showing uploaded files


def spec() -> DashboardSpec:
    if SPEC_KEY not in st.session_state:
        # A reloaded page starts a new session: its uploads are gone, but the address still says it showed
        # uploaded files. Keep "upload" (with no files) so the pages say so instead of showing the demo.
        source = UPLOAD if st.query_params.get(SOURCE_PARAM) == UPLOAD else "demo"
        st.session_state[SPEC_KEY] = DashboardSpec(source=source, filters=filters_from_url())
    return st.session_state[SPEC_KEY]


def replace_spec(new: DashboardSpec) -> None:
    st.session_state[SPEC_KEY] = new
    write_filters_to_url(new.filters)
    write_source_to_url(new)


def write_source_to_url(current: DashboardSpec) -> None:
    """?data=upload while uploaded files are shown (every run: a page switch clears the address)."""
    if current.source == UPLOAD:
        if st.query_params.get(SOURCE_PARAM) != UPLOAD:
            st.query_params[SOURCE_PARAM] = UPLOAD
    elif SOURCE_PARAM in st.query_params:
        del st.query_params[SOURCE_PARAM]


def filters_from_url() -> Filters:
    """The filters the address names; a date it cannot use is reported (problems()) and left out."""
    params = st.query_params
    lists = {k: tuple(params.get_all(k)) for k in _LIST_PARAMS}
    try:
        filters = Filters(start=params.get("start"), end=params.get("end"), **lists)
    except CJMError as exc:
        report_problems("url", [f"The link's date range could not be used: {exc}"])
        return Filters(**lists)
    report_problems("url", [])
    return filters


def write_filters_to_url(filters: Filters) -> None:
    wanted = {"start": filters.start, "end": filters.end}
    for key in ("start", "end"):
        if wanted[key]:
            st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]
    for key in _LIST_PARAMS:
        values = list(getattr(filters, key))
        if values:
            st.query_params[key] = values
        elif key in st.query_params:
            del st.query_params[key]


def page_params(page: str) -> dict:
    """The saved parameters of one page (a JSON dict inside the spec)."""
    return spec().pages.setdefault(page, {})


PROBLEMS_KEY = "cjm.spec.problems"


def problems() -> list[str]:
    """Saved settings that could not be used (shown in the sidebar until the settings are changed)."""
    return list(st.session_state.get(PROBLEMS_KEY, {}).values())


def report_problems(page: str, found: list[str]) -> None:
    """Settings of `page` (or the link) that could not be used: shown in the sidebar until reported empty."""
    _report(page, found)


def _report(page: str, found: list[str]) -> None:
    current = {k: v for k, v in st.session_state.get(PROBLEMS_KEY, {}).items() if not k.startswith(f"{page}.")}
    for i, message in enumerate(found):
        current[f"{page}.{i}"] = message
    st.session_state[PROBLEMS_KEY] = current


def load_params(page: str, cls):
    """A page's parameters as its dataclass, from the spec; None when absent or when the saved values cannot
    be used (what was wrong is reported: `problems()`)."""
    if not page_params(page):
        return None
    params, found = spec().page(page, cls)
    _report(page, found)
    return None if found else params


def save_params(page: str, params, **extra) -> None:
    """Store a page's parameters in the spec (a new spec: saved and shared dashboards keep them)."""
    st.session_state[SPEC_KEY] = spec().with_page(page, params, **extra)
    _report(page, [])


# --- saved and shared dashboards (cjm.ui.share opens them; every page asks these) ----------------------

VIEWER_KEY = "cjm.viewer"  # set when the session opened a read-only share link (?d=<token>)
VIEWS_PAGE = "_views"  # spec.pages entry: what each page shows (tabs, periods, chosen rows), by widget key
_VIEW_PREFIXES = ("cjm.overview.", "cjm.funnel.", "cjm.abandonment.", "cjm.journeys.", "cjm.gaps.", "cjm.segments.",
                  "cjm.sentiment.", "cjm.followup.", "cjm.customer.", "cjm.maps.")


def viewer() -> dict | None:
    """What the share link that opened this session says (title, who shared it, when, data range, lock)."""
    return st.session_state.get(VIEWER_KEY)


def read_only() -> bool:
    """True when the session shows a shared dashboard: editing, upload and mapping controls are hidden."""
    return viewer() is not None


def filters_locked() -> bool:
    return bool((viewer() or {}).get("lock_filters"))


def _view_value(value):
    import datetime as dt

    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, (list, tuple)):
        items = [_view_value(v) for v in value]
        return None if any(i is _SKIP for i in items) else items
    if isinstance(value, bool) or isinstance(value, dict):  # buttons and internal records are not views
        return _SKIP
    if value is None or isinstance(value, (str, int, float)):
        return value
    return _SKIP


_SKIP = object()


def _from_view(value):
    import datetime as dt

    if isinstance(value, dict) and "__date__" in value:
        return dt.date.fromisoformat(value["__date__"])
    if isinstance(value, list):
        items = [_from_view(v) for v in value]
        return tuple(items) if all(isinstance(i, dt.date) for i in items) else items
    return value


def remember_views() -> None:
    """Keep what every page shows (tabs, periods, chosen steps, searches) in the spec, so a saved or shared
    dashboard reopens each page as its sender last saw it. Runs at the start of every script run."""
    from dataclasses import replace

    current = spec()
    views = dict(current.pages.get(VIEWS_PAGE) or {})
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(_VIEW_PREFIXES):
            value = _view_value(st.session_state[key])
            if value is not _SKIP and value is not None:
                views[key] = value
    if views != (current.pages.get(VIEWS_PAGE) or {}):  # specs are replaced, never changed in place
        st.session_state[SPEC_KEY] = replace(current, pages={**current.pages, VIEWS_PAGE: views})


def restore_views(new: DashboardSpec) -> None:
    """Hand a saved dashboard's remembered page views to the widgets before any page draws them."""
    for key, value in (new.pages.get(VIEWS_PAGE) or {}).items():
        if isinstance(key, str) and key.startswith(_VIEW_PREFIXES):
            st.session_state[key] = _from_view(value)
