"""Funnel: how many customers reach each step, how fast, who drops, and A/B and period comparisons."""

from dataclasses import replace

import streamlit as st

from cjm.present.charts.experiments import period_comparison_chart, variant_funnel_chart
from cjm.present.charts.funnel import conversion_over_time_chart, funnel_breakdown_chart, funnel_chart, time_to_convert_chart
from cjm.data.clock import dates_clock
from cjm.errors import InsufficientDataError
from cjm.journey.experiments import compare_arms, count_arm_funnels
from cjm.journey.funnel import (compute_conversion_over_time, compute_dropped, compute_funnel, compute_next_after_drop,
                        compute_time_to_convert)
from cjm.journey.periods import compare_periods
from cjm.journey.funnel.validate import count_undated
from cjm.ui import data, state, widgets
from cjm.ui import funnel as ui
from cjm.ui.safe import md

DROPPED_LIMIT = 50_000

st.title("Funnel")
with widgets.panel("the data", stop=True):
    dataset = data.analysed_dataset()
ui.single_touchpoint(dataset, "Funnel")
ui.undated_note(data.run(count_undated, dataset), "the funnel")
with widgets.panel("the funnel", stop=True):
    params = ui.settings(dataset)
    overall = replace(params, breakdown=None)
    funnel = data.run(compute_funnel, dataset, params=overall)

tabs = st.tabs(["Funnel", "Breakdown", "Over time", "Who dropped", "A/B test", "Period comparison"],
               key="cjm.funnel.tab", on_change="rerun")
overview, breakdown, over_time, dropped, ab_test, periods = tabs

if overview.open:
    with overview, widgets.panel("the funnel chart"):
        ui.headline(funnel)
        note = st.empty()  # the longest window's note, above the chart but computed once the chart is drawn
        ui.chart(funnel_chart(funnel), funnel, name="funnel", rows=len(funnel))
        ui.table(funnel, ui.STEP_COLUMNS, name="funnel steps")
        if (wider := ui.widest(overall)) is not None:
            with note.container():
                ui.window_note(funnel, data.run(compute_funnel, dataset, params=wider), overall)

if breakdown.open:
    with breakdown:
        split = ui.breakdown_controls(dataset, params)
        if split is not None:
            st.caption(ui.breakdown_note(split.breakdown, state.spec().filters))
            with widgets.panel(f"the funnel by {split.breakdown}"):
                groups = data.run(compute_funnel, dataset, params=split)
                ui.chart(funnel_breakdown_chart(groups), groups, name=f"funnel by {split.breakdown}")
                ui.table(groups, ui.GROUP_STEP_COLUMNS, name=f"funnel by {split.breakdown} table")

if over_time.open:
    with over_time, widgets.panel("conversion over time"):
        period = st.radio("Group customers by the", ["day", "week", "month"], index=1, horizontal=True,
                          key="cjm.funnel.period", format_func=lambda p: f"{p} they entered")
        trend = data.run(compute_conversion_over_time, dataset, params=overall, period=period)
        ui.chart(conversion_over_time_chart(trend, period=period, last_step=funnel["step"].iloc[-1]), trend,
                 name="conversion over time")
        times = data.run(compute_time_to_convert, dataset, params=overall)
        ui.chart(time_to_convert_chart(times), times, name="time to convert", height=320)

if dropped.open:
    with dropped, widgets.panel("who dropped"):
        if not funnel["dropped"].sum():
            st.info("No customer dropped out of this funnel.", icon=":material/info:")
        else:
            step = ui.dropped_step(funnel)
            after = data.run(compute_next_after_drop, dataset, params=overall, step=step)
            who = data.run(compute_dropped, dataset, params=overall, step=step, limit=DROPPED_LIMIT)
            if len(after):
                top = after.iloc[0]
                st.markdown(f"After dropping, **{widgets.percent(top['share'])}** of them did **{md(top['event'])}** "
                            f"(the most common next event); {widgets.count(len(who))} customers are listed below.")
            else:
                st.markdown("None of these customers did anything after dropping.")
            ui.table(after.head(10), ui.NEXT_COLUMNS, name="what they did next")
            ui.table(who, ui.DROPPED_COLUMNS, name=f"customers who dropped before {funnel['step'].iloc[step - 1]}",
                     key="dropped-customers", tz=dates_clock(dataset).tz)
            if len(who) == DROPPED_LIMIT:
                st.caption(f"Showing the {DROPPED_LIMIT:,} most recently active customers.")

if ab_test.open:
    with ab_test, widgets.panel("the A/B test"):
        if not dataset.has("variant"):
            st.info("An A/B comparison needs a **variant** column (which test arm each customer saw, e.g. A / B). "
                    "Map your experiment-group column on the Data page to enable it.", icon=":material/info:")
            st.page_link(widgets.DATA_PAGE, label="Open the Data page", icon=":material/table:")
        else:
            try:
                counts = data.run(count_arm_funnels, dataset, params=overall)  # any control compares these
                arms = compare_arms(counts, control=ui.control_arm(compare_arms(counts)))
                ui.verdict(arms)
                ui.chart(variant_funnel_chart(arms), arms, name="conversion by variant", height=320)
                ui.table(arms, ui.variant_columns(arms), name="variant comparison")
            except InsufficientDataError as exc:
                st.info(md(exc), icon=":material/info:")

if periods.open:
    with periods, widgets.panel("the period comparison"):
        comparison = data.run(compare_periods, dataset, params=overall)
        chosen = ui.periods(comparison)
        if chosen:
            comparison = data.run(compare_periods, dataset, params=overall, **chosen)
        ui.compared_periods(comparison, default=not chosen)
        ui.chart(period_comparison_chart(comparison), comparison, name="period comparison", height=320)
        ui.period_changes(comparison)
        ui.table(comparison, ui.PERIOD_COLUMNS, name="period comparison table")
