"""A column of written dates with an offset ('03/15/2024 2:30 PM -05:00') with one value written in UTC by name
('03/16/2024 10:00 AM UTC'): every row is read at its own offset or zone, in the column's order, on upload as in place.

Before, ' UTC' looked like a zone's abbreviation to an upload, which then read the whole column by the day-month rule
of dates with abbreviations (cjm.data.timestamps._day_month_offsets): the UTC row, read by no layout, was set aside
as an unparseable timestamp (in place read it, at 10:00 UTC). The hand export:

  a  03/15/2024 2:30 PM -05:00    15 March 14:30 at -05:00 = 19:30 UTC 15 Mar, clock -18000
  b  03/15/2024 11:30 PM -05:00   15 March 23:30 at -05:00 = 04:30 UTC 16 Mar, clock -18000
  c  03/16/2024 10:00 AM UTC      16 March 10:00 UTC, clock 0
  d  03/09/2024 1:00 AM -05:00    9 March (03/15 makes the column month-first) 01:00 at -05:00 = 06:00 UTC, -18000
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import load_dataset
from cjm.data.schema import CLOCK
from cjm.data.source import dataset_from_files, dataset_from_table

ROWS = [("a", "03/15/2024 2:30 PM -05:00"), ("b", "03/15/2024 11:30 PM -05:00"), ("c", "03/16/2024 10:00 AM UTC"),
        ("d", "03/09/2024 1:00 AM -05:00")]
HAND = [("a", "2024-03-15 19:30", -18000), ("b", "2024-03-16 04:30", -18000), ("c", "2024-03-16 10:00", 0),
        ("d", "2024-03-09 06:00", -18000)]

ABBREVIATED = [("a", "03/15/2024 2:30 PM EST"), ("b", "03/10/2024 9:00 AM -05:00"), ("c", "03/16/2024 10:00 AM UTC")]
ABBREVIATED_HAND = [("a", "2024-03-15 19:30", -18000), ("b", "2024-03-10 14:00", -18000),
                    ("c", "2024-03-16 10:00", 0)]


def _events(dataset) -> list[tuple[str, str, int]]:
    frame = engine.execute(dataset.events.select("customer_id", "timestamp", CLOCK)).sort_values("customer_id")
    return [(c, pd.Timestamp(t).tz_convert("UTC").strftime("%Y-%m-%d %H:%M"), int(o)) for c, t, o in
            zip(frame["customer_id"], frame["timestamp"], frame[CLOCK])]


def _file(tmp_path, rows) -> str:
    path = tmp_path / "utc.csv"
    path.write_text("customer_id,timestamp,event\n" + "".join(f"{c},{t},page_view\n" for c, t in rows))
    return path


def test_one_date_written_in_utc_among_offsets_is_read_at_utc_and_the_others_at_their_offset(tmp_path):
    path = _file(tmp_path, ROWS)
    for dataset in (load_dataset([path]), dataset_from_files(path)):  # before: the upload set c aside
        assert _events(dataset) == HAND
        assert dict(dataset.accounting.reasons) == {}


def test_dates_that_fit_both_orders_beside_one_in_utc_are_read_in_the_columns_order_with_the_note(tmp_path):
    # 03/09, 03/10, 03/11 fit both orders and are slashed: month-first, assumed (the note), on every row, UTC too:
    # 9 March 14:30 at -05:00 = 19:30 UTC; 10 March 09:00 at -05:00 = 14:00 UTC; 11 March 10:00 UTC (was 3 September,
    # 3 October in place and 11 March unread on upload)
    path = _file(tmp_path, [("a", "03/09/2024 2:30 PM -05:00"), ("b", "03/10/2024 9:00 AM -05:00"),
                            ("c", "03/11/2024 10:00 AM UTC")])
    hand = [("a", "2024-03-09 19:30", -18000), ("b", "2024-03-10 14:00", -18000), ("c", "2024-03-11 10:00", 0)]
    for dataset in (load_dataset([path]), dataset_from_files(path)):
        assert _events(dataset) == hand
        assert ("Dates in 'timestamp' could be day-first or month-first; cjm read them as month-first. Change it in "
                "the mapping if wrong.") in dataset.files[0].notes


def test_a_date_in_utc_beside_a_zones_abbreviation_and_offsets_is_read_at_utc(tmp_path):
    # EST is -05:00 (cjm.data.zone_abbreviations), so the upload reads the column by the day-month rule with each row's
    # offset: the UTC row at +00:00 there too (was unparseable). 03/15 settles month-first: a 15 March 14:30 EST =
    # 19:30 UTC; c 16 March 10:00 UTC
    path = _file(tmp_path, ABBREVIATED)
    for dataset in (load_dataset([path]), dataset_from_files(path)):
        assert _events(dataset) == ABBREVIATED_HAND
        assert dict(dataset.accounting.reasons) == {}


def test_a_zone_chosen_for_the_file_leaves_the_utc_row_at_utc(tmp_path):
    # New York chosen: every row names its own offset or zone, so none moves; c stays 10:00 UTC on UTC's clock
    path = _file(tmp_path, ROWS)
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"},
                            timezone="America/New_York")
    for dataset in (load_dataset([path], mappings={"utc.csv": mapping}), dataset_from_files(path, mapping=mapping)):
        assert _events(dataset) == HAND


@pytest.mark.postgres
def test_postgresql_reads_the_utc_row_among_offsets_as_uploaded(postgres_url):
    import sqlalchemy

    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql("CREATE TABLE written_utc (customer_id text, timestamp text, event text)")
        con.exec_driver_sql("INSERT INTO written_utc VALUES " + ", ".join(f"('{c}', '{t}', 'page_view')"
                                                                         for c, t in ROWS))
        con.exec_driver_sql("CREATE TABLE written_est (customer_id text, timestamp text, event text)")
        con.exec_driver_sql("INSERT INTO written_est VALUES " + ", ".join(f"('{c}', '{t}', 'page_view')"
                                                                         for c, t in ABBREVIATED))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"})
        in_place = dataset_from_table(backend, "written_utc", mapping=mapping)
        assert _events(in_place) == HAND
        assert _events(dataset_from_table(backend, "written_est", mapping=mapping)) == ABBREVIATED_HAND
    finally:
        backend.close()
