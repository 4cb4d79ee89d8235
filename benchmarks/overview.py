"""Time and peak memory of the Overview numbers: KPIs, funnel abandonment, checkout abandonment.

Usage:  .venv/bin/python benchmarks/overview.py [--sizes 200000,1000000,10000000] [--seed 0]

Events are generated with numpy (about 10 events per customer over 180 days, web-shop touchpoints,
sessions, revenue on purchases) and registered in the engine as an Arrow table; generation is not
timed. Printed per size and step: wall time, the Python heap peak (tracemalloc: pandas/numpy side)
and the process's peak resident memory so far (ru_maxrss: includes DuckDB).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cjm import engine
from cjm.data import schema
from cjm.data.dataset import Dataset  # noqa: E402
from cjm.journey.abandonment import compute_abandonment, compute_checkout_abandonment  # noqa: E402
from cjm.journey.funnel import FunnelParams  # noqa: E402
from cjm.journey.kpis import compute_kpis  # noqa: E402

STAGES = schema.STAGE_MODELS["5"]
EVENTS = {  # name: (probability, stage)
    "ad_impression": (0.20, "awareness"), "ad_click": (0.06, "awareness"), "page_view": (0.35, "consideration"),
    "product_view": (0.15, "consideration"), "add_to_cart": (0.08, "consideration"),
    "checkout_started": (0.05, "consideration"), "purchase": (0.03, "conversion"),
    "support_ticket": (0.03, "retention"), "review_written": (0.03, "loyalty"), "referral": (0.02, "loyalty"),
}


def generate(n: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    names = list(EVENTS)
    probs = np.array([p for p, _ in EVENTS.values()])
    customers = max(n // 10, 1)
    customer = rng.integers(0, customers, n)
    kind = rng.choice(len(names), size=n, p=probs / probs.sum())
    start = np.datetime64("2024-01-01T00:00:00", "us").astype("int64")
    ts = start + rng.integers(0, 180 * 86400, n) * 1_000_000
    session = customer * 1000 + (ts // (1_000_000 * 1800)) % 1000  # ~30-minute visits
    stage_of = np.array([EVENTS[e][1] for e in names])
    stage_index = np.array([STAGES.index(s) for s in stage_of], dtype="int32")
    revenue = np.where(np.array(names)[kind] == "purchase", rng.gamma(2.0, 40.0, n).round(2), np.nan)
    event_dict = pa.array(names, pa.string())
    stage_dict = pa.array(list(stage_of), pa.string())
    null_str = pa.nulls(n, pa.string())
    columns = {
        "row_id": pa.array(np.arange(n, dtype="int64")),
        "customer_id": pc.cast(pa.array(customer), pa.string()),
        "timestamp": pa.array(ts, pa.timestamp("us", tz="UTC")),
        "event": pc.take(event_dict, pa.array(kind)),
        "stage": pc.take(stage_dict, pa.array(kind)),
        "stage_index": pa.array(stage_index[kind]),
        "channel": null_str, "device": null_str, "department": null_str,
        "session_id": pc.cast(pa.array(session), pa.string()),
        "revenue": pa.array(revenue, from_pandas=True),
        "score": pa.nulls(n, pa.float64()), "text": null_str, "variant": null_str,
        "scroll_depth": pa.array(np.where(kind == names.index("page_view"), rng.integers(0, 101, n), np.nan),
                                 from_pandas=True),
    }
    return pa.table(columns)


def measure(label: str, fn):
    tracemalloc.start()
    began = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {label:<32} {seconds:8.2f} s   python peak {peak / 2**20:8.1f} MiB   process peak {rss:8.0f} MiB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200000", help="comma-separated event counts (e.g. 1000000,10000000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    funnel = FunnelParams(steps=("product_view", "add_to_cart", "checkout_started", "purchase"), step_kind="event")
    for n in (int(s) for s in args.sizes.split(",")):
        table = engine.register(generate(n, args.seed))
        dataset = Dataset.from_events(table, stages=STAGES)
        print(f"{n:,} events, {max(n // 10, 1):,} customers (2 cores, DuckDB in process)")
        kpis = measure("compute_kpis (last 30 d vs prior)", lambda: compute_kpis(dataset))
        measure("compute_abandonment (4 steps)", lambda: compute_abandonment(dataset, params=funnel))
        checkout = measure("compute_checkout_abandonment", lambda: compute_checkout_abandonment(dataset))
        available = int(kpis["available"].sum())
        print(f"  -> {available} KPIs available; checkout abandonment {checkout['rate']:.1%}")
        engine.drop(table)


if __name__ == "__main__":
    main()
