"""Row hashes of a frame, computed by DuckDB (several times faster than pandas' hashing on text)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa


def row_hashes(frame: pd.DataFrame, *, where: np.ndarray | None = None) -> np.ndarray:
    """One 64-bit hash per row over every column: equal rows get equal hashes (nulls included); unequal
    rows almost always differ, so callers compare rows whose hash repeats before calling them equal.
    `where`: a boolean mask of the only rows to hash (their hashes come back in frame order)."""
    columns = {f"c{i}": pa.array(frame.iloc[:, i], from_pandas=True) for i in range(frame.shape[1])}
    rows = pa.table(columns) if where is None else pa.table(columns).filter(pa.array(where))  # noqa: F841
    # (`rows` is read by the query below through DuckDB's replacement scan)
    con = duckdb.connect()
    try:
        names = ", ".join(columns)
        return con.execute(f"SELECT hash({names}) AS h FROM rows").fetchnumpy()["h"]
    finally:
        con.close()
