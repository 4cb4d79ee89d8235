"""Revenue in one currency (cjm.data.currencies): money written in two or more currencies is never added up; revenue
counts the currency of most rows with money and the others' money is left out, said in the file's notes. Every
figure is worked out by hand in the comment beside it."""

import math

from cjm.data.currencies import column_for, of_rows
from tests.helpers import parsed_text as load, report_kpis as kpis

import pandas as pd


def notes_of(parsed) -> str:
    return " ".join(n for f in parsed.files for n in f.notes)


def test_a_shopify_style_export_in_two_currencies_counts_the_revenue_of_the_main_one_only():
    # EUR on 3 rows (100 + 50 + 30 = 180), USD on 1 row (108): revenue 180 in EUR, not 288; 3 orders -> AOV 60.
    # The purchases stay purchases whatever their currency: a bought twice, b and c once. Repeat purchase 1 / 3.
    # Every row is kept: 4 in, 4 used.
    parsed = load("order_id,customer_id,created_at,total,currency\n1,a,2024-01-01 10:00,100,EUR\n"
                  "2,a,2024-01-03 10:00,50,EUR\n3,b,2024-01-04 10:00,30,EUR\n4,c,2024-01-05 10:00,108,USD\n")
    figures = kpis(parsed)
    assert figures["revenue"] == 180 and figures["average_order_value"] == 60
    assert figures["repeat_purchase_rate"] == 1 / 3
    a = parsed.accounting
    assert (a.rows_in, a.rows_used, a.rows_rejected) == (4, 4, 0)
    note = notes_of(parsed)
    assert "revenue counts EUR (the currency of most rows with money, 3)" in note
    assert "The money of 1 row in USD (such as line 5) is left out" in note


def test_one_currency_written_in_two_cases_is_one_currency_and_nothing_is_left_out():
    # Stripe writes usd; a hand-made row writes USD: one currency, revenue 10 + 20 = 30, no note.
    parsed = load("id,Customer ID,Created (UTC),Amount,Currency\nch_1,cus_1,2024-01-01 10:00,10,usd\n"
                  "ch_2,cus_2,2024-01-02 10:00,20,USD\n")
    assert kpis(parsed)["revenue"] == 30
    assert "currency" not in notes_of(parsed)


def test_currency_signs_in_the_money_cells_tell_the_currencies_apart():
    # €40 and €60 (a), $25 (b): revenue 100 in EUR; b's $25 left out.
    parsed = load("customer_id,timestamp,event,amount\na,2024-01-01,purchase,€40.00\na,2024-01-02,purchase,€60.00\n"
                  "b,2024-01-03,purchase,$25.00\n")
    assert kpis(parsed)["revenue"] == 100
    assert "The money of 1 row in $ (such as line 4)" in notes_of(parsed)


def test_two_files_in_different_currencies_are_not_added_either():
    # orders_de.csv: 3 EUR rows (10 + 20 + 30 = 60); orders_us.csv: 2 USD rows (5 + 5). Revenue 60.
    from cjm.data.dataset import SourceFile, parse_files
    from tests.helpers import report_kpis

    de = "customer_id,timestamp,event,amount,currency\na,2024-01-01,purchase,10,EUR\nb,2024-01-02,purchase,20,EUR\n" \
         "c,2024-01-03,purchase,30,EUR\n"
    us = "customer_id,timestamp,event,amount,currency\nd,2024-01-01,purchase,5,USD\ne,2024-01-02,purchase,5,USD\n"
    parsed = parse_files([SourceFile("orders_de.csv", de.encode()), SourceFile("orders_us.csv", us.encode())])
    assert report_kpis(parsed)["revenue"] == 60
    us_notes = " ".join(next(f for f in parsed.files if f.name == "orders_us.csv").notes)
    assert "The money of 2 rows in USD (such as line 2)" in us_notes


def test_a_converted_amount_goes_with_the_converted_currency_column():
    frame = pd.DataFrame({"Amount": [10, 20], "Currency": ["gbp", "eur"], "Converted Amount": [12, 21],
                          "Converted Currency": ["usd", "usd"]})
    assert column_for(frame, "Converted Amount") == "Converted Currency"
    assert column_for(frame, "Amount") == "Currency"
    assert of_rows(frame, "Converted Amount").tolist() == ["USD", "USD"]


def test_a_column_named_currency_that_holds_no_codes_is_not_read_as_one():
    # a "Currency" column holding amounts (a badly named export) says nothing of the currency
    frame = pd.DataFrame({"Amount": [10, 20], "Currency": ["10.00", "20.00"]})
    assert column_for(frame, "Amount") is None and of_rows(frame, "Amount") is None


def test_a_refund_in_the_main_currency_still_takes_its_order_back():
    # a: 100 EUR, refunded -100 EUR; b: 40 EUR; c: 7 GBP (left out). Revenue 100 - 100 + 40 = 40.
    parsed = load("order_id,customer_id,created_at,total,currency\n1,a,2024-01-01 10:00,100,EUR\n"
                  "2,a,2024-01-02 10:00,-100,EUR\n3,b,2024-01-03 10:00,40,EUR\n4,c,2024-01-04 10:00,7,GBP\n")
    figures = kpis(parsed)
    assert figures["revenue"] == 40 and not math.isnan(figures["average_order_value"])


def test_the_money_kpis_name_the_currency_revenue_is_in():
    # Revenue and average order value are labelled with the one currency the export writes.
    from cjm.data.dataset import build_dataset
    from cjm.journey.kpis import compute_kpis

    parsed = load("order_id,customer_id,created_at,total,currency\n1,a,2024-01-01 10:00,100,EUR\n"
                  "2,b,2024-01-03 10:00,50,EUR\n")
    labels = compute_kpis(build_dataset(parsed), period="all").set_index("name")["label"]
    assert labels["revenue"] == "Revenue (EUR)" and labels["average_order_value"] == "Average order value (EUR)"
    assert labels["customers"] == "Customers"


def test_the_report_says_the_currency_of_its_money():
    from cjm import report
    from cjm.data.dataset import build_dataset

    parsed = load("order_id,customer_id,created_at,total,currency\n1,a,2024-01-01 10:00,100,gbp\n")
    assert report.build_report(build_dataset(parsed))["currency"] == "GBP"
