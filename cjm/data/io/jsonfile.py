"""JSON and JSON Lines into a flat table (nested objects become dotted columns: "address.city")."""

from __future__ import annotations

import json
import re

import pandas as pd

from cjm.errors import FileFormatError
from cjm.data.io.limits import Deadline, LimitExceeded, Limits, current_limits
from cjm.data.io.sniff import cell_looks_like_value, first_row_is_header
from cjm.data.io.table import Parsed, rejected_frame


# "\ud83d" not followed by its second half (or "\ude00" alone): half an emoji, as an export cut at a length writes
# it. Decoded, it is a lone surrogate that no text tool can encode (the report stopped with UnicodeEncodeError).
_LONE_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                             r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _whole_characters(text: str) -> str:
    """`text` with each escaped half character replaced by U+FFFD (the replacement character)."""
    if "\\ud" not in text and "\\uD" not in text:
        return text
    return _LONE_SURROGATE.sub(r"\\ufffd", text)


def is_json_lines(text: str) -> bool:
    """Two or more lines that each hold one JSON object: {...}\\n{...}."""
    lines = [line for line in text[: 1 << 16].splitlines() if line.strip()]
    if len(lines) < 2 or not lines[1].lstrip().startswith("{"):
        return False
    try:
        return isinstance(json.loads(lines[0]), dict)
    except ValueError:
        return False


def read_json(text: str, *, name: str, has_header: bool | None, limits: Limits | None = None) -> Parsed:
    limits = limits or current_limits()
    text = _whole_characters(text)
    try:
        document = json.loads(text)
    except RecursionError:
        _too_deep(name, limits)
    except json.JSONDecodeError as error:
        raise FileFormatError(
            f"'{name}' looks like JSON but is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}. The file may be cut off or hand-edited; export it again, or check "
            "that spot in a text editor."
        ) from None
    _check_shape(document, name=name, limits=limits)
    records = _records(document, name=name)
    _check_width(records, name=name, limits=limits)
    if records and all(isinstance(r, list) for r in records):
        return _from_rows(records, has_header)
    kept = [r for r in records if isinstance(r, dict)]
    rejected = [
        (i, f"item {i} is {_kind(r)}, not an object with named fields", json.dumps(r, ensure_ascii=False))
        for i, r in enumerate(records, start=1)
        if not isinstance(r, dict)
    ]
    if records and not kept:
        raise FileFormatError(
            f"'{name}' is a JSON list of {_kind(records[0])}s, not of records. cjm needs one object "
            'per row, like [{"customer_id": "17", "event": "purchase"}, ...].'
        )
    return Parsed(_flat(kept), rejected_frame(rejected), named=True)


def read_json_lines(text: str, *, name: str, limits: Limits | None = None) -> Parsed:
    limits = limits or current_limits()
    text = _whole_characters(text)
    numbered = [(i, line) for i, line in enumerate(text.splitlines(), start=1) if line.strip()]
    try:  # one C-speed parse when every line is fine
        records = json.loads("[" + ",".join(line for _, line in numbered) + "]")
        if len(records) == len(numbered) and all(isinstance(r, dict) for r in records):
            _check_shape(records, name=name, limits=limits)
            _check_width(records, name=name, limits=limits)
            return Parsed(_flat(records), named=True)
    except RecursionError:
        _too_deep(name, limits)
    except json.JSONDecodeError:
        pass
    kept, bad = [], []
    deadline = Deadline("reading JSON lines", name=name)
    for i, line in numbered:
        if i % 10_000 == 0:
            deadline.check()
        try:
            record = json.loads(line)
        except RecursionError:
            _too_deep(name, limits)
        except json.JSONDecodeError as error:
            bad.append((i, f"line {i} is not valid JSON ({error.msg})", line))
            continue
        if isinstance(record, dict):
            kept.append(record)
        else:
            bad.append((i, f"line {i} is {_kind(record)}, not an object with named fields", line))
    if not kept:
        raise FileFormatError(
            f"None of the {len(numbered)} lines of '{name}' is a JSON object. JSON Lines files need "
            'one object per line, like {"customer_id": "17", "event": "purchase"}.'
        )
    _check_shape(kept, name=name, limits=limits)
    _check_width(kept, name=name, limits=limits)
    return Parsed(_flat(kept), rejected_frame(bad), named=True)


