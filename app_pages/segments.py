"""Segments: groups of customers who behave alike, what sets each apart, what they are worth, and the RFM grid."""

import streamlit as st

from cjm.present.charts.segments import (profile_heatmap_chart, rfm_segments_chart, segment_funnel_chart, segment_pca_chart,
                                 segment_sizes_chart, segment_value_chart, silhouette_chart)
from cjm.errors import CJMError, InsufficientDataError
from cjm.journey.funnel import FunnelParams
from cjm.customers.rfm import compute_rfm, compute_rfm_segments
from cjm.customers.segments import compute_segment_funnel
from cjm.ui import data, state, widgets
from cjm.ui import funnel as funnel_ui
from cjm.ui import segments as ui
from cjm.ui.safe import md

st.title("Segments")
st.caption("Customers grouped by how they behave along the journey. Segments are found on all customers of the "
           "dataset; once found, every page can break down and filter by them (sidebar, Funnel breakdown).")
with widgets.panel("the customer features", stop=True):
    base = data.base_dataset()
    features = ui.customer_features(base)
    params = ui.settings(features)

if ui.applied_params() is None:
    if ui.not_applied(features):
        ui.apply_and_find(base, params)
    st.stop()

with widgets.panel("the segments", stop=True):
    result = ui.find(base, params)
    check = ui.segment_stability(base, params)
    dataset = data.current_dataset()

ui.headline(result, check)
names = result.names
tabs = st.tabs(["Segments", "Profiles", "Map", "Funnel", "Quality", "RFM", "Export"], key="cjm.segments.tab",
               on_change="rerun")
overview, profiles, pca, funnel, quality, rfm, export = tabs

if overview.open:
    with overview:
        ui.chart(segment_sizes_chart(result.profiles, names=names), result.profiles, name="segment sizes",
                 rows=result.k)
        st.subheader("Value per segment: which segments are most profitable")
        try:
            ui.chart(segment_value_chart(result.profiles, names=names), result.profiles, name="value per segment",
                     rows=result.k)
        except InsufficientDataError as exc:
            st.info(f"Value per segment: {md(exc)}", icon=":material/info:")
        st.subheader("How many segments? The silhouette per k")
        ui.chart(silhouette_chart(result.silhouette, k=result.k, fixed=params.k is not None,
                                  sweep=result.segmenter.sweep_sample_), result.silhouette,
                 name="silhouette per k")

if profiles.open:
    with profiles:
        ui.chart(profile_heatmap_chart(result.differences, names=names), result.differences,
                 name="segment profiles heat map", rows=result.k + 4)
        ui.profile_table(result)
        with st.expander("Each feature's mean in each segment versus overall"):
            ui.differences_table(result)

if pca.open:
    with pca:
        ui.chart(segment_pca_chart(result.points), result.points, name="segments map", height=480)
        st.caption("Each dot is a customer, placed by the two directions in which customers differ most.")

if funnel.open:
    with funnel:
        steps = state.load_params("funnel", FunnelParams)
        steps = steps if steps is not None and funnel_ui.fits(steps, dataset) else funnel_ui.default_params(dataset)
        st.caption(funnel_ui.describe(steps) + " · the funnel of the Funnel page")
        number = ui.choose_segment(result)
        try:
            compared = data.run(compute_segment_funnel, dataset, params=steps, segment=names[number])
            ui.chart(segment_funnel_chart(compared, segment_number=number), compared, name="segment funnel",
                     height=320)
            funnel_ui.table(compared, funnel_ui.GROUP_STEP_COLUMNS, name="segment funnel table")
        except CJMError as exc:
            widgets.show_error(exc)

if quality.open:
    with quality:
        ui.quality(result, check)

if rfm.open:
    with rfm:
        st.caption("The rule-based alternative: recency, frequency and spend scored 1 to 5 by fifths of customers "
                   "(frequency and spend by fifths of those who bought; who never bought scores 1), then the "
                   "standard named groups (Champions, Loyal, At risk, Lost, ...); customers who never bought are "
                   "'Never bought'.")
        try:
            scores = data.run(compute_rfm, dataset)
            summary = compute_rfm_segments(scores)
            ui.chart(rfm_segments_chart(summary), summary, name="rfm segments", rows=len(summary))
            for note in scores.attrs.get("notes") or ():
                st.caption(md(note))
            with st.expander("Every customer's RFM scores"):
                ui.rfm_table(scores)
        except CJMError as exc:
            st.info(f"RFM scoring cannot run on this data: {md(exc)}", icon=":material/info:")

if export.open:
    with export:
        ui.export(result)
