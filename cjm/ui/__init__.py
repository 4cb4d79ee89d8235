"""The only Streamlit-aware code: the current Dataset and cached runs (data), the session's spec and the
problems found in it (state), the shared sidebar, reusable widgets, and one module per page family.
No business logic: defaults, joins and queries live in core functions these modules call.

May import: any cjm package and streamlit. Only app.py and app_pages import it. Within it: data imports
segments (never the other way round), and every module may import state and widgets.
"""
