"""Real browser: an analyst saves a dashboard; a second, separate browser context opens the share link,
sees the same funnel numbers, finds no control that edits, and downloads the board pack."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, screenshot, streamlit_app

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"] svg'


@pytest.fixture(scope="module")
def share_app(tmp_path_factory):
    """`streamlit run app.py` with its own store folder (so saved dashboards stay inside this test)."""
    store = tmp_path_factory.mktemp("store")
    env = dict(os.environ, CJM_DATA_DIR=str(store))
    env.pop("CJM_DATABASE_URL", None)
    with open(store / "server.log", "w") as log:  # read by the test: no token in it
        with streamlit_app(env=env, stdout=log, args=("--logger.level", "info")) as url:
            yield url, store


@pytest.fixture
def playwright(playwright_session):
    return playwright_session  # the session's driver: a second sync driver cannot start inside it


def context(playwright, profile):
    ctx = playwright.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, accept_downloads=True,
        viewport={"width": 1400, "height": 2200})
    ctx.set_default_timeout(90_000)
    return ctx


def idle(page):
    page.wait_for_selector('[data-testid="stApp"]')
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")


def funnel_text(page) -> str:
    page.get_by_text("Customers who entered").first.wait_for()
    page.locator(CHART).first.wait_for()
    idle(page)
    return page.locator(CHART).first.text_content()


def test_a_shared_link_shows_the_same_funnel_read_only_and_downloads_the_board_pack(share_app, playwright, tmp_path):
    url, store = share_app
    analyst = context(playwright, str(tmp_path / "analyst"))
    try:
        page = analyst.new_page()
        page.goto(f"{url}/funnel")
        seen = funnel_text(page)
        assert "% of customers who entered reached" in seen
        page.goto(f"{url}/dashboards")  # (a long navigation folds its last pages under "View more")
        page.get_by_role("button", name="Save dashboard").wait_for()
        idle(page)
        page.get_by_label("Title").first.fill("Leadership funnel")
        page.get_by_label("Your name (shown to viewers)").fill("Ann Analyst")
        page.get_by_role("button", name="Save dashboard").click()
        page.get_by_text("Read-only share link").wait_for()
        page.locator('[data-testid="stCode"]').first.wait_for()
        screenshot(page, "share-saved")
        codes = page.locator('[data-testid="stCode"] code').all_text_contents()
        link = next((c.strip() for c in codes if "?d=" in c), codes)
        owner_link = next(c.strip() for c in codes if "owner=" in c)
        assert link.startswith(url)
    finally:
        analyst.close()

    viewer = context(playwright, str(tmp_path / "viewer"))
    try:
        page = viewer.new_page()
        page.goto(link)
        page.get_by_text("shared by Ann Analyst").first.wait_for()
        idle(page)
        banner = page.inner_text('[data-testid="stMain"]')
        assert "Leadership funnel" in banner and "Read-only" in banner
        nav = page.inner_text('[data-testid="stSidebarNav"]')
        assert "Funnel" in nav and "Data" not in nav.split() and "Dashboards" not in nav
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Funnel", exact=True).click()
        try:
            shown = funnel_text(page)
        except Exception:
            screenshot(page, "FAILED-share-viewer-funnel")
            raise
        assert shown == seen  # the same funnel, the same numbers
        assert "d=" in page.url
        for path in ("funnel", "overview", "journeys", "data"):
            page.goto(f"{link.split('?')[0].rstrip('/')}/{path}?{link.split('?')[1]}")
            page.get_by_text("shared by Ann Analyst").first.wait_for()
            idle(page)
            assert page.locator('[data-testid="stFileUploader"]').count() == 0
            assert page.locator('[data-testid="stDataFrameResizable"] [data-testid="stDataEditor"]').count() == 0
            assert page.get_by_role("button", name="Save dashboard").count() == 0
            assert page.get_by_text("Column mapping").count() == 0
        # the Data page (upload, mapping) is not part of a shared dashboard: Streamlit says so, runs Overview
        page.get_by_text("Page not found").wait_for()
        page.keyboard.press("Escape")
        page.get_by_text("How far customers get").wait_for()
        idle(page)
        screenshot(page, "share-viewer")
        with page.expect_download() as download:
            page.get_by_role("button", name="Board pack (HTML)").first.click()
        saved = tmp_path / "pack.html"
        download.value.save_as(saved)
        html = saved.read_text()
        assert "Leadership funnel" in html and "Ann Analyst" in html and html.count("<svg") >= 4
        assert "<script" not in html.lower()
        with page.expect_download() as download:
            page.get_by_role("button", name="Board pack (PDF)").first.click()
        assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
        if (ROOT / "app_pages" / "journey_map.py").exists():  # the Maps page: the map, read-only
            page.goto(f"{link.split('?')[0].rstrip('/')}/journey_map?{link.split('?')[1]}")
            page.get_by_text("shared by Ann Analyst").first.wait_for()
            page.get_by_role("heading", name="Journey map").wait_for()
            idle(page)
            page.locator('[data-testid="stMain"] iframe').first.wait_for()  # the drawn map
            idle(page)
            assert page.locator('[data-testid="stFileUploader"]').count() == 0
            assert page.get_by_text("Edit the cells").count() == 0
            screenshot(page, "share-viewer-map")
    finally:
        viewer.close()
    server_log = (store / "server.log").read_text()
    token, owner = link.split("?d=")[1], owner_link.split("owner=")[1]
    assert token not in server_log and owner not in server_log  # tokens never reach the log
