"""Every real export in ../shared/data gives a report (exit 0) whose rows add up, as strict JSON."""

from __future__ import annotations

import json

import pytest

from cjm.__main__ import main
from tests.helpers import REAL_DATA

FILES = sorted(p.relative_to(REAL_DATA).as_posix() for p in REAL_DATA.rglob("*")
               if p.suffix in (".csv", ".txt")) if REAL_DATA.exists() else []


@pytest.mark.parametrize("name", FILES or ["(no real data)"])
def test_the_report_on_each_real_export_exits_0_with_rows_that_add_up(name, tmp_path):
    if not FILES:
        pytest.skip(f"real data not available: {REAL_DATA}")
    out = tmp_path / "report.json"
    assert main(["report", str(REAL_DATA / name), "--format", "json", "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    json.dumps(report, allow_nan=False)  # strict JSON: no NaN or Infinity anywhere
    rows = report["rows"]
    assert rows["in"] == rows["used"] + rows["rejected"] > 0
    assert sum(rows["reasons"].values()) == rows["rejected"]
    for key, reason in report["skipped"].items():
        assert "could not compute" not in reason and "Traceback" not in reason, (key, reason)


def test_the_arabic_reviews_load_as_one_respondent_per_row_with_their_text():
    if not (REAL_DATA / "elsahar_arabic_souq_product_reviews_sample.csv").exists():
        pytest.skip("real data not available")
    from cjm.data.dataset import SourceFile, parse_files

    parsed = parse_files([SourceFile.from_path(REAL_DATA / "elsahar_arabic_souq_product_reviews_sample.csv")])
    mapping = parsed.files[0].mapping
    # polarity (1 / 0 / -1) is the researchers' reading of each review: the score on the polarity scale, the
    # reviews' one sentiment signal (the text model reads no Arabic here, so without it 2,842 stayed unscored)
    assert (mapping.shape, mapping.columns) == ("anonymous", {"score": "polarity", "text": "text"})
    assert (parsed.accounting.rows_in, parsed.accounting.rows_used) == (3000, 3000)
