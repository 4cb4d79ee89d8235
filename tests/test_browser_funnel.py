"""Real browser: a marketer opens the Funnel, changes the steps and the window, and the chart follows."""

import re

import pytest

from tests.browser import open_page, screenshot

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"] svg'


def chart_text(page) -> str:
    """All the text drawn in the first chart (title, axis labels, bar labels)."""
    page.locator(CHART).first.wait_for()
    return page.locator(CHART).first.text_content()


def wait_for_new_chart(page, before: str) -> str:
    page.wait_for_function(
        """([selector, before]) => {
            const svg = document.querySelector(selector);
            return svg && svg.textContent !== before;
        }""",
        arg=[CHART, before],
    )
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
    return chart_text(page)


def settle(page) -> None:
    """Wait until the script run ended and the lazily loaded widgets (downloads, metrics) are drawn."""
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
    page.get_by_role("button", name="PNG").first.wait_for()


def test_changing_the_funnel_steps_and_window_redraws_the_funnel_chart(page, app_url):
    open_page(page, app_url, "funnel")
    stages = chart_text(page)
    assert "awareness" in stages and "loyalty" in stages
    assert re.search(r"% of customers who entered reached loyalty", stages)
    page.get_by_text("Customers who entered (awareness)").wait_for()
    settle(page)
    screenshot(page, "funnel-default")

    page.get_by_test_id("stExpander").get_by_text("Funnel settings").click()
    page.get_by_text("Events", exact=True).click()
    events = wait_for_new_chart(page, stages)
    assert "add_to_cart" in events and "checkout_started" in events and "awareness" not in events
    assert "reached purchase" in events

    window = page.locator('input[aria-label="Conversion window"]')
    window.fill("1")
    window.press("Enter")
    narrow = wait_for_new_chart(page, events)
    assert "reached purchase" in narrow and narrow != events
    main = page.inner_text('[data-testid="stMain"]')
    assert "window 1 day" in main
    settle(page)
    screenshot(page, "funnel-events-1-day")


def test_every_funnel_tab_draws_its_charts(page, app_url):
    open_page(page, app_url, "funnel")
    page.locator(CHART).first.wait_for()
    for tab, expected in [("Breakdown", "Conversion to"), ("Over time", "Median time from first to last step"),
                          ("A/B test", "between B and A"), ("Period comparison", "Previous")]:
        page.get_by_role("tab", name=tab).click()
        page.get_by_text(expected).first.wait_for()
        settle(page)
        screenshot(page, f"funnel-{tab.lower().replace('/', '').replace(' ', '-')}")
    page.get_by_role("tab", name="Who dropped").click()
    page.get_by_text("After dropping,").wait_for()
    page.get_by_role("button", name="Download what they did next (CSV)").wait_for()
    screenshot(page, "funnel-who-dropped")


def test_the_abandonment_page_shows_checkout_abandonment_against_the_average(page, app_url):
    open_page(page, app_url, "abandonment")
    page.get_by_text("online average").first.wait_for()
    page.get_by_text("Most customers who abandoned").first.wait_for()
    # widgets are drawn by lazily loaded components: wait for them rather than for the script run
    metrics = page.locator('[data-testid="stMetric"]')
    metrics.filter(has_text="Customers who abandoned").wait_for()
    metrics.filter(has_text="Still in progress").wait_for()
    page.get_by_role("button", name="PNG").first.wait_for()
    assert re.search(r"[\d,]+ customers who abandoned at \w+", page.inner_text('[data-testid="stMain"]'))
    screenshot(page, "abandonment")


def test_the_drop_off_chart_of_a_one_step_funnel_keeps_its_title_in_view(page, app_url, tmp_path):
    # olist leads (first contact, then won): the drop-off chart had one bar, 60 px high, shorter than its
    # y-axis title and legend, and the browser drew "96.9% of customers abandon before conversion" 11 px
    # above the chart, cut off.
    from tests.browser import upload_and_open, wait_until_idle

    rows = ["lead_id,date,event"] + [f"L{i},2024-01-{1 + i % 20:02d},first_contact" for i in range(60)] + [
        f"L{i},2024-01-{3 + i % 20:02d},won" for i in range(0, 60, 10)]
    path = tmp_path / "leads.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    upload_and_open(page, app_url, path, loaded="leads.csv (events)", page_name="Abandonment")
    page.get_by_text("of customers abandon before").first.wait_for()
    wait_until_idle(page)
    boxes = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')].map(svg => {
        const t = svg.querySelector('.role-title-text'); if (!t) return null;
        return {title: t.textContent, top: t.getBoundingClientRect().top - svg.getBoundingClientRect().top}})""")
    drop = [b for b in boxes if b and "abandon before" in b["title"]]
    assert drop, boxes
    assert drop[0]["top"] >= -4, drop  # inside the chart (glyph edges aside), not cut off above it
