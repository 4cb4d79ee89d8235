"""cjm's timestamps are UTC on PostgreSQL too, whatever zone the server, the database or the role gives a session:
a table read in place on a database whose default TimeZone is America/New_York counts its events at their UTC hours,
weekdays and dates, for a timestamp column without a zone, a timestamptz column and ISO text alike. Expected figures
are worked out by hand beside each assertion."""

from __future__ import annotations

import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.source import dataset_from_table
from cjm.engine.remote import utc_options
from cjm.maps import build_day_map
from cjm.maps.day import compute_hour_counts

pytestmark = pytest.mark.postgres

# Three events, each written in three columns: `naive` (timestamp without time zone, UTC wall time), `zoned`
# (timestamptz, the same instant) and `text` (ISO text without an offset).
#   a  Mon 4 Mar 2024 10:00 UTC  (New York, EST UTC-5: 05:00)
#   b  Mon 4 Mar 2024 23:30 UTC  (New York: 18:30)
#   c  Sat 6 Jul 2024 02:15 UTC  (New York, EDT UTC-4: Fri 5 Jul 22:15, another weekday and date)
ROWS = [("a", "2024-03-04 10:00:00"), ("b", "2024-03-04 23:30:00"), ("c", "2024-07-06 02:15:00")]


def _new_york_database(postgres_url: str) -> str:
    """The test's database with America/New_York as every new session's TimeZone, and the events table."""
    import sqlalchemy

    database = postgres_url.rsplit("/", 1)[1]
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql(f"ALTER DATABASE {database} SET timezone TO 'America/New_York'")
    with sa.begin() as con:  # a new session: New York time from here on
        con.exec_driver_sql("CREATE TABLE events (customer_id text, naive timestamp, zoned timestamptz, "
                            "text text, event text)")
        for customer, at in ROWS:
            # the timestamptz is written with its offset (+00), so the stored instant is the UTC time
            con.exec_driver_sql("INSERT INTO events VALUES (%(c)s, %(at)s::timestamp, (%(at)s || '+00')::timestamptz, "
                                "%(at)s, 'visit')", {"c": customer, "at": at})
    sa.dispose()
    return postgres_url


def _show_time_zone(backend) -> str:
    with backend.con.con.cursor() as cursor:
        return cursor.execute("SHOW TimeZone").fetchone()[0]


def test_a_plain_session_on_the_test_database_runs_in_new_york_time(postgres_url):
    import sqlalchemy

    url = _new_york_database(postgres_url)
    sa = sqlalchemy.create_engine(url)
    with sa.connect() as con:
        assert con.exec_driver_sql("SHOW TimeZone").scalar() == "America/New_York"
        # what a New York session makes of the timestamptz column: 05:00, 18:30 and 22:15 (see ROWS)
        hours = con.exec_driver_sql("SELECT extract(hour FROM zoned)::int FROM events ORDER BY customer_id").scalars()
        assert list(hours) == [5, 18, 22]
    sa.dispose()


@pytest.mark.parametrize("column", ["naive", "zoned", "text"])
def test_the_hours_weekdays_and_dates_of_a_table_read_in_place_are_utc_on_a_new_york_database(postgres_url, column):
    backend = engine.connect(_new_york_database(postgres_url))
    try:
        assert _show_time_zone(backend) == "UTC"
        mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": column, "event": "event"})
        dataset = dataset_from_table(backend, "events", mapping=mapping)
        counts = compute_hour_counts(dataset).sort_values(["weekday", "hour"]).reset_index(drop=True)
        # by hand from ROWS, in UTC: Monday (0) 10:00 and 23:00, Saturday (5) 02:00; one event each
        assert counts[["weekday", "hour", "events"]].values.tolist() == [[0, 10, 1], [0, 23, 1], [5, 2, 1]]
        days = engine.execute(dataset.events.select(day=dataset.events.timestamp.date().cast("string"))
                              .order_by("day"))["day"].tolist()
        assert days == ["2024-03-04", "2024-03-04", "2024-07-06"]  # not Fri 5 July, New York's date of c
        jm = build_day_map(dataset)
        # a in 09-12, b in 21-24, c in 00-03: a third each (New York's hours would be 03-06, 18-21, 21-24)
        for block in ("h09", "h21", "h00"):
            assert jm.cell("interactions", block).number == pytest.approx(1 / 3), block
        assert jm.cell("interactions", "h03").number == 0 and jm.cell("interactions", "h18").number == 0
        assert jm.cell("busiest_days", "h00").value == "Sat (100%)"  # c's weekday in UTC (Fri in New York)
    finally:
        backend.close()


def test_utc_survives_a_reset_of_the_session_and_keeps_the_urls_own_options(postgres_url):
    # the URL's own options (a search path) stay; TimeZone=UTC is the session's start value, so a RESET (what a
    # pooler's DISCARD ALL does between clients) brings back UTC, not New York
    url = _new_york_database(postgres_url) + "?options=-c%20search_path%3Dpublic"
    assert utc_options("postgresql://u@h/db?options=-c%20search_path%3Dpublic") == "-c search_path=public -c TimeZone=UTC"
    backend = engine.connect(url)
    try:
        with backend.con.con.cursor() as cursor:
            cursor.execute("RESET TimeZone")
            assert cursor.execute("SHOW TimeZone").fetchone()[0] == "UTC"
            assert cursor.execute("SHOW search_path").fetchone()[0] == "public"
    finally:
        backend.close()


def test_a_connection_cjm_is_handed_runs_in_utc_too(postgres_url):
    import ibis
    import psycopg

    url = _new_york_database(postgres_url)
    raw = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    assert raw.execute("SHOW TimeZone").fetchone()[0] == "America/New_York"
    backend = engine.wrap(ibis.postgres.from_connection(raw))
    try:
        assert _show_time_zone(backend) == "UTC"
    finally:
        backend.close()
        raw.close()
