"""Server memory under many uploads: 50 distinct files uploaded one after another into one cjm server.

    .venv/bin/python benchmarks/memory.py                    # 50 uploads of 100,000 events each
    .venv/bin/python benchmarks/memory.py --uploads 20 --rows 20000

Starts `streamlit run app.py` on loopback (the flags of tests/browser.py), opens the Data page in one
headless Chromium session and uploads a new, distinct events CSV (seeded by its number) each time,
after removing the previous one from the uploader (it takes several files at once: without that,
upload n would load files 1..n together), waiting until the page shows the file's row accounting. After every upload it prints the resident
memory (RSS) of the server process tree. At the end: the RSS before the first upload, the largest, the
last, and the growth over the second half of the uploads. With caches bounded by size, the RSS levels
off once the caches are full; the bound in force is printed when the app exposes one (CJM_CACHE_MB or
cjm.ui.data.CACHE_BYTES); otherwise the caches are bounded by entry counts only (say so in the note).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))
from load import rss_mb, start_server  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

EVENTS = np.array(["ad_click", "product_view", "add_to_cart", "checkout_started", "purchase", "support_ticket"])


def write_events(path: Path, rows: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    customers = rng.integers(0, rows // 8, rows)
    start = np.datetime64("2024-01-01T00:00:00") + rng.integers(0, 90 * 86400, rows).astype("timedelta64[s]")
    with open(path, "w") as f:
        f.write("customer_id,timestamp,event,channel,revenue\n")
        for c, t, e, ch, r in zip(customers, start.astype(str), EVENTS[rng.integers(0, 6, rows)],
                                  np.array(["web", "app", "email", "store"])[rng.integers(0, 4, rows)],
                                  rng.gamma(2.0, 30.0, rows).round(2)):
            f.write(f"u{seed}_{c},{t},{e},{ch},{r}\n")


def configured_bound() -> str:
    try:
        from cjm.data.snapshots import cache_bytes

        return f"{cache_bytes() / 2**20:,.0f} MB (CJM_CACHE_MB, cjm.data.snapshots.cache_bytes)"
    except ImportError:
        pass
    if os.environ.get("CJM_CACHE_MB"):
        return f"{os.environ['CJM_CACHE_MB']} MB (CJM_CACHE_MB)"
    try:
        from cjm.ui import data

        for name in ("CACHE_BYTES", "CACHE_LIMIT_BYTES", "MAX_CACHE_BYTES"):
            if hasattr(data, name):
                return f"{getattr(data, name) / 2**20:.0f} MB (cjm.ui.data.{name})"
    except Exception:
        pass
    return "none by size (caches bounded by entry counts)"


HELD = re.compile(r"cache now: (\d+) sets? of files, ([\d,.]+) MB of [\d,.]+ MB; uploaded files: (\d+), ([\d,.]+) MB")


def cache_held(page) -> tuple[int, float, int, float] | None:
    """(sets of files, MB, uploaded files, MB) the two caches hold, as the Data page states it at the end
    of its run (None if the page does not say)."""
    caption = page.get_by_text("Loaded data in this server's cache now")
    try:
        caption.wait_for(timeout=30_000)
    except Exception:  # noqa: BLE001 - an app without the statement
        return None
    found = HELD.search(caption.inner_text())
    if not found:
        return None
    return (int(found.group(1)), float(found.group(2).replace(",", "")), int(found.group(3)),
            float(found.group(4).replace(",", "")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = start_server(port)
    url = f"http://127.0.0.1:{port}"
    figures = []
    try:
        with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            page.set_default_timeout(300_000)
            page.goto(f"{url}/data")
            page.get_by_text("Every row was used.").wait_for()
            page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
            before = rss_mb(server.pid)
            print(f"server {url}; cache bound: {configured_bound()}; RSS before uploads {before:.0f} MB")
            print(f"{'upload':>6} {'rows':>8} {'file MB':>8} {'load s':>7} {'RSS MB':>7} {'sets':>5} "
                  f"{'data MB':>8} {'files':>5} {'files MB':>8}")
            for i in range(1, args.uploads + 1):
                path = Path(folder) / f"events_{i:03d}.csv"
                write_events(path, args.rows, seed=i)
                start = time.monotonic()
                uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Upload exports")
                # The uploader takes several files (events + customers + feedback): remove the previous upload
                # first, or upload n would be files 1..n together.
                remove = uploader.locator('button[aria-label^="Remove "]')
                while remove.count():
                    remove.first.click()
                    page.wait_for_timeout(300)
                    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
                uploader.locator("input[type=file]").first.set_input_files(str(path))
                page.get_by_text(f"{path.name} (events)").wait_for()
                page.wait_for_timeout(200)
                page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
                held = cache_held(page) or (-1, float("nan"), -1, float("nan"))
                seconds = time.monotonic() - start
                rss = rss_mb(server.pid)
                figures.append((rss, held))
                print(f"{i:>6} {args.rows:>8,} {path.stat().st_size / 2**20:>8.1f} {seconds:>7.1f} {rss:>7.0f} "
                      f"{held[0]:>5} {held[1]:>8.1f} {held[2]:>5} {held[3]:>8.1f}", flush=True)
                path.unlink()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    rss = [r for r, _ in figures]
    print("RSS after every 10 uploads: " + ", ".join(f"{n}: {rss[n - 1]:,.0f} MB" for n in range(10, len(rss) + 1, 10)))
    half = rss[len(rss) // 2:]
    print(f"RSS: before {before:,.0f} MB, largest {max(rss):,.0f} MB, last {rss[-1]:,.0f} MB; "
          f"growth over uploads {len(rss) - len(half) + 1}-{len(rss)}: {half[-1] - half[0]:+.0f} MB")
    bound = cache_mb()
    if bound is not None:
        last, (sets, data_mb, files, files_mb) = figures[-1]
        rest = last - before - data_mb - files_mb
        print(f"The bound: RSS <= RSS before uploads + the two caches full (2 x CJM_CACHE_MB = {2 * bound:,.0f} MB) "
              f"+ the working set of the session (its current upload being parsed and shown).")
        print(f"Last: {last:,.0f} MB = before {before:,.0f} + loaded data {data_mb:,.1f} ({sets} sets of files) "
              f"+ uploaded files {files_mb:,.1f} + working set and allocator slack {rest:,.0f} MB; "
              f"largest growth over the baseline {max(rss) - before:,.0f} MB vs caches bound {2 * bound:,.0f} MB: "
              f"{'within' if max(rss) - before <= 2 * bound + max(rest, 0) else 'BEYOND'} the bound.")
    return 0


def cache_mb() -> float | None:
    try:
        from cjm.data.snapshots import cache_bytes

        return cache_bytes() / 2**20
    except ImportError:
        return None


if __name__ == "__main__":
    sys.exit(main())
