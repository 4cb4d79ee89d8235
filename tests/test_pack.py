"""The board pack: one self-contained HTML file and a PDF from templates, with escaped data, the saved
filters and page settings applied, every chart inline, and the command line writing both."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import altair as alt
import pytest

from cjm.data.dataset import SourceFile, load_dataset
from cjm.data.filters import Filters
from cjm.present.export import chart_png, chart_svg
from cjm.report import pack
from cjm.spec import DashboardSpec
from tests.helpers import SMALL_EXPORT

ROOT = Path(__file__).resolve().parents[1]
CSV = SMALL_EXPORT + b"<script>x</script>,2024-01-03 13:00,<img src=x onerror=alert(1)>,web\n"


@pytest.fixture(scope="module")
def tiny():
    return load_dataset([SourceFile(name="events.csv", data=CSV)])


def funnel_spec(**filters) -> DashboardSpec:
    spec = DashboardSpec(title="Checkout <b>Q1</b>", filters=Filters(**filters))
    spec.pages["funnel"] = {"steps": ["page_view", "add_to_cart", "purchase"], "step_kind": "event",
                            "window_seconds": 86400, "mode": "ordered"}
    return spec


def test_the_html_pack_is_one_file_with_tiles_inline_charts_and_the_saved_funnel(tiny):
    content = pack.build_pack(tiny, funnel_spec(), shared_by="Ann", description="For the board")
    html = pack.to_html(content)
    funnel = next(s for s in content.sections if s.title == "Funnel")
    assert [row[1] for row in funnel.rows] == ["3", "2", "1"]  # a, b, c viewed; a, b carted; a bought
    assert funnel.finding == "33.3% of the customers who entered reached purchase"
    assert html.count("<svg") >= len([s for s in content.sections if s.svg]) >= 4
    assert "<script" not in html.lower() and not re.search(r"""(src|href)=["']?https?:""", html)
    assert "Key figures" in html and "Customers" in html and "Method" in html
    assert "Shared by" in html and "Ann" in html and "01 Jan 2024 to 03 Jan 2024" in html


def test_every_value_from_the_data_and_the_user_is_escaped(tiny):
    content = pack.build_pack(tiny, funnel_spec(), shared_by="<i>Ann</i>", description="<script>alert(2)</script>")
    html = pack.to_html(content)
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html and "&lt;i&gt;Ann&lt;/i&gt;" in html
    assert "Checkout &lt;b&gt;Q1&lt;/b&gt;" in html
    assert "<img src=x" not in html and "<script>x" not in html  # event names and ids in tables and SVG text


def test_the_saved_filters_apply_to_every_figure_and_are_listed(tiny):
    content = pack.build_pack(tiny, funnel_spec(channels=("web",)))
    funnel = next(s for s in content.sections if s.title == "Funnel")
    assert [row[1] for row in funnel.rows] == ["2", "1", "1"]  # email customer b is filtered out
    assert ("Channel", "web") in content.filters and content.data_summary == "5 events of 3 customers"


def test_filters_that_leave_nothing_say_so_plainly(tiny):
    with pytest.raises(ValueError, match="The filters leave no events"):
        pack.build_pack(tiny, funnel_spec(start="2030-01-01"))


def test_the_pdf_is_printed_from_the_same_template(tiny):
    import io

    from pypdf import PdfReader

    data = pack.to_pdf(pack.build_pack(tiny, funnel_spec(), shared_by="Ann"))
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert data[:5] == b"%PDF-" and len(reader.pages) >= 5  # cover, key figures, one page per section
    assert "Checkout <b>Q1</b>" in text and "Ann" in text  # the escaped title prints as the text typed
    assert "33.3% of the customers who entered reached purchase" in text and "Method" in text


def test_a_map_without_the_maps_renderer_is_drawn_as_its_grid(tiny):
    grid = pack._grid({"stages": [{"key": "aw", "name": "Awareness"}, {"key": "x", "name": "Hidden", "hidden": True}],
                       "lanes": [{"key": "actions", "name": "Actions"}],
                       "cells": {"actions": {"aw": {"value": "<b>sees an ad</b>"}}}})
    assert grid == {"columns": ["", "Awareness"], "rows": [["Actions", "<b>sees an ad</b>"]]}
    html = pack.to_html(pack.Pack(title="t", description="", shared_by="", saved_at="", generated_at="",
                                  date_range="", data_summary="", filters=[], tiles=[], sections=[],
                                  maps=[{"title": "Current", "svg": "", "grid": grid}], skipped=[], method=[]))
    assert "Journey map: Current" in html and "&lt;b&gt;sees an ad&lt;/b&gt;" in html


def test_the_flow_diagram_renders_to_png_and_svg():
    """It used to fail with "Failed to parse vl_spec string as JSON": its data holds NaN labels."""
    from cjm.journey.paths import PathParams, compute_transitions
    from cjm.present.charts.paths import flow_chart

    demo = load_dataset([ROOT / "data" / "demo_events.csv.gz"])
    chart = flow_chart(compute_transitions(demo, params=PathParams()), stages=demo.stages)
    assert "NaN" in chart.to_json()  # the input that broke the download
    restored = alt.Chart.from_json(chart.to_json())  # what the download button does
    assert chart_png(restored)[:8] == b"\x89PNG\r\n\x1a\n" and "<svg" in chart_svg(chart)


def cjm(*args):
    return subprocess.run([sys.executable, "-m", "cjm", *map(str, args)], cwd=ROOT, capture_output=True, timeout=600)


def test_the_command_line_writes_the_board_pack_as_html_and_pdf(tmp_path):
    events = tmp_path / "events.csv"
    events.write_bytes(CSV)
    html, pdf = tmp_path / "pack.html", tmp_path / "pack.pdf"
    result = cjm("report", events, "--steps", "page_view,add_to_cart,purchase", "--format", "html", "--out", html,
                 "--title", "Weekly <pack>")
    assert result.returncode == 0, result.stderr
    text = html.read_text()
    assert "Weekly &lt;pack&gt;" in text and "<svg" in text
    assert "33.3% of the customers who entered reached purchase" in text
    assert cjm("report", events, "--format", "pdf", "--out", pdf).returncode == 0
    assert pdf.read_bytes()[:5] == b"%PDF-"
    bad = cjm("report", events, "--format", "pdf", "--window", "abc", "--out", pdf)
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr


def test_under_a_date_filter_that_cuts_the_data_the_packs_abandonment_words_name_the_chosen_range(tiny):
    # The export runs 1-3 Jan 2024; a range ending 2 Jan cuts it (seen to 3 Jan 00:00): windows still open then are
    # open "at the end of the chosen range (2 Jan 2024)". Without the filter: "the end of the data".
    cut = pack.build_pack(tiny, funnel_spec(end="2024-01-02"))
    note = next(s for s in cut.sections if s.title == "Abandonment").note
    assert note.startswith("Customers whose conversion window is still open at the end of the chosen range (2 Jan "
                           "2024) are in progress")
    assert ("Abandonment counts only attempts whose window closed before the end of the chosen range (2 Jan 2024); "
            "the rest are in progress.") in cut.method
    plain = pack.build_pack(tiny, funnel_spec())
    assert next(s for s in plain.sections if s.title == "Abandonment").note.startswith(
        "Customers whose conversion window is still open at the end of the data are in progress")
