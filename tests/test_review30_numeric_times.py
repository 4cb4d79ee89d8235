"""Review of 6be52f8: times written as numbers, read in place (cjm.data.numeric_times), against the upload of the same
file (cjm.data.timestamps through tests.helpers.parsed_text) and against a plain numpy reference written here. Every
expected time and count is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, parse_files
from cjm.data.source import dataset_from_files, dataset_from_table
from tests.helpers import parsed_rows, parsed_text

MAPPING = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "ts", "event": "event"})
HEADER = "customer_id,ts,event\n"


def reference(number: float, style: str) -> str | None:
    """The time a number writes, by the rules cjm documents, in plain numpy: epoch seconds, milliseconds or
    microseconds from 1970-01-01 UTC (ties to the even microsecond, as numpy's rint), Excel days from 1899-12-30 to
    the millisecond, YYYYMMDD a calendar date; None when out of the style's range or no date."""
    ranges = {"s": (1e8, 1e10), "ms": (1e11, 1e13), "us": (9.4e14, 4.2e15), "excel": (20_000, 80_000),
              "yyyymmdd": (19000101, 21001231)}
    low, high = ranges[style]
    if not np.isfinite(number) or not low <= number < high:
        return None
    if style in ("s", "ms", "us"):
        micros = int(np.rint(number * {"s": 1e6, "ms": 1e3, "us": 1.0}[style]))
        stamp = np.datetime64(0, "us") + np.timedelta64(micros, "us")
    elif style == "excel":
        stamp = np.datetime64("1899-12-30", "us") + np.timedelta64(int(np.rint(number * 86_400_000)), "ms")
    else:
        if number != int(number):
            return None
        whole = int(number)
        try:
            stamp = np.datetime64(pd.Timestamp(year=whole // 10_000, month=whole // 100 % 100, day=whole % 100), "us")
        except ValueError:
            return None
    stamp = pd.Timestamp(stamp)
    return None if not pd.Timestamp("1900-01-01") <= stamp <= pd.Timestamp("2100-01-01") else str(stamp)


def _in_place(tmp_path, text: str, mapping=MAPPING, name: str = "export.csv"):
    path = tmp_path / name
    path.write_text(text)
    dataset = dataset_from_files(path, mapping=mapping)
    return dataset, _rows(engine.execute(dataset.events.select("customer_id", "timestamp", "event")))


def _upload(text: str, mapping=MAPPING):
    parsed = parse_files([SourceFile("export.csv", text.encode())], mappings={"export.csv": mapping}) \
        if mapping is not None else parsed_text(text)
    return parsed, _rows(parsed_rows(parsed))


def _rows(frame) -> list[tuple[str, str]]:
    """(customer, UTC time without its zone) of each row, sorted."""
    stamps = [pd.Timestamp(t) for t in frame["timestamp"]]
    stamps = [str(t.tz_convert("UTC").tz_localize(None) if t.tzinfo else t) for t in stamps]
    return sorted(zip(frame["customer_id"].astype(str), stamps))


def _both(tmp_path, text: str, mapping=MAPPING):
    """(rows in place, rows uploaded, reasons in place, reasons uploaded)."""
    dataset, inplace = _in_place(tmp_path, text, mapping)
    parsed, uploaded = _upload(text, mapping)
    return inplace, uploaded, dataset.accounting.reasons, parsed.accounting.reasons


def test_the_reference_reads_the_documented_examples():
    # 1709283600 s = 2024-03-01 09:00:00 UTC (19783 days from 1970 = 2024-03-01, 1709283600 - 19783 * 86400 = 32400 s
    # = 09:00); 45292.5 = 2024-01-01 12:00 (45292 days from 1899-12-30); 20240229 is a leap day, 20230229 is none
    assert reference(1709283600, "s") == "2024-03-01 09:00:00"
    assert reference(45292.5, "excel") == "2024-01-01 12:00:00"
    assert reference(20240229, "yyyymmdd") == "2024-02-29 00:00:00"
    assert reference(20230229, "yyyymmdd") is None
    # 1709283600000000.5 µs is a tie: to the even microsecond ...000
    assert reference(1709283600000000.5, "us") == "2024-03-01 09:00:00"


def test_epoch_milliseconds_with_a_few_seconds_empty_negative_and_huge_cells_match_the_upload(tmp_path):
    # ms: a 1709283600000 = 09:00:00, c 1709283602000 = 09:00:02, f 1709283603000 = 09:00:03 (2024-03-01 UTC).
    # b's seconds (1.7e9 < 1e11), d's negative and e's 1e25 are out of the ms range: 3 unparseable; g empty: missing
    text = HEADER + ("a,1709283600000,view\nb,1709283600,view\nc,1709283602000,view\nd,-1709283602000,view\n"
                     "e,1e25,buy\nf,1709283603000,buy\ng,,buy\n")
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    expected = [("a", "2024-03-01 09:00:00"), ("c", "2024-03-01 09:00:02"), ("f", "2024-03-01 09:00:03")]
    assert inplace == expected == uploaded
    assert [t for _, t in expected] == [reference(n, "ms") for n in (1709283600000, 1709283602000, 1709283603000)]
    assert reasons == {"unparseable timestamp": 3, "missing timestamp": 1} == upload_reasons


def test_epoch_milliseconds_with_na_cells_which_duckdb_reads_as_text_are_read_as_numbers(tmp_path):
    # 'NA' makes DuckDB's sniffer read the column as VARCHAR; the upload still reads the numbers: a 1709283600000 ms
    # = 2024-03-01 09:00:00 UTC, c 1709283660000 = 09:01:00; b's 'NA' is an unparseable timestamp in the upload
    # (6be52f8 cast the text to a timestamp: every row unparseable, "No usable rows")
    text = HEADER + "a,1709283600000,view\nb,NA,view\nc,1709283660000,buy\n"
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    assert inplace == [("a", "2024-03-01 09:00:00"), ("c", "2024-03-01 09:01:00")] == uploaded
    assert reasons == {"unparseable timestamp": 1} == upload_reasons


def test_yyyymmdd_with_na_cells_reads_leap_days_and_rejects_dates_that_do_not_exist(tmp_path):
    # text because of 'NA'. 20240229: 2024 is a leap year, a date; 20230229: 2023 is not, no date; 20240001: month 00;
    # 20240100: day 00; 'NA': 4 unparseable, as uploaded
    text = HEADER + ("a,20240301,view\nb,NA,view\nc,20240229,view\nd,20230229,buy\ne,20240001,buy\n"
                     "f,20240100,buy\n")
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    assert inplace == [("a", "2024-03-01 00:00:00"), ("c", "2024-02-29 00:00:00")] == uploaded
    assert reasons == {"unparseable timestamp": 4} == upload_reasons


def test_epoch_microseconds_halfway_between_two_round_to_the_even_one_as_uploaded(tmp_path):
    # float64 holds 1709283600000000.5 exactly (below 2**51 its step is 0.25). numpy's rint (the upload) takes a tie
    # to the even whole number: .0.5 -> ...000 (09:00:00), ...003.5 -> ...004 (09:00:00.000004), ...001.5 -> ...002.
    # 6be52f8's SQL round() went away from zero: a at 09:00:00.000001
    text = HEADER + "a,1709283600000000.5,view\nb,1709283600000003.5,view\nc,1709283600000001.5,buy\n"
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    expected = [("a", "2024-03-01 09:00:00"), ("b", "2024-03-01 09:00:00.000004"),
                ("c", "2024-03-01 09:00:00.000002")]
    assert inplace == expected == uploaded
    assert [reference(n, "us") for n in (1709283600000000.5, 1709283600000003.5, 1709283600000001.5)] == \
        ["2024-03-01 09:00:00", "2024-03-01 09:00:00.000004", "2024-03-01 09:00:00.000002"]
    assert reasons == {} == upload_reasons


def test_the_style_is_the_one_of_most_of_the_column_not_of_its_first_thousand_rows(tmp_path):
    # 1001 rows of epoch seconds first, then 2000 of epoch milliseconds: most of the file (2000 of 3001) is ms, and the
    # upload's evenly spread sample says ms; 6be52f8 read the first 1000 filled values (all seconds) and rejected the
    # 2000 ms rows. As uploaded: the 1001 seconds rows are unparseable (below 1e11), the ms rows kept.
    seconds = [f"s{i},{1709283600 + i},view" for i in range(1001)]
    millis = [f"m{i},{1709283600000 + 1000 * i},buy" for i in range(2000)]
    text = HEADER + "\n".join(seconds + millis) + "\n"
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    assert reasons == {"unparseable timestamp": 1001} == upload_reasons
    # m0 = 1709283600000 ms = 2024-03-01 09:00:00; m1999 = +1999 s = 09:33:19
    assert inplace == uploaded
    assert len(inplace) == 2000
    assert ("m0", "2024-03-01 09:00:00") in inplace and ("m1999", "2024-03-01 09:33:19") in inplace


@pytest.mark.parametrize("first", ["milliseconds", "seconds"])
def test_as_many_seconds_as_milliseconds_read_in_the_style_the_file_writes_first_as_uploaded(tmp_path, first):
    # two rows of each: a tie. The upload counts its sample in file order and keeps the first style on a tie, so the
    # file beginning with milliseconds keeps a, b (1709283600000 ms = 09:00:00, +1 s) and rejects c, d as
    # unparseable; the one beginning with seconds keeps c, d (1709283600 s = 09:00:00, +1 s).
    # Counted over the whole column without this tie-break, seconds won every tie (the order of the styles).
    millis, seconds = "a,1709283600000,view\nb,1709283601000,view\n", "c,1709283600,buy\nd,1709283601,buy\n"
    text = HEADER + (millis + seconds if first == "milliseconds" else seconds + millis)
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    kept = ("a", "b") if first == "milliseconds" else ("c", "d")
    assert inplace == [(kept[0], "2024-03-01 09:00:00"), (kept[1], "2024-03-01 09:00:01")] == uploaded
    assert reasons == {"unparseable timestamp": 2} == upload_reasons


LATE = 25_000  # rows before the late cell: DuckDB's sniffer types a column from its first 20,480 rows


def test_a_decimal_or_na_after_the_sniffers_rows_in_an_epoch_column_reads_as_uploaded(tmp_path):
    # 25,000 rows of whole epoch ms (c0 = 1709283600000 = 2024-03-01 09:00:00 UTC, one ms apart), then z at
    # 1709283600000.5 ms = 09:00:00.0005 (no tie: 500 µs) and y at 'NA' (unparseable, as uploaded). Before: the
    # column typed BIGINT from the first rows, DuckDB rounded z to 09:00:00.001 and failed the read on 'NA'.
    rows = [f"c{i},{1709283600000 + i},view" for i in range(LATE)] + ["z,1709283600000.5,buy", "y,NA,buy"]
    text = HEADER + "\n".join(rows) + "\n"
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    assert ("z", "2024-03-01 09:00:00.000500") in inplace
    assert inplace == uploaded and len(inplace) == LATE + 1
    assert reasons == {"unparseable timestamp": 1} == upload_reasons


def test_an_na_after_the_sniffers_rows_in_a_column_of_written_times_reads_as_uploaded(tmp_path):
    # 25,000 rows at 2024-03-01 09:00:00, then y at 'NA': unparseable, as uploaded
    rows = [f"c{i},2024-03-01 09:00:00,view" for i in range(LATE)] + ["y,NA,buy"]
    text = HEADER + "\n".join(rows) + "\n"
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    assert len(inplace) == LATE == len(uploaded)
    assert reasons == {"unparseable timestamp": 1} == upload_reasons


def test_times_after_2100_are_rejected_as_out_of_range_as_uploaded(tmp_path):
    # Epoch seconds run to 1e10 (2286-11-20 17:46:39 for 9999999999 s): the upload reads b and rejects it as out of
    # range (before 1900 or after 2100); so does 1e8 - 1 = 99999999 s (below the range: unparseable). a 1e8 s =
    # 1973-03-03 09:46:40 (1157 days = 1973-03-03, 100000000 - 1157 * 86400 = 35200 s = 09:46:40); c 1709283600 =
    # 2024-03-01 09:00. 6be52f8 kept b at 2286.
    text = HEADER + "a,100000000,view\nb,9999999999,view\nc,1709283600,buy\nd,99999999,buy\n"
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    assert inplace == [("a", "1973-03-03 09:46:40"), ("c", "2024-03-01 09:00:00")] == uploaded
    assert reasons == {"unparseable timestamp": 1, "timestamp out of range (before 1900 or after 2100)": 1} \
        == upload_reasons
    assert reference(9999999999, "s") is None  # 2286: out of 1900..2100


def test_iso_times_before_1900_or_after_2100_are_rejected_as_out_of_range_in_place_too(tmp_path):
    # the same rule for written times: 2150 and 1850 are out of range, 2024-03-01 is kept (2 rejected, 1 used)
    text = HEADER + "a,2150-01-01 00:00:00,view\nb,1850-01-01 00:00:00,view\nc,2024-03-01 00:00:00,buy\n"
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    assert inplace == [("c", "2024-03-01 00:00:00")] == uploaded
    assert reasons == {"timestamp out of range (before 1900 or after 2100)": 2} == upload_reasons


def test_range_boundaries_of_each_numeric_style_match_the_upload(tmp_path):
    # Each range is [low, high): the low end is in, the high end out. Excel: 20000 = 1954-10-03 (in), 19999.5 and
    # 80000 out; 79999.99999 is 2119-01-10, in range but after 2100 (out of range). Two in-range values beside it:
    # 45292.5 = 2024-01-01 12:00. Rows: a kept, b out of range, c d unparseable, e kept.
    text = HEADER + "a,20000,view\nb,79999.99999,view\nc,19999.5,buy\nd,80000,buy\ne,45292.5,buy\n"
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    assert inplace == [("a", "1954-10-03 00:00:00"), ("e", "2024-01-01 12:00:00")] == uploaded
    assert reasons == {"unparseable timestamp": 2, "timestamp out of range (before 1900 or after 2100)": 1} \
        == upload_reasons
    # µs: 9.4e14 = 1999-10-15 15:06:40 (10879 days; 940000000 - 10879 * 86400 = 54400 s = 15:06:40) in; 9.4e14 - 1
    # and 4.2e15 out (unparseable); 4199999999999999 = 2103: out of range
    text = HEADER + ("a,940000000000000,view\nb,4199999999999999,view\nc,939999999999999,buy\n"
                     "d,4200000000000000,buy\ne,1709283600000000,buy\n")
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    assert inplace == [("a", "1999-10-15 15:06:40"), ("e", "2024-03-01 09:00:00")] == uploaded
    assert reasons == {"unparseable timestamp": 2, "timestamp out of range (before 1900 or after 2100)": 1} \
        == upload_reasons
    # YYYYMMDD: 19000101 in; 21001231 is the range's end (out: unparseable); 21001230 = 2100-12-30 out of range;
    # 19000100 day 00 unparseable
    text = HEADER + "a,19000101,view\nb,21001231,view\nc,21001230,buy\nd,19000100,buy\ne,20240301,buy\n"
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    assert inplace == [("a", "1900-01-01 00:00:00"), ("e", "2024-03-01 00:00:00")] == uploaded
    assert reasons == {"unparseable timestamp": 2, "timestamp out of range (before 1900 or after 2100)": 1} \
        == upload_reasons


def test_yyyymmdd_in_a_double_column_reads_whole_numbers_only(tmp_path):
    # 20240301.0 makes the column DOUBLE; it is 1 March 2024 as 20240301 is; 20240301.5 is no date (unparseable)
    text = HEADER + "a,20240301,view\nb,20240301.0,view\nc,20240301.5,buy\nd,20240229,buy\n"
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text)
    assert inplace == [("a", "2024-03-01 00:00:00"), ("b", "2024-03-01 00:00:00"), ("d", "2024-02-29 00:00:00")] \
        == uploaded
    assert reasons == {"unparseable timestamp": 1} == upload_reasons


def test_excel_serials_keep_their_milliseconds(tmp_path):
    # 45292.000011574 days = 45292 days + 0.999993... s -> 1000 ms (rounded: 0.000011574 * 86400000 = 999.99 ms):
    # 2024-01-01 00:00:01; 45292.5000005787 -> 43200000 + 50.00 ms = 12:00:00.050; 45292.999999 -> 86399913.6 ms
    # -> 86399914 ms = 23:59:59.914
    text = HEADER + "a,45292.000011574,view\nb,45292.5000005787,view\nc,45292.999999,buy\n"
    inplace, uploaded, _, _ = _both(tmp_path, text)
    expected = [("a", "2024-01-01 00:00:01"), ("b", "2024-01-01 12:00:00.050000"), ("c", "2024-01-01 23:59:59.914000")]
    assert inplace == expected == uploaded
    assert [reference(n, "excel") for n in (45292.000011574, 45292.5000005787, 45292.999999)] == \
        ["2024-01-01 00:00:01", "2024-01-01 12:00:00.050000", "2024-01-01 23:59:59.914000"]


def test_epoch_numbers_are_utc_instants_whatever_the_mappings_time_zone(tmp_path):
    # 1709283600 = 2024-03-01 09:00:00 UTC, read in Berlin or not
    mapping = ColumnMapping(columns=MAPPING.columns, timezone="Europe/Berlin")
    inplace, uploaded, _, _ = _both(tmp_path, HEADER + "a,1709283600,view\n", mapping)
    assert inplace == [("a", "2024-03-01 09:00:00")] == uploaded


def test_yyyymmdd_and_excel_serials_are_wall_times_in_the_mappings_time_zone(tmp_path):
    # Berlin is UTC+1 in winter (summer time starts 31 March 2024): 20240301 = 2024-03-01 00:00 CET = 2024-02-29 23:00
    # UTC; Excel 45292.5 = 2024-01-01 12:00 CET = 11:00 UTC
    mapping = ColumnMapping(columns=MAPPING.columns, timezone="Europe/Berlin")
    inplace, uploaded, _, _ = _both(tmp_path, HEADER + "a,20240301,view\n", mapping)
    assert uploaded == [("a", "2024-02-29 23:00:00")]
    assert inplace == uploaded
    inplace, uploaded, _, _ = _both(tmp_path, HEADER + "a,45292.5,view\n", mapping)
    assert inplace == [("a", "2024-01-01 11:00:00")] == uploaded


def test_a_zone_column_beside_numbers_moves_what_the_upload_moves(tmp_path):
    # Epoch numbers are instants: the zone column moves nothing (a 1709283600 = 09:00 UTC, b 1709370000 = 2024-03-02
    # 09:00 UTC). YYYYMMDD are dates without times: each stays on its own date (cjm.data.zones), as uploaded.
    text = "customer_id,ts,event,timezone\na,1709283600,view,America/New_York\nb,1709370000,buy,Europe/Berlin\n"
    inplace, uploaded, _, _ = _both(tmp_path, text, None)
    assert inplace == [("a", "2024-03-01 09:00:00"), ("b", "2024-03-02 09:00:00")] == uploaded
    text = "customer_id,ts,event,timezone\na,20240301,view,America/New_York\nb,20240302,buy,Europe/Berlin\n"
    inplace, uploaded, _, _ = _both(tmp_path, text, None)
    assert inplace == [("a", "2024-03-01 00:00:00"), ("b", "2024-03-02 00:00:00")] == uploaded


def test_a_time_of_day_column_completes_yyyymmdd_dates_in_an_upload_as_in_place(tmp_path):
    # a: 20240301 and 09:30:00 = 2024-03-01 09:30; b: 20240302 without a time = 2024-03-02 00:00; c: 20240230 is no
    # date: unparseable. Before, the upload read '20240301 09:30:00', no time at all: a rejected as unparseable
    # (2 rejected), while in place it read 09:30.
    text = "customer_id,date,time,event\na,20240301,09:30:00,view\nb,20240302,,buy\nc,20240230,10:00,buy\n"
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "date", "event": "event"},
                            time_of_day="time")
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, text, mapping)
    assert inplace == [("a", "2024-03-01 09:30:00"), ("b", "2024-03-02 00:00:00")] == uploaded
    assert reasons == {"unparseable timestamp": 1} == upload_reasons


