"""KPI tiles: one st.metric per KPI with its change against the previous period, both periods named."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cjm.data.contacts import RULE as SUPPORT_RULE
from cjm.journey.kpi_period import PERIODS, KpiParams, period_sentence, thin_period_note
from cjm.journey.kpis import KPIS, MEANINGS
from cjm.present.formats import format_value
from cjm.ui import state
from cjm.ui.safe import md

LOWER_IS_BETTER = {"bounce_rate", "checkout_abandonment", "support_contacts_per_customer"}
# A tile shows about 22 characters of its label at 1280-1400 px with four tiles a row; longer labels were cut
# ("Scroll rate (half the page o…", "Support contacts per cust…"). Such a tile gets a short label and its help
# starts with the full one.
TILE_CHARS = 22
SHORT_LABELS = {"scroll_rate": "Scroll rate", "support_contacts_per_customer": "Support per customer",
                "average_order_value": "Avg. order value"}


def tile_label(name: str, label: str) -> str:
    """The label a KPI tile shows: `label`, or its short form when `label` would be cut."""
    if len(label) <= TILE_CHARS or name not in SHORT_LABELS:
        return label
    return label.replace(KPIS[name][0], SHORT_LABELS[name], 1)


def period_control() -> KpiParams:
    """The period the tiles cover (saved in the dashboard spec, so a shared dashboard opens on it)."""
    saved = state.load_params("overview", KpiParams) or KpiParams()
    keys = list(PERIODS)
    period = st.radio("Period", keys, index=keys.index(saved.period), horizontal=True, key="cjm.overview.period",
                      format_func=lambda key: PERIODS[key][0],
                      help="The tiles cover this much of the data, up to its last event, and compare it with the "
                           "same length just before; data shorter than two such periods is split into its two halves. "
                           "All data compares with nothing.")
    params = KpiParams(period=period)
    state.save_params("overview", params)
    return params


def thin_period(kpis: pd.DataFrame, reach: pd.DataFrame, params: KpiParams, *,
                end: str = "the end of the data") -> None:
    """Say so when the tiles' period holds few of the data's customers (`reach`: compute_stage_reach's table; `end`:
    thin_period_note's)."""
    note = thin_period_note(kpis, all_customers=int(reach["total_customers"].iloc[0]) if len(reach) else 0,
                            params=params, end=end)
    if note:
        st.info(md(note), icon=":material/date_range:")


def tile_help(row) -> str:
    """The help of a KPI tile (`row`: a row of compute_kpis' table): its full label when the tile shortens it, the
    period, and the previous period's value written as the tile writes its own (20.9%, 11,427.03; "{:,.4g}" wrote
    0.2094 beside a tile of 20.8% and 1.143e+04 for money)."""
    label = tile_label(row.name, row.label)
    text = (f"{row.label}: " if label != row.label else "") + f"{MEANINGS[row.name]} {row.period}."
    if row.previous_period:
        earlier = format_value(row.previous, row.unit) if pd.notna(row.previous) else "no data"
        text += f" Previous period ({row.previous_period}): {earlier}."
    if row.name == "support_contacts_per_customer":
        text += " " + SUPPORT_RULE
    return text


def tiles(kpis: pd.DataFrame, *, per_row: int = 4) -> None:
    st.caption(period_sentence(kpis))
    available = kpis[kpis["available"]]
    for start in range(0, len(available), per_row):
        columns = st.columns(per_row)
        for column, row in zip(columns, available.iloc[start:start + per_row].itertuples(index=False)):
            label = tile_label(row.name, row.label)
            help_text = tile_help(row)
            unchanged = pd.notna(row.change) and row.change == 0  # "+0.0 pts" with a green up arrow read as a rise
            column.metric(label, row.display, delta=row.change_display or None,
                          delta_color="off" if unchanged else "inverse" if row.name in LOWER_IS_BETTER else "normal",
                          delta_arrow="off" if unchanged else "auto", help=help_text, border=True)
    missing = kpis[~kpis["available"]]
    if len(missing):
        lines = "\n".join(f"- **{row.label}** needs {row.needs}" for row in missing.itertuples(index=False))
        with st.expander(f"{len(missing)} more KPIs need other columns"):
            st.markdown(lines)
