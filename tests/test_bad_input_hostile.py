"""Hostile files: each is read within its budget, or refused with a plain message that names the limit
and the fix; never a hang, a MemoryError, a RecursionError or a traceback (issue 13)."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.data.io import describe_limits, load_path, load_table
from cjm.data.io.limits import current_limits
from cjm.errors import CJMError, FileFormatError
from cjm.present.export import guard_cell, to_safe_csv
from cjm.voice.textscore import score_texts
from tests import fixtures_io as fx

ROOT = Path(__file__).resolve().parents[1]


def refused(data: bytes, name: str, **options) -> str:
    with pytest.raises(FileFormatError) as caught:
        load_table(data, name=name, **options)
    message = str(caught.value)
    assert "Traceback" not in message and name in message
    return message


def events_csv(n: int = 20) -> bytes:
    rows = [["customer_id", "timestamp", "event"]]
    rows += [[f"c{i % 5}", f"2024-01-{i % 28 + 1:02d} 10:00:00", ["view", "cart", "purchase"][i % 3]] for i in range(n)]
    return fx.delimited(rows)


# --- budgets are configurable and stated ---------------------------------------------------------

def test_every_limit_can_be_set_by_an_environment_variable(monkeypatch):
    for variable, value in [("CJM_MAX_UPLOAD_MB", "7"), ("CJM_MAX_UNPACKED_MB", "3"), ("CJM_MAX_COLUMNS", "40"),
                            ("CJM_MAX_EXCEL_CELLS", "5000"), ("CJM_MAX_JSON_DEPTH", "9"),
                            ("CJM_MAX_TEXT_CHARS", "11"), ("CJM_LOAD_SECONDS", "2.5")]:
        monkeypatch.setenv(variable, value)
    limits = current_limits()
    assert (limits.upload_bytes, limits.unpacked_bytes) == (7 << 20, 3 << 20)
    assert (limits.max_columns, limits.excel_cells, limits.json_depth, limits.text_chars) == (40, 5000, 9, 11)
    assert limits.load_seconds == 2.5
    stated = describe_limits()
    assert "7 MB as uploaded" in stated and "3 MB once unpacked" in stated and "40 columns" in stated


def test_a_setting_that_is_not_a_number_is_a_plain_error(monkeypatch):
    monkeypatch.setenv("CJM_MAX_COLUMNS", "lots")
    with pytest.raises(CJMError, match="CJM_MAX_COLUMNS='lots' is not a number"):
        current_limits()


def test_the_unpacked_limit_defaults_to_a_quarter_of_available_memory_at_most(monkeypatch):
    monkeypatch.delenv("CJM_MAX_UNPACKED_MB", raising=False)
    from cjm.data.io.limits import available_memory

    limits = current_limits()
    assert limits.unpacked_bytes <= max(available_memory() // 4, 64 << 20) * 1.05
    assert limits.unpacked_bytes <= 4 * limits.upload_bytes


def test_the_readme_states_the_limits_and_their_settings():
    readme = (ROOT / "README.md").read_text()
    for variable in ("CJM_MAX_UPLOAD_MB", "CJM_MAX_UNPACKED_MB", "CJM_MAX_COLUMNS", "CJM_MAX_EXCEL_CELLS",
                     "CJM_MAX_JSON_DEPTH", "CJM_MAX_TEXT_CHARS", "CJM_LOAD_SECONDS"):
        assert variable in readme


# --- archives ------------------------------------------------------------------------------------

def test_a_gzip_expanding_past_the_unpacked_limit_is_refused_naming_the_limit(monkeypatch):
    monkeypatch.setenv("CJM_MAX_UNPACKED_MB", "1")
    data = gzip.compress(b"id,event\n" + b"1,view\n" * 400_000)  # 2.8 MB unpacked, ~10 KB packed
    message = refused(data, "bomb.csv.gz")
    assert "unpacks to more than 1 MB" in message and "CJM_MAX_UNPACKED_MB" in message


def test_concatenated_gzip_members_count_together_towards_the_limit(monkeypatch):
    monkeypatch.setenv("CJM_MAX_UNPACKED_MB", "1")
    member = b"1,view\n" * 100_000  # 700 KB: each member alone is under 1 MB, both together are not
    data = gzip.compress(b"id,event\n" + member) + gzip.compress(member)
    assert "unpacks to more than 1 MB" in refused(data, "two.csv.gz")


def test_concatenated_gzip_members_under_the_limit_are_all_read():
    data = gzip.compress(b"id,event\n1,view\n") + gzip.compress(b"2,cart\n")
    assert load_table(data, name="two.csv.gz").frame["id"].tolist() == ["1", "2"]


def test_a_zip_member_expanding_past_the_limit_is_refused_while_unpacking(monkeypatch):
    monkeypatch.setenv("CJM_MAX_UNPACKED_MB", "1")
    data = fx.zipped({"events.csv": b"id,event\n" + b"1,view\n" * 400_000})
    assert "unpacks to more than 1 MB" in refused(data, "export.zip")


def test_a_zip_whose_header_understates_the_size_is_still_stopped_at_the_limit(monkeypatch):
    monkeypatch.setenv("CJM_MAX_UNPACKED_MB", "1")
    data = bytearray(fx.zipped({"events.csv": b"id,event\n" + b"1,view\n" * 400_000}))
    real = (2_800_009).to_bytes(4, "little")
    fake = (100).to_bytes(4, "little")
    assert data.count(real) == 2  # the local header and the central directory both say the size
    data = bytes(data).replace(real, fake)
    with pytest.raises(FileFormatError) as caught:
        load_table(data, name="liar.zip")
    assert "liar.zip" in str(caught.value)  # refused (limit or damage), never read past what it claims


def test_a_zip_with_a_path_leaving_the_archive_names_the_member():
    data = fx.zipped({"../../etc/evil.csv": events_csv()})
    message = refused(data, "traversal.zip")
    assert "'../../etc/evil.csv'" in message and "outside the archive" in message
    assert "contains: nothing" not in message


# --- Excel, text, width, JSON --------------------------------------------------------------------

def _far_cell_workbook(with_table: bool) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if with_table:
        sheet.append(["customer_id", "timestamp", "event"])
        sheet.append(["c1", "2024-01-01", "view"])
        sheet.append(["c1", "2024-01-02", "purchase"])
    sheet["XFD1048576"] = "x"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_whose_only_cell_is_at_xfd1048576_is_read_at_once():
    with pytest.raises(FileFormatError, match="no rows"):  # one cell: a header without rows
        load_table(_far_cell_workbook(False), name="far.xlsx")


def test_an_xlsx_with_a_stray_cell_far_from_its_table_is_refused_naming_the_cells_and_the_fix():
    message = refused(_far_cell_workbook(True), "stray.xlsx")
    assert "from A1 to XFD1048576" in message and "CJM_MAX_EXCEL_CELLS" in message
    assert "delete the empty rows and columns" in message


def test_an_xlsx_keeps_whole_numbers_dates_and_text_as_excel_typed_them():
    import datetime as dt

    data = fx.xlsx({"S": [["id", "when", "amount"], [17, dt.datetime(2024, 1, 1), 19.5],
                          [18, dt.datetime(2024, 1, 2, 9, 30), 5]]})
    frame = load_table(data, name="x.xlsx").frame
    assert frame["id"].tolist() == [17, 18] and frame["amount"].tolist() == [19.5, 5]
    assert frame["when"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02 09:30")]


def test_text_analysis_reads_only_the_first_characters_of_a_giant_comment(monkeypatch):
    monkeypatch.setenv("CJM_MAX_TEXT_CHARS", "60")
    english = "the delivery was late and the box was broken but the staff were kind "  # 70 characters
    arabic = "التوصيل كان متأخرا والعلبة مكسورة " * 20_000  # 680,000 characters of Arabic after it
    scored = score_texts([english + arabic])
    assert scored["language"].tolist() == ["en"]  # only the English start was read
    assert scored["text"].str.len().tolist() == [len(english + arabic)]  # the text itself is whole


def test_a_csv_with_a_50_mb_field_loads_with_its_rows_accounted_for():
    data = b"customer_id,timestamp,event,comment\nc1,2024-01-01,view,\"" + b"a" * 50_000_000 + b"\"\nc1,2024-01-02,purchase,ok\n"
    dataset = build_dataset(parse_files([SourceFile(name="giant.csv", data=data)]))
    accounting = dataset.accounting
    assert accounting.rows_in == accounting.rows_used + accounting.rows_rejected == 2


def test_a_csv_with_10000_columns_is_read_with_every_column():
    header = ["customer_id", "timestamp", "event"] + [f"c{i}" for i in range(9_997)]
    rows = [header] + [[f"k{r}", f"2024-01-0{r + 1}", "view"] + [str(r)] * 9_997 for r in range(3)]
    table = load_table(fx.delimited(rows), name="wide.csv")
    assert table.frame.shape == (3, 10_000)


def test_a_csv_with_2000_attribute_columns_becomes_a_dataset_with_typed_attributes():
    header = ["customer_id", "timestamp", "event"] + [f"a{i}" for i in range(2_000)]
    rows = [header] + [[f"k{r}", f"2024-01-0{r + 1}", "view"] + [str(r), "x"] * 1_000 for r in range(4)]
    parsed = parse_files([SourceFile(name="wide.csv", data=fx.delimited(rows))])
    assert parsed.accounting.rows_in == parsed.accounting.rows_used == 4
    customers = parsed.customers
    assert customers is not None and customers.shape[1] == 2_001
    assert customers["a0"].tolist() == [0.0, 1.0, 2.0, 3.0] and customers["a1"].tolist() == ["x"] * 4


def test_a_csv_wider_than_the_column_limit_is_refused_naming_the_setting(monkeypatch):
    monkeypatch.setenv("CJM_MAX_COLUMNS", "50")
    header = ",".join(f"c{i}" for i in range(60)).encode()
    message = refused(header + b"\n" + b",".join([b"1"] * 60) + b"\n", "wide.csv")
    assert "60 columns" in message and "CJM_MAX_COLUMNS" in message


def test_json_nested_100000_deep_is_refused_without_a_recursion_error():
    for document in ("[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000):
        message = refused(document.encode(), "deep.json")
        assert "nested more than 64 levels" in message and "CJM_MAX_JSON_DEPTH" in message


def test_json_lines_nested_too_deep_is_refused():
    line = '{"a":' * 100 + "1" + "}" * 100
    assert "nested more than" in refused((line + "\n" + line + "\n").encode(), "deep.jsonl")


def test_a_json_object_with_200000_keys_is_refused_naming_the_column_limit():
    message = refused(json.dumps({f"k{i}": i for i in range(200_000)}).encode(), "keys.json")
    assert "more than 20,000 different field names" in message and "CJM_MAX_COLUMNS" in message


def test_a_parquet_file_with_a_map_column_gives_a_dataset_or_a_message():
    table = pa.table({"customer_id": ["1", "2"], "timestamp": ["2024-01-01", "2024-01-02"],
                      "event": ["view", "purchase"],
                      "props": pa.array([[("a", "1")], [("b", "2")]], type=pa.map_(pa.string(), pa.string()))})
    out = io.BytesIO()
    pq.write_table(table, out)
    try:
        dataset = build_dataset(parse_files([SourceFile(name="map.parquet", data=out.getvalue())]))
    except CJMError as exc:
        assert "map.parquet" in str(exc)
    else:
        assert dataset.accounting.rows_in == dataset.accounting.rows_used + dataset.accounting.rows_rejected == 2


# --- things that are not files -------------------------------------------------------------------

def test_a_directory_a_device_and_a_named_pipe_are_refused_without_reading(tmp_path):
    pipe = tmp_path / "events.csv"
    os.mkfifo(pipe)
    for path, what in ((tmp_path, "is a folder"), (Path("/dev/zero"), "is a device"), (pipe, "is a named pipe")):
        done = {}

        def attempt(path=path):
            try:
                load_path(path)
            except FileFormatError as exc:
                done["message"] = str(exc)

        worker = threading.Thread(target=attempt, daemon=True)
        worker.start()
        worker.join(timeout=30)
        if worker.is_alive():  # unblock a reader stuck on the pipe, then fail
            with open(pipe, "wb"):
                pass
            pytest.fail(f"reading {path} did not return")
        assert what in done["message"] and "not a file" in done["message"]


# --- the command line ----------------------------------------------------------------------------

def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "cjm", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def small_export(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(events_csv())
    return path


@pytest.mark.parametrize("option", [["--window", "abc"], ["--window", "0d"], ["--k", "0"], ["--k", "-1"],
                                    ["--k", "100000"], ["--steps", "a"], ["--steps", "a,,b"]])
def test_an_invalid_option_exits_2_with_a_plain_message(small_export, option):
    result = cli("report", small_export, *option)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and option[0] in result.stderr and "expected" in result.stderr


@pytest.mark.parametrize("content, says", [("[]", "holds a JSON list"), ('{"columns": 5}', '"columns": 5'),
                                           ("{not json", "is not valid JSON")])
def test_a_malformed_mapping_file_exits_2_with_a_plain_message(small_export, tmp_path, content, says):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(content)
    result = cli("report", small_export, "--mapping", mapping)
    assert result.returncode == 2 and says in result.stderr and "Traceback" not in result.stderr


def test_out_into_a_missing_folder_exits_2_before_any_work(small_export, tmp_path):
    result = cli("report", small_export, "--out", tmp_path / "missing" / "report.json")
    assert result.returncode == 2 and "does not exist" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("target", ["folder", "/dev/zero"])
def test_a_folder_or_dev_zero_as_input_exits_2_with_a_plain_message(tmp_path, target):
    path = tmp_path if target == "folder" else target
    result = cli("report", path)
    assert result.returncode == 2 and "not a file" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_in_year_1_or_9999_gives_a_message_not_a_traceback(tmp_path, day):
    path = tmp_path / "events.csv"
    path.write_bytes(events_csv() + f"c9,{day} 00:00:00,view\n".encode())
    result = cli("report", path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0 or result.stderr.startswith("cjm: ")


# --- CSV guard -----------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["=1+1", " =1+1", "\t=1+1", "\u200b=HYPERLINK(\"http://x\")", "\u200c+1",
                                  "\u200d-1", "\u2060@SUM(A1)", "\ufeff=1", "  \u00a0\ufeff\u200b=cmd|' /C calc'!A0"])
def test_the_csv_guard_sees_formulas_behind_spaces_zero_width_characters_and_boms(cell):
    assert guard_cell(cell) == "'" + cell
    exported = to_safe_csv(pd.DataFrame({"comment": [cell]})).decode("utf-8-sig")
    assert exported.splitlines()[1].lstrip('"').startswith("'")


@pytest.mark.parametrize("cell", ["hello", " hello", "\u200bhello", "2024-01-01", "a=b"])
def test_the_csv_guard_leaves_ordinary_text_alone(cell):
    assert guard_cell(cell) == cell
