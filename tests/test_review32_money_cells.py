"""Review 32: money written as text, read by an upload and in place (DuckDB, PostgreSQL) to the same, right numbers.

Each case writes one revenue column the way a real export does (European, US, Swiss, signs before or after, words
for no value); the figures a marketer would call right are worked out by hand in the comments. Cases where cjm gives
something else are strict xfails that say exactly what it gives.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from cjm import engine
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_files
from cjm.journey.kpis import compute_kpis

WAYS = ["upload", "in place"]


def _write(path, cells, sep=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(["customer_id", "timestamp", "event", "revenue"])
    for i, cell in enumerate(cells):
        writer.writerow([f"c{i:04d}", f"2024-03-01 09:{i % 60:02d}:00", "purchase", cell])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _read(tmp_path, how, cells, sep=","):
    path = _write(tmp_path / "money.csv", cells, sep)
    return load_dataset([path]) if how == "upload" else dataset_from_files(path)


def _revenue(dataset) -> list:
    frame = engine.execute(dataset.events.select("customer_id", "revenue")).sort_values("customer_id")
    return [None if pd.isna(v) else float(v) for v in frame["revenue"]]


def _kpi(dataset) -> float:
    return float(compute_kpis(dataset, period="all").set_index("name")["value"]["revenue"])


def _unread_note(dataset) -> str:
    return " ".join(n for n in dataset.files[0].notes if "not a number" in n or "not numbers" in n)


def _check(dataset, revenue, currency, kpi):
    assert _revenue(dataset) == pytest.approx(revenue, nan_ok=False) if None not in revenue \
        else _revenue(dataset) == revenue
    assert dataset.currency == currency
    assert _kpi(dataset) == pytest.approx(kpi)


# --- Both ways agree and are right -------------------------------------------------------------------------------

@pytest.mark.parametrize("how", WAYS)
def test_european_money_with_a_decimal_comma_and_dot_thousands_is_read_in_euros(tmp_path, how):
    # '1.234,56 €' = 1234.56, '12,5' = 12.5, '0,99' = 0.99; the € names EUR; revenue 1234.56 + 12.5 + 0.99 = 1248.05
    dataset = _read(tmp_path, how, ["1.234,56 €", "12,5", "0,99"])
    _check(dataset, [1234.56, 12.5, 0.99], "EUR", 1248.05)


@pytest.mark.parametrize("how", WAYS)
def test_us_money_with_comma_thousands_keeps_the_dollar_sign_as_written(tmp_path, how):
    # '$1,234.56' = 1234.56, '$1,200' = 1200 (a thousands comma), '$5' = 5; '$' is several currencies' and stays '$';
    # revenue 1234.56 + 1200 + 5 = 2439.56
    dataset = _read(tmp_path, how, ["$1,234.56", "$1,200", "$5"])
    _check(dataset, [1234.56, 1200.0, 5.0], "$", 2439.56)


@pytest.mark.parametrize("how", WAYS)
def test_a_column_whose_only_commas_set_off_thousands_is_read_in_thousands(tmp_path, how):
    # '1,200' = 1200, '12,000' = 12000, '800' = 800: no currency said; revenue 14000
    dataset = _read(tmp_path, how, ["1,200", "12,000", "800"])
    _check(dataset, [1200.0, 12000.0, 800.0], None, 14000.0)


@pytest.mark.parametrize("how", WAYS)
def test_swiss_apostrophes_set_off_thousands(tmp_path, how):
    # "1'234.50" = 1234.50, '12.00' = 12, '7.5' = 7.5; revenue 1254
    dataset = _read(tmp_path, how, ["1'234.50", "12.00", "7.5"])
    _check(dataset, [1234.5, 12.0, 7.5], None, 1254.0)


@pytest.mark.parametrize("how", WAYS)
def test_a_minus_before_a_decimal_comma_amount_is_a_refund(tmp_path, how):
    # '-12,50' = -12.5, '20,00' = 20, '5,00' = 5: net revenue 20 + 5 - 12.5 = 12.5
    dataset = _read(tmp_path, how, ["-12,50", "20,00", "5,00"])
    _check(dataset, [-12.5, 20.0, 5.0], None, 12.5)


@pytest.mark.parametrize("how", WAYS)
def test_a_percent_sign_is_dropped_from_the_number(tmp_path, how):
    # '12%' = 12, '5.5 %' = 5.5, '3' = 3 (odd for money, but the number is plain); revenue 20.5
    dataset = _read(tmp_path, how, ["12%", "5.5 %", "3"])
    _check(dataset, [12.0, 5.5, 3.0], None, 20.5)


@pytest.mark.parametrize("how", WAYS)
def test_yen_with_thousands_commas_keeps_the_yen_sign(tmp_path, how):
    # '¥1,200' = 1200, '¥800' = 800, '¥12,000' = 12000: '¥' is JPY's and CNY's, kept as written; revenue 14000
    dataset = _read(tmp_path, how, ["¥1,200", "¥800", "¥12,000"])
    _check(dataset, [1200.0, 800.0, 12000.0], "¥", 14000.0)


@pytest.mark.parametrize("how", WAYS)
def test_no_break_spaces_around_thousands_and_the_sign_are_dropped(tmp_path, how):
    # '1\u00a0234,56\u00a0€' = 1234.56, '12,00\u00a0€' = 12, '5\u00a0€' = 5; EUR; revenue 1251.56
    dataset = _read(tmp_path, how, ["1\u00a0234,56\u00a0€", "12,00\u00a0€", "5\u00a0€"])
    _check(dataset, [1234.56, 12.0, 5.0], "EUR", 1251.56)


@pytest.mark.parametrize("how", WAYS)
def test_words_for_no_value_leave_the_money_empty_and_are_counted_alike(tmp_path, how):
    # 'n/a', 'NA', '-' are no money (3 values noted both ways), '' is simply empty; '12,50' = 12.5, '8' = 8;
    # revenue 20.5
    dataset = _read(tmp_path, how, ["n/a", "NA", "-", "", "12,50", "8"])
    _check(dataset, [None, None, None, None, 12.5, 8.0], None, 20.5)
    assert "3 values in 'revenue'" in _unread_note(dataset)


@pytest.mark.parametrize("how", WAYS)
def test_infinity_and_nan_are_no_money_and_1e3_is_a_thousand(tmp_path, how):
    # 'inf', 'nan', '-inf' are no money (3 noted); '1e3' = 1000 (a spreadsheet's scientific notation);
    # six '12.5' = 75; revenue 1075
    dataset = _read(tmp_path, how, ["inf", "nan", "1e3", "-inf"] + ["12.5"] * 6)
    _check(dataset, [None, None, 1000.0, None] + [12.5] * 6, None, 1075.0)
    assert "3 values in 'revenue'" in _unread_note(dataset)


@pytest.mark.parametrize("how", WAYS)
def test_mixed_currencies_count_the_most_written_one_and_leave_the_others_out(tmp_path, how):
    # €12,00 and €5,00 are EUR (2 rows), $3.00 is '$', £2,00 GBP: revenue counts EUR, 12 + 5 = 17
    dataset = _read(tmp_path, how, ["€12,00", "€5,00", "$3.00", "£2,00"])
    _check(dataset, [12.0, 5.0, None, None], "EUR", 17.0)
    assert "revenue counts EUR" in " ".join(dataset.files[0].notes)


@pytest.mark.parametrize("how", WAYS)
def test_plain_integers_with_a_few_decimal_comma_cells_read_those_as_decimals(tmp_path, how):
    # '10', '20', '30' whole; '12,5' = 12.5 and '7,25' = 7.25 (the only cells with a separator both write a decimal
    # comma); revenue 10 + 20 + 30 + 12.5 + 7.25 = 79.75
    dataset = _read(tmp_path, how, ["10", "20", "30", "12,5", "7,25"])
    _check(dataset, [10.0, 20.0, 30.0, 12.5, 7.25], None, 79.75)


@pytest.mark.parametrize("how", WAYS)
@pytest.mark.parametrize("sep", [";", ","])
def test_a_semicolon_file_of_decimal_commas_reads_as_a_comma_file_does(tmp_path, how, sep):
    # DuckDB types '12,5' in a ';' file as VARCHAR and '12.5' as DOUBLE: both read 12.5, 7.25, 3; revenue 22.75
    for cells in (["12,5", "7,25", "3"], ["12.5", "7.25", "3"]):
        dataset = _read(tmp_path, how, cells, sep)
        _check(dataset, [12.5, 7.25, 3.0], None, 22.75)


@pytest.mark.parametrize("how", WAYS)
def test_a_currency_code_inside_a_word_or_a_text_is_no_money(tmp_path, how):
    # A code is money only as a whole word beside the number ('3 EUR': the test below). '3 TEUR' (German for 3,000
    # euros), 'ref EUR 3' and 'EURO 3' are not read (both ways say so: 3 values); '12,50€' = 12.5 and twelve '7,00 €'
    # = 84 (13 numbers of 16 cells: enough to take the column for money); EUR; revenue 96.5. (Until 2026-12-07 this
    # test held '3 EUR' unread, then read as 3 EUR.)
    dataset = _read(tmp_path, how, ["12,50€", "3 TEUR", "ref EUR 3", "EURO 3"] + ["7,00 €"] * 12)
    _check(dataset, [12.5, None, None, None] + [7.0] * 12, "EUR", 96.5)
    assert "3 values in 'revenue'" in _unread_note(dataset)


# --- Both ways wrong, or apart --------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", WAYS)
def test_an_accounting_amount_in_parentheses_is_a_refund(tmp_path, how):
    # '(12.50)' is accounting for -12.50; '-3.00' = -3; eight '20.00' = 160; revenue 160 - 3 - 12.5 = 144.5
    dataset = _read(tmp_path, how, ["(12.50)", "-3.00"] + ["20.00"] * 8)
    _check(dataset, [-12.5, -3.0] + [20.0] * 8, None, 144.5)


@pytest.mark.parametrize("how", WAYS)
def test_a_minus_written_after_the_amount_as_sap_does_is_a_refund(tmp_path, how):
    # SAP writes '12,50-' for -12.50: with '100,00' and '7,50' the revenue is 100 + 7.5 - 12.5 = 95
    dataset = _read(tmp_path, how, ["12,50-", "100,00", "7,50"])
    _check(dataset, [-12.5, 100.0, 7.5], None, 95.0)


@pytest.mark.parametrize("how", WAYS)
def test_a_column_of_refunds_in_parentheses_with_signs_is_taken_as_money(tmp_path, how):
    # '($12.50)' = -12.5, '($1,200.00)' = -1200, '$30.00' = 30: net revenue 30 - 12.5 - 1200 = -1182.5, in '$'
    dataset = _read(tmp_path, how, ["($12.50)", "($1,200.00)", "$30.00"])
    _check(dataset, [-12.5, -1200.0, 30.0], "$", -1182.5)


@pytest.mark.parametrize("how", WAYS)
def test_a_cell_written_with_a_currency_code_counts_in_that_currency(tmp_path, how):
    # '3 EUR' = 3 EUR; '12,50€' = 12.5; eight '7,00 €' = 56: revenue 71.5 EUR
    dataset = _read(tmp_path, how, ["12,50€", "3 EUR"] + ["7,00 €"] * 8)
    _check(dataset, [12.5, 3.0] + [7.0] * 8, "EUR", 71.5)


@pytest.mark.parametrize("how", WAYS)
def test_euros_with_only_dot_thousands_are_read_in_thousands(tmp_path, how):
    # A shop writing '1.200 €', '12.000 €', '800 €' means 1200, 12000, 800 euros (cents with three decimals do not
    # exist): revenue 14000 EUR. Doubtful without the sign: '1.200' alone may be 1.2 in a US export.
    dataset = _read(tmp_path, how, ["1.200 €", "12.000 €", "800 €"])
    _check(dataset, [1200.0, 12000.0, 800.0], "EUR", 14000.0)


@pytest.mark.parametrize("how", WAYS)
@pytest.mark.parametrize("cells, revenue, currency, kpi", [
    # 'R$ 10,00' = 10, 'R$ 1.234,50' = 1234.5, 'R$5' = 5, seven 'R$ 1,00' = 7: BRL, revenue 1256.5
    (["R$ 10,00", "R$ 1.234,50", "R$5"] + ["R$ 1,00"] * 7, [10.0, 1234.5, 5.0] + [1.0] * 7, "BRL", 1256.5),
    # 'US$5' = 5, 'US$ 1,200.50' = 1200.5, 'US$0.99' = 0.99, seven 'US$1.00' = 7: USD, revenue 1213.49
    (["US$5", "US$ 1,200.50", "US$0.99"] + ["US$1.00"] * 7, [5.0, 1200.5, 0.99] + [1.0] * 7, "USD", 1213.49),
    # 'zł 12' = 12, '12,50 zł' = 12.5, '1 234,00 zł' = 1234, seven '1,00 zł' = 7: PLN, revenue 1265.5
    (["zł 12", "12,50 zł", "1 234,00 zł"] + ["1,00 zł"] * 7, [12.0, 12.5, 1234.0] + [1.0] * 7, "PLN", 1265.5),
])
def test_money_signs_written_with_letters_are_dropped_before_the_number_is_read(tmp_path, how, cells, revenue,
                                                                                 currency, kpi):
    _check(_read(tmp_path, how, cells), revenue, currency, kpi)


@pytest.mark.parametrize("how", WAYS)
def test_narrow_no_break_spaces_as_french_exports_write_them_are_dropped(tmp_path, how):
    # French locale formatting writes thousands and the sign apart with U+202F: '1\u202f234,56\u202f€' = 1234.56,
    # '12,00\u202f€' = 12, '5\u202f€' = 5: EUR, revenue 1251.56
    dataset = _read(tmp_path, how, ["1\u202f234,56\u202f€", "12,00\u202f€", "5\u202f€"])
    _check(dataset, [1234.56, 12.0, 5.0], "EUR", 1251.56)


@pytest.mark.parametrize("how", WAYS)
def test_decimal_commas_after_two_thousand_whole_numbers_are_still_decimals(tmp_path, how):
    # 2,000 cells '10' = 20000, then '12,5' = 12.5 and '7,25' = 7.25: revenue 20019.75
    dataset = _read(tmp_path, how, ["10"] * 2000 + ["12,5", "7,25"])
    assert _revenue(dataset)[-2:] == [12.5, 7.25]
    assert _kpi(dataset) == pytest.approx(20019.75)


@pytest.mark.parametrize("how", WAYS)
def test_european_money_after_two_thousand_whole_euros_is_read_with_its_decimal_comma(tmp_path, how):
    # 2,000 '10 €' = 20000, then '12,5 €' = 12.5 and '1.234,50 €' = 1234.5: revenue 21247 EUR
    dataset = _read(tmp_path, how, ["10 €"] * 2000 + ["12,5 €", "1.234,50 €"])
    assert _revenue(dataset)[-2:] == [12.5, 1234.5]
    assert dataset.currency == "EUR" and _kpi(dataset) == pytest.approx(21247.0)


# --- PostgreSQL, read in place --------------------------------------------------------------------------------------

def _postgres_dataset(postgres_url, table, cells):
    import sqlalchemy

    from cjm.data.source import dataset_from_table

    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql(f"CREATE TABLE {table} (customer_id text, timestamp text, event text, revenue text)")
        con.exec_driver_sql(f"INSERT INTO {table} VALUES (%s, %s, %s, %s)",
                            [(f"c{i:04d}", f"2024-03-01 09:{i % 60:02d}:00", "purchase", cell or None)
                             for i, cell in enumerate(cells)])
    sa.dispose()
    backend = engine.connect(postgres_url)
    return backend, dataset_from_table(backend, table)


@pytest.mark.postgres
@pytest.mark.parametrize("table, cells, revenue, currency, kpi", [
    # as the upload: 1234.56 + 12.5 + 0.99 = 1248.05 EUR
    ("r32_eu", ["1.234,56 €", "12,5", "0,99"], [1234.56, 12.5, 0.99], "EUR", 1248.05),
    # 'n/a', 'NA', '-' no money, '' empty; 12.5 + 8 = 20.5
    ("r32_missing", ["n/a", "NA", "-", "", "12,50", "8"], [None, None, None, None, 12.5, 8.0], None, 20.5),
    # 'inf', 'nan', '-inf' no money (the guard keeps PostgreSQL from casting them: it would read them as floats);
    # 1000 + 6 x 12.5 = 1075
    ("r32_inf", ["inf", "nan", "1e3", "-inf"] + ["12.5"] * 6, [None, None, 1000.0, None] + [12.5] * 6, None, 1075.0),
    # "1'234.50" + 12 + 7.5 = 1254
    ("r32_swiss", ["1'234.50", "12.00", "7.5"], [1234.5, 12.0, 7.5], None, 1254.0),
    # €12,00 + €5,00 = 17 EUR; $3.00 and £2,00 left out
    ("r32_mixed", ["€12,00", "€5,00", "$3.00", "£2,00"], [12.0, 5.0, None, None], "EUR", 17.0),
    # signs with letters go whole: 10 + 1234.5 + 5 + 7 x 1 = 1256.5 BRL
    ("r32_brl", ["R$ 10,00", "R$ 1.234,50", "R$5"] + ["R$ 1,00"] * 7, [10.0, 1234.5, 5.0] + [1.0] * 7, "BRL", 1256.5),
    # 2,000 '10 €' = 20000, then '12,5 €' = 12.5 and '1.234,50 €' = 1234.5: 21247 EUR
    ("r32_late", ["10 €"] * 2000 + ["12,5 €", "1.234,50 €"], [10.0] * 2000 + [12.5, 1234.5], "EUR", 21247.0),
    # '(12.50)' = -12.5, '12.50-' = -12.5, '-3.00' = -3, seven '20.00' = 140: 140 - 28 = 112
    ("r32_negative", ["(12.50)", "12.50-", "-3.00"] + ["20.00"] * 7, [-12.5, -12.5, -3.0] + [20.0] * 7, None, 112.0),
    # '$2' beside 'US$5', 'US$3' is USD: 5 + 3 + 2 = 10 USD
    ("r32_usd", ["US$5", "US$3", "$2"], [5.0, 3.0, 2.0], "USD", 10.0),
    # U+202F apart: 1234.56 + 12 + 5 = 1251.56 EUR
    ("r32_nnbsp", ["1\u202f234,56\u202f€", "12,00\u202f€", "5\u202f€"], [1234.56, 12.0, 5.0], "EUR", 1251.56),
])
def test_a_postgresql_table_of_money_as_text_reads_as_the_upload_does(postgres_url, table, cells, revenue, currency,
                                                                      kpi):
    backend, dataset = _postgres_dataset(postgres_url, table, cells)
    try:
        _check(dataset, revenue, currency, kpi)
    finally:
        backend.close()


# --- Later cases: money DuckDB types as DOUBLE, and '$' beside 'US$' ------------------------------------------------

@pytest.mark.parametrize("how", WAYS)
@pytest.mark.parametrize("cells", [["12.5", "inf", "3"], ["12.5", "NaN", "3"]])
def test_infinity_in_a_column_of_plain_numbers_is_noted_as_no_money(tmp_path, how, cells):
    # 12.5 + 3 = 15.5; 'inf' / 'NaN' is no money, and 1 value is noted
    dataset = _read(tmp_path, how, cells)
    _check(dataset, [12.5, None, 3.0], None, 15.5)
    assert "1 value in 'revenue'" in _unread_note(dataset)


@pytest.mark.parametrize("how", WAYS)
def test_a_dollar_sign_beside_us_dollars_is_us_dollars(tmp_path, how):
    # 'US$5' and 'US$3' say USD; '$2' in the same column is the same dollars: 5 + 3 + 2 = 10 USD
    dataset = _read(tmp_path, how, ["US$5", "US$3", "$2"])
    _check(dataset, [5.0, 3.0, 2.0], "USD", 10.0)
