"""Dates written day or month first with dashes or slashes and a time of day ('26-02-2018 19:58', Olist's closed
deals), which DuckDB's CSV sniffer leaves as text and PostgreSQL holds in a text column: read in place as an upload
reads them (cjm.data.timestamps' order rule: the sample's days above 12, then the whole column's), the same times,
rejected rows and reasons. And a PostgreSQL text time column holding a value that is no time ('soon') sets that row
aside as an unparseable timestamp instead of failing the read. Expected figures worked out by hand beside each test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_files, dataset_from_table

MAPPING = ColumnMapping(columns={"customer_id": "id", "timestamp": "won", "event": "event"})
OLIST = Path("/work/shared/data/olist_marketing_funnel/olist_closed_deals_dataset.csv")


def _read(dataset) -> dict:
    events = engine.execute(dataset.events.select("customer_id", "timestamp"))
    times = {c: t.strftime("%Y-%m-%d %H:%M:%S") for c, t in zip(events["customer_id"], events["timestamp"])}
    accounting = dataset.accounting
    return {"rows": (accounting.rows_in, accounting.rows_used, accounting.rows_rejected),
            "reasons": dict(accounting.reasons), "times": times,
            "order notes": [n for n in dataset.files[0].notes if "day-first or month-first" in n]}


def _both(tmp_path, text: str, mapping: ColumnMapping = MAPPING) -> tuple[dict, dict]:
    path = tmp_path / "deals.csv"
    path.write_text(text)
    return (_read(load_dataset([path], mappings={"deals.csv": mapping})),
            _read(dataset_from_files(path, mapping=mapping)))


DEALS = ("id,won,event\n"
         "a,26-02-2018 19:58,won\n"
         "b,08-05-2018 20:17,won\n"
         "c,31-04-2018 10:00,won\n"
         "d,soon,won\n"
         "e,,won\n")
# a: 26 can only be a day, so the column is day-first: 26 Feb 2018 19:58; b: 8 May 2018 20:17; c: there is no 31
# April: unparseable; d: no time: unparseable; e: no time written: missing. 5 rows in, 2 used, 3 rejected.
DEALS_READ = {"rows": (5, 2, 3), "reasons": {"unparseable timestamp": 2, "missing timestamp": 1},
              "times": {"a": "2018-02-26 19:58:00", "b": "2018-05-08 20:17:00"}, "order notes": []}


def test_day_first_dashed_dates_with_times_are_read_in_place_as_uploaded(tmp_path):
    uploaded, in_place = _both(tmp_path, DEALS)
    assert uploaded == DEALS_READ
    assert in_place == DEALS_READ


def test_month_first_dashed_and_slashed_dates_with_times_are_read_in_place_as_uploaded(tmp_path):
    # 02-26-2018: 26 can only be a day, second: month-first, 26 Feb 19:58; 12-31-2018 7:05 PM: 31 Dec 19:05;
    # 02-30-2018 10:00: no 30 February: unparseable. 3 in, 2 used.
    text = "id,won,event\na,02-26-2018 19:58,won\nb,12-31-2018 7:05 PM,won\nc,02-30-2018 10:00,won\n"
    expected = {"rows": (3, 2, 1), "reasons": {"unparseable timestamp": 1},
                "times": {"a": "2018-02-26 19:58:00", "b": "2018-12-31 19:05:00"}, "order notes": []}
    assert _both(tmp_path, text) == (expected, expected)
    slashed = text.replace("-", "/")
    assert _both(tmp_path, slashed) == (expected, expected)


def test_dashed_dates_that_fit_both_orders_are_month_first_and_say_so_in_place_as_uploaded(tmp_path):
    # 03-09-2024 10:00 and 03-10-2024 11:30: no day above 12, dashes: month-first (as slashes), 9 and 10 March, and
    # the upload's note that the order was assumed
    text = "id,won,event\na,03-09-2024 10:00,won\nb,03-10-2024 11:30,won\n"
    note = ("Dates in 'won' could be day-first or month-first; cjm read them as month-first. Change it in the "
            "mapping if wrong.")
    expected = {"rows": (2, 2, 0), "reasons": {}, "times": {"a": "2024-03-09 10:00:00", "b": "2024-03-10 11:30:00"},
                "order notes": [note]}
    assert _both(tmp_path, text) == (expected, expected)
    # the mapping's day_first: 3 September and 3 October, said so too
    day_first = ColumnMapping(columns=dict(MAPPING.columns), day_first=True)
    expected = {**expected, "times": {"a": "2024-09-03 10:00:00", "b": "2024-10-03 11:30:00"},
                "order notes": [note.replace("month-first. Change", "day-first. Change")]}
    assert _both(tmp_path, text, day_first) == (expected, expected)


def test_a_day_above_12_outside_the_sample_settles_the_whole_column_day_first(tmp_path):
    # 1,501 filled cells: the sample is 1,000 of them evenly spread (positions 0, 1, 3, 4, 6, ... of 0..1500), which
    # skips position 2, the one '25-12-2024 10:00'. The sample says nothing, so month-first is tried first; the whole
    # column then has a value only day-first reads (25 December): the column is day-first. 03-09-2024 10:00 is 3
    # September, on both paths, and no note says the order was assumed.
    cells = ["03-09-2024 10:00"] * 2 + ["25-12-2024 10:00"] + ["03-09-2024 10:00"] * 1498
    text = "id,won,event\n" + "".join(f"c{i},{cell},won\n" for i, cell in enumerate(cells))
    uploaded, in_place = _both(tmp_path, text)
    assert uploaded == in_place
    assert set(in_place["times"].values()) == {"2024-09-03 10:00:00", "2024-12-25 10:00:00"}
    assert in_place["rows"] == (1501, 1501, 0) and in_place["order notes"] == []


def test_slashed_dates_with_two_digit_years_are_not_read_as_the_year_26_in_place(tmp_path):
    # DuckDB's sniffer types '26/02/18 19:58' as a timestamp of the year 26 (18 February), which is out of range: every
    # row was rejected. Read as uploaded: 26 can only be a day, so day-first, 18 is 2018: 26 Feb 2018 19:58 and 1 March
    # 2018 07:00
    text = "id,won,event\na,26/02/18 19:58,won\nb,01/03/18 07:00,won\n"
    expected = {"rows": (2, 2, 0), "reasons": {}, "times": {"a": "2018-02-26 19:58:00", "b": "2018-03-01 07:00:00"},
                "order notes": []}
    assert _both(tmp_path, text) == (expected, expected)


def _postgres_read(postgres_url: str, table: str, rows: list[tuple], mapping: ColumnMapping = MAPPING) -> dict:
    import sqlalchemy

    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql(f"CREATE TABLE {table} (id text, won text, event text)")
        for row in rows:
            con.exec_driver_sql(f"INSERT INTO {table} VALUES (%s, %s, %s)", row)
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        return _read(dataset_from_table(backend, table, mapping=mapping))
    finally:
        backend.close()


def _rows(text: str) -> list[tuple]:
    return [tuple(cell or None for cell in line.split(",")) for line in text.splitlines()[1:]]


@pytest.mark.postgres
def test_a_postgresql_text_column_of_day_first_dashed_dates_reads_as_uploaded(postgres_url):
    # the same five deals as DEALS (an empty cell is NULL): 2 used, 2 unparseable ('31-04-2018 10:00', 'soon'), 1
    # missing; PostgreSQL's own CAST would read 08-05-2018 as 5 August (its DateStyle is month-first) and fail on
    # 'soon'
    assert _postgres_read(postgres_url, "olist_deals", _rows(DEALS)) == DEALS_READ


@pytest.mark.postgres
def test_a_postgresql_text_column_of_dates_fitting_both_orders_is_month_first_unless_the_mapping_says(postgres_url):
    # 03-09-2024 and 03-10-2024 (no time): 9 and 10 March; with day_first, 3 September and 3 October
    rows = [("a", "03-09-2024", "won"), ("b", "03-10-2024", "won")]
    read = _postgres_read(postgres_url, "both_orders", rows)
    assert read["times"] == {"a": "2024-03-09 00:00:00", "b": "2024-03-10 00:00:00"}
    day_first = ColumnMapping(columns=dict(MAPPING.columns), day_first=True)
    read = _postgres_read(postgres_url, "both_orders_day_first", rows, day_first)
    assert read["times"] == {"a": "2024-09-03 00:00:00", "b": "2024-10-03 00:00:00"}


@pytest.mark.postgres
def test_a_postgresql_text_column_of_iso_times_sets_aside_a_value_that_is_no_time(postgres_url):
    # 'soon', '2024-02-30 10:00:00' (no 30 February) and '2024-03-01 25:00:00' (no hour 25) are no times: each row
    # rejected as an unparseable timestamp, as on upload, where the read failed before ("invalid input syntax for type
    # timestamp"). a at 09:00 UTC; b written with +01:00: 09:00 UTC too. 5 in, 2 used, 3 rejected.
    rows = [("a", "2024-03-01 09:00:00", "won"), ("b", "2024-03-01T10:00:00+01:00", "won"), ("c", "soon", "won"),
            ("d", "2024-02-30 10:00:00", "won"), ("e", "2024-03-01 25:00:00", "won")]
    expected = {"rows": (5, 2, 3), "reasons": {"unparseable timestamp": 3},
                "times": {"a": "2024-03-01 09:00:00", "b": "2024-03-01 09:00:00"}, "order notes": []}
    assert _postgres_read(postgres_url, "iso_and_soon", rows) == expected


def test_an_upload_of_the_same_iso_times_rejects_the_same_three_rows(tmp_path):
    # the upload's side of the test above
    path = tmp_path / "iso.csv"
    path.write_text("id,won,event\na,2024-03-01 09:00:00,won\nb,2024-03-01T10:00:00+01:00,won\nc,soon,won\n"
                    "d,2024-02-30 10:00:00,won\ne,2024-03-01 25:00:00,won\n")
    read = _read(load_dataset([path], mappings={"iso.csv": MAPPING}))
    assert read == {"rows": (5, 2, 3), "reasons": {"unparseable timestamp": 3},
                    "times": {"a": "2024-03-01 09:00:00", "b": "2024-03-01 09:00:00"}, "order notes": []}


@pytest.mark.skipif(not OLIST.exists(), reason="the real exports in /work/shared/data are absent")
def test_olists_842_closed_deals_are_read_in_place_as_uploaded():
    # won_date is written '26-02-2018 19:58' (day first, dashes): every deal has one, all 842 are used on both paths,
    # at the same times (before, in place set all 842 aside as unparseable timestamps)
    mapping = ColumnMapping(columns={"customer_id": "mql_id", "timestamp": "won_date"}, event_constant="won")
    uploaded = load_dataset([OLIST], mappings={OLIST.name: mapping})
    in_place = dataset_from_files(OLIST, mapping=mapping)
    for dataset in (uploaded, in_place):
        assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (842, 842)
    first = engine.execute(in_place.events.select("customer_id", "timestamp")).set_index("customer_id")["timestamp"]
    assert first["5420aad7fec3549a85876ba1c529bd84"] == pd.Timestamp("2018-02-26 19:58", tz="UTC")
    times = {name: engine.execute(d.events.select("customer_id", "timestamp")).sort_values("customer_id")
             .reset_index(drop=True) for name, d in (("upload", uploaded), ("in place", in_place))}
    pd.testing.assert_frame_equal(times["upload"], times["in place"], check_dtype=False)
