"""The numbers do not move: regenerate the full report of the demo data and of each real export in
../shared/data and compare it with reports saved before a change.

    python benchmarks/same_numbers.py BASELINE_DIR [--write OUT_DIR] [--allow-new KEY ...]

Prints, per dataset, "same" or every differing JSON path (old -> new). Keys that exist only in the new
report are listed as "added" and allowed (an issue may add keys); anything removed or changed fails.
Exit status 0 when every dataset matches, 1 otherwise. Files absent on this machine are skipped.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared/data next to the checkout (the main checkout) or next to the worktrees' folder (a worktree)
SHARED = next((p for p in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data") if p.exists()),
              ROOT.parent / "shared" / "data")
DATASETS = {  # name -> inputs (relative to the repository for the demo, to ../shared/data otherwise)
    "demo": [ROOT / "data" / "demo_events.csv.gz", ROOT / "data" / "demo_customers.csv"],
    "tweets": [SHARED / "airline_tweets.csv"],
    "cdnow": [SHARED / "cdnow_master.txt"],
    "marketing": [SHARED / "marketing_campaign.csv"],
    "rees46": [SHARED / "rees46_2019-Oct-sample.csv"],
    "olist_mql": [SHARED / "olist_marketing_funnel" / "olist_marketing_qualified_leads_dataset.csv"],
    "olist_deals": [SHARED / "olist_marketing_funnel" / "olist_closed_deals_dataset.csv"],
}


def differences(old, new, path="$"):
    """(kind, path, old, new) for every leaf that differs; kind is "changed", "removed" or "added"."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old:
            if key not in new:
                yield "removed", f"{path}.{key}", old[key], None
            else:
                yield from differences(old[key], new[key], f"{path}.{key}")
        for key in new:
            if key not in old:
                yield "added", f"{path}.{key}", None, new[key]
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            yield "changed", f"{path}[len]", len(old), len(new)
        for i, (a, b) in enumerate(zip(old, new)):
            yield from differences(a, b, f"{path}[{i}]")
    elif isinstance(old, float) and isinstance(new, float):
        if not (old == new or (math.isnan(old) and math.isnan(new)) or math.isclose(old, new, rel_tol=1e-9,
                                                                                        abs_tol=1e-12)):
            yield "changed", path, old, new
    elif old != new:
        yield "changed", path, old, new


def report(inputs: list[Path]) -> tuple[int, str, str]:
    run = subprocess.run([sys.executable, "-m", "cjm", "report", *map(str, inputs)], cwd=ROOT,
                         capture_output=True, text=True)
    return run.returncode, run.stdout, run.stderr


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", type=Path)
    parser.add_argument("--write", type=Path, help="also save the new reports here")
    parser.add_argument("--only", nargs="*", help="dataset names (default: all)")
    args = parser.parse_args(argv)
    failed = False
    for name, inputs in DATASETS.items():
        if args.only and name not in args.only:
            continue
        saved = args.baseline / f"{name}.json"
        if not saved.exists() or not all(p.exists() for p in inputs):
            print(f"{name}: skipped (no baseline or input on this machine)")
            continue
        rc, out, err = report(inputs)
        if args.write:
            args.write.mkdir(parents=True, exist_ok=True)
            (args.write / f"{name}.json").write_text(out)
        if rc != 0:
            print(f"{name}: the report failed (exit {rc}): {err.strip()[:300]}")
            failed = True
            continue
        found = list(differences(json.loads(saved.read_text()), json.loads(out)))
        wrong = [d for d in found if d[0] != "added"]
        added = [d[1] for d in found if d[0] == "added"]
        print(f"{name}: {'same' if not wrong else f'{len(wrong)} differences'}"
              + (f" (added: {', '.join(added)})" if added else ""))
        for kind, path, a, b in wrong[:20]:
            print(f"  {kind} {path}: {str(a)[:80]} -> {str(b)[:80]}")
        failed |= bool(wrong)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
