"""The report runs its sections two at a time (cjm.report.build.SECTION_THREADS): the document is the same
as when they run one after another, in the same key order."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from cjm.data.dataset import load_dataset
from cjm.report import build
from cjm.report.build import build_report, to_json

DEMO = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def demo():
    return load_dataset([DEMO / "demo_events.csv.gz", DEMO / "demo_customers.csv"])


def test_the_demo_report_is_the_same_whether_its_sections_run_side_by_side_or_one_after_another(demo, monkeypatch):
    side_by_side = build_report(demo)
    monkeypatch.setattr(build, "SECTION_THREADS", 1)
    one_by_one = build_report(demo)
    assert build.SECTION_THREADS == 1
    assert list(side_by_side) == list(one_by_one)
    assert same(json.loads(to_json(side_by_side)), json.loads(to_json(one_by_one)))


def same(a, b) -> bool:
    """Equal documents; floats to 1e-12 (DuckDB's parallel sums of floats, revenue and the gaps' expected
    conversions, differ in their last digit between any two runs, one after another or not)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def test_a_failing_section_is_skipped_with_its_reason_while_the_others_finish(demo, monkeypatch):
    sections = build._sections()

    def broken(ds, o):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(build, "_sections", lambda: [(k, broken if k == "funnel" else f) for k, f in sections])
    report = build_report(demo)
    assert report["skipped"]["funnel"] == "could not compute funnel: division by zero (ZeroDivisionError)"
    assert "funnel" not in report and "segments" in report and "journey_map" in report


def test_the_longest_sections_start_first_and_the_report_keeps_its_order(demo, monkeypatch):
    started = []
    sections = build._sections()

    def noting(key, section):
        return lambda ds, options: started.append(key) or section(ds, options)

    monkeypatch.setattr(build, "_sections", lambda: [(key, noting(key, section)) for key, section in sections])
    monkeypatch.setattr(build, "SECTION_THREADS", 1)  # one thread: sections start in the order they are submitted
    report = build_report(demo)
    assert started[:5] == list(build.START_FIRST)
    assert [k for k in report if k in ("quality", "funnel", "variants", "segments", "journey_map")] == [
        "quality", "funnel", "variants", "segments", "journey_map"]
