"""Exports: CSV guarded against spreadsheet formula injection, charts as PNG/SVG."""

from __future__ import annotations

import pandas as pd

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# ...also after characters a spreadsheet skips or that a reader cannot see: spaces, tabs, line breaks,
# zero-width characters (U+200B..U+200D, U+2060) and byte-order marks (U+FEFF).
INVISIBLE_LEAD = " \t\r\n\u00a0\u200b\u200c\u200d\u2060\ufeff"


def guard_cell(value):
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.lstrip(INVISIBLE_LEAD).startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, str) and value.startswith(("\t", "\r")):
        return "'" + value
    return value


def to_safe_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel shows Arabic, Persian and Cyrillic text) with formula cells guarded."""
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            safe[column] = series.map(guard_cell, na_action="ignore")
    safe.columns = [guard_cell(str(c)) for c in safe.columns]
    return safe.to_csv(index=False).encode("utf-8-sig")


def chart_png(chart, *, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart.to_json(), scale=scale)


def chart_svg(chart) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_json())
