"""Real browser: hostile text in an upload (script tags, image and javascript links, Markdown links, bare
URLs in quotes, RTL overrides) in comments, event names, channel names and column names is shown as
text on every page: no link to the payload, no image from it, no script run, and the local listener the
payloads point at receives no request. Two browser contexts uploading different files never see each
other's data."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port, open_page, screenshot, upload, wait_until_idle

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"] svg'
PAGES = ["Overview", "Data", "Funnel", "Abandonment", "Journeys", "Journey map", "Gaps", "Segments", "Personas",
         "Sentiment", "Follow-up", "Customer"]


@pytest.fixture
def listener():
    """A local HTTP server the payloads point at; it records every request it gets."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()


# Records every element that loads a URL as it is added (even one removed again before a check), with
# the Streamlit element it sits in, so a failure says where the request came from.
WATCH_IMAGES = """
window.__images = [];
new MutationObserver(records => records.forEach(r => r.addedNodes.forEach(n => {
  if (!(n instanceof Element)) return;
  for (const e of [n, ...n.querySelectorAll('img,image,iframe,link,source,video,audio')]) {
    const url = e.getAttribute('src') || e.getAttribute('href') || '';
    if (url.includes('/md-') || url.includes('/img-') || url.includes('/script') || url.includes('/column') || url.includes('/bare')) {
      let a = e, ids = [];
      while (a) { if (a.dataset && a.dataset.testid) ids.push(a.dataset.testid); a = a.parentElement; }
      window.__images.push(e.tagName + ' ' + url + ' in ' + ids.slice(0, 5).join('<') + ': '
                           + (e.parentElement ? e.parentElement.outerHTML.slice(0, 300) : ''));
    }
  }
}))).observe(document, {childList: true, subtree: true});
"""


def payloads(port: int) -> list[str]:
    base = f"http://127.0.0.1:{port}"
    return [
        f"<script>window.__pwned=1;fetch('{base}/script')</script>",
        f"<img src={base}/img-tag onerror=window.__pwned=1>",
        f"![logo]({base}/md-image)",
        f"[Reset your password]({base}/md-link)",
        "[click](javascript:window.__pwned=1)",
        f"see \"{base}/bare-url\" now",
        f"www.127.0.0.1.nip.io:{port}/www",
        "\u202egpj.exe :red[alert] $x^2$",
    ]


def hostile_export(port: int) -> str:
    texts = payloads(port)
    column = f"<img src=http://127.0.0.1:{port}/column>"
    lines = [f'customer_id,timestamp,event,channel,score,comment,"{column}"']
    day = 1
    for i, text in enumerate(texts):
        quoted = '"' + text.replace('"', '""') + '"'
        for step, event in enumerate(["ad_click", "product_view", quoted, "purchase"]):
            lines.append(f"h{i},2024-01-{day:02d} 1{step}:00:00,{event},{quoted},{1 + i % 5},{quoted},{quoted}")
        day += 1
    for i in range(40):  # ordinary customers, so every page has something to draw
        for step, event in enumerate(["ad_click", "product_view", "add_to_cart", "purchase"][: 2 + i % 3]):
            lines.append(f"n{i},2024-02-{i % 27 + 1:02d} 1{step}:00:00,{event},web,{1 + i % 5},fine thanks,x")
    return "\n".join(lines) + "\n"


def go(page, title: str) -> None:
    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)
    if not link.count():
        return  # a page this version of the app does not have
    link.click()
    page.wait_for_timeout(300)
    wait_until_idle(page)


def check_dom(page, port: int, where: str) -> None:
    for frame in page.frames:  # the page and its iframes (the journey map is drawn in one)
        check_frame(frame, port, where)
    assert page.locator('[data-testid="stException"]').count() == 0, where


def check_frame(page, port: int, where: str) -> None:
    found = page.evaluate(
        """(port) => ({
            links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
                     .filter(h => h.includes(':' + port) || h.toLowerCase().startsWith('javascript:')
                                  || h.includes('nip.io')),
            images: [...document.querySelectorAll('img[src]')].map(i => i.getAttribute('src'))
                     .filter(s => s.includes(':' + port)),
            scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('__pwned')).length,
            pwned: window.__pwned === 1,
        })""", port)
    assert found == {"links": [], "images": [], "scripts": 0, "pwned": False}, where


