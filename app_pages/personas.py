"""Personas: each customer segment told as a person, from the data, with the goals, needs and objections
your team adds."""

import streamlit as st

from cjm.errors import CJMError
from cjm.ui import data, widgets
from cjm.ui import segments as ui

st.title("Personas")
st.caption("One persona per customer segment: who they are, how they reach you, the journey they usually take, how "
           "they feel and what hurts them, all from the data. Goals, needs and objections are yours to add; they "
           "are saved with the dashboard.")
with widgets.panel("the data", stop=True):
    base = data.base_dataset()

params = ui.applied_params()
if params is None:
    ui.no_segments_yet(base)

with widgets.panel("the personas", stop=True):
    try:
        ui.find(base, params)
        found = ui.personas(base, params)
    except CJMError as exc:
        widgets.show_error(exc)
        st.page_link(ui.SEGMENTS_PAGE, label="Change the segment settings", icon=":material/group_work:")
        st.stop()

st.markdown(f"**{len(found)} personas** from {sum(p.size for p in found):,} customers · "
            "segment settings on the Segments page")
for persona in found:
    ui.persona_card(persona, has_comments=base.has("text"))

st.download_button("Download the personas (JSON)", data=ui.personas_json(found), file_name="personas.json",
                   mime="application/json", icon=":material/download:", on_click="ignore", key="cjm.personas.json")
