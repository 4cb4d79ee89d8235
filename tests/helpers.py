"""Builders for small literal event logs used across the tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cjm import engine
from cjm.data import schema
from cjm.data.dataset import Dataset


# A six-row web-shop export (three customers, two channels) as bytes, for tests that load, save or share one.
SMALL_EXPORT = (b"customer_id,timestamp,event,channel\n"
                b"a,2024-01-01 10:00,page_view,web\n"
                b"a,2024-01-01 10:05,add_to_cart,web\n"
                b"a,2024-01-01 10:09,purchase,web\n"
                b"b,2024-01-02 09:00,page_view,email\n"
                b"b,2024-01-02 09:30,add_to_cart,email\n"
                b"c,2024-01-03 12:00,page_view,web\n")


def event_frame(rows, columns=("customer_id", "timestamp", "event"), *, stages=None) -> pd.DataFrame:
    """A canonical events frame from literal tuples.

    `stages` maps event -> stage name, and the stage order is taken from schema.STAGE_MODELS["5"]
    unless a tuple of stage names is given as `stages["__order__"]`.
    """
    frame = pd.DataFrame(list(rows), columns=list(columns))
    if stages is not None:
        order = tuple(stages.get("__order__", schema.STAGE_MODELS["5"]))
        frame["stage"] = frame["event"].map(lambda e: stages.get(e, schema.UNMAPPED))
        frame["stage_index"] = frame["stage"].map(lambda s: order.index(s) if s in order else -1)
    return engine.conform_events(frame)


def events(rows, columns=("customer_id", "timestamp", "event"), *, stages=None):
    """The same as `event_frame`, registered in the engine as an Ibis table."""
    return engine.register(event_frame(rows, columns, stages=stages))


def dataset(rows, columns=("customer_id", "timestamp", "event"), *, stages=None, customers=None):
    """The same log as `events`, as the Dataset every analysis takes (Dataset.from_events): the stage
    model is `stages["__order__"]` when given, else the 5-stage model."""
    order = tuple(stages["__order__"]) if stages and "__order__" in stages else None
    return Dataset.from_events(events(rows, columns, stages=stages), stages=order, customers=customers)


# ../shared/data next to the main checkout (/work/main) or next to a worktree's parent (/work/wt/<branch>).
REAL_DATA = next((p / "shared" / "data" for p in Path(__file__).resolve().parents[2:4]
                  if (p / "shared" / "data").exists()), Path(__file__).resolve().parents[2] / "shared" / "data")


def real_file(name: str) -> Path:
    """A file from ../shared/data, or skip the test cleanly when that folder is absent."""
    path = REAL_DATA / name
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path


def cdnow_purchases():
    """The real CDNOW purchase log (../shared/data) as an events table: one purchase event per row,
    mapped to the conversion stage; skips the test when the folder is absent."""
    raw = pd.read_csv(real_file("cdnow_master.txt"), sep=r"\s+", dtype={"customer_id": str})
    frame = pd.DataFrame({
        "customer_id": raw["customer_id"],
        "timestamp": pd.to_datetime(raw["date"].astype(str), format="%Y%m%d", utc=True),
        "event": "purchase", "revenue": raw["dollar_value"], "stage": "conversion", "stage_index": 2,
    })
    return engine.events_table(frame)


def marketing_campaign_signups() -> Dataset:
    """The real marketing-campaign customer table (../shared/data) as a Dataset: one signup event per
    customer on its Dt_Customer date, the table's columns as customer attributes; skips when absent."""
    table = pd.read_csv(real_file("marketing_campaign.csv"), sep=";", encoding="utf-8-sig")
    table = table.rename(columns={"ID": "customer_id"}).astype({"customer_id": str})
    signup = pd.to_datetime(table["Dt_Customer"], format="%Y-%m-%d", utc=True)
    return Dataset.from_events(
        pd.DataFrame({"customer_id": table["customer_id"], "timestamp": signup, "event": "signup"}), customers=table
    )


def counting(backend):
    """Wrap backend.execute to count the queries that really run."""
    calls = []
    original = backend.execute

    def execute(expr):
        calls.append(expr)
        return original(expr)

    backend.execute = execute
    return calls


def parsed_text(text: str, name: str = "export.csv"):
    """A CSV written in the test, parsed as an upload of that name."""
    from cjm.data.dataset import SourceFile, parse_files

    return parse_files([SourceFile(name, text.encode())])


def parsed_rows(parsed) -> pd.DataFrame:
    """The parsed events in file order."""
    return engine.execute(parsed.events).sort_values("row_id").reset_index(drop=True)


def report_kpis(parsed) -> dict:
    """The report's KPIs of a parsed upload."""
    from cjm import report
    from cjm.data.dataset import build_dataset

    return report.build_report(build_dataset(parsed))["kpis"]
