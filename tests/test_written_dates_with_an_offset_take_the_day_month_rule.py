"""Written dates with an offset ('03/09/2024 2:30 PM -05:00', read value by value with dateparser: cjm.data.timestamps
._from_written, in place cjm.data.day_month_times.written_as_iso) take the order by the rule of the same dates without
an offset (cjm.data.timestamps.first_order, settled_order): the order the column's dates tell, else the mapping's
`day_first`, else month-first when slashed and day-first when dotted, with the upload's note that the order was
assumed; on upload and in place (DuckDB, PostgreSQL) alike. Before, a column whose dates all fit both orders was read
day-first (dateparser's default), and said nothing, where the same dates without their offset were read month-first.

The hand export, every date fitting both orders, all at UTC-05:00:

  a  03/09/2024 2:30 PM -05:00   month-first: 9 March 14:30 at -05:00 = 19:30 UTC 9 Mar  (day-first: 3 September)
  b  03/10/2024 9:00 AM -05:00   month-first: 10 March 09:00 at -05:00 = 14:00 UTC 10 Mar (day-first: 3 October)
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import load_dataset
from cjm.data.schema import CLOCK
from cjm.data.source import dataset_from_files, dataset_from_table

SLASHED = ("customer_id,timestamp,event\n"
           "a,03/09/2024 2:30 PM -05:00,page_view\n"
           "b,03/10/2024 9:00 AM -05:00,page_view\n")
MONTH_FIRST = [("a", "2024-03-09 19:30", -18000), ("b", "2024-03-10 14:00", -18000)]
DAY_FIRST = [("a", "2024-09-03 19:30", -18000), ("b", "2024-10-03 14:00", -18000)]


def _note(order: str) -> str:
    return (f"Dates in 'timestamp' could be day-first or month-first; cjm read them as {order}. Change it in the "
            "mapping if wrong.")


def _events(dataset) -> list[tuple[str, str, int]]:
    frame = engine.execute(dataset.events.select("customer_id", "timestamp", CLOCK)).sort_values("customer_id")
    return [(c, pd.Timestamp(t).tz_convert("UTC").strftime("%Y-%m-%d %H:%M"), int(o)) for c, t, o in
            zip(frame["customer_id"], frame["timestamp"], frame[CLOCK])]


def _both(tmp_path, text: str, mapping: ColumnMapping | None = None):
    path = tmp_path / "written.csv"
    path.write_text(text)
    uploaded = load_dataset([path], mappings={"written.csv": mapping} if mapping else None)
    return uploaded, dataset_from_files(path, mapping=mapping)


def test_slashed_dates_with_an_offset_that_fit_both_orders_are_read_month_first_as_without_one_and_say_so(tmp_path):
    # without the offsets (03/09/2024 2:30 PM) the column is read month-first with the note: so with them
    for dataset in _both(tmp_path, SLASHED):
        assert _events(dataset) == MONTH_FIRST
        assert _note("month-first") in dataset.files[0].notes
    assert load_dataset([_plain(tmp_path)]).files[0].notes.count(_note("month-first")) == 1


def _plain(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text(SLASHED.replace(" -05:00", ""))
    return path


def test_dotted_dates_with_an_offset_that_fit_both_orders_are_read_day_first_and_say_so(tmp_path):
    # 03.09.2024 14:30 -05:00 day-first: 3 September 19:30 UTC; 03.10.2024 09:00 -05:00: 3 October 14:00 UTC
    text = ("customer_id,timestamp,event\n"
            "a,03.09.2024 14:30 -05:00,page_view\n"
            "b,03.10.2024 09:00 -05:00,page_view\n")
    for dataset in _both(tmp_path, text):
        assert _events(dataset) == DAY_FIRST
        assert _note("day-first") in dataset.files[0].notes


def test_the_mappings_day_first_reads_slashed_dates_with_an_offset_day_first_and_the_note_stays(tmp_path):
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"},
                            day_first=True)
    for dataset in _both(tmp_path, SLASHED, mapping):
        assert _events(dataset) == DAY_FIRST
        assert _note("day-first") in dataset.files[0].notes


def test_a_date_that_can_only_be_month_first_settles_the_column_and_no_note_is_given(tmp_path):
    # 03/15 can only be 15 March (19:30 UTC at -05:00): the column is month-first, 03/09 9 March, nothing assumed
    text = SLASHED + "c,03/15/2024 2:30 PM -05:00,page_view\n"
    for dataset in _both(tmp_path, text):
        assert _events(dataset) == MONTH_FIRST + [("c", "2024-03-15 19:30", -18000)]
        assert not any(n.startswith("Dates in 'timestamp' could be") for n in dataset.files[0].notes)


def test_the_order_of_written_dates_follows_the_rule_of_dates_without_an_offset():
    from cjm.data.timestamps import written_reading

    slashed = ["03/09/2024 2:30 PM -05:00", "03/10/2024 9:00 AM -05:00"]
    assert written_reading(slashed, None) == (False, True)  # slashed, open: month-first, assumed
    assert written_reading(slashed, True) == (True, True)  # the mapping's order, still assumed
    assert written_reading(["03.09.2024 14:30 +01:00"], None) == (True, True)  # dotted: day-first, assumed
    assert written_reading(slashed + ["03/15/2024 -05:00"], True) == (False, False)  # 03/15 tells month-first
    # both told: 25/12 and 29/02 day-first, 03/15 month-first: the order more dates tell (day-first), assumed
    assert written_reading(["25/12/2024 -05:00", "29/02/2024 -05:00", "03/15/2024 -05:00"], None) == (True, True)
    assert written_reading(["Jul 31, 2018 10:00 AM -05:00"], None) == (None, False)  # no numbered date: dateparser's


@pytest.mark.postgres
def test_postgresql_reads_a_text_column_of_such_dates_month_first_with_the_note(postgres_url, tmp_path):
    import sqlalchemy

    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql("CREATE TABLE written_open (customer_id text, timestamp text, event text)")
        con.exec_driver_sql("INSERT INTO written_open VALUES ('a', '03/09/2024 2:30 PM -05:00', 'page_view'), "
                            "('b', '03/10/2024 9:00 AM -05:00', 'page_view')")
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"})
        in_place = dataset_from_table(backend, "written_open", mapping=mapping)
        assert _events(in_place) == MONTH_FIRST
        assert _note("month-first") in in_place.files[0].notes
    finally:
        backend.close()
