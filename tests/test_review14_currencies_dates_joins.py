"""Review 14: the three rules that landed together, tried on small literal exports in the shapes of real ones.

1. Revenue in one currency (cjm.data.currencies): money written in two or more currencies is never added up; revenue
   counts the currency of most rows with money, the others' money is left out with a note, and the money KPIs and
   the report name the currency.
2. Numbers read as dates must span at most 30 years (cjm.data.timestamps.looks_like_timestamps), so an Income column
   is no Excel date column.
3. A customers file's "Join ids written another way" switch (ColumnMapping.inferred_joins): off, only ids written
   exactly alike join.

Every expected figure is worked out by hand in the comment beside it. A test marked xfail(strict=True) is a defect
found by this review: its reason says what cjm does instead; it must start passing (and lose its marker) when fixed.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjm.data.columns import ColumnMapping, suggest_mapping
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.data.timestamps import looks_like_timestamps
from cjm.journey.kpis import compute_kpis
from tests.helpers import parsed_rows, parsed_text, report_kpis


def load(*files, mappings=None):
    """Several uploads at once: (name, text) pairs."""
    return parse_files([SourceFile(name, text.encode()) for name, text in files], mappings=mappings)


def notes_of(parsed, name=None) -> str:
    return " ".join(n for f in parsed.files if name is None or f.name == name for n in f.notes)


def money_labels(parsed) -> dict:
    table = compute_kpis(build_dataset(parsed), period="all").set_index("name")
    return {"revenue": table.loc["revenue", "label"], "average_order_value": table.loc["average_order_value", "label"]}


def accounting(parsed) -> tuple[int, int, int]:
    a = parsed.accounting
    return a.rows_in, a.rows_used, a.rows_rejected


def excel(day: str) -> int:
    """The Excel serial of a day (1899-12-30 is 0): 2024-01-05 is 45296."""
    return (pd.Timestamp(day) - pd.Timestamp("1899-12-30")).days


# ---------------------------------------------------------------------------------------------------------------
# 1. Revenue in one currency: cases that are right
# ---------------------------------------------------------------------------------------------------------------

# Shopify's orders export: one row per line item; Currency, Total and the statuses are written on an order's first
# line only, Name, Email, Created at and the Lineitem columns on every line.
SHOPIFY = """Name,Email,Financial Status,Paid at,Fulfillment Status,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Id
#1001,ann@x.com,paid,2024-01-01 10:00:00 +0100,fulfilled,no,EUR,50.00,0.00,0.00,50.00,2024-01-01 10:00:00 +0100,1,Shirt,20.00,S1,Ann,5001
#1001,ann@x.com,,,,,,,,,,2024-01-01 10:00:00 +0100,1,Hat,30.00,H1,,
#1002,bob@x.com,paid,2024-01-02 10:00:00 +0100,fulfilled,no,USD,40.00,0.00,0.00,40.00,2024-01-02 10:00:00 +0100,2,Mug,10.00,M1,Bob,5002
#1002,bob@x.com,,,,,,,,,,2024-01-02 10:00:00 +0100,2,Cap,10.00,C1,,
#1003,ann@x.com,paid,2024-01-05 10:00:00 +0100,fulfilled,no,EUR,30.00,0.00,0.00,30.00,2024-01-05 10:00:00 +0100,1,Sock,30.00,K1,Ann,5003
"""


def test_a_shopify_orders_export_in_two_currencies_counts_the_euro_orders_once_each():
    # Revenue is 'Total', on each order's first line: EUR #1001 50 and #1003 30, USD #1002 40 (left out).
    # Rows with money: EUR 2, USD 1 -> EUR. Revenue 50 + 30 = 80 EUR; orders (moments with money) 2 -> AOV 40.
    # Purchases by name ('purchase'): ann on 1 Jan and 5 Jan (2), bob on 2 Jan (1): repeat 1 / 2.
    # Customers 2; rows 5 in, 5 used, 0 rejected.
    parsed = parsed_text(SHOPIFY, "orders_export.csv")
    assert parsed.files[0].mapping.columns["revenue"] == "Total"
    figures = report_kpis(parsed)
    assert figures["revenue"] == 80 and figures["average_order_value"] == 40
    assert figures["repeat_purchase_rate"] == 1 / 2 and figures["customers"] == 2
    assert accounting(parsed) == (5, 5, 0)
    assert parsed.currency == "EUR"
    assert money_labels(parsed) == {"revenue": "Revenue (EUR)", "average_order_value": "Average order value (EUR)"}
    assert "The money of 1 row in USD (such as line 4)" in notes_of(parsed)


def test_a_woocommerce_export_with_the_order_total_on_every_line_counts_each_order_once_in_its_currency():
    # Order Total repeated on the lines of order 101 counts once (60). EUR orders 101 (60), 104 (15), 105 (25):
    # 3 rows with money; USD 102 (30), 103 (25): 2 rows -> EUR. Revenue 60 + 15 + 25 = 100 EUR over 3 orders:
    # AOV 33.33. Purchases: ann 101 and 104 (2), bob 1, cy 1, dan 1 -> repeat 1 / 4. Rows 6 in, 6 used.
    woo = ("Order ID,Order Date,Order Status,Customer Email,Order Currency,Order Total,Item Name,Quantity,Item Cost\n"
           "101,2024-01-01 10:00,completed,ann@x.com,EUR,60.00,Shirt,1,20.00\n"
           "101,2024-01-01 10:00,completed,ann@x.com,EUR,60.00,Hat,2,20.00\n"
           "102,2024-01-02 10:00,completed,bob@x.com,USD,30.00,Mug,1,30.00\n"
           "103,2024-01-03 10:00,completed,cy@x.com,USD,25.00,Cap,1,25.00\n"
           "104,2024-01-04 10:00,completed,ann@x.com,EUR,15.00,Sock,1,15.00\n"
           "105,2024-01-05 10:00,completed,dan@x.com,EUR,25.00,Belt,1,25.00\n")
    parsed = parsed_text(woo, "woocommerce_orders.csv")
    figures = report_kpis(parsed)
    assert figures["revenue"] == 100 and figures["average_order_value"] == pytest.approx(100 / 3)
    assert figures["repeat_purchase_rate"] == 1 / 4
    assert accounting(parsed) == (6, 6, 0) and parsed.currency == "EUR"


def test_an_amazon_orders_report_with_a_pending_order_without_price_or_currency_keeps_its_row():
    # Tab-separated, mapped by the user (buyer-email is the customer). 111-1: 10 USD; 111-2 pending: no price, no
    # currency; 302-3: 18 EUR, 302-4: 12 EUR. Rows with money: EUR 2, USD 1 -> EUR. Revenue 30, 2 orders -> AOV 15.
    # Purchases: ann 1, bob 1 (the pending order is an event named purchase), cy 2 -> repeat 1 / 3. 4 rows used.
    report = ("amazon-order-id\tpurchase-date\torder-status\tbuyer-email\tsales-channel\tproduct-name\tquantity\t"
              "currency\titem-price\n"
              "111-1\t2024-01-01T10:00:00+00:00\tShipped\tann@x.com\tAmazon.com\tMug\t1\tUSD\t10.00\n"
              "111-2\t2024-01-02T10:00:00+00:00\tPending\tbob@x.com\tAmazon.com\tCap\t1\t\t\n"
              "302-3\t2024-01-03T10:00:00+00:00\tShipped\tcy@x.com\tAmazon.de\tTasse\t2\tEUR\t18.00\n"
              "302-4\t2024-01-04T10:00:00+00:00\tShipped\tcy@x.com\tAmazon.de\tMütze\t1\tEUR\t12.00\n")
    mapping = ColumnMapping(columns={"customer_id": "buyer-email", "timestamp": "purchase-date",
                                     "revenue": "item-price"}, event_constant="purchase")
    parsed = load(("orders.txt", report), mappings={"orders.txt": mapping})
    figures = report_kpis(parsed)
    assert figures["revenue"] == 30 and figures["average_order_value"] == 15
    assert figures["repeat_purchase_rate"] == 1 / 3 and figures["customers"] == 3
    assert accounting(parsed) == (4, 4, 0) and parsed.currency == "EUR"


def test_a_paypal_activity_download_counts_the_payments_of_its_main_currency_and_rejects_nameless_conversions():
    # PayPal writes a payment in EUR and the two "General Currency Conversion" rows that move it to USD; those have no
    # Name (the customer column) and are rejected as "missing customer id". Kept: Ann 100 EUR, Bob 50 USD, Cy 30 USD.
    # Rows with money: USD 2, EUR 1 -> USD. Revenue 50 + 30 = 80 USD (the EUR payment is left out, not converted:
    # cjm does not convert). Rows 5 in, 3 used, 2 rejected.
    paypal = ('"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net","From Email Address",'
              '"To Email Address","Transaction ID","Reference Txn ID","Balance Impact"\n'
              '"01/02/2024","10:00:00","PST","Ann","Website Payment","Completed","EUR","100.00","-3.20","96.80",'
              '"ann@x.com","shop@x.com","1A","","Credit"\n'
              '"01/02/2024","10:00:00","PST","","General Currency Conversion","Completed","EUR","-96.80","0.00",'
              '"-96.80","shop@x.com","","2A","1A","Debit"\n'
              '"01/02/2024","10:00:00","PST","","General Currency Conversion","Completed","USD","104.00","0.00",'
              '"104.00","","shop@x.com","3A","1A","Credit"\n'
              '"01/03/2024","11:00:00","PST","Bob","Website Payment","Completed","USD","50.00","-1.80","48.20",'
              '"bob@x.com","shop@x.com","4A","","Credit"\n'
              '"01/04/2024","12:00:00","PST","Cy","Website Payment","Completed","USD","30.00","-1.20","28.80",'
              '"cy@x.com","shop@x.com","5A","","Credit"\n')
    parsed = parsed_text(paypal, "Download.CSV")
    assert parsed.files[0].mapping.columns["revenue"] == "Gross"
    assert report_kpis(parsed)["revenue"] == 80 and parsed.currency == "USD"
    assert accounting(parsed) == (5, 3, 2)


def test_a_german_export_with_euro_signs_in_its_cells_is_revenue_in_eur():
    # '12,50 €', '1.200,00 €', '7,50 €': 12.5 + 1200 + 7.5 = 1,220 EUR over 3 orders -> AOV 406.67.
    # Kauf is a purchase: a 2, b 1 -> repeat 1 / 2.
    german = ('Kunde;Datum;Ereignis;Betrag\na;01.02.2024;Kauf;"12,50 €"\na;03.02.2024;Kauf;"1.200,00 €"\n'
              'b;04.02.2024;Kauf;"7,50 €"\n')
    parsed = parsed_text(german, "bestellungen.csv")
    figures = report_kpis(parsed)
    assert figures["revenue"] == 1220 and figures["average_order_value"] == pytest.approx(1220 / 3)
    assert figures["repeat_purchase_rate"] == 1 / 2
    assert parsed.currency == "EUR" and money_labels(parsed)["revenue"] == "Revenue (EUR)"


def test_a_german_export_with_a_waehrung_column_leaves_the_swiss_francs_out():
    # Währung: EUR on 2 rows (12,50 + 20,00 = 32,50), CHF on 1 (99,00, left out). Revenue 32.5 EUR, AOV 16.25.
    german = ("Bestellnummer;Kunde;Bestelldatum;Betrag;Währung\n1;a;01.02.2024;12,50;EUR\n2;b;02.02.2024;99,00;CHF\n"
              "3;a;05.02.2024;20,00;EUR\n")
    parsed = parsed_text(german, "bestellungen.csv")
    figures = report_kpis(parsed)
    assert figures["revenue"] == 32.5 and figures["average_order_value"] == 16.25
    assert "The money of 1 row in CHF (such as line 3)" in notes_of(parsed)


def test_an_export_whose_revenue_is_blank_on_some_rows_counts_only_rows_with_money_for_the_currency():
    # Page views have no money and no currency. Money: a 40 EUR, b 10 GBP (left out), c 25 EUR; c's second purchase
    # has a currency but no money. Rows with money: EUR 2, GBP 1 -> EUR. Revenue 65 over 2 orders -> AOV 32.5.
    # Purchases by name: a 1, b 1, c 2 -> repeat 1 / 3. Rows 6 in, 6 used.
    parsed = parsed_text("customer_id,timestamp,event,revenue,currency\na,2024-01-01,page_view,,\n"
                         "a,2024-01-02,purchase,40,EUR\nb,2024-01-03,page_view,,\nb,2024-01-04,purchase,10,GBP\n"
                         "c,2024-01-05,purchase,25,EUR\nc,2024-01-06,purchase,,EUR\n")
    figures = report_kpis(parsed)
    assert figures["revenue"] == 65 and figures["average_order_value"] == 32.5
    assert figures["repeat_purchase_rate"] == 1 / 3
    assert accounting(parsed) == (6, 6, 0) and parsed.currency == "EUR"


def test_a_currency_column_with_one_currency_only_changes_nothing_but_the_label():
    # All EUR: revenue 40 + 10 + 25 = 75 over 3 orders -> AOV 25; a 2, b 1 -> repeat 1 / 2; no note about currencies.
    parsed = parsed_text("customer_id,timestamp,event,revenue,currency\na,2024-01-01,purchase,40,EUR\n"
                         "a,2024-01-02,purchase,10,EUR\nb,2024-01-03,purchase,25,EUR\n")
    figures = report_kpis(parsed)
    assert (figures["revenue"], figures["average_order_value"], figures["repeat_purchase_rate"]) == (75, 25, 1 / 2)
    assert "currency" not in notes_of(parsed).lower()
    assert money_labels(parsed)["average_order_value"] == "Average order value (EUR)"


def test_a_wide_orders_export_in_two_currencies_counts_each_main_currency_order_once_on_its_first_event():
    # One row per order, three dated steps; the estimated date is an on time / late attribute. Money once per order,
    # on its purchase event: EUR o1 100, o2 50, o4 30 (3 records with money), USD o3 70 (left out).
    # Revenue 180 EUR over 3 orders -> AOV 60. Events: 3 + 3 + 3 + 2 (o4 not delivered) = 11. Rows 4 in, 4 used.
    wide = ("order_id,customer_id,order_purchase_timestamp,order_approved_at,order_delivered_customer_date,"
            "order_estimated_delivery_date,total,currency\n"
            "o1,a,2024-01-01 10:00,2024-01-01 11:00,2024-01-05 10:00,2024-01-10,100.00,EUR\n"
            "o2,a,2024-02-01 10:00,2024-02-01 11:00,2024-02-05 10:00,2024-02-10,50.00,EUR\n"
            "o3,b,2024-01-03 10:00,2024-01-03 11:00,2024-01-08 10:00,2024-01-12,70.00,USD\n"
            "o4,c,2024-01-04 10:00,2024-01-04 11:00,,2024-01-14,30.00,EUR\n")
    parsed = parsed_text(wide, "orders.csv")
    assert parsed.files[0].mapping.shape == "wide"
    figures = report_kpis(parsed)
    assert figures["revenue"] == 180 and figures["average_order_value"] == 60
    assert len(parsed_rows(parsed)) == 11 and accounting(parsed) == (4, 4, 0)


def test_a_stripe_export_mapped_to_its_converted_amount_counts_every_charge_in_the_converted_currency():
    # Mapped by the user to 'Converted Amount', whose currency is 'Converted Currency' (usd on every row):
    # 108 + 63 + 20 + 30 = 221 USD over 4 charges -> AOV 55.25; cus_1 paid twice -> repeat 1 / 3.
    mapping = ColumnMapping(columns={"customer_id": "Customer ID", "timestamp": "Created (UTC)",
                                     "revenue": "Converted Amount"}, event_constant="purchase")
    parsed = load(("unified_payments.csv", STRIPE), mappings={"unified_payments.csv": mapping})
    figures = report_kpis(parsed)
    assert figures["revenue"] == 221 and figures["average_order_value"] == 55.25
    assert figures["repeat_purchase_rate"] == 1 / 3 and parsed.currency == "USD"


# ---------------------------------------------------------------------------------------------------------------
# 1. Revenue in one currency: defects
# ---------------------------------------------------------------------------------------------------------------

# Stripe's unified payments export: Amount in the customer's currency, Converted Amount in the account's (usd).
STRIPE = """id,Description,Created (UTC),Amount,Amount Refunded,Currency,Converted Amount,Converted Amount Refunded,Fee,Taxes On Fee,Converted Currency,Mode,Status,Customer ID,Customer Email
ch_1,Order 1,2024-01-01 10:00:00,100.00,0.00,eur,108.00,0.00,3.43,0.00,usd,Live,Paid,cus_1,a@x.com
ch_2,Order 2,2024-01-02 10:00:00,50.00,0.00,gbp,63.00,0.00,2.13,0.00,usd,Live,Paid,cus_2,b@x.com
ch_3,Order 3,2024-01-03 10:00:00,20.00,0.00,usd,20.00,0.00,0.88,0.00,usd,Live,Paid,cus_1,a@x.com
ch_4,Order 4,2024-01-04 10:00:00,30.00,0.00,usd,30.00,0.00,1.17,0.00,usd,Live,Paid,cus_3,c@x.com
"""


def test_a_stripe_payments_export_in_three_currencies_counts_its_converted_amounts_rather_than_dropping_charges():
    # Every charge is in 'Converted Amount' in usd: 108 + 63 + 20 + 30 = 221 USD, 4 charges -> AOV 55.25.
    parsed = parsed_text(STRIPE, "unified_payments.csv")
    figures = report_kpis(parsed)
    assert figures["revenue"] == 221 and figures["average_order_value"] == 55.25
    assert parsed.currency == "USD"


def test_a_revenue_column_whose_name_says_usd_is_in_usd_whatever_the_rows_currency_column_says():
    # GA4 flattened from BigQuery: 'currency' is the currency the shop charged, 'purchase_revenue_in_usd' the revenue
    # converted by Google. Every value is USD: 108 + 54 + 50.8 + 20 = 232.8 USD over 4 purchases -> AOV 58.2.
    ga4 = ("event_date,event_timestamp,event_name,user_pseudo_id,currency,purchase_revenue_in_usd\n"
           "20240101,1704103200000000,purchase,111.1,EUR,108.0\n20240102,1704189600000000,purchase,222.2,EUR,54.0\n"
           "20240103,1704276000000000,purchase,333.3,GBP,50.8\n20240104,1704362400000000,purchase,111.1,USD,20.0\n")
    parsed = parsed_text(ga4, "ga4_purchases.csv")
    assert parsed.files[0].mapping.columns["revenue"] == "purchase_revenue_in_usd"
    figures = report_kpis(parsed)
    assert figures["revenue"] == pytest.approx(232.8) and figures["average_order_value"] == pytest.approx(58.2)
    assert parsed.currency == "USD"


def test_line_items_of_an_order_whose_currency_is_written_on_its_first_line_are_in_that_currency():
    # Revenue = Lineitem quantity x Lineitem price (mapped by the user). #1001 (EUR): 20 + 30; #1002 (USD, Currency on
    # its first line only): 20 + 20, all left out; #1003 (EUR): 30. Revenue 20 + 30 + 30 = 80 EUR; orders (moments
    # with money) #1001 and #1003 -> AOV 40.
    mapping = ColumnMapping(columns={"customer_id": "Email", "timestamp": "Created at"}, event_constant="purchase",
                            revenue_from=["Lineitem quantity", "Lineitem price"])
    parsed = load(("orders_export.csv", SHOPIFY), mappings={"orders_export.csv": mapping})
    figures = report_kpis(parsed)
    assert figures["revenue"] == 80 and figures["average_order_value"] == 40


def test_a_customer_who_paid_only_in_another_currency_still_counts_in_the_repeat_purchase_rate():
    # 'payment' is no purchase name, so purchases are the events with positive money. a pays twice (EUR), b twice
    # (USD), c once (EUR): purchasers a, b, c; with 2+ a and b -> repeat 2 / 3. Revenue 10 + 20 + 30 = 60 EUR.
    parsed = parsed_text("customer_id,timestamp,event,amount,currency\na,2024-01-01,payment,10,EUR\n"
                         "a,2024-01-05,payment,20,EUR\nb,2024-01-02,payment,15,USD\nb,2024-01-09,payment,15,USD\n"
                         "c,2024-01-03,payment,30,EUR\n", "payments.csv")
    figures = report_kpis(parsed)
    assert figures["revenue"] == 60
    assert figures["repeat_purchase_rate"] == pytest.approx(2 / 3)


def test_a_wide_orders_export_keeps_a_customer_of_the_other_currency_among_the_purchasers():
    # Purchasers a (o1, o2), b (o3, USD), c (o4): 1 of 3 bought twice -> repeat 1 / 3.
    wide = ("order_id,customer_id,order_purchase_timestamp,order_approved_at,total,currency\n"
            "o1,a,2024-01-01 10:00,2024-01-01 11:00,100.00,EUR\no2,a,2024-02-01 10:00,2024-02-01 11:00,50.00,EUR\n"
            "o3,b,2024-01-03 10:00,2024-01-03 11:00,70.00,USD\no4,c,2024-01-04 10:00,2024-01-04 11:00,30.00,EUR\n")
    parsed = parsed_text(wide, "orders.csv")
    assert report_kpis(parsed)["repeat_purchase_rate"] == pytest.approx(1 / 3)


def test_money_of_a_file_that_says_no_currency_is_not_labelled_with_another_files_currency_without_a_note():
    # orders_de.csv says EUR (10 + 20); shop_us.csv's revenue is bare numbers (500 + 700 + 900). cjm cannot know the
    # second file's currency: either the label claims no currency, or shop_us.csv's notes say its money is read as EUR.
    de = "customer_id,timestamp,event,amount,currency\na,2024-01-01,purchase,10,EUR\nb,2024-01-02,purchase,20,EUR\n"
    us = ("customer_id,timestamp,event,revenue\nc,2024-01-03,purchase,500\nd,2024-01-04,purchase,700\n"
          "e,2024-01-05,purchase,900\n")
    parsed = load(("orders_de.csv", de), ("shop_us.csv", us))
    assert money_labels(parsed)["revenue"] == "Revenue" or "EUR" in notes_of(parsed, "shop_us.csv")


def test_dollar_signs_beside_a_file_that_names_usd_are_the_same_dollars():
    # stripe.csv: usd 10 + 20; shop.csv: $5.00 + $7.00 + $9.00. The only dollar any file names is USD: revenue
    # 10 + 20 + 5 + 7 + 9 = 51 USD over 5 orders.
    stripe = "customer_id,timestamp,event,amount,currency\na,2024-01-01,purchase,10,USD\nb,2024-01-02,purchase,20,USD\n"
    shop = ("customer_id,timestamp,event,amount\nc,2024-01-03,purchase,$5.00\nd,2024-01-04,purchase,$7.00\n"
            "e,2024-01-05,purchase,$9.00\n")
    parsed = load(("stripe.csv", stripe), ("shop.csv", shop))
    assert report_kpis(parsed)["revenue"] == 51


JAPANESE = ('顧客ID,注文日,金額\nc1,2024-01-01,"¥1,200"\nc1,2024-01-02,"¥800"\nc2,2024-01-03,"¥12,000"\n')


def test_a_japanese_stores_yen_amounts_are_its_revenue():
    # 金額 is a revenue name; '¥1,200', '¥800', '¥12,000' are 1,200 + 800 + 12,000 = 14,000 yen.
    parsed = parsed_text(JAPANESE, "注文.csv")
    assert parsed.files[0].mapping.columns.get("revenue") == "金額"


def test_yen_amounts_with_thousands_separators_are_read_as_thousands():
    # Yen has no minor unit: '¥1,200' is 1,200. Revenue 1,200 + 800 + 12,000 = 14,000 over 3 orders, in ¥.
    mapping = ColumnMapping(columns={"customer_id": "顧客ID", "timestamp": "注文日", "revenue": "金額"},
                            event_constant="purchase")
    parsed = load(("注文.csv", JAPANESE), mappings={"注文.csv": mapping})
    assert parsed.currency == "¥"
    assert report_kpis(parsed)["revenue"] == 14000


def test_a_saved_dashboard_reopened_from_its_snapshot_still_names_its_currency():
    # The Shopify export above: revenue 80 in EUR, before and after the snapshot round trip.
    from cjm import report
    from cjm.store import read_snapshot, take_snapshot

    dataset = build_dataset(parsed_text(SHOPIFY, "orders_export.csv"))
    reopened = build_dataset(read_snapshot(take_snapshot(dataset), key="review14_currency"))
    assert report.build_report(reopened)["kpis"]["revenue"] == 80
    assert reopened.currency == "EUR"
    assert compute_kpis(reopened, period="all").set_index("name").loc["revenue", "label"] == "Revenue (EUR)"


# ---------------------------------------------------------------------------------------------------------------
# 2. Numbers read as dates span at most 30 years: cases that are right
# ---------------------------------------------------------------------------------------------------------------

def test_an_event_log_of_excel_serial_dates_over_three_years_is_read_by_content():
    # 'Transaction Date' is no date name cjm knows, so its content decides: 44257 (2021-03-01), 44713 (2022-06-01),
    # 45296 (2024-01-05) span under 3 years. Revenue 10 + 20 + 30 = 60; c1 twice -> repeat 1 / 2; 3 rows used.
    text = (f"Customer ID,Transaction Date,Amount\nc1,{excel('2021-03-01')},10\nc1,{excel('2022-06-01')},20\n"
            f"c2,{excel('2024-01-05')},30\n")
    parsed = parsed_text(text, "transactions.csv")
    assert parsed.files[0].mapping.columns["timestamp"] == "Transaction Date"
    days = parsed_rows(parsed)["timestamp"].dt.strftime("%Y-%m-%d").tolist()
    assert days == ["2021-03-01", "2022-06-01", "2024-01-05"]
    figures = report_kpis(parsed)
    assert figures["revenue"] == 60 and figures["repeat_purchase_rate"] == 1 / 2
    assert accounting(parsed) == (3, 3, 0)


def test_excel_serial_dates_from_1995_to_2024_span_29_years_and_are_still_dates():
    # 34759 (1995-03-01) .. 45296 (2024-01-05): 28.9 years, under the 30-year limit.
    assert looks_like_timestamps(pd.Series([excel("1995-03-01"), excel("2005-06-01"), excel("2024-01-05")])) == 1.0


def test_epoch_seconds_and_milliseconds_logs_are_read_by_content():
    # 1704103200 = 2024-01-01 10:00 UTC; in milliseconds 1704103200000. Column names cjm does not know.
    seconds = "visitor,logged,page\nu1,1704103200,home\nu1,1704106800,cart\nu2,1706781600,home\n"
    millis = "visitor,logged,page\nu1,1704103200000,home\nu1,1704106800000,cart\nu2,1706781600000,home\n"
    for text in (seconds, millis):
        parsed = parsed_text(text, "log.csv")
        assert parsed.files[0].mapping.columns["timestamp"] == "logged"
        stamps = parsed_rows(parsed)["timestamp"].dt.strftime("%Y-%m-%d %H:%M").tolist()
        assert stamps == ["2024-01-01 10:00", "2024-01-01 11:00", "2024-02-01 10:00"]


def test_yyyymmdd_dates_are_read_as_dates():
    # CDNOW's shape: 19970101 .. 19980630 as whole numbers.
    assert looks_like_timestamps(pd.Series([19970101, 19970215, 19980630])) == 1.0


def test_incomes_beside_ids_still_make_a_customers_file():
    # The case the rule was made for: 46,000 .. 71,000 read as Excel dates span 2025 .. 2094.
    mapping = suggest_mapping(pd.DataFrame({"ID": ["1", "2", "9"], "Income": [58000, 46000, 71000]}),
                              timestamp_score=looks_like_timestamps)
    assert "timestamp" not in mapping.columns


# ---------------------------------------------------------------------------------------------------------------
# 2. Numbers read as dates: defects
# ---------------------------------------------------------------------------------------------------------------

CRM_SINCE = "Customer ID,Customer Since,Segment\nc1,{},gold\nc2,{},silver\nc3,{},gold\n"


def test_customer_since_dates_from_1990_to_2024_load_alike_as_excel_serials_and_as_text():
    # 1990-02-01, 2001-06-01, 2024-01-05: real dates of a CRM, 34 years apart. As ISO text cjm maps 'Customer Since'
    # as the timestamp (3 customers, 3 events); the same days as Excel serials (32905, 37043, 45296) must load alike.
    days = ("1990-02-01", "2001-06-01", "2024-01-05")
    as_text = parsed_text(CRM_SINCE.format(*days), "crm.csv")
    assert as_text.files[0].mapping.columns["timestamp"] == "Customer Since"
    as_serials = parsed_text(CRM_SINCE.format(*(excel(d) for d in days)), "crm.csv")
    assert as_serials.files[0].mapping.columns["timestamp"] == "Customer Since"
    assert parsed_rows(as_serials)["timestamp"].dt.strftime("%Y-%m-%d").tolist() == list(days)


def test_one_mistyped_year_does_not_stop_an_excel_serial_column_being_the_timestamp():
    # 44931 (2023-01-05), 44962 (2023-02-05), 44986 (2023-03-01), and 70204 (2093-03-15, typed for 2023). Written as
    # ISO text, cjm maps the column and keeps the 2093 row (dates up to 2100 are kept): 4 rows used, revenue 100.
    rows = [("c1", "2023-01-05", 10), ("c1", "2023-02-05", 20), ("c2", "2023-03-01", 30), ("c3", "2093-03-15", 40)]
    as_text = parsed_text("Customer ID,Transaction Date,Amount\n" + "".join(f"{c},{d},{a}\n" for c, d, a in rows))
    assert as_text.files[0].mapping.columns["timestamp"] == "Transaction Date" and accounting(as_text) == (4, 4, 0)
    parsed = parsed_text("Customer ID,Transaction Date,Amount\n" + "".join(f"{c},{excel(d)},{a}\n" for c, d, a in rows))
    assert parsed.files[0].mapping.columns["timestamp"] == "Transaction Date"
    assert accounting(parsed) == (4, 4, 0) and report_kpis(parsed)["revenue"] == 100


def test_car_prices_in_excels_date_range_are_not_the_timestamp_of_a_sales_file():
    # The sales happened on 2024-01-05, 2024-02-11, 2024-06-20 and 2024-07-02 ('Sale Date'); ann bought twice.
    text = ("Customer,Model,Price,Sale Date\nann,Golf GTI,41990,2024-01-05\nbob,Passat,44500,2024-02-11\n"
            "ann,Tiguan,47250,2024-06-20\ncy,Arteon,49900,2024-07-02\n")
    parsed = parsed_text(text, "sales.csv")
    assert parsed.files[0].mapping.columns["timestamp"] == "Sale Date"
    assert parsed_rows(parsed)["timestamp"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-05", "2024-02-11", "2024-06-20", "2024-07-02"]


def test_invoice_numbers_in_excels_date_range_are_not_the_timestamp():
    # An Online Retail-shaped export whose invoice numbers are five digits. The sales are on 5 Jan, 6 Jan and 7 Feb
    # 2024 ('InvoiceDate'); revenue 10 + 20 + 30 = 60.
    text = ("InvoiceNo,CustomerID,InvoiceDate,Sales\n43001,c1,2024-01-05 10:00,10\n43002,c2,2024-01-06 10:00,20\n"
            "43003,c1,2024-02-07 10:00,30\n")
    parsed = parsed_text(text, "sales.csv")
    assert parsed.files[0].mapping.columns["timestamp"] == "InvoiceDate"
    assert parsed_rows(parsed)["timestamp"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-05", "2024-01-06",
                                                                                 "2024-02-07"]


def test_zip_codes_of_one_region_are_not_the_timestamp_of_a_signup_file():
    # Signups on 2024-01-05, 2024-01-09 and 2024-02-01 ('signup_date'); the ZIP codes are places.
    text = "customer_id,zip,signup_date,plan\nc1,43215,2024-01-05,pro\nc2,44101,2024-01-09,basic\nc3,45202,2024-02-01,pro\n"
    parsed = parsed_text(text, "signups.csv")
    assert parsed.files[0].mapping.columns["timestamp"] == "signup_date"


# ---------------------------------------------------------------------------------------------------------------
# 3. The "Join ids written another way" switch
# ---------------------------------------------------------------------------------------------------------------

EXACT = {"customers.csv": ColumnMapping(columns={"customer_id": "customer_id"}, inferred_joins=False)}


def customer_segments(parsed) -> dict:
    table = parsed.customers.set_index("customer_id")
    return {k: v for k, v in table["segment"].items() if isinstance(v, str)}


def test_with_the_switch_off_zero_padded_ids_written_alike_still_join():
    # 00042 and 00043 are written the same in both files: they join; 00044 is a customer without events.
    # Events: 2 customers, revenue 10 + 20 = 30. Rows 2 + 3 in, 5 used.
    events = "customer_id,timestamp,event,amount\n00042,2024-01-01,purchase,10\n00043,2024-01-02,purchase,20\n"
    customers = "customer_id,segment\n00042,gold\n00043,silver\n00044,bronze\n"
    parsed = load(("orders.csv", events), ("customers.csv", customers), mappings=EXACT)
    assert customer_segments(parsed) == {"00042": "gold", "00043": "silver", "00044": "bronze"}
    figures = report_kpis(parsed)
    assert figures["customers"] == 2 and figures["revenue"] == 30
    assert accounting(parsed) == (5, 5, 0)


def test_with_the_switch_off_e_mail_addresses_still_join_whatever_their_case():
    # E-mail addresses are compared in lower case on both sides whatever the switch (Ann@X.com is ann@x.com): that is
    # the same address, not an id written another way.
    events = "Email,timestamp,event,amount\nAnn@X.com,2024-01-01,purchase,10\nbob@x.com,2024-01-02,purchase,20\n"
    customers = "customer_id,segment\nann@x.com,gold\nBOB@x.com,silver\n"
    parsed = load(("orders.csv", events), ("customers.csv", customers), mappings=EXACT)
    assert customer_segments(parsed) == {"ann@x.com": "gold", "bob@x.com": "silver"}


def test_with_the_switch_on_ids_written_as_whole_floats_join_the_events_ids():
    # A customers CSV saved from a float column (a blank id made pandas write 42.0, 43.0): 42.0 is the events' 42.
    # Customers 42 gold, 43 silver; the blank row is rejected (missing customer id): rows 2 + 3 in, 4 used, 1 rejected.
    events = "customer_id,timestamp,event,amount\n42,2024-01-01,purchase,10\n43,2024-01-02,purchase,20\n"
    customers = "customer_id,segment\n42.0,gold\n43.0,silver\n,bronze\n"
    parsed = load(("orders.csv", events), ("customers.csv", customers))
    assert accounting(parsed) == (5, 4, 1)
    assert customer_segments(parsed) == {"42": "gold", "43": "silver"}
    assert "2 ids in 'customer_id' were written with decimals (42.0 for 42" in notes_of(parsed, "customers.csv")
