"""cjm: routes the pages and draws the shared sidebar. Nothing else lives here."""

import streamlit as st

from cjm.ui import share, sidebar, warmup

st.set_page_config(page_title="cjm · customer journeys", page_icon=":material/route:", layout="wide")

pages = {
    "Start": [
        st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("app_pages/data.py", title="Data", icon=":material/table:"),
    ],
    "Journey": [
        st.Page("app_pages/funnel.py", title="Funnel", icon=":material/filter_alt:"),
        st.Page("app_pages/abandonment.py", title="Abandonment", icon=":material/remove_shopping_cart:"),
        st.Page("app_pages/journeys.py", title="Journeys", icon=":material/route:"),
        st.Page("app_pages/gaps.py", title="Gaps", icon=":material/swap_horiz:"),
    ],
    "Customers": [
        st.Page("app_pages/segments.py", title="Segments", icon=":material/group_work:"),
        st.Page("app_pages/personas.py", title="Personas", icon=":material/badge:"),
        st.Page("app_pages/sentiment.py", title="Sentiment", icon=":material/sentiment_satisfied:"),
        st.Page("app_pages/followup.py", title="Follow-up", icon=":material/support_agent:"),
        st.Page("app_pages/customer.py", title="Customer", icon=":material/person_search:"),
    ],
    "Maps": [
        st.Page("app_pages/journey_map.py", title="Journey map", icon=":material/map:"),
    ],
    "Share": [
        st.Page("app_pages/dashboards.py", title="Dashboards", icon=":material/share:"),
    ],
}
share.open_links()  # ?d= opens a shared dashboard read-only; ?owner= lists its owner's dashboards
navigation = st.navigation(share.pages_for_session(pages))
sidebar.render()
with warmup.after_this_run():  # a fresh server imports the other pages' modules while this one is read
    navigation.run()
