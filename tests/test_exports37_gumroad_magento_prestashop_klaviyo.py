"""Exports of kinds cjm had not been tried on in their real shapes: Gumroad's sales export, Magento 2 (Adobe Commerce)
orders grid exported to CSV, PrestaShop's orders export from a French back office and Klaviyo's profiles export. Each excerpt below keeps the
real header and the real value formats; the values are invented. Every test writes its file and loads it as a new
user would (cjm.data.dataset.load_dataset), then reads the report (cjm.report.build_report).

Where the shapes come from (public GitHub material, found through the search index; "index file N" is the search
index's id of the file):
- Gumroad: the exporter itself, Exports::PurchaseExportService of Gumroad's open-sourced app (index file 13980223622):
  PURCHASE_FIELDS "Purchase ID", "Item Name", "Buyer Name", "Purchase Email", "Buyer Email", "Do not contact?",
  "Purchase Date", "Purchase Time (UTC timezone)", "Subtotal ($)", ..., "Sale Price ($)", "Fees ($)", "Net Total ($)",
  ..., "Refunded?", "Partial Refund ($)", "Fully Refunded?", ..., "Rating", "Review", ..., "UTM Content" (64 columns);
  the cells: "Purchase Date" created_at.to_date.to_s (2026-09-02), "Purchase Time (UTC timezone)" created_at.to_time
  .to_s (Ruby's "2026-09-02 10:04:51 +0000"), money as Ruby floats (12.0, 1.85), flags 1 / 0 ("Refunded?" is 1 for a
  partial refund too, "Fully Refunded?" only for a whole one), "Buyer Email" the purchaser's account (blank for a
  guest), "Purchase Email" always; after the rows a last line "Totals" with each money column's sum (TOTALS_FIELDS).
- Magento 2: the orders grid (sales_order_grid) exported by Magento\\Ui\\Model\\Export\\ConvertToCsv, its header as a
  test run prints it (index file 68454682129: ID,"Purchase Point","Purchase Date","Bill-to Name","Ship-to Name",
  "Grand Total (Base)","Grand Total (Purchased)",Status,"Billing Address","Shipping Address","Shipping Information",
  "Customer Email","Customer Group",Subtotal,"Shipping and Handling","Customer Name","Payment Method","Total Refunded",
  "Allocated sources","Pickup Location Code","Braintree Transaction Source","Dispute State"); Adobe's user guide's
  column list (index file 5656160194); a reader of the grid's dates (index file 70909572499): "%b %d, %Y %I:%M:%S %p"
  (Mar 2, 2026 2:05:09 PM); money "$219.40" (index file 71560904883). "Purchase Point" is the website, store and
  store view on three lines of one cell; "Closed" is Magento's status of an order refunded whole (a credit memo),
  "Canceled" of one cancelled.
- PrestaShop: OrderController::exportAction (github PrestaShop/PrestaShop,
  src/PrestaShopBundle/Controller/Admin/Sell/Order/OrderController.php): headers ID, Reference, New client, Delivery,
  Customer, Total, Payment, Status, Date, translated in the back office's language (French: ID, Référence, Nouveau
  client, Livraison, Client, Total, Paiement, État, Date); written by CsvResponse with ';' (src/PrestaShopBundle/
  Component/CsvResponse.php); the customer CONCAT(LEFT(firstname, 1), '. ', lastname) ("M. Durand") and 'new' 1 / 0
  (src/Core/Grid/Query/OrderQueryBuilder.php); the total formatted by the locale (OrderGridDataFactory: formatPrice,
  "1 249,00 €" in French, a no-break space before the sign); date_add as MySQL writes it (2026-03-14 18:02:44).
- Klaviyo: a profiles export's columns as an app storing it lists them (index file 22610588155: "Email", "Klaviyo
  ID", "First Name", ..., "Source", "Consent", "SMS Consent Timestamp", "First Active", "Last Active", "Profile
  Created On", "Date Added", "Last Open", "Last Click", "Initial Source", ..., "Historic Customer Lifetime Value",
  "Predicted Customer Lifetime Value", "Total Customer Lifetime Value", "Historic Number Of Orders", ...,
  "Average Order Value", "Expected Date Of Next Order", ..., "Accepts Marketing", "Shopify Tags"); an importer
  matching "klaviyo id", "historic number of orders", "historic customer lifetime value", "first active" (index file
  58509839530). One row per profile; its dates are the profile's moments.

Wrong before, mended here (figures of the excerpts below, before -> after):
- Gumroad: the money was 'Quantity' x 'Item Price ($)' ("Sale Price ($)" was no revenue name) and had no currency
  (the '($)' of the names was not read); the flag "Refunded?" (0 / 1) was read as a refunded amount (a sale refunded
  whole counted 11.00 of its 12.00, Bo's 8.00 refunded 3.00 counted 7.00), "Partial Refund ($)" was not read and
  "Fully Refunded?" neither (Cy stayed a buyer); the "Totals" line was rejected as "missing customer id". Revenue
  42.00 -> 29.00 $, conversion none -> 2/3, repeat-purchase rate 1/3 -> 1/2.
- Magento: no money at all ("Grand Total (Base)" was no revenue name); an order refunded whole ("Closed", its "Total
  Refunded" its grand total) was a purchase. Revenue none -> 1,130.60 $, conversion 4/5 -> 3/5, repeat rate
  1/4 -> 1/3.
- PrestaShop: the customer was the order's "ID" (5 customers, each a new one); "État" was no status column (a
  cancelled, a refunded and an unpaid order were purchases); "En attente du paiement par chèque" (awaiting payment)
  was money received. Customers 5 -> 3, revenue 1,422.10 -> 1,294.90 EUR, AOV 284.42 -> 647.45, conversion
  none -> 2/3.
Read in place (cjm.data.source) with the upload's mapping, the same figures: before, Gumroad's "Totals" line was
"missing customer id", its flag "Refunded?" (read as numbers, 1.0) a refunded amount and "Fully Refunded?" unread
(revenue 42.00, 41.00 once the flag was left out); Magento's "Mar 2, 2026 2:05:09 PM" was no time at all (the file
refused: "all 6 rows ... unparseable timestamp"), then Ben's order refunded whole a purchase of 0 (conversion 4/5).

Klaviyo's profiles export was read right: one person per row (Email), each filled date a step of the person
(wide), the lifetime values and the predicted ones no revenue of any moment. Seen, not changed: "Expected Date Of
Next Order" (Klaviyo's prediction) is read as a deadline, an on time / late attribute.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations


import pandas as pd
import pytest

from cjm import report
from cjm.data.dataset import TOTALS_ROW, load_dataset
from cjm.data.source import dataset_from_files
from tests.export_files import csv_text as _csv, events_in_file_order as _events, write_export as _write





# --- Gumroad sales export --------------------------------------------------------------------------------------------

GUMROAD_HEADER = [
    "Purchase ID", "Item Name", "Buyer Name", "Purchase Email", "Buyer Email", "Do not contact?", "Purchase Date",
    "Purchase Time (UTC timezone)", "Subtotal ($)", "Taxes ($)", "Shipping ($)", "Sale Price ($)", "Fees ($)",
    "Net Total ($)", "Tip ($)", "Tax Included in Price?", "Street Address", "City", "Zip Code", "State", "Country",
    "Referrer", "Refunded?", "Partial Refund ($)", "Fully Refunded?", "Disputed?", "Dispute Won?", "Variants",
    "Discount Code", "Recurring Charge?", "Free trial purchase?", "Pre-order authorization?", "Product ID",
    "Order Number", "Pre-order authorization time (UTC timezone)", "Custom Fields", "Item Price ($)",
    "Variants Price ($)", "Giftee Email", "SKU ID", "Quantity", "Recurrence", "Affiliate", "Affiliate commission ($)",
    "Discover?", "Subscription End Date", "Rating", "Review", "License Key", "Payment Type", "PayPal Transaction ID",
    "PayPal Fee Amount", "PayPal Fee Currency", "Stripe Transaction ID", "Stripe Fee Amount", "Stripe Fee Currency",
    "Purchasing Power Parity Discounted?", "Upsold?", "Sent Abandoned Cart Email?", "UTM Source", "UTM Medium",
    "UTM Campaign", "UTM Term", "UTM Content"]
_GUMROAD_TOTALS = ["Subtotal ($)", "Taxes ($)", "Shipping ($)", "Sale Price ($)", "Fees ($)", "Net Total ($)",
                   "Tip ($)", "Partial Refund ($)", "Variants Price ($)", "Item Price ($)", "Affiliate commission ($)",
                   "PayPal Fee Amount", "Stripe Fee Amount"]


def _gumroad_row(**values) -> list[str]:
    row = [""] * len(GUMROAD_HEADER)
    price = values.get("Sale Price ($)", "0.0")
    defaults = {"Do not contact?": "0", "Subtotal ($)": price, "Taxes ($)": "0.0", "Shipping ($)": "0.0",
                "Tip ($)": "0.0", "Refunded?": "0", "Partial Refund ($)": "0.0", "Fully Refunded?": "0",
                "Disputed?": "0", "Dispute Won?": "0", "Recurring Charge?": "0", "Free trial purchase?": "0",
                "Pre-order authorization?": "0", "Custom Fields": "{}", "Item Price ($)": price,
                "Variants Price ($)": "0.0", "Quantity": "1", "Discover?": "0", "Payment Type": "Card",
                "Purchasing Power Parity Discounted?": "0", "Upsold?": "0", "Sent Abandoned Cart Email?": "0"}
    for key, value in {**defaults, **values}.items():
        row[GUMROAD_HEADER.index(key)] = value
    return row


def _gumroad_totals(rows: list[list[str]]) -> list[str]:
    line = ["Totals"] + [""] * (len(GUMROAD_HEADER) - 1)
    for column in _GUMROAD_TOTALS:
        i = GUMROAD_HEADER.index(column)
        line[i] = str(round(sum(float(r[i]) for r in rows if r[i]), 2))
    return line


# Ada buys the budget planner on 2 September and is charged for its monthly plan again on 2 October; Bo, a guest (no
# account: "Buyer Email" blank), buys the habit tracker (8.00), is refunded 3.00 of it and rates it 5 stars; Cy's
# planner is refunded whole.
_GUMROAD_ROWS = [
    _gumroad_row(**{"Purchase ID": "aB3xQ1_w2Hs9kLm0PqRsTg==", "Item Name": "Budget Planner", "Buyer Name": "Ada Lane",
                    "Purchase Email": "ada@example.com", "Buyer Email": "ada@example.com",
                    "Purchase Date": "2026-09-02", "Purchase Time (UTC timezone)": "2026-09-02 10:04:51 +0000",
                    "Sale Price ($)": "12.0", "Fees ($)": "1.85", "Net Total ($)": "10.15",
                    "Country": "United States", "Referrer": "direct", "Product ID": "budget",
                    "Order Number": "482913377", "Recurrence": "monthly", "Stripe Transaction ID": "ch_3P1",
                    "Stripe Fee Amount": "0.65", "Stripe Fee Currency": "usd"}),
    _gumroad_row(**{"Purchase ID": "Zk9pLw2mQx7vBn4cTr1sYw==", "Item Name": "Habit Tracker", "Buyer Name": "",
                    "Purchase Email": "bo@example.com", "Buyer Email": "", "Purchase Date": "2026-09-05",
                    "Purchase Time (UTC timezone)": "2026-09-05 23:40:00 +0000", "Sale Price ($)": "8.0",
                    "Fees ($)": "1.3", "Net Total ($)": "6.7", "Country": "Canada",
                    "Referrer": "https://twitter.com/", "Refunded?": "1", "Partial Refund ($)": "3.0",
                    "Product ID": "habits", "Order Number": "482913390", "Payment Type": "PayPal",
                    "PayPal Transaction ID": "9XK12345AB", "PayPal Fee Amount": "0.53", "PayPal Fee Currency": "usd",
                    "Rating": "5", "Review": "Simple and it works"}),
    _gumroad_row(**{"Purchase ID": "Qw5eRt6yUi7oPa8sDf9gHj==", "Item Name": "Budget Planner", "Buyer Name": "Cy Moss",
                    "Purchase Email": "cy@example.com", "Buyer Email": "cy@example.com",
                    "Purchase Date": "2026-09-09", "Purchase Time (UTC timezone)": "2026-09-09 08:15:00 +0000",
                    "Sale Price ($)": "12.0", "Fees ($)": "1.85", "Net Total ($)": "10.15", "Refunded?": "1",
                    "Fully Refunded?": "1", "Country": "United States", "Product ID": "budget",
                    "Order Number": "482913401"}),
    _gumroad_row(**{"Purchase ID": "Mn1bVc2xZl3kJh4gFd5sAq==", "Item Name": "Budget Planner", "Buyer Name": "Ada Lane",
                    "Purchase Email": "ada@example.com", "Buyer Email": "ada@example.com",
                    "Purchase Date": "2026-10-02", "Purchase Time (UTC timezone)": "2026-10-02 10:04:55 +0000",
                    "Sale Price ($)": "12.0", "Fees ($)": "1.85", "Net Total ($)": "10.15",
                    "Recurring Charge?": "1", "Recurrence": "monthly", "Product ID": "budget",
                    "Order Number": "482914002"}),
]
GUMROAD = _csv(GUMROAD_HEADER, _GUMROAD_ROWS + [_gumroad_totals(_GUMROAD_ROWS)])
GUMROAD_NAME = "Sales_CSV_Export_2026-10-05.csv"


def test_a_gumroad_sales_export_reads_what_each_buyer_paid_and_leaves_its_totals_line_out(tmp_path):
    # 5 rows in: 4 sales and the "Totals" line, set aside as such (it names no one). The buyer is "Purchase Email"
    # (Bo, a guest, has no "Buyer Email"); the money "Sale Price ($)" in '$' (the sign in the names); the moment
    # "Purchase Time (UTC timezone)", read with its +0000. Ada 12.00; Bo 8.00 less his partial refund 3.00 = 5.00;
    # Cy's sale refunded whole ("Fully Refunded?" 1) reads 'return' of 0; Ada's renewal 12.00.
    dataset = load_dataset([_write(tmp_path, GUMROAD_NAME, GUMROAD)])
    mapping = dataset.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.columns["revenue"], mapping.columns["timestamp"]) == (
        "Purchase Email", "Sale Price ($)", "Purchase Time (UTC timezone)")
    accounting = dataset.accounting
    assert (accounting.rows_in, accounting.rows_used, accounting.reasons) == (5, 4, {TOTALS_ROW: 1})
    events = _events(dataset)
    assert list(zip(events["customer_id"], events["event"], events["revenue"])) == [
        ("ada@example.com", "purchase", 12.0), ("bo@example.com", "purchase", 5.0),
        ("cy@example.com", "return", 0.0), ("ada@example.com", "purchase", 12.0)]
    assert events["timestamp"].dt.strftime("%m-%d %H:%M:%S").tolist() == [
        "09-02 10:04:51", "09-05 23:40:00", "09-09 08:15:00", "10-02 10:04:55"]
    assert dataset.currency == "$"


def test_a_gumroad_sales_export_gives_the_sellers_figures(tmp_path):
    # Revenue 12 + 5 + 0 + 12 = 29 over 3 sales (Cy's refunded whole is none): AOV 29 / 3 = 9.67. 3 buyers by e-mail;
    # Ada and Bo bought (Cy's only sale was refunded): conversion 2/3; Ada bought twice: repeat rate 1/2.
    # Before: revenue 43 (the planner 12 + 8 + 11 + 12: the flag "Refunded?" 1 taken off as one dollar), no currency.
    kpis = report.build_report(load_dataset([_write(tmp_path, GUMROAD_NAME, GUMROAD)]))["kpis"]
    assert kpis["customers"] == 3
    assert kpis["revenue"] == pytest.approx(29.0)
    assert kpis["average_order_value"] == pytest.approx(29 / 3)
    assert kpis["conversion_rate"] == pytest.approx(2 / 3)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.5)


# --- Magento 2 orders grid -------------------------------------------------------------------------------------------

MAGENTO_HEADER = ["ID", "Purchase Point", "Purchase Date", "Bill-to Name", "Ship-to Name", "Grand Total (Base)",
                  "Grand Total (Purchased)", "Status", "Billing Address", "Shipping Address", "Shipping Information",
                  "Customer Email", "Customer Group", "Subtotal", "Shipping and Handling", "Customer Name",
                  "Payment Method", "Total Refunded", "Allocated sources", "Pickup Location Code",
                  "Braintree Transaction Source", "Dispute State"]
_STORE = "Main Website\nMain Website Store\nDefault Store View"
_ADDRESS = "12 Elm St,Austin,Texas,78701"


def _magento_row(order, date, name, total, status, email, group, subtotal, shipping, refunded="", payment="Check / "
                 "Money order") -> list[str]:
    return [order, _STORE, date, name, name, total, total, status, _ADDRESS, _ADDRESS, "Flat Rate - Fixed", email,
            group, subtotal, shipping, name, payment, refunded, "Default Source", "", "", ""]


# Ana orders twice (101 complete, 103 processing); Ben's 102 was refunded whole by a credit memo ("Closed", its total
# refunded); guest Cy's 104 was cancelled; guest Dee's 105 ($1,216.20, a thousands comma) had $211.20 refunded;
# guest Eve's 106 waits for her cheque ("Pending").
MAGENTO = _csv(MAGENTO_HEADER, [
    _magento_row("000000101", "Mar 2, 2026 2:05:09 PM", "Ana Lee", "$59.00", "Complete", "ana@example.com", "General",
                 "$54.00", "$5.00", "$0.00", "Credit Card (Braintree)"),
    _magento_row("000000102", "Mar 5, 2026 9:30:00 AM", "Ben Ng", "$32.40", "Closed", "ben@example.com", "General",
                 "$32.40", "$0.00", "$32.40"),
    _magento_row("000000103", "Mar 13, 2026 9:47:31 PM", "Ana Lee", "$21.60", "Processing", "ana@example.com",
                 "General", "$16.60", "$5.00"),
    _magento_row("000000104", "Mar 14, 2026 8:02:00 AM", "Cy Ray", "$16.20", "Canceled", "cy@example.com",
                 "NOT LOGGED IN", "$16.20", "$0.00"),
    _magento_row("000000105", "Mar 15, 2026 12:00:00 AM", "Dee Orr", "$1,216.20", "Complete", "dee@example.com",
                 "NOT LOGGED IN", "$1,211.20", "$5.00", "$211.20"),
    _magento_row("000000106", "Mar 15, 2026 6:45:10 PM", "Eve Kim", "$45.00", "Pending", "eve@example.com",
                 "NOT LOGGED IN", "$40.00", "$5.00"),
])
MAGENTO_NAME = "export.csv"


def test_a_magento_orders_grid_reads_each_orders_grand_total_net_of_its_refunds(tmp_path):
    # 6 orders, 6 rows used (the store on three lines of one cell is one row). Money "Grand Total (Base)" (the store's
    # base currency, '$' in the cells); the time 12-hour (12:00:00 AM is midnight). Ben's order refunded whole reads
    # 'return' of 0, Cy's cancelled 'cancellation' of 0, Dee's 1,216.20 - 211.20 = 1,005.00. Before: no money.
    dataset = load_dataset([_write(tmp_path, MAGENTO_NAME, MAGENTO)])
    mapping = dataset.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.columns["revenue"], mapping.columns["timestamp"]) == (
        "Customer Email", "Grand Total (Base)", "Purchase Date")
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (6, 6)
    events = _events(dataset)
    # Eve's 106 'Pending' waits for her cheque: money not received (README: an order awaiting its payment), 'not paid'
    # of 0 (review 45; it was a purchase of 45).
    assert list(zip(events["event"], events["revenue"])) == [
        ("purchase", 59.0), ("return", 0.0), ("purchase", 21.6), ("cancellation", 0.0), ("purchase", 1005.0),
        ("not paid", 0.0)]
    assert events["timestamp"].dt.strftime("%d %H:%M:%S").tolist() == [
        "02 14:05:09", "05 09:30:00", "13 21:47:31", "14 08:02:00", "15 00:00:00", "15 18:45:10"]
    assert dataset.currency == "$"
    assert any("1 order refunded whole reads 'return'" in note for note in dataset.files[0].notes)


def test_a_magento_orders_grid_gives_the_shops_figures(tmp_path):
    # Revenue 59 + 21.60 + 1,005 = 1,085.60 over 3 orders (Ana's two, Dee's): AOV 361.87. Eve's 'Pending' order waits
    # for her cheque: money not received, no order (review 45; was 1,130.60 over 4 with her 45: AOV 282.65, conversion
    # 3/5, repeat 1/3). 5 customers; buyers Ana, Dee (Ben refunded whole, Cy cancelled, Eve not paid yet): conversion
    # 2/5; Ana came back: 1/2. Before round 37: no revenue; Ben's refunded order a purchase.
    kpis = report.build_report(load_dataset([_write(tmp_path, MAGENTO_NAME, MAGENTO)]))["kpis"]
    assert kpis["customers"] == 5
    assert kpis["revenue"] == pytest.approx(1085.6)
    assert kpis["average_order_value"] == pytest.approx(1085.6 / 3)
    assert kpis["conversion_rate"] == pytest.approx(2 / 5)
    assert kpis["repeat_purchase_rate"] == pytest.approx(1 / 2)


# --- PrestaShop orders export (French back office) -------------------------------------------------------------------

PRESTASHOP_HEADER = ["ID", "Référence", "Nouveau client", "Livraison", "Client", "Total", "Paiement", "État", "Date"]
_NB = "\u00a0"  # the no-break space before the euro sign; the thousands are set apart by a narrow one (U+202F)
# Newest first, as the grid lists them. M. Durand's first order (3) was refunded, her second (5) cancelled, her
# third (7) delivered; J. Peeters in Belgium paid 1 249,00 € by bank transfer; C. Martin's cheque has not come.
PRESTASHOP = _csv(PRESTASHOP_HEADER, [
    ["7", "XKBKNABJK", "0", "France", "M. Durand", f"45,90{_NB}€", "Carte bancaire", "Livré", "2026-03-14 18:02:44"],
    ["6", "OHSATSERP", "1", "Belgique", "J. Peeters", f"1\u202f249,00{_NB}€", "Virement bancaire", "Paiement accepté",
     "2026-03-12 09:15:00"],
    ["5", "FFATNOMMJ", "0", "France", "M. Durand", f"29,90{_NB}€", "Carte bancaire", "Annulé", "2026-03-10 21:40:12"],
    ["4", "UOYEVOLIV", "1", "France", "C. Martin", f"61,80{_NB}€", "Chèque", "En attente du paiement par chèque",
     "2026-03-08 11:00:00"],
    ["3", "KHWLILZLL", "1", "France", "M. Durand", f"35,50{_NB}€", "Carte bancaire", "Remboursé",
     "2026-03-05 16:20:31"],
], delimiter=";")
PRESTASHOP_NAME = "order_2026-03-15_090000.csv"


def test_a_prestashop_orders_export_in_french_is_read_by_its_client_and_its_etat(tmp_path):
    # ';'-separated. The customer is "Client" (not the order's "ID": each ID is an order of its own while M. Durand
    # has three); "État" is the order's state: Annulé a cancellation, Remboursé a return, "En attente du paiement par
    # chèque" an order not paid (no money). Money "1 249,00 €" is 1249.00 in EUR.
    dataset = load_dataset([_write(tmp_path, PRESTASHOP_NAME, PRESTASHOP)])
    mapping = dataset.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.columns["revenue"], mapping.columns["timestamp"]) == (
        "Client", "Total", "Date")
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (5, 5)
    events = _events(dataset)
    assert list(zip(events["customer_id"], events["event"], events["revenue"])) == [
        ("M. Durand", "purchase", 45.9), ("J. Peeters", "purchase", 1249.0), ("M. Durand", "cancellation", 0.0),
        ("C. Martin", "not paid", 0.0), ("M. Durand", "return", 0.0)]
    assert dataset.currency == "EUR"


def test_a_prestashop_orders_export_gives_the_shops_figures(tmp_path):
    # Revenue 45.90 + 1,249.00 = 1,294.90 EUR over 2 orders: AOV 647.45. 3 customers; buyers M. Durand (order 7) and
    # J. Peeters: conversion 2/3; nobody bought twice (Durand's refunded and cancelled orders are none): repeat 0.
    # Before: 5 customers (one per order ID), revenue 1,422.10 (the cancelled, refunded and unpaid orders counted).
    kpis = report.build_report(load_dataset([_write(tmp_path, PRESTASHOP_NAME, PRESTASHOP)]))["kpis"]
    assert kpis["customers"] == 3
    assert kpis["revenue"] == pytest.approx(1294.9)
    assert kpis["average_order_value"] == pytest.approx(647.45)
    assert kpis["conversion_rate"] == pytest.approx(2 / 3)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.0)


# --- Klaviyo profiles export ----------------------------------------------------------------------------------------

KLAVIYO_HEADER = [
    "Email", "Klaviyo ID", "First Name", "Last Name", "Organization", "Title", "Phone Number", "Address", "Address 2",
    "City", "State / Region", "Country", "Zip Code", "Latitude", "Longitude", "Source", "Consent",
    "SMS Consent Timestamp", "First Active", "Last Active", "Profile Created On", "Date Added", "Last Open",
    "Last Click", "Initial Source", "Initial Source Referrer", "Initial Source Term", "Initial Source Medium",
    "Initial Source First Page", "Initial Source Campaign", "Initial Source Content", "Last Source",
    "Last Source Referrer", "Last Source Term", "Last Source Medium", "Last Source First Page", "Last Source Campaign",
    "Last Source Content", "Historic Customer Lifetime Value", "Predicted Customer Lifetime Value",
    "Total Customer Lifetime Value", "Historic Number Of Orders", "Predicted Number Of Orders", "Churn Risk Prediction",
    "Average Days Between Orders", "Average Order Value", "Expected Date Of Next Order", "Accepts Marketing",
    "Shopify Tags"]


def _klaviyo_row(**values) -> list[str]:
    row = [""] * len(KLAVIYO_HEADER)
    for key, value in values.items():
        row[KLAVIYO_HEADER.index(key)] = value
    return row


# Ana, a Shopify customer (3 orders, 184.50 so far), opened and clicked a campaign on 1 March; Ben signed up through a
# form and never opened anything; Cy (1 order) opened one e-mail.
KLAVIYO = _csv(KLAVIYO_HEADER, [
    _klaviyo_row(**{"Email": "ana@example.com", "Klaviyo ID": "01HZX4J8K2M3N4P5Q6R7S8T9V0", "First Name": "Ana",
                    "Country": "United States", "Source": "Shopify", "Consent": "['email']",
                    "First Active": "2026-01-04 09:12:44", "Last Active": "2026-03-02 18:01:09",
                    "Profile Created On": "2026-01-04 09:12:44", "Date Added": "2026-01-04 09:13:02",
                    "Last Open": "2026-03-01 07:45:00", "Last Click": "2026-03-01 07:46:12",
                    "Initial Source": "Google", "Initial Source Medium": "cpc",
                    "Historic Customer Lifetime Value": "184.5", "Predicted Customer Lifetime Value": "90.2",
                    "Total Customer Lifetime Value": "274.7", "Historic Number Of Orders": "3",
                    "Predicted Number Of Orders": "1.4", "Churn Risk Prediction": "0.12",
                    "Average Days Between Orders": "28.5", "Average Order Value": "61.5",
                    "Expected Date Of Next Order": "2026-03-30", "Accepts Marketing": "True"}),
    _klaviyo_row(**{"Email": "ben@example.com", "Klaviyo ID": "01HZX4J8K2M3N4P5Q6R7S8T9V1", "First Name": "Ben",
                    "Source": "Klaviyo Form", "First Active": "2026-02-10 12:00:00", "Last Active": "2026-02-10 12:05:00",
                    "Profile Created On": "2026-02-10 12:00:00", "Date Added": "2026-02-10 12:00:01",
                    "Historic Customer Lifetime Value": "0.0", "Historic Number Of Orders": "0",
                    "Accepts Marketing": "False"}),
    _klaviyo_row(**{"Email": "cy@example.com", "Klaviyo ID": "01HZX4J8K2M3N4P5Q6R7S8T9V2", "First Name": "Cy",
                    "Source": "Shopify", "First Active": "2025-11-20 08:00:00", "Last Active": "2026-02-28 21:30:00",
                    "Profile Created On": "2025-11-20 08:00:00", "Date Added": "2025-11-20 08:00:00",
                    "Last Open": "2026-02-27 10:00:00", "Historic Customer Lifetime Value": "45.0",
                    "Historic Number Of Orders": "1", "Average Order Value": "45.0", "Accepts Marketing": "True"}),
])
KLAVIYO_NAME = "Klaviyo_profiles_export_2026-03-03.csv"


def test_a_klaviyo_profiles_export_is_one_person_a_row_each_date_a_step(tmp_path):
    # 3 profiles, 3 rows used; the person is "Email" (not the profile's "Klaviyo ID"). Each filled date is a step:
    # Ana 6 (first active, last active, profile created, added, last open, last click), Ben 4 (no open, no click),
    # Cy 5 (no click): 15 events. The lifetime values are no money of any moment: no revenue.
    dataset = load_dataset([_write(tmp_path, KLAVIYO_NAME, KLAVIYO)])
    mapping = dataset.files[0].mapping
    assert (mapping.shape, mapping.columns["customer_id"], "revenue" in mapping.columns) == ("wide", "Email", False)
    assert mapping.wide_events == ["First Active", "Last Active", "Profile Created On", "Date Added", "Last Open",
                                   "Last Click"]
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (3, 3)
    events = _events(dataset)
    assert events.groupby("customer_id").size().to_dict() == {
        "ana@example.com": 6, "ben@example.com": 4, "cy@example.com": 5}
    # opened: Ana and Cy, 2 of 3; clicked: Ana, 1 of 3
    assert events.loc[events["event"] == "last open", "customer_id"].tolist() == ["ana@example.com", "cy@example.com"]
    assert events.loc[events["event"] == "last click", "customer_id"].tolist() == ["ana@example.com"]
    kpis = report.build_report(dataset)["kpis"]
    assert (kpis["customers"], kpis.get("revenue")) == (3, None)


# --- the rules behind them, on other exports -------------------------------------------------------------------------

def test_a_totals_line_below_any_export_is_set_aside_as_such(tmp_path):
    # A report saved from a spreadsheet ends with "Grand Total" and the sum: 3 rows in, 2 used, 1 a totals line.
    text = ("Order,Customer Email,Order Date,Amount\n1,a@x.com,2026-03-01,10.00\n2,b@x.com,2026-03-02,15.00\n"
            "Grand Total,,,25.00\n")
    dataset = load_dataset([_write(tmp_path, "orders.csv", text)])
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used, dataset.accounting.reasons) == (
        3, 2, {TOTALS_ROW: 1})
    assert report.build_report(dataset)["kpis"]["revenue"] == pytest.approx(25.0)


def test_a_currency_sign_in_a_money_columns_name_is_its_currency():
    from cjm.data.currencies import named_in

    assert [named_in(c) for c in ("Prix (€)", "Total [£]", "Sale Price ($)", "Amount (EUR)", "Total")] == [
        "EUR", "GBP", "$", "EUR", None]


def test_a_cancelled_flag_settles_its_order_and_a_bare_refunded_flag_does_not(tmp_path):
    # "Cancelled?" yes: the order is a cancellation of 0; "Refunded" yes alone may be a partial refund: 60 stays.
    # Revenue 100 + 60 = 160; the cancelled 40 counts none.
    text = ("Order,Email,Date,Total,Cancelled?,Refunded\n1,a@x.com,2026-03-01,100,0,0\n2,b@x.com,2026-03-02,60,0,1\n"
            "3,c@x.com,2026-03-03,40,1,0\n")
    dataset = load_dataset([_write(tmp_path, "orders.csv", text)])
    assert _events(dataset)["event"].tolist() == ["purchase", "purchase", "cancellation"]
    assert report.build_report(dataset)["kpis"]["revenue"] == pytest.approx(160.0)


def test_a_bare_id_beside_a_client_column_stays_the_customer_of_a_contacts_list_with_names():
    # A contacts export in French: ID, Prénom, Client (the company two contacts share): the ID is each person, as
    # the names say (two first names under one client); an orders export's ID beside a repeated buyer is not.
    from cjm.data.columns import suggest_mapping

    contacts = pd.DataFrame({"ID": ["1", "2", "3"], "Prénom": ["Ann", "Bo", "Cy"], "Client": ["Acme", "Acme", "Initech"],
                             "Date": ["2026-03-01", "2026-03-02", "2026-03-03"]})
    orders = contacts.drop(columns=["Prénom"])
    assert suggest_mapping(contacts).columns["customer_id"] == "ID"
    assert suggest_mapping(orders).columns["customer_id"] == "Client"


@pytest.mark.parametrize("name, text", [(GUMROAD_NAME, GUMROAD), (MAGENTO_NAME, MAGENTO),
                                        (PRESTASHOP_NAME, PRESTASHOP)], ids=["gumroad", "magento", "prestashop"])
def test_each_export_read_in_place_gives_the_uploads_figures(tmp_path, name, text):
    # The same rows used and set aside, events, times and KPIs as uploaded (the figures of the tests above).
    path = _write(tmp_path, name, text)
    uploaded = load_dataset([path])
    in_place = dataset_from_files(path, mapping=uploaded.files[0].mapping)
    assert (in_place.accounting.rows_in, in_place.accounting.rows_used, dict(in_place.accounting.reasons)) == (
        uploaded.accounting.rows_in, uploaded.accounting.rows_used, dict(uploaded.accounting.reasons))
    mine, theirs = _events(in_place), _events(uploaded)
    assert list(zip(mine["event"], mine["revenue"])) == list(zip(theirs["event"], theirs["revenue"]))
    assert mine["timestamp"].tolist() == theirs["timestamp"].tolist()
    kpis, expected = report.build_report(in_place)["kpis"], report.build_report(uploaded)["kpis"]
    for key in ("customers", "revenue", "average_order_value", "conversion_rate", "repeat_purchase_rate"):
        assert kpis[key] == pytest.approx(expected[key])
