"""Comparisons: A/B variants (cjm.experiments) and two periods (cjm.periods), conversion from step 1
per step with the uncertainty shown. Inputs are those modules' outputs; nothing is aggregated here."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cjm.present.charts import segment_scale, titled
from cjm.present.formats import format_number, format_count

PERIOD_SCALE = alt.Scale(domain=["Previous period", "Current period"], range=["#BAB0AC", "#4C78A8"])


def _finding(variant_funnel: pd.DataFrame) -> str:
    compared = variant_funnel[variant_funnel["verdict"].notna()]
    if compared.empty:  # the verdicts name the control; without one, the title does
        control = variant_funnel.loc[variant_funnel["is_control"], "variant"]
        return f"Conversion by variant, against {control.iloc[0]} (control)" if len(control) else "Conversion by variant"
    last_step = compared[compared["step_number"] == compared["step_number"].max()]
    significant = last_step[last_step["significant"]]
    pick = significant.iloc[0] if len(significant) else last_step.iloc[0]
    return str(pick["verdict"])


def variant_funnel_chart(variant_funnel: pd.DataFrame) -> alt.LayerChart:
    """Grouped bars of conversion from step 1 per variant and step, with 95% interval error bars."""
    steps = list(dict.fromkeys(variant_funnel.sort_values("step_number")["step"]))
    variants = list(dict.fromkeys(variant_funnel["variant"]))
    warnings = variant_funnel["warning"].dropna()
    subtitle = str(warnings.iloc[0]) if len(warnings) else "Bars: conversion from the first step; lines: 95% interval"
    base = alt.Chart(variant_funnel).encode(
        x=alt.X("step:N", sort=steps, title="Funnel step", axis=alt.Axis(labelAngle=0, labelLimit=160)),
        xOffset=alt.XOffset("variant:N", sort=variants),
        color=alt.Color("variant:N", scale=segment_scale(variants), title="Variant"),
    )
    tooltip = [
        alt.Tooltip("variant:N", title="Variant"),
        alt.Tooltip("step:N", title="Step"),
        alt.Tooltip("customers:Q", title="Customers", format=","),
        alt.Tooltip("entered:Q", title="Customers at entry", format=","),
        alt.Tooltip("conversion_from_first:Q", title="Conversion from step 1", format=".1%"),
        alt.Tooltip("conversion_low:Q", title="95% interval, low", format=".1%"),
        alt.Tooltip("conversion_high:Q", title="95% interval, high", format=".1%"),
        alt.Tooltip("difference_points:Q", title="Difference vs control (points)", format="+.1f"),
        alt.Tooltip("p_value:Q", title="p-value", format=".3f"),
        alt.Tooltip("verdict:N", title="Verdict"),
    ]
    bars = base.mark_bar().encode(
        y=alt.Y("conversion_from_first:Q", title="Conversion from step 1 (%)", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=tooltip,
    )
    errors = base.mark_errorbar(color="#333", ticks=True).encode(
        y=alt.Y("conversion_low:Q", title="Conversion from step 1 (%)"), y2="conversion_high:Q", tooltip=tooltip,
    )
    chart = alt.layer(bars, errors).properties(height=300, width=max(240, 60 * len(steps) * len(variants)))
    return titled(chart, _finding(variant_funnel), subtitle)


def _period_label(start, end) -> str:
    last_day = pd.Timestamp(end) - pd.Timedelta(microseconds=1)
    return f"{pd.Timestamp(start):%Y-%m-%d} to {last_day:%Y-%m-%d}"


def _period_finding(comparison: pd.DataFrame) -> str:
    significant = comparison[comparison["significant"]]
    if significant.empty:
        return "No significant change in conversion between the two periods"
    biggest = significant.loc[significant["change_points"].abs().idxmax()]
    direction = "rose" if biggest["change_points"] > 0 else "fell"
    p = biggest["p_value"]
    shown = "p<0.001" if p < 0.001 else f"p={p:.2g}"
    return f"Conversion to {biggest['step']} {direction} {format_number(abs(biggest['change_points']), 1)} points ({shown})"


def period_comparison_chart(comparison: pd.DataFrame) -> alt.Chart:
    """Side-by-side bars per step: conversion from step 1 in the previous and the current period."""
    steps = list(comparison.sort_values("step_number")["step"])
    first = comparison.iloc[0]
    subtitle = (f"Previous: {_period_label(first['previous_start'], first['previous_end'])} "
                f"({format_count(int(first['customers_previous']), 'customer')} at step 1); "
                f"current: {_period_label(first['current_start'], first['current_end'])} "
                f"({format_count(int(first['customers_current']), 'customer')} at step 1)") if len(comparison) else None
    data = comparison.drop(columns=["previous_start", "previous_end", "current_start", "current_end"]).rename(
        columns={"conversion_previous": "Previous period", "conversion_current": "Current period"}
    )
    chart = (
        alt.Chart(data)
        .transform_fold(["Previous period", "Current period"], as_=["period", "conversion"])
        .transform_calculate(
            customers="datum.period == 'Current period' ? datum.customers_current : datum.customers_previous"
        )
        .mark_bar()
        .encode(
            x=alt.X("step:N", sort=steps, title="Funnel step", axis=alt.Axis(labelAngle=0, labelLimit=160)),
            xOffset=alt.XOffset("period:N", sort=["Previous period", "Current period"]),
            y=alt.Y("conversion:Q", title="Conversion from step 1 (%)", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("period:N", scale=PERIOD_SCALE, title=None),
            tooltip=[
                alt.Tooltip("step:N", title="Step"),
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("conversion:Q", title="Conversion from step 1", format=".1%"),
                alt.Tooltip("customers:Q", title="Customers", format=","),
                alt.Tooltip("change_points:Q", title="Change (points)", format="+.1f"),
                alt.Tooltip("p_value:Q", title="p-value", format=".3f"),
                alt.Tooltip("significant:N", title="Significant (p < 0.05)"),
            ],
        )
    )
    return titled(chart.properties(height=300, width=max(240, 120 * len(steps))), _period_finding(comparison), subtitle)
