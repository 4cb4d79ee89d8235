"""The golden analyses every backend must reproduce: the same generated data, the same numbers.

The reference is the upload path (the demo generator's CSV read, mapped and loaded into an in-process
DuckDB). Each backend gets the same events as a table with the file's row order in a `row_id` column
(the tie-breaker the upload path assigns), read through cjm.data.source with the same mapping.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import pandas as pd

from cjm.data.columns import ColumnMapping
from cjm.data.demo import generate_demo
from cjm.journey.funnel import FunnelParams

CUSTOMERS, SEED = 200, 3
MAPPING = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "event_time", "event": "event",
                                 "channel": "channel", "device": "device", "department": "department",
                                 "session_id": "session_id", "revenue": "revenue", "score": "rating",
                                 "text": "comment", "variant": "variant"})
STEPS = ("product_view", "add_to_cart", "checkout_started", "purchase")


@functools.cache
def demo_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    return generate_demo(customers=CUSTOMERS, seed=SEED)


def events_with_row_id() -> pd.DataFrame:
    """The generated events as a warehouse would hold them: typed timestamps, a row_id, no index."""
    events, _ = demo_frames()
    out = events.copy()
    out.insert(0, "row_id", range(len(out)))
    out["event_time"] = pd.to_datetime(out["event_time"], utc=True, format="ISO8601").astype("datetime64[us, UTC]")
    for column in ("rating", "scroll_depth"):
        out[column] = out[column].astype("float64")
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("str", "string"):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def write_csv(folder: Path) -> Path:
    events, _ = demo_frames()
    path = folder / "events.csv"
    events.to_csv(path, index=False)
    return path


def funnel_params(mode: str, **extra) -> FunnelParams:
    return FunnelParams(steps=STEPS, step_kind="event", window_seconds=7 * 86400, mode=mode, **extra)


def golden(dataset) -> dict:
    """Every analysis named in issue 14, as plain comparable values."""
    from cjm.customers.features import compute_customer_features
    from cjm.journey.abandonment import compute_abandonment, compute_checkout_abandonment
    from cjm.journey.funnel import compute_funnel
    from cjm.journey.gaps import compute_gaps
    from cjm.journey.kpis import compute_kpis
    from cjm.journey.paths import PathParams, compute_transitions, compute_variants
    from cjm.journey.reach import compute_stage_reach
    from cjm.report.build import build_report

    out = {"report": {k: v for k, v in build_report(dataset).items() if k not in ("rows", "mapping")}}
    for mode in ("ordered", "strict", "any"):
        out[f"funnel_{mode}"] = compute_funnel(dataset, params=funnel_params(mode))
    out["funnel_by_channel"] = compute_funnel(dataset, params=funnel_params("ordered", breakdown="channel"))
    out["funnel_excluding"] = compute_funnel(dataset, params=funnel_params("ordered", exclude_event="support_ticket", exclude_between=(1, 3)))
    out["abandonment"] = compute_abandonment(dataset, params=funnel_params("ordered"))
    out["checkout"] = compute_checkout_abandonment(dataset)
    out["variants"] = compute_variants(dataset, params=PathParams(level="stage"))
    out["event_variants"] = compute_variants(dataset, params=PathParams(level="event"))
    out["transitions"] = compute_transitions(dataset, params=PathParams(level="stage"))
    out["gaps"] = compute_gaps(dataset)
    out["kpis"] = compute_kpis(dataset)
    out["reach"] = compute_stage_reach(dataset)
    out["features"] = compute_customer_features(dataset)
    return out


def comparable(value, digits: int = 9):
    """Frames to sorted records, floats to `digits` significant digits (sums in another order differ in the
    last bits), timestamps to ISO text, missing values to None."""
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index(drop=True)
        records = [comparable(r, digits) for r in frame.to_dict("records")]
        return sorted(records, key=repr)
    if isinstance(value, pd.Series):
        return comparable(value.to_dict(), digits)
    if isinstance(value, dict):
        return {str(k): comparable(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [comparable(v, digits) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.tz_convert("UTC").isoformat() if value.tzinfo else value.isoformat()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return value
        return float(f"{value:.{digits}g}")
    if isinstance(value, int):
        return value
    return value


def differences(expected: dict, got: dict) -> list[str]:
    found = []
    for key in expected:
        a, b = comparable(expected[key]), comparable(got.get(key))
        if a != b:
            found.append(f"{key}: expected {str(a)[:400]} got {str(b)[:400]}")
    return found
