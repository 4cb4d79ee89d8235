"""Review 3: without a customer id column each row is one respondent (cjm/data/dataset.py _event_rows). Two
survey files uploaded together hold different respondents: row 2 of one file is not row 2 of the other."""

from cjm import engine
from cjm.data.dataset import load_dataset


def test_two_anonymous_survey_files_give_one_customer_per_row(tmp_path):
    first, second = tmp_path / "wave1.csv", tmp_path / "wave2.csv"
    first.write_text("rating,comment\n5,great\n5,great\n1,bad\n", encoding="utf-8")
    second.write_text("rating,comment\n2,meh\n4,ok\n", encoding="utf-8")
    data = load_dataset([first, second])
    assert data.accounting.rows_in == 5 and data.accounting.rows_used == 5  # identical rows kept
    customers = engine.execute(data.events.select("customer_id"))["customer_id"]
    assert customers.nunique() == 5  # was 3: "row 2" and "row 3" of both files were taken for one person each
