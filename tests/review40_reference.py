"""Review 40's independent reading of an events CSV: which rows a load must use, which it must set aside and why,
and how many customers the used rows hold.

Written from ../shared/DESIGN.md section 3 ("The data contract") and README.md alone, without reading
cjm/data/dataset.py, so that the comparison in tests/test_review40_rows_and_customers.py is between two readings:

- rows in: the file's data rows, the header excluded. A record is one row even when a quoted cell spans several
  physical lines. A line with nothing on it (a trailing newline, a blank line between rows) is no row: README's
  "Line numbers" rule says set-aside rows keep their file line numbers "below blank lines", so blank lines are
  passed over, not counted (DESIGN says nothing of them). A line of bare delimiters (",,,") is a row: it has cells,
  every one empty, and so no customer id.
- missing customer id (DESIGN): empty, or one of NA, N/A, #N/A, null, NULL, None, nan, NaN, -, ? (after trimming).
  Such rows are rejected, never merged into one customer.
- missing event: the same tokens in the event column (README, "Mapping rules": "ids and events become trimmed
  text (empty / NA-like ones missing)").
- unparseable timestamp: a time that is empty, NA-like or not a date that exists (2024-02-30).
- duplicate (DESIGN): a row whose every column, mapped or not, equals an earlier row of the same file, compared as
  text as written (README: "an upload compares the text").
- A row may have several true reasons (a copy of a row without id); the reference keeps all of them and a load
  may name any one.
- customers: the trimmed ids of the used rows as written: "007" and "7", "abc" and "ABC", "1E5" and "100000" are
  different customers. README's two exceptions: "123.0 in a column of whole numbers is the id 123" (every filled id
  of the column a whole number, some written with a zero fraction), and "e-mail ids are compared in lower case" (a
  column of e-mail ids).

Nothing here imports cjm.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

# DESIGN section 3, "Missing customer id", as listed there (no other spellings)
MISSING_TOKENS = frozenset({"", "NA", "N/A", "#N/A", "null", "NULL", "None", "nan", "NaN", "-", "?"})

MISSING_ID = "missing customer id"
MISSING_EVENT = "missing event"
BAD_TIME = "unparseable timestamp"
DUPLICATE = "duplicate"
MISSING_TIME = "missing timestamp"  # an empty time is unparseable too: either name is true
MALFORMED = "malformed row"  # more filled cells than the header names: DESIGN gives no rule
EMPTY = "empty row"  # every cell blank: it lacks the id too, so either name is true

_WHOLE = re.compile(r"^[+-]?\d+(\.0+)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Row:
    number: int  # 1 = the first data row
    line: int  # physical line (1-based) where the record starts; the header is line 1 (or below preamble lines)
    last_line: int  # physical line where it ends (several when a quoted cell holds newlines)
    cells: list[str]
    raw: str  # the physical line(s) of the record as written, without the final line break
    too_many_cells: bool = False
    padded: bool = False  # fewer cells than the header names: the missing ones read as empty


@dataclass
class Reading:
    header: list[str]
    rows: list[Row]
    reasons: dict[int, set[str]] = field(default_factory=dict)  # row number -> every true reason it is set aside
    used: list[int] = field(default_factory=list)  # row numbers used
    written_ids: dict[int, str] = field(default_factory=dict)  # used row -> trimmed id as written
    customer_of: dict[int, str] = field(default_factory=dict)  # used row -> customer key (README's exceptions)

    @property
    def rows_in(self) -> int:
        return len(self.rows)

    @property
    def rows_used(self) -> int:
        return len(self.used)

    @property
    def rows_rejected(self) -> int:
        return len(self.reasons)

    @property
    def customers(self) -> set[str]:
        return set(self.customer_of.values())

    def only_reason_counts(self) -> dict[str, int]:
        """Counts of the rows whose one true reason is the key (rows with several reasons are left out)."""
        counts: dict[str, int] = {}
        for reasons in self.reasons.values():
            if len(reasons) == 1:
                (reason,) = reasons
                counts[reason] = counts.get(reason, 0) + 1
        return counts

    def row(self, number: int) -> Row:
        return self.rows[number - 1]


def _decode(data: bytes, encoding: str) -> str:
    if encoding == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode(encoding)


def split_records(text: str, delimiter: str | None) -> tuple[list[str], list[Row], int]:
    """(header, rows, header line) of a text. delimiter None: cells separated by runs of whitespace."""
    physical = text.split("\n")
    if physical and physical[-1] == "":
        physical = physical[:-1]
    if delimiter is None:
        records = []
        for i, line in enumerate(physical, start=1):
            cells = line.split()
            records.append((i, i, cells))
    else:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        records = []
        previous = 0
        for cells in reader:
            start, end = previous + 1, reader.line_num
            previous = end
            records.append((start, end, cells))
    header: list[str] | None = None
    header_line = 0
    rows: list[Row] = []
    for start, end, cells in records:
        if not cells or (delimiter is None and not cells):
            continue  # a line with nothing on it
        if len(cells) == 1 and cells[0].strip() == "" and delimiter is not None:
            continue  # a line of spaces only, no delimiter: nothing on it either
        if header is None:
            header, header_line = cells, start
            continue
        raw = "\n".join(line.rstrip("\r") for line in physical[start - 1:end])
        # more cells than the header names, even empty ones (a trailing delimiter): the row says something the
        # header does not; set aside with that reason, it is accounted for (DESIGN has no rule to read it otherwise)
        too_many = len(cells) > len(header)
        padded = len(cells) < len(header)
        cells = cells if too_many else (cells + [""] * len(header))[: len(header)]
        rows.append(Row(len(rows) + 1, start, end, cells, raw, too_many, padded))
    return header or [], rows, header_line


def iso_time(value: str) -> datetime | None:
    value = value.strip()
    if value.endswith(" UTC"):
        value = value[:-4] + "+00:00"
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def formats_time(*formats: str) -> Callable[[str], datetime | None]:
    def parse(value: str) -> datetime | None:
        value = value.strip()
        for fmt in formats:
            try:
                return datetime.strptime(value, fmt)
            except ValueError:
                continue
        return None

    return parse


def customer_keys(ids: Iterable[str]) -> dict[str, str]:
    """Written (trimmed) id -> customer key, by README's "Ids as exports write them"."""
    ids = list(dict.fromkeys(ids))
    whole_column = bool(ids) and all(_WHOLE.match(i) for i in ids)
    # "e-mail ids are compared in lower case": a column of e-mail ids (every filled id an address). README says
    # nothing of a column mixing addresses with other ids; there each id stays as written.
    emails = bool(ids) and all(_EMAIL.match(i) for i in ids)
    keys = {}
    for i in ids:
        key = i
        if whole_column and "." in i:
            key = i.split(".", 1)[0]
        if emails:
            key = key.lower()
        keys[i] = key
    return keys