def test_hostile_text_in_an_upload_is_shown_as_text_on_every_page(page, app_url, tmp_path, listener):
    port, hits = listener
    path = tmp_path / "hostile.csv"
    path.write_text(hostile_export(port), encoding="utf-8")
    page.add_init_script(WATCH_IMAGES)
    open_page(page, app_url, "data")
    page.get_by_text("Every row was used.").wait_for()
    upload(page, path)
    page.get_by_text("hostile.csv (events)").wait_for()
    main = page.inner_text('[data-testid="stMain"]').replace("\u2060", "")  # the invisible joiner stops autolinks
    assert "[Reset your password](http://127.0.0.1" in main  # the Markdown link is shown as its text
    check_dom(page, port, "Data")
    assert hits == [], f"the browser fetched {hits} on the Data page"
    for title in PAGES:
        go(page, title)
        check_dom(page, port, title)
        assert hits == [], f"the browser fetched {hits} on {title}: {page.evaluate('window.__images')}"
    box = page.locator('[data-testid="stMain"] [data-testid="stTextInput"] input').first  # the id search
    if page.locator('[data-testid="stMain"] [data-testid="stTextInput"] input').count():  # (main may pick ids otherwise)
        box.fill("h3")
        box.press("Enter")
        wait_until_idle(page)
        page.get_by_text("Last comment", exact=False).first.wait_for()
        shown = page.inner_text('[data-testid="stMain"]').replace("\u2060", "")
        assert any(text in shown for text in payloads(port)[:7])  # a hostile comment, shown literally
        check_dom(page, port, "Customer h3")
        for customer in ("h1", "h2", "h4", "h5"):
            box.fill(customer)
            box.press("Enter")
            wait_until_idle(page)
            check_dom(page, port, f"Customer {customer}")
    screenshot(page, "hostile-customer")
    page.wait_for_timeout(1000)
    assert hits == [], f"the browser fetched {hits}"


def events_file(tmp_path, name: str, event: str, customers: int, buyers: int):
    """`customers` customers who clicked an ad and did `event` (a name only this file has); the first
    `buyers` of them bought. Rows: 2 per customer + 1 per buyer."""
    path = tmp_path / name
    rows = ["customer_id,timestamp,event"]
    for i in range(customers):
        day = f"2024-03-{i % 9 + 1:02d}"
        rows += [f"{name[:1]}{i},{day} 10:00:00,ad_click", f"{name[:1]}{i},{day} 11:00:00,{event}"]
        rows += [f"{name[:1]}{i},{day} 12:00:00,purchase"] if i < buyers else []
    path.write_text("\n".join(rows) + "\n")
    return path


def metric(page, label: str) -> str:
    """The value shown under a metric's label."""
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    box.wait_for()
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_two_browser_contexts_uploading_different_files_never_see_each_others_data(playwright_session, app_url,
                                                                                  tmp_path):
    # Two separate browser contexts: no shared cookies or storage, as two people on two machines.
    # alpha: 30 customers, 12 buyers -> 30 x 2 + 12 = 72 rows; bravo: 45 customers, 20 buyers -> 110 rows.
    files = {"alpha": (30, 12, 72), "bravo": (45, 20, 110)}
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    contexts = {name: browser.new_context(viewport={"width": 1400, "height": 2200}) for name in files}
    try:
        pages = {}
        for name, context in contexts.items():  # both sessions open at once, each uploads its own file
            context.set_default_timeout(60_000)
            page = pages[name] = context.new_page()
            open_page(page, app_url, "data")
            page.get_by_text("Every row was used.").wait_for()
            customers, buyers, _rows = files[name]
            upload(page, events_file(tmp_path, f"{name}.csv", f"{name}_only_event", customers, buyers))
            page.get_by_text(f"{name}.csv (events)").wait_for()
        for name, page in pages.items():
            other = next(n for n in files if n != name)
            customers, buyers, rows = files[name]
            go(page, "Data")
            page.get_by_text(f"{name}.csv (events)").wait_for()
            wait_until_idle(page)
            assert metric(page, "Rows in") == str(rows) and metric(page, "Customers") == str(customers)
            text = page.inner_text('[data-testid="stApp"]').replace("\\_", "_")
            assert f"{name}_only_event" in text and f"{name}.csv" in text
            assert other not in text
            screenshot(page, f"isolation-{name}-data")
            go(page, "Funnel")
            page.locator(CHART).first.wait_for()
            wait_until_idle(page)
            assert metric(page, "Customers who entered") == str(customers)
            assert metric(page, "Reached conversion") == f"{100 * buyers / customers:.1f}%"  # 40.0% and 44.4%
            text = page.inner_text('[data-testid="stApp"]')  # the page and the sidebar (its dataset picker)
            assert other not in text and f"{name}.csv" in text
            screenshot(page, f"isolation-{name}-funnel")
    finally:
        for context in contexts.values():
            context.close()
        browser.close()