def test_a_time_of_day_column_completes_excel_dates_in_an_upload_as_in_place(tmp_path):
    # 45352 = 2024-03-01 (45292 = 2024-01-01, + 31 + 29 days); with 14:05 = 2024-03-01 14:05
    text = "customer_id,date,time,event\na,45352,14:05,view\nb,45353,,buy\n"
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "date", "event": "event"},
                            time_of_day="time")
    inplace, uploaded, _, _ = _both(tmp_path, text, mapping)
    assert inplace == [("a", "2024-03-01 14:05:00"), ("b", "2024-03-02 00:00:00")] == uploaded


TIMED = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "date", "event": "event"},
                      time_of_day="time")
TWELVE_HOURS = ("customer_id,date,time,event\na,20240301,9:30 PM,view\nb,20240302,12:05:09 am,view\n"
                "c,20240303,10:00,buy\nd,20240304,,buy\n")
# a 2024-03-01 at 9:30 PM = 21:30; b 2024-03-02 at 12:05:09 am = 00:05:09 (12 am is the hour after midnight);
# c 2024-03-03 10:00; d 2024-03-04 without a time = 00:00
TWELVE_HOURS_READ = [("a", "2024-03-01 21:30:00"), ("b", "2024-03-02 00:05:09"), ("c", "2024-03-03 10:00:00"),
                     ("d", "2024-03-04 00:00:00")]


