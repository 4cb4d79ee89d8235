"""Dataset snapshots: the canonical tables (events without derived stage columns, customers, rejected
rows) as Parquet, named by the SHA-256 of their content, and read back into a ParsedData that
`build_dataset` turns into exactly the dataset that was saved."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cjm import engine
from cjm.data import schema
from cjm.data.clock import data_clock

DERIVED = ("stage", "stage_index", "segment")  # recomputed from the spec when the snapshot is opened


@dataclass(frozen=True)
class Snapshot:
    events: bytes = field(repr=False)
    customers: bytes | None = field(repr=False)
    rejected: bytes | None = field(repr=False)
    meta: dict

    @property
    def hash(self) -> str:
        digest = hashlib.sha256()
        for part in (self.events, self.customers or b"", self.rejected or b""):
            digest.update(hashlib.sha256(part).digest())
        return digest.hexdigest()

    @property
    def size(self) -> int:
        return len(self.events) + len(self.customers or b"") + len(self.rejected or b"")


def _parquet(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def _arrow(table) -> pa.Table:
    backend = engine.backend_of(table)  # through the backend: one statement at a time on its connection
    return backend.arrow(table) if backend is not None else table.to_pyarrow()


def take_snapshot(dataset) -> Snapshot:
    """The dataset's canonical tables as Parquet (the stage mapping and segments come from the spec)."""
    events = dataset.events
    events = events.drop(*[c for c in DERIVED if c in events.columns]).order_by("row_id")
    table = _arrow(events)
    customers = None
    if dataset.customers is not None:
        customers = _parquet(_arrow(dataset.customers))
    rejected = dataset.accounting.rejected
    span = engine.execute(dataset.events.aggregate(first=dataset.events.timestamp.min(),
                                                   last=dataset.events.timestamp.max(),
                                                   customers=dataset.events.customer_id.nunique())).iloc[0]
    meta = {"rows_in": int(dataset.accounting.rows_in), "rows_used": int(dataset.accounting.rows_used),
            "events": int(table.num_rows), "customers": int(span["customers"]),
            "first": None if pd.isna(span["first"]) else pd.Timestamp(span["first"]).isoformat(),
            "last": None if pd.isna(span["last"]) else pd.Timestamp(span["last"]).isoformat(),
            "files": [f.name for f in dataset.files],
            **({"score_scale": dataset.score_scale} if dataset.score_scale else {}),
            **({"currency": dataset.currency} if dataset.currency else {}),
            # the clock its times were written on: the days of its dates, which files no longer tell once saved
            "clock": data_clock(dataset).to_dict()}
    return Snapshot(events=_parquet(table), customers=customers,
                    rejected=_parquet(pa.Table.from_pandas(rejected.astype(str), preserve_index=False))
                    if len(rejected) else None, meta=meta)


def _read(data: bytes) -> pa.Table:
    return pq.read_table(io.BytesIO(data))


def read_snapshot(snapshot: Snapshot, *, key: str):
    """A ParsedData from a snapshot (what `build_dataset` takes), its engine tables named after `key`."""
    from cjm.data.dataset import ParsedData, RowAccounting

    events = _read(snapshot.events)
    table = engine.register(events, name=f"snapshot_{key}")
    customers = _read(snapshot.customers).to_pandas() if snapshot.customers else None
    if snapshot.rejected:
        rejected = _read(snapshot.rejected).to_pandas()
        rejected["line"] = pd.to_numeric(rejected["line"], errors="coerce").astype("Int64")
    else:
        rejected = pd.DataFrame({"file": pd.Series(dtype="string"), "line": pd.Series(dtype="Int64"),
                                 "reason": pd.Series(dtype="string"), "raw": pd.Series(dtype="string")})
    non_null = {c: events.num_rows - events.column(c).null_count for c in schema.OPTIONAL if c in events.column_names}
    meta = snapshot.meta
    return ParsedData(key=key, events=table, customers=customers, files=[],
                      accounting=RowAccounting(rows_in=int(meta.get("rows_in", events.num_rows)),
                                               rows_used=int(meta.get("rows_used", events.num_rows)),
                                               rejected=rejected),
                      non_null=non_null, score_scale=meta.get("score_scale"), currency=meta.get("currency"),
                      clock=meta.get("clock"))


def meta_json(snapshot: Snapshot) -> str:
    return json.dumps(snapshot.meta, sort_keys=True)
