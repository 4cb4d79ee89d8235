"""Customer: one customer's whole story, the context an agent needs when that customer calls."""

import streamlit as st

from cjm.errors import CJMError
from cjm.journey.timeline import compute_customer_summary, compute_customer_timeline
from cjm.ui import data, journeys, voice, widgets

st.title("Customer")
st.caption("Find a customer by id, or open this page from another page's list (the address carries "
           "?customer=ID, so it can be shared). Sidebar filters apply to the events shown.")
try:
    dataset = data.current_dataset()
except CJMError as exc:
    widgets.show_error(exc)
    st.stop()

customer_id = journeys.pick_customer(dataset)
segments = dataset.customers if journeys.customers_have_segments(dataset) else None
try:
    summary = data.run(compute_customer_summary, dataset, customer_id=customer_id, segments=segments)
    events = data.run(compute_customer_timeline, dataset, customer_id=customer_id)
except CJMError as exc:
    widgets.show_error(exc)
    st.stop()

journeys.customer_profile(summary)
voice.customer_risk(dataset, customer_id)
journeys.customer_timeline(dataset, events, customer_id)
