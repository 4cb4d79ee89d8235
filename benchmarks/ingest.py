"""Load time and peak memory: a generated export (CSV and Parquet) -> a ready journey dataset.

    .venv/bin/python benchmarks/ingest.py --events 1000000
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cjm.data.dataset import SourceFile, build_dataset, parse_files  # noqa: E402

EVENTS = np.array(["ad_click", "page_view", "product_view", "add_to_cart", "checkout_started", "purchase",
                   "support_ticket", "review_written"])


def export(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    customers = max(n // 10, 1)
    start = np.datetime64("2025-01-01T00:00:00", "s")
    seconds = rng.integers(0, 365 * 86400, n)
    return pd.DataFrame({
        "user_id": np.char.add("U", rng.integers(0, customers, n).astype(str)),
        "event_time": np.datetime_as_string(start + seconds, unit="s"),
        "event_type": EVENTS[rng.integers(0, len(EVENTS), n)],
        "channel": np.array(["web", "email", "social", "store"])[rng.integers(0, 4, n)],
        "device": np.array(["mobile", "desktop", "tablet"])[rng.integers(0, 3, n)],
        "user_session": np.char.add("S", (rng.integers(0, n // 3 + 1, n)).astype(str)),
        "price": np.round(rng.gamma(2, 30, n), 2),
    })


def measure(path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    parsed = parse_files([SourceFile.from_path(path)])
    dataset = build_dataset(parsed)
    seconds = time.perf_counter() - start
    assert parsed.accounting.rows_in == parsed.accounting.rows_used + parsed.accounting.rows_rejected
    return seconds, dataset.accounting.rows_used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    print(f"{'file':<10}{'events':>12}{'load s':>10}{'rows used':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm.csv"
        export(1000).to_csv(warm, index=False)
        measure(warm)  # imports and the engine start once per server, not per upload
        for n in args.events:
            frame = export(n)
            csv, parquet = Path(tmp) / f"events_{n}.csv", Path(tmp) / f"events_{n}.parquet"
            frame.to_csv(csv, index=False)
            frame.to_parquet(parquet, index=False)
            del frame
            for path in (csv, parquet):
                seconds, used = measure(path)
                print(f"{path.suffix[1:]:<10}{n:>12,}{seconds:>10.2f}{used:>12,}", flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
