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
    ("Asia/Kathmandu", [("1986-01-01 00:05:00", "1985-12-31 18:30:00"),
                        ("2024-06-01 12:00:00", "2024-06-01 06:15:00")]),
    # St John's: -03:30, -02:30 in summer. 10 Mar 2024 02:15 is skipped: 03:00 -02:30 = 05:30 UTC. 3 Nov 2024 01:30
    # is repeated: summer, 04:00. 3 Apr 1988's double summer time jumped from 00:01 -03:30 to 02:01 -01:30: 01:00 goes
    # to 03:31 UTC.
    ("America/St_Johns", [("2024-03-10 02:15:00", "2024-03-10 05:30:00"),
                          ("2024-11-03 01:30:00", "2024-11-03 04:00:00"),
                          ("1988-04-03 01:00:00", "1988-04-03 03:31:00")]),
    # Chatham: +12:45, +13:45 in summer. 7 Apr 2024 03:00 is repeated (03:45 -> 02:45): summer, 6 Apr 13:15 UTC.
    # 29 Sep 2024 02:45 -> 03:45: 03:00 goes to 03:45 +13:45 = 28 Sep 14:00 UTC.
    ("Pacific/Chatham", [("2024-04-07 03:00:00", "2024-04-06 13:15:00"),
                         ("2024-09-29 03:00:00", "2024-09-28 14:00:00")]),
    # Casablanca: +01, +00 through Ramadan. 10 Mar 2024 03:00 -> 02:00: 02:30 repeated, read at the offset before the
    # change (+01, as an upload does): 01:30 UTC. 20 Mar 12:00 +00 = 12:00. 14 Apr 02:00 -> 03:00: 02:30 goes to 03:00
    # +01 = 02:00 UTC.
    ("Africa/Casablanca", [("2024-03-10 02:30:00", "2024-03-10 01:30:00"),
                           ("2024-03-20 12:00:00", "2024-03-20 12:00:00"),
                           ("2024-04-14 02:30:00", "2024-04-14 02:00:00")]),
    # Dublin: summer time is its standard time (IST +01), winter's GMT a negative DST. 31 Mar 2024 01:30 is skipped:
    # 02:00 IST = 01:00 UTC. 27 Oct 01:30 is repeated: read in IST, 00:30 UTC.
    ("Europe/Dublin", [("2024-03-31 01:30:00", "2024-03-31 01:00:00"), ("2024-10-27 01:30:00", "2024-10-27 00:30:00")]),
    # Sao Paulo abolished summer time in 2019. 4 Nov 2018 00:00 -03 -> 01:00 -02: 00:30 goes to 03:00 UTC.
    # 3 Nov 2024 00:30 -03 = 03:30 UTC.
    ("America/Sao_Paulo", [("2018-11-04 00:30:00", "2018-11-04 03:00:00"),
                           ("2024-11-03 00:30:00", "2024-11-03 03:30:00")]),
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


def test_times_ending_in_gmt_or_a_lower_case_utc_are_instants_in_place_as_uploaded(tmp_path):
    # ' GMT', ' utc', ' Utc', ' gmt' say UTC: 09:00 UTC, not moved from Kolkata; no offset: 09:00 IST (+05:30) = 03:30
    # (in place read the first four as Kolkata's wall times: 03:30)
    text = ("customer_id,timestamp,event\na,2024-03-01 09:00:00 GMT,view\nb,2024-03-01 09:00:00 utc,view\n"
            "c,2024-03-01 09:00:00 Utc,view\nd,2024-03-01 09:00:00 gmt,view\ne,2024-03-01 09:00:00,view\n")
    placed, uploaded = _both(tmp_path, text, ColumnMapping(columns=COLUMNS, timezone="Asia/Kolkata"))
    expected = {"a": "2024-03-01 09:00:00", "b": "2024-03-01 09:00:00", "c": "2024-03-01 09:00:00",
                "d": "2024-03-01 09:00:00", "e": "2024-03-01 03:30:00"}
    assert placed == expected
    assert uploaded == expected


def test_a_time_written_with_gmt_and_an_offset_read_in_place_is_not_moved_twice(tmp_path):
    # '09:00:00 GMT+01:00' is 08:00 UTC; 'UTC-05:00' 14:00 UTC. In place read the offset, then moved the time again
    # from Kolkata: 02:30 and 08:30
    text = ("customer_id,timestamp,event\na,2024-03-01 09:00:00 GMT+01:00,view\nb,2024-03-01 09:00:00 UTC-05:00,view\n"
            "c,2024-03-01 09:00:00,view\n")
    placed, _ = _both(tmp_path, text, ColumnMapping(columns=COLUMNS, timezone="Asia/Kolkata"))
    assert placed == {"a": "2024-03-01 08:00:00", "b": "2024-03-01 14:00:00", "c": "2024-03-01 03:30:00"}


def test_an_upload_reads_a_time_written_with_gmt_and_an_offset(tmp_path):
    # '09:00:00 GMT+01:00' is 08:00 UTC, 'utc-05:00' 14:00 UTC; b, without an offset, is 09:00 in Kolkata: 03:30 UTC
    text = ("customer_id,timestamp,event\na,2024-03-01 09:00:00 GMT+01:00,view\nb,2024-03-01 09:00:00,view\n"
            "c,2024-03-01 09:00:00 utc-05:00,view\n")
    placed, uploaded = _both(tmp_path, text, ColumnMapping(columns=COLUMNS, timezone="Asia/Kolkata"))
    assert uploaded == placed == {"a": "2024-03-01 08:00:00", "b": "2024-03-01 03:30:00", "c": "2024-03-01 14:00:00"}


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


