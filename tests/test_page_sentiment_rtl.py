"""Arabic comments on the Sentiment page read right to left: quotes and the comments table put each Arabic
text inside a Unicode right-to-left isolate (the page itself is left to right); the text stays text."""

import pytest

from tests.apptest import open_app
from tests.helpers import real_file

RLI, PDI = "\u2067", "\u2069"
REVIEWS = ["التوصيل كان متأخرا.", "ممتاز جدا", "Great phone, fast delivery", "سيء جدا 2 stars."]
EXPORT = ("review,stars\n" + "\n".join(f"\"{REVIEWS[i % 4]}\",{5 - i % 4}" for i in range(12)) + "\n").encode()


def test_arabic_quotes_and_table_cells_are_isolated_right_to_left_and_english_ones_are_unchanged():
    at = open_app("app_pages/sentiment.py", files={"reviews.csv": EXPORT})
    assert not at.exception, [e.value for e in at.exception]
    comments = next(d.value for d in at.dataframe if "Comment" in d.value.columns)["Comment"].tolist()
    assert RLI + "التوصيل كان متأخرا." + PDI in comments
    assert RLI + "ممتاز جدا" + PDI in comments
    assert RLI + "سيء جدا \u20662 stars\u2069." + PDI in comments  # the Latin words inside stay left to right
    assert "Great phone, fast delivery" in comments
    quoted = [m.value for m in at.markdown if m.value.startswith("> ")]
    assert any(q.startswith("> " + RLI + "التوصيل كان متأخرا\\." + PDI) for q in quoted)  # Markdown-escaped "."
    assert any(q.startswith("> Great phone, fast delivery") for q in quoted)


def test_the_real_arabic_reviews_table_isolates_every_arabic_comment():
    path = real_file("elsahar_arabic_souq_product_reviews_sample.csv")
    at = open_app("app_pages/sentiment.py", files={path.name: path.read_bytes()}, timeout=180)
    assert not at.exception, [e.value for e in at.exception]
    comments = next(d.value for d in at.dataframe if "Comment" in d.value.columns)["Comment"]
    assert len(comments) == 3000
    arabic_only = comments.str.contains("[\u0600-\u06ff]") & ~comments.str.contains("[A-Za-z]")
    assert arabic_only.sum() > 2500
    assert comments[arabic_only].str.startswith(RLI).all() and comments[arabic_only].str.endswith(PDI).all()
    assert "10/10" in comments.tolist()  # no letter at all: left as it is
    # an Arabic comment that starts with a Latin word is still right to left, the word isolated in it
    assert any(c.startswith(RLI + "\u2066usb\u2069 و خفيف على الجهاز .. صورة جيدة جداً") for c in comments)
    assert "i like it" in comments.tolist()  # English comments unchanged
