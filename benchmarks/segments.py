"""Benchmark: per-customer features (Ibis on DuckDB) and the k sweep 2..8 (KMeans + silhouette).

Generates events with numpy for N customers (about 4 events each: views, carts, purchases with
revenue, support tickets, ratings; three behaviour types), then times compute_customer_features and
Segmenter(k_range=(2, 8)).fit. Each size runs in a fresh process so peak memory is per size:
peak RSS of the process (includes DuckDB) and the tracemalloc peak of Python/numpy allocations
during the sweep.

    .venv/bin/python benchmarks/segments.py                          # 50,000 customers
    .venv/bin/python benchmarks/segments.py --sizes 100000,1000000   # the issue's figures
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cjm import engine
from cjm.customers.features import compute_customer_features  # noqa: E402
from cjm.data.dataset import Dataset  # noqa: E402
from cjm.data.schema import STAGE_MODELS  # noqa: E402
from cjm.customers.segments import Segmenter  # noqa: E402

STAGES = STAGE_MODELS["5"]
EVENTS = np.array(["ad_click", "product_view", "add_to_cart", "purchase", "support_ticket", "review_written"])
EVENT_STAGE = np.array([0, 1, 1, 2, 3, 4])
CHANNELS = np.array(["web", "app", "email", "social", "store"])
DEVICES = np.array(["mobile", "desktop", "tablet"])


def generate(customers: int, seed: int = 0) -> pa.Table:
    """A canonical events table (engine.EVENT_SCHEMA) built with numpy, no Python loop over rows."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(3, size=customers, p=[0.6, 0.3, 0.1])  # browsers, buyers, heavy buyers
    counts = rng.geometric(np.array([0.4, 0.25, 0.1])[kind])
    who = np.repeat(np.arange(customers), counts)
    n = len(who)
    k = kind[who]
    event_p = np.array(
        [[0.3, 0.55, 0.1, 0.03, 0.01, 0.01], [0.1, 0.4, 0.2, 0.2, 0.05, 0.05], [0.05, 0.3, 0.2, 0.3, 0.1, 0.05]]
    )
    u = rng.random(n)
    event_index = (u[:, None] > np.cumsum(event_p, axis=1)[k]).sum(axis=1)
    start = rng.integers(0, 365 * 86400, customers)[who]
    seconds = start + rng.integers(0, 60 * 86400, n)
    timestamps = np.datetime64("2023-01-01T00:00:00", "us") + seconds.astype("timedelta64[s]")
    mobile_bias = np.array([0.7, 0.4, 0.3])[k]
    device = np.where(rng.random(n) < mobile_bias, 0, rng.integers(1, 3, n))
    channel = rng.integers(0, len(CHANNELS), n)
    is_purchase = event_index == 3
    revenue = np.where(is_purchase, rng.lognormal(np.array([3.0, 3.5, 4.5])[k], 0.6), np.nan)
    is_review = event_index == 5
    score = np.where(is_review, rng.integers(1, 6, n).astype("float64"), np.nan)
    ids = np.char.add("c", np.arange(customers).astype(str))
    stage_index = EVENT_STAGE[event_index]
    nulls = {name: pa.nulls(n, pa.string()) for name in ("department", "session_id", "text", "variant")}
    return pa.table(
        {
            "row_id": pa.array(np.arange(n, dtype="int64")),
            "customer_id": pa.array(ids[who]),
            "timestamp": pa.array(timestamps, type=pa.timestamp("us", tz="UTC")),
            "event": pa.array(EVENTS[event_index]),
            "stage": pa.array(np.array(STAGES)[stage_index]),
            "stage_index": pa.array(stage_index.astype("int32")),
            "channel": pa.array(CHANNELS[channel]),
            "device": pa.array(DEVICES[device]),
            "department": nulls["department"],
            "session_id": nulls["session_id"],
            "revenue": pa.array(revenue, from_pandas=True),
            "score": pa.array(score, from_pandas=True),
            "text": nulls["text"],
            "variant": nulls["variant"],
        }
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(customers: int) -> dict:
    table = generate(customers)
    dataset = Dataset.from_events(engine.register(table), stages=STAGES)
    rows = table.num_rows
    del table
    started = time.perf_counter()
    features = compute_customer_features(dataset)
    features_s = time.perf_counter() - started
    rss_features = peak_rss_mb()
    tracemalloc.start()
    started = time.perf_counter()
    model = Segmenter(k_range=(2, 8)).fit(features)
    sweep_s = time.perf_counter() - started
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "customers": len(features),
        "events": rows,
        "features": len(model.feature_names_in_),
        "features_s": round(features_s, 2),
        "sweep_s": round(sweep_s, 2),
        # above SWEEP_ABOVE customers k is chosen on a fixed-seed sample (every customer still segmented)
        "k_chosen_on": (model.sweep_sample_ or {"sampled": len(features)})["sampled"],
        "algorithm": type(model._model).__name__,
        "k": model.k_,
        "silhouette": round(model.silhouette_score_, 3),
        "peak_rss_after_features_mb": round(rss_features),
        "peak_rss_mb": round(peak_rss_mb()),
        "sweep_traced_peak_mb": round(traced_peak / 2**20),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="50000", help="comma-separated customer counts (default 50000)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(f"cores: {os.cpu_count()}; k sweep 2..8, silhouette on a {Segmenter().silhouette_sample:,}-customer sample")
    header = (
        f"{'customers':>10} {'events':>10} {'feat':>4} {'features s':>10} {'sweep s':>8} {'model':>15} "
        f"{'k':>2} {'silh':>5} {'RSS MB':>7} {'traced MB':>9}  k chosen on"
    )
    print(header)
    for size in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{r['customers']:>10,} {r['events']:>10,} {r['features']:>4} {r['features_s']:>10} {r['sweep_s']:>8} "
            f"{r['algorithm']:>15} {r['k']:>2} {r['silhouette']:>5} {r['peak_rss_mb']:>7,} "
            f"{r['sweep_traced_peak_mb']:>9,}  "
            f"{r['k_chosen_on']:,} customers"
        )


if __name__ == "__main__":
    main()
