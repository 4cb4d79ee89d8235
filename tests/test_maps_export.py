"""Map exports: every format is a valid file; Arabic and Persian come out shaped and right to left."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from cjm.errors import ParameterError
from cjm.maps import JourneyMap, build_current_map, build_future_map, compute_projection
from cjm.maps.model import Lane, Persona, Stage
from cjm.maps.render import export, sentiment_color, to_csv, to_html, to_svg
from cjm.maps.text import is_rtl, shape
from tests.helpers import dataset

SVG = "{http://www.w3.org/2000/svg}"
ARABIC = "التوصيل كان متأخرا"
PERSIAN = "پشتیبانی خیلی کند بود"


def small_map() -> JourneyMap:
    jm = JourneyMap(persona=Persona(name="Leila", description="Tehran, buys on mobile"),
                    stages=[Stage("awareness", "awareness", color="#4C78A8"), Stage("conversion", "conversion")],
                    lanes=[Lane("thoughts", "Thoughts"), Lane("emotions", "Emotions", kind="curve"),
                           Lane("owner", "Owner")])
    jm.set_cell("thoughts", "awareness", ARABIC)
    jm.set_cell("thoughts", "conversion", PERSIAN)
    jm.set_cell("owner", "awareness", "<script>alert(1)</script> & Марина")
    return jm


@pytest.fixture(scope="module")
def future():
    log = dataset([("a", "2024-01-01 00:00", "ad_click", 0.0), ("a", "2024-01-01 01:00", "purchase", 20.0),
                  ("b", "2024-01-01 00:00", "ad_click", None)],
                 ("customer_id", "timestamp", "event", "revenue"),
                 stages={"ad_click": "awareness", "purchase": "conversion"})
    current = build_current_map(log)
    return build_future_map(current, targets={"awareness": {"conversion": 1.0}})


def test_every_export_format_is_a_valid_file(future):
    projection = compute_projection(future)
    png = export(future, "png", projection=projection)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = PdfReader(io.BytesIO(export(future, "pdf", projection=projection)))
    assert len(pdf.pages) == 1
    root = ET.fromstring(export(future, "svg", projection=projection).decode("utf-8"))
    assert root.tag == f"{SVG}svg"
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "If the targets were met: 2 conversions (+1), revenue 40 (+20)" in texts  # 2 entries x 100% x 20
    again = JourneyMap.from_json(export(future, "json").decode("utf-8"))
    assert again.to_dict() == future.to_dict()
    rows = list(csv.DictReader(io.StringIO(export(future, "csv").decode("utf-8-sig"))))
    reached = [r for r in rows if r["lane"] == "reached" and r["stage"] == "awareness"][0]
    assert (reached["value"], reached["provenance"], reached["customers"]) == ("2 (100.0%)", "data", "2")
    page = export(future, "html", projection=projection).decode("utf-8")
    assert page.startswith("<!doctype html>") and "<svg" in page and "http" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    with pytest.raises(ParameterError, match="exported as"):
        export(future, "docx")


def test_an_arabic_cell_comes_out_shaped_and_right_to_left():
    svg = to_svg(small_map())
    root = ET.fromstring(svg)
    arabic = [t for t in root.iter(f"{SVG}text") if t.text and is_rtl(t.text)]
    assert len(arabic) == 2
    for element in arabic:
        # anchored at its right end, the line inside a right-to-left isolate (RLI ... PDI): a `direction`
        # attribute is ignored by resvg (PNG/PDF) and made Chromium anchor "end" at the text's left end
        assert element.get("direction") is None and element.get("text-anchor") == "end"
        assert element.text[0] == "\u2067" and element.text[-1] == "\u2069"
        # joined letters: Arabic Presentation Forms, still in logical order for the renderer's bidi
        assert any(0xFB50 <= ord(ch) <= 0xFEFF for ch in element.text)
    assert arabic[0].text == "\u2067" + shape(ARABIC) + "\u2069" and shape(ARABIC) != ARABIC
    assert arabic[0].text[1] == "\ufe8d"  # ا (alef) of "التوصيل", isolated form, first in logical order
    # right-aligned: anchored at the cell's right edge, to the right of where left-to-right text starts
    latin = [t for t in root.iter(f"{SVG}text") if t.text and "Марина" in t.text][0]
    assert float(arabic[0].get("x")) > float(latin.get("x")) + 100
    assert shape("Hello") == "Hello" and not is_rtl("Hello") and is_rtl(PERSIAN)
    page = to_html(small_map())
    assert f'<td style=\'white-space:pre-wrap\'><div dir="rtl">{ARABIC}</div></td>' in page


def test_user_text_is_escaped_in_every_text_format():
    jm = small_map()
    assert "<script>" not in to_svg(jm) and "&lt;script&gt;" in to_svg(jm)
    assert "<script>" not in to_html(jm)
    assert "<script>alert(1)</script> & Марина" in to_csv(jm)


def test_cells_are_marked_by_provenance_and_carry_their_evidence(future):
    jm = future.copy()
    jm.set_cell("actions", "awareness", "sees an ad")
    root = ET.fromstring(to_svg(jm))
    groups = [g for g in root.iter(f"{SVG}g") if "cell" in (g.get("class") or "")]
    kinds = {g.get("class").split()[1] for g in groups}
    assert kinds == {"data", "assumption", "edited"}
    edited = [g for g in groups if g.get("class") == "cell edited"][0]
    assert "The data said: ad_click (100.0%)" in edited.find(f"{SVG}title").text
    assert "Evidence: 2 customers" in edited.find(f"{SVG}title").text


def test_the_emotion_scale_is_red_grey_green_centred_on_zero():
    assert (sentiment_color(-1), sentiment_color(0), sentiment_color(1)) == ("#d73027", "#bdbdbd", "#1a9850")
    assert sentiment_color(-0.5) == "#ca7672"  # halfway from #d73027 to #bdbdbd


def test_the_exported_png_and_pdf_keep_arabic_text(tmp_path):
    jm = small_map()
    png = export(jm, "png")
    pdf = export(jm, "pdf")
    assert png[:4] == b"\x89PNG" and pdf[:5] == b"%PDF-"
    (tmp_path / "map.json").write_text(json.dumps(jm.to_dict(), ensure_ascii=False), encoding="utf-8")
    assert JourneyMap.from_json((tmp_path / "map.json").read_text(encoding="utf-8")).cell(
        "thoughts", "awareness").value == ARABIC
