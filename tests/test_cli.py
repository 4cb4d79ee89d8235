"""The command line: same analyses as the app, exit 2 with a plain message on bad input."""

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import real_file

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo_events.csv.gz"


def cjm(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "cjm", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_the_report_on_the_demo_data_has_rows_mapping_stages_and_quality():
    result = cjm("report", DEMO, ROOT / "data" / "demo_customers.csv", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rows = report["rows"]
    assert rows["in"] == rows["used"] + rows["rejected"]
    assert report["mapping"]["customer_id"] == "customer_id" and report["mapping"]["timestamp"] == "event_time"
    assert list(report["stages"]) == ["awareness", "consideration", "conversion", "retention", "loyalty"]
    assert report["quality"]["customers"] > 1000


def test_the_seven_stage_model_and_a_saved_mapping_are_applied(tmp_path):
    export = tmp_path / "crm.csv"
    export.write_text("who,when,what\nA1,2024-01-01,ad_click\nA1,2024-01-02,purchase\nB2,2024-01-03,chat\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"columns": {"customer_id": "who", "timestamp": "when", "event": "what"}}))
    result = cjm("report", export, "--mapping", mapping, "--stage-model", "7")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["mapping"] == {"customer_id": "who", "timestamp": "when", "event": "what"}
    assert report["stages"] == {"awareness": 1, "discovery": 0, "evaluation": 0, "conversion": 1,
                                "experience": 0, "support": 1, "repurchase": 0}


def test_markdown_and_html_reports_are_written_to_a_file(tmp_path):
    for fmt in ("md", "html"):
        out = tmp_path / f"report.{fmt}"
        assert cjm("report", DEMO, "--format", fmt, "--out", out).returncode == 0
        assert "Customer journey report" in out.read_text()


def _truncated_gzip() -> bytes:
    rows = "".join(f"C{i * 7919 % 10007},2024-01-{i % 28 + 1:02d},event_{i * 31 % 97}\n" for i in range(5000))
    data = gzip.compress(("customer_id,timestamp,event\n" + rows).encode())
    return data[: len(data) // 2]


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty.csv": b"",
        "header_only.csv": b"customer_id,timestamp,event\n",
        "binary.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "no_ids.csv": b"Month;VisitorType;Revenue\nFeb;Returning_Visitor;FALSE\n",
        "no_dates.csv": b"customer_id,timestamp,event\n1,soon,view\n2,later,view\n",
        "duplicate_columns.csv": b"customer_id,event,event,timestamp\n1,a,b,2024-01-01\n",
        "truncated.csv.gz": _truncated_gzip(),
        "long_header.csv": ("x" * 200 + "\n1\n2\n").encode(),
    }
    paths = {}
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths[name] = path
    return paths


@pytest.mark.parametrize("name, words", [
    ("empty.csv", "empty"), ("header_only.csv", "no rows"), ("binary.csv", "not"),
    ("no_ids.csv", "closest columns"), ("no_dates.csv", "date"),
    ("truncated.csv.gz", "gz"), ("long_header.csv", "header"),
])
def test_bad_input_exits_2_with_a_plain_message_and_no_traceback(tmp_path, name, words):
    result = cjm("report", _bad_files(tmp_path)[name])
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("cjm: ")
    assert words.lower() in result.stderr.lower()


def test_a_file_with_a_repeated_column_name_is_read_with_the_repeat_told_apart(tmp_path):
    # was bad input (exit 2, "two columns named 'event'"); now the second 'event' is read as 'event (column 3)':
    # 1 row in = 1 used, its event 'a' from the first 'event' column
    result = cjm("report", _bad_files(tmp_path)["duplicate_columns.csv"])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["rows"] == {"in": 1, "used": 1, "rejected": 0, "reasons": {}}
    assert report["mapping"]["event"] == "event"


def test_a_missing_file_is_a_plain_error(tmp_path):
    result = cjm("report", tmp_path / "nope.csv")
    assert result.returncode == 2 and "no file" in result.stderr.lower()


def test_the_report_runs_on_a_real_export():
    result = cjm("report", real_file("rees46_2019-Oct-sample.csv"))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["rows"] == {"in": 1000, "used": 1000, "rejected": 0, "reasons": {}}
    assert report["stages"]["conversion"] > 0


def test_demo_writes_a_reproducible_dataset(tmp_path):
    first = cjm("demo", "--customers", "200", "--seed", "3", "--out", tmp_path / "a")
    second = cjm("demo", "--customers", "200", "--seed", "3", "--out", tmp_path / "b")
    assert first.returncode == second.returncode == 0
    a = sorted((tmp_path / "a").iterdir())
    b = sorted((tmp_path / "b").iterdir())
    assert [p.name for p in a] == [p.name for p in b] and len(a) == 2
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b))


def test_one_mapping_file_maps_several_inputs_by_name(tmp_path):
    (tmp_path / "visits.csv").write_text("who,when,what\nA1,2024-01-01,ad_click\nB2,2024-01-03,product_view\n")
    (tmp_path / "orders.csv").write_text("buyer;day;total\nA1;2024-01-05;30\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"files": {
        "visits.csv": {"columns": {"customer_id": "who", "timestamp": "when", "event": "what"}},
        "orders.csv": {"columns": {"customer_id": "buyer", "timestamp": "day", "revenue": "total"},
                       "event_constant": "purchase"}}}))
    result = cjm("report", tmp_path / "visits.csv", tmp_path / "orders.csv", "--mapping", mapping)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["rows"] == {"in": 3, "used": 3, "rejected": 0, "reasons": {}}
    assert report["mapping"]["orders.csv"] == {"customer_id": "buyer", "timestamp": "day", "revenue": "total",
                                               "event": "= purchase"}
    assert report["quality"]["customers"] == 2


def test_a_mapping_for_a_file_that_is_not_an_input_is_refused_by_name(tmp_path):
    (tmp_path / "visits.csv").write_text("who,when,what\nA1,2024-01-01,ad_click\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"files": {"other.csv": {"columns": {}}}}))
    result = cjm("report", tmp_path / "visits.csv", "--mapping", mapping)
    assert result.returncode == 2 and "other.csv" in result.stderr and "visits.csv" in result.stderr