@pytest.mark.parametrize(("written", "expected"), [
    # Lord Howe: 7 Oct 2012 02:15 skipped -> 6 Oct 15:30 UTC; 7 Apr 2013 01:45 repeated, summer (+11) -> 14:45;
    # 1 Jun 2024 12:00 +10:30 -> 01:30 (its zone cell empty: the file's one zone still)
    ("Australia/Lord_Howe", {"a": "2012-10-06 15:30:00", "b": "2013-04-06 14:45:00", "c": "2024-06-01 01:30:00"}),
    # Square's Rails name, Los Angeles: PDT (-7) on all three dates: 09:15, 08:45, 19:00 UTC
    ("Pacific Time (US & Canada)", {"a": "2012-10-07 09:15:00", "b": "2013-04-07 08:45:00",
                                    "c": "2024-06-01 19:00:00"}),
])
def test_a_file_naming_its_one_time_zone_in_a_column_is_read_in_it_in_place_as_uploaded(tmp_path, written, expected):
    # no mapping given: both guess it. In place read UTC wall times (12:00 stayed 12:00 UTC) and said nothing
    text = (f"customer_id,timestamp,event,Time Zone\na,2012-10-07 02:15:00,view,{written}\n"
            f"b,2013-04-07 01:45:00,view,{written}\nc,2024-06-01 12:00:00,view,\n")
    path = tmp_path / "square.csv"
    path.write_text(text)
    dataset = dataset_from_files(path)
    rows = engine.execute(dataset.events.select("customer_id", "timestamp"))
    parsed = parse_files([SourceFile("square.csv", text.encode())])
    uploaded = parsed_rows(parsed)
    assert dict(zip(rows["customer_id"], _utc(rows["timestamp"]))) == expected
    assert dict(zip(uploaded["customer_id"], _utc(uploaded["timestamp"]))) == expected
    said = [n for n in parsed.files[0].notes if n.startswith("Times are read in")]
    assert len(said) == 1 and said == [n for n in dataset.files[0].notes if n.startswith("Times are read in")]


def test_a_time_zone_column_naming_a_second_zone_after_the_first_2000_rows_is_no_files_zone_in_place(tmp_path):
    # 2,000 rows in Berlin, then one in Tokyo: two zones, so none is the file's (the upload reads all rows): times
    # stay UTC; 1 Mar 2024 09:00 -> 09:00 UTC for every row
    rows = [f"c{i},2024-03-01 09:00:00,view,Europe/Berlin\n" for i in range(2_000)] + [
        "last,2024-03-01 09:00:00,view,Asia/Tokyo\n"]
    path = tmp_path / "zones.csv"
    path.write_text("customer_id,timestamp,event,Time Zone\n" + "".join(rows))
    placed = engine.execute(dataset_from_files(path).events.select("timestamp"))
    assert set(_utc(placed["timestamp"])) == {"2024-03-01 09:00:00"}


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


def _events_sql(walls: list[str]) -> str:
    import ibis

    from cjm.data.source import dataset_from_table

    backend = engine.connect("duckdb://")
    backend.con.con.execute("CREATE TABLE walls (customer_id text, written text, event text)")
    for i, wall in enumerate(walls):
        backend.con.con.execute("INSERT INTO walls VALUES (?, ?, 'view')", [f"c{i}", wall])
    mapping = ColumnMapping(columns={**COLUMNS, "timestamp": "written"}, timezone="Australia/Lord_Howe")
    try:
        return ibis.to_sql(dataset_from_table(backend, "walls", mapping=mapping).events, dialect="duckdb")
    finally:
        backend.close()


def test_a_table_read_in_place_parses_each_time_once_however_many_changes_of_offset_its_span_holds():
    # The zone's CASE compares each wall time with every change of offset from the first time to the last: 2 in 2012,
    # about 360 from 1901 to 2099. It compared the text's parsing itself, so the SQL held one copy of the parsing per
    # change (596 regular expressions for two centuries: 10 GB and 5 minutes in PostgreSQL for 4 rows). The parsing is
    # a column now: its regular expressions appear as often for two centuries as for one year.
    one_year = _events_sql(["2012-06-01 12:00:00", "2012-12-01 12:00:00"])
    two_centuries = _events_sql(["1901-06-01 12:00:00", "2099-07-01 12:00:17"])
    assert two_centuries.count("WHEN") > one_year.count("WHEN") + 300  # the CASE does grow: ~360 more changes
    assert two_centuries.count("REGEXP") == one_year.count("REGEXP")


# ---------------------------------------------------------------------------------------------------------------------
# 2. One person across files

WEB = ("anonymousId,userId,timestamp,event\n"
       "a1,,2024-03-01T09:00:00Z,page_view\n"
       "a1,u1,2024-03-01T09:01:00Z,login\n"
       "s1,u2,2024-03-01T09:02:00Z,login\n"
       "s1,u3,2024-03-01T09:03:00Z,login\n")


def _customers(*files: tuple[str, str]):
    parsed = parse_files([SourceFile(name, text.encode()) for name, text in files])
    return parsed, parsed_rows(parsed)["customer_id"].value_counts().sort_index().to_dict()


