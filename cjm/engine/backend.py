"""The engine: Ibis expressions executed by in-process DuckDB (DESIGN.md section 2a).

Every event-level computation takes an Ibis table with the canonical schema (see `EVENT_SCHEMA`)
and returns a small pandas frame through `execute`. Nothing here loops over rows in Python.
"""

from __future__ import annotations

import itertools
import threading

import ibis
import pandas as pd
import pyarrow as pa

from cjm.data import schema

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

_lock = threading.RLock()
_backend = None
_names = itertools.count()


def backend():
    """The process-wide in-process DuckDB backend (created on first use)."""
    global _backend
    with _lock:
        if _backend is None:
            _backend = ibis.duckdb.connect()
            _backend.raw_sql("SET preserve_insertion_order = false")
        return _backend


def register(frame: pd.DataFrame | pa.Table, *, name: str | None = None) -> ibis.Table:
    """Materialise a frame as a DuckDB table and return it as an Ibis table."""
    con = backend()
    name = name or f"cjm_t{next(_names)}"  # not t<n>: Ibis names its subqueries t0, t1, ...
    arrow = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    with _lock:
        con.con.register(f"{name}_arrow", arrow)
        con.raw_sql(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM "{name}_arrow"')
        con.con.unregister(f"{name}_arrow")
    return con.table(name)


def conform_events(frame: pd.DataFrame, *, derived: bool = True) -> pd.DataFrame:
    """Give an events frame every canonical column with the engine's dtypes (missing ones null).

    derived=False leaves out stage and stage_index (the loader joins them in the engine), and row_id unless given."""
    out = frame.copy()
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


def materialize(expr: ibis.Table, *, name: str) -> ibis.Table:
    """Compute an expression once into a DuckDB table (for results every later query starts from)."""
    con = backend()
    with _lock:
        con.raw_sql(f'CREATE OR REPLACE TABLE "{name}" AS {ibis.to_sql(expr, dialect="duckdb")}')
    return con.table(name)


def drop(name: str) -> None:
    with _lock:
        backend().raw_sql(f'DROP TABLE IF EXISTS "{name}"')


def events_table(frame: pd.DataFrame, *, name: str | None = None) -> ibis.Table:
    """An Ibis events table from a pandas frame with at least customer_id, timestamp, event."""
    return register(conform_events(frame), name=name)


def execute(expr) -> pd.DataFrame:
    """Run an Ibis expression and return a pandas frame (through Arrow: fast for strings).

    One query at a time on the shared connection: DuckDB refuses a second call while one runs ("connection
    is busy"), which two users' (or one user's overlapping) script runs otherwise trigger."""
    with _lock:
        table = expr.to_pyarrow()
    return table.to_pandas()
