"""A first-time marketer's tour (tour21): what a new user tripped over, each fixed and held here."""

from __future__ import annotations

import re

from tests.apptest import open_app

SENTIMENT = "app_pages/sentiment.py"
# A bare address in GFM Markdown becomes a link unless something breaks it: "://", "www." and "@" must each be
# followed by the invisible word joiner U+2060 that cjm.ui.safe puts there.
BARE_ADDRESS = re.compile(r"://(?!\u2060)|www(?!\u2060)\.|@(?!\u2060)")


def test_addresses_in_quoted_tweets_are_shown_as_text_not_as_live_links():
    # airline_tweets.csv: the Sentiment page's quotes and pain points drew "http://t.co/R9ZsVzuRLw" as a blue,
    # clickable link taken from the file. 12 negative tweets, each with an address, a handle and a www. name.
    bad = ["Terrible service, flight cancelled http://t.co/abc123 @united",
           "Awful, lost my bag again, see www.example.com or mail help@example.com"]
    rows = ["customer_id,timestamp,event,comment"] + [
        f"C{i},2024-03-{1 + i % 20:02d} 10:00:00,feedback,\"{bad[i % 2]} ({i})\"" for i in range(12)]
    at = open_app(SENTIMENT, files={"tweets.csv": ("\n".join(rows) + "\n").encode()})
    assert not at.exception, at.exception
    quoted = [m.value for m in at.markdown if m.value.startswith("> ")]
    assert any("abc123" in q for q in quoted), quoted  # the tweets are quoted...
    assert [q for q in quoted if BARE_ADDRESS.search(q)] == []  # ...and none of their addresses can become a link