def across_reference(files: list[pd.DataFrame]) -> list:
    """The rule of cjm.data.identities over every file at once, row by row in file order: a signed-in id is the
    person; else the one person who signed in on the anonymous id in any file, if exactly one did; else the anonymous
    id. A file without a signed-in column has 'signed' all missing."""
    rows = pd.concat(files, ignore_index=True)
    people: dict[str, set] = {}
    for anonymous, signed in zip(rows["anonymous"], rows["signed"]):
        if pd.notna(anonymous) and pd.notna(signed):
            people.setdefault(anonymous, set()).add(signed)
    return [signed if pd.notna(signed) else next(iter(people[anonymous])) if len(people.get(anonymous, ())) == 1
            else anonymous for anonymous, signed in zip(rows["anonymous"], rows["signed"])]


@pytest.mark.parametrize("column", ["anonymous_id", "properties.anonymousId", "AnonymousID"])
def test_an_app_file_whose_anonymous_column_is_written_otherwise_joins_the_person_of_the_website(column):
    # web: u1 signs in on a1. app (its column named otherwise, the same leaf once normalised): a1's add_to_cart is
    # u1's: u1 = web 2 + app 1 = 3, u2 1, u3 1; as the reference over both files
    app = f"{column},timestamp,event\n a1 ,2024-03-02T10:00:00Z,add_to_cart\n"
    parsed, customers = _customers(("web.csv", WEB), ("app.csv", app))
    assert customers == {"u1": 3, "u2": 1, "u3": 1}
    web = pd.DataFrame({"anonymous": ["a1", "a1", "s1", "s1"], "signed": [None, "u1", "u2", "u3"]})
    assert across_reference([web, pd.DataFrame({"anonymous": ["a1"], "signed": [None]})]).count("u1") == 3
    assert any(f"1 event of this file's {column!r} is the person's who signed in on that browser or device in "
               "'web.csv' (such as 'a1': 'u1')" in n for n in parsed.files[1].notes)


def test_three_files_and_the_website_uploaded_twice_join_the_same_person_and_name_both_files():
    # web twice: u1 2 + 2; two app files, one a1 event each: u1 6; u2 and u3 one login per copy: 2 each
    app = "anonymousId,timestamp,event\na1,2024-03-02T10:00:00Z,add_to_cart\n"
    parsed, customers = _customers(("web.csv", WEB), ("web (1).csv", WEB), ("app.csv", app),
                                   ("app2.csv", app.replace("add_to_cart", "view")))
    assert customers == {"u1": 6, "u2": 2, "u3": 2}
    assert any("in 'web.csv', 'web (1).csv' (such as 'a1': 'u1')" in n for n in parsed.files[2].notes)


def test_a_survey_answer_on_a_shared_browser_stays_with_it_and_the_note_says_so():
    # s1 is shared (u2 and u3 signed in there): its answer stays with s1, nobody's; a1's is u1's
    survey = "anonymousId,timestamp,score,comment\na1,2024-03-03T10:00:00Z,9,great\ns1,2024-03-03T10:00:00Z,3,bad\n"
    parsed, customers = _customers(("web.csv", WEB), ("survey.csv", survey))
    assert customers == {"u1": 3, "u2": 1, "u3": 1, "s1": 1}
    assert ("1 event of this file's 'anonymousId' (such as 's1') is on a browser or device where several people "
            "signed in, in 'web.csv' (shared): it stays with it, none of those people's.") in parsed.files[1].notes


def test_a_survey_file_by_anonymous_id_gives_its_answer_to_the_person_who_signed_in_there():
    # the survey's a1 answer (9, 'great') is u1's: u1 web 2 + 1 = 3
    survey = "anonymousId,timestamp,score,comment\na1,2024-03-03T10:00:00Z,9,great\n"
    _, customers = _customers(("web.csv", WEB), ("survey.csv", survey))
    assert customers == {"u1": 3, "u2": 1, "u3": 1}


def test_a_customers_file_keyed_by_the_anonymous_id_describes_the_person_who_signed_in_there():
    # only u1 signed in on a1: a1's plan 'pro' is u1's; s1 is shared (u2, u3), so its row names nobody with events
    from cjm.data.dataset import build_dataset

    customers = "anonymousId,plan,country\na1,pro,DE\ns1,free,FR\n"
    parsed = parse_files([SourceFile("web.csv", WEB.encode()), SourceFile("customers.csv", customers.encode())])
    table = engine.execute(build_dataset(parsed).customers)
    assert table.loc[table["customer_id"] == "u1", "plan"].tolist() == ["pro"]


# The file's note by hand: a1 is u1's (one row moved), s1 shared by u2 and u3 (one row, nobody's)
DESCRIBED_NOTE = ("1 row of this file's 'anonymousId' is a browser or device where one person signed in, in 'web.csv' "
                  "(such as 'a1': 'u1'): its columns describe that person. 1 row (such as 's1') is a browser or device "
                  "where several people signed in (shared): it describes none of them, only the visits there without "
                  "signing in. To describe browsers and devices instead, choose none as the signed-in id of 'web.csv'.")


def test_a_customers_file_keyed_by_the_anonymous_id_says_whom_its_rows_describe_and_that_a_shared_one_names_nobody():
    # s1 keeps its row as written ('free'), naming none of u2 and u3; no 'joins no one' note: a1's row joins u1
    customers = "anonymousId,plan,country\na1,pro,DE\ns1,free,FR\n"
    parsed = parse_files([SourceFile("web.csv", WEB.encode()), SourceFile("customers.csv", customers.encode())])
    assert parsed.files[1].notes == [DESCRIBED_NOTE]
    table = parsed.customers.set_index("customer_id")
    assert table["plan"].to_dict() == {"u1": "pro", "s1": "free"}
    # rows: web 4 + customers 2 = 6 in, 6 used, none rejected
    assert (parsed.accounting.rows_in, parsed.accounting.rows_used, len(parsed.accounting.rejected)) == (6, 6, 0)


