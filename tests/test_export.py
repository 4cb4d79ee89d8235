import io

import altair as alt
import pandas as pd

from cjm.present.export import chart_png, guard_cell, to_safe_csv


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised():
    frame = pd.DataFrame({"name": ["=HYPERLINK(\"x\")", "+1", "@SUM(A1)", "plain", "-2"], "value": [-1, 2, 3, 4, 5]})
    text = to_safe_csv(frame).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), dtype=str)
    assert back["name"].tolist() == ["'=HYPERLINK(\"x\")", "'+1", "'@SUM(A1)", "plain", "'-2"]
    assert back["value"].tolist() == ["-1", "2", "3", "4", "5"]  # numbers are not touched


def test_csv_keeps_arabic_persian_and_cyrillic_text_with_a_bom_for_excel():
    data = to_safe_csv(pd.DataFrame({"comment": ["خرید", "مشتری", "покупка"]}))
    assert data.startswith(b"\xef\xbb\xbf") and "مشتری".encode() in data


def test_guard_cell_leaves_non_text_alone():
    assert guard_cell(-5) == -5 and guard_cell(None) is None


def test_a_chart_renders_to_png():
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_bar().encode(x="x:Q", y="y:Q")
    assert chart_png(chart)[:8] == b"\x89PNG\r\n\x1a\n"
