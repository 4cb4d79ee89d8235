"""Exports of kinds cjm had not been tried on in their real shapes: Google Play Console's monthly reviews report (a
UTF-16 CSV), Eventbrite's attendee report and BigCommerce's orders export. Each excerpt below keeps the real header
and the real value formats; the values are invented. Every test writes its file and loads it as a new user would
(cjm.data.dataset.load_dataset), then reads the report (cjm.report.build_report).

Where the shapes come from (public GitHub material, found through the search index; "index file N" is the search
index's id of the file):
- Google Play: the report's 16 columns as a reader names them (index file 42021549958: "Package Name", "App Version
  Code", "App Version Name", "Reviewer Language", "Device", "Review Submit Date and Time", "Review Submit Millis Since
  Epoch", "Review Last Update Date and Time", "Review Last Update Millis Since Epoch", "Star Rating", "Review Title",
  "Review Text", "Developer Reply Date and Time", "Developer Reply Millis Since Epoch", "Developer Reply Text",
  "Review Link"); a Go test writing "the exact byte shape of Google's monthly reviews reports" (index file
  62894778863): UTF-16LE with its byte order mark, times 2026-06-15T10:00:00Z, a French review "Génial"; a Python
  test's row (index file 71073060314): device "Pixel 8", the title empty, the link ending in
  "reviewId=gp%3AAOqpTOE&corpus=PUBLIC_REVIEWS"; a Ruby reader opening it "rb:BOM|UTF-16" and reading "Star Rating"
  1..5 (index file 2529058332); the file name reviews_<package>_<yyyymm>.csv (index file 59249122385). No column names
  the reviewer.
- Eventbrite: an importer's test of "an Eventbrite attendee export" (index file 71598756326): "Order #,Order Date,
  First Name,Last Name,Email,Quantity,Ticket Type,Attendee #,Barcode #,Attendee Status,Cell Phone", statuses
  "Attending" and "Refunded"; the money columns of the report ("Order Type", "Currency", "Total Paid", "Fees Paid",
  "Eventbrite Fees", "Eventbrite Payment Processing") and the custom questions after them, as a project lists them
  (index file 8985060690, github README of a LinkedIn / Eventbrite comparison) and a script reads them, its Order Date
  parsed '%Y-%m-%d %H:%M:%S%z' (index file 32383532445: 2026-09-01 09:14:22+01:00).
- BigCommerce: the default orders export's 71 columns in order (index file 15566730795: "Order ID", "Order Status",
  "Order Date", "Order Time", "Subtotal (inc tax)", ..., "Order Total (inc tax)", "Order Total (ex tax)", "Refund
  Amount", "Customer ID", "Customer Name", "Customer Email", ..., "Date Shipped", "Order Currency Code", ..., "Product
  Details", ...); Shopify's migration tool reading it (index file 17195617774): the order's moment
  strptime("<Order Date> <Order Time>", "%m/%d/%Y %H:%M:%S"), its total 'Order Total (inc tax)', statuses "Completed",
  "Shipped", "Awaiting Fulfillment", "Cancelled", "Refunded", "Partially Refunded"; a migration script (index file
  53877437947): "Product Details" as "Product ID: 823, Product Qty: 1, Product SKU: ..., Product Name: ..., Product
  Unit Price: ..., Product Total Price: ..." joined with "|", money stripped of its sign; an R script (index file
  67106747392): mdy(`Order Date`), gsub("[^0-9.]", "", `Order Total (inc tax)`). A guest's order has "Customer ID" 0
  (BigCommerce's order API writes customer_id 0 for a guest; not found in the index, where the convention is
  "customer_id == 0 ? 'Guest'" of other shops, index file 67564989370).

Wrong before, mended here:
- BigCommerce: no money at all ("Order Total (inc tax)" was no revenue name) and no currency ("Order Currency Code");
  every order at midnight ("Order Time", the times of "Order Date", was left out: a wide export read no column of
  times of day, and "Order Time" was no name of one); the guests' "Customer ID" 0 made every guest one customer (two
  guests who bought once each: one repeat buyer; repeat-purchase rate 2/3 instead of 1/2).
- Eventbrite: no money ("Total Paid", what each ticket cost, was no revenue name): every attendee an 'order' of no
  value; now each ticket a 'purchase' of its price, in GBP, the refunded ticket's money taken back.
Google Play's report was read right: UTF-16, one anonymous reviewer per review, stars 1-5 a rating (CSAT, no NPS), a
review over two lines one comment, the German review kept and not scored, the developer's reply no comment.
Mended after the round: read in place, a review export had no 'Reviews received' KPI (the upload numbers its files'
events, cjm.journey.kpis._review_rows; a file read in place does not: its events are all the file's rows). Left as a
strict xfail: Eventbrite's report with the buyer's details on
every ticket of an order (its default) reads two tickets of 35.00 as one order total written twice: revenue 60, not
95.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations


import pandas as pd
import pytest

from cjm import report
from cjm.data.columns import suggest_mapping
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_files
from tests.export_files import csv_text as _csv, events_in_file_order as _events, write_export as _write





# --- Google Play Console: monthly reviews report -------------------------------------------------------------------

PLAY_HEADER = ("Package Name,App Version Code,App Version Name,Reviewer Language,Device,Review Submit Date and Time,"
               "Review Submit Millis Since Epoch,Review Last Update Date and Time,Review Last Update Millis Since Epoch,"
               "Star Rating,Review Title,Review Text,Developer Reply Date and Time,Developer Reply Millis Since Epoch,"
               "Developer Reply Text,Review Link")
_LINK = "https://play.google.com/console/developers/1/app/2/user-feedback/review-details?reviewId=gp%3AAOqpTO{}&corpus=PUBLIC_REVIEWS"

# Five reviews of a hiking app in September: 5 stars; 1 star in German, which the developer answered; 4 stars without
# a word; 2 stars; 3 stars with a title and a text over two lines. The millis are the submit times' (1788423330000 is
# 2026-09-03 08:15:30 UTC).
PLAY = PLAY_HEADER + "\n" + "\n".join([
    "com.example.trails,412,4.1.2,en,a52q,2026-09-03T08:15:30Z,1788423330000,2026-09-03T08:15:30Z,1788423330000,5,,"
    "\"Great app, the offline maps saved my hike\",,,," + _LINK.format("A1"),
    "com.example.trails,412,4.1.2,de,OnePlus7T,2026-09-04T19:02:11Z,1788548531000,2026-09-05T07:30:00Z,1788593400000,"
    "1,,Stürzt beim Start ab. Seit dem Update unbrauchbar,2026-09-05T09:00:00Z,1788598800000,"
    "Danke für die Meldung! Version 4.1.3 behebt den Absturz.," + _LINK.format("B2"),
    "com.example.trails,410,4.1.0,fr,flame,2026-09-06T12:00:00Z,1788696000000,2026-09-06T12:00:00Z,1788696000000,4,,"
    ",,,," + _LINK.format("C3"),
    "com.example.trails,413,4.1.3,en,starqlteue,2026-09-08T22:45:05Z,1788907505000,2026-09-08T22:45:05Z,"
    "1788907505000,2,,\"Battery drain is terrible, 20% an hour\",,,," + _LINK.format("D4"),
    "com.example.trails,413,4.1.3,en,SM-G991B,2026-09-09T06:30:00Z,1788935400000,2026-09-09T06:30:00Z,1788935400000,"
    "3,Mixed feelings,\"Maps are great.\nBut sync with the watch fails, every single time\",,,," + _LINK.format("E5"),
]) + "\n"
PLAY_NAME = "reviews_com.example.trails_202609.csv"


def test_a_google_play_reviews_report_in_utf16_is_one_anonymous_reviewer_per_review(tmp_path):
    # UTF-16 (Google's encoding): 5 rows in, 5 used. No column names the reviewer: each review is one respondent
    # ('row 2' .. 'row 6', by line). Times as written, in UTC. The comment is 'Review Text' (the two-line review one
    # comment), not the developer's reply; the 4-star review has none.
    dataset = load_dataset([_write(tmp_path, PLAY_NAME, PLAY, "utf-16")])
    mapping = dataset.files[0].mapping
    assert (mapping.shape, mapping.columns["score"], mapping.columns["text"], mapping.columns["timestamp"]) == (
        "anonymous", "Star Rating", "Review Text", "Review Submit Date and Time")
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (5, 5)
    events = _events(dataset)
    assert events["customer_id"].tolist() == ["row 2", "row 3", "row 4", "row 5", "row 6"]
    assert events["timestamp"].dt.strftime("%d %H:%M:%S").tolist() == [
        "03 08:15:30", "04 19:02:11", "06 12:00:00", "08 22:45:05", "09 06:30:00"]
    assert events["text"].tolist()[4] == "Maps are great.\nBut sync with the watch fails, every single time"
    assert events["text"].isna().tolist() == [False, False, True, False, False]
    assert not events["text"].str.contains("Danke", na=False).any()


def test_google_play_stars_are_a_rating_and_the_german_review_is_kept_unscored(tmp_path):
    # Stars 5, 1, 4, 2, 3 on the 1-5 scale: CSAT (4 or 5 stars) 2 of 5 = 0.4, no NPS; 4 comments, the German one kept
    # but not scored by the English sentiment lexicon; 5 reviewers, 5 reviews.
    built = report.build_report(load_dataset([_write(tmp_path, PLAY_NAME, PLAY, "utf-16")]))
    overall = built["sentiment"]["overall"]
    assert (overall["scale"], overall["csat"], overall["nps"]) == ("rating5", pytest.approx(0.4), None)
    assert (overall["scores"], overall["texts"], overall["unscored_languages"]) == (5, 4, {"de": 1})
    assert (built["kpis"]["customers"], built["kpis"]["reviews"]) == (5, 5)


def test_google_play_reviews_read_in_place_count_as_many_reviews_as_uploaded(tmp_path):
    # Uploaded: 5 reviews; in place with the same mapping: 5 too.
    path = _write(tmp_path, PLAY_NAME, PLAY, "utf-16")
    uploaded = load_dataset([path])
    in_place = dataset_from_files(path, mapping=uploaded.files[0].mapping)
    assert report.build_report(in_place)["kpis"].get("reviews") == 5


# --- Eventbrite attendee report --------------------------------------------------------------------------------------

EVENTBRITE_HEADER = ["Order #", "Order Date", "First Name", "Last Name", "Email", "Quantity", "Ticket Type",
                     "Attendee #", "Barcode #", "Order Type", "Currency", "Total Paid", "Fees Paid", "Eventbrite Fees",
                     "Eventbrite Payment Processing", "Attendee Status", "Cell Phone", "Job Title", "Company",
                     "How did you hear about this event?"]
# One row per attendee. Aarti buys an early-bird ticket (25.00) and later a free workshop add-on; Bina's order
# 5312000002 is two tickets (35.00 each), one for Chetan; Dana's ticket was refunded. Fees are Eventbrite's, not the
# organiser's revenue.
EVENTBRITE = _csv(EVENTBRITE_HEADER, [
    ["5312000001", "2026-09-01 09:14:22+01:00", "Aarti", "Shah", "aarti@example.com", "1", "Early bird", "8010001",
     "801000110001", "Eventbrite Completed", "GBP", "25.00", "2.43", "1.74", "0.69", "Checked In", "", "Analyst",
     "Acme", "Newsletter"],
    ["5312000002", "2026-09-02 18:40:05+01:00", "Bina", "Rao", "bina@example.com", "1", "General Admission", "8010002",
     "801000210002", "Eventbrite Completed", "GBP", "35.00", "2.98", "2.14", "0.84", "Attending", "", "", "",
     "LinkedIn"],
    ["5312000002", "2026-09-02 18:40:05+01:00", "Chetan", "Mehta", "chetan@example.com", "1", "General Admission",
     "8010003", "801000310003", "Eventbrite Completed", "GBP", "35.00", "2.98", "2.14", "0.84", "Checked In", "", "",
     "", "LinkedIn"],
    ["5312000003", "2026-09-03 11:05:59+01:00", "Dana", "Orr", "dana@example.com", "1", "General Admission", "8010004",
     "801000410004", "Eventbrite Completed", "GBP", "35.00", "2.98", "2.14", "0.84", "Refunded", "", "", "", "Friend"],
    ["5312000004", "2026-09-04 08:00:00+01:00", "Aarti", "Shah", "aarti@example.com", "1", "Workshop add-on",
     "8010005", "801000510005", "Free Order", "GBP", "0.00", "0.00", "0.00", "0.00", "Attending", "", "Analyst",
     "Acme", "Newsletter"],
])
EVENTBRITE_NAME = "report-2026-09-05T0912.csv"


def test_an_eventbrite_attendee_report_counts_what_each_ticket_paid_in_pounds(tmp_path):
    # Each attendee (Email) is a customer, each ticket a purchase of its 'Total Paid' (not 'Fees Paid'); Dana's
    # refunded ticket reads 'return', its money taken back. Times +01:00: 09:14:22 is 08:14:22 UTC. Before: no money,
    # every row an 'order' of no value.
    dataset = load_dataset([_write(tmp_path, EVENTBRITE_NAME, EVENTBRITE)])
    mapping = dataset.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.columns["revenue"]) == ("Email", "Total Paid")
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (5, 5)
    events = _events(dataset)
    assert list(zip(events["customer_id"], events["event"], events["revenue"])) == [
        ("aarti@example.com", "purchase", 25.0), ("bina@example.com", "purchase", 35.0),
        ("chetan@example.com", "purchase", 35.0), ("dana@example.com", "return", 0.0),
        ("aarti@example.com", "purchase", 0.0)]
    assert events["timestamp"].dt.strftime("%d %H:%M:%S").tolist()[:2] == ["01 08:14:22", "02 17:40:05"]
    assert dataset.currency == "GBP"


def test_an_eventbrite_attendee_report_gives_the_organisers_figures_on_upload_and_in_place(tmp_path):
    # Revenue 25 + 35 + 35 + 0 (refunded) + 0 (free) = 95 GBP; 4 attendees, 3 of whom bought (Dana's ticket refunded):
    # conversion 3/4; the paid tickets 25, 35, 35: average 95 / 3 = 31.67 (each attendee's ticket, the free one no
    # order); Aarti came back (2 tickets) of 3 buyers: repeat rate 1/3. In place with the same mapping: the same.
    path = _write(tmp_path, EVENTBRITE_NAME, EVENTBRITE)
    uploaded = load_dataset([path])
    for dataset in (uploaded, dataset_from_files(path, mapping=uploaded.files[0].mapping)):
        built = report.build_report(dataset)
        kpis = built["kpis"]
        assert (kpis["customers"], built["currency"]) == (4, "GBP")
        assert kpis["revenue"] == pytest.approx(95.0)
        assert kpis["conversion_rate"] == pytest.approx(0.75)
        assert kpis["average_order_value"] == pytest.approx(95 / 3)
        assert kpis["repeat_purchase_rate"] == pytest.approx(1 / 3)


@pytest.mark.xfail(strict=True, reason="an order's lines holding one amount each read as an order total repeated on "
                                       "its lines (cjm.data.money._order_total_once: 'Total Paid' has the word "
                                       "'total'), so the second of two 35.00 tickets counts nothing: revenue 60, not 95")
def test_tickets_of_one_order_under_the_buyers_name_each_count_what_they_paid(tmp_path):
    # Eventbrite asks only the buyer's details unless the organiser asks each attendee's: every ticket of Bina's order
    # 5312000002 is then under her name and e-mail. Her two tickets are 35.00 each: revenue 25 + 35 + 35 + 0 + 0 = 95;
    # her order is one order of 70 (its two tickets at one moment): AOV 95 / 2 = 47.5.
    text = EVENTBRITE.replace("Chetan,Mehta,chetan@example.com", "Bina,Rao,bina@example.com")
    kpis = report.build_report(load_dataset([_write(tmp_path, EVENTBRITE_NAME, text)]))["kpis"]
    assert kpis["revenue"] == pytest.approx(95.0)
    assert kpis["average_order_value"] == pytest.approx(47.5)


# --- BigCommerce orders export ---------------------------------------------------------------------------------------

BIGCOMMERCE_HEADER = [
    "Order ID", "Order Status", "Order Date", "Order Time", "Subtotal (inc tax)", "Subtotal (ex tax)", "Tax Total",
    "Shipping Cost (inc tax)", "Shipping Cost (ex tax)", "Handling Cost (inc tax)", "Handling Cost (ex tax)",
    "Coupon Details", "Order Total (inc tax)", "Order Total (ex tax)", "Refund Amount", "Customer ID",
    "Customer Name", "Customer Email", "Customer Phone", "Ship Method", "Payment Method", "Store Credit Redeemed",
    "Gift Certificate Amount Redeemed", "Gift Certificate Code", "Gift Certificate Expiration Date", "Total Quantity",
    "Total Shipped", "Date Shipped", "Order Currency Code", "Exchange Rate", "Order Notes", "Customer Message",
    "Billing Name", "Billing First Name", "Billing Last Name", "Billing Company", "Billing Street 1",
    "Billing Street 2", "Billing Suburb", "Billing State", "Billing State Abbreviation", "Billing Zip",
    "Billing Country", "Billing Suburb + State + Zip", "Billing Phone", "Billing Email",
    "Merchant-defined Order Status", "Shipping Name", "Shipping First Name", "Shipping Last Name", "Shipping Company",
    "Shipping Street 1", "Shipping Street 2", "Shipping Suburb", "Shipping State", "Shipping State Abbreviation",
    "Shipping Zip", "Shipping Country", "Shipping Suburb + State + Zip", "Shipping Phone", "Shipping Email",
    "Customer Group Name", "Product Details", "# Unique Products in Order", "Combined Product Weight", "Todays Date",
    "Peachtree Accounts Receivable Account", "Channel ID", "Channel Name", "Order Source", "Transaction ID"]


def _bigcommerce_row(**values) -> list[str]:
    row = [""] * len(BIGCOMMERCE_HEADER)
    for key, value in {"Order Currency Code": "USD", "Exchange Rate": "1.0000000000", "Payment Method": "Credit Card",
                       "Channel Name": "Default Channel", "Order Source": "www", **values}.items():
        row[BIGCOMMERCE_HEADER.index(key)] = value
    return row


def _items(*lines: tuple[str, str, str, int, float]) -> str:
    return "|".join(f"Product ID: {pid}, Product Qty: {qty}, Product SKU: {sku}, Product Name: {name}, Product Weight: "
                    f"0.5000, Product Variation Details: , Product Unit Price: {price:.2f}, Product Total Price: "
                    f"{qty * price:.2f}" for pid, sku, name, qty, price in lines)


# Ana (customer 7) orders twice: 101 (2 mugs and a tea tin, $59.00 with tax and shipping, shipped next day) and 103
# (awaiting fulfillment); Ben's 102 was refunded; guests Cy (104, cancelled) and Dee (105) checked out without an
# account: "Customer ID" 0.
_MUG, _TEA = ("82", "MUG-01", "Stoneware mug"), ("91", "TEA-02", "Green tea tin")
BIGCOMMERCE = _csv(BIGCOMMERCE_HEADER, [
    _bigcommerce_row(**{"Order ID": "101", "Order Status": "Shipped", "Order Date": "03/02/2026",
                        "Order Time": "14:05:09", "Subtotal (inc tax)": "$54.00", "Subtotal (ex tax)": "$50.00",
                        "Tax Total": "$4.00", "Shipping Cost (inc tax)": "$5.00", "Shipping Cost (ex tax)": "$5.00",
                        "Order Total (inc tax)": "$59.00", "Order Total (ex tax)": "$55.00", "Refund Amount": "$0.00",
                        "Customer ID": "7", "Customer Name": "Ana Lee", "Customer Email": "ana@example.com",
                        "Ship Method": "Flat Rate", "Total Quantity": "3", "Total Shipped": "3",
                        "Date Shipped": "03/03/2026", "Billing State": "Texas", "Customer Group Name": "Retail",
                        "Product Details": _items((*_MUG, 2, 15.0), (*_TEA, 1, 20.0))}),
    _bigcommerce_row(**{"Order ID": "102", "Order Status": "Refunded", "Order Date": "03/05/2026",
                        "Order Time": "09:30:00", "Subtotal (inc tax)": "$32.40", "Subtotal (ex tax)": "$30.00",
                        "Tax Total": "$2.40", "Order Total (inc tax)": "$32.40", "Order Total (ex tax)": "$30.00",
                        "Refund Amount": "$32.40", "Customer ID": "8", "Customer Name": "Ben Ng",
                        "Customer Email": "ben@example.com", "Payment Method": "PayPal", "Total Quantity": "1",
                        "Total Shipped": "0", "Customer Group Name": "Retail",
                        "Product Details": _items((*_MUG, 1, 30.0))}),
    _bigcommerce_row(**{"Order ID": "103", "Order Status": "Awaiting Fulfillment", "Order Date": "03/13/2026",
                        "Order Time": "21:47:31", "Subtotal (inc tax)": "$21.60", "Subtotal (ex tax)": "$20.00",
                        "Tax Total": "$1.60", "Order Total (inc tax)": "$21.60", "Order Total (ex tax)": "$20.00",
                        "Refund Amount": "$0.00", "Customer ID": "7", "Customer Name": "Ana Lee",
                        "Customer Email": "ana@example.com", "Total Quantity": "1", "Total Shipped": "0",
                        "Customer Group Name": "Retail", "Product Details": _items((*_TEA, 1, 20.0))}),
    _bigcommerce_row(**{"Order ID": "104", "Order Status": "Cancelled", "Order Date": "03/14/2026",
                        "Order Time": "08:02:00", "Subtotal (inc tax)": "$16.20", "Order Total (inc tax)": "$16.20",
                        "Order Total (ex tax)": "$15.00", "Refund Amount": "$0.00", "Customer ID": "0",
                        "Customer Name": "Cy Ray", "Customer Email": "cy@example.com", "Total Quantity": "1",
                        "Total Shipped": "0", "Product Details": _items((*_MUG, 1, 15.0))}),
    _bigcommerce_row(**{"Order ID": "105", "Order Status": "Completed", "Order Date": "03/15/2026",
                        "Order Time": "10:00:00", "Subtotal (inc tax)": "$16.20", "Order Total (inc tax)": "$16.20",
                        "Order Total (ex tax)": "$15.00", "Refund Amount": "$0.00", "Customer ID": "0",
                        "Customer Name": "Dee Orr", "Customer Email": "dee@example.com", "Total Quantity": "1",
                        "Total Shipped": "1", "Product Details": _items((*_MUG, 1, 15.0))}),
])
BIGCOMMERCE_NAME = "orders-2026-03-15.csv"


def test_a_bigcommerce_orders_export_reads_each_orders_total_with_tax_in_dollars(tmp_path):
    # One row per order, a step per filled date ('Order Date', 'Date Shipped'). Money 'Order Total (inc tax)' once per
    # order, on its order event: 101 $59.00, 103 $21.60, 105 $16.20; 102 refunded and 104 cancelled read 'return' and
    # 'cancellation', their money 0. Currency 'Order Currency Code' USD. Before: no money, no currency.
    dataset = load_dataset([_write(tmp_path, BIGCOMMERCE_NAME, BIGCOMMERCE)])
    mapping = dataset.files[0].mapping
    assert (mapping.shape, mapping.wide_events, mapping.columns["revenue"]) == (
        "wide", ["Order Date", "Date Shipped"], "Order Total (inc tax)")
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (5, 5)
    events = _events(dataset)
    assert list(zip(events["event"], events["revenue"].fillna(-1))) == [
        ("order", 59.0), ("shipped", -1), ("return", 0.0), ("order", 21.6), ("cancellation", 0.0), ("order", 16.2)]
    assert dataset.currency == "USD"


def test_a_bigcommerce_order_is_at_its_order_time(tmp_path):
    # 'Order Time' completes 'Order Date' (month first): 03/02/2026 14:05:09 is 2 March 14:05:09; 'Date Shipped' has
    # no time of its own (3 March). Before: every order at midnight.
    dataset = load_dataset([_write(tmp_path, BIGCOMMERCE_NAME, BIGCOMMERCE)])
    assert dataset.files[0].mapping.time_of_day == "Order Time"
    assert dataset.files[0].mapping.describe()["timestamp"] == (
        "= the value of that column (Order Date + Order Time)")
    events = _events(dataset)
    assert events["timestamp"].dt.strftime("%m-%d %H:%M:%S").tolist() == [
        "03-02 14:05:09", "03-03 00:00:00", "03-05 09:30:00", "03-13 21:47:31", "03-14 08:02:00", "03-15 10:00:00"]


def test_guests_of_a_bigcommerce_store_are_told_apart_by_their_email(tmp_path):
    # 'Customer ID' is 0 for both guests (Cy, Dee): the customer is 'Customer Email'. Customers: Ana, Ben, Cy, Dee = 4.
    # Revenue 59 + 21.60 + 16.20 = 96.80 over 3 orders: AOV 32.27. Buyers Ana (101, 103) and Dee (105; Ben refunded,
    # Cy cancelled): conversion 2/4, repeat rate 1/2. Before: Cy and Dee were one customer '0' (3 customers), and,
    # with no money read, Ana and '0' each "bought" twice: repeat rate 2/3.
    dataset = load_dataset([_write(tmp_path, BIGCOMMERCE_NAME, BIGCOMMERCE)])
    assert dataset.files[0].mapping.columns["customer_id"] == "Customer Email"
    # the Data page says why (seen in the browser: the e-mail chosen beside 'Customer ID' without a word)
    assert ("'Customer ID' writes '0' on the rows of 2 different e-mail addresses (guests, who have no account): the "
            "customer is 'Customer Email', so each guest is one customer.") in dataset.files[0].notes
    kpis = report.build_report(dataset)["kpis"]
    assert kpis["customers"] == 4
    assert kpis["revenue"] == pytest.approx(96.8)
    assert kpis["average_order_value"] == pytest.approx(96.8 / 3)
    assert kpis["conversion_rate"] == pytest.approx(0.5)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.5)


def test_a_customer_id_that_one_guest_holds_or_a_household_shares_stays_the_customer():
    # The e-mail replaces the id only where one guest value (0, -1, 'guest') stands for two e-mail addresses: a
    # single guest order, or a household id that two e-mails share, leaves the id the customer.
    one_guest = pd.DataFrame({"Customer ID": ["7", "0", "8"], "Customer Email": ["a@x.com", "b@x.com", "c@x.com"],
                              "Order Date": ["2026-03-01", "2026-03-02", "2026-03-03"]})
    household = pd.DataFrame({"Customer ID": ["H1", "H1", "H2"], "Customer Email": ["a@x.com", "b@x.com", "c@x.com"],
                              "Order Date": ["2026-03-01", "2026-03-02", "2026-03-03"]})
    guests = one_guest.assign(**{"Customer ID": ["7", "0", "0"]})
    assert suggest_mapping(one_guest).columns["customer_id"] == "Customer ID"
    assert suggest_mapping(household).columns["customer_id"] == "Customer ID"
    assert suggest_mapping(guests).columns["customer_id"] == "Customer Email"


def test_a_time_column_named_after_its_date_column_completes_it_in_a_long_export(tmp_path):
    # One date column (no second step): 'Order Time' completes 'Order Date' as PayPal's 'Time' completes its 'Date':
    # 2026-03-02 14:05:09 and 2026-03-03 09:00:00.
    text = ("Order ID,Customer Email,Order Date,Order Time,Order Total\n"
            "1,a@x.com,2026-03-02,14:05:09,10.00\n2,b@x.com,2026-03-03,09:00:00,12.00\n")
    path = _write(tmp_path, "orders.csv", text)
    uploaded = load_dataset([path])
    assert uploaded.files[0].mapping.time_of_day == "Order Time"
    for dataset in (uploaded, dataset_from_files(path, mapping=uploaded.files[0].mapping)):  # in place alike
        assert _events(dataset)["timestamp"].dt.strftime("%d %H:%M:%S").tolist() == ["02 14:05:09", "03 09:00:00"]


def test_the_data_page_keeps_a_wide_exports_column_of_times(tmp_path):
    # The Data page's mapping form (cjm.ui.loading) left a wide export's time column out (its selector disabled):
    # BigCommerce's orders went back to midnight as soon as the form was used.
    from tests.apptest import open_app

    at = open_app("app_pages/data.py", files={BIGCOMMERCE_NAME: BIGCOMMERCE.encode()})
    clock = next(box for box in at.selectbox if box.label.startswith("Times of day of the dates"))
    assert (clock.value, clock.disabled) == ("Order Time", False)
