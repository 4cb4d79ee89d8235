"""Real browser: the "day in the life" map reads at normal zoom on the Journey map page (its text was
drawn about 6 px high: eight 195 px columns shrunk to the page's width), and the day map of a real export
keeps every text inside its cell."""

import pytest

from cjm.maps import build_day_map
from cjm.maps.render import to_html
from tests.browser import open_page, wait_until_idle
from tests.helpers import real_file

pytestmark = pytest.mark.browser

TEXT_BOXES = """() => {
    const svg = document.querySelector('.cjm-map svg');
    const scale = svg.getBoundingClientRect().width / +svg.getAttribute('width');
    const cells = [];
    for (const g of svg.querySelectorAll('g.cell')) {
        const rect = g.querySelector('rect');
        if (!rect) continue;
        const r = rect.getBBox();
        for (const t of g.querySelectorAll('text')) {
            const b = t.getBBox();
            cells.push({text: t.textContent, px: +t.getAttribute('font-size') * scale,
                        inside: b.x >= r.x && b.x + b.width <= r.x + r.width + 0.5});
        }
    }
    return {scale, cells};
}"""


def test_the_day_in_the_life_map_on_the_journey_map_page_is_drawn_at_a_readable_size(page, app_url):
    open_page(page, app_url, "journey_map")
    page.frame_locator("iframe").first.locator(".cjm-map svg").get_by_text("Customer journey map").wait_for()
    wait_until_idle(page)
    page.get_by_test_id("stButtonGroup").get_by_text("A day in the life", exact=True).click()
    drawn = page.frame_locator("iframe").first
    drawn.locator(".cjm-map svg").get_by_text("When interactions happen (weekday × hour, UTC)").wait_for()
    wait_until_idle(page)
    frame = page.locator("iframe").first.element_handle().content_frame()
    found = frame.evaluate(TEXT_BOXES)
    assert found["cells"], "no cell text in the day map"
    # the page shows the 968 px wide map at about its own size: cell text 12.5 px drawn at least 11 px high
    assert found["scale"] > 0.85, found["scale"]
    assert min(c["px"] for c in found["cells"]) >= 11, found["cells"][:3]
    assert all(c["inside"] for c in found["cells"]), [c for c in found["cells"] if not c["inside"]]
    assert drawn.get_by_text("events (busiest hour)").count() == 1  # the strip's colour key


def test_the_day_map_of_the_airline_tweets_keeps_every_text_inside_its_cell(browser_context):
    from cjm.data.dataset import load_dataset

    path = real_file("airline_tweets.csv")
    jm = build_day_map(load_dataset([path]))
    tab = browser_context.new_page()
    try:
        tab.set_viewport_size({"width": 940, "height": 900})
        tab.set_content("<html><head><style>body{margin:0}.cjm-map svg{width:100%;height:auto}</style></head>"
                        f"<body>{to_html(jm)}</body></html>")
        found = tab.evaluate(TEXT_BOXES)
    finally:
        tab.close()
    assert len(found["cells"]) >= 8 * 2  # text lines: each block's share and busiest weekdays (no channel column)
    assert min(c["px"] for c in found["cells"]) >= 11
    assert all(c["inside"] for c in found["cells"]), [c for c in found["cells"] if not c["inside"]]
