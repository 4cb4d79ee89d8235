"""A free-text answer of 'n/a', '-', 'None' or Qualtrics' '-99' (seen, not answered) is no comment: it is neither
scored nor quoted, its row still counts, and the Data page says how many there were. The same on an upload, on files
read in place by DuckDB and on a real PostgreSQL server. Expected figures worked out by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_files, dataset_from_table
from cjm.voice.sentiment import compute_signals

# Seven survey answers of seven respondents; the comments: two real ones, four that say nothing ("n/a", "-99",
# " N/A " and "None"), one empty cell.
ANSWERS = ("respondent,submitted,Comments\n"
           "r1,2024-05-01 10:00,Great service and quick delivery\n"
           "r2,2024-05-01 11:00,n/a\n"
           "r3,2024-05-02 09:00,-99\n"
           "r4,2024-05-02 10:00, N/A \n"
           "r5,2024-05-03 12:00,\n"
           "r6,2024-05-03 13:00,None\n"
           "r7,2024-05-04 08:00,The app crashed twice at checkout\n")
MAPPING = ColumnMapping(columns={"customer_id": "respondent", "timestamp": "submitted", "text": "Comments"},
                        event_constant="survey_response")
REAL = ["Great service and quick delivery", "The app crashed twice at checkout"]


def _comments(dataset) -> list[str]:
    frame = engine.execute(dataset.events).sort_values("customer_id")
    return [t for t in frame["text"] if isinstance(t, str)]


def _check(dataset, *, quoted: str) -> None:
    # every row counts: 7 in, 7 used, none rejected
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used, dataset.accounting.rows_rejected) == (7, 7, 0)
    assert _comments(dataset) == REAL  # r1 and r7 only
    notes = [n for n in dataset.files[0].notes if "no comment" in n]
    # r2, r3, r4, r6: 4 answers (r5's empty cell is no answer at all)
    assert notes == [f"4 answers in 'Comments' say no comment{quoted}: read as no comment, so they are neither "
                     "scored nor quoted; their rows still count."]
    # the sentiment page's signals: the two real comments only (before: six, four of them 'n/a' and the like)
    assert sorted(compute_signals(dataset)["text"]) == REAL


def test_an_upload_leaves_answers_that_say_no_comment_empty_and_says_so(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(ANSWERS)
    # the first three distinct cells as written, trimmed: 'n/a', '-99', 'N/A'
    _check(load_dataset([path], mappings={"survey.csv": MAPPING}), quoted=" ('n/a', '-99', 'N/A')")


def test_files_read_in_place_by_duckdb_read_the_same_comments(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(ANSWERS)
    _check(dataset_from_files(path, mapping=MAPPING), quoted=" ('n/a', '-', '-99' or the like)")


def test_a_comment_that_only_contains_such_a_word_is_still_a_comment(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("respondent,submitted,Comments\n"
                    "r1,2024-05-01 10:00,None of the staff helped\n"
                    "r2,2024-05-01 11:00,-99 points for the wait\n"
                    "r3,2024-05-01 12:00,NA\n")
    dataset = load_dataset([path], mappings={"survey.csv": MAPPING})
    # r1 and r2 wrote sentences; r3's 'NA' says nothing
    assert _comments(dataset) == ["None of the staff helped", "-99 points for the wait"]
    assert any(n.startswith("1 answer in 'Comments' says no comment ('NA')") for n in dataset.files[0].notes)


@pytest.mark.postgres
def test_postgresql_reads_the_same_comments(postgres_url):
    import sqlalchemy

    frame = pd.read_csv(pd.io.common.StringIO(ANSWERS), dtype=str, keep_default_na=False).replace({"": None})
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql('CREATE TABLE answers (respondent text, submitted timestamp, "Comments" text)')
        for row in frame.itertuples(index=False):
            con.exec_driver_sql("INSERT INTO answers VALUES (%s, %s, %s)", tuple(row))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        _check(dataset_from_table(backend, "answers", mapping=MAPPING), quoted=" ('n/a', '-', '-99' or the like)")
    finally:
        backend.close()
