"""The canonical events schema and the engine helpers analyses call (`from cjm import engine`).

Each helper runs on the backend of the data it is given: `register(frame, like=events)` puts a small
frame on the events' backend, `execute(expr)` runs where the expression's tables live. A frame handed
straight to an analysis (tests, scripts) gets its own in-process DuckDB that lives as long as its tables.
"""

from __future__ import annotations

import ibis
import pandas as pd
import pyarrow as pa

from cjm.data import schema
from cjm.engine.backend import Backend, backend_of, local

EVENT_SCHEMA = ibis.schema(
    {
        "row_id": "int64",
        "customer_id": "string",
        "timestamp": "timestamp('UTC')",
        "event": "string",
        "stage": "string",
        "stage_index": "int32",
        "channel": "string",
        "device": "string",
        "department": "string",
        "session_id": "string",
        "revenue": "float64",
        "score": "float64",
        "text": "string",
        "variant": "string",
    }
)


def _target(like) -> Backend:
    found = backend_of(like) if like is not None else None
    return found if found is not None else local()


def register(frame: pd.DataFrame | pa.Table, *, like=None, name: str | None = None) -> ibis.Table:
    """A small frame as a table on the backend of `like` (a table, expression or Backend), so it can be
    joined with it; without `like`, on a fresh in-process DuckDB."""
    return _target(like).register(frame, name=name)


def colocate(table: ibis.Table | None, *, like) -> ibis.Table | None:
    """`table` on the backend of `like`: itself when it is already there, else a copy (meant for small
    side tables such as customers, brought next to the events they are joined with)."""
    if table is None:
        return None
    here, there = backend_of(table), backend_of(like)
    if here is None or there is None or here.con is there.con:
        return table
    return there.register(here.arrow(table))


def materialize(expr: ibis.Table, *, name: str | None = None) -> ibis.Table:
    """Compute an expression once into a table on its own backend (for results many queries start from)."""
    return _target(expr).materialize(expr, name=name)


def drop(table: ibis.Table) -> None:
    """Drop a table cjm made (registered or materialised) from its backend."""
    found = backend_of(table)
    if found is not None:
        found.drop(table)


def execute(expr) -> pd.DataFrame:
    """Run an Ibis expression where its tables live; pandas through Arrow (fast for strings)."""
    from cjm.engine.shared import remembered

    return remembered(expr, _execute)


def _execute(expr) -> pd.DataFrame:
    found = backend_of(expr)
    if found is None:  # only in-memory frames: any DuckDB will do
        found = local()
    return found.execute(expr)


def events_table(frame: pd.DataFrame, *, like=None, name: str | None = None) -> ibis.Table:
    """An Ibis events table from a pandas frame with at least customer_id, timestamp, event."""
    return register(conform_events(frame), like=like, name=name)


def conform_events(frame: pd.DataFrame, *, derived: bool = True) -> pd.DataFrame:
    """Give an events frame every canonical column with the engine's dtypes (missing ones null).

    derived=False leaves out stage and stage_index (the loader joins them in the engine), and row_id unless given."""
    out = frame.copy(deep=False)  # copy-on-write (pandas 3): the caller's frame is never changed
    n = len(out)
    if derived:
        if "row_id" not in out:
            out["row_id"] = range(n)
        if "stage" not in out:
            out["stage"] = schema.UNMAPPED
        if "stage_index" not in out:
            out["stage_index"] = -1
    skip = () if derived else ("stage", "stage_index") + (() if "row_id" in out else ("row_id",))
    for column, dtype in EVENT_SCHEMA.items():
        if column in skip:
            continue
        if column not in out:
            out[column] = None
        if dtype.is_string():
            out[column] = out[column].astype("string")
        elif dtype.is_timestamp():
            out[column] = pd.to_datetime(out[column], utc=True, format="ISO8601").astype("datetime64[us, UTC]")
        elif dtype.is_floating():
            out[column] = pd.to_numeric(out[column]).astype("float64")
        else:
            out[column] = out[column].astype(str(dtype))
    extras = [c for c in out.columns if c not in EVENT_SCHEMA]
    return out[[c for c in EVENT_SCHEMA if c not in skip] + extras]