def test_a_time_of_day_column_on_a_12_hour_clock_completes_the_dates_in_place_as_uploaded(tmp_path):
    # before: in place cast '2024-03-01 9:30 PM' to a timestamp, which fails: a and b unparseable
    inplace, uploaded, reasons, upload_reasons = _both(tmp_path, TWELVE_HOURS, TIMED)
    assert inplace == TWELVE_HOURS_READ == uploaded
    assert reasons == {} == upload_reasons


@pytest.mark.postgres
def test_postgresql_completes_integer_yyyymmdd_dates_with_a_12_hour_clock_as_the_upload(postgres_url):
    # TWELVE_HOURS in a table: date integer, time text (d's empty time: NULL)
    import sqlalchemy

    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql("CREATE TABLE timed_dates (customer_id text, date integer, time text, event text)")
        for line in TWELVE_HOURS.splitlines()[1:]:
            customer, date, time, event = line.split(",")
            con.exec_driver_sql("INSERT INTO timed_dates VALUES (%s, %s, %s, %s)",
                                (customer, int(date), time or None, event))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        dataset = dataset_from_table(backend, "timed_dates", mapping=TIMED)
        assert _rows(backend.execute(dataset.events.select("customer_id", "timestamp"))) == TWELVE_HOURS_READ
        assert dataset.accounting.reasons == {}
    finally:
        backend.close()