def read_reference(data: bytes | str | Path, *, id_col: str, event_col: str | None, time_col: str,
                   delimiter: str | None = ",", encoding: str = "utf-8",
                   parse_time: Callable[[str], datetime | None] = iso_time,
                   event_constant: bool = False, keep_identical: bool = False) -> Reading:
    """Read an events file by the data contract. event_col None with event_constant: every row is one event named
    by the load (a purchases file without an event column), so no row lacks an event."""
    if isinstance(data, Path):
        data = data.read_bytes()
    text = _decode(data, encoding) if isinstance(data, bytes) else data
    header, rows, _ = split_records(text, delimiter)
    names = [h.strip() for h in header]
    id_i = names.index(id_col)
    time_i = names.index(time_col)
    event_i = names.index(event_col) if event_col is not None else None
    reading = Reading(header, rows)
    seen: set[tuple[str, ...]] = set()
    # every filled id of the column, used or not, says whether it is a column of whole numbers
    filled = [r.cells[id_i].strip() for r in rows if r.cells[id_i].strip() not in MISSING_TOKENS]
    keys = customer_keys(filled)
    for r in rows:
        reasons: set[str] = set()
        if r.too_many_cells:
            reasons.add(MALFORMED)
        if not any(c.strip() for c in r.cells):
            reasons.add(EMPTY)
        written = r.cells[id_i].strip()
        if written in MISSING_TOKENS:
            reasons.add(MISSING_ID)
        if event_i is not None and r.cells[event_i].strip() in MISSING_TOKENS:
            reasons.add(MISSING_EVENT)
        elif event_i is None and not event_constant:
            raise ValueError("an event column or event_constant=True")
        t = r.cells[time_i]
        if t.strip() in MISSING_TOKENS:
            reasons |= {MISSING_TIME, BAD_TIME}
        elif parse_time(t) is None:
            reasons.add(BAD_TIME)
        key = tuple(r.cells)
        if not keep_identical and key in seen:
            reasons.add(DUPLICATE)
        seen.add(key)
        if reasons:
            reading.reasons[r.number] = reasons
        else:
            reading.used.append(r.number)
            reading.written_ids[r.number] = written
            reading.customer_of[r.number] = keys[written]
    return reading


def reason_key(text: str) -> str:
    """The reference's name for a load's stated reason (by the words it uses)."""
    low = text.lower()
    if "empty row" in low:
        return EMPTY
    if "missing timestamp" in low:
        return MISSING_TIME
    if "fields" in low and "header" in low:
        return MALFORMED
    if "duplicate" in low or "identical" in low or "repeat" in low:
        return DUPLICATE
    if "id" in low.split() or "customer" in low or "missing id" in low:
        return MISSING_ID
    if "event" in low:
        return MISSING_EVENT
    if "time" in low or "date" in low:
        return BAD_TIME
    return text
