"""`python -m cjm map ...` and the report's journey_map key."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from cjm.__main__ import main
from cjm.maps import JourneyMap

ROOT = Path(__file__).resolve().parents[1]
CSV = ("customer_id,timestamp,event,channel,revenue\n"
       "a,2024-01-01 00:00,ad_click,social,\na,2024-01-01 01:00,product_view,web,\n"
       "a,2024-01-01 02:00,purchase,web,30\nb,2024-01-01 00:00,ad_click,social,\n"
       "b,2024-01-01 05:00,product_view,web,\nc,2024-01-02 00:00,ad_click,email,\n")


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_the_command_line_draws_a_future_map_with_targets_as_json_and_pdf(log, tmp_path):
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps({"consideration": {"conversion": "100%"}}), encoding="utf-8")
    out = tmp_path / "map.json"
    assert main(["map", str(log), "--template", "future", "--targets", str(targets), "--out", str(out)]) == 0
    jm = JourneyMap.from_json(out.read_text(encoding="utf-8"))
    assert jm.template == "future" and jm.targets["consideration"].conversion == 1.0
    assert jm.cell("reached", "awareness").number == 3 and jm.baseline["conversions"] == 1
    assert main(["map", str(log), "--template", "future", "--targets", str(targets), "--out", str(tmp_path / "m.pdf")]) == 0
    assert len(PdfReader(tmp_path / "m.pdf").pages) == 1


def test_the_command_line_draws_a_day_in_the_life_as_png(log, tmp_path):
    assert main(["map", str(log), "--template", "day", "--out", str(tmp_path / "day.png")]) == 0
    assert (tmp_path / "day.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_input_exits_2_with_a_plain_message(log, tmp_path):
    runs = [
        [str(log), "--out", str(tmp_path / "map.docx")],
        [str(log), "--segment", "gold", "--out", str(tmp_path / "map.json")],
        [str(tmp_path / "missing.csv"), "--out", str(tmp_path / "map.json")],
        [str(log), "--targets", str(log), "--out", str(tmp_path / "map.json")],
    ]
    for args in runs:
        done = subprocess.run([sys.executable, "-m", "cjm", "map", *args], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("cjm: ") and "Traceback" not in done.stderr
    assert not (tmp_path / "map.json").exists()


def test_the_report_carries_the_current_map_as_json(log):
    from cjm import report
    from cjm.data.dataset import load_dataset

    result = report.build_report(load_dataset([log]))
    jm = JourneyMap.from_dict(result["journey_map"])
    assert jm.template == "current" and jm.cell("reached", "consideration").number == 2
    json.dumps(result["journey_map"], allow_nan=False)


def test_the_command_line_draws_one_segment_from_a_customers_file(log, tmp_path):
    customers = tmp_path / "customers.csv"
    customers.write_text("customer_id,segment,age\na,loyal,30\nb,new,41\nc,new,22\n", encoding="utf-8")
    out = tmp_path / "new.json"
    assert main(["map", str(log), str(customers), "--segment", "new", "--out", str(out)]) == 0
    jm = JourneyMap.from_json(out.read_text(encoding="utf-8"))
    assert jm.persona.name == "new" and jm.cell("reached", "awareness").number == 2  # b and c
    assert jm.cell("conversion", "awareness").value == "50.0% of 2 to consideration"  # b viewed, c did not