def test_two_browsers_of_one_person_in_a_customers_file_keep_the_first_row_and_reject_the_second_with_its_reason():
    # u1 signs in on a1 and a2: rows a2 ('x', first) and a1 ('pro') both describe u1: a2's kept, a1's (line 3)
    # rejected as a duplicate customer. Rows: web 5 + customers 2 = 7 in = 6 used + 1 rejected
    web = WEB + "a2,u1,2024-03-01T09:04:00Z,login\n"
    customers = "anonymousId,plan\na2,x\na1,pro\n"
    parsed = parse_files([SourceFile("web.csv", web.encode()), SourceFile("customers.csv", customers.encode())])
    assert parsed.customers.set_index("customer_id")["plan"].to_dict() == {"u1": "x"}
    rejected = parsed.accounting.rejected
    assert rejected[["file", "line", "reason"]].values.tolist() == [
        ["customers.csv", 3, "duplicate customer (first row kept)"]]
    assert (parsed.accounting.rows_in, parsed.accounting.rows_used) == (7, 6)
    assert parsed.files[1].notes[0].startswith("2 rows of this file's 'anonymousId' are a browser or device where one "
                                               "person signed in, in 'web.csv' (such as 'a1': 'u1')")


def test_a_customers_row_of_a_cookie_set_apart_describes_that_visitor_not_the_person_of_the_same_id():
    # cookie 1001 never signs in; customer 1001 signs in on cookie 1002: the events write cookie 1001 as
    # '1001 (cookie_id)'. The customers file's row of cookie 1001 ('trial') is that visitor's; cookie 1002's ('paid')
    # is customer 1001's
    shop = "cookie_id,customer_id,timestamp,event\n1001,,2024-03-01 09:00,view\n1002,1001,2024-03-01 09:01,view\n"
    customers = "cookie_id,plan\n1001,trial\n1002,paid\n"
    parsed = parse_files([SourceFile("shop.csv", shop.encode()), SourceFile("customers.csv", customers.encode())])
    assert parsed.customers.set_index("customer_id")["plan"].to_dict() == {"1001 (cookie_id)": "trial", "1001": "paid"}
    assert sorted(parsed_rows(parsed)["customer_id"]) == ["1001", "1001 (cookie_id)"]
    assert ("1 row where nobody signed in has the id of a person who did: written as '<id> (cookie_id)', a visitor of "
            "its own, as the events write it.") in parsed.files[1].notes[0]


def _in_place_customers(tmp_path, customers: pd.DataFrame, web: str = WEB):
    parsed = parse_files([SourceFile("web.csv", web.encode())])
    path = tmp_path / "web.csv"
    path.write_text(web)
    dataset = dataset_from_files(path, mapping=parsed.files[0].mapping, customers=customers)
    return engine.execute(dataset.customers).set_index("customer_id")["plan"].to_dict(), dataset.files[0].notes


def test_a_customers_table_keyed_by_the_anonymous_id_read_in_place_describes_the_upload_s_people(tmp_path):
    # as the upload above: a1's 'pro' is u1's, s1's 'free' stays with s1; the same note, of the table's column
    plans, notes = _in_place_customers(tmp_path, pd.DataFrame({"customer_id": ["a1", "s1"], "plan": ["pro", "free"]}))
    assert plans == {"u1": "pro", "s1": "free"}
    assert DESCRIBED_NOTE.replace("this file's 'anonymousId'", "the customers table's 'customer_id'") in notes


def test_a_customers_table_keyed_by_people_read_in_place_is_left_as_written(tmp_path):
    # keys u1 and u2 are people, none a browser: read as written, no note on browsers
    plans, notes = _in_place_customers(tmp_path, pd.DataFrame({"customer_id": ["u1", "u2"], "plan": ["pro", "free"]}))
    assert plans == {"u1": "pro", "u2": "free"}
    assert not any("customers table's" in n for n in notes)


def test_two_browsers_of_one_person_in_a_customers_table_read_in_place_keep_the_row_of_the_least_id(tmp_path):
    # u1 on a1 and a2: rows a2 ('x') and a1 ('pro') both describe u1; a table has no first row: a1's (the least id)
    # is kept, and the note says one row was left out
    web = WEB + "a2,u1,2024-03-01T09:04:00Z,login\n"
    plans, notes = _in_place_customers(tmp_path, pd.DataFrame({"customer_id": ["a2", "a1"], "plan": ["x", "pro"]}), web)
    assert plans == {"u1": "pro"}
    assert any("1 row names a person another row names too (one person on several browsers or devices): left out, the "
               "row of the least id kept." in n for n in notes)


