"""Review of the time-zone column rule (cjm.data.zones) with small hostile exports: dates without times, 'NA' zones,
half-hour and +14 offsets, lower case, the 90% rule, a zone column mapped as something else, Excel datetimes; an
upload and a table read in place by DuckDB give the same times. Expected times worked out by hand beside each."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, parse_files
from cjm.data.source import dataset_from_table
from tests.helpers import parsed_rows

HEADER = '"Date","Time","TimeZone","Name","Type","Gross"\n'


def _upload(text: str, name: str = "Download.CSV", mapping: ColumnMapping | None = None):
    return parse_files([SourceFile(name, text.encode())], mappings={name: mapping} if mapping else None)


def _times(parsed) -> list[str]:
    return [t.strftime("%Y-%m-%d %H:%M") for t in parsed_rows(parsed)["timestamp"]]


def _in_place(frame: pd.DataFrame, mapping: ColumnMapping):
    backend = engine.local()
    backend.register(frame, name="paypal_r21")
    dataset = dataset_from_table(backend, "paypal_r21", mapping=mapping)
    events = engine.execute(dataset.events).sort_values("customer_id")  # the names run in file order
    return [t.strftime("%Y-%m-%d %H:%M") for t in events["timestamp"]], dataset.files[0].notes


def _zone_notes(notes) -> list[str]:
    return [n for n in notes if "time zone" in n]


DATES_ONLY = ('"Date","TimeZone","Name","Type","Gross"\n'
              '"03/01/2024","CET","Ann Lee","Website Payment","10.00"\n'
              '"03/02/2024","PST","Bo Ray","Website Payment","20.00"\n')
DATES_NOTE = ("'TimeZone' names a time zone on each row, but 'Date' holds dates without times: each event stays on "
              "its own date (a date names a day, not a moment to move to UTC).")


def test_dates_without_times_beside_a_zone_column_stay_on_their_own_dates():
    # 1 March in CET moved to UTC would be 29 Feb 23:00 (the day before: a February event in a monthly period, a
    # Thursday in the day map); a date names a day, so each stays at its own midnight: 1 Mar, 2 Mar
    parsed = _upload(DATES_ONLY)
    assert _times(parsed) == ["2024-03-01 00:00", "2024-03-02 00:00"]
    assert DATES_NOTE in parsed.files[0].notes
    assert not any("moved to UTC." in n for n in parsed.files[0].notes)


def test_dates_without_times_read_in_place_stay_on_their_own_dates():
    # the same two dates as a DuckDB table with a DATE column and with ISO text: 1 Mar and 2 Mar, not 29 Feb 23:00
    mapping = ColumnMapping(columns={"customer_id": "Name", "timestamp": "Date", "event": "Type"})
    for dates in ([dt.date(2024, 3, 1), dt.date(2024, 3, 2)], ["2024-03-01", "2024-03-02"]):
        frame = pd.DataFrame({"Date": dates, "TimeZone": ["CET", "PST"], "Name": ["Ann Lee", "Bo Ray"],
                              "Type": ["Website Payment"] * 2})
        times, notes = _in_place(frame, mapping)
        assert times == ["2024-03-01 00:00", "2024-03-02 00:00"]
        assert DATES_NOTE in notes and _zone_notes(notes) == [DATES_NOTE]


def test_the_day_map_of_dates_read_in_place_beside_a_zone_column_knows_they_have_no_times():
    from cjm.maps.day import build_day_map

    # 1 Mar 2024 is a Friday, 2 Mar a Saturday: one each, dates without times (before: 29 Feb 23:00 and 2 Mar 08:00
    # UTC, two times of day the day map took for real hours, Ann's payment in Thursday's 21-24 block)
    frame = pd.DataFrame({"Date": [dt.date(2024, 3, 1), dt.date(2024, 3, 2)], "TimeZone": ["CET", "PST"],
                          "Name": ["Ann Lee", "Bo Ray"], "Type": ["Website Payment"] * 2})
    backend = engine.local()
    backend.register(frame, name="paypal_days_r21")
    dataset = dataset_from_table(backend, "paypal_days_r21", mapping=ColumnMapping(
        columns={"customer_id": "Name", "timestamp": "Date", "event": "Type"}))
    note = build_day_map(dataset).hours_note
    assert note.startswith("The data has dates without times: every interaction is at midnight UTC")
    assert note.endswith("Mon 0%, Tue 0%, Wed 0%, Thu 0%, Fri 50%, Sat 50%, Sun 0%.")


def test_excel_dates_at_midnight_beside_a_zone_column_stay_on_their_dates():
    # Excel date cells are datetimes at 00:00: 1 Mar and 2 Mar CET stay 1 Mar and 2 Mar (not 29 Feb / 1 Mar 23:00)
    frame = pd.DataFrame({"Date": [dt.datetime(2024, 3, 1), dt.datetime(2024, 3, 2)], "TimeZone": ["CET", "CET"],
                          "Name": ["Ann Lee", "Bo Ray"], "Type": ["Website Payment"] * 2, "Gross": [10.0, 20.0]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    assert _times(parse_files([SourceFile("Download.xlsx", buffer.getvalue())])) == ["2024-03-01 00:00",
                                                                                      "2024-03-02 00:00"]


def test_excel_datetimes_with_times_are_moved_by_their_zone():
    # 9 Mar 23:30 PST (UTC-8) = 10 Mar 07:30 UTC; 10 Mar 09:00 PDT (UTC-7) = 16:00 UTC
    frame = pd.DataFrame({"Date": [dt.datetime(2024, 3, 9, 23, 30), dt.datetime(2024, 3, 10, 9, 0)],
                          "TimeZone": ["PST", "PDT"], "Name": ["Ann Lee", "Bo Ray"], "Type": ["Website Payment"] * 2,
                          "Gross": [10.0, 20.0]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    assert _times(parse_files([SourceFile("Download.xlsx", buffer.getvalue())])) == ["2024-03-10 07:30",
                                                                                      "2024-03-10 16:00"]


ODD_ZONES = (HEADER +
             '"01/15/2024","10:00:00","pst","Ann Lee","Website Payment","10.00"\n'
             '"01/15/2024","10:00:00","UTC+14","Bo Ray","Website Payment","10.00"\n'
             '"01/15/2024","10:00:00","GMT","Cy Fox","Website Payment","10.00"\n'
             '"07/15/2024","10:00:00","BST","Di Gu","Website Payment","10.00"\n'
             '"01/15/2024","10:00:00","UTC-12","Ed Ho","Website Payment","10.00"\n'
             '"01/15/2024","10:00:00","+05:45","Fa Li","Website Payment","10.00"\n'
             '"01/15/2024","10:00:00","ACST","Gu Mo","Website Payment","10.00"\n'
             '"12/31/2024","20:00:00","PST","Hu No","Website Payment","10.00"\n')
# pst (lower case) -8: 18:00; UTC+14: 20:00 the day before; GMT 0: 10:00; BST +1 (15 Jul): 09:00; UTC-12: 22:00;
# +05:45 (Nepal): 04:15; ACST +9:30: 00:30; 31 Dec 20:00 PST: 1 Jan 2025 04:00 (a new date and year)
ODD_UTC = ["2024-01-15 18:00", "2024-01-14 20:00", "2024-01-15 10:00", "2024-07-15 09:00", "2024-01-15 22:00",
           "2024-01-15 04:15", "2024-01-15 00:30", "2025-01-01 04:00"]


def test_lower_case_half_and_quarter_hours_plus_14_and_gmt_beside_bst():
    assert _times(_upload(ODD_ZONES)) == ODD_UTC


def test_a_table_read_in_place_gives_the_same_odd_zones_as_the_upload():
    frame = pd.read_csv(io.StringIO(ODD_ZONES), dtype=str)
    frame["Date"] = pd.to_datetime(frame["Date"], format="%m/%d/%Y").dt.strftime("%Y-%m-%d")  # as a database
    mapping = ColumnMapping(columns={"customer_id": "Name", "timestamp": "Date", "event": "Type"}, time_of_day="Time")
    times, notes = _in_place(frame, mapping)
    assert times == ODD_UTC
    # 8 distinct zones, 6 shown in order (sorted as written), "and 2 more"
    assert _zone_notes(notes) == ["The times in 'Date' are read in the time zone 'TimeZone' names on each row "
                                  "(+05:45, ACST, BST, GMT, PST, UTC+14 and 2 more) and moved to UTC."]


NA_ZONE = (HEADER + '"01/15/2024","10:00:00","NA","Ann Lee","Website Payment","10.00"\n'
                    '"01/15/2024","10:00:00","PST","Bo Ray","Website Payment","10.00"\n'
                    '"01/16/2024","11:00:00","PST","Cy Fox","Website Payment","10.00"\n')


def test_a_zone_written_na_is_no_zone_not_an_unknown_one():
    # 'NA' is an empty cell (as everywhere in cjm): 2 of 2 filled zones are known (100% >= 90%), so the PST rows move:
    # 10:00 PST = 18:00 UTC, 11:00 PST = 19:00 UTC; Ann's row keeps 10:00 and the note counts it (before: 2 of 3
    # known, 67% < 90%, and nothing moved at all)
    parsed = _upload(NA_ZONE)
    assert _times(parsed) == ["2024-01-15 10:00", "2024-01-15 18:00", "2024-01-16 19:00"]
    assert _zone_notes(parsed.files[0].notes)[0].endswith("(PST) and moved to UTC. 1 row names no zone cjm knows and "
                                                          "is read in UTC.")
    frame = pd.DataFrame({"Date": ["2024-01-15", "2024-01-15", "2024-01-16"], "Time": ["10:00:00", "10:00:00",
                          "11:00:00"], "TimeZone": ["NA", "PST", "PST"], "Name": ["Ann Lee", "Bo Ray", "Cy Fox"],
                          "Type": ["Website Payment"] * 3})
    times, _ = _in_place(frame, ColumnMapping(columns={"customer_id": "Name", "timestamp": "Date", "event": "Type"},
                                              time_of_day="Time"))
    assert times == ["2024-01-15 10:00", "2024-01-15 18:00", "2024-01-16 19:00"]


def _zones(known: int, unknown: int) -> str:
    return HEADER + "".join(f'"01/15/2024","10:00:00","PST","c{i}","Website Payment","1.00"\n' for i in range(known)) \
        + "".join(f'"01/15/2024","10:00:00","IST","d{i}","Website Payment","1.00"\n' for i in range(unknown))


def test_nine_known_zones_of_ten_move_their_rows_and_the_tenth_is_counted():
    # 9 of 10 = 90% >= 90%: 9 PST rows at 18:00 UTC, the IST row (India, Ireland or Israel) kept at 10:00
    parsed = _upload(_zones(9, 1))
    assert _times(parsed) == ["2024-01-15 18:00"] * 9 + ["2024-01-15 10:00"]
    assert _zone_notes(parsed.files[0].notes)[0].endswith("1 row names no zone cjm knows and is read in UTC.")


def test_eight_known_zones_of_ten_move_nothing():
    # 8 of 10 = 80% < 90%: the column is not read, every row as written (10:00 UTC)
    assert _times(_upload(_zones(8, 2))) == ["2024-01-15 10:00"] * 10


UNREAD = ("'TimeZone' names a time zone on each row, but 2 of its 10 zones are none cjm knows ('IST'): too many to "
          "read the column (cjm reads it when 90% are known), so no time is moved and the times in 'Date' are read "
          "as written, in UTC.")


def test_a_zone_column_too_mixed_to_read_is_named_on_the_data_page():
    # 8 of 10 known (80% < 90%): nothing moves, and the Data page says the column was seen and not read (before: no
    # word, and eight PST times sat eight hours early)
    assert UNREAD in _upload(_zones(8, 2)).files[0].notes
    frame = pd.read_csv(io.StringIO(_zones(8, 2)), dtype=str)
    frame["Date"] = "2024-01-15"
    times, notes = _in_place(frame, ColumnMapping(columns={"customer_id": "Name", "timestamp": "Date",
                                                           "event": "Type"}, time_of_day="Time"))
    assert times == ["2024-01-15 10:00"] * 10 and UNREAD in notes


def test_a_zone_column_cjm_reads_on_no_row_says_nothing():
    # every row 'IST' (India, Ireland or Israel): not evidently the zone of the times; as CST alone, nothing moves
    # and nothing is said
    parsed = _upload(_zones(0, 3))
    assert _times(parsed) == ["2024-01-15 10:00"] * 3
    assert not any("TimeZone" in n for n in parsed.files[0].notes)


def test_a_zone_column_mapped_as_the_channel_moves_nothing():
    # the user mapped 'TimeZone' as the channel: it is a channel then, and 10:00 stays 10:00
    mapping = ColumnMapping(columns={"customer_id": "Name", "timestamp": "Date", "event": "Type",
                                     "channel": "TimeZone"}, time_of_day="Time")
    text = HEADER + ('"01/15/2024","10:00:00","PST","Ann Lee","Website Payment","10.00"\n'
                     '"01/16/2024","10:00:00","PST","Bo Ray","Website Payment","10.00"\n')
    parsed = _upload(text, mapping=mapping)
    assert _times(parsed) == ["2024-01-15 10:00", "2024-01-16 10:00"]
    assert _zone_notes(parsed.files[0].notes) == []
    frame = pd.DataFrame({"Date": ["2024-01-15", "2024-01-16"], "Time": ["10:00:00"] * 2, "TimeZone": ["PST"] * 2,
                          "Name": ["Ann Lee", "Bo Ray"], "Type": ["Website Payment"] * 2})
    assert _in_place(frame, mapping)[0] == ["2024-01-15 10:00", "2024-01-16 10:00"]


def test_a_wide_file_with_a_zone_column_is_read_as_written():
    # a wide file (one row per customer, a date column per step): no zone column rule, 10:00 stays 10:00
    parsed = _upload("customer_id,TimeZone,signup_date,purchase_date\n"
                     "a,PST,2024-01-01 10:00,2024-01-05 12:00\nb,PST,2024-01-02 10:00,2024-01-06 12:00\n", "w.csv")
    assert parsed.files[0].mapping.shape == "wide"
    assert _times(parsed) == ["2024-01-01 10:00", "2024-01-05 12:00", "2024-01-02 10:00", "2024-01-06 12:00"]


def test_the_hour_written_twice_when_summer_time_ends_is_told_apart_by_its_zone():
    # 3 Nov 2024, US clocks go back at 02:00 PDT: 01:30 PDT (UTC-7) = 08:30 UTC, then 01:30 PST (UTC-8) = 09:30 UTC,
    # an hour later though written alike; 10 Mar 2024, 01:59 PST = 09:59 UTC and 03:00 PDT = 10:00 UTC, a minute apart
    parsed = _upload(HEADER + '"11/03/2024","01:30:00","PDT","Ann Lee","Website Payment","10.00"\n'
                              '"11/03/2024","01:30:00","PST","Ann Lee","Website Payment","10.00"\n'
                              '"03/10/2024","01:59:00","PST","Bo Ray","Website Payment","10.00"\n'
                              '"03/10/2024","03:00:00","PDT","Bo Ray","Website Payment","10.00"\n')
    assert _times(parsed) == ["2024-11-03 08:30", "2024-11-03 09:30", "2024-03-10 09:59", "2024-03-10 10:00"]


PAYPAL = (HEADER + '"03/09/2024","23:30:00","PST","Ann Lee","Website Payment","10.00"\n'
                   '"03/10/2024","09:00:00","PDT","Ann Lee","Website Payment","20.00"\n'
                   '"03/10/2024","18:15:00","PDT","Bo Ray","Website Payment","30.00"\n')


def test_a_paypal_export_read_in_place_with_unambiguous_iso_dates_matches_the_upload(tmp_path):
    from cjm.data.source import dataset_from_files

    # the same three payments with ISO dates: 9 Mar 23:30 PST = 10 Mar 07:30 UTC, 09:00 PDT = 16:00, 18:15 PDT = 01:15
    path = tmp_path / "Download.CSV"
    path.write_text(PAYPAL.replace('"03/09/2024"', '"2024-03-09"').replace('"03/10/2024"', '"2024-03-10"'))
    events = engine.execute(dataset_from_files(path).events).sort_values(["customer_id", "timestamp"])
    assert [t.strftime("%Y-%m-%d %H:%M") for t in events["timestamp"]] == [
        "2024-03-10 07:30", "2024-03-10 16:00", "2024-03-11 01:15"]


def test_a_paypal_export_read_in_place_gives_the_uploads_times(tmp_path):
    # before stop 28: 2024-09-04 07:30, 2024-10-03 16:00 and 2024-10-04 01:15: DuckDB's CSV sniffer read the
    # ambiguous 03/09/2024 day-first (3 September) where the upload reads it month-first, as PayPal writes it
    from cjm.data.source import dataset_from_files

    # as the upload reads it (month-first, PayPal US): 10 Mar 07:30, 10 Mar 16:00, 11 Mar 01:15 UTC
    path = tmp_path / "Download.CSV"
    path.write_text(PAYPAL)
    assert _times(_upload(PAYPAL)) == ["2024-03-10 07:30", "2024-03-10 16:00", "2024-03-11 01:15"]
    events = engine.execute(dataset_from_files(path).events).sort_values(["customer_id", "timestamp"])
    assert [t.strftime("%Y-%m-%d %H:%M") for t in events["timestamp"]] == [
        "2024-03-10 07:30", "2024-03-10 16:00", "2024-03-11 01:15"]


@pytest.mark.postgres
def test_postgresql_keeps_dates_without_times_on_their_dates(postgres_url):
    import sqlalchemy

    # as DuckDB: 1 Mar CET and 2 Mar PST stay 1 Mar and 2 Mar (not 29 Feb 23:00 and 2 Mar 08:00)
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql('CREATE TABLE paypal_days ("Date" date, "TimeZone" text, "Name" text, "Type" text)')
        con.exec_driver_sql("INSERT INTO paypal_days VALUES ('2024-03-01', 'CET', 'Ann Lee', 'Website Payment'), "
                            "('2024-03-02', 'PST', 'Bo Ray', 'Website Payment')")
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        dataset = dataset_from_table(backend, "paypal_days", mapping=ColumnMapping(
            columns={"customer_id": "Name", "timestamp": "Date", "event": "Type"}))
        events = engine.execute(dataset.events).sort_values("customer_id")
        assert [t.strftime("%Y-%m-%d %H:%M") for t in events["timestamp"]] == ["2024-03-01 00:00", "2024-03-02 00:00"]
        assert DATES_NOTE in dataset.files[0].notes
    finally:
        backend.close()
