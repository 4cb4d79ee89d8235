"""Saved-dashboard snapshots held server-side (by content hash) while sessions show them.

Session state only holds the snapshot's hash (in the spec's files); the Parquet bytes and the parsed
tables live here, one copy per server however many viewers open the same dashboard."""

from __future__ import annotations

import streamlit as st

from cjm.store import Snapshot, read_snapshot

SOURCE = "snapshot"  # DashboardSpec.source of a dashboard opened from the store


@st.cache_resource
def _held() -> dict[str, Snapshot]:
    return {}


def hold(snapshot: Snapshot) -> str:
    _held()[snapshot.hash] = snapshot
    return snapshot.hash


def held(digest: str) -> Snapshot | None:
    return _held().get(digest)


@st.cache_resource(max_entries=8, show_spinner="Opening the saved data…")
def _parsed(digest: str):
    return read_snapshot(_held()[digest], key=f"snap_{digest[:16]}")


def parsed(digest: str):
    """The snapshot's ParsedData (what build_dataset takes); a plain error if this server lost it."""
    from cjm.errors import CJMError

    if digest not in _held():
        raise CJMError("The saved dashboard's data is no longer open on this server. Open its link again.")
    return _parsed(digest)
