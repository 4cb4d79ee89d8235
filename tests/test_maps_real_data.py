"""Journey maps on real public exports (../shared/data; skipped when the folder is absent)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd

from cjm import engine
from cjm.data.dataset import Dataset
from cjm.maps import build_current_map
from cjm.maps.render import export, to_svg
from cjm.maps.text import is_rtl
from tests.helpers import cdnow_purchases, real_file

STAGES = ("awareness", "consideration", "conversion", "retention", "loyalty")


def test_the_cdnow_purchase_log_maps_every_customer_to_the_conversion_stage():
    jm = build_current_map(Dataset.from_events(cdnow_purchases(), stages=STAGES))
    assert jm.cell("reached", "conversion").number == 23570  # CDNOW's 23,570 customers all purchased
    assert [s.key for s in jm.visible_stages()] == ["conversion"]
    assert jm.cell("actions", "conversion").value == "purchase (100.0%)"
    assert export(jm, "png")[:8] == b"\x89PNG\r\n\x1a\n"


def test_real_arabic_reviews_land_in_the_thoughts_lane_shaped_and_right_to_left():
    raw = pd.read_csv(real_file("elsahar_arabic_souq_product_reviews_sample.csv")).head(300)
    frame = pd.DataFrame({
        "customer_id": [f"r{i}" for i in range(len(raw))],
        "timestamp": pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(range(len(raw)), unit="min"),
        "event": "review_written", "text": raw["text"].astype(str),
        "score": raw["polarity"].map({1: 5.0, -1: 1.0, 0: 3.0}),
        "stage": "loyalty", "stage_index": 4,
    })
    jm = build_current_map(Dataset.from_events(engine.events_table(frame), stages=STAGES))
    thoughts = jm.cell("thoughts", "loyalty").value
    assert thoughts and is_rtl(thoughts.strip("“"))
    root = ET.fromstring(to_svg(jm))
    rtl = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text and is_rtl(t.text)]
    # right to left: anchored at the right end, the line inside a right-to-left isolate (RLI ... PDI)
    assert rtl and all(t.get("text-anchor") == "end" and t.text.startswith("\u2067") for t in rtl)
    assert any(0xFB50 <= ord(ch) <= 0xFEFF for t in rtl for ch in t.text)  # joined letter forms
    assert export(jm, "pdf")[:5] == b"%PDF-"
