"""Real-browser fixtures: `streamlit run app.py` on a free loopback port, driven by Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(*, env: dict | None = None, stdout=subprocess.DEVNULL, args: tuple[str, ...] = (),
                    timeout: float = 60) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free loopback port, once it answers its health check: (process, URL).
    Raises RuntimeError when it does not within `timeout` seconds (the process is stopped)."""
    port = free_port()
    env = dict(env or os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
         # screenshots land in artifacts/ inside the app folder: a watching server would react to them
         "--server.fileWatcherType", "none", *args],
        cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.STDOUT if stdout is not subprocess.DEVNULL else stdout)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return proc, url
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise RuntimeError(f"streamlit did not start within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def streamlit_app(*, env: dict | None = None, stdout=subprocess.DEVNULL, args: tuple[str, ...] = ()):
    """`streamlit run app.py` on a free loopback port; yields its URL and always stops the server."""
    try:
        proc, url = start_streamlit(env=env, stdout=stdout, args=args)
    except RuntimeError as error:
        pytest.fail(str(error))
    try:
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def app_url():
    with streamlit_app() as url:
        yield url


@pytest.fixture(scope="session")
def playwright_session():
    """The one Playwright driver of the test session (a second sync driver cannot start inside the first)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser_context(playwright_session):
    with tempfile.TemporaryDirectory() as profile:
        context = playwright_session.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 2200})
        context.set_default_timeout(60_000)
        yield context
        context.close()


@pytest.fixture
def page(browser_context, app_url, request):
    page = browser_context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:  # what the browser showed when the test failed
        screenshot(page, f"FAILED-{request.node.name}")
    page.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_page(page, url: str, path: str = ""):
    page.goto(f"{url}/{path}")
    page.wait_for_selector('[data-testid="stApp"]')
    return page


def wait_until_idle(page) -> None:
    """Wait until the script run is over (Streamlit's 'Running…' status widget has gone)."""
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")


def upload(page, path) -> None:
    """Upload a file through the Data page's uploader once the page has finished running.

    Uploading while the first run is still drawing the page can leave the upload unprocessed."""
    wait_until_idle(page)
    # The exports uploader by its label: the Data page has others (e.g. "Apply a saved mapping").
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Upload exports")
    uploader.locator("input[type=file]").first.set_input_files(str(path))


def upload_and_open(page, url: str, path, *, loaded: str, page_name: str) -> None:
    """On a fresh Data page (demo data loaded), upload `path`, wait for `loaded` (the file's line, e.g.
    "tweets.csv (feedback)") and the run to end, then open `page_name` from the sidebar."""
    open_page(page, url, "data")
    page.get_by_text("Every row was used.").wait_for()
    upload(page, path)
    page.get_by_text(loaded).wait_for()
    wait_until_idle(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=page_name, exact=True).click()