@pytest.mark.parametrize("guessed", [False, True])
def test_numeric_looking_customer_ids_stay_as_written_mapped_or_guessed(tmp_path, guessed):
    # DuckDB types 007, 0070, 70 as BIGINT (7, 70, 70) and 1.10, 1.1 as DOUBLE (1.1): an upload keeps five customers
    text = HEADER + ("007,1709283600,view\n0070,1709283601,view\n70,1709283602,buy\n1.10,1709283603,view\n"
                     "1.1,1709283604,buy\n")
    mapping = None if guessed else MAPPING
    inplace, uploaded, _, _ = _both(tmp_path, text, mapping)
    assert [c for c, _ in inplace] == ["007", "0070", "1.1", "1.10", "70"] == [c for c, _ in uploaded]


def test_a_ga4_like_file_without_a_mapping_is_guessed_as_the_upload_guesses_it(tmp_path):
    # user_pseudo_id 0012 and 12 are two browsers; event_timestamp in µs: 1709283600000000 = 09:00:00 UTC
    text = ("user_pseudo_id,ga_session_id,event_timestamp,event_name\n0012,0001,1709283600000000,page_view\n"
            "12,1,1709283601000000,purchase\n")
    dataset, inplace = _in_place(tmp_path, text, None)
    parsed, uploaded = _upload(text, None)
    assert dataset.files[0].mapping.columns == parsed.files[0].mapping.columns
    assert inplace == [("0012", "2024-03-01 09:00:00"), ("12", "2024-03-01 09:00:01")] == uploaded


