"""Excel workbooks (.xlsx): pick a sheet, keep Excel's own cell types (numbers, dates, text)."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile

import pandas as pd

from cjm.errors import FileFormatError, ParameterError
from cjm.data.io.limits import Deadline, LimitExceeded, current_limits
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


def read_xlsx(data: bytes, *, name: str, sheet: str | None, has_header: bool | None,
              max_cells: int | None = None):
    """(Parsed, the sheet read, all sheet names).

    python-calamine (Rust) reads the cells; before it does, the sheet's XML is scanned for the cells
    that hold something, so a workbook whose used range is vast (one stray cell at XFD1048576 next to
    a table at A1) is refused with a message instead of a grid of 17 billion cells."""
    from python_calamine import CalamineWorkbook

    if max_cells is None:
        max_cells = current_limits().excel_cells
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = tuple(workbook.sheet_names)
        paths = _sheet_paths(data)
    except FileFormatError:
        raise
    except Exception:  # calamine raises zip, XML and key errors alike for a broken file
        raise FileFormatError(damaged_xlsx_message(name)) from None
    if sheet is not None and sheet not in sheets:
        raise ParameterError(
            f"'{name}' has no sheet named {sheet!r}; its sheets are: "
            + ", ".join(repr(s) for s in sheets) + ". Choose one of these."
        )
    chosen, rows = None, []
    pivots: list[tuple[str, list]] = []  # sheets passed over: Excel pivot tables (summaries of another sheet)
    deadline = Deadline("reading the Excel sheets", name=name)
    for candidate in [sheet] if sheet is not None else sheets:
        _check_used_range(data, paths.get(candidate), sheet=candidate, name=name, max_cells=max_cells)
        rows = _sheet_rows(workbook, candidate, name=name)
        deadline.check()
        if rows and sheet is None and is_pivot_table(rows):
            pivots.append((candidate, rows))
            rows = []
            continue
        if rows:
            chosen = candidate
            break
    workbook.close()
    note = None
    if chosen is None and pivots:  # nothing but pivot tables: the first of them, as before
        chosen, rows = pivots[0]
    elif pivots:
        passed = ", ".join(repr(p) for p, _ in pivots[:5]) + (", ..." if len(pivots) > 5 else "")
        note = (f"Sheet {chosen!r} was read: the sheets before it ({passed}) hold Excel pivot tables (summaries with "
                "'Row Labels' and 'Grand Total'), not one row per record. Choose another sheet under Reading "
                "options if this is not the table.")
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
    return Parsed(frame, header=header, notes=(note,) if note else ()), chosen, sheets


# Excel's captions of a pivot table ("Row Labels" over its rows, "Grand Total" under them) in English, French,
# German, Spanish, Portuguese, Italian and Dutch; Google Sheets writes "Grand Total" too.
PIVOT_ROW_LABELS = frozenset({"row labels", "étiquettes de lignes", "zeilenbeschriftungen", "etiquetas de fila",
                              "rótulos de linha", "etichette di riga", "rijlabels"})
PIVOT_TOTALS = frozenset({"grand total", "total général", "gesamtergebnis", "total general", "total geral",
                          "totale complessivo", "eindtotaal"})


def is_pivot_table(rows: list[tuple]) -> bool:
    """Whether a sheet's rows are an Excel pivot table: a "Row Labels" cell and a "Grand Total" cell (in any of the
    languages above), in its first 1,000 rows."""
    cells = {v.strip().lower() for row in rows[:1000] for v in row if isinstance(v, str)}
    return bool(cells & PIVOT_ROW_LABELS) and bool(cells & PIVOT_TOTALS)


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_SCAN_CHUNK = 1 << 22


def _sheet_paths(data: bytes) -> dict[str, str]:
    """Sheet name -> its XML member in the package (xl/workbook.xml and its relationships)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels_name = "xl/_rels/workbook.xml.rels"
        rels = archive.read(rels_name).decode("utf-8", "replace") if rels_name in names else ""
    targets = {}
    for rel in re.finditer(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        ident = re.search(r'\bId="([^"]*)"', rel.group(0))
        target = re.search(r'\bTarget="([^"]*)"', rel.group(0))
        if ident and target:
            path = target.group(1)
            path = path.lstrip("/") if path.startswith("/") else "xl/" + path
            targets[ident.group(1)] = path
    paths = {}
    for element in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
        sheet_name = re.search(r'\bname="([^"]*)"', element.group(0))
        rel_id = re.search(r'\br:id="([^"]*)"|\bid="([^"]*)"', element.group(0))
        if sheet_name and rel_id:
            key = rel_id.group(1) or rel_id.group(2)
            if key in targets:
                paths[html.unescape(sheet_name.group(1))] = targets[key]
    return paths


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_used_range(data: bytes, path: str | None, *, sheet: str, name: str, max_cells: int) -> None:
    """Refuse a sheet whose filled cells span more than `max_cells` (rows x columns of their box)."""
    if path is None:
        return
    rows, cols, count = [1 << 30, 0], [1 << 30, 0], 0
    tail = b""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if path not in archive.namelist():
            return
        with archive.open(path) as stream:
            while True:
                chunk = stream.read(_SCAN_CHUNK)
                buf = tail + chunk
                cut = buf.rfind(b"<") if chunk else len(buf)
                if cut < 0:
                    cut = len(buf)
                for match in _CELL.finditer(buf, 0, cut):
                    if match.group(2):  # <c r="A1" s="3"/>: a formatted empty cell
                        continue
                    count += 1
                    ref = _REF.search(match.group(1))
                    if ref:
                        row, col = int(ref.group(2)), _column_number(ref.group(1))
                        rows[0], rows[1] = min(rows[0], row), max(rows[1], row)
                        cols[0], cols[1] = min(cols[0], col), max(cols[1], col)
                tail = buf[cut:]
                if not chunk:
                    break
    if not count:
        return
    area = max((rows[1] - rows[0] + 1) * (cols[1] - cols[0] + 1), count) if rows[1] else count
    if area > max_cells:
        first = f"{_letters(cols[0])}{rows[0]}" if rows[1] else "A1"
        last = f"{_letters(cols[1])}{rows[1]}" if rows[1] else "?"
        raise LimitExceeded(
            f"'{name}' is an Excel workbook whose sheet {sheet!r} has filled cells from {first} to {last}: "
            f"a grid of {area:,} cells, more than the {max_cells:,} cjm reads (the Excel cell limit). There "
            "is probably a stray value far from the table: delete the empty rows and columns after the "
            "table (or copy the table into a new sheet), save, and upload it again; or raise the limit "
            "with the CJM_MAX_EXCEL_CELLS setting."
        )


def _letters(number: int) -> str:
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


def _sheet_rows(workbook, sheet: str, *, name: str) -> list[tuple]:
    """The sheet's non-empty rows, without columns that are empty from top to bottom."""
    try:
        rows = [r for r in workbook.get_sheet_by_name(sheet).to_python() if any(_filled(v) for v in r)]
    except Exception:
        raise FileFormatError(damaged_xlsx_message(name)) from None
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [tuple(r) + ("",) * (width - len(r)) for r in rows]
    used = [j for j in range(width) if any(_filled(r[j]) for r in rows)]
    return [tuple(_value(r[j]) for j in used) for r in rows]


def _value(value):
    """Cells as openpyxl gave them: empty -> None, whole numbers -> int, dates -> datetime."""
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, str):
        return value if value else None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())