def test_a_segment_export_split_by_month_joins_februarys_visit_to_the_person_who_signed_in_in_january():
    # January: u1 signs in on a1. February: a1 visits without signing in, u9 signs in on b1. Over both files only u1
    # signed in on a1, so the reference gives February's a1 visit to u1: u1 = 2 + 1 = 3, u2 1, u3 1, u9 1
    february = ("anonymousId,userId,timestamp,event\na1,,2024-04-01T09:00:00Z,page_view\n"
                "b1,u9,2024-04-01T09:00:00Z,login\n")
    jan = pd.DataFrame({"anonymous": ["a1", "a1", "s1", "s1"], "signed": [None, "u1", "u2", "u3"]})
    feb = pd.DataFrame({"anonymous": ["a1", "b1"], "signed": [None, "u9"]})
    assert across_reference([jan, feb]) == ["u1", "u1", "u2", "u3", "u1", "u9"]
    _, customers = _customers(("january.csv", WEB), ("february.csv", february))
    assert customers == {"u1": 3, "u2": 1, "u3": 1, "u9": 1}


# ---------------------------------------------------------------------------------------------------------------------
# 3. A cookie numbered like another customer

def test_a_cookie_already_written_like_a_cookie_set_apart_stays_a_visitor_of_its_own():
    # cookie 1001 never signs in, customer 1001 signs in on cookie 1002, cookie '1001 (cookie_id)' never signs in:
    # three customers, one event each (1001 on row 2; the two cookies on rows 1 and 3)
    text = ("cookie_id,customer_id,timestamp,event\n1001,,2024-03-01 09:00,view\n1002,1001,2024-03-01 09:01,view\n"
            "1001 (cookie_id),,2024-03-01 09:02,view\n")
    customers = parsed_rows(parse_files([SourceFile("shop.csv", text.encode())]))["customer_id"]
    assert customers.nunique() == 3



def _uploaded_and_placed(tmp_path, text: str, name: str = "shop.csv"):
    """(customer -> events uploaded, read in place; the notes on sign-ins uploaded, in place; (rows in, used,
    rejected) uploaded, in place), read in place with the upload's mapping."""
    parsed = parse_files([SourceFile(name, text.encode())])
    uploaded = parsed_rows(parsed)["customer_id"].value_counts().sort_index().to_dict()
    path = tmp_path / name
    path.write_text(text)
    dataset = dataset_from_files(path, mapping=parsed.files[0].mapping)
    placed = engine.execute(dataset.events.select("customer_id"))["customer_id"].value_counts().sort_index().to_dict()
    signed = [[n for n in f.notes if "signed in" in n] for f in (parsed.files[0], dataset.files[0])]
    rows = [(a.rows_in, a.rows_used, a.rows_rejected) for a in (parsed.accounting, dataset.accounting)]
    return uploaded, placed, *signed, *rows


ALREADY_APART_NOTE = ("1 browser or device where nobody signed in has the id of a person who did (such as '1001'): "
                      "written '1001 (cookie_id 2)', a visitor of its own, not that person (numbered: the file already "
                      "has an id written '1001 (cookie_id)').")


def test_a_cookie_already_written_like_a_cookie_set_apart_is_numbered_alike_uploaded_and_in_place(tmp_path):
    # the file above: cookie 1001 is set apart (customer 1001 signed in on cookie 1002); '1001 (cookie_id)' is
    # already an id of the file, so cookie 1001 is written '1001 (cookie_id 2)'. The raw '1001 (cookie_id)' stays as
    # written. One event each; 3 rows in, 3 used, none rejected
    text = ("cookie_id,customer_id,timestamp,event\n1001,,2024-03-01 09:00,view\n1002,1001,2024-03-01 09:01,view\n"
            "1001 (cookie_id),,2024-03-01 09:02,view\n")
    uploaded, placed, uploaded_notes, placed_notes, uploaded_rows, placed_rows = _uploaded_and_placed(tmp_path, text)
    assert placed == uploaded == {"1001": 1, "1001 (cookie_id 2)": 1, "1001 (cookie_id)": 1}
    assert placed_notes == uploaded_notes and any(ALREADY_APART_NOTE in n for n in uploaded_notes)
    assert placed_rows == uploaded_rows == (3, 3, 0)


def test_a_cookie_written_like_two_numbers_of_a_cookie_set_apart_takes_the_third_uploaded_and_in_place(tmp_path):
    # cookie 7 never signs in, customer 7 signs in on cookie 8; the file also writes cookies '7 (cookie_id)' and
    # '7 (cookie_id 2)' (never signed in): cookie 7 is '7 (cookie_id 3)'. Four customers, one event each
    text = ("cookie_id,customer_id,timestamp,event\n7,,2024-03-01 09:00,view\n8,7,2024-03-01 09:01,view\n"
            "7 (cookie_id),,2024-03-01 09:02,view\n7 (cookie_id 2),,2024-03-01 09:03,view\n")
    uploaded, placed, *_ = _uploaded_and_placed(tmp_path, text)
    assert placed == uploaded == {"7": 1, "7 (cookie_id 3)": 1, "7 (cookie_id 2)": 1, "7 (cookie_id)": 1}


