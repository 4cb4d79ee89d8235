"""Writing and reading the small vendor exports of the export rounds (tests/test_exports3*.py)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from cjm import engine, report


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


def assert_in_place_as_uploaded(uploaded, in_place, expected) -> None:
    """Both datasets give `expected` (rows in, rows used, the reasons set aside, customers, revenue or None), and the
    same events: customer, name, money and time, in the file's order."""
    for dataset in (uploaded, in_place):
        accounting = dataset.accounting
        kpis = report.build_report(dataset)["kpis"]
        assert (accounting.rows_in, accounting.rows_used, dict(accounting.reasons), kpis["customers"]) == expected[:4]
        assert kpis.get("revenue") == (None if expected[4] is None else pytest.approx(expected[4]))
    mine, theirs = events_in_file_order(in_place), events_in_file_order(uploaded)
    assert list(zip(mine["customer_id"], mine["event"], mine["revenue"].fillna(-1))) == list(
        zip(theirs["customer_id"], theirs["event"], theirs["revenue"].fillna(-1)))
    assert mine["timestamp"].tolist() == theirs["timestamp"].tolist()
