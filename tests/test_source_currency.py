"""Tables read in place (cjm.data.source) keep revenue to one currency as uploads do (cjm.data.currencies), and say
how many money values are not numbers. Figures worked out by hand in the comments."""

from __future__ import annotations

import pandas as pd

from cjm.data.columns import ColumnMapping
from cjm.data.source import dataset_from_files
from cjm.journey.kpis import compute_kpis

MAPPING = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "created_at", "revenue": "total"},
                        event_constant="purchase")


def kpis(dataset) -> dict:
    table = compute_kpis(dataset, period="all").set_index("name")
    return dict(zip(table.index, table["value"])), dict(zip(table.index, table["label"]))


def test_a_table_in_two_currencies_counts_the_money_of_the_main_one_and_keeps_every_event(tmp_path):
    # EUR on 3 rows (100 + 50 + 30 = 180), USD on 1 (108): revenue 180 EUR over 3 orders -> AOV 60; purchases a x2,
    # b, c (USD: still a purchase) -> repeat 1 / 3; 4 rows used.
    frame = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "total": [100.0, 50.0, 30.0, 108.0],
                          "created_at": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-04", "2024-01-05"], utc=True),
                          "currency": ["EUR", "eur", "EUR", "USD"]})
    frame.to_parquet(tmp_path / "orders.parquet")
    dataset = dataset_from_files(tmp_path / "orders.parquet", mapping=MAPPING)
    values, labels = kpis(dataset)
    assert values["revenue"] == 180 and values["average_order_value"] == 60
    assert values["repeat_purchase_rate"] == 1 / 3
    assert labels["revenue"] == "Revenue (EUR)" and dataset.currency == "EUR"
    assert dataset.accounting.rows_used == 4
    assert any("revenue counts EUR (the currency of most rows with money, 3). The money of 1 row in USD" in n
               for n in dataset.files[0].notes)


def test_a_table_of_one_currency_is_labelled_with_it_and_nothing_is_left_out(tmp_path):
    frame = pd.DataFrame({"customer_id": ["a", "b"], "total": [10.0, 20.0], "currency": ["gbp", "GBP"],
                          "created_at": pd.to_datetime(["2024-01-01", "2024-01-02"], utc=True)})
    frame.to_parquet(tmp_path / "orders.parquet")
    dataset = dataset_from_files(tmp_path / "orders.parquet", mapping=MAPPING)
    values, labels = kpis(dataset)
    assert values["revenue"] == 30 and labels["revenue"] == "Revenue (GBP)"
    assert not any("more than one currency" in n for n in dataset.files[0].notes)


def test_money_written_as_text_that_is_not_a_number_is_counted_as_no_revenue_and_said(tmp_path):
    # '12.50', '7' and '€3' are numbers, as an upload reads them (the sign names EUR: 22.50 EUR); 'n/a' is not: 1 value
    # counted as no revenue, and said. (Until 2026-12-07 in place read '€3' as no number either: 19.50, 2 values.)
    (tmp_path / "orders.csv").write_text("customer_id,created_at,total\na,2024-01-01,12.50\nb,2024-01-02,n/a\n"
                                         "c,2024-01-03,€3\nd,2024-01-04,7\n", encoding="utf-8")
    dataset = dataset_from_files(tmp_path / "orders.csv", mapping=MAPPING)
    values, _ = kpis(dataset)
    assert values["revenue"] == 22.5 and dataset.currency == "EUR"
    assert "1 value in 'total' is not a number (a sign, a unit or a word): counted as no revenue." in dataset.files[0].notes
