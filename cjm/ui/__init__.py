"""The only Streamlit-aware code: cached wrappers, session-state accessors, reusable widgets."""
