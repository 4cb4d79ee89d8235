"""Data: upload exports, check how they were read, confirm the column and stage mappings."""

import streamlit as st

from cjm.errors import CJMError
from cjm.ui import connect, data, loading, widgets

st.title("Data")
st.caption("Upload an export from your CRM, web analytics, support desk or survey tool. cjm detects the format, "
           "maps the columns and the journey stages; check them here and correct anything it got wrong.")

loading.upload()
st.caption(data.cache_limit_text())
connect.section()
if connect.connection() is not None:  # events read where they live: no files to map here
    try:
        dataset = data.current_dataset()
        st.subheader("Rows")
        loading.accounting(dataset)
        st.subheader("Data quality")
        loading.quality(dataset)
    except CJMError as exc:
        widgets.show_error(exc)
    st.stop()

try:
    parsed = data.parsed_data()
    dataset = data.current_dataset()
except CJMError as exc:
    widgets.show_error(exc)
    previews = data.file_previews()
    if previews:
        st.subheader("Column mapping")
        st.caption("Pick the columns that hold the customer id, the timestamp and the event; the sample values "
                   "show what each column holds. The charts appear as soon as the mapping fits.")
        loading.mapping_fixer(previews)
    st.stop()

st.subheader("Rows")
loading.accounting(parsed)

st.subheader("Column mapping")
st.caption("Which column holds each piece cjm needs (* required). Extra columns are kept as attributes.")
loading.mapping_editor(parsed)

st.subheader("Journey stages")
st.caption("Each event name belongs to a stage of the journey. Pick a model, then correct any event.")
loading.stage_editor(dataset)

st.subheader("Data quality")
loading.quality(dataset)

with st.expander("Preview the first 200 events"):
    widgets.table(data.preview(dataset), name="events preview", key="preview")
st.caption(data.memory_text())