def _flat(records: list) -> pd.DataFrame:
    """Records as a table: nested objects become dotted columns ("context.page.url"), and a list (Segment's
    "_metadata.bundled": ["Segment.io"], an order's "line_items") stays one cell written as JSON text, so
    every cell is a value that can be compared and shown (a Python list in a cell stopped the load)."""
    frame = pd.json_normalize(records, sep=".")
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object and values.map(lambda v: isinstance(v, (list, dict))).any():
            frame[column] = values.map(
                lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
    return frame


def _check_shape(document, *, name: str, limits: Limits) -> None:
    """Refuse nesting deeper than the limit (walking containers only, without recursion)."""
    deadline = Deadline("checking the JSON structure", name=name)
    stack, seen = [(document, 1)], 0
    while stack:
        value, depth = stack.pop()
        if depth > limits.json_depth:
            _too_deep(name, limits)
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
        seen += 1
        if seen % 100_000 == 0:
            deadline.check()


def _check_width(records: list, *, name: str, limits: Limits) -> None:
    """Refuse records whose field names, all together, are more than the column limit."""
    keys: set = set()
    for record in records:
        if isinstance(record, dict):
            keys.update(record)
            if len(keys) > limits.max_columns:
                raise LimitExceeded(
                    f"'{name}' has records with more than {limits.max_columns:,} different field names, more "
                    "than the columns cjm reads (the column limit). Export a list of records with the same "
                    "fields in each, like [{\"customer_id\": \"17\", \"event\": \"purchase\"}, ...], or raise "
                    "the limit with the CJM_MAX_COLUMNS setting."
                )


def _too_deep(name: str, limits: Limits):
    raise LimitExceeded(
        f"'{name}' is JSON nested more than {limits.json_depth} levels deep (objects inside objects), more "
        "than cjm reads (the JSON depth limit). Export a flat list of records, like "
        '[{"customer_id": "17", "event": "purchase"}, ...], or raise the limit with the CJM_MAX_JSON_DEPTH '
        "setting."
    ) from None


def _records(document, *, name: str) -> list:
    """The list of rows in the common JSON layouts pandas and APIs produce."""
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise FileFormatError(
            f"'{name}' holds a single JSON {_kind(document)}, not a table. Export a list of records, "
            'like [{"customer_id": "17", "event": "purchase"}, ...].'
        )
    if isinstance(document.get("columns"), list) and isinstance(document.get("data"), list):
        columns = document["columns"]  # pandas orient="split"
        return [dict(zip(columns, row)) for row in document["data"]]
    if isinstance(document.get("schema"), dict) and isinstance(document.get("data"), list):
        return document["data"]  # pandas orient="table"
    values = list(document.values())
    if values and all(isinstance(v, dict) for v in values):  # pandas orient="columns": {col: {row: v}}
        frame = pd.DataFrame(document)
        return frame.to_dict(orient="records")
    if values and all(isinstance(v, list) for v in values) and len({len(v) for v in values}) == 1:
        return pd.DataFrame(document).to_dict(orient="records")  # {col: [values]}
    lists = [v for v in values if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
    if lists:  # an API envelope such as {"data": [...], "page": 2}
        return max(lists, key=len)
    return [document]  # one record


def _from_rows(rows: list[list], has_header: bool | None) -> Parsed:
    """A JSON array of arrays, like [["id", "event"], ["17", "view"]]."""
    if has_header is None:
        has_header = first_row_is_header(rows, cell_looks_like_value)
    header, body = (rows[0], rows[1:]) if has_header else (None, rows)
    width = max(len(r) for r in rows)
    return Parsed(pd.DataFrame(body, columns=range(width)), header=header)


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "a text", bool: "a true/false value"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else "an empty value"
    )
