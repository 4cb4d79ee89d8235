"""Right-to-left text in journey maps: each line in its own direction, Latin inside Arabic (and Arabic inside
Latin) isolated, the same in a browser (Chromium) as in the PNG/PDF renderer; text stays text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from cjm import engine
from cjm.data.dataset import Dataset
from cjm.maps import JourneyMap, build_current_map
from cjm.maps.model import Lane, Persona, Stage
from cjm.maps.render import to_html, to_svg
from cjm.maps.text import isolate_line, isolate_runs, shape
from tests.helpers import real_file

SVG = "{http://www.w3.org/2000/svg}"
LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"


def test_latin_words_and_their_numbers_inside_an_arabic_line_are_isolated_left_to_right():
    assert isolate_runs("من, ان, على (91 comments)", True) == f"من, ان, على ({LRI}91 comments{PDI})"
    assert isolate_runs("سعر 100 ريال", True) == "سعر 100 ريال"  # a number alone: nothing to isolate
    assert isolate_line("“عملي.”", True) == f"{RLI}“عملي.”{PDI}"


def test_arabic_words_inside_a_latin_line_are_isolated_right_to_left():
    assert isolate_runs("Top term: جدا سيئ (12 comments)", False) == f"Top term: {RLI}جدا سيئ{PDI} (12 comments)"
    assert isolate_line("feedback (100.0%)", False) == "feedback (100.0%)"  # no Arabic: unchanged


def _mixed_map(value: str) -> JourneyMap:
    jm = JourneyMap(persona=Persona(name="All customers"), stages=[Stage("retention", "retention")],
                    lanes=[Lane("thoughts", "Thoughts")])
    jm.set_cell("thoughts", "retention", value)
    return jm


def test_each_line_of_an_html_cell_takes_its_own_direction_and_stays_escaped_text():
    page = to_html(_mixed_map("“عملي <جيد>.”\n3 comments <i>here</i>"))
    assert '<div dir="rtl">“عملي &lt;جيد&gt;.”</div><div dir="ltr">3 comments &lt;i&gt;here&lt;/i&gt;</div>' in page
    assert "<b>" not in page and "<i>" not in page


def test_an_svg_line_is_escaped_and_an_arabic_one_is_anchored_at_the_right_edge_of_its_cell():
    root = ET.fromstring(to_svg(_mixed_map("“عملي <جيد>.”\nplain & simple")))
    texts = {t.text: t for t in root.iter(f"{SVG}text") if t.text}
    arabic = next(t for text, t in texts.items() if text.startswith(RLI))
    latin = texts["plain & simple"]
    assert arabic.text == RLI + shape("“عملي <جيد>.”") + PDI  # letters joined, the line isolated
    assert "&lt;" + shape("جيد") + "&gt;" in to_svg(_mixed_map("“عملي <جيد>.”"))  # escaped text, no element
    assert arabic.get("text-anchor") == "end" and latin.get("text-anchor") is None
    # the cell's column starts at x = 120 (after the lane labels) and is 195 wide; text starts 8 in (128) and
    # is 195 - 2 * 8 - 4 = 175 wide, so a right-to-left line ends at 128 + 175 = 303 (the cell's box: 122..313)
    assert float(latin.get("x")) == pytest.approx(128.0) and float(arabic.get("x")) == pytest.approx(303.0)


def _arabic_reviews_map() -> JourneyMap:
    raw = pd.read_csv(real_file("elsahar_arabic_souq_product_reviews_sample.csv")).head(300)
    frame = pd.DataFrame({
        "customer_id": [f"r{i}" for i in range(len(raw))],
        "timestamp": pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(range(len(raw)), unit="min"),
        "event": "review_written", "text": raw["text"].astype(str),
        "score": raw["polarity"].map({1: 5.0, -1: 1.0, 0: 3.0}), "stage": "loyalty", "stage_index": 4,
    })
    stages = ("awareness", "consideration", "conversion", "retention", "loyalty")
    return build_current_map(Dataset.from_events(engine.events_table(frame), stages=stages))


@pytest.mark.browser
def test_in_chromium_real_arabic_quotes_sit_inside_their_cell_right_aligned_and_read_right_to_left(browser_context):
    page = browser_context.new_page()
    try:
        page.set_content(to_html(_arabic_reviews_map()))
        found = page.evaluate("""() => {
            const out = [];
            for (const g of document.querySelectorAll('svg g.cell')) {
                if (!g.querySelector('rect')) continue;
                const rect = g.querySelector('rect').getBBox();
                for (const t of g.querySelectorAll('text')) {
                    if (!t.textContent.startsWith('\\u2067')) continue;
                    const box = t.getBBox(), n = t.getNumberOfChars();
                    out.push({left: box.x, right: box.x + box.width, cellLeft: rect.x, cellRight: rect.x + rect.width,
                              text: t.textContent, first: t.getStartPositionOfChar(1).x,
                              last: t.getStartPositionOfChar(n - 2).x});
                }
            }
            return out;
        }""")
    finally:
        page.close()
    assert found, "no right-to-left line in the map"
    for line in found:
        # inside the cell (it used to start at the cell's right edge and run out of it), flush right
        assert line["cellLeft"] <= line["left"] and line["right"] <= line["cellRight"], line
        assert line["right"] == pytest.approx(line["cellRight"] - 10, abs=2), line
        if not re.search(r"[A-Za-z()]", line["text"]):  # (Chromium's per-character positions of mixed lines
            # read right to left: the first character in logical order is drawn to the right of the last
            assert line["first"] > line["last"], line  # and of brackets do not follow the drawn order)
    quoted = [line for line in found if line["text"][1] == "“"]
    assert quoted  # a quote opens with “, drawn at the right end of its line


def test_a_line_is_right_to_left_when_most_of_its_words_are():
    from cjm.maps.text import is_rtl

    assert is_rtl("usb و خفيف على الجهاز")  # an Arabic comment starting with a Latin word: 4 words to 1
    assert is_rtl("من, ان, على (91 comments)")  # 3 Arabic words, 1 English (though 8 Latin letters to 7)
    assert not is_rtl("I love it شكرا")  # 3 English words, 1 Arabic
    assert not is_rtl("ab جد") and is_rtl("جد ab")  # a tie goes to the first strong letter
