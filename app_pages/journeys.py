"""Journeys: the paths customers take, how few variants cover most of them, and where they flow next."""

from dataclasses import replace

import streamlit as st

from cjm.journey.paths import compute_transition_matrix, compute_transitions, compute_variants
from cjm.ui import data, journeys, widgets

st.title("Journeys")
st.caption("Every customer's path through the journey stages (or raw touchpoints), consecutive repeats "
           "collapsed: the most common journeys, how customers flow from step to step, and how the journeys "
           "of different groups compare.")
with widgets.panel("the data", stop=True):
    dataset = data.analysed_dataset()

params = journeys.path_controls(dataset)
whole = replace(params, split_by=None)
split_label = journeys.split_options(dataset).get(params.split_by or "", str(params.split_by))
with widgets.panel("the journey variants", stop=True):
    variants = data.run(compute_variants, dataset, params=whole)
    journeys.coverage_metrics(variants)
    journeys.explain_single_steps(dataset, variants, params)

st.subheader("The most common journeys")
with widgets.panel("the most common journeys"):
    journeys.variants_section(variants, params)

split = None
st.subheader("How customers flow from step to step")
with widgets.panel("the flows between steps"):
    flows = data.run(compute_transitions, dataset, params=whole)
    split = data.run(compute_transitions, dataset, params=params) if params.split_by else None
    journeys.flow_section(dataset, params, flows, split, split_label)

st.subheader("Where customers go next")
st.caption("Each row is a step; each cell the share of the customers who were ever at that step and went "
           "directly to the column's step.")
with widgets.panel("where customers go next"):
    matrix = data.run(compute_transition_matrix, dataset, params=whole)
    journeys.matrix_section(dataset, params, matrix)

st.subheader("Several journeys")
with widgets.panel("several journeys"):
    journeys.several_journeys(dataset, params, split, split_label)
