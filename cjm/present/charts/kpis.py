"""KPI charts from cjm.journey.kpis.compute_kpis output: tiles for static exports and the change against the
previous period. Unavailable KPIs are listed with what would enable them, never drawn as 0."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cjm.present.charts import titled

# Neutral colours: whether "up" is good depends on the KPI (a rising bounce rate is bad news).
CHANGE_COLORS = alt.Scale(domain=["up", "down", "no change"], range=["#4C78A8", "#F58518", "#BAB0AC"])


def kpi_tiles_chart(kpis: pd.DataFrame) -> alt.Chart:
    """One line per KPI: label, value as people read it, change against the previous period."""
    data = kpis.assign(
        shown=kpis["display"].where(kpis["available"], "not available"),
        note=kpis["change_display"].where(kpis["available"], "needs " + kpis["needs"].fillna("").astype(str)),
    )
    available = int(kpis["available"].sum())
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=list(data["label"]), title=None, axis=alt.Axis(labelLimit=260, ticks=False, domain=False)),
        tooltip=[
            alt.Tooltip("label:N", title="KPI"),
            alt.Tooltip("shown:N", title="Value"),
            alt.Tooltip("change_display:N", title="Change vs previous period"),
            alt.Tooltip("needs:N", title="Needs"),
        ],
    )
    value = base.mark_text(align="left", fontSize=14, fontWeight="bold").encode(
        x=alt.value(10), text="shown:N", color=alt.condition("datum.available", alt.value("#222"), alt.value("#999"))
    )
    note = base.mark_text(align="left", color="#666").encode(x=alt.value(120), text="note:N")
    chart = alt.layer(value, note).properties(width=420, height=26 * max(len(data), 1), view=alt.ViewConfig(stroke=None))
    return titled(chart, "Journey KPIs",
                  f"{available} of {len(data)} KPIs available in this dataset; grey: change against the previous period")


def kpi_change_chart(kpis: pd.DataFrame) -> alt.Chart:
    """Relative change of each available KPI against the previous period (diverging bars)."""
    data = kpis[kpis["available"] & kpis["previous"].notna() & kpis["value"].notna()]
    chart = (
        alt.Chart(data)
        .transform_calculate(
            relative="datum.previous == 0 ? null : (datum.value - datum.previous) / abs(datum.previous)",
            direction="datum.value > datum.previous ? 'up' : datum.value < datum.previous ? 'down' : 'no change'",
        )
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=list(data["label"]), title=None),
            x=alt.X("relative:Q", title="Change against the previous period (%)", axis=alt.Axis(format="%")),
            color=alt.Color("direction:N", scale=CHANGE_COLORS, title=None),
            tooltip=[
                alt.Tooltip("label:N", title="KPI"),
                alt.Tooltip("display:N", title="This period"),
                alt.Tooltip("previous:Q", title="Previous period", format=",.3~f"),
                alt.Tooltip("change_display:N", title="Change"),
                alt.Tooltip("relative:Q", title="Relative change", format="+.1%"),
            ],
        )
    )
    title = "How the KPIs moved against the previous period" if len(data) else "No previous period to compare with"
    return titled(chart.properties(height=28 * max(len(data), 1) + 20), title)
