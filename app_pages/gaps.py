"""Gaps: where customers switch device, channel or department, and what each switch costs."""

from dataclasses import replace

import streamlit as st

from cjm.journey.gaps import compute_gaps_and_stages, route_forward_note
from cjm.ui import data, journeys, widgets

st.title("Gaps")
st.caption("A gap is a switch between two consecutive events of one customer: from mobile to desktop, from "
           "social to web, from sales to support. Each switch is compared with the customers at the same journey "
           "stage who did not switch: did the switchers move on to the next stage as often?")
with widgets.panel("the data", stop=True):
    dataset = data.analysed_dataset()

params = journeys.gap_controls(dataset)
with widgets.panel("the gaps", stop=True):
    found, where = data.run(compute_gaps_and_stages, dataset, params=params)

if found.empty:
    rarer = params.min_customers > 1 and not data.run(
        compute_gaps_and_stages, dataset, params=replace(params, min_customers=1))[0].empty
    least = f" by at least {params.min_customers:,} customers" if rarer else ""  # lowering it must find some
    st.info(f"No customer switched {params.dimension} between two consecutive events{least}. "
            + ("Lower the minimum under “Analyst controls” to list rarer switches." if least else
               f"Every customer stays on one {params.dimension}: there is no gap to measure."),
            icon=":material/info:")
    st.stop()

st.subheader(f"The {params.dimension} switches that cost the most customers")
with widgets.panel("the gap headlines"):
    journeys.gap_headlines(found, params, route_forward_note(where, dimension=params.dimension))
with widgets.panel("the gap details"):
    journeys.gap_sections(dataset, found, where, params)

st.subheader("Then and now: have new gaps appeared?")
st.caption("The same switches in two periods: new ones nobody made before, ones made in both, ones nobody makes any "
           "more. Each period counts the switches made inside it, as the date filter would.")
with widgets.panel("the gaps then and now"):
    journeys.gap_periods(dataset, params)
