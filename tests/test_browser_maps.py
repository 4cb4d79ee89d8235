"""Real browser: a marketer edits a cell of the journey map, switches to the future state, sets a target,
sees the projection change and downloads the map as PNG."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout, expect

from tests.browser import open_page, screenshot, wait_until_idle

pytestmark = pytest.mark.browser

FRAME = "iframe"
MAP = ".cjm-map svg"
EDITOR = '[data-testid="stDataFrame"]'


def settled_box(page, locator) -> dict:
    """The element's box once the layout has stopped moving (the map's iframe sizes itself after loading)."""
    box = None
    for _ in range(50):
        locator.scroll_into_view_if_needed()
        now = locator.bounding_box()
        if now == box:
            return now
        box = now
        page.wait_for_timeout(200)
    return box


def edit_cell(page, editor, *, row: int, column: int, text: str, row_height: float = 35) -> None:
    """Type into one cell of a st.data_editor (a canvas grid): select the row's first cell, move right
    `column` cells with the arrow key, start typing (which opens the cell editor), put the text in the
    editor and press Enter."""
    cell_input = page.locator(".gdg-input").first
    for attempt in range(3):  # a grid still laying out after a rerun can swallow the first click: click again
        wait_until_idle(page)
        box = settled_box(page, editor)
        page.mouse.click(box["x"] + 30, box["y"] + row_height * (row + 1) + row_height / 2)
        for _ in range(column):
            page.keyboard.press("ArrowRight")
        page.keyboard.type(text[0])
        try:
            cell_input.wait_for(timeout=15_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    cell_input.fill(text)
    cell_input.press("Enter")
    cell_input.wait_for(state="detached")


def test_edit_a_cell_switch_to_the_future_set_a_target_and_download_the_png(page, app_url, tmp_path):
    open_page(page, app_url, "journey_map")
    drawn = page.frame_locator(FRAME).first
    drawn.locator(MAP).get_by_text("Customer journey map").wait_for()
    wait_until_idle(page)
    screenshot(page, "journey-map-current")

    cells = page.locator(EDITOR).first  # rows: lanes (Actions first); columns: Lane, awareness, ...
    edit_cell(page, cells, row=0, column=1, text="Sees our ad on the bus")
    drawn.locator(f"{MAP} g.edited").first.wait_for()
    assert "Sees our ad on the bus" in drawn.locator(MAP).first.inner_html()
    wait_until_idle(page)

    page.get_by_test_id("stButtonGroup").get_by_text("Future state", exact=True).click()
    page.get_by_text("Targets per stage").wait_for()
    wait_until_idle(page)
    conversions = page.get_by_test_id("stMetric").filter(has_text="Customers reaching conversion if the targets were met")
    assert conversions.get_by_test_id("stMetricValue").inner_text() == "422"
    drawn = page.frame_locator(FRAME).first
    expect(drawn.locator(MAP).first).to_contain_text("Sees our ad on the bus", timeout=60_000)  # the future starts from today's map

    targets = page.locator(EDITOR).first  # rows: stages; columns: stage, conversion today %, target conversion %
    edit_cell(page, targets, row=1, column=2, text="50")
    conversions.get_by_test_id("stMetricValue").get_by_text("830").wait_for()
    wait_until_idle(page)
    # the map's frame is redrawn after the metric: wait for the redrawn map rather than read it once
    expect(page.frame_locator(FRAME).first.locator(MAP).first).to_contain_text(
        "If the targets were met: 830 conversions", timeout=60_000)
    screenshot(page, "journey-map-future")

    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").get_by_text("PNG", exact=True).first.click()
    path = tmp_path / "map.png"
    download.value.save_as(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert download.value.suggested_filename.endswith(".png")
