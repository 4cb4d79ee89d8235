"""US dates written with an offset ('03/15/2024 2:30 PM -05:00') read in place (a CSV by DuckDB, a PostgreSQL text
column) as an upload reads them (dateparser's written dates: cjm.data.timestamps._from_written): the same instant and
the same clock (schema.CLOCK), where in place used to reject every row as an unparseable timestamp.

The hand export US (Friday 15 and Saturday 16 March 2024, all at UTC-05:00):

  a  03/15/2024 2:30 PM -05:00  = 19:30 UTC 15 Mar, clock -18000 s
  b  03/16/2024 9:05 AM -05:00  = 14:05 UTC 16 Mar, clock -18000 s
  c  03/15/2024 11:30 PM -05:00 = 04:30 UTC 16 Mar, clock -18000 s (Friday on its clock, Saturday in UTC)
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data.clock import dates_clock
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import load_dataset
from cjm.data.filters import Filters
from cjm.data.schema import CLOCK
from cjm.data.source import dataset_from_files, dataset_from_table

US = ("customer_id,timestamp,event\n"
      "a,03/15/2024 2:30 PM -05:00,page_view\n"
      "b,03/16/2024 9:05 AM -05:00,page_view\n"
      "c,03/15/2024 11:30 PM -05:00,page_view\n")
HAND = [("a", "2024-03-15 19:30", -18000), ("b", "2024-03-16 14:05", -18000), ("c", "2024-03-16 04:30", -18000)]

# the forms dateparser reads (and a few it does not), each beside the instant and clock an upload gives it: checked
# against the upload below, whatever the hand says. The column's order by the rule of dates without an offset
# (cjm.data.timestamps.written_reading): two dates tell month-first (03/15, 02/30), two day-first (25/12, 29/2), so
# none settles it and the commonest separator, the slash, reads it month-first (the upload's note says it was
# assumed); a value that names no date in that order is read in the other (dateparser's rule on upload): 03/09/2024 is
# 9 March, 25/12/2024 25 December. (A column where one value alone is
# written 03/09/2024 14:30, day and month without an offset, is read on upload as dates of day and month instead:
# cjm.data.day_month_times' first reading, in place too. So is, on upload, a column where one value ends in a zone's
# abbreviation such as ' EST': cjm.data.timestamps._day_month_offsets; not one ending in ' UTC', read as written.)
VARIANTS = [
    "03/15/2024 2:30 PM -05:00",      # 15 Mar 19:30 UTC, -18000
    "03/09/2024 2:30 PM -05:00",      # 9 Mar 19:30 UTC (the column's order where both orders name a date), -18000
    "25/12/2024 14:30 +05:30",        # 25 Dec 09:00 UTC, +19800
    "3/9/24 2:30 pm -05",             # 9 Mar 2024 19:30 UTC
    "3/9/69 2:30 PM -0500",           # 9 Mar 1969 19:30 UTC
    "03.09.2024 14:30:05 +0530",      # 9 Mar 09:00:05 UTC
    "03-09-2024 14:30:05.123456 -05:00",
    "03/09/2024 -05:00",              # midnight at -05:00: 9 Mar 05:00 UTC
    "03/09/2024 2:30 PM Z",           # 14:30 UTC, clock 0
    "03/09/2024 2:30 PM gmt-05:00",
    "03/09/2024 2:30PM-05:00",
    "03/09/2024T14:30 -05:00",
    "03/09/2024 12:30 AM -05:00",     # 00:30 at -05:00
    "03/09/2024 12:30 PM +14:00",
    "03/09/2024 13:30 PM -05:00",     # dateparser keeps 13:30
    "29/2/2024 1:00 -05:00",          # 29 Feb 2024 06:00 UTC
    "02/30/2024 1:00 PM -05:00",      # no 30 February either way: unparseable
    "03/09/2024 2:30 PM -05:30",      # an offset dateparser does not read: unparseable
    "03/09/2024 24:00 -05:00",        # unparseable
    "03/09/1850 14:30 -05:00",        # before 1900: unparseable
    "03/09/2024 14:30:05.5",          # no offset: a wall time, UTC here (9 Mar 14:30:05.5 UTC, clock 0)
    "soon",                           # unparseable
]


def _events(dataset) -> list[tuple[str, str, int]]:
    frame = engine.execute(dataset.events.select("customer_id", "timestamp", CLOCK)).sort_values("customer_id")
    return [(c, pd.Timestamp(t).tz_convert("UTC").strftime("%Y-%m-%d %H:%M"), int(o)) for c, t, o in
            zip(frame["customer_id"], frame["timestamp"], frame[CLOCK])]


def _read(dataset) -> dict[str, tuple]:
    """customer -> (the instant to the microsecond, the clock or None) of each row used; the rejected rows' reasons."""
    columns = ["customer_id", "timestamp"] + ([CLOCK] if CLOCK in dataset.events.columns else [])
    frame = engine.execute(dataset.events.select(*columns))
    return {str(c): (pd.Timestamp(t).tz_convert("UTC").isoformat(),
                     None if CLOCK not in frame or pd.isna(o) else int(o))
            for c, t, o in zip(frame["customer_id"], frame["timestamp"],
                               frame[CLOCK] if CLOCK in frame else [None] * len(frame))}


def _rejected(dataset) -> dict[str, int]:
    return dict(dataset.accounting.reasons)


def test_a_us_date_written_with_an_offset_is_read_in_place_at_that_instant_on_that_clock(tmp_path):
    path = tmp_path / "us.csv"
    path.write_text(US)
    in_place = dataset_from_files(path)  # before: 'No usable rows in us.csv: ... 3 unparseable timestamp'
    assert _events(in_place) == _events(load_dataset([path])) == HAND
    assert dates_clock(in_place).label == "UTC-05:00"
    # 15 Mar at UTC-05:00 is [15 Mar 05:00, 16 Mar 05:00 UTC): a (19:30) and c (04:30 16 Mar), not b (14:05 16 Mar)
    events = in_place.filtered(Filters(start="2024-03-15", end="2024-03-15")).events
    assert sorted(engine.execute(events.select("customer_id"))["customer_id"]) == ["a", "c"]


