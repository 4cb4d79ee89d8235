"""Time zone abbreviations after a time ('2022/06/22 11:07:29 AM EST'), read by one table (cjm.data.zone_abbreviations)
on upload and in place; an ambiguous or unknown one is never read as UTC. Expected times are worked out by hand beside
them."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pandas as pd
import pytest

from cjm import engine
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_files
from cjm.data.timestamps import parse_timestamps
from cjm.data.zone_abbreviations import AMBIGUOUS, OFFSETS
from cjm.errors import TimestampError


def _tzdata_abbreviations() -> dict[str, set[float]]:
    """Each letter abbreviation the IANA database writes in January or July of 2024 and 2025 -> its offsets (hours)."""
    seen: dict[str, set[float]] = {}
    for name in zoneinfo.available_timezones():
        zone = zoneinfo.ZoneInfo(name)
        for moment in (dt.datetime(y, m, 15, 12, tzinfo=zone) for y in (2024, 2025) for m in (1, 7)):
            if re.fullmatch(r"[A-Za-z]+", moment.tzname()):
                seen.setdefault(moment.tzname(), set()).add(moment.utcoffset().total_seconds() / 3600)
    return seen


def test_the_table_reads_each_abbreviation_as_the_time_zone_database_does():
    # Read as the database writes them, where it writes them; two deliberate choices: CDT is US Central's (-5; Cuba's
    # is -4) and PST US Pacific's (-8; the Philippines' +8), as North American exports write them (a user in Havana
    # or Manila chooses the zone in the mapping, which then reads them its own way). Every abbreviation the database
    # writes with several offsets (CST, IST) is not in the table.
    seen = _tzdata_abbreviations()
    chosen = {"CDT": -5.0, "PST": -8.0}
    for abbreviation, hours in OFFSETS.items():
        if abbreviation in seen and abbreviation not in chosen:
            assert seen[abbreviation] == {float(hours)}, abbreviation
    for abbreviation, offsets in seen.items():
        if len(offsets) > 1:
            assert abbreviation in chosen or (abbreviation not in OFFSETS and abbreviation in AMBIGUOUS), abbreviation
    assert {"IST", "CST", "AST"} <= set(AMBIGUOUS) and not set(AMBIGUOUS) & set(OFFSETS)


@pytest.mark.parametrize("written, utc", [
    ("2022/06/22 11:07:29 AM EST", "2022-06-22 16:07:29"),  # EST -5
    ("2022/06/22 11:07:29 PM PDT", "2022-06-23 06:07:29"),  # 23:07:29 PDT -7
    ("2024-03-01 10:00:00 CET", "2024-03-01 09:00:00"),  # CET +1
    ("2024-07-01 10:00 BST", "2024-07-01 09:00:00"),  # BST +1
    ("2024-07-01 10:00 CEST", "2024-07-01 08:00:00"),  # CEST +2
    ("03/15/2024 2:30 PM MST", "2024-03-15 21:30:00"),  # 14:30 MST -7
    ("Jul 31, 2018 10:00 AM EDT", "2018-07-31 14:00:00"),  # EDT -4
    ("Tue Oct 31 22:10:47 EST 2017", "2017-11-01 03:10:47"),  # Java's Date: EST -5
    ("03/15/2024 2:30 PM -05:00", "2024-03-15 19:30:00"),  # an offset after a month-first time (was left out)
])
def test_a_time_followed_by_a_zone_abbreviation_is_read_in_that_zone(written, utc):
    parsed = parse_timestamps(pd.Series([written, written], dtype="string"))
    assert parsed.values.dt.strftime("%Y-%m-%d %H:%M:%S").tolist() == [utc, utc]
    assert parsed.unread_zones is None


def test_cst_is_us_central_only_beside_cdt():
    # With CDT in the column, CST is US Central -6: 10:00 CST is 16:00 UTC, 10:00 CDT 15:00. Alone it is ambiguous.
    parsed = parse_timestamps(pd.Series(["2024-01-05 10:00 CST", "2024-07-05 10:00 CDT"], dtype="string"))
    assert parsed.values.dt.strftime("%H:%M").tolist() == ["16:00", "15:00"]
    with pytest.raises(TimestampError, match="'CST'.*US Central -06:00, China \\+08:00"):
        parse_timestamps(pd.Series(["2024-01-05 10:00 CST"] * 2, dtype="string"))


def test_an_ambiguous_abbreviation_is_never_read_as_utc_and_names_itself():
    # IST is India +5:30, Ireland +1 or Israel +2: its value unparsed (not 11:07:29 UTC), the others read.
    parsed = parse_timestamps(pd.Series(["2022/06/22 11:07:29 AM EST", "2022/06/22 11:07:29 AM IST"], dtype="string"))
    assert parsed.values.isna().tolist() == [False, True]
    assert parsed.unparsed.tolist() == [False, True]
    assert parsed.unread_zones.tolist()[1] == "IST"
    with pytest.raises(TimestampError, match="'IST'.*India \\+05:30, Ireland \\+01:00 or Israel \\+02:00.*UTC offset"):
        parse_timestamps(pd.Series(["Jul 31, 2018 10:00 AM IST"] * 2, dtype="string"))
    with pytest.raises(TimestampError, match="'BRT'.*none cjm knows"):
        parse_timestamps(pd.Series(["2024-01-05 10:00 BRT"] * 2, dtype="string"))


@pytest.mark.parametrize("timezone, utc", [("Asia/Kolkata", "05:37:29"), ("Europe/Dublin", "10:07:29"),
                                           ("Asia/Jerusalem", "09:07:29")])
def test_the_mappings_time_zone_reads_the_abbreviation_it_writes(timezone, utc):
    # IST as each zone writes it: India +5:30 (11:07:29 - 5:30 = 05:37:29), Ireland's summer +1 (10:07:29), Israel's
    # winter +2 (09:07:29; the abbreviation names that offset, whatever the date).
    parsed = parse_timestamps(pd.Series(["2022/06/22 11:07:29 AM IST"] * 2, dtype="string"), timezone=timezone)
    assert parsed.values.dt.strftime("%H:%M:%S").tolist() == [utc, utc]


def _write(tmp_path, text: str):
    path = tmp_path / "responses.csv"
    path.write_text(text)
    return path


RESPONSES = ("Timestamp,Email Address,Score\n"
             "2022/06/22 11:07:29 AM EST,a@example.com,9\n"
             "2022/06/22 11:08:29 AM IST,b@example.com,7\n"
             "2022/06/22 11:09:29 PM PDT,c@example.com,3\n")


def test_zone_abbreviations_read_in_place_as_uploaded(tmp_path):
    # a: 11:07:29 EST = 16:07:29 UTC; c: 23:09:29 PDT = 06:09:29 UTC the next day; b's IST rejected with its reason (a
    # cast in place read it as India's, 05:38:29 UTC, without a word), line 3, in both.
    path = _write(tmp_path, RESPONSES)
    for dataset in (load_dataset([path]), dataset_from_files(path)):
        events = engine.execute(dataset.events).sort_values("customer_id")
        assert events["timestamp"].dt.strftime("%d %H:%M:%S").tolist() == ["22 16:07:29", "23 06:09:29"]
        (reason, count), = dataset.accounting.reasons.items()
        assert count == 1 and reason.startswith("time zone 'IST' after the time names several zones (India +05:30")
        assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (3, 2)


def test_iso_times_with_an_ambiguous_abbreviation_read_in_place_are_rejected_as_uploaded(tmp_path):
    # DuckDB's sniffer typed the column as instants, reading IST as India's; read as text, IST is rejected and CET is
    # +1 (10:00 CET = 09:00 UTC), as uploaded.
    path = _write(tmp_path, "Timestamp,Email Address,Score\n2024-03-01 10:00:00 IST,b@example.com,7\n"
                            "2024-03-01 10:00:00 CET,c@example.com,3\n")
    for dataset in (load_dataset([path]), dataset_from_files(path)):
        events = engine.execute(dataset.events)
        assert events["timestamp"].dt.strftime("%H:%M").tolist() == ["09:00"]
        assert list(dataset.accounting.reasons.values()) == [1]
        assert "'IST'" in next(iter(dataset.accounting.reasons))


@pytest.mark.postgres
def test_a_postgresql_text_column_of_times_with_zone_abbreviations_reads_them_as_uploaded(postgres_url):
    # a: 11:07:29 AM EST = 16:07:29 UTC; b: IST rejected, naming it; c: 10:00 CEST = 08:00 UTC; d: 1:00 PM JST
    # = 04:00 UTC. (PostgreSQL reads no '(?P<name>' in a pattern: the pattern has plain groups.)
    import sqlalchemy

    from cjm.data.columns import ColumnMapping
    from cjm.data.source import dataset_from_table

    written = {"a": "2022/06/22 11:07:29 AM EST", "b": "2022/06/22 11:07:29 AM IST", "c": "2024-07-01 10:00:00 CEST",
               "d": "2024-07-01 1:00:00 PM JST"}
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql("CREATE TABLE abbreviated_times (customer_id text, written text, event text)")
        for customer, value in written.items():
            con.exec_driver_sql("INSERT INTO abbreviated_times VALUES (%s, %s, 'view')", (customer, value))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "written", "event": "event"})
        dataset = dataset_from_table(backend, "abbreviated_times", mapping=mapping)
        rows = backend.execute(dataset.events.select("customer_id", "timestamp"))
        utc = {c: pd.Timestamp(t).tz_convert("UTC").strftime("%Y-%m-%d %H:%M:%S")
               for c, t in zip(rows["customer_id"], rows["timestamp"])}
        assert utc == {"a": "2022-06-22 16:07:29", "c": "2024-07-01 08:00:00", "d": "2024-07-01 04:00:00"}
        (reason, count), = dataset.accounting.reasons.items()
        assert count == 1 and "'IST'" in reason
    finally:
        backend.close()
