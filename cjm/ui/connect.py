"""The Data page's "Connect" section: analyse a table where it lives (warehouse, cluster, big file).

The user gives the NAME of an environment variable or Streamlit secret holding the URL (never the URL
with its password), and a table or view. The session keeps only those two names; the URL is resolved
on the server, shown with its password masked, and never written to the spec, a saved dashboard or
the log. The events stay on that backend: every page's analyses run there.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone

import streamlit as st

from cjm.errors import CJMError
from cjm.ui import state, widgets

CONNECTION_KEY = "cjm.connection"  # {"source": env/secret name or file path, "table": name, "read_at": UTC time}
SOURCE = "connect"  # DashboardSpec.source while a connection is in use


def _secrets():
    try:
        return dict(st.secrets)
    except Exception:  # noqa: BLE001 - no secrets.toml: environment variables only
        return None


def connection() -> dict | None:
    return st.session_state.get(CONNECTION_KEY) if state.spec().source == SOURCE else None


@st.cache_resource(max_entries=4, show_spinner="Reading the table where it lives (one pass for row counts, "
                   "event names and the mapping; large tables take a while)…")
def _connected(source: str, table: str, stage_json: str, version: str):
    from cjm import engine
    from cjm.data.source import dataset_from_files, dataset_from_table
    from cjm.data.stages import StageMapping

    stages = StageMapping.from_dict(json.loads(stage_json))
    if _is_files(source):
        return dataset_from_files(source, stage_mapping=stages)
    backend = engine.connect(engine.resolve_url(source, secrets=_secrets()))
    # the time it was read is part of the dataset's key: every result cached for an older reading is another's
    return dataset_from_table(backend, table, stage_mapping=stages, identity={"read_at": version})


def _is_files(source: str) -> bool:
    return "://" not in source and not source.isidentifier()


def _version(conn: dict) -> str:
    """What tells two readings of the connection apart: for files, their paths, sizes and times of change (a file
    replaced or a new file matching the glob is read again by itself); for a table, the time the user last read it
    (a live table changes without telling: "Read the table again" reads it anew)."""
    from cjm.data.source import files_identity

    if _is_files(conn["source"]):
        return json.dumps(files_identity([conn["source"]]))
    return conn.get("read_at") or ""


def connected_dataset():
    """The Dataset of the current connection (read once per source, table, stage mapping and version)."""
    conn = connection()
    if conn is None:
        raise CJMError("No connection is in use. Open the Data page and use Connect.")
    stage_json = json.dumps(state.spec().stage_mapping.to_dict(), sort_keys=True)
    return _connected(conn["source"], conn["table"], stage_json, _version(conn))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")  # two clicks in one second are two readings


def read_at(conn: dict) -> str | None:
    """When the connection's table was last read, as shown ("2026-12-08 00:10:01 UTC")."""
    try:
        return datetime.fromisoformat(conn["read_at"]).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (KeyError, TypeError, ValueError):
        return None


def section() -> None:
    """Connect form: source name (environment variable / secret, or a Parquet/CSV path on the server) + table."""
    current = connection()
    with st.expander("Connect to a warehouse, a cluster or a large file", expanded=current is not None):
        st.caption("Give the name of an environment variable or Streamlit secret that holds the database URL "
                   "(postgresql://…, spark://local, duckdb:///file.duckdb, bigquery://…), so no password is typed "
                   "or shown; or the path of Parquet/CSV files on the server, read in place. The events stay there "
                   "and every analysis runs there.")
        left, right = st.columns(2)
        source = left.text_input("URL from (environment variable or secret name, or file path)",
                                 value=(current or {}).get("source", ""), key="cjm.connect.source",
                                 placeholder="CJM_SOURCE_URL")
        table = right.text_input("Table or view", value=(current or {}).get("table", ""), key="cjm.connect.table",
                                 placeholder="analytics.events")
        go, stop = st.columns([1, 1])
        if go.button("Connect", icon=":material/cable:", key="cjm.connect.go"):
            if "://" in source:
                widgets.show_error(CJMError("Type the NAME of the environment variable or secret that holds the URL, "
                                            "not the URL itself, so its password is never on screen."))
                return
            st.session_state[CONNECTION_KEY] = {"source": source.strip(), "table": table.strip(), "read_at": _now()}
            state.replace_spec(replace(state.spec(), source=SOURCE))
            st.rerun()
        if current is not None and stop.button("Disconnect", icon=":material/link_off:", key="cjm.connect.stop"):
            st.session_state.pop(CONNECTION_KEY, None)
            state.replace_spec(replace(state.spec(), source="demo"))
            st.rerun()
    if current is not None:
        from cjm import engine

        try:
            dataset = connected_dataset()
        except CJMError as exc:
            widgets.show_error(exc)
            return
        st.success(f"Connected: {current['table'] or current['source']} on {engine.masked(dataset.backend.label)} "
                   f"({dataset.backend.kind}). {dataset.accounting.rows_used:,} events are analysed there; only "
                   "results come back.", icon=":material/cable:")
        if _is_files(current["source"]):
            st.caption("The files are read again by themselves when one changes or a new one matches.")
            return
        st.caption(f"Read at {read_at(current) or 'connection'}. Rows the table gets after that are in the "
                   "figures once you read it again.")
        if not state.read_only() and st.button("Read the table again", icon=":material/refresh:",
                                               key="cjm.connect.again"):
            st.session_state[CONNECTION_KEY] = {**current, "read_at": _now()}
            st.rerun()
