"""Real browser: an analyst finds segments, changes k and sees the sizes change; real exports uploaded
through the Data page get segments that make sense (screenshots in artifacts/)."""

import re

import pytest

from tests.browser import open_page, screenshot, upload, wait_until_idle
from tests.helpers import real_file

pytestmark = pytest.mark.browser

HEADLINE = re.compile(r"(\d+) segments: (.+)")


settle = wait_until_idle


def shows(page, text: str) -> None:
    """Wait until the main area shows `text`, in HTML or in a chart's SVG."""
    page.wait_for_function("text => document.querySelector('[data-testid=\"stMain\"]').textContent.includes(text)",
                           arg=text)


def headline(page) -> str:
    """The line naming every segment with its size (markdown text, unlike st.dataframe's canvas)."""
    line = page.get_by_text(HEADLINE).first
    line.wait_for()
    return line.inner_text()


def sizes(text: str) -> dict[str, int]:
    listed = text.split("segments: ", 1)[1]
    return {name.strip(): int(n.replace(",", "")) for name, n in re.findall(r"([^:·]+?): ([\d,]+) customers", listed)}


def find_segments(page) -> str:
    page.get_by_role("button", name="Find segments").click()
    text = headline(page)
    shows(page, "separates customers best")  # the silhouette chart, drawn last on the first tab
    settle(page)
    return text


def test_changing_k_in_the_sidebar_changes_the_segment_sizes(page, app_url):
    open_page(page, app_url, "segments")
    before = find_segments(page)
    assert sum(sizes(before).values()) == 3000
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Fixed", exact=True).click()
    k = sidebar.locator('input[aria-label="k"]')
    k.fill("5")
    k.press("Enter")
    page.get_by_text(re.compile(r"^5 segments: ")).wait_for()
    settle(page)
    after = headline(page)
    assert after != before and len(sizes(after)) == 5 and sum(sizes(after).values()) == 3000
    chart = page.locator('[data-testid="stVegaLiteChart"] svg').first.text_content()
    assert "is the largest segment" in chart
    screenshot(page, "segments-demo-k5")


def test_every_segments_tab_draws_and_the_personas_page_shows_cards(page, app_url):
    open_page(page, app_url, "segments")
    find_segments(page)
    screenshot(page, "segments-demo")
    for tab, expected in [("Profiles", "Each feature's mean in each segment"), ("Map", "Each dot is a customer"),
                          ("Funnel", "Download segment funnel table (CSV)"), ("Quality", "Features used"),
                          ("RFM", "Every customer's RFM scores"), ("Export", "Download segment membership (CSV)")]:
        page.get_by_role("tab", name=tab).click()
        shows(page, expected)
        settle(page)
        screenshot(page, f"segments-demo-{tab.lower()}")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Personas").click()
    page.get_by_text("Top pain point").first.wait_for()
    settle(page)
    assert page.get_by_text("Typical journey").count() >= 2  # one persona card per segment
    screenshot(page, "personas-demo")


def upload_then_find_segments(page, app_url, name: str) -> str:
    open_page(page, app_url, "data")
    page.get_by_text("Every row was used.").wait_for()  # the demo data first
    upload(page, real_file(name))
    page.get_by_text(re.compile(re.escape(name) + r" \(")).first.wait_for()
    settle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Segments").click()  # same session
    page.get_by_role("button", name="Find segments").wait_for()
    return find_segments(page)


def test_cdnow_purchases_uploaded_in_the_browser_split_into_high_and_low_value(page, app_url):
    text = upload_then_find_segments(page, app_url, "cdnow_master.txt")
    found = sizes(text)
    assert sum(found.values()) == 23_570
    # an order's line items (same customer and day) are one purchase, so most low-value customers bought once
    assert any(n.startswith("High-value") for n in found) and any("one-time buyers" in n for n in found)
    screenshot(page, "segments-cdnow")


def test_the_marketing_campaign_file_uploaded_in_the_browser_splits_on_spend(page, app_url):
    text = upload_then_find_segments(page, app_url, "marketing_campaign.csv")
    found = sizes(text)
    assert sum(found.values()) == 2240
    assert any(n.startswith("High-value") for n in found)
    screenshot(page, "segments-marketing")
    page.get_by_role("tab", name="Profiles").click()
    shows(page, "Each feature's mean in each segment")
    settle(page)
    screenshot(page, "segments-marketing-profiles")


OUTSIDE = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')].map(svg => {
    const box = svg.getBoundingClientRect(); let left = 0, top = 0;
    for (const e of svg.querySelectorAll('text')) {
        const r = e.getBoundingClientRect();
        if (r.width > 0) { left = Math.min(left, r.left - box.left); top = Math.min(top, r.top - box.top); } }
    const t = svg.querySelector('.role-title-text');
    return {title: t ? t.textContent : null, left, top}; })"""


def test_the_silhouette_chart_of_a_sampled_sweep_keeps_its_title_and_axis_title_in_view(page, app_url):
    # CDNOW (23,570 customers): k is chosen on a sample, the subtitle has three lines, and the browser drew
    # the title 7 px above the chart and the y-axis title 13 px left of it (cut off).
    upload_then_find_segments(page, app_url, "cdnow_master.txt")
    charts = page.evaluate(OUTSIDE)
    silhouette = [c for c in charts if c["title"] and "separates customers best" in c["title"]]
    assert silhouette, charts
    assert silhouette[0]["left"] >= -4 and silhouette[0]["top"] >= -4, silhouette  # glyph edges, not cut text
