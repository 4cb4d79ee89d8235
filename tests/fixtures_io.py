"""Builders of test files, made in memory (or in a pytest tmp dir) so no binary fixture is committed."""

from __future__ import annotations

import gzip
import io
import json
import zipfile

import pandas as pd


def delimited(rows, *, delimiter: str = ",", encoding: str = "utf-8", newline: str = "\n") -> bytes:
    """Rows of cells (already strings) joined as text; cells are written exactly as given."""
    return (newline.join(delimiter.join(row) for row in rows) + newline).encode(encoding)


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx workbook with one sheet per entry (an empty list makes an empty sheet)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def parquet(frame: pd.DataFrame, *, index: bool = False) -> bytes:
    out = io.BytesIO()
    frame.to_parquet(out, index=index)
    return out.getvalue()


def json_bytes(document) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def json_lines(records) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-8") + b"\n"


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def png() -> bytes:
    """The start of a real PNG file: signature and an IHDR chunk, then pixel-like bytes."""
    return (
        b"\x89PNG\r\n\x1a\n"
        b"\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
        + bytes(range(256)) * 4
    )


def random_bytes(size: int = 4096, seed: int = 7) -> bytes:
    import random

    return random.Random(seed).randbytes(size)


def events_rows(n: int = 5) -> list[list[str]]:
    """A small event log with zero-padded and 18-digit ids."""
    rows = [["customer_id", "order_id", "timestamp", "event"]]
    for i in range(n):
        day = f"2024-01-0{i % 9 + 1} 10:00:00"
        rows.append([f"{i + 1:05d}", str(570306133677760513 + i), day, "purchase"])
    return rows