@pytest.mark.parametrize("text", [
    # Mixpanel's own id: distinct_id u1 after sign-in, u1 again without $user_id: u1's own id, 3 events, no clash
    "distinct_id,$user_id,time,event\nd1,,2024-03-01 09:00,view\nd1,u1,2024-03-01 09:01,login\n"
    "u1,u1,2024-03-01 09:02,view\nu1,,2024-03-01 09:03,view\nu2,,2024-03-01 09:04,view\n",
    # e-mail ids: the signed-in column is all e-mails, read in lower case (Ann@X.com is ann@x.com); cookie ann@x.com
    # never signs in: 'ann@x.com (cookie_id)' 1, ann@x.com 1, bob@y.com 1
    "cookie_id,customer_id,timestamp,event\nann@x.com,,2024-03-01 09:00,view\nc2,Ann@X.com,2024-03-01 09:01,view\n"
    "c3,bob@y.com,2024-03-01 09:01,view\n",
], ids=["mixpanel_own_id", "e_mail_case"])
def test_cookies_and_own_ids_read_in_place_give_the_uploads_customers_and_note(tmp_path, text):
    parsed = parse_files([SourceFile("shop.csv", text.encode())])
    uploaded = parsed_rows(parsed)["customer_id"].value_counts().sort_index().to_dict()
    path = tmp_path / "shop.csv"
    path.write_text(text)
    dataset = dataset_from_files(path, mapping=parsed.files[0].mapping)
    placed = engine.execute(dataset.events.select("customer_id"))["customer_id"].value_counts().sort_index().to_dict()
    expected = ({"u1": 4, "u2": 1} if "distinct_id" in text
                else {"ann@x.com": 1, "ann@x.com (cookie_id)": 1, "bob@y.com": 1})
    assert placed == uploaded == expected
    assert [n for n in dataset.files[0].notes if "signed in" in n] == [n for n in parsed.files[0].notes
                                                                       if "signed in" in n]


# Cookie 2002 (first in the file) and cookie 1001 never sign in; customer 1001 signs in on cookie 1002, customer 2002
# on cookie 1003. By hand: 2 cookies set apart; the note's example the least of them as text, '1001', as in place
# names it (the upload named the first in the file, '2002').
TWO_COOKIES = ("cookie_id,customer_id,timestamp,event\n2002,,2024-03-01 09:00,view\n1002,1001,2024-03-01 09:01,view\n"
               "1001,,2024-03-01 09:02,view\n1003,2002,2024-03-01 09:03,view\n")
TWO_COOKIES_NOTE = ("2 browsers or devices where nobody signed in have the id of a person who did (such as '1001'): "
                    "written '1001 (cookie_id)', a visitor of their own, not that person.")


def test_two_cookies_numbered_like_customers_give_the_same_note_uploaded_and_in_place(tmp_path):
    parsed = parse_files([SourceFile("shop.csv", TWO_COOKIES.encode())])
    uploaded = parsed_rows(parsed)["customer_id"].value_counts().sort_index().to_dict()
    path = tmp_path / "shop.csv"
    path.write_text(TWO_COOKIES)
    dataset = dataset_from_files(path, mapping=parsed.files[0].mapping)
    placed = engine.execute(dataset.events.select("customer_id"))["customer_id"].value_counts().sort_index().to_dict()
    # one event each: 1001 (row 2), 2002 (row 4), and the two cookies apart (rows 1 and 3)
    assert placed == uploaded == {"1001": 1, "1001 (cookie_id)": 1, "2002": 1, "2002 (cookie_id)": 1}
    assert any(TWO_COOKIES_NOTE in n for n in parsed.files[0].notes)
    assert any(TWO_COOKIES_NOTE in n for n in dataset.files[0].notes)


@pytest.mark.postgres
def test_two_cookies_numbered_like_customers_in_a_postgresql_table_give_the_uploads_note(postgres_url):
    import sqlalchemy

    from cjm.data.source import dataset_from_table

    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql("CREATE TABLE two_cookies (cookie_id text, customer_id text, timestamp text, event text)")
        for line in TWO_COOKIES.splitlines()[1:]:
            cookie, customer, stamp, event = line.split(",")
            con.exec_driver_sql("INSERT INTO two_cookies VALUES (%s, %s, %s, %s)",
                                (cookie, customer or None, stamp, event))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        mapping = parse_files([SourceFile("shop.csv", TWO_COOKIES.encode())]).files[0].mapping
        dataset = dataset_from_table(backend, "two_cookies", mapping=mapping)
        placed = backend.execute(dataset.events.select("customer_id"))["customer_id"].value_counts().to_dict()
        assert placed == {"1001": 1, "1001 (cookie_id)": 1, "2002": 1, "2002 (cookie_id)": 1}
        assert any(TWO_COOKIES_NOTE in n for n in dataset.files[0].notes)
    finally:
        backend.close()


def test_a_mixpanel_server_side_event_with_only_distinct_id_is_the_persons():
    # d1 browses, u1 signs in on d1, then the server tracks u1's order with distinct_id u1 only: 3 events of u1
    text = ("distinct_id,$user_id,$device_id,time,event\n$device:d1,,d1,2024-03-01 09:00,view\n"
            "u1,u1,d1,2024-03-01 09:01,login\nu1,,,2024-03-01 09:05,Order Completed\n")
    customers = parsed_rows(parse_files([SourceFile("mp.csv", text.encode())]))["customer_id"].tolist()
    assert customers == ["u1", "u1", "u1"]



