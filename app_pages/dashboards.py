"""Dashboards: save what the app shows, share it read-only by link, and manage your saved dashboards."""

import streamlit as st

from cjm.ui import share

st.title("Dashboards")
st.caption("Save the data as loaded, its mappings, every page's settings and filters, and the maps as a dashboard. "
           "Leadership opens its share link read-only, without uploading anything. Saving again makes a new "
           "version; old versions stay and can be restored.")

share.save_section()
share.owner_access()
share.owned_list()

st.subheader("Board pack")
st.caption("The whole dashboard as one self-contained HTML file or a PDF: KPI tiles, every chart, the maps, the "
           "filters and a note on method.")
share.board_pack_downloads()
