"""Money written as shops write it ('12,00 €', '8 €', '£7,50', 'n/a'): read alike by an upload and in place.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from cjm import engine
from cjm.data.cells import parse_numbers
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_files
from cjm.journey.kpis import compute_kpis

SHOP = ("customer_id,timestamp,event,revenue\n"
        'a,2024-03-01 09:00:00,purchase,"1.234,50 €"\n'
        'b,2024-03-01 09:10:00,purchase,"12,00 €"\n'
        'c,2024-03-01 09:20:00,purchase,"£7,50"\n'
        "d,2024-03-01 09:30:00,purchase,n/a\n"
        'f,2024-03-01 09:40:00,purchase,"8 €"\n'
        "g,2024-03-01 09:50:00,view,\n")


def test_cells_without_a_comma_or_a_dot_do_not_outvote_the_decimal_commas():
    # '8' and 'n/a' say nothing about the separator; the three cells that have one all write a decimal comma
    numbers, unparsed = parse_numbers(pd.Series(["1.234,50 €", "12,00 €", "£7,50", "n/a", "8 €", "inf"]))
    assert numbers.tolist()[:3] == [1234.5, 12.0, 7.5] and numbers.tolist()[4] == 8.0
    assert math.isnan(numbers.tolist()[3]) and math.isnan(numbers.tolist()[5])
    assert unparsed.tolist() == [False, False, False, True, False, True]


def test_commas_that_only_set_off_thousands_stay_thousands():
    assert parse_numbers(pd.Series(["$1,200", "$800", "$12,000", "n/a"]))[0].tolist()[:3] == [1200.0, 800.0, 12000.0]
    assert parse_numbers(pd.Series(["1,234.50", "12.00", "8"]))[0].tolist() == [1234.5, 12.0, 8.0]


def _revenue(dataset) -> dict:
    frame = engine.execute(dataset.events.select("customer_id", "revenue"))
    return {c: (None if pd.isna(v) else float(v)) for c, v in zip(frame["customer_id"], frame["revenue"])}


@pytest.mark.parametrize("how", ["upload", "in place"])
def test_a_shops_money_is_read_with_its_currency_from_the_signs(tmp_path, how):
    path = tmp_path / "shop.csv"
    path.write_text(SHOP, encoding="utf-8")
    dataset = load_dataset([path]) if how == "upload" else dataset_from_files(path)
    # c's £7.50 is in another currency than most rows with money (3 in EUR): left out of revenue
    assert dataset.currency == "EUR"
    assert _revenue(dataset) == {"a": 1234.5, "b": 12.0, "c": None, "d": None, "f": 8.0, "g": None}
    kpis = compute_kpis(dataset, period="all").set_index("name")["value"]
    assert kpis["revenue"] == pytest.approx(1254.5)  # 1,234.50 + 12 + 8
    notes = " ".join(dataset.files[0].notes)
    assert "1 row in GBP" in notes


def test_a_single_sign_in_place_gives_money_where_it_gave_none(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("customer_id,timestamp,event,revenue\na,2024-03-01 09:00:00,purchase,5 €\n"
                    "b,2024-03-01 09:00:00,view,\n", encoding="utf-8")
    dataset = dataset_from_files(path)
    assert dataset.currency == "EUR" and _revenue(dataset) == {"a": 5.0, "b": None}
    assert not any("not a number" in n for n in dataset.files[0].notes)


@pytest.mark.postgres
def test_a_postgresql_table_of_money_as_text_reads_it_as_an_upload_does(postgres_url):
    import sqlalchemy

    from cjm.data.source import dataset_from_table

    rows = [line.rsplit(",", 1) if '"' not in line else line.split(',"') for line in SHOP.splitlines()[1:]]
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql("CREATE TABLE shop_money (customer_id text, timestamp text, event text, revenue text)")
        for head, money in rows:
            customer, timestamp, event = head.split(",")
            con.exec_driver_sql("INSERT INTO shop_money VALUES (%s, %s, %s, %s)",
                                (customer, timestamp, event, money.strip('"') or None))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        dataset = dataset_from_table(backend, "shop_money")
        assert dataset.currency == "EUR"
        assert _revenue(dataset) == {"a": 1234.5, "b": 12.0, "c": None, "d": None, "f": 8.0, "g": None}
    finally:
        backend.close()
