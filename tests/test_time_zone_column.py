"""A column naming each row's time zone (PayPal's 'TimeZone': PST, PDT; 'Zeitzone': MEZ, CEST) is read: each wall
time is moved to UTC by its own zone's offset, across the change to summer time, and the Data page says so. A zone
cjm cannot tell (CST alone: US Central or China) moves nothing; times that carry their own offsets ignore the
column. Expected times worked out by hand beside each case."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import parsed_rows, parsed_text

HEADER = '"Date","Time","TimeZone","Name","Type","Gross"\n'


def _times(text: str) -> list[str]:
    return [t.strftime("%Y-%m-%d %H:%M") for t in parsed_rows(parsed_text(text, "Download.CSV"))["timestamp"]]


def _notes(text: str) -> list[str]:
    return [n for n in parsed_text(text, "Download.CSV").files[0].notes if "time zone" in n]


ACROSS_SUMMER_TIME = (HEADER +
                      '"03/09/2024","23:30:00","PST","Ann Lee","Website Payment","10.00"\n'
                      '"03/10/2024","09:00:00","PDT","Ann Lee","Website Payment","20.00"\n'
                      '"03/10/2024","18:15:00","PDT","Bo Ray","Website Payment","30.00"\n')


def test_each_row_is_read_in_its_own_zone_across_the_change_to_summer_time():
    # 9 Mar 23:30 PST (UTC-8) = 10 Mar 07:30 UTC; 10 Mar 09:00 PDT (UTC-7) = 16:00 UTC; 18:15 PDT = 11 Mar 01:15 UTC
    assert _times(ACROSS_SUMMER_TIME) == ["2024-03-10 07:30", "2024-03-10 16:00", "2024-03-11 01:15"]
    assert _notes(ACROSS_SUMMER_TIME) == ["The times in 'Date' are read in the time zone 'TimeZone' names on each "
                                          "row (PDT, PST) and moved to UTC."]


def test_cst_beside_cdt_is_us_central_time():
    text = (HEADER + '"01/15/2024","10:00:00","CST","Ann Lee","Website Payment","10.00"\n'
                     '"07/15/2024","10:00:00","CDT","Bo Ray","Website Payment","20.00"\n')
    # CST beside CDT: UTC-6, so 16:00 UTC; CDT UTC-5: 15:00 UTC
    assert _times(text) == ["2024-01-15 16:00", "2024-07-15 15:00"]


def test_cst_alone_could_be_us_central_or_china_and_moves_nothing():
    text = (HEADER + '"01/15/2024","10:00:00","CST","Ann Lee","Website Payment","10.00"\n'
                     '"01/16/2024","11:00:00","CST","Bo Ray","Website Payment","20.00"\n')
    assert _times(text) == ["2024-01-15 10:00", "2024-01-16 11:00"]  # read as written, in UTC
    assert _notes(text) == []


def test_written_offsets_and_a_row_without_a_zone():
    text = (HEADER + '"01/15/2024","10:00:00","UTC+05:30","Ann Lee","Website Payment","10.00"\n'
                     '"01/15/2024","10:00:00","GMT-3","Bo Ray","Website Payment","20.00"\n'
                     '"01/15/2024","10:00:00","+0100","Cy Fox","Website Payment","30.00"\n'
                     '"01/15/2024","10:00:00","CET","Di Gu","Website Payment","40.00"\n'
                     '"01/15/2024","10:00:00","MESZ","Ed Ho","Website Payment","50.00"\n'
                     '"01/15/2024","10:00:00","JST","Fa Li","Website Payment","60.00"\n'
                     '"01/15/2024","10:00:00","AEDT","Gu Mo","Website Payment","70.00"\n'
                     '"01/15/2024","10:00:00","PST","Hu No","Website Payment","80.00"\n'
                     '"01/15/2024","10:00:00","EST","Ia Po","Website Payment","90.00"\n'
                     '"01/15/2024","10:00:00","","Jo Qu","Website Payment","100.00"\n')
    # 10:00 at +5:30 = 04:30 UTC; at -3 = 13:00; at +1 = 09:00; CET +1 = 09:00; MESZ +2 = 08:00; JST +9 = 01:00;
    # AEDT +11 = 23:00 the day before; PST -8 = 18:00; EST -5 = 15:00; no zone: as written, 10:00 (9 of 10 known)
    assert _times(text) == ["2024-01-15 04:30", "2024-01-15 13:00", "2024-01-15 09:00", "2024-01-15 09:00",
                            "2024-01-15 08:00", "2024-01-15 01:00", "2024-01-14 23:00", "2024-01-15 18:00",
                            "2024-01-15 15:00", "2024-01-15 10:00"]
    assert _notes(text)[0].endswith("and moved to UTC. 1 row names no zone cjm knows and is read in UTC.")


def test_times_that_carry_their_own_offsets_ignore_the_zone_column():
    text = ('"Created","TimeZone","Name","Type"\n'
            '"2024-01-15T10:00:00+01:00","PST","Ann Lee","payment"\n'
            '"2024-01-16T10:00:00+01:00","PST","Bo Ray","payment"\n')
    # +01:00 is the offset the times were written in: 09:00 UTC, whatever 'TimeZone' says
    assert _times(text) == ["2024-01-15 09:00", "2024-01-16 09:00"]
    assert _notes(text) == []


# The same three payments in a warehouse table, dates written ISO (as a database holds them)
TABLE = pd.DataFrame({"Date": ["2024-03-09", "2024-03-10", "2024-03-10", "2024-03-11"],
                      "Time": ["23:30:00", "09:00:00", "18:15:00", "08:00:00"],
                      "TimeZone": ["PST", "PDT", " PDT ", None], "Name": ["Ann Lee", "Ann Lee", "Bo Ray", "Cy Fox"],
                      "Type": ["Website Payment"] * 4})


def _in_place_check(dataset) -> None:
    from cjm import engine

    events = engine.execute(dataset.events).sort_values("row_id")
    # as the upload: 07:30, 16:00 and 01:15 the next day in UTC; Cy's row names no zone: 08:00 as written
    assert [t.strftime("%Y-%m-%d %H:%M") for t in events["timestamp"]] == [
        "2024-03-10 07:30", "2024-03-10 16:00", "2024-03-11 01:15", "2024-03-11 08:00"]
    assert [n for n in dataset.files[0].notes if "time zone" in n] == [
        "The times in 'Date' are read in the time zone 'TimeZone' names on each row (PDT, PST) and moved to UTC. "
        "1 row names no zone cjm knows and is read in UTC."]


MAPPING_ARGS = dict(columns={"customer_id": "Name", "timestamp": "Date", "event": "Type"}, time_of_day="Time")


def test_a_table_read_in_place_reads_each_row_in_its_zone():
    from cjm import engine
    from cjm.data.columns import ColumnMapping
    from cjm.data.source import dataset_from_table

    backend = engine.local()
    backend.register(TABLE, name="paypal")
    _in_place_check(dataset_from_table(backend, "paypal", mapping=ColumnMapping(**MAPPING_ARGS)))


@pytest.mark.postgres
def test_postgresql_reads_each_row_in_its_zone(postgres_url):
    import sqlalchemy

    from cjm import engine
    from cjm.data.columns import ColumnMapping
    from cjm.data.source import dataset_from_table

    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql('CREATE TABLE paypal ("Date" date, "Time" text, "TimeZone" text, "Name" text, '
                            '"Type" text)')
        for row in TABLE.itertuples(index=False):
            con.exec_driver_sql("INSERT INTO paypal VALUES (%s, %s, %s, %s, %s)",
                                tuple(None if pd.isna(v) else v for v in row))  # NULL, not the text 'NaN'
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        _in_place_check(dataset_from_table(backend, "paypal", mapping=ColumnMapping(**MAPPING_ARGS)))
    finally:
        backend.close()


def test_a_zone_column_of_hostile_cells_is_named_in_a_short_note_as_plain_text():
    big = "x" * 200_000
    text = (HEADER + '"03/01/2024","09:00:00","=HYPERLINK(""http://evil"")","Ann","payment","10.00"\n'
                     '"03/02/2024","10:00:00","PST","Bo","payment","20.00"\n'
                     f'"03/03/2024","11:00:00","{big}","Cy","payment","30.00"\n'
                     '"03/04/2024","12:00:00","PST","Di","payment","40.00"\n')
    notes = [n for n in parsed_text(text, "Download.CSV").files[0].notes if "time zone" in n]
    # 2 of 4 zones known (PST twice): too few to read; the two others quoted, each at most 40 characters
    assert len(notes) == 1 and len(notes[0]) < 600
    assert "2 of its 4 zones are none cjm knows ('=HYPERLINK(\"http://evil\")', 'xxxxx" in notes[0]
    assert _times(text)[0] == "2024-03-01 09:00"  # nothing moved
