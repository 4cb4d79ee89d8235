"""Writing and reading the small vendor exports of the export rounds (tests/test_exports3*.py)."""

from __future__ import annotations

import csv
import io

import pandas as pd

from cjm import engine


def events_in_file_order(dataset) -> pd.DataFrame:
    """The dataset's events, in the order of the file's lines."""
    return engine.execute(dataset.events).sort_values("row_id").reset_index(drop=True)


def write_export(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    """`text` written as the file `name` in `encoding` (a vendor's own: UTF-16, Windows-1252), its path."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    """A CSV as a spreadsheet writes it: quoted where a cell needs it, one line per row."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