def test_mixpanel_events_with_only_distinct_id_are_read_alike_uploaded_and_in_place(tmp_path):
    # By hand, row by row: d1 browses (its one person u1); u1 signs in on d1; the server tracks u1's order with
    # distinct_id u1 alone (u1 signed in: u1's); distinct_id d1 alone (no person d1: the device d1, whose one person
    # is u1); x9 alone (nobody: a visitor of its own); no id at all: rejected, missing customer id.
    # u1 4 (rows 1-4), x9 1; 6 rows in = 5 used + 1 rejected
    text = ("distinct_id,$user_id,$device_id,time,event\n$device:d1,,d1,2024-03-01 09:00,view\n"
            "u1,u1,d1,2024-03-01 09:01,login\nu1,,,2024-03-01 09:05,Order Completed\nd1,,,2024-03-01 09:06,view\n"
            "x9,,,2024-03-01 09:07,view\n,,,2024-03-01 09:08,view\n")
    uploaded, placed, uploaded_notes, placed_notes, uploaded_rows, placed_rows = _uploaded_and_placed(
        tmp_path, text, "mp.csv")
    assert placed == uploaded == {"u1": 4, "x9": 1}
    assert placed_rows == uploaded_rows == (6, 5, 1)
    # 3 events with neither id, 1 of them (u1's order) a person's; d1 had one person: its 2 unsigned events (row 1,
    # and row 4 read by distinct_id) are u1's
    assert placed_notes == uploaded_notes
    assert ("1 browser or device had one person signing in: 2 events there without signing in are that person's. "
            "3 events with neither '$user_id' nor '$device_id' (tracked by a server, say) are read by 'distinct_id': "
            "1 event of a person who signed in with that id on other events (such as 'u1') is that person's; 2 events "
            "are read as a browser or device id.") in uploaded_notes[0]


@pytest.mark.postgres
def test_a_fallback_id_and_a_numbered_cookie_in_a_postgresql_table_give_the_uploads_customers(postgres_url):
    # the Mixpanel rows above: u1 4, x9 1, the row with no id rejected; then the cookie file above: 1001, and the two
    # cookies '1001 (cookie_id)' (as written) and '1001 (cookie_id 2)' (set apart), one event each
    import sqlalchemy

    from cjm.data.source import dataset_from_table

    mixpanel = ("distinct_id,$user_id,$device_id,time,event\n$device:d1,,d1,2024-03-01 09:00,view\n"
                "u1,u1,d1,2024-03-01 09:01,login\nu1,,,2024-03-01 09:05,Order Completed\n"
                "d1,,,2024-03-01 09:06,view\nx9,,,2024-03-01 09:07,view\n,,,2024-03-01 09:08,view\n")
    cookies = ("cookie_id,customer_id,timestamp,event\n1001,,2024-03-01 09:00,view\n"
               "1002,1001,2024-03-01 09:01,view\n1001 (cookie_id),,2024-03-01 09:02,view\n")
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        for table, text in (("mixpanel", mixpanel), ("cookies", cookies)):
            header, *lines = text.splitlines()
            con.exec_driver_sql(f"CREATE TABLE {table} (" + ", ".join(f'"{c}" text' for c in header.split(",")) + ")")
            for line in lines:
                con.exec_driver_sql(f"INSERT INTO {table} VALUES (" + ", ".join(["%s"] * len(line.split(","))) + ")",
                                    tuple(v or None for v in line.split(",")))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        for table, text, expected, rows in (("mixpanel", mixpanel, {"u1": 4, "x9": 1}, (6, 5, 1)),
                                            ("cookies", cookies, {"1001": 1, "1001 (cookie_id)": 1,
                                                                  "1001 (cookie_id 2)": 1}, (3, 3, 0))):
            mapping = parse_files([SourceFile(f"{table}.csv", text.encode())]).files[0].mapping
            dataset = dataset_from_table(backend, table, mapping=mapping)
            placed = backend.execute(dataset.events.select("customer_id"))["customer_id"].value_counts().to_dict()
            assert placed == expected
            accounting = dataset.accounting
            assert (accounting.rows_in, accounting.rows_used, accounting.rows_rejected) == rows
    finally:
        backend.close()


def test_a_mixpanel_mapping_names_distinct_id_as_the_fallback_and_saves_it():
    # the guess: $device_id the anonymous id, $user_id who signed in, distinct_id the fallback; kept through a save
    from cjm.data.columns import ColumnMapping

    text = "distinct_id,$user_id,$device_id,time,event\nu1,u1,d1,2024-03-01 09:01,login\nd2,,d2,2024-03-01 09:02,view\n"
    mapping = parse_files([SourceFile("mp.csv", text.encode())]).files[0].mapping
    assert (mapping.columns["customer_id"], mapping.signed_in_id, mapping.fallback_id) == (
        "$device_id", "$user_id", "distinct_id")
    assert ColumnMapping.from_dict(mapping.to_dict()) == mapping


def test_a_fallback_id_that_is_the_customer_id_column_is_refused_with_the_fix():
    from cjm.errors import MappingError

    mapping = ColumnMapping(columns={**COLUMNS, "customer_id": "cookie_id"}, signed_in_id="user_id",
                            fallback_id="cookie_id")
    text = "cookie_id,user_id,timestamp,event\nc1,u1,2024-03-01 09:00,view\n"
    with pytest.raises(MappingError, match="fallback id column 'cookie_id' is also the customer id column"):
        parse_files([SourceFile("shop.csv", text.encode())], mappings={"shop.csv": mapping})


# ---------------------------------------------------------------------------------------------------------------------
# 4. Scores of words read in place

SCORED = ColumnMapping(columns={**COLUMNS, "score": "score"})


