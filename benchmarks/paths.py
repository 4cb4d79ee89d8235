"""Benchmark: journey variants, flows (transitions + matrix) and gaps on generated event logs.

    .venv/bin/python benchmarks/paths.py                    # 100k events (under a minute)
    .venv/bin/python benchmarks/paths.py --sizes 1000000 10000000

Each size runs in its own process so the peak resident memory (ru_maxrss) belongs to that size.
Data: ~10 events per customer over the 5-stage model, customers moving forward with some returns,
device / channel / department switches; generated with numpy and loaded as an Arrow table.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cjm import engine
from cjm.journey import gaps, paths
from cjm.data import schema
from cjm.data.dataset import Dataset

STAGES = schema.STAGE_MODELS["5"]
EVENTS_BY_STAGE = (
    ("ad_click", "social_view"),
    ("page_view", "product_view", "add_to_cart"),
    ("purchase",),
    ("invoice", "support_ticket"),
    ("repeat_purchase", "referral"),
)
CHANNELS = ("web", "mobile app", "email", "social", "store")
DEVICES = ("mobile", "desktop", "tablet")
DEPARTMENTS = ("marketing", "sales", "support", "billing")


def _strings(codes: np.ndarray, values) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype("int32")), pa.array(list(values))).cast(pa.string())


def generate_events(n_events: int, *, seed: int = 7) -> pa.Table:
    """An events table with the engine's schema (vectorised; no loop over customers or events)."""
    rng = np.random.default_rng(seed)
    n_customers = max(n_events // 10, 1)
    customer = np.sort(rng.integers(0, n_customers, n_events))
    starts = np.r_[0, np.flatnonzero(np.diff(customer)) + 1]
    first_of = np.zeros(n_events, dtype=np.int64)
    first_of[starts] = starts
    first_of = np.maximum.accumulate(first_of)
    position = np.arange(n_events) - first_of
    sizes = np.diff(np.r_[starts, n_events])
    length = np.repeat(sizes, sizes)
    furthest = rng.choice(5, size=n_customers, p=[0.35, 0.3, 0.15, 0.12, 0.08])[customer]
    stage = np.floor(position / length * (furthest + 1)).astype(np.int64)
    back = rng.random(n_events) < 0.08
    stage = np.where(back, np.maximum(stage - 1, 0), stage)
    offsets = np.cumsum([0] + [len(e) for e in EVENTS_BY_STAGE])
    names = [e for group in EVENTS_BY_STAGE for e in group]
    choice = rng.integers(0, 1 << 30, n_events) % np.array([len(e) for e in EVENTS_BY_STAGE])[stage]
    event = offsets[stage] + choice

    gap_seconds = rng.exponential(6 * 3600, n_events).astype(np.int64)
    gap_seconds[starts] = rng.integers(0, 365 * 86400, len(starts))
    seconds = np.cumsum(gap_seconds) - np.repeat(np.cumsum(gap_seconds)[starts] - gap_seconds[starts], sizes)
    micros = (1_700_000_000 + seconds) * 1_000_000

    def sticky(n_values: int, switch: float) -> np.ndarray:
        base = rng.integers(0, n_values, n_customers)[customer]
        other = rng.integers(0, n_values, n_events)
        return np.where(rng.random(n_events) < switch, other, base)

    device = sticky(len(DEVICES), 0.12)
    channel = sticky(len(CHANNELS), 0.2)
    department = np.minimum(stage, 3)
    revenue = np.where(np.isin(event, [names.index("purchase"), names.index("repeat_purchase")]),
                       rng.gamma(2.0, 40.0, n_events), np.nan)
    ids = np.char.add("c", np.char.zfill(customer.astype(str), 8))
    table = pa.table({
        "row_id": pa.array(np.arange(n_events, dtype=np.int64)),
        "customer_id": pa.array(ids),
        "timestamp": pa.array(micros).cast(pa.timestamp("us", tz="UTC")),
        "event": _strings(event, names),
        "stage": _strings(stage, STAGES),
        "stage_index": pa.array(stage.astype(np.int32)),
        "channel": _strings(channel, CHANNELS),
        "device": _strings(device, DEVICES),
        "department": _strings(department, DEPARTMENTS),
        "session_id": pa.nulls(n_events, pa.string()),
        "revenue": pa.array(revenue, from_pandas=True),
        "score": pa.nulls(n_events, pa.float64()),
        "text": pa.nulls(n_events, pa.string()),
        "variant": pa.nulls(n_events, pa.string()),
    })
    return table


def _timed(label: str, function, results: dict):
    """Wall and CPU seconds (CPU of all the process's threads: a fairer figure on a busy machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = function()
    results[label] = (round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2))
    return out


def run_one(n_events: int) -> dict:
    results: dict = {}
    table = _timed("generate", lambda: generate_events(n_events), results)
    events = _timed("load into DuckDB", lambda: engine.register(table, name=f"bench_{n_events}"), results)
    dataset = Dataset.from_events(events, stages=STAGES)
    del table
    stage, event = paths.PathParams(level="stage"), paths.PathParams(level="event")
    found = _timed("variants, stage level", lambda: paths.compute_variants(dataset, params=stage), results)
    counts = {"variants (stage level)": len(found)}
    found = _timed("variants, event level", lambda: paths.compute_variants(dataset, params=event), results)
    counts["variants (event level)"] = len(found)
    _timed("flow edges, stage level", lambda: paths.compute_transitions(dataset, params=stage), results)
    _timed("flow edges, event level", lambda: paths.compute_transitions(dataset, params=event), results)
    _timed("transition matrix, event level", lambda: paths.compute_transition_matrix(dataset, params=event), results)
    for dimension in ("device", "channel"):
        found = _timed(f"gaps by {dimension}", lambda: gaps.compute_gaps(
            dataset, params=gaps.GapParams(dimension=dimension)), results)
        counts[f"{dimension} switch types"] = len(found)
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return {"events": n_events, "timings": results, "counts": counts, "peak_rss_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000], help="numbers of events")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    for size in args.sizes:
        done = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True, text=True)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            raise SystemExit(done.returncode)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{r['events']:,} events (~{r['events'] // 10:,} customers), peak RSS {r['peak_rss_mb']:,} MB")
        for label, (wall, cpu) in r["timings"].items():
            print(f"  {label:<32} {wall:>7.2f} s wall  {cpu:>7.2f} s CPU")
        print("  " + ", ".join(f"{k}: {v:,}" for k, v in r["counts"].items()))


if __name__ == "__main__":
    main()
