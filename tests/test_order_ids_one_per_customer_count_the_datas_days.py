"""The per-file rule that tells an order id column from one id per customer (a subscription's id on charges of
different days: cjm.data.returns.one_id_per_customer on upload, cjm.data.source._one_id_per_customer in place) counts
the days of each row's clock (the mapping's zone, the offset written in the time, the zone its zone column names), as
cjm.journey.orders counts the data's days, where it counted UTC's days. It decides whether an order's total repeated
on each of its lines counts once (an order) or on every line (each line a charge).

A New York shop (EST, UTC-05:00, in January), one order's total of 80 written on its two lines:

  ORDER  o1 at 07:00 and 19:30 on 10 Jan in New York = 12:00 on 10 Jan and 00:30 on 11 Jan UTC, 12.5 h apart.
         New York's days: one (10 Jan), so an order: its total counts once, 80, with the upload's note.
         UTC's days: two, 12.5 h >= 12 h apart, so one id over days held by the one customer (1 > 0 holding two ids):
         no order, each line counted, 160 (before).
  CHARGES  s1 at 19:30 on 10 Jan and 08:00 on 11 Jan in New York = 00:30 and 13:00 on 11 Jan UTC, 12.5 h apart.
         New York's days: two, so a subscription's id: each charge counts, 160. UTC's days: one: 80 (before).
"""

from __future__ import annotations


import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import load_dataset
from cjm.data.returns import one_id_per_customer
from cjm.data.source import dataset_from_files, dataset_from_table
from tests.postgres import text_table as _postgres_table

HEADER = "Order Number,Order Date,Email,Order Total\n"
ORDER = HEADER + "o1,2024-01-10 07:00,a@x.com,80\no1,2024-01-10 19:30,a@x.com,80\n"
CHARGES = HEADER + "s1,2024-01-10 19:30,a@x.com,80\ns1,2024-01-11 08:00,a@x.com,80\n"
NEW_YORK = ColumnMapping(columns={"customer_id": "Email", "timestamp": "Order Date", "revenue": "Order Total"},
                         timezone="America/New_York", event_constant="purchase")
NOTE = "'Order Total' is each order's total, repeated on every line of the order"


def _revenue(dataset) -> float:
    return float(engine.execute(dataset.events.select("revenue"))["revenue"].sum())


def _noted(dataset) -> bool:
    return any(n.startswith(NOTE) for n in dataset.files[0].notes)


def _both(tmp_path, text: str, mapping: ColumnMapping | None = None):
    path = tmp_path / "orders.csv"
    path.write_text(text)
    return (load_dataset([path], mappings={"orders.csv": mapping} if mapping else None),
            dataset_from_files(path, mapping=mapping))


def test_an_orders_lines_on_one_new_york_day_count_its_total_once_though_they_span_two_utc_days(tmp_path):
    for dataset in _both(tmp_path, ORDER, NEW_YORK):  # before: 160 on both paths, no note
        assert _revenue(dataset) == 80.0
        assert _noted(dataset)


def test_one_id_on_two_new_york_days_is_a_subscription_though_one_utc_day(tmp_path):
    for dataset in _both(tmp_path, CHARGES, NEW_YORK):  # before: 80 on both paths, with the note
        assert _revenue(dataset) == 160.0
        assert not _noted(dataset)


def test_the_offset_written_in_the_times_names_the_days_too(tmp_path):
    # '2024-01-10T07:00:00-05:00' and '...T19:30:00-05:00': the order's lines on one day at -05:00, as above
    text = (HEADER + "o1,2024-01-10T07:00:00-05:00,a@x.com,80\no1,2024-01-10T19:30:00-05:00,a@x.com,80\n")
    for dataset in _both(tmp_path, text):
        assert _revenue(dataset) == 80.0


def test_a_zone_column_names_the_days_too(tmp_path):
    # 'Time Zone' EST on every row (-05:00): the order's lines on one day, as above
    text = ("Order Number,Order Date,Time Zone,Email,Order Total\n"
            "o1,2024-01-10 07:00,EST,a@x.com,80\no1,2024-01-10 19:30,EST,a@x.com,80\n")
    for dataset in _both(tmp_path, text):
        assert _revenue(dataset) == 80.0


def test_without_a_zone_the_days_are_utcs_as_before(tmp_path):
    # the same times read in UTC: 07:00 and 19:30 on 10 Jan, one day: an order (80); 19:30 on 10 Jan and 08:00 on 11 Jan
    # UTC, 12.5 h apart on two days: charges (160)
    utc = ColumnMapping(columns=NEW_YORK.columns, event_constant="purchase")
    assert [_revenue(d) for d in _both(tmp_path, ORDER, utc)] == [80.0, 80.0]
    assert [_revenue(d) for d in _both(tmp_path, CHARGES, utc)] == [160.0, 160.0]


def test_the_rule_reads_each_rows_day_on_its_clock():
    stamps = pd.Series(pd.to_datetime(["2024-01-10 12:00", "2024-01-11 00:30"], utc=True))
    customers, ids, rows = pd.Series(["a", "a"]), pd.Series(["o1", "o1"]), pd.Series([True, True])
    assert one_id_per_customer(customers, ids, stamps, None, rows)  # two UTC days, 12.5 h apart: one id over days
    assert not one_id_per_customer(customers, ids, stamps, None, rows, pd.Series([-18000, -18000]))  # one NY day



@pytest.mark.postgres
def test_postgresql_counts_the_new_york_days_as_uploaded(postgres_url):
    _postgres_table(postgres_url, "ny_order", ORDER)
    _postgres_table(postgres_url, "ny_charges", CHARGES)
    backend = engine.connect(postgres_url)
    try:
        assert _revenue(dataset_from_table(backend, "ny_order", mapping=NEW_YORK)) == 80.0
        assert _revenue(dataset_from_table(backend, "ny_charges", mapping=NEW_YORK)) == 160.0
    finally:
        backend.close()
