"""The result of reading a file, and the checks on column names that every format shares."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cjm.errors import FileFormatError

STRING = pd.StringDtype()
MAX_NAME_LENGTH = 100
_RAW_LIMIT = 200


@dataclass(frozen=True, eq=False)
class RawTable:
    """A table as read from a file, before any mapping to cjm's columns.

    Text formats: every column is pandas "string" (empty cells are <NA>, nothing inferred, so "00017"
    and 18-digit ids stay as written). Excel, Parquet and JSON keep their own types.
    rows_in == len(frame) + len(rejected); `rejected` has columns line (1-based line in the file, or
    the item number in a JSON array), reason (plain text) and raw (the row's text, at most 200 chars).
    Rows shorter than the header are kept, padded with <NA>; longer rows are rejected.
    `delimiter` is the character, or "whitespace" for runs of spaces; None for non-text formats.
    Without a header row, columns are named column_1..column_n (also for blank header cells).
    A header of several lines (a Qualtrics export: names, question texts, import ids) leaves the frame's first row
    on a later line: frame.attrs["first_line"] is that line (2 when absent), and frame.attrs["timezones"] maps a
    column to the time zone its header names (cjm.data.io.surveys). A text file whose rows are not one a line (blank
    lines, which are no rows, or a quoted cell of several lines) gives each row's line in frame.attrs["lines"]
    (LineNumbers), which then wins over "first_line".
    """

    frame: pd.DataFrame
    format: str
    encoding: str | None
    compression: str | None
    delimiter: str | None
    has_header: bool
    sheet: str | None
    sheets: tuple[str, ...]
    rows_in: int
    rejected: pd.DataFrame
    name: str
    member: str | None = None  # the file read inside a .zip archive
    # mixed encodings: (encoding of those lines, their 1-based line numbers) for lines of a UTF-8 file that
    # were not UTF-8 and were read in that encoding instead
    other_encoding_lines: tuple[str, tuple[int, ...]] | None = None
    # what the Data page says about how the file was read (a survey export's header of three lines)
    notes: tuple[str, ...] = ()


@dataclass
class Parsed:
    """What a format reader hands back: a frame whose header (if any) is given separately."""

    frame: pd.DataFrame  # positional columns when `header` is given or names are to be generated
    rejected: pd.DataFrame = field(default_factory=lambda: rejected_frame([]))
    header: list | None = None  # the header cells; None: the frame already has names, or has no header
    named: bool = False  # True: frame.columns are final names (JSON records, Parquet)
    notes: tuple[str, ...] = ()  # what the Data page says about how the file was read (a sheet passed over)
    # the physical line each row of `frame` starts on, when rows are not one a line from the header on (blank lines
    # skipped, cells of several lines: cjm.data.io.text); None: row i is on line i + 2 (i + 1 without a header)
    lines: np.ndarray | None = None


class LineNumbers:
    """frame.attrs["lines"]: the physical line of each row of a frame read from text whose rows are not one a line
    (a blank line skipped, a cell of several lines). Read-only and shared: pandas deep-copies a frame's attrs into
    everything derived from it, and compares them when it concatenates frames (two are equal only if the same)."""

    __slots__ = ("array",)

    def __init__(self, array: np.ndarray):
        array = np.asarray(array, dtype=np.int64)
        array.flags.writeable = False
        self.array = array

    def __deepcopy__(self, memo):
        return self

    def __len__(self) -> int:
        return len(self.array)


def rejected_frame(rows: list[tuple[int, str, str]]) -> pd.DataFrame:
    """The rejected-rows table: line (1-based), reason, raw text cut to 200 characters."""
    return pd.DataFrame(
        {
            "line": pd.Series([r[0] for r in rows], dtype="int64"),
            "reason": pd.Series([r[1] for r in rows], dtype=STRING),
            "raw": pd.Series([str(r[2])[:_RAW_LIMIT] for r in rows], dtype=STRING),
        }
    )


def column_names(parsed: Parsed, *, name: str) -> tuple[list[str], str | None]:
    """Final column names: cleaned header cells, or column_1..column_n, checked for length, with repeats told apart
    (unique_names); and the note saying which were renamed (None when none was)."""
    width = parsed.frame.shape[1]
    if parsed.named:
        names = [str(c) for c in parsed.frame.columns]
    elif parsed.header is None:
        return [f"column_{i}" for i in range(1, width + 1)], None
    else:
        cells = list(parsed.header) + [None] * (width - len(parsed.header))
        names = [_clean(cell, i) for i, cell in enumerate(cells[:width], start=1)]
        _refuse_title(names, cells, name=name)
    return unique_names(names)


def _clean(cell, position: int) -> str:
    return f"column_{position}" if _is_blank(cell) else str(cell).strip()


def _is_blank(cell) -> bool:
    if cell is None or cell is pd.NA or (isinstance(cell, float) and cell != cell):
        return True
    return not str(cell).strip()


def _refuse_title(names: list[str], cells: list, *, name: str) -> None:
    """A header line with a single filled cell is a title or a note above the table, not column names,
    when the table is 3+ columns wide or the cell is longer than any column name (100 characters).
    Long names among several named columns are kept: survey exports name columns by whole questions."""
    filled = [i for i, cell in enumerate(cells) if not _is_blank(cell)]
    if len(filled) != 1:
        return
    text = names[filled[0]]
    if len(text) > MAX_NAME_LENGTH:
        raise FileFormatError(
            f"The first line of '{name}' is {len(text)} characters of text (\"{text[:60]}...\"): that is "
            "probably a title line or notes above the table, not column names. Delete the lines above "
            "the column names (or copy only the table into a new file) and upload it again."
        )
    if len(names) >= 3:
        raise FileFormatError(
            f"The first line of '{name}' has a single cell (\"{text[:60]}\") above a table of "
            f"{len(names)} columns: it looks like a title, not column names. Delete the lines above "
            "the column names and upload it again."
        )


def unique_names(names: list[str]) -> tuple[list[str], str | None]:
    """The names with every repeat told apart by its position, and the note saying so (None when none repeats): a
    later column named like an earlier one, also in other capitals (SQL engines read names without their case), is
    read as '<name> (column N)'. A survey export repeats several ('Age' and 'age', 'Gender' and 'gender': a question
    and the panel's field); refusing the file sent the user to edit it before seeing anything."""
    seen = {n.casefold() for n in names}
    first: dict[str, int] = {}
    out, renamed = [], []
    for position, column in enumerate(names, start=1):
        key = column.casefold()
        if key not in first:
            first[key] = position
            out.append(column)
            continue
        new = f"{column} (column {position})"
        while new.casefold() in seen:
            new += f" (column {position})"
        seen.add(new.casefold())
        out.append(new)
        renamed.append((names[first[key] - 1], first[key], column, position, new))
    if not renamed:
        return out, None
    listed = "; ".join(
        f"'{shortened(later)}' (column {at}) repeats '{shortened(earlier)}' (column {was}) and is read as '{shortened(new, 60)}'"
        for earlier, was, later, at, new in renamed[:5])
    if len(renamed) > 5:
        listed += f"; and {len(renamed) - 5:,} more repeated names, each read as '<name> (column N)'"
    return out, (f"Columns with the same name (capitals aside) are told apart by their position: {listed}. "
                 "Check the mapping below uses the one you mean.")


def shortened(text: str, limit: int = 40) -> str:
    """A name or cell as quoted in a message: at most `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_has_rows(frame: pd.DataFrame, names: list[str], rejected: pd.DataFrame, *, name: str) -> None:
    if len(frame):
        return
    if len(rejected):
        example = rejected.iloc[0]
        raise FileFormatError(
            f"None of the {len(rejected)} rows of '{name}' could be read: {example['reason']}, and so on "
            "for every row. The first line is probably a title or notes above the table, or the "
            "delimiter is wrong. Delete the lines above the column names, or choose the delimiter "
            "yourself, and upload it again."
        )
    raise no_rows(names, name=name)


def no_rows(names: list[str], *, name: str, again: str = "upload it again") -> FileFormatError:
    """The error for a file of column names without rows (`again`: how the user reads it next)."""
    shown = ", ".join(shortened(n) for n in names[:8]) + (", ..." if len(names) > 8 else "")
    return FileFormatError(
        f"'{name}' has column names ({shown}) but no rows. Export the data again including the rows "
        f"(check the date range or filters of the export) and {again}."
    )
