"""The full report on about 1M generated events, next to DuckDB's plain scan and group of the same CSV.

Usage:  .venv/bin/python benchmarks/report.py [--events 1000000] [--csv PATH] [--seed 7]

The demo generator (cjm.data.demo: the same kind of export as the shipped demo, with channels,
sessions, revenue, ratings and comments) writes a CSV of about --events rows (about 7.3 events per
customer), kept at --csv and reused when it is already there (generation is not timed). Then, in the
same process and run:

- the plain scan: DuckDB reads the CSV and counts events and distinct customers per event name;
- the full report: the CSV loaded into a Dataset and every section of `python -m cjm report` built
  (the same functions as the command line, after the imports, which are timed separately).

Printed: both wall times, their ratio (target <= 8) and the process's peak resident memory (ru_maxrss:
Python, pandas and DuckDB together), plus that of the language-detection worker process (Lingua's models,
cjm.voice.languages). tracemalloc is not used: it slows pandas' parsing several times over.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

EVENTS_PER_CUSTOMER = 7.3  # what the demo generator produces on average


def write_csv(path: Path, events: int, seed: int) -> None:
    from cjm.data.demo import generate_demo

    frame, _ = generate_demo(customers=max(int(events / EVENTS_PER_CUSTOMER), 1), seed=seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")


def plain_scan(path: Path) -> tuple[float, int]:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect()
    rows = con.execute(f"SELECT event, count(*) AS events, count(DISTINCT customer_id) AS customers "
                       f"FROM read_csv_auto('{path}') GROUP BY event").fetchall()
    con.close()
    return time.perf_counter() - started, len(rows)


def full_report(path: Path) -> tuple[float, float, dict]:
    from cjm.data.dataset import load_dataset
    from cjm.report import build_report
    from cjm.voice.languages import preload_language_models

    started = time.perf_counter()
    preload_language_models()  # what `python -m cjm report` does first: the models load while the CSV is read
    dataset = load_dataset([path])
    loaded = time.perf_counter() - started
    report = build_report(dataset)
    return loaded, time.perf_counter() - started, report


def _worker_peak_mb() -> float | None:
    """Peak resident size of the language-detection worker process (Linux /proc), if it was started."""
    from cjm.voice import languages

    warming = languages._warming
    if warming is None or not warming.done() or warming.exception() is not None:
        return None
    pid, _ = warming.result()
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), None)
    return int(line.split()[1]) / 1024 if line else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--csv", type=Path, default=Path("/tmp/cjm-bench/events_1m.csv"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not args.csv.exists():
        print(f"writing {args.csv} (about {args.events:,} events; not timed)…", flush=True)
        write_csv(args.csv, args.events, args.seed)
    started = time.perf_counter()
    import cjm.report  # noqa: F401  (imports: scikit-learn, scipy, ibis, …)
    from cjm.engine import settle_imports

    settle_imports()  # as `python -m cjm report` does once its modules are imported
    imports = time.perf_counter() - started
    scan, groups = plain_scan(args.csv)
    loaded, seconds, report = full_report(args.csv)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = _worker_peak_mb()
    print(f"events: {report['rows']['used']:,} ({args.csv.stat().st_size / 2**20:,.0f} MB CSV, {groups} event names)")
    print(f"DuckDB scan + group of the CSV: {scan:6.2f} s")
    print(f"full report (load + every section): {seconds:6.2f} s   (of which loading {loaded:.2f} s; "
          f"imports before it: {imports:.2f} s)")
    print(f"ratio: {seconds / scan:.1f}  (target <= 8)")
    print(f"peak memory: {rss:,.0f} MB (process peak resident size, ru_maxrss)"
          + (f" + {worker:,.0f} MB in the language worker (its VmHWM)" if worker else ""))
    print(f"sections skipped: {sorted(report['skipped']) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
