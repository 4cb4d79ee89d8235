"""Real browser: the journey flow diagram reacts to its controls; gaps and a linked customer render."""

import pytest

from tests.browser import open_page, screenshot

pytestmark = pytest.mark.browser

FLOW = '[data-testid="stVegaLiteChart"]'
# The flow diagram is the chart whose subtitle explains the ribbons; its SVG text starts with the step
# numbers of the x axis ("123456Step in the journey…"), so the steps shown can be read from it.
FLOW_TEXT = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .map(e => e.textContent).find(t => t.includes('ribbon width')) || ''"""


def flow_text(page) -> str:
    return page.evaluate(FLOW_TEXT)


def test_the_flow_diagram_shows_fewer_steps_when_the_analyst_asks(page, app_url):
    open_page(page, app_url, "journeys")
    flow = page.locator(FLOW).filter(has_text="ribbon width")
    flow.locator("svg").first.wait_for(timeout=180_000)  # the first page of a session parses the demo data
    before = flow_text(page)
    assert before.startswith("123456Step in the journey")
    assert "of customers go from awareness to consideration" in before
    assert "awareness (2,168)" in before  # node labels are drawn with their customer counts
    screenshot(page, "journeys")

    page.get_by_text("Analyst controls").click()
    steps = page.locator('[data-testid="stSlider"]').filter(has_text="Steps shown in the flow")
    steps.locator("input[type=range]").focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => ({FLOW_TEXT})().startsWith('123Step in the journey')")
    after = flow_text(page)
    assert "loyalty (" in before and "loyalty (" not in after  # loyalty is only reached after step 3
    flow.scroll_into_view_if_needed()
    screenshot(page, "journeys-3-steps")


def test_several_journeys_are_drawn_side_by_side_for_the_largest_first_channels(page, app_url):
    open_page(page, app_url, "journeys")
    for group in ("search ads: 903 customers", "social: 902 customers", "web: 644 customers"):
        page.get_by_text(group).wait_for()
    page.set_viewport_size({"width": 1400, "height": 4000})  # the whole page in one screenshot
    screenshot(page, "journeys-several")


def test_the_gaps_page_explains_department_switches_that_are_the_way_forward(page, app_url):
    open_page(page, app_url, "gaps")
    page.get_by_text("converted 27.1 points less than those who stayed").first.wait_for()
    page.get_by_text("Department", exact=True).click()
    page.get_by_text("those switches are the way forward rather than gaps").wait_for()
    page.locator(FLOW).first.locator("svg").wait_for()
    screenshot(page, "gaps-department")


def test_a_link_with_a_customer_id_opens_that_customers_timeline(page, app_url):
    open_page(page, app_url, "customer?customer=C000001")
    page.get_by_text("Customer C000001: 10 events over 7 days").wait_for()
    assert "passed from sales to support" in page.inner_text('[data-testid="stMain"]')
    screenshot(page, "customer")
