"""Journey map: the current state drawn from the data, the future state with targets, a day in the life."""

import streamlit as st

from cjm.errors import CJMError
from cjm.ui import data, maps, state, widgets

st.title("Journey map")
st.caption("Stages across, lanes down. Cells with a grey edge come from the data, dashed purple ones are "
           "assumptions somebody typed, orange ones are data a person edited (the data value is kept: hover a "
           "cell to see it and the evidence)."
           + ("" if state.read_only() else " Edit any cell in the table under the map."))
with widgets.panel("the data", stop=True):
    dataset = data.analysed_dataset()

template = maps.template_picker()
segment, compare = maps.segment_pickers(dataset)
try:
    jm = maps.load_map(dataset, template, segment)
except CJMError as exc:
    widgets.show_error(exc)
    st.stop()

drawn = st.container()
editable = not state.read_only()  # a shared dashboard's viewers see the map, never its editors
changed = maps.persona_editor(jm) if editable else False
if editable:
    with st.expander("Edit the cells", expanded=True, icon=":material/edit:"):
        changed |= maps.cell_editor(jm)
    with st.expander("Stages and lanes: rename, reorder, hide, add", icon=":material/view_column:"):
        changed |= maps.structure_editor(jm)
if template == "future" and editable:
    with drawn:
        st.subheader("Targets per stage")
        changed |= maps.target_editor(jm)
if template == "day" and editable:
    with drawn:
        changed |= maps.activity_form(jm)
if changed:
    maps.save_map(jm, segment)

projection = maps.projection_of(jm)
with drawn:
    if projection is not None:
        maps.projection_tiles(projection)
    if template == "future":
        maps.hidden_targets_note(jm)
    if compare is not None and template != "day":
        maps.comparison(dataset, jm, compare)
    else:
        maps.grid(jm, projection=projection)
    maps.downloads(jm, projection)
    if template == "future":
        maps.target_status(jm)

if editable:
    with st.expander("Open a saved map (JSON)", icon=":material/upload_file:"):
        maps.importer(template, segment)