def test_a_parquet_file_with_int64_epoch_microseconds_reads_as_uploaded(tmp_path):
    # 1709283600000000 µs = 2024-03-01 09:00:00 UTC, +1 µs; an empty cell: missing timestamp
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "events.parquet"
    pq.write_table(pa.table({"customer_id": ["a", "b", "c"], "ts": pa.array([1709283600000000, 1709283600000001, None],
                                                                          pa.int64()), "event": ["v", "b", "v"]}), path)
    dataset = dataset_from_files(path, mapping=MAPPING)
    inplace = _rows(engine.execute(dataset.events.select("customer_id", "timestamp")))
    parsed = parse_files([SourceFile("events.parquet", path.read_bytes())], mappings={"events.parquet": MAPPING})
    assert inplace == [("a", "2024-03-01 09:00:00"), ("b", "2024-03-01 09:00:00.000001")] == _rows(parsed_rows(parsed))
    assert dataset.accounting.reasons == {"missing timestamp": 1} == parsed.accounting.reasons


@pytest.mark.postgres
def test_postgresql_reads_numeric_times_in_integer_bigint_double_and_text_columns_as_the_upload(postgres_url):
    # one table, one timestamp column per type, mapped in turn:
    #   ymd  integer:           20240301 (2024-03-01), 20240229 (leap day), 20230229 (no date: unparseable)
    #   ms   bigint:            1709283600000 (09:00:00 UTC), 1709283660000 (09:01:00), 9999999999999 (2286: out of
    #                           range)
    #   us   double precision:  1709283600000000.5 (tie: 09:00:00), 1709283600000003.5 (tie: .000004),
    #                           1709283600000001 (.000001)
    #   txt  text:              '1709283600', 'NA' (unparseable), '1709283601' (epoch seconds: 09:00:00, 09:00:01)
    import sqlalchemy

    rows = [("a", 20240301, 1709283600000, 1709283600000000.5, "1709283600"),
            ("b", 20240229, 1709283660000, 1709283600000003.5, "NA"),
            ("c", 20230229, 9999999999999, 1709283600000001, "1709283601")]
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql("CREATE TABLE numeric_times (customer_id text, ymd integer, ms bigint, "
                            "us double precision, txt text, event text)")
        for row in rows:
            con.exec_driver_sql("INSERT INTO numeric_times VALUES (%s, %s, %s, %s, %s, 'view')", row)
    sa.dispose()
    csv = "customer_id,ymd,ms,us,txt,event\n" + "".join(
        f"{c},{y},{m},{u!r},{t},view\n" for c, y, m, u, t in rows)
    backend = engine.connect(postgres_url)
    try:
        expected = {
            "ymd": ([("a", "2024-03-01 00:00:00"), ("b", "2024-02-29 00:00:00")], {"unparseable timestamp": 1}),
            "ms": ([("a", "2024-03-01 09:00:00"), ("b", "2024-03-01 09:01:00")],
                   {"timestamp out of range (before 1900 or after 2100)": 1}),
            "us": ([("a", "2024-03-01 09:00:00"), ("b", "2024-03-01 09:00:00.000004"),
                    ("c", "2024-03-01 09:00:00.000001")], {}),
            "txt": ([("a", "2024-03-01 09:00:00"), ("c", "2024-03-01 09:00:01")], {"unparseable timestamp": 1}),
        }
        for column, (times, reasons) in expected.items():
            mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": column, "event": "event"})
            dataset = dataset_from_table(backend, "numeric_times", mapping=mapping)
            inplace = _rows(backend.execute(dataset.events.select("customer_id", "timestamp")))
            parsed, uploaded = _upload(csv, mapping)
            assert (column, inplace, dataset.accounting.reasons) == (column, times, reasons)
            assert (column, uploaded, parsed.accounting.reasons) == (column, times, reasons)
    finally:
        backend.close()
