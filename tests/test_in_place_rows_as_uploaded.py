"""A table read in place reads its rows as an upload reads them: the same rows used, the same rows rejected with the
same reasons, on DuckDB (a CSV read in place, a table), on a real PostgreSQL server and, for text cells, on Spark.

- Line numbers: a rejected row names the line of its file, below blank lines and cells of several lines too (a CSV
  read in place numbered its rows by their place); a Parquet file's rows are numbered as an upload numbers them (the
  first row 2); a table names its own row_id, or no line at all (<NA>) where it has no order of its rows (a database
  table), its rejected rows told by their cells, never by their place in time.
- Dates of day and month with a zone's abbreviation ('22/06/2022 11:07:29 AM EST', '22.06.2022 11:07 CEST'): read in
  place as on upload, at the same instant and on the same clock (schema.CLOCK); an ambiguous abbreviation (IST, AST)
  sets its row aside with the upload's reason. The upload read them value by value (dateparser, day first whatever
  the column said), kept no clock, and called an IST row an 'unparseable timestamp'; in place every row was one.
- Cells of one letter: Spark's SQL read the whitespace Ibis trims with as ' \\t\\n\\r' and the letters 'v' and 'f'
  (cjm.engine.dialects), so an event 'v' (view / cart / purchase) was a missing event and a customer 'fav' was 'a'.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from cjm import engine
from cjm.data import schema, zone_abbreviations
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import build_dataset
from cjm.data.source import dataset_from_files, dataset_from_table
from tests.helpers import parsed_text
from tests.postgres import postgres_server, postgres_url  # noqa: F401  (fixtures)
from tests.test_in_place_statuses_and_refunds import _postgres_table

MAPPING = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"})


def _rows(dataset) -> list[tuple[str, str, str]]:
    """(customer, UTC time, event) of the rows used, sorted."""
    frame = engine.execute(dataset.events.select("customer_id", "timestamp", "event"))
    return sorted((str(c), t.tz_convert("UTC").strftime("%Y-%m-%d %H:%M:%S"), str(e))
                  for c, t, e in zip(frame["customer_id"], frame["timestamp"], frame["event"]))


def _uploaded(text: str, name: str = "export.csv"):
    return build_dataset(parsed_text(text, name))


def _duckdb_table(text: str, name: str):
    backend = engine.local()
    backend.register(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False), name=name)
    return backend


# --- 1. line numbers -------------------------------------------------------------------------------------------------

# Line 1 the header, line 2 a row, line 3 blank, line 4 a row without a customer id, lines 5-6 one row whose note runs
# over two lines, lines 7 and 8 blank, line 9 a row without a time, line 10 a row without an event.
BLANKS = ('customer_id,timestamp,event,note\n'
          'c1,2024-03-01 09:00:00,visit,\n'
          '\n'
          ',2024-03-01 10:00:00,visit,\n'
          'c2,2024-03-01 11:00:00,visit,"two\nlines"\n'
          '\n'
          '\n'
          'c3,,visit,\n'
          'c4,2024-03-01 12:00:00,,\n')
# By hand: 5 rows in = 2 used (c1, c2) + 3 rejected, on lines 4, 9 and 10 (by their place: 3, 5, 6)
BLANK_LINES = [(4, "missing customer id"), (9, "missing timestamp"), (10, "missing event")]


def _lines(dataset) -> list[tuple[object, str]]:
    rejected = dataset.accounting.rejected
    pairs = zip(rejected["line"].tolist(), rejected["reason"].astype(str))
    return sorted(pairs, key=lambda pair: (pd.isna(pair[0]), 0 if pd.isna(pair[0]) else pair[0], pair[1]))


def test_rows_below_blank_lines_and_cells_of_two_lines_name_the_same_line_on_upload_and_in_place(tmp_path):
    uploaded = _uploaded(BLANKS, "blanks.csv")
    path = tmp_path / "blanks.csv"
    path.write_text(BLANKS)
    placed = dataset_from_files(path)
    for dataset in (uploaded, placed):
        assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (5, 2)
        assert _lines(dataset) == BLANK_LINES
    assert _rows(placed) == _rows(uploaded) == [("c1", "2024-03-01 09:00:00", "visit"),
                                                ("c2", "2024-03-01 11:00:00", "visit")]


def test_a_file_of_many_cells_over_two_lines_names_each_rejected_rows_line_in_place_as_uploaded(tmp_path):
    # 100 rows whose note runs over 2 lines (rows c0..c99 on lines 2-3, 4-5, ... 200-201), each 10th followed by a
    # row without a customer id (1 line): row k (0-based) starts on line 2 + 2k + (k // 10) (the rows without an id
    # above it), and the one after c(10j) on line 2 + 2(10j) + 2 + j = 4 + 21j: 4, 25, 46, ... 193. More shifts than
    # a CASE holds: the lines are joined to the rows (source._numbered).
    rows = ["customer_id,timestamp,event,note"]
    for k in range(100):
        rows.append(f'c{k},2024-03-01 09:00:00,visit,"a\nb"')
        if k % 10 == 0:
            rows.append(",2024-03-01 10:00:00,visit,x")
    text = "\n".join(rows) + "\n"
    path = tmp_path / "notes.csv"
    path.write_text(text)
    expected = [(4 + 21 * j, "missing customer id") for j in range(10)]
    assert sorted(_lines(dataset_from_files(path))) == expected == sorted(_lines(_uploaded(text, "notes.csv")))


def test_a_parquet_files_rejected_rows_are_numbered_in_place_as_an_upload_numbers_them(tmp_path):
    # rows 1..3 of the file are numbered 2..4 (as its CSV's lines would be): row 2 has no customer id, row 3 no event
    frame = pd.DataFrame({"customer_id": ["c1", None, "c3"], "timestamp": ["2024-03-01 09:00:00"] * 3,
                          "event": ["visit", "visit", None]})
    path = tmp_path / "events.parquet"
    frame.to_parquet(path)
    from cjm.data.dataset import SourceFile, parse_files

    uploaded = parse_files([SourceFile("events.parquet", path.read_bytes())])
    expected = [(3, "missing customer id"), (4, "missing event")]
    assert _lines(dataset_from_files(path)) == expected == _lines(uploaded)


# A table of the same rows (blank lines are no rows of a table): c1, the row without an id, c2, c3 without a time, c4
# without an event.
TABLE = ("customer_id,timestamp,event\n"
         "c1,2024-03-01 09:00:00,visit\n"
         ",2024-03-01 10:00:00,visit\n"
         "c2,2024-03-01 11:00:00,visit\n"
         "c3,,visit\n"
         "c4,2024-03-01 12:00:00,\n")
# By hand: 5 in = 2 used + 3 rejected with the upload's reasons; a database table has no lines: none named (<NA>, not
# the rows' place in time, 2, 5 and 4 before), each told by its cells: its customer id, time and event
TABLE_REASONS = {"missing customer id": 1, "missing timestamp": 1, "missing event": 1}
TABLE_RAW = {",2024-03-01 10:00:00+00,visit", "c3,,visit", "c4,2024-03-01 12:00:00+00,"}


def _check_table(dataset) -> None:
    accounting = dataset.accounting
    assert (accounting.rows_in, accounting.rows_used, accounting.reasons) == (5, 2, TABLE_REASONS)
    assert accounting.rejected["line"].isna().all()
    assert set(accounting.rejected["raw"]) == TABLE_RAW
    assert _rows(dataset) == [("c1", "2024-03-01 09:00:00", "visit"), ("c2", "2024-03-01 11:00:00", "visit")]


def test_a_tables_rejected_rows_name_no_line_and_the_uploads_reasons_on_duckdb():
    uploaded = _uploaded(TABLE)
    assert uploaded.accounting.reasons == TABLE_REASONS
    _check_table(dataset_from_table(_duckdb_table(TABLE, "visits"), "visits", mapping=MAPPING))


def test_a_tables_rejected_rows_name_its_own_row_id():
    # row_id 10..14: the rejected rows are 11 (no id), 13 (no time) and 14 (no event)
    frame = pd.read_csv(io.StringIO(TABLE), dtype=str, keep_default_na=False)
    frame.insert(0, "row_id", range(10, 15))
    backend = engine.local()
    backend.register(frame, name="visits")
    rejected = dataset_from_table(backend, "visits", mapping=MAPPING).accounting.rejected
    assert sorted(zip(rejected["line"], rejected["reason"])) == [(11, "missing customer id"), (13, "missing timestamp"),
                                                                 (14, "missing event")]


@pytest.mark.postgres
def test_a_tables_rejected_rows_name_no_line_and_the_uploads_reasons_on_postgresql(postgres_url):
    _postgres_table(postgres_url, "visits", TABLE)
    backend = engine.connect(postgres_url)
    try:
        _check_table(dataset_from_table(backend, "visits", mapping=MAPPING))
    finally:
        backend.close()


# --- 2. dates of day and month with a zone's abbreviation -------------------------------------------------------------

SLASHED = ("customer_id,timestamp,event\n"
           "c1,22/06/2022 11:07:29 AM EST,visit\n"
           "c2,23/06/2022 01:30:00 PM PDT,visit\n"
           "c3,24/06/2022 09:00:00 AM IST,visit\n"
           "c4,25/06/2022 10:00:00 AM AST,visit\n"
           "c5,26/06/2022 08:00:00 AM,visit\n")
# By hand (a day above 12: day-first): c1 11:07:29 EST (-5 h) = 16:07:29 UTC, clock -18000; c2 13:30 PDT (-7 h) =
# 20:30 UTC, clock -25200; c5 written without a zone: 08:00 UTC, clock 0. c3 (IST: India, Ireland or Israel) and c4
# (AST: Atlantic or Arabia) are set aside naming their abbreviation. 5 in = 3 used + 2 rejected.
SLASHED_ROWS = [("c1", "2022-06-22 16:07:29", "visit"), ("c2", "2022-06-23 20:30:00", "visit"),
                ("c5", "2022-06-26 08:00:00", "visit")]
SLASHED_CLOCKS = {"c1": -18000, "c2": -25200, "c5": 0}
SLASHED_REASONS = {zone_abbreviations.reason("IST"): 1, zone_abbreviations.reason("AST"): 1}

DOTTED = ("customer_id,timestamp,event\n"
          "c1,22.06.2022 11:07 CEST,visit\n"
          "c2,23.12.2022 11:07 CET,visit\n"
          "c3,24.06.2022 11:07 IST,visit\n")
# By hand: c1 11:07 CEST (+2 h) = 09:07 UTC, clock 7200; c2 11:07 CET (+1 h) = 10:07 UTC, clock 3600; c3 IST set
# aside. 3 in = 2 used + 1 rejected. With the mapping's zone Asia/Kolkata, IST is India's +05:30: c3 11:07 = 05:37
# UTC, clock 19800, and 3 used.
DOTTED_ROWS = [("c1", "2022-06-22 09:07:00", "visit"), ("c2", "2022-12-23 10:07:00", "visit")]
DOTTED_CLOCKS = {"c1": 7200, "c2": 3600}


def _clocks(dataset) -> dict[str, int]:
    frame = engine.execute(dataset.events.select("customer_id", schema.CLOCK))
    return {str(c): int(k) for c, k in zip(frame["customer_id"], frame[schema.CLOCK])}


def _check_zoned(dataset, rows, clocks, reasons) -> None:
    assert _rows(dataset) == rows
    assert _clocks(dataset) == clocks
    assert dataset.accounting.reasons == reasons
    assert dataset.accounting.rows_in == len(rows) + sum(reasons.values())


def _in_every_engine(tmp_path, text: str, mapping: ColumnMapping, check, postgres_url=None) -> None:
    """`check` on the upload, the CSV read in place by DuckDB, a DuckDB table and (given its url) a PostgreSQL
    table of `text`, all read with `mapping`."""
    from cjm.data.dataset import load_dataset

    path = tmp_path / "times.csv"
    path.write_text(text)
    check(load_dataset([path], mappings={"times.csv": mapping}))
    check(dataset_from_files(path, mapping=mapping))
    check(dataset_from_table(_duckdb_table(text, "times"), "times", mapping=mapping))
    if postgres_url is not None:
        _postgres_table(postgres_url, "times", text)
        backend = engine.connect(postgres_url)
        try:
            check(dataset_from_table(backend, "times", mapping=mapping))
        finally:
            backend.close()


def test_slashed_dates_with_a_zones_abbreviation_are_read_at_one_instant_and_clock_on_upload_and_in_place(tmp_path):
    _in_every_engine(tmp_path, SLASHED, MAPPING,
                     lambda d: _check_zoned(d, SLASHED_ROWS, SLASHED_CLOCKS, SLASHED_REASONS))


def test_dotted_dates_with_a_zones_abbreviation_are_read_at_one_instant_and_clock_on_upload_and_in_place(tmp_path):
    _in_every_engine(tmp_path, DOTTED, MAPPING,
                     lambda d: _check_zoned(d, DOTTED_ROWS, DOTTED_CLOCKS, {zone_abbreviations.reason("IST"): 1}))


def test_ist_is_indias_when_the_mapping_names_india_on_upload_and_in_place(tmp_path):
    mapping = ColumnMapping(columns=dict(MAPPING.columns), timezone="Asia/Kolkata")
    rows = sorted(DOTTED_ROWS + [("c3", "2022-06-24 05:37:00", "visit")])
    _in_every_engine(tmp_path, DOTTED, mapping,
                     lambda d: _check_zoned(d, rows, {**DOTTED_CLOCKS, "c3": 19800}, {}))


@pytest.mark.postgres
def test_dates_of_day_and_month_with_a_zones_abbreviation_are_read_on_postgresql_as_uploaded(tmp_path, postgres_url):
    _in_every_engine(tmp_path, SLASHED, MAPPING,
                     lambda d: _check_zoned(d, SLASHED_ROWS, SLASHED_CLOCKS, SLASHED_REASONS), postgres_url)


# --- 3. cells of one letter ------------------------------------------------------------------------------------------

# A shop's events written v / c / p (view, cart, purchase) and f (favourite), by customers 'fav', 'dev' and ' v '
# (spaces around it, trimmed as on upload). Line 8's event is NA and line 9's empty: missing events.
LETTERS = ("customer_id,timestamp,event\n"
           "fav,2024-03-01 10:00:00,v\n"
           "fav,2024-03-01 10:05:00,c\n"
           "fav,2024-03-01 10:10:00,p\n"
           "dev,2024-03-02 09:00:00,v\n"
           "dev,2024-03-02 09:01:00,f\n"
           " v ,2024-03-03 09:00:00,view\n"
           "ann,2024-03-04 09:00:00,NA\n"
           "ann,2024-03-04 09:05:00,\n")
# By hand: 8 rows in = 6 used (fav's 3, dev's 2, v's 1) + 2 rejected 'missing event' (lines 8 and 9).
LETTER_ROWS = [("dev", "2024-03-02 09:00:00", "v"), ("dev", "2024-03-02 09:01:00", "f"),
               ("fav", "2024-03-01 10:00:00", "v"), ("fav", "2024-03-01 10:05:00", "c"),
               ("fav", "2024-03-01 10:10:00", "p"), ("v", "2024-03-03 09:00:00", "view")]
LETTER_REASONS = {"missing event": 2}


def _check_letters(dataset) -> None:
    assert _rows(dataset) == LETTER_ROWS
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (8, 6)
    assert dataset.accounting.reasons == LETTER_REASONS


def test_events_and_ids_of_one_letter_are_read_on_upload_and_in_place_by_duckdb(tmp_path):
    _check_letters(_uploaded(LETTERS))
    path = tmp_path / "letters.csv"
    path.write_text(LETTERS)
    _check_letters(dataset_from_files(path, mapping=MAPPING))
    backend = _duckdb_table(LETTERS, "letters")
    _check_letters(dataset_from_table(backend, "letters", mapping=MAPPING))


@pytest.mark.postgres
def test_events_and_ids_of_one_letter_are_read_in_place_on_postgresql_as_uploaded(postgres_url):
    _postgres_table(postgres_url, "letters", LETTERS)
    backend = engine.connect(postgres_url)
    try:
        _check_letters(dataset_from_table(backend, "letters", mapping=MAPPING))
    finally:
        backend.close()


@pytest.mark.spark
def test_events_and_ids_of_one_letter_are_read_in_place_on_spark_as_uploaded(spark_backend):
    # before: Spark's TRIM cut 'v' and 'f' off both ends: 'v' and 'f' missing events, 'fav' read as 'a', ' v ' as ''
    frame = pd.read_csv(io.StringIO(LETTERS), dtype=str, keep_default_na=False)
    spark_backend.con._session.createDataFrame(frame).createOrReplaceTempView("letters")
    _check_letters(dataset_from_table(spark_backend, "letters", mapping=MAPPING))
