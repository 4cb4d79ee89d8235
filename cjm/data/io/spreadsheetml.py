"""Excel 2003 XML workbooks (SpreadsheetML): what help desks and older web apps save as ".xls".

Freshdesk's ticket export ("Export" -> Excel) is such a file: plain XML text beginning `<?xml version="1.0"?>` and
`<ss:Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" ...>`, one `<ss:Row>` a ticket, each cell a
`<ss:Data ss:Type="String|Number|DateTime|Boolean">`. Read as delimited text it was 1,945 one-column "rows" of XML
(each line a respondent). Here its cells are read with their own types, like an .xlsx sheet's
(cjm.data.io.excel): the first sheet with anything in it unless one is named, empty rows and columns left out.

The format has no document type and no entities: a file declaring either (the way to make an XML parser expand
a few bytes into gigabytes) is refused before it is parsed.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET

import pandas as pd

from cjm.errors import FileFormatError, ParameterError
from cjm.data.io.limits import LimitExceeded
from cjm.data.io.sniff import cell_looks_like_value, first_row_is_header
from cjm.data.io.table import Parsed

NAMESPACE = "urn:schemas-microsoft-com:office:spreadsheet"
_SS = "{" + NAMESPACE + "}"


def is_spreadsheetml(sample: str) -> bool:
    """Whether a text file's start is an Excel 2003 XML workbook: an XML declaration (or the workbook element)
    and the SpreadsheetML namespace or Excel's processing instruction."""
    head = sample.lstrip("\ufeff \t\r\n")[:4000]
    return head.startswith("<") and (NAMESPACE in head or 'progid="Excel.Sheet"' in head) and "Workbook" in head


def _refuse(name: str, why: str) -> FileFormatError:
    return FileFormatError(
        f"'{name}' is an Excel 2003 XML workbook (SpreadsheetML) that cjm cannot read: {why}. Open it in Excel "
        "and save it as an Excel workbook (.xlsx) or as CSV, then upload that file."
    )


def read_spreadsheetml(text: str, *, name: str, sheet: str | None, has_header: bool | None, max_cells: int):
    """(Parsed, the sheet read, all sheet names), as cjm.data.io.excel.read_xlsx gives them."""
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise _refuse(name, "it declares a document type or entities, which such a workbook never has")
    sheets: list[str] = []
    tables: dict[str, list[tuple]] = {}
    row: list | None = None
    column = 0
    cells = 0
    current = None
    try:
        for event, element in ET.iterparse(io.StringIO(text), events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == _SS + "Worksheet":
                    current = element.get(_SS + "Name") or f"Sheet{len(sheets) + 1}"
                    sheets.append(current)
                    tables[current] = []
                elif tag == _SS + "Row":
                    row, column = [], 0
                continue
            if tag == _SS + "Cell" and row is not None:
                index = element.get(_SS + "Index")  # a cell after skipped empty ones names its column (1-based)
                if index is not None and index.isdigit() and int(index) - 1 > column:
                    row.extend([None] * (int(index) - 1 - column))
                    column = int(index) - 1
                data = element.find(_SS + "Data")
                row.append(None if data is None else _value(data))
                column += 1
                merged = element.get(_SS + "MergeAcross")  # a cell spanning N more columns: they are empty
                if merged is not None and merged.isdigit():
                    row.extend([None] * int(merged))
                    column += int(merged)
                element.clear()
            elif tag == _SS + "Row" and row is not None:
                if current is not None and (sheet is None or current == sheet) and any(_filled(v) for v in row):
                    tables[current].append(tuple(row))
                    cells += len(row)
                    if cells > max_cells:
                        raise LimitExceeded(
                            f"'{name}' is an Excel 2003 XML workbook with more than {max_cells:,} cells on sheet "
                            f"{current!r}, more than cjm reads (the Excel cell limit). Save the rows you need "
                            "as CSV, or raise the limit with the CJM_MAX_EXCEL_CELLS setting.")
                row = None
                element.clear()
            elif tag == _SS + "Worksheet":
                element.clear()
    except ET.ParseError as error:
        raise _refuse(name, f"its XML is broken ({error}); it is probably damaged or incomplete") from None
    if sheet is not None and sheet not in sheets:
        raise ParameterError(
            f"'{name}' has no sheet named {sheet!r}; its sheets are: "
            + ", ".join(repr(s) for s in sheets) + ". Choose one of these."
        )
    chosen = next((s for s in ([sheet] if sheet is not None else sheets) if tables.get(s)), None)
    if chosen is None:
        raise FileFormatError(
            f"'{name}' is an Excel 2003 XML workbook with no filled cells on "
            + (f"sheet {sheet!r}" if sheet is not None else "any sheet")
            + ". Put the table on a sheet (column names in the first row, one row per record), save, and upload "
            "it again."
        )
    rows = _without_empty_columns(tables[chosen])
    if has_header is None:
        has_header = first_row_is_header([list(r) for r in rows[:200]], cell_looks_like_value)
    header, body = (list(rows[0]), rows[1:]) if has_header else (None, rows)
    frame = pd.DataFrame(body, columns=range(len(rows[0])))
    return Parsed(frame, header=header), chosen, tuple(sheets)


def _value(data: ET.Element):
    """A cell's value in its stated type: Number -> int or float, DateTime -> datetime, Boolean -> bool,
    String (and any other) -> text (rich text's pieces joined); empty -> None."""
    kind = data.get(_SS + "Type", "String")
    text = "".join(data.itertext())
    if text == "":
        return None
    try:
        if kind == "Number":
            number = float(text)
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
        if kind == "DateTime":
            return dt.datetime.fromisoformat(text.rstrip("Z"))
        if kind == "Boolean":
            return text.strip() in ("1", "true", "TRUE")
    except ValueError:
        return text  # a cell whose text does not fit its stated type is kept as the text it shows
    return text


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _without_empty_columns(rows: list[tuple]) -> list[tuple]:
    width = max(len(r) for r in rows)
    rows = [tuple(r) + (None,) * (width - len(r)) for r in rows]
    used = [j for j in range(width) if any(_filled(r[j]) for r in rows)]
    return [tuple(r[j] for j in used) for r in rows]
