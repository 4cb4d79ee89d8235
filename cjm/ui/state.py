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


def spec() -> DashboardSpec:
    if SPEC_KEY not in st.session_state:
        st.session_state[SPEC_KEY] = DashboardSpec(filters=filters_from_url())
    return st.session_state[SPEC_KEY]


def replace_spec(new: DashboardSpec) -> None:
    st.session_state[SPEC_KEY] = new
    write_filters_to_url(new.filters)


def filters_from_url() -> Filters:
    params = st.query_params
    try:
        return Filters(start=params.get("start"), end=params.get("end"),
                       **{k: tuple(params.get_all(k)) for k in _LIST_PARAMS})
    except CJMError:
        return Filters()


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


def _report(page: str, found: list[str]) -> None:
    current = dict(st.session_state.get(PROBLEMS_KEY, {}))
    for i, message in enumerate(found):
        current[f"{page}.{i}"] = message
    if not found:
        current = {k: v for k, v in current.items() if not k.startswith(f"{page}.")}
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
