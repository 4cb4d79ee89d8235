"""Abandonment: where customers give up, who is still in progress, checkout abandonment, last touchpoints."""

from dataclasses import replace

import streamlit as st

from cjm.journey.abandonment import (compute_abandonment, compute_abandonment_by, compute_checkout_abandonment,
                             compute_last_touchpoints, compute_time_to_abandon)
from cjm.present.charts.abandonment import abandonment_chart, checkout_abandonment_chart, last_touchpoints_chart
from cjm.data.views import end_phrase
from cjm.errors import InsufficientDataError
from cjm.journey.funnel import compute_funnel
from cjm.journey.funnel.validate import count_undated
from cjm.ui import data, widgets
from cjm.ui import funnel as ui

st.title("Abandonment")
with widgets.panel("the data", stop=True):
    dataset = data.analysed_dataset()
    at_end = data.run(end_phrase, dataset)  # a date filter's range when its end cut the data
st.caption("A customer abandons at a step when they reached the step before but not this one and their conversion "
           f"window has closed. Customers whose window is still open at {at_end} are *in progress*, "
           "never counted as abandoned.")
ui.single_touchpoint(dataset, "Abandonment")
ui.undated_note(data.run(count_undated, dataset), "abandonment")
with widgets.panel("the abandonment per step", stop=True):
    params = ui.settings(dataset)
    steps = data.run(compute_abandonment, dataset, params=params)

st.subheader("Drop-off per step")
with widgets.panel("the drop-off per step"):
    ui.abandonment_tiles(steps, end=at_end)
    ui.mostly_in_progress(steps, end=at_end)
    note = st.empty()  # the longest window's note, above the chart but computed once the chart is drawn
    ui.chart(abandonment_chart(steps, end=at_end), steps, name="abandonment per step", rows=len(steps))
    ui.table(steps, ui.ABANDONMENT_COLUMNS, name="abandonment per step table")
    if (wider := ui.widest(overall := replace(params, breakdown=None))) is not None:  # deals that close in weeks
        with note.container():
            ui.window_note(data.run(compute_funnel, dataset, params=overall),
                           data.run(compute_funnel, dataset, params=wider), overall)

stages = ui.stage_params(dataset, params)
if stages is not None and stages.steps != params.steps:
    st.subheader("Drop-off per journey stage")
    with widgets.panel("the drop-off per journey stage"):
        by_stage = data.run(compute_abandonment, dataset, params=stages)
        ui.chart(abandonment_chart(by_stage, end=at_end), by_stage, name="abandonment per stage",
                 rows=len(by_stage))

st.subheader("Checkout abandonment")
with widgets.panel("the checkout abandonment"):
    try:
        roles = ui.checkout_events(dataset)
        checkout = data.run(compute_checkout_abandonment, dataset, window_seconds=params.window_seconds, **roles)
        ui.checkout_summary(checkout, end=at_end)
        ui.chart(checkout_abandonment_chart(checkout), ui.checkout_frame(checkout), name="checkout abandonment",
                 height=70)
    except InsufficientDataError:
        ui.no_checkout(dataset)

st.subheader("Abandonment by channel and device")
columns = [c for c in ("channel", "device") if dataset.has(c)]
if not columns:
    st.info("Map a **channel** or **device** column on the Data page to compare abandonment between them.",
            icon=":material/info:")
for column in columns:
    with widgets.panel(f"the abandonment by {column}"):
        split = data.run(compute_abandonment_by, dataset, params=params, column=column)
        ui.by_group_table(split, column)

st.subheader("Time from the last step to abandoning")
st.caption("From the last funnel step a customer reached to their last activity before their window closed.")
with widgets.panel("the time to abandon"):
    waited = data.run(compute_time_to_abandon, dataset, params=params)
    if len(waited):
        ui.table(waited, ui.TIME_TO_ABANDON_COLUMNS, name="time to abandon")
    else:
        st.info("No customer has abandoned this funnel yet.", icon=":material/info:")

st.subheader("Last touchpoint before abandoning")
with widgets.panel("the last touchpoints before abandoning"):
    if steps["abandoned"].sum():
        step = ui.abandoned_step(steps)
        last = data.run(compute_last_touchpoints, dataset, params=params, step=step)
        name = steps.loc[steps["step_number"] == step, "step"].iloc[0]
        ui.chart(last_touchpoints_chart(last, step=name), last, name="last touchpoints", rows=min(len(last), 10))
        ui.table(last, ui.TOUCHPOINT_COLUMNS, name="last touchpoints table")
    else:
        st.info("No customer has abandoned this funnel yet.", icon=":material/info:")
