"""The shared sidebar: which dataset, and the filters every page applies (kept in the URL).

The Segment filter appears once a segmentation is applied (its names are the events' `segment` column)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import streamlit as st

from cjm.errors import CJMError
from cjm.data.filters import Filters, filter_choices
from cjm.ui import data, state
from cjm.ui.safe import md


@st.cache_data(max_entries=32, show_spinner=False)
def _filter_choices(dataset_key: str, _dataset) -> dict:
    return filter_choices(_dataset.events)


def render() -> None:
    spec = state.spec()
    with st.sidebar:
        _dataset_picker(spec)
        for problem in dict.fromkeys(data.missing_files() + spec.problems() + state.problems()):  # saved settings that could not be used
            st.warning(md(problem), icon=":material/warning:")
        try:
            dataset = data.current_dataset()
        except CJMError as exc:
            st.error(md(exc))
            return
        choices = _filter_choices(dataset.key, dataset)
        st.caption("Filters (apply to every page)")
        current = spec.filters
        start = _date(current.start, choices["first"])
        end = _date(current.end, choices["last"])
        picked = st.date_input("Date range", value=(start, end), min_value=choices["first"],
                               max_value=choices["last"], key="cjm.filter.dates",
                               help="Keeps the events inside these days: each journey is cut to the range.")
        channels = st.multiselect("Channel", choices["channel"], default=_keep(current.channels, choices["channel"]),
                                  key="cjm.filter.channels", placeholder="All channels",
                                  help="Keeps only the events of these channels: a journey that crosses channels "
                                       "is cut to them. The funnel's channel breakdown instead keeps every event "
                                       "and groups each customer by their first (or last) touch.",
                                  disabled=not choices["channel"])
        devices = st.multiselect("Device", choices["device"], default=_keep(current.devices, choices["device"]),
                                 key="cjm.filter.devices", placeholder="All devices",
                                 help="Keeps only the events on these devices: a journey is cut to them.",
                                 disabled=not choices["device"])
        segments = current.segments
        if choices["segment"]:
            segments = st.multiselect("Segment", choices["segment"],
                                      default=_keep(current.segments, choices["segment"]),
                                      key="cjm.filter.segments", placeholder="All segments",
                                      help="Keeps the whole journeys of the customers in these segments.")
            segments = _keep(segments, choices["segment"])
        new = _filters(picked, choices, channels, devices, current, segments=segments)
        if new != current:
            state.replace_spec(replace(spec, filters=new))
            st.rerun()


def _dataset_picker(spec) -> None:
    """Demo data or the uploaded files (once there are some); the choice is part of the spec."""
    if not spec.files:
        st.caption("Dataset")
        st.markdown("**Demo data**")
        return
    uploaded = ", ".join(f.name for f in spec.files)
    choice = st.radio("Dataset", ("demo", "upload"), index=0 if spec.source == "demo" else 1,
                      format_func=lambda s: "Demo data" if s == "demo" else uploaded, key="cjm.dataset")
    if choice != spec.source:
        state.replace_spec(replace(spec, source=choice))
        st.rerun()


def _date(value: str | None, default: dt.date) -> dt.date:
    return pd.Timestamp(value).date() if value else default


def _keep(selected, available) -> list[str]:
    return [s for s in selected if s in available]


def _filters(picked, choices, channels, devices, current: Filters, *, segments=None) -> Filters:
    start, end = (picked + (None, None))[:2] if isinstance(picked, tuple) else (picked, None)
    if start is None or end is None:  # the user is half-way through picking a range
        start, end = _date(current.start, choices["first"]), _date(current.end, choices["last"])
    return Filters(start=None if start == choices["first"] else start.isoformat(),
                   end=None if end == choices["last"] else end.isoformat(),
                   channels=tuple(channels), devices=tuple(devices),
                   segments=tuple(current.segments if segments is None else segments))
