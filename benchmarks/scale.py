"""Large data on one machine: the funnel and the full report on 10M and 100M events read in place.

    .venv/bin/python benchmarks/scale.py                          # 10M events: funnel, then full report
    .venv/bin/python benchmarks/scale.py --sizes 100000000 --only report

The events are generated once per size as a Parquet file in the temp folder (or --dir), streamed to
disk in chunks of 100,000 customers (never the whole log in memory). Each measurement runs in a fresh
subprocess, reading the Parquet file in place through cjm.data.source.dataset_from_files (an in-process
DuckDB with its memory limit and spill folder: CJM_DUCKDB_MEMORY_LIMIT, CJM_DUCKDB_SPILL_DIR), and prints
the wall and CPU time of the analysis (the funnel, or the full report) once the file is open, the time to
open it (one scan of the Parquet file into DuckDB's storage, like loading an upload) and the total, and
the peak resident memory (ru_maxrss of that process: Python + DuckDB).
Data (numpy, seeded): ~10 events per customer over a year, export-like columns (customer_id,
event_time, event, channel, device, department, revenue, rating, comment, variant); event names from the
touchpoint dictionary so the 5-stage model maps them; purchases carry revenue.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EVENTS = ["ad_click", "page_view", "product_view", "add_to_cart", "checkout_started", "purchase",
          "email_open", "support_ticket", "review_written"]
CHANNELS = ["web", "mobile app", "email", "store", "social"]
DEVICES = ["mobile", "desktop", "tablet"]
DEPARTMENTS = ["marketing", "sales", "support", "billing"]
COMMENTS = ["Great service, fast delivery", "The checkout kept failing", "Okay but slow support",
            "Love the app", "Terrible experience, never again", "Prices are fair"]
STEPS = ("product_view", "add_to_cart", "checkout_started", "purchase")
CHUNK_CUSTOMERS = 100_000
EVENTS_PER_CUSTOMER = 10


def _chunk(rng, first: int, customers: int):
    import numpy as np
    import pyarrow as pa

    counts = rng.poisson(EVENTS_PER_CUSTOMER - 1, customers) + 1
    n = int(counts.sum())
    owner = np.repeat(np.arange(first, first + customers), counts)
    start = np.datetime64("2025-01-01T00:00:00", "us").astype("int64")
    begins = start + rng.integers(0, 330 * 86400 * 1_000_000, customers)
    gaps = (rng.exponential(1.5 * 86400, n) * 1_000_000).astype("int64")
    position_start = np.repeat(np.cumsum(counts) - counts, counts)
    cumulative = np.cumsum(gaps)
    within = cumulative - np.repeat(cumulative[np.cumsum(counts) - counts], counts)
    micros = (np.repeat(begins, counts) + within) // 1_000_000 * 1_000_000  # whole seconds, as exports have
    position = np.arange(n) - position_start
    # funnel-like: early events are browsing, later ones progress towards purchase and after-sales
    weights = np.array([0.10, 0.25, 0.25, 0.14, 0.08, 0.06, 0.07, 0.03, 0.02])
    codes = rng.choice(len(EVENTS), size=n, p=weights)
    late = position >= 3
    codes = np.where(late & (rng.random(n) < 0.15), 5, codes)
    is_purchase = codes == 5
    revenue = np.where(is_purchase, np.round(rng.gamma(2.0, 40.0, n), 2), np.nan)
    rated = rng.random(n) < 0.04
    rating = np.where(rated, rng.integers(1, 6, n), np.nan)
    commented = rated & (rng.random(n) < 0.5)
    comment_codes = rng.integers(0, len(COMMENTS), n)

    def labels(values, codes_):
        return pa.DictionaryArray.from_arrays(pa.array(codes_.astype("int32")), pa.array(values)).cast(pa.string())

    customer_ids = pa.array(np.char.add("c", np.char.zfill(owner.astype(str), 9)))
    return pa.table({
        "customer_id": customer_ids,
        "event_time": pa.array(micros).cast(pa.timestamp("us", tz="UTC")),
        "event": labels(EVENTS, codes),
        "channel": labels(CHANNELS, rng.integers(0, len(CHANNELS), n)),
        "device": labels(DEVICES, rng.choice(3, size=n, p=[0.55, 0.35, 0.10])),
        "department": labels(DEPARTMENTS, rng.integers(0, len(DEPARTMENTS), n)),
        "revenue": pa.array(revenue, from_pandas=True),
        "rating": pa.array(rating, from_pandas=True),
        "comment": pa.array(np.where(commented, np.array(COMMENTS, dtype=object)[comment_codes], None), type=pa.string()),
        "variant": labels(["A", "B"], (owner % 2)),
    })


def parquet_path(n: int, folder: Path) -> Path:
    """n events (about; whole customers) as one Parquet file, written in chunks, then reused."""
    import numpy as np
    import pyarrow.parquet as pq

    path = folder / f"cjm_scale_v2_{n}.parquet"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    rng = np.random.default_rng(7)
    written, first, writer = 0, 0, None
    began = time.perf_counter()
    try:
        while written < n:
            customers = min(CHUNK_CUSTOMERS, max(1, (n - written) // EVENTS_PER_CUSTOMER))
            table = _chunk(rng, first, customers)
            if writer is None:
                writer = pq.ParquetWriter(partial, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=1_000_000)
            written += table.num_rows
            first += customers
    finally:
        if writer is not None:
            writer.close()
    partial.rename(path)
    print(f"generated {written:,} events for {first:,} customers in {time.perf_counter() - began:.0f} s "
          f"({path.stat().st_size / 1e9:.2f} GB Parquet)", flush=True)
    return path


def measure(path: str, what: str) -> dict:
    """In this (fresh) process: read the file in place and run the funnel or the full report."""
    from cjm.data.columns import ColumnMapping
    from cjm.data.source import dataset_from_files
    from cjm.journey.funnel import FunnelParams, compute_funnel
    from cjm.report.build import build_report

    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "event_time", "event": "event",
                                     "channel": "channel", "device": "device", "department": "department",
                                     "revenue": "revenue", "score": "rating", "text": "comment",
                                     "variant": "variant"})
    began, cpu = time.perf_counter(), time.process_time()
    dataset = dataset_from_files(path, mapping=mapping)
    opened, opened_cpu = time.perf_counter() - began, time.process_time() - cpu
    if what == "funnel":
        frame = compute_funnel(dataset, params=FunnelParams(steps=STEPS, step_kind="event",
                                                            window_seconds=7 * 86400))
        detail = {"customers": frame["customers"].tolist()}
    else:
        report = build_report(dataset)
        detail = {"sections": sorted(k for k in report if k not in ("rows", "mapping", "skipped")),
                  "skipped": sorted(report["skipped"]),
                  "segments_sample": report.get("segments", {}).get("sample")}
    total, total_cpu = time.perf_counter() - began, time.process_time() - cpu
    return {"what": what, "open_seconds": round(opened, 2), "open_cpu_seconds": round(opened_cpu, 2),
            "seconds": round(total - opened, 2), "cpu_seconds": round(total_cpu - opened_cpu, 2),
            "total_seconds": round(total, 2),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "memory_limit": dataset.backend.memory_limit, **detail}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000000", help="comma-separated event counts")
    parser.add_argument("--only", choices=["funnel", "report"], help="run one measurement (default: both)")
    parser.add_argument("--dir", default=tempfile.gettempdir(), help="where the Parquet files are kept")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "WHAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)), flush=True)
        return
    for n in (int(s) for s in args.sizes.split(",")):
        path = parquet_path(n, Path(args.dir))
        for what in ([args.only] if args.only else ["funnel", "report"]):
            load = os.getloadavg()[0]
            out = subprocess.run([sys.executable, __file__, "--child", str(path), what], capture_output=True,
                                 text=True, cwd=ROOT)
            if out.returncode:
                print(f"{n:>12,} events  {what}: FAILED\n{out.stderr[-3000:]}", flush=True)
                continue
            result = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{n:>12,} events  {what:<7} {result['seconds']:>8.1f} s wall  {result['cpu_seconds']:>8.1f} s CPU  "
                  f"peak {result['peak_mb']:>7,} MB  (after opening the file in place: {result['open_seconds']} s, "
                  f"{result['total_seconds']} s in all; DuckDB limit {result['memory_limit']}; load average "
                  f"{load:.1f} at start)", flush=True)
            print("    " + json.dumps({k: v for k, v in result.items() if k not in ("what",)}), flush=True)


if __name__ == "__main__":
    main()
