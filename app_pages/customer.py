"""Customer: one customer's whole story, the context an agent needs when that customer calls."""

import streamlit as st

from cjm.data.clock import dates_clock
from cjm.journey.timeline import compute_customer_summary, compute_customer_timeline
from cjm.ui import data, journeys, voice, widgets

st.title("Customer")
st.caption("Find a customer by id, or open this page from another page's list (the address carries "
           "?customer=ID, so it can be shared). Sidebar filters apply to the events shown.")
with widgets.panel("the data", stop=True):
    dataset = data.analysed_dataset()

customer_id = journeys.pick_customer(dataset)
segments = dataset.customers if journeys.customers_have_segments(dataset) else None
with widgets.panel("this customer's profile", stop=True):
    summary = data.run(compute_customer_summary, dataset, customer_id=customer_id, segments=segments)
    journeys.customer_profile(summary, tz=dates_clock(dataset).tz)
with widgets.panel("this customer's risk of leaving"):
    voice.customer_risk(dataset, customer_id)
with widgets.panel("this customer's timeline"):
    events = data.run(compute_customer_timeline, dataset, customer_id=customer_id)
    journeys.customer_timeline(dataset, events, customer_id)
