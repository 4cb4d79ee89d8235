"""Guessing what a file is from its content: kind of file, delimiter, and whether row 1 is a header."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from numbers import Number

DELIMITERS = {",": "csv", "\t": "tsv", ";": "semicolon", "|": "pipe"}
WHITESPACE = "whitespace"
MAX_HEADER_CELL = 1_000  # characters: longer first-row cells are data (survey questions stay well below)

# Magic numbers of files people upload by mistake, so the message can say what the file is.
_NOT_TABLES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ", "an xz-compressed file"),
    (b"SQLite format 3", "an SQLite database"),
)


def binary_kind(data: bytes) -> str:
    """"gzip", "zip", "parquet", "xls" (old Excel), "text", or a description of a non-table file."""
    if data[:2] == b"\x1f\x8b":
        return "gzip"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if data[:4] == b"PAR1":
        return "parquet"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    for magic, what in _NOT_TABLES:
        if data.startswith(magic):
            return what
    return "text"


_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"


def looks_binary(text_sample: str) -> bool:
    """NUL bytes or more than 1% control characters: not something a person or a CSV export wrote."""
    if "\x00" in text_sample:
        return True
    controls = sum(text_sample.count(chr(b)) for b in _CONTROL)
    return controls > max(3, len(text_sample) // 100)


# --- delimited text ------------------------------------------------------------------------------

def sample_records(text: str, delimiter: str, limit: int = 100) -> list[list[str]]:
    """The first complete records of a text sample, parsed with quotes honoured (multi-line fields)."""
    lines = text.splitlines(keepends=True)
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may stop mid-line
    if delimiter == WHITESPACE:
        records = [line.split() for line in lines[: limit + 1]]
        return [r for r in records if r][:limit]
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    records = []
    try:
        for record in reader:
            if record:
                records.append(record)
            if len(records) > limit:
                break
    except csv.Error:
        pass
    return records[:limit]


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the sample into the most consistent records of 2+ fields.

    For each candidate: does the first record have the most common field count, does that count hold
    for 90% of records, and how many fields is it. A semicolon file with decimal commas fails the comma
    on its header line. A candidate that holds for most records still wins when the first line differs
    (a title above the table: the reader then explains the misfit). With no candidate, lines that
    split consistently on runs of spaces are "whitespace"; otherwise the file has a single column.
    """
    scored = []
    for rank, delimiter in enumerate(DELIMITERS):
        if delimiter not in text:
            continue
        counts = [len(r) for r in sample_records(text, delimiter)]
        if not counts:
            continue
        fields, freq = Counter(counts).most_common(1)[0]
        if fields >= 2:
            share = freq / len(counts)
            scored.append(((counts[0] == fields, share >= 0.9, fields, -rank), share, delimiter))
    best = max(scored) if scored else None
    if best and (best[0][0] or best[0][1] or best[1] >= 0.5):
        return best[2]
    counts = [len(r) for r in sample_records(text, WHITESPACE)]
    if counts:
        fields, freq = Counter(counts).most_common(1)[0]
        if fields >= 2 and (freq >= 0.9 * len(counts) or (counts[0] == fields and freq >= 0.6 * len(counts))):
            return WHITESPACE
    return best[2] if best else ","


# --- header detection ----------------------------------------------------------------------------

_VALUE = re.compile(
    r"""^\s*[-+]?[$€£¥]?\s*(\d[\d\s.,']*\d|\d)\s*%?\s*$          # 12, 1,234.5, 12,5, 17%
    |^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}.*)?$   # dates, date-times
    |^\s*\d{1,2}:\d{2}(:\d{2})?\s*$                               # times
    |^\s*[-+]?\d*\.?\d+([eE][-+]?\d+)?\s*$                        # 1e5, .5
    """,
    re.VERBOSE,
)


def text_looks_like_value(cell) -> bool:
    return isinstance(cell, str) and bool(_VALUE.match(cell))


def cell_looks_like_value(cell) -> bool:
    """For typed cells (Excel, JSON): numbers and dates are values; text is checked as text."""
    if isinstance(cell, bool):
        return False
    if isinstance(cell, (Number, dt.date, dt.time)):
        return True
    return text_looks_like_value(cell)


def first_row_is_header(records: list[list], looks_like_value=text_looks_like_value) -> bool:
    """Row 1 is data, not names, when one of its cells is a value (number, date) in a column whose
    later cells are values too. Column names are text; a file of text-only columns is assumed to have
    a header (pass has_header=False for a headerless all-text file)."""
    if len(records) < 2:
        return True
    first, rest = records[0], records[1:]
    if any(isinstance(cell, str) and len(cell) > MAX_HEADER_CELL for cell in first):
        return False  # a name of thousands of characters is a record (a long comment), not a column name
    for j, cell in enumerate(first):
        if not looks_like_value(cell):
            continue
        later = [r[j] for r in rest if j < len(r) and r[j] not in (None, "")]
        if later and sum(map(looks_like_value, later)) >= 0.8 * len(later):
            return False
    return True
