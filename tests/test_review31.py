"""Review 31: four rules of files and tables read in place, against the upload and hand-written references: wall times
in a named time zone, one person across files, a cookie numbered like another customer, and scores written as words.
Every expected figure is worked out by hand beside it."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, parse_files
from cjm.data.source import dataset_from_files
from tests.helpers import parsed_rows

COLUMNS = {"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"}


def _utc(values) -> list[str]:
    return [str(pd.Timestamp(t).tz_convert("UTC").tz_localize(None)) for t in values]


def _both(tmp_path, text: str, mapping: ColumnMapping, name: str = "times.csv") -> tuple[dict, dict]:
    """{customer: UTC time} read in place and uploaded."""
    path = tmp_path / name
    path.write_text(text)
    rows = engine.execute(dataset_from_files(path, mapping=mapping).events.select("customer_id", "timestamp"))
    uploaded = parsed_rows(parse_files([SourceFile(name, text.encode())], mappings={name: mapping}))
    return (dict(zip(rows["customer_id"], _utc(rows["timestamp"]))),
            dict(zip(uploaded["customer_id"], _utc(uploaded["timestamp"]))))


def _file(walls) -> str:
    return "customer_id,timestamp,event\n" + "".join(f"c{i},{wall},view\n" for i, wall in enumerate(walls))


# ---------------------------------------------------------------------------------------------------------------------
# 1. Time zones read in place

# (zone, [(wall time, its UTC instant by hand)])
ZONE_EDGES = [
    # Lord Howe: +10:30, +11:00 in summer, a half-hour shift. 7 Oct 2012 02:00 -> 02:30: 02:15 goes to the gap's end,
    # 02:30 +11 = 6 Oct 15:30 UTC (not 03:00, past the end: pandas' shift_forward goes to the next whole hour);
    # 02:45 +11 = 15:45. 7 Apr 2013 02:00 +11 -> 01:30 +10:30: 01:45 is repeated, read in summer time (+11) = 14:45.
    ("Australia/Lord_Howe", [("2012-10-07 02:15:00", "2012-10-06 15:30:00"),
                             ("2012-10-07 02:45:00", "2012-10-06 15:45:00"),
                             ("2013-04-07 01:45:00", "2013-04-06 14:45:00")]),
    # Kathmandu: +05:30 until 1 Jan 1986 00:00, then +05:45: 00:05 is skipped, the gap ends at 00:15 +05:45 =
    # 31 Dec 1985 18:30 UTC; 1 Jun 2024 12:00 +05:45 = 06:15.
    ("Asia/Kathmandu", [("1986-01-01 00:05:00", "1985-12-31 18:30:00"), ("2024-06-01 12:00:00", "2024-06-01 06:15:00")]),
    # St John's: -03:30, -02:30 in summer. 10 Mar 2024 02:15 is skipped: 03:00 -02:30 = 05:30 UTC. 3 Nov 2024 01:30
    # is repeated: summer, 04:00. 3 Apr 1988's double summer time jumped from 00:01 -03:30 to 02:01 -01:30: 01:00 goes
    # to 03:31 UTC.
    ("America/St_Johns", [("2024-03-10 02:15:00", "2024-03-10 05:30:00"), ("2024-11-03 01:30:00", "2024-11-03 04:00:00"),
                          ("1988-04-03 01:00:00", "1988-04-03 03:31:00")]),
    # Chatham: +12:45, +13:45 in summer. 7 Apr 2024 03:00 is repeated (03:45 -> 02:45): summer, 6 Apr 13:15 UTC.
    # 29 Sep 2024 02:45 -> 03:45: 03:00 goes to 03:45 +13:45 = 28 Sep 14:00 UTC.
    ("Pacific/Chatham", [("2024-04-07 03:00:00", "2024-04-06 13:15:00"), ("2024-09-29 03:00:00", "2024-09-28 14:00:00")]),
    # Casablanca: +01, +00 through Ramadan. 10 Mar 2024 03:00 -> 02:00: 02:30 repeated, read at the offset before the
    # change (+01, as an upload does): 01:30 UTC. 20 Mar 12:00 +00 = 12:00. 14 Apr 02:00 -> 03:00: 02:30 goes to 03:00
    # +01 = 02:00 UTC.
    ("Africa/Casablanca", [("2024-03-10 02:30:00", "2024-03-10 01:30:00"), ("2024-03-20 12:00:00", "2024-03-20 12:00:00"),
                           ("2024-04-14 02:30:00", "2024-04-14 02:00:00")]),
    # Dublin: summer time is its standard time (IST +01), winter's GMT a negative DST. 31 Mar 2024 01:30 is skipped:
    # 02:00 IST = 01:00 UTC. 27 Oct 01:30 is repeated: read in IST, 00:30 UTC.
    ("Europe/Dublin", [("2024-03-31 01:30:00", "2024-03-31 01:00:00"), ("2024-10-27 01:30:00", "2024-10-27 00:30:00")]),
    # Sao Paulo abolished summer time in 2019. 4 Nov 2018 00:00 -03 -> 01:00 -02: 00:30 goes to 03:00 UTC.
    # 3 Nov 2024 00:30 -03 = 03:30 UTC.
    ("America/Sao_Paulo", [("2018-11-04 00:30:00", "2018-11-04 03:00:00"), ("2024-11-03 00:30:00", "2024-11-03 03:30:00")]),
    # Kwajalein skipped 21 Aug 1993 (-12 -> +12): 10:00 that day goes to 22 Aug 00:00 +12 = 21 Aug 12:00 UTC.
    ("Pacific/Kwajalein", [("1993-08-21 10:00:00", "1993-08-21 12:00:00")]),
    # Berlin over two centuries: 1 Jun 1901 12:00 CET (no summer time before 1916) = 11:00 UTC; 30 Apr 1916 23:00 ->
    # 24:00: 23:30 goes to 1 May 00:00 CEST = 30 Apr 22:00 UTC; 1 Jul 2099 12:00 CEST = 10:00.
    ("Europe/Berlin", [("1901-06-01 12:00:00", "1901-06-01 11:00:00"), ("1916-04-30 23:30:00", "1916-04-30 22:00:00"),
                       ("2099-07-01 12:00:00", "2099-07-01 10:00:00")]),
]


@pytest.mark.parametrize(("zone", "edges"), ZONE_EDGES, ids=[zone for zone, _ in ZONE_EDGES])
def test_wall_times_at_a_zones_odd_changes_read_in_place_and_uploaded_at_the_same_instants(tmp_path, zone, edges):
    mapping = ColumnMapping(columns=COLUMNS, timezone=zone)
    placed, uploaded = _both(tmp_path, _file([wall for wall, _ in edges]), mapping)
    expected = {f"c{i}": utc for i, (_, utc) in enumerate(edges)}
    assert placed == expected
    assert uploaded == expected


def test_a_single_time_in_lord_howes_skipped_half_hour_goes_to_the_gaps_end_in_place_and_uploaded(tmp_path):
    # one row, the data's first and last time alike: 7 Oct 2012 02:15 -> 02:30 +11 = 6 Oct 15:30 UTC
    placed, uploaded = _both(tmp_path, _file(["2012-10-07 02:15:00"]),
                             ColumnMapping(columns=COLUMNS, timezone="Australia/Lord_Howe"))
    assert placed == uploaded == {"c0": "2012-10-06 15:30:00"}


def test_the_summer_time_changes_are_found_to_the_second_whatever_the_seconds_of_the_first_time(tmp_path):
    # Berlin 2024: CET -> CEST at 31 Mar 01:00:00 UTC, back at 27 Oct 01:00:00 UTC. The data's first time has 17
    # seconds. 1 Mar 09:00:17 CET = 08:00:17; 31 Mar 02:00:10 is skipped: the gap's end, 01:00:00 UTC;
    # 27 Oct 02:59:59 is repeated: summer, 00:59:59; 27 Oct 03:00:05 is after it: CET, 02:00:05.
    # (in place found the changes on a grid of the first time's seconds: 01:00:10 and 01:00:05 UTC)
    walls = ["2024-03-01 09:00:17", "2024-03-31 02:00:10", "2024-10-27 02:59:59", "2024-10-27 03:00:05"]
    placed, uploaded = _both(tmp_path, _file(walls), ColumnMapping(columns=COLUMNS, timezone="Europe/Berlin"))
    expected = {"c0": "2024-03-01 08:00:17", "c1": "2024-03-31 01:00:00", "c2": "2024-10-27 00:59:59",
                "c3": "2024-10-27 02:00:05"}
    assert placed == expected
    assert uploaded == expected


def test_berlins_changes_from_1901_to_2099_stay_a_few_branches_a_year():
    from cjm.data import wall_times

    # at most 2 changes a year over 199 years, each one branch, a skipped hour one more: at most 3 x 199 = 597
    _, changes = wall_times._offsets("Europe/Berlin", pd.Timestamp("1901-01-01"), pd.Timestamp("2099-12-31"))
    branches = len(changes) + sum(after > before for _, before, after in changes)
    assert branches <= 597


def test_dates_only_in_tokyo_fall_on_the_day_before_in_utc_in_place_as_uploaded(tmp_path):
    # 1 Mar 2024 00:00 JST (+09, no summer time) = 29 Feb 15:00 UTC, as an upload reads a date in a zone
    text = "customer_id,timestamp,event\na,2024-03-01,view\nb,2024-10-27,view\n"
    placed, uploaded = _both(tmp_path, text, ColumnMapping(columns=COLUMNS, timezone="Asia/Tokyo"))
    assert placed == uploaded == {"a": "2024-02-29 15:00:00", "b": "2024-10-26 15:00:00"}


def test_times_with_offsets_beside_wall_times_read_in_place_as_uploaded(tmp_path):
    # 'Z' and ' UTC' are UTC: 09:00; '+05:30': 03:30 UTC; no offset: Berlin, 09:00 CET = 08:00 UTC
    text = ("customer_id,timestamp,event\na,2024-03-01T09:00:00Z,view\nb,2024-03-01 09:00:00+05:30,view\n"
            "c,2024-03-01 09:00:00 UTC,view\nd,2024-03-01 09:00:00,view\n")
    placed, uploaded = _both(tmp_path, text, ColumnMapping(columns=COLUMNS, timezone="Europe/Berlin"))
    expected = {"a": "2024-03-01 09:00:00", "b": "2024-03-01 03:30:00", "c": "2024-03-01 09:00:00",
                "d": "2024-03-01 08:00:00"}
    assert placed == expected
    assert uploaded == expected


def test_yyyymmdd_dates_with_a_time_of_day_in_lord_howe_read_in_place_as_uploaded(tmp_path):
    # 20121007 02:15 skipped: 6 Oct 15:30 UTC (above); 20130407 01:45 repeated, summer: 6 Apr 14:45; 20240601 9:30 PM
    # = 21:30 +10:30 (winter) = 11:00 UTC
    text = ("customer_id,timestamp,event,clock\na,20121007,view,02:15\nb,20130407,view,01:45:00\n"
            "c,20240601,view,9:30 PM\n")
    mapping = ColumnMapping(columns=COLUMNS, timezone="Australia/Lord_Howe", time_of_day="clock")
    placed, uploaded = _both(tmp_path, text, mapping)
    expected = {"a": "2012-10-06 15:30:00", "b": "2013-04-06 14:45:00", "c": "2024-06-01 11:00:00"}
    assert placed == expected
    assert uploaded == expected


def test_a_zone_column_beside_a_mapping_in_berlin_is_not_read_in_place_nor_uploaded(tmp_path):
    # the per-row zone column is read only when the mapping's zone is UTC (cjm.data.dataset): with Berlin, PST on a's
    # row moves nothing; 1 Mar 09:00 CET = 08:00 UTC; 1 Jul 09:00 CEST = 07:00 UTC, in place as uploaded
    text = ("customer_id,timestamp,event,Time Zone\na,2024-03-01 09:00:00,view,PST\n"
            "b,2024-07-01 09:00:00,view,\n")
    placed, uploaded = _both(tmp_path, text, ColumnMapping(columns=COLUMNS, timezone="Europe/Berlin"))
    assert placed == uploaded == {"a": "2024-03-01 08:00:00", "b": "2024-07-01 07:00:00"}


@pytest.mark.postgres
def test_a_postgresql_table_over_two_centuries_reads_lord_howes_half_hour_and_seconds_as_uploaded(postgres_url):
    # the CASE over 1901..2099 runs on PostgreSQL. Lord Howe: 1 Jun 1901 12:00 AEST +10 (its local mean
    # time ended in 1895) = 02:00 UTC;
    # 7 Oct 2012 02:15 skipped -> 6 Oct 15:30; 7 Apr 2013 01:45 repeated, summer -> 6 Apr 14:45; 1 Jul 2099 12:00:17
    # +10:30 = 01:30:17
    import sqlalchemy

    from cjm.data.source import dataset_from_table

    walls = {"a": "1901-06-01 12:00:00", "b": "2012-10-07 02:15:00", "c": "2013-04-07 01:45:00",
             "d": "2099-07-01 12:00:17"}
    expected = {"a": "1901-06-01 02:00:00", "b": "2012-10-06 15:30:00", "c": "2013-04-06 14:45:00",
                "d": "2099-07-01 01:30:17"}
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql("CREATE TABLE lord_howe_walls (customer_id text, ts timestamp, written text, event text)")
        for customer, wall in walls.items():
            con.exec_driver_sql("INSERT INTO lord_howe_walls VALUES (%s, %s, %s, 'view')", (customer, wall, wall))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        for column in ("ts", "written"):
            mapping = ColumnMapping(columns={**COLUMNS, "timestamp": column}, timezone="Australia/Lord_Howe")
            rows = backend.execute(dataset_from_table(backend, "lord_howe_walls", mapping=mapping).events
                                   .select("customer_id", "timestamp"))
            assert dict(zip(rows["customer_id"], _utc(rows["timestamp"]))) == expected
    finally:
        backend.close()
