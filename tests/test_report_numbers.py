"""The numbers do not move: the demo report's key numbers, as the report gave them before the code was
rearranged by domain (saved then; `benchmarks/same_numbers.py` compares whole reports)."""

from pathlib import Path

import pytest

from cjm.data import views
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.report import sections
from cjm.report.build import ReportOptions, funnel_params

DEMO = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def demo():
    sources = [SourceFile.from_path(DEMO / "demo_events.csv.gz"), SourceFile.from_path(DEMO / "demo_customers.csv")]
    return views.materialized(build_dataset(parse_files(sources)))


def test_the_demo_report_s_rows_and_stages_are_unchanged(demo):
    assert demo.accounting.to_dict() == {"in": 24928, "used": 24928, "rejected": 0, "reasons": {}}
    assert sections.reach_section(demo)["stages"] == {
        "awareness": 2346, "consideration": 2364, "conversion": 774, "retention": 850, "loyalty": 266}


def test_the_demo_report_s_funnel_is_unchanged(demo):
    params = funnel_params(demo, ReportOptions())
    assert params.steps == ("awareness", "consideration", "conversion", "retention", "loyalty")
    rows = sections.funnel_section(demo, params=params)["funnel"]
    customers = [r["customers"] for r in rows]
    assert customers == [2346, 1659, 422, 422, 52]
    # dropped at a step = customers at the step before minus customers at it
    assert [r["dropped"] for r in rows] == [0, 2346 - 1659, 1659 - 422, 0, 422 - 52]
    assert rows[-1]["conversion_from_first"] == pytest.approx(52 / 2346)
    assert [r["median_seconds_from_previous"] for r in rows] == [None, 41.0, 750.0, 12.0, 347482.0]
