"""Money written with an ISO 4217 code ('3 EUR', 'USD 1,200.00'), and euros whose dots set off thousands ('1.200 €'):
read alike by an upload, in place on DuckDB and in place on PostgreSQL.

Every expected figure is worked out by hand in the comment beside its case.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from cjm import engine
from cjm.data.cells import decimal_comma, parse_numbers
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_files
from cjm.journey.kpis import compute_kpis

CASES = {
    # a code after or before the amount names its currency as '€' does: 3 + 3 + 12.5 + 1234.5 = 1253 EUR
    "eur_codes": (["3 EUR", "EUR 3", "12,50 EUR", "EUR 1.234,50"], [3.0, 3.0, 12.5, 1234.5], "EUR", 1253.0),
    # 'USD 1,200.00' = 1200 (a thousands comma), 'USD 5' = 5, '25.50 USD' = 25.5; '$3' beside USD is USD:
    # 1200 + 5 + 3 + 25.5 = 1233.5 USD
    "usd_codes": (["USD 1,200.00", "USD 5", "$3", "25.50 USD"], [1200.0, 5.0, 3.0, 25.5], "USD", 1233.5),
    # EUR on 3 rows (12 + 5 + 8 = 25), USD on 1: revenue counts EUR, the 3 USD is left out
    "mixed_codes": (["12 EUR", "5 EUR", "EUR 8", "USD 3"], [12.0, 5.0, 8.0, None], "EUR", 25.0),
    # the dots of euros written with their sign or code set off thousands when every such cell has only dots, each
    # before three digits: 1200 + 12000 + 800 = 14000 EUR
    "dot_thousands_sign": (["1.200 €", "12.000 €", "800 €"], [1200.0, 12000.0, 800.0], "EUR", 14000.0),
    # 'EUR 1.200' = 1200, 'EUR 2.500.000' = 2,500,000, 'EUR 50' = 50: 2,501,250 EUR
    "dot_thousands_code": (["EUR 1.200", "EUR 2.500.000", "EUR 50"], [1200.0, 2_500_000.0, 50.0], "EUR", 2_501_250.0),
    # a refund in parentheses too: -1200 + 12000 + 800 = 11600 EUR
    "dot_thousands_refund": (["(1.200 €)", "12.000 €", "800 €"], [-1200.0, 12000.0, 800.0], "EUR", 11600.0),
    # Kuwaiti dinars have three decimals: '1.200 KWD' is 1.2 dinars: 1.2 + 12 + 800 = 813.2 KWD
    "three_decimals": (["1.200 KWD", "12.000 KWD", "800 KWD"], [1.2, 12.0, 800.0], "KWD", 813.2),
    # no sign: '1.200' may be 1.2 (a US export) as well as 1200, and stays 1.2 as before: 1.2 + 12 + 800 = 813.2
    "dots_without_sign": (["1.200", "12.000", "800"], [1.2, 12.0, 800.0], None, 813.2),
    # '12.50 €' has cents after its dot: the dots are decimals, 1.2 + 12.5 + 800 = 813.7 EUR
    "dots_with_cents": (["1.200 €", "12.50 €", "800 €"], [1.2, 12.5, 800.0], "EUR", 813.7),
    # '1.200 €' fits both readings; '12,50 €' has two digits after its comma, so it is a decimal comma (no thousands
    # group has two digits) and the column is European: 1200 + 12.5 + 800 = 2012.5 EUR (was 1.2 + 1250 + 800)
    "either_beside_decimal_comma": (["1.200 €", "12,50 €", "800 €"], [1200.0, 12.5, 800.0], "EUR", 2012.5),
}


def _cells(name):
    return CASES[name][0]


def _write(path, cells):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["customer_id", "timestamp", "event", "revenue"])
    for i, cell in enumerate(cells):
        writer.writerow([f"c{i:04d}", f"2024-03-01 09:{i % 60:02d}:00", "purchase", cell])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _revenue(dataset) -> list:
    frame = engine.execute(dataset.events.select("customer_id", "revenue")).sort_values("customer_id")
    return [None if pd.isna(v) else round(float(v), 6) for v in frame["revenue"]]


def _kpi(dataset) -> float:
    return float(compute_kpis(dataset, period="all").set_index("name")["value"]["revenue"])


def _check(dataset, name):
    _, revenue, currency, kpi = CASES[name]
    assert _revenue(dataset) == revenue
    assert dataset.currency == currency
    assert _kpi(dataset) == pytest.approx(kpi)
    if name == "mixed_codes":
        notes = " ".join(dataset.files[0].notes)
        assert "revenue counts EUR (the currency of most rows with money, 3). The money of 1 row in USD" in notes


@pytest.mark.parametrize("how", ["upload", "in place"])
@pytest.mark.parametrize("name", list(CASES))
def test_money_written_with_a_currency_code_or_dot_thousands_is_read_alike_both_ways(tmp_path, how, name):
    path = _write(tmp_path / "money.csv", _cells(name))
    _check(load_dataset([path]) if how == "upload" else dataset_from_files(path), name)


@pytest.mark.parametrize("how", ["upload", "in place"])
def test_euros_with_dot_thousands_after_two_thousand_whole_euros_are_read_in_thousands(tmp_path, how):
    # 2,000 '10 €' = 20000 say nothing about the dots; '1.200 €' and '12.000 €' after them are 1200 and 12000:
    # revenue 20000 + 13200 = 33200 EUR
    path = _write(tmp_path / "money.csv", ["10 €"] * 2000 + ["1.200 €", "12.000 €"])
    dataset = load_dataset([path]) if how == "upload" else dataset_from_files(path)
    assert _revenue(dataset)[-2:] == [1200.0, 12000.0]
    assert dataset.currency == "EUR" and _kpi(dataset) == pytest.approx(33200.0)


def test_a_code_is_read_only_in_upper_case_beside_the_number():
    # '3 EUR', 'EUR3', '3\u00a0EUR' are 3; '3 TEUR' (3,000 euros), 'EURO 3' and 'ref EUR 3' are no number
    numbers, unparsed = parse_numbers(pd.Series(["3 EUR", "EUR3", "3\u00a0EUR", "3 TEUR", "EURO 3", "ref EUR 3"]))
    assert numbers.tolist()[:3] == [3.0, 3.0, 3.0]
    assert unparsed.tolist() == [False, False, False, True, True, True]


def test_dot_thousands_need_the_currency_written_in_every_cell_of_the_vote():
    # the sample is the cells with a separator, signs stripped; beside it the same cells as written
    assert decimal_comma(pd.Series(["1.200", "12.000"]), pd.Series(["1.200 €", "€12.000"]))
    assert not decimal_comma(pd.Series(["1.200", "12.000"]), pd.Series(["1.200 €", "12.000"]))
    assert not decimal_comma(pd.Series(["1.200", "12.000"]))  # no cells as written: as before
    assert not decimal_comma(pd.Series(["1.200", "0.500"]), pd.Series(["1.200 €", "0.500 €"]))  # 0.500 is no thousand


@pytest.mark.postgres
@pytest.mark.parametrize("name", list(CASES))
def test_a_postgresql_table_of_money_with_codes_or_dot_thousands_reads_as_the_upload_does(postgres_url, name):
    import sqlalchemy

    from cjm.data.source import dataset_from_table

    table = f"codes_{name}"
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql(f"CREATE TABLE {table} (customer_id text, timestamp text, event text, revenue text)")
        con.exec_driver_sql(f"INSERT INTO {table} VALUES (%s, %s, %s, %s)",
                            [(f"c{i:04d}", f"2024-03-01 09:{i % 60:02d}:00", "purchase", cell)
                             for i, cell in enumerate(_cells(name))])
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        _check(dataset_from_table(backend, table), name)
    finally:
        backend.close()
