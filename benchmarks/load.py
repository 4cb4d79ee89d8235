"""Many users: N concurrent headless Chromium sessions against one cjm server on loopback.

    .venv/bin/python benchmarks/load.py                  # N = 1, 5, 20
    .venv/bin/python benchmarks/load.py --users 1 5 --rounds 2

The script starts `streamlit run app.py` on a free loopback port (the flags of tests/browser.py), then
for each N opens N browser contexts at once in one Debian Chromium (Playwright, async API), each one a
separate Streamlit session. Each session:
  1. open the demo: the Overview page until its first chart is drawn and the run is over;
  2. change the funnel window: the Funnel page, "Funnel settings", Conversion window = 3 (days), until
     the caption says "window 3 days" and the run is over;
  3. open the journeys: the Journeys page (the journey map page once it exists) until its first chart
     is drawn and the run is over.
It prints the latency of each step (p50 / p95 / max, seconds, from the click to the settled page) and
every error: a Python exception box on a page, or a step that did not finish within --timeout seconds.
The server's resident memory (RSS) after each N is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, start_streamlit, stop  # noqa: E402

MAP_PAGE_TITLES = ("Journey map", "Journey maps", "Maps")  # preferred when main has such a page


def rss_mb(pid: int) -> float:
    import psutil

    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


async def settle(page, timeout_ms: int) -> None:
    await page.wait_for_timeout(200)
    await page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=timeout_ms)


async def check_no_exception(page, step: str) -> None:
    if await page.locator('[data-testid="stException"]').count():
        text = await page.locator('[data-testid="stException"]').first.inner_text()
        raise RuntimeError(f"{step}: exception on the page: {text.splitlines()[0][:160]}")


async def session(browser, url: str, timeout_ms: int, journey_title: str, results: dict, errors: list) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1800})
    context.set_default_timeout(timeout_ms)
    page = await context.new_page()
    step = "open demo"
    try:
        start = time.monotonic()
        await page.goto(url)
        await page.locator('[data-testid="stVegaLiteChart"] svg').first.wait_for()
        await settle(page, timeout_ms)
        await check_no_exception(page, step)
        results[step].append(time.monotonic() - start)

        step = "change funnel window"
        start = time.monotonic()
        await page.get_by_test_id("stSidebarNav").get_by_role("link", name="Funnel", exact=True).click()
        await page.get_by_test_id("stExpander").get_by_text("Funnel settings").click()
        window = page.locator('input[aria-label="Conversion window"]')
        await window.fill("3")
        await window.press("Enter")
        await page.get_by_text("window 3 days").first.wait_for()
        await settle(page, timeout_ms)
        await check_no_exception(page, step)
        results[step].append(time.monotonic() - start)

        step = f"open {journey_title}"
        start = time.monotonic()
        await page.get_by_test_id("stSidebarNav").get_by_role("link", name=journey_title, exact=True).click()
        await page.locator('[data-testid="stVegaLiteChart"] svg, [data-testid="stGraphVizChart"] svg, '
                           'iframe').first.wait_for()
        await settle(page, timeout_ms)
        await check_no_exception(page, step)
        results[step].append(time.monotonic() - start)
    except Exception as exc:  # a timeout or an exception box: counted and printed, the run goes on
        errors.append(f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        await context.close()


async def find_journey_page(browser, url: str) -> str:
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(url)
    nav = page.get_by_test_id("stSidebarNav")
    await nav.wait_for()
    titles = [t.strip() for t in await nav.get_by_role("link").all_inner_texts()]
    await context.close()
    for title in MAP_PAGE_TITLES:
        if any(t == title or t.endswith("\n" + title) or t.endswith(title) for t in titles):
            return title
    return "Journeys"


def quantile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


async def run(args) -> int:
    from playwright.async_api import async_playwright

    server, url = start_streamlit(timeout=90)
    failures = 0
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            journey_title = await find_journey_page(browser, url)
            warm = {"open demo": [], "change funnel window": [], f"open {journey_title}": []}
            await session(browser, url, args.timeout * 1000, journey_title, warm, [])  # caches warm once
            print(f"server {url}, pid {server.pid}; journey step opens '{journey_title}'; "
                  f"RSS after warm-up {rss_mb(server.pid):.0f} MB")
            print(f"{'users':>5}  {'step':<22} {'n':>3} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
            for users in args.users:
                for _ in range(args.rounds):
                    results = {k: [] for k in warm}
                    errors: list[str] = []
                    started = time.monotonic()
                    await asyncio.gather(*(session(browser, url, args.timeout * 1000, journey_title, results,
                                                   errors) for _ in range(users)))
                    wall = time.monotonic() - started
                    for step, values in results.items():
                        if values:
                            print(f"{users:>5}  {step:<22} {len(values):>3} {quantile(values, .5):>7.2f} "
                                  f"{quantile(values, .95):>7.2f} {max(values):>7.2f}")
                        else:
                            print(f"{users:>5}  {step:<22} {0:>3}       -       -       -")
                    print(f"{users:>5}  errors: {len(errors)}; wall {wall:.1f} s; server RSS {rss_mb(server.pid):.0f} MB")
                    for error in errors:
                        print(f"         - {error}")
                    failures += len(errors)
            await browser.close()
    finally:
        stop(server)
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--rounds", type=int, default=1, help="repeat each N this many times")
    parser.add_argument("--timeout", type=int, default=180, help="seconds a step may take before it is an error")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
