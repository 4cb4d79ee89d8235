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


def strict_json(chart) -> str:
    """The chart's Vega-Lite spec as strict JSON: missing values (NaN, inf) in its data become null.

    Altair writes NaN as a bare `NaN`, which is not JSON; vl-convert then fails with "Failed to parse
    vl_spec string as JSON" (the flow diagram's label-less nodes did this)."""
    import json
    import math

    def clean(value):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return json.dumps(clean(chart.to_dict()), allow_nan=False)


def chart_png(chart, *, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(strict_json(chart), scale=scale)


def chart_svg(chart) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(strict_json(chart))
