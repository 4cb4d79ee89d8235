"""The shared sidebar: which dataset, and the filters every page applies (kept in the URL).

The Segment filter appears once a segmentation is applied (its names are the events' `segment` column)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

import pandas as pd
import streamlit as st

from cjm.engine import settle_imports
from cjm.errors import CJMError
from cjm.data.clock import dates_clock
from cjm.data.filters import Filters, filter_choices
from cjm.ui import connect, data, share, state
from cjm.ui.safe import md


@st.cache_data(max_entries=32, show_spinner=False)
def _filter_choices(dataset_key: str, _dataset) -> dict:
    clock = dates_clock(_dataset)  # the first and last day are the dataset's time zone's dates, as the range's days
    return {**filter_choices(_dataset.events, tz=clock.tz), "days": clock.days()}


def render() -> None:
    settle_imports()  # once a run's pages have imported their modules, the collector stops walking them
    spec = state.spec()
    state.write_source_to_url(spec)
    state.remember_views()
    share.banner()
    locked = state.filters_locked()
    with st.sidebar:
        _dataset_picker(spec)
        for problem in dict.fromkeys(data.missing_files() + spec.problems() + state.problems()):  # saved settings that could not be used
            st.warning(md(problem), icon=":material/warning:")
        try:
            dataset = data.current_dataset()
        except CJMError as exc:
            if spec.source == "upload" and not spec.files:
                st.warning("The uploaded file is no longer here (the page was reloaded).", icon=":material/warning:")
            else:
                st.error(md(exc))
            if spec.source == "upload":
                st.page_link("app_pages/data.py", label="Upload again", icon=":material/upload:")
                if st.button("Use the demo data", key="cjm.dataset.demo", icon=":material/undo:"):
                    state.replace_spec(replace(spec, source="demo"))
                    st.rerun()
            return
        choices = _filter_choices(dataset.key, dataset)
        st.caption("Filters (apply to every page)")
        current = spec.filters
        if choices["first"] is None:  # an export without dates (each row one respondent) has no range
            st.caption("No dates in this data: there is no date range to filter.")
            picked = (None, None)
        else:
            start = _date(current.start, choices["first"])
            end = _date(current.end, choices["last"])
            # a link's range may lie outside this data (saved before the data changed): shown as it is, and the
            # pages say it leaves nothing, rather than the widget refusing the link
            picked = st.date_input("Date range", value=(start, end), min_value=min(choices["first"], start),
                                   max_value=max(choices["last"], end), key="cjm.filter.dates", disabled=locked,
                                   help="Keeps the events inside these days: each journey is cut to the range. "
                                        + md(choices["days"]))
            st.caption(md(choices["days"]))  # which days: the data's time zone, or UTC and why
        channels = st.multiselect("Channel", choices["channel"], default=_keep(current.channels, choices["channel"]),
                                  key="cjm.filter.channels", placeholder="All channels",
                                  help="Keeps only the events of these channels: a journey that crosses channels "
                                       "is cut to them. The funnel's channel breakdown instead keeps every event "
                                       "and groups each customer by their first (or last) touch.",
                                  disabled=locked or not choices["channel"])
        devices = st.multiselect("Device", choices["device"], default=_keep(current.devices, choices["device"]),
                                 key="cjm.filter.devices", placeholder="All devices",
                                 help="Keeps only the events on these devices: a journey is cut to them.",
                                 disabled=locked or not choices["device"])
        segments = current.segments
        if choices["segment"]:
            segments = st.multiselect("Segment", choices["segment"],
                                      default=_keep(current.segments, choices["segment"]),
                                      key="cjm.filter.segments", placeholder="All segments", disabled=locked,
                                      help="Keeps the whole journeys of the customers in these segments.")
            segments = _keep(segments, choices["segment"])
        new = _filters(picked, choices, channels, devices, current, segments=segments)
        unknown = _unknown_values(current, choices)
        if unknown or new != current:  # reported until the viewer changes the filters themselves
            state.report_problems("filters", unknown)
        if new != current and not locked:
            state.replace_spec(replace(spec, filters=new))
            st.rerun()
        if locked:
            st.caption("The sender locked these filters.")
        st.caption("Board pack of this dashboard")
        share.board_pack_downloads(st.sidebar, key="sidebar")


DATASET_KEY = "cjm.dataset"


def _dataset_picker(spec) -> None:
    """Demo data or the uploaded files (once there are some); the choice is part of the spec."""
    if spec.source == "snapshot":  # a saved dashboard's data (cjm.ui.share opened it)
        st.caption("Dataset")
        st.text(spec.files[0].name if spec.files else "Saved data")  # a file name is data: shown as text
        if not state.read_only() and st.button("Back to the demo data", key="cjm.dataset.demo", icon=":material/undo:"):
            state.replace_spec(replace(spec, source="demo", files=[]))
            st.rerun()
        return
    if spec.source == "connect":  # a table where it lives (Data page -> Connect)
        conn = st.session_state.get("cjm.connection") or {}
        st.caption("Dataset")
        st.text("Connected: " + (conn.get("table") or conn.get("source") or "a table"))
        if connect.read_at(conn):
            st.caption(f"Read at {connect.read_at(conn)}")
        return
    if not spec.files:
        st.caption("Dataset")
        st.markdown("**Uploaded file (no longer here)**" if spec.source == "upload" else "**Demo data**")
        return
    uploaded = ", ".join(f.name for f in spec.files)
    # A key of its own per set of files: a radio whose option label changes under one key (a second file
    # uploaded) is shown with neither option selected.
    key = DATASET_KEY + "." + hashlib.sha1(uploaded.encode()).hexdigest()[:8]
    choice = st.radio("Dataset", ("demo", "upload"), index=0 if spec.source == "demo" else 1,
                      format_func=lambda s: "Demo data" if s == "demo" else uploaded, key=key)
    if choice != spec.source:
        state.replace_spec(replace(spec, source=choice))
        st.rerun()


def _date(value: str | None, default: dt.date) -> dt.date:
    return pd.Timestamp(value).date() if value else default


def _unknown_values(current: Filters, choices: dict) -> list[str]:
    """A filter value (from a link or a saved dashboard) that this data does not hold: named, never silently dropped."""
    found = []
    for key, word in (("channels", "channel"), ("devices", "device"), ("segments", "segment")):
        if key == "segments" and not choices["segment"]:  # no segmentation applied yet: kept for when it is
            continue
        missing = [v for v in getattr(current, key) if v not in choices[word]]
        if missing:
            names = ", ".join(repr(v) for v in missing)
            found.append(f"The {word} filter names {names}, which this data does not have: it is left out.")
    return found


def _keep(selected, available) -> list[str]:
    return [s for s in selected if s in available]


def _filters(picked, choices, channels, devices, current: Filters, *, segments=None) -> Filters:
    start, end = (picked + (None, None))[:2] if isinstance(picked, tuple) else (picked, None)
    if start is None or end is None:  # the user is half-way through picking a range
        start, end = _date(current.start, choices["first"]), _date(current.end, choices["last"])
    return Filters(start=None if start == choices["first"] or start is None else start.isoformat(),
                   end=None if end == choices["last"] or end is None else end.isoformat(),
                   channels=tuple(channels), devices=tuple(devices),
                   segments=tuple(current.segments if segments is None else segments))
