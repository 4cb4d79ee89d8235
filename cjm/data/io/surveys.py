"""Header lines below the column names of a survey tool's export.

Qualtrics writes three header lines in its CSV, TSV and Excel response exports: the column names (StartDate,
ResponseId, Q1, ...), the question texts (Start Date, "How likely are you to recommend us?", ...) and one JSON
object per column naming the field and, for dates, the time zone they are written in
({"ImportId":"startDate","timeZone":"America/Denver"}). Exports made with the older "Insights" layout write the
same third line as {'ImportId': 'startDate'}. Read as rows, those two lines were two respondents whose dates
could not be read ("unparseable timestamp"), and their question texts sat in every answer column (a column of
0..10 answers holding one sentence is no longer read as numbers).

Rule: when the first or second row below the column names holds an import id in at least 90% of its filled cells
(and at least two), that row and any row above it are header lines, not responses. They are not rows of the
file: rows in counts the responses. The time zones the import ids name are kept (`timezones`) so dates written
in them are read in them, not as UTC.
"""

from __future__ import annotations

import json
import re

import pandas as pd

_IMPORT_ID = re.compile(r"""^\s*\{\s*['"]ImportId['"]\s*:""")
_SHARE = 0.9


def extra_header_rows(frame: pd.DataFrame) -> int:
    """How many of the first rows of `frame` (read below its column names) are further header lines: 0, 1 or 2."""
    for position in (0, 1):
        if len(frame) > position and _import_ids(frame.iloc[position]):
            return position + 1
    return 0


def _import_ids(row: pd.Series) -> bool:
    cells = [str(cell) for cell in row if not _blank(cell)]
    return len(cells) >= 2 and sum(bool(_IMPORT_ID.match(cell)) for cell in cells) >= _SHARE * len(cells)


def _blank(cell) -> bool:
    return cell is None or cell is pd.NA or (isinstance(cell, float) and cell != cell) or not str(cell).strip()


def timezones(row: pd.Series) -> dict[str, str]:
    """Column -> time zone named by its import id ({"ImportId":"startDate","timeZone":"America/Denver"})."""
    out = {}
    for column, cell in row.items():
        if _blank(cell):
            continue
        try:
            value = json.loads(str(cell))
        except ValueError:
            continue
        zone = value.get("timeZone") if isinstance(value, dict) else None
        if isinstance(zone, str) and zone.strip():
            out[str(column)] = zone.strip()
    return out


def header_note(rows: int, zones: dict[str, str]) -> str:
    """What the Data page says about the header lines read below the column names."""
    lines = "line 2 (the question texts) and line 3 (the import ids)" if rows == 2 else "line 2 (the import ids)"
    note = (f"This is a survey export with a header of {rows + 1} lines (Qualtrics): {lines} are read as part of the "
            "header, not as responses.")
    distinct = sorted(set(zones.values()))
    if len(distinct) == 1:
        note += f" Its dates are written in the time zone {distinct[0]}, as its import ids say, and read in it."
    return note