def _scores(tmp_path, cells: list[str]) -> tuple[list, list, list, list]:
    """(scores read in place, uploaded; notes on 'score' in place, uploaded), rows in file order."""
    text = "customer_id,timestamp,event,score\n" + "".join(f"c{i},2024-03-01 09:00:00,view,{v}\n"
                                                           for i, v in enumerate(cells))
    path = tmp_path / "scores.csv"
    path.write_text(text)
    dataset = dataset_from_files(path, mapping=SCORED)
    parsed = parse_files([SourceFile("scores.csv", text.encode())], mappings={"scores.csv": SCORED})
    order = lambda s: s.str[1:].astype(int)  # noqa: E731
    placed = engine.execute(dataset.events.select("customer_id", "score")).sort_values("customer_id", key=order)
    uploaded = parsed_rows(parsed).sort_values("customer_id", key=order)
    return (placed["score"].tolist(), uploaded["score"].tolist(),
            [n for n in dataset.files[0].notes if "'score'" in n], [n for n in parsed.files[0].notes if "'score'" in n])


def test_a_label_column_with_ratings_among_its_first_20000_cells_is_read_as_labels_in_place_as_uploaded(tmp_path):
    # 1,500 ratings '4' then 18,500 'positive' then 30,000 'negative': the ratings are 7.5% of the first 20,000 cells
    # but 1,500 / 50,000 = 3% of the column, under 5%: labels. Scores: 1,500 empty, 18,500 x +1, 30,000 x -1
    cells = ["4"] * 1_500 + ["positive"] * 18_500 + ["negative"] * 30_000
    placed, uploaded, placed_notes, uploaded_notes = _scores(tmp_path, cells)
    for scores in (placed, uploaded):
        numbers = pd.Series(scores)
        assert numbers.isna().sum() == 1_500 and (numbers == 1).sum() == 18_500 and (numbers == -1).sum() == 30_000
    assert any(n.startswith("1,500 values in 'score'") for n in placed_notes)
    assert any(n.startswith("1,500 values in 'score'") for n in uploaded_notes)


def test_a_label_columns_unreadable_cells_are_counted_in_place_as_uploaded(tmp_path):
    # 40 labels, 'STAR_RATING_UNSPECIFIED' (Google's no stars: no label) and 'great': 2 of 42 present cells are no
    # label, 4.8% (labels read); both counted as unreadable, as the upload counts them
    cells = ["negative"] * 40 + ["STAR_RATING_UNSPECIFIED", "great"]
    _, _, placed_notes, uploaded_notes = _scores(tmp_path, cells)
    assert any(n.startswith("2 values in 'score' are not a number") for n in placed_notes)
    assert any(n.startswith("2 values in 'score' are not numbers") for n in uploaded_notes)


def test_star_words_with_a_survey_offered_count_it_as_unreadable_in_place_as_uploaded(tmp_path):
    # 20 star words and one 'Offered' (Zendesk's no answer, no star word): 20 / 21 = 95.2% >= 95%: stars; 'Offered'
    # is 1 unreadable cell, in place as uploaded. Scores: FIVE 5, one 1, ' Four ' 4
    cells = ["FIVE"] * 18 + ["one", " Four ", "Offered"]
    placed, uploaded, placed_notes, uploaded_notes = _scores(tmp_path, cells)
    assert placed[:18] == uploaded[:18] == [5.0] * 18 and placed[18:20] == uploaded[18:20] == [1.0, 4.0]
    assert any(n.startswith("1 value in 'score' is not a number") for n in placed_notes)
    assert any(n.startswith("1 value in 'score' is not a number") for n in uploaded_notes)


def test_sentiment_labels_of_zendesk_and_freshdesk_in_any_case_read_in_place_as_uploaded(tmp_path):
    # Good +1, ' bad ' -1, Offered no answer, 'Extremely Satisfied' +1, 'very dissatisfied' -2/3, 'Just Okay' 0,
    # N/A missing
    cells = ["Good", " bad ", "Offered", "Extremely Satisfied", "very dissatisfied", "Just Okay", "N/A"]
    placed, uploaded, placed_notes, uploaded_notes = _scores(tmp_path, cells)
    expected = [1.0, -1.0, None, 1.0, -2 / 3, 0.0, None]
    for scores in (placed, uploaded):
        assert [None if s != s else pytest.approx(s) for s in scores] == expected
    assert placed_notes == uploaded_notes == []


@pytest.mark.postgres
def test_a_postgresql_text_column_of_times_with_and_without_offsets_reads_them_as_uploaded(postgres_url):
    # Kolkata (+05:30): 'gmt', ' UTC' and 'Z' are 09:00 UTC; '+05:30' 03:30; no offset, 09:00 IST = 03:30
    import sqlalchemy

    from cjm.data.source import dataset_from_table

    written = {"a": "2024-03-01 09:00:00 gmt", "b": "2024-03-01 09:00:00 UTC", "c": "2024-03-01T09:00:00Z",
               "d": "2024-03-01 09:00:00+05:30", "e": "2024-03-01 09:00:00"}
    expected = {"a": "2024-03-01 09:00:00", "b": "2024-03-01 09:00:00", "c": "2024-03-01 09:00:00",
                "d": "2024-03-01 03:30:00", "e": "2024-03-01 03:30:00"}
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql("CREATE TABLE kolkata_texts (customer_id text, written text, event text)")
        for customer, value in written.items():
            con.exec_driver_sql("INSERT INTO kolkata_texts VALUES (%s, %s, 'view')", (customer, value))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        mapping = ColumnMapping(columns={**COLUMNS, "timestamp": "written"}, timezone="Asia/Kolkata")
        rows = backend.execute(dataset_from_table(backend, "kolkata_texts", mapping=mapping).events
                               .select("customer_id", "timestamp"))
        assert dict(zip(rows["customer_id"], _utc(rows["timestamp"]))) == expected
    finally:
        backend.close()