def _variants_file(tmp_path) -> str:
    path = tmp_path / "variants.csv"
    rows = "".join(f'v{i:02d},"{value}",page_view\n' for i, value in enumerate(VARIANTS))
    path.write_text("customer_id,timestamp,event\n" + rows)
    return path


def test_every_written_form_reads_in_place_as_uploaded_and_the_unreadable_ones_are_rejected_alike(tmp_path):
    path = _variants_file(tmp_path)
    uploaded, in_place = load_dataset([path]), dataset_from_files(path)
    assert _read(in_place) == _read(uploaded)
    # the five unparseable forms (30 February, -05:30, 24:00, 1850, 'soon'), the same reason on both paths
    assert _rejected(in_place) == _rejected(uploaded) == {"unparseable timestamp": 5}
    assert _read(in_place)["v00"] == ("2024-03-15T19:30:00+00:00", -18000)
    # 03/09: month-first, the column's order (was 3 September: dateparser's day-first, the column's order aside)
    assert _read(in_place)["v01"] == ("2024-03-09T19:30:00+00:00", -18000)


def test_month_first_in_the_mapping_reads_03_09_as_9_march_in_place_as_uploaded(tmp_path):
    # day_first=False: dateparser's month-first order; 03/09/2024 2:30 PM -05:00 is 9 March 19:30 UTC, 25/12/2024 still
    # 25 December (no 25th month)
    path = _variants_file(tmp_path)
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"},
                            day_first=False)
    uploaded = load_dataset([path], mappings={"variants.csv": mapping})
    in_place = dataset_from_files(path, mapping=mapping)
    assert _read(in_place) == _read(uploaded)
    assert _read(in_place)["v01"] == ("2024-03-09T19:30:00+00:00", -18000)
    assert _read(in_place)["v02"] == ("2024-12-25T09:00:00+00:00", 19800)


def test_a_zone_chosen_for_the_file_reads_the_times_without_an_offset_in_it_in_place_as_uploaded(tmp_path):
    # New York chosen: 03/09/2024 14:30:05.5 (no offset) is 9 March 14:30:05.5 EST (summer time starts on 10 March
    # 2024), 19:30:05.5 UTC, clock -18000 (was 3 September, EDT: 18:30:05.5 UTC, -14400); the others keep their own
    # offset
    path = _variants_file(tmp_path)
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"},
                            timezone="America/New_York")
    uploaded = load_dataset([path], mappings={"variants.csv": mapping})
    in_place = dataset_from_files(path, mapping=mapping)
    assert _read(in_place) == _read(uploaded)
    assert _read(in_place)["v20"] == ("2024-03-09T19:30:05.500000+00:00", -18000)


@pytest.mark.postgres
def test_postgresql_reads_a_text_column_of_us_dates_with_an_offset_as_uploaded(postgres_url, tmp_path):
    import sqlalchemy

    path = _variants_file(tmp_path)
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql("CREATE TABLE written_us (customer_id text, at text, event text)")
        con.exec_driver_sql("INSERT INTO written_us VALUES " + ", ".join(
            f"('v{i:02d}', '{value}', 'page_view')" for i, value in enumerate(VARIANTS)))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "at", "event": "event"})
        in_place = dataset_from_table(backend, "written_us", mapping=mapping)
        assert _read(in_place) == _read(load_dataset([path]))
        assert _rejected(in_place) == {"unparseable timestamp": 5}
        assert _read(in_place)["v00"] == ("2024-03-15T19:30:00+00:00", -18000)
    finally:
        backend.close()


def test_a_us_column_is_read_month_first_throughout_when_one_of_its_dates_says_so(tmp_path):
    # 03/15 can only be 15 March, and no date of the column can only be day-first: the column is month-first, so its
    # 03/09 is 9 March (14:30 at -05:00 = 19:30 UTC), not 3 September as dateparser read it value by value before;
    # 04/01 11:30 PM at -04:00 is 1 April 23:30 = 03:30 UTC 2 April (was 4 January). Upload and in place alike.
    path = tmp_path / "us_march.csv"
    path.write_text("customer_id,timestamp,event\n"
                    "a,03/09/2024 2:30 PM -05:00,page_view\n"
                    "b,03/15/2024 9:05 AM -05:00,page_view\n"
                    "c,04/01/2024 11:30 PM -04:00,page_view\n")
    hand = [("a", "2024-03-09 19:30", -18000), ("b", "2024-03-15 14:05", -18000), ("c", "2024-04-02 03:30", -14400)]
    assert _events(load_dataset([path])) == hand
    assert _events(dataset_from_files(path)) == hand


def test_the_order_of_a_columns_written_dates_is_told_by_its_own_dates():
    from cjm.data.timestamps import written_order

    assert written_order(["03/09/2024 2:30 PM -05:00", "03/15/2024 9:05 AM -05:00"]) is False  # 03/15: month-first
    assert written_order(["09/03/2024 14:30 +01:00", "15.03.2024 09:05 +01:00"]) is True  # 15.03: day-first
    assert written_order(["03/09/2024 -05:00", "03/10/2024 -05:00"]) is None  # both orders name a date: undecided
    assert written_order(["25/12/2024 -05:00", "03/15/2024 -05:00"]) is None  # contradictory: undecided
    assert written_order(["Jul 31, 2018 10:00 AM -05:00", None, ""]) is None  # no numbered date
