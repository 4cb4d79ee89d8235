"""Reusable widgets: charts and tables with downloads, errors, 'this page needs a column'."""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from cjm.present.formats import NO_VALUE, format_count, format_percent

from cjm.errors import CJMError, EmptyViewError, NoDatesError
from cjm.present.export import chart_png, to_safe_csv
from cjm.ui.safe import md

DATA_PAGE = "app_pages/data.py"
log = logging.getLogger(__name__)


def slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-") or "export"


def chart(chart, data: pd.DataFrame, *, name: str, key: str | None = None) -> None:
    """An Altair chart with PNG and CSV downloads underneath."""
    st.altair_chart(chart, width="stretch", theme=None)
    spec_json = chart.to_json()
    row = st.container(horizontal=True)
    left = right = row
    key = key or slug(name)
    left.download_button("PNG", data=lambda: _png(spec_json), file_name=f"{slug(name)}.png", mime="image/png",
                         key=f"png-{key}", on_click="ignore", icon=":material/image:")
    right.download_button("CSV", data=to_safe_csv(data), file_name=f"{slug(name)}.csv", mime="text/csv",
                          key=f"csv-{key}", on_click="ignore", icon=":material/download:")


@st.cache_data(max_entries=64, show_spinner=False)
def _png(spec_json: str) -> bytes:
    import altair as alt

    return chart_png(alt.Chart.from_json(spec_json))


def table(frame: pd.DataFrame, *, name: str, key: str | None = None, download: pd.DataFrame | None = None,
          **kwargs) -> None:
    """A dataframe with a CSV download (formula cells guarded); `download` replaces what is exported."""
    kwargs.setdefault("placeholder", NO_VALUE)  # a missing value reads "–", never "None"
    st.dataframe(frame, width="stretch", hide_index=True, **kwargs)
    download_csv(frame if download is None else download, name=name, key=key)


def times_on_clock(values, tz=None) -> pd.Series:
    """Times as people read them, 'YYYY-MM-DD HH:MM', on the clock of `tz` (the dataset's time zone:
    cjm.data.clock.dates_clock), UTC's without one; none stays none."""
    stamps = pd.to_datetime(pd.Series(values), utc=True)
    if tz is not None and str(tz) != "UTC":
        stamps = stamps.dt.tz_convert(tz)
    return stamps.dt.strftime("%Y-%m-%d %H:%M")


def clock_title(label: str, tz=None) -> str:
    """A column of times' title naming the zone they are on when it is not UTC: 'Given (America/New_York)'."""
    return label if tz is None or str(tz) == "UTC" else f"{label} ({tz})"


def download_csv(frame: pd.DataFrame, *, name: str, key: str | None = None) -> None:
    """A "Download <name> (CSV)" button (formula cells guarded), e.g. under a table people edit."""
    st.download_button(f"Download {name} (CSV)", data=to_safe_csv(frame), file_name=f"{slug(name)}.csv",
                       mime="text/csv", key=f"csv-{key or slug(name)}", on_click="ignore",
                       icon=":material/download:")


def show_error(exc: CJMError) -> None:
    st.error(md(exc), icon=":material/error:")


def failure_message(what: str, exc: BaseException) -> str:
    """"Could not compute the funnel: reason": one plain line, never a traceback."""
    from cjm.report.build import failure_reason

    reason = failure_reason(what, exc)
    return reason[0].upper() + reason[1:]


@contextmanager
def panel(what: str, *, stop: bool = False):
    """One panel of a page: an error inside it shows on this panel only and the page goes on.

    Data without dates (NoDatesError) is no failure: the page says what would enable the panel, as a note with
    a link to the Data page. A CJMError shows its own message (what was expected, found, how to fix it); any other exception shows
    "Could not compute <what>: <reason>" and its full traceback goes to the server log. With stop=True
    (the page's first panel, whose results every later panel needs) the page stops after the message.
    st.stop() and st.rerun() inside the block pass through (they are not Exceptions).
    """
    try:
        yield
    except EmptyViewError as exc:  # the filters leave nothing: a note, not a failure
        st.info(md(exc), icon=":material/filter_alt_off:")
        if stop:
            st.stop()
    except NoDatesError as exc:
        st.info(md(exc), icon=":material/info:")
        st.page_link(DATA_PAGE, label="Open the Data page", icon=":material/table:")
        if stop:
            st.stop()
    except CJMError as exc:
        show_error(exc)
        if stop:
            st.stop()
    except Exception as exc:
        log.exception("Could not compute %s", what)
        st.error(failure_message(what, exc), icon=":material/error:")
        if stop:
            st.stop()


def needs(what: str, *, column: str | None = None) -> None:
    """Explain which column would enable this page and stop (never an empty chart or a zero)."""
    st.info(f"{what} Map a **{column}** column on the Data page to enable it." if column else what,
            icon=":material/info:")
    st.page_link(DATA_PAGE, label="Open the Data page", icon=":material/table:")
    st.stop()


percent = format_percent  # the app's names for the shared vocabulary (cjm.present.formats)
count = format_count
