"""Real browser: addresses inside quoted comments are text, never links (airline_tweets.csv drew its
"http://t.co/..." as live links in the Sentiment page's pain points and quotes)."""

import pytest

from tests.browser import screenshot, upload_and_open, wait_until_idle

pytestmark = pytest.mark.browser


def test_addresses_in_negative_tweets_are_not_links_on_the_sentiment_page(page, app_url, tmp_path):
    bad = ["Terrible service, flight cancelled http://t.co/abc123 again",
           "Awful, lost my bag, see www.example.com or write help@example.com"]
    rows = ["customer_id,timestamp,event,comment"] + [
        f"C{i},2024-03-{1 + i % 20:02d} 10:00:00,feedback,\"{bad[i % 2]} ({i})\"" for i in range(12)]
    path = tmp_path / "tweets.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    upload_and_open(page, app_url, path, loaded="tweets.csv (events)", page_name="Sentiment")
    page.get_by_text("Quotes: what customers say").wait_for()
    wait_until_idle(page)
    main = page.locator('[data-testid="stMain"]')
    assert "abc123" in main.inner_text()  # the tweets are quoted...
    hrefs = main.evaluate("m => [...m.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    assert [h for h in hrefs if "t.co" in h or "example.com" in h] == []  # ...and no address became a link
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "sentiment-tweet-addresses")
