"""Excel workbooks (.xlsx): pick a sheet, keep Excel's own cell types (numbers, dates, text)."""

from __future__ import annotations

import io
import zipfile

import pandas as pd

from cjm.errors import FileFormatError, ParameterError
from cjm.data.io.sniff import cell_looks_like_value, first_row_is_header
from cjm.data.io.table import Parsed


def is_xlsx(archive: zipfile.ZipFile) -> bool:
    names = set(archive.namelist())
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def damaged_xlsx_message(name: str) -> str:
    return (
        f"'{name}' is an Excel workbook that is damaged or incomplete (it ends too early, as after an "
        "interrupted download or copy). Open it in Excel and save it again, or export it again, then "
        "upload the new file."
    )


def read_xlsx(data: bytes, *, name: str, sheet: str | None, has_header: bool | None):
    """(Parsed, the sheet read, all sheet names)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML and key errors alike for a broken file
        raise FileFormatError(damaged_xlsx_message(name)) from None
    try:
        sheets = tuple(workbook.sheetnames)
        if sheet is not None and sheet not in sheets:
            raise ParameterError(
                f"'{name}' has no sheet named {sheet!r}; its sheets are: "
                + ", ".join(repr(s) for s in sheets) + ". Choose one of these."
            )
        chosen, rows = None, []
        for candidate in [sheet] if sheet is not None else sheets:
            rows = _sheet_rows(workbook[candidate], name=name)
            if rows:
                chosen = candidate
                break
    finally:
        workbook.close()
    if not rows:
        listed = ", ".join(repr(s) for s in ([sheet] if sheet else sheets))
        if sheet or len(sheets) == 1:
            where = f"sheet {listed} is"
        else:
            where = f"sheets ({listed}) are all"
        raise FileFormatError(
            f"'{name}' is an Excel workbook whose {where} empty. Put the table on a sheet (column "
            "names in the first row, one row per record), save, and upload it again."
        )
    if has_header is None:
        has_header = first_row_is_header(rows[:200], cell_looks_like_value)
    header, body = (list(rows[0]), rows[1:]) if has_header else (None, rows)
    frame = pd.DataFrame(body, columns=range(len(rows[0])))
    return Parsed(frame, header=header), chosen, sheets


def _sheet_rows(worksheet, *, name: str) -> list[tuple]:
    """The sheet's non-empty rows, without columns that are empty from top to bottom."""
    try:
        rows = [r for r in worksheet.iter_rows(values_only=True) if any(_filled(v) for v in r)]
    except Exception:
        raise FileFormatError(damaged_xlsx_message(name)) from None
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [tuple(r) + (None,) * (width - len(r)) for r in rows]
    used = [j for j in range(width) if any(_filled(r[j]) for r in rows)]
    return [tuple(r[j] for j in used) for r in rows]


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())
