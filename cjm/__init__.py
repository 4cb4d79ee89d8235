"""cjm: customer-journey analytics. The core library; never imports streamlit.

Packages (each __init__ says what it owns and may import): engine (where expressions run), data (exports
-> Dataset and its views), journey, voice, customers (the analyses), present (charts and the one
vocabulary of formats), report (every report section), spec (the dashboard spec), ui (Streamlit only).
Direction: ui -> report -> customers -> voice -> journey -> data -> engine; present is a leaf the others
may use. errors, jsonable and stats are shared leaves.
"""

__version__ = "0.1.0"
