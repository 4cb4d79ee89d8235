"""Funnel benchmark: time and peak memory of compute_funnel on generated event logs.

    .venv/bin/python benchmarks/funnel.py                      # 100k events, all modes (< 1 minute)
    .venv/bin/python benchmarks/funnel.py --sizes 1000000 10000000 --modes ordered

Each size runs in a fresh subprocess so the peak resident memory (ru_maxrss) is that size's alone.
Data (numpy, seeded): ~10 events per customer, a few days apart around each customer's own start day
over 90 days, 8 event names with funnel-like frequencies mapped to the 5-stage model, 4 channels.
The funnel: 5 event steps (view, product, cart, checkout, purchase) with a 7-day window.
The log is generated once into a Parquet file in the temp folder; the child loads it into a DuckDB
table (load time printed) and times compute_funnel from that table to the result frame (wall and CPU
time; CPU time is the sum over DuckDB's threads, a fairer figure when other work shares the cores).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NAMES = ["page_view", "view", "product", "cart", "checkout", "purchase", "email_open", "support"]
WEIGHTS = [0.30, 0.20, 0.15, 0.10, 0.06, 0.04, 0.10, 0.05]
STAGES = ["awareness", "awareness", "consideration", "consideration", "conversion", "conversion",
          "retention", "loyalty"]
STEPS = ("view", "product", "cart", "checkout", "purchase")


def generate(n: int, seed: int = 7):
    """An Arrow table with the engine's events schema (optional columns null, channel filled)."""
    import numpy as np
    import pyarrow as pa

    from cjm.engine import EVENT_SCHEMA

    rng = np.random.default_rng(seed)
    customers = max(1, n // 10)
    ids = rng.integers(0, customers, n)
    start = np.datetime64("2024-01-01T00:00:00", "us").astype("int64")
    # each customer is active around their own start day, events a few days apart
    first_seen = start + rng.integers(0, 80 * 86400 * 1_000_000, customers)
    micros = first_seen[ids] + (rng.exponential(3 * 86400, n) * 1_000_000).astype("int64")
    codes = rng.choice(len(NAMES), size=n, p=WEIGHTS).astype("int32")
    stage_order = ["awareness", "consideration", "conversion", "retention", "loyalty"]
    stage_codes = np.array([stage_order.index(s) for s in STAGES], dtype="int32")[codes]
    channels = rng.integers(0, 4, n).astype("int32")
    columns = {
        "row_id": pa.array(np.arange(n, dtype="int64")),
        "customer_id": pa.array(ids).cast(pa.string()),
        "timestamp": pa.array(micros).cast(pa.timestamp("us", tz="UTC")),
        "event": pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(NAMES)).cast(pa.string()),
        "stage": pa.DictionaryArray.from_arrays(pa.array(stage_codes), pa.array(stage_order)).cast(pa.string()),
        "stage_index": pa.array(stage_codes),
        "channel": pa.DictionaryArray.from_arrays(
            pa.array(channels), pa.array(["web", "app", "email", "store"])
        ).cast(pa.string()),
    }
    arrow_types = EVENT_SCHEMA.to_pyarrow()
    arrays = [columns.get(name, pa.nulls(n, arrow_types.field(name).type)) for name in EVENT_SCHEMA.names]
    return pa.Table.from_arrays(arrays, schema=arrow_types)


def parquet_path(n: int) -> Path:
    """The generated log for n events as a Parquet file in the temp folder (written once, then reused)."""
    import pyarrow.parquet as pq

    path = Path(tempfile.gettempdir()) / f"cjm_funnel_bench_v1_{n}.parquet"  # bump v1 when generate() changes
    if not path.exists():
        partial = path.with_suffix(".partial")
        pq.write_table(generate(n), partial)
        partial.rename(path)
    return path


def run_one(n: int, modes: list[str], breakdown: bool) -> None:
    from cjm import engine
    from cjm.data.dataset import Dataset
    from cjm.journey.funnel import FunnelParams, compute_funnel

    began = time.perf_counter()
    backend = engine.local()
    table = backend.materialize(backend.read_parquet(parquet_path(n)), name="bench_events")
    dataset = Dataset.from_events(table)
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n:>11,} events  loaded from Parquet into DuckDB in {time.perf_counter() - began:.2f} s", flush=True)
    for mode in modes:
        params = FunnelParams(steps=STEPS, step_kind="event", mode=mode, window_seconds=7 * 86400,
                              breakdown="channel" if breakdown else None)
        began, cpu_began = time.perf_counter(), time.process_time()
        frame = compute_funnel(dataset, params=params)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu_began
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        entered = int(frame.loc[frame.step_number == 1, "customers"].sum())
        converted = int(frame.loc[frame.step_number == len(STEPS), "customers"].sum())
        print(f"{n:>11,} events  {mode:<8} {seconds:7.2f} s (CPU {cpu:6.2f} s)   peak RSS {peak:7.0f} MB "
              f"(after loading {rss_loaded:.0f} MB)   entered {entered:,}  converted {converted:,}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000], help="numbers of events")
    modes = ["ordered", "strict", "any"]
    parser.add_argument("--modes", nargs="+", default=modes, choices=modes)
    parser.add_argument("--breakdown", action="store_true", help="also break down by channel (first touch)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.child, args.modes, args.breakdown)
        return
    for n in args.sizes:
        parquet_path(n)  # generated here, so the child's memory is the funnel's and DuckDB's alone
        command = [sys.executable, __file__, "--child", str(n), "--modes", *args.modes]
        if args.breakdown:
            command.append("--breakdown")
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
