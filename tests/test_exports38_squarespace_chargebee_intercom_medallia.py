"""Exports of kinds cjm had not been tried on in their real shapes: Squarespace's orders export, Chargebee's invoices
report (subscription billing), Intercom's conversations export one row per message, and Medallia Agent Connect's
feedback export (a support team's customer-satisfaction survey). Each excerpt below keeps the real header and the
real value formats; the values are invented. Every test writes its file and loads it as a new user would
(cjm.data.dataset.load_dataset), then reads the report (cjm.report.build_report), and reads it in place
(cjm.data.source.dataset_from_files) with the upload's mapping.

Where the shapes come from:
- Squarespace: an orders export pasted into a viewer (public GitHub, search index file 16423202072): the 44 columns
  "Order ID,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,Shipping,Taxes,Amount
  Refunded,Total,...,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem variant,...,
  Cancelled at,Private Notes,Payment Method,Payment Reference"; an order of two products on two rows, the second
  naming only its "Order ID" and the product; "PAID" and "refunded" (sic, both cases), fulfilment "pending" /
  "cancelled", an order refunded whole with its "Amount Refunded" its total and its "Cancelled at" filled; times
  "7/25/2018 21:06" (month first, no seconds); money without a sign (20, 10, 30); "Stripe" and a "ch_..." reference.
  Squarespace's columns as parsers read them (index files 42660107176, 55785785573).
- Chargebee: the fields of Chargebee's "Invoices" report as its documentation lists them
  (chargebee.com/docs/billing/2.0/reports-and-analytics/standard-invoices: "Invoice ID", "Paid On", "First Invoice",
  "Amount To Collect", "Dunning Status" in_progress / exhausted / stopped / success, "Currency", "Write Off Amount",
  "Is Recurring Invoice" Yes / No, "Amount Due", "Amount Adjusted", ...), and the invoice's other fields and statuses
  as Chargebee's client library types them (unpkg chargebee@3.16.2 types/resources/Invoice.d.ts: customer_id,
  subscription_id, status paid / posted / payment_due / not_paid / voided / pending, total, amount_paid,
  amount_adjusted, credits_applied, voided_at), named in the report's style ("Customer ID", "Status" "Payment Due").
- Intercom: the conversations export of Intercom Export (prodsight.ai help centre, "What does the Intercom conversation
  export contain"): message_id, message_body, message_type, message_created_at, message_author_type (lead, bot,
  admin, user), message_author_id, message_author_user_id, message_author_name, message_author_email,
  message_author_companies, conversation_tags, conversation_id, conversation_state, conversation_created_at,
  conversation_first_response_at, conversation_closed_at, app_id, app_name; times "2017-11-14 21:45:08" in UTC; with
  "message entries", one row per message of types conversation_message, comment, open, close, note, assignment, ...
- Medallia Agent Connect: "Feedback Exports: field descriptions and request delivery status" (docs.medallia.com,
  agent-connect/reports-and-dashboards/export-data): request_id, request_sent_at, request_delivery_status ("Sent",
  "Not sent: suppression period", ...), response_received_at, star_rating (1-5), comments, reward_name,
  areas_for_improvement, additional_question_response, ext_interaction_id, external_url, channel, tags, brand,
  customer_name, request_sent_to (the respondent's e-mail), employee_first_name, employee_last_name, employee_email,
  employee_custom_id, employee_status, employee_employment_status, employee_start_date, team_leader; "All requests"
  or "Only requests with responses" ("Exporting data"), so a request not answered is a row with no rating.

Wrong before, mended here (figures of the excerpts below, before -> after):
- Squarespace: the 2 product lines naming only their "Order ID" were rejected "missing customer id" (7 rows in, 5
  used -> 7 used; revenue 350 USD, conversion 3/4 and repeat 1/3 were right). Read one row an event (a mapping naming
  one timestamp column, the only way to read it in place), its "Payment Reference" made every row a reversal
  document: 'pending' orders read 'refund pending', Dee's 'fulfilled' one a 'return' of -45, revenue -45 -> 350.
- Chargebee: the money was "Total" (billed), not "Amount Paid" (collected): Bo's 120.00 with 20.00 adjusted counted
  whole. Revenue 218 -> 198 EUR, AOV 72.67 -> 66.00.
- Intercom: read wide, each message was also its conversation's 'created', 'first response' and 'closed' (38 events
  from 11 messages -> 11); the admin Sam was a customer (3 customers -> 2), the bot's reply rejected "missing
  customer id" (10 used -> 11), the company's words the customers' comments (7 texts -> 4). Read in place it was read
  the same wrong way; it is now refused with the reason.
- Medallia Agent Connect: no customer column (each row one respondent: 6 -> 5 customers, Ana's two answers one
  customer); then the agents' "employee_start_date" a step of each customer's journey (2024-05-13) -> none; then Eve's
  request "Not sent: suppression period" a 'request sent' of a customer never asked (6 used -> 5, the row set aside
  'request never sent', on upload and in place: 5 customers -> 4; tests/test_requests_not_sent.py).
Read in place with one timestamp column, Chargebee, Medallia and Squarespace give the upload's figures.
Left as a strict xfail: Squarespace's product lines read one row an event (upload and in place) are still "missing
customer id". Intercom's rows of a conversation assigned or closed without a word, and the team's internal note,
'support reply' events as its replies were, are set aside as no reply (11 used -> 7;
tests/test_conversation_rows_without_words.py).

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations


import pandas as pd
import pytest

from cjm import report
from cjm.data.dataset import NOT_SENT, load_dataset
from cjm.data.source import dataset_from_files
from tests.export_files import assert_in_place_as_uploaded, csv_text as _csv, events_in_file_order as _events, write_export as _write





def _row(header: list[str], **values) -> list[str]:
    row = [""] * len(header)
    for key, value in values.items():
        row[header.index(key)] = value
    return row


# --- Squarespace orders export ---------------------------------------------------------------------------------------

SQUARESPACE_HEADER = [
    "Order ID", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Currency", "Subtotal",
    "Shipping", "Taxes", "Amount Refunded", "Total", "Discount Code", "Discount Amount", "Shipping Method",
    "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku", "Lineitem variant",
    "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status", "Billing Name",
    "Billing Address1", "Billing Address2", "Billing City", "Billing Zip", "Billing Province", "Billing Country",
    "Billing Phone", "Shipping Name", "Shipping Address1", "Shipping Address2", "Shipping City", "Shipping Zip",
    "Shipping Province", "Shipping Country", "Shipping Phone", "Cancelled at", "Private Notes", "Payment Method",
    "Payment Reference"]


def _sq_order(order, email, status, when, fulfilment, subtotal, shipping, refunded, total, name, item, price,
              sku, variant, cancelled="", reference="") -> list[str]:
    return _row(SQUARESPACE_HEADER, **{
        "Order ID": order, "Email": email, "Financial Status": status, "Paid at": when,
        "Fulfillment Status": fulfilment, "Currency": "USD", "Subtotal": subtotal, "Shipping": shipping, "Taxes": "0",
        "Amount Refunded": refunded, "Total": total, "Discount Amount": "0",
        "Shipping Method": "Flat rate" if shipping != "0" else "", "Created at": when, "Lineitem quantity": "1",
        "Lineitem name": item, "Lineitem price": price, "Lineitem sku": sku, "Lineitem variant": variant,
        "Lineitem requires shipping": "TRUE", "Lineitem taxable": "TRUE", "Lineitem fulfillment status": fulfilment,
        "Billing Name": name, "Billing Address1": "869 Lewis Avenue", "Billing City": "Sunnyvale",
        "Billing Zip": "94086", "Billing Province": "CA", "Billing Country": "United States", "Shipping Name": name,
        "Shipping Address1": "869 Lewis Avenue", "Shipping City": "Sunnyvale", "Shipping Zip": "94086",
        "Shipping Province": "CA", "Shipping Country": "United States", "Cancelled at": cancelled,
        "Payment Method": "Stripe", "Payment Reference": reference or f"ch_1Cs0jnLjGdjc8rbZ{order:0>8}"})


def _sq_line(order, item, price, sku, variant) -> list[str]:
    return _row(SQUARESPACE_HEADER, **{
        "Order ID": order, "Lineitem quantity": "1", "Lineitem name": item, "Lineitem price": price,
        "Lineitem sku": sku, "Lineitem variant": variant, "Lineitem requires shipping": "TRUE",
        "Lineitem taxable": "TRUE", "Lineitem fulfillment status": "pending"})


# A coffee roaster's orders, as the export lists them. Ana's order 1 is two bags (10 + 10, shipping 10: total 30) on two
# rows; Bo's order 2 was refunded whole and cancelled (Amount Refunded 20 of 20); Cy buys a 3-month subscription (240)
# on 4 August and two more bags (40, shipping 10: 50) the same evening; Dee's order 5 (45) had 15 refunded.
SQUARESPACE = _csv(SQUARESPACE_HEADER, [
    _sq_order("1", "ana@example.com", "PAID", "7/25/2026 21:06", "pending", "20", "10", "0", "30", "Ana Lee",
              "Washed Colombian Coffee", "10", "SQ0509144", "200g"),
    _sq_line("1", "Washed Ethiopian Coffee", "10", "SQ0030016", "200g"),
    _sq_order("3", "cy@example.com", "PAID", "8/4/2026 19:26", "pending", "240", "0", "0", "240", "Cy Moss",
              "3 month subscription", "240", "SQ7673338", "400g/2/Every other week"),
    _sq_order("4", "cy@example.com", "PAID", "8/4/2026 19:28", "pending", "40", "10", "0", "50", "Cy Moss",
              "Washed Colombian Coffee", "10", "SQ0509144", "200g"),
    _sq_line("4", "3 month subscription", "30", "SQ7103073", "200g/1/Monthly"),
    _sq_order("2", "bo@example.com", "refunded", "7/25/2026 22:12", "cancelled", "10", "10", "20", "20", "Bo Orr",
              "Washed Guatemalan Coffee", "10", "SQ9095169", "200g", cancelled="7/26/2026 12:32"),
    _sq_order("5", "dee@example.com", "PAID", "8/6/2026 9:05", "fulfilled", "40", "5", "15", "45", "Dee Park",
              "Espresso Blend", "40", "SQ1200400", "1kg"),
])
SQUARESPACE_NAME = "orders.csv"


# --- Chargebee invoices report --------------------------------------------------------------------------------------

CHARGEBEE_HEADER = [
    "Invoice ID", "Invoice Date", "Customer ID", "Customer Email", "Subscription ID", "Status", "Currency", "Total",
    "Amount Paid", "Amount Adjusted", "Credits Applied", "Amount Due", "Amount To Collect", "Write Off Amount",
    "Paid On", "Voided On", "Dunning Status", "Next Retry On", "First Invoice", "Is Recurring Invoice"]


def _cb(invoice, date, customer, email, subscription, status, total, paid, adjusted="0.00", due="0.00", paid_on="",
        voided_on="", dunning="", retry="", first="False") -> list[str]:
    return _row(CHARGEBEE_HEADER, **{
        "Invoice ID": invoice, "Invoice Date": date, "Customer ID": customer, "Customer Email": email,
        "Subscription ID": subscription, "Status": status, "Currency": "EUR", "Total": total, "Amount Paid": paid,
        "Amount Adjusted": adjusted, "Credits Applied": "0.00", "Amount Due": due, "Amount To Collect": due,
        "Write Off Amount": "0.00", "Paid On": paid_on, "Voided On": voided_on, "Dunning Status": dunning,
        "Next Retry On": retry, "First Invoice": first, "Is Recurring Invoice": "Yes"})


# A software subscription billed monthly in euros. Ana pays January and February (49.00 each); Bo's January invoice of
# 120.00 had 20.00 taken off by an adjustment credit note (he paid 100.00) and his February one is still due, its
# dunning in progress; Cy's card failed until dunning gave up ("Not Paid"); Dee's invoice was voided (she cancelled).
CHARGEBEE = _csv(CHARGEBEE_HEADER, [
    _cb("1001", "2026-01-05 10:00:09", "AzZlGJTKp7oQb1Ge", "ana@example.com", "AzZlGJTKp7oQb1Ge", "Paid", "49.00",
        "49.00", paid_on="2026-01-05 10:00:12", first="True"),
    _cb("1002", "2026-01-20 16:30:00", "16BjpaSx4ZqLm2kP", "bo@example.com", "16BjpaSx4ZqLm2kP", "Paid", "120.00",
        "100.00", adjusted="20.00", paid_on="2026-01-22 09:12:40", first="True"),
    _cb("1003", "2026-02-01 08:00:00", "6oq3kTRWx1PqvB9", "cy@example.com", "6oq3kTRWx1PqvB9", "Not Paid", "49.00",
        "0.00", due="49.00", dunning="exhausted", first="True"),
    _cb("1004", "2026-02-05 10:00:07", "AzZlGJTKp7oQb1Ge", "ana@example.com", "AzZlGJTKp7oQb1Ge", "Paid", "49.00",
        "49.00", paid_on="2026-02-05 10:00:11"),
    _cb("1005", "2026-02-10 12:00:00", "Hr5t0aTx9LkQw3Mn", "dee@example.com", "Hr5t0aTx9LkQw3Mn", "Voided", "49.00",
        "0.00", voided_on="2026-02-11 08:45:00", first="True"),
    _cb("1006", "2026-02-20 16:30:00", "16BjpaSx4ZqLm2kP", "bo@example.com", "16BjpaSx4ZqLm2kP", "Payment Due",
        "120.00", "0.00", due="120.00", dunning="in_progress", retry="2026-02-23 16:30:00"),
])
CHARGEBEE_NAME = "Invoices_2026-03-01.csv"


# --- Intercom conversations export, one row per message --------------------------------------------------------------

INTERCOM_HEADER = [
    "message_id", "message_body", "message_type", "message_created_at", "message_author_type", "message_author_id",
    "message_author_user_id", "message_author_name", "message_author_email", "message_author_companies",
    "conversation_tags", "conversation_id", "conversation_state", "conversation_created_at",
    "conversation_first_response_at", "conversation_closed_at", "app_id", "app_name"]
_ANA = ("user", "5f1a2b3c4d5e6f7081920a1b", "u-1001", "Ana Lee", "ana@example.com", "Acme")
_BEN = ("lead", "5f1a2b3c4d5e6f7081920a2c", "", "Ben", "ben@example.com", "")
_SAM = ("admin", "4821337", "", "Sam Ortiz", "sam@shop.example", "")
_BOT = ("bot", "4821000", "", "Operator", "", "")


def _ic(message, body, kind, at, author, conversation, state, created, first_response, closed, tags="") -> list[str]:
    return [message, body, kind, at, *author, tags, conversation, state, created, first_response, closed, "ab12cd34",
            "Shop"]


# Ana writes on 2 March about a late parcel: the bot answers, Sam is assigned, replies, Ana thanks him, Sam closes it.
# Ben, a visitor (a lead), asks about sizes on 3 March: Sam replies, leaves an internal note and closes it. Ana writes
# again on 9 March; nobody has answered yet.
_C1 = ("1001", "closed", "2026-03-02 09:15:02", "2026-03-02 09:31:40", "2026-03-02 10:02:13")
_C2 = ("1002", "closed", "2026-03-03 14:00:00", "2026-03-03 14:20:05", "2026-03-03 14:25:00")
_C3 = ("1003", "open", "2026-03-09 18:45:30", "", "")
INTERCOM = _csv(INTERCOM_HEADER, [
    _ic("90001", "Hi, my parcel is a week late and the tracking has not moved", "conversation_message",
        "2026-03-02 09:15:02", _ANA, *_C1, tags="shipping"),
    _ic("90002", "Thanks! Someone from the team will reply in a few minutes.", "comment", "2026-03-02 09:15:05",
        _BOT, *_C1, tags="shipping"),
    _ic("90003", "", "assignment", "2026-03-02 09:30:00", _SAM, *_C1, tags="shipping"),
    _ic("90004", "Sorry about that, I have sent a new parcel by express.", "comment", "2026-03-02 09:31:40", _SAM,
        *_C1, tags="shipping"),
    _ic("90005", "Great, thank you so much", "comment", "2026-03-02 09:40:11", _ANA, *_C1, tags="shipping"),
    _ic("90006", "", "close", "2026-03-02 10:02:13", _SAM, *_C1, tags="shipping"),
    _ic("90007", "Do the boots run small?", "conversation_message", "2026-03-03 14:00:00", _BEN, *_C2),
    _ic("90008", "They run half a size small, so go one up.", "comment", "2026-03-03 14:20:05", _SAM, *_C2),
    _ic("90009", "asked about sizes, could be a sale", "note", "2026-03-03 14:21:00", _SAM, *_C2),
    _ic("90010", "", "close", "2026-03-03 14:25:00", _SAM, *_C2),
    _ic("90011", "The new parcel arrived but the box was crushed", "conversation_message", "2026-03-09 18:45:30",
        _ANA, *_C3),
])
INTERCOM_NAME = "intercom-conversations-export.csv"


# --- Medallia Agent Connect feedback export --------------------------------------------------------------------------

MEDALLIA_HEADER = [
    "request_id", "request_sent_at", "request_delivery_status", "response_received_at", "star_rating", "comments",
    "reward_name", "areas_for_improvement", "additional_question_response", "ext_interaction_id", "external_url",
    "channel", "tags", "brand", "customer_name", "request_sent_to", "employee_first_name", "employee_last_name",
    "employee_email", "employee_custom_id", "employee_status", "employee_employment_status", "employee_start_date",
    "team_leader"]
_AGENTS = {"kim": ("Kim", "Tran", "kim.tran@shop.example", "E-104", "Active", "full time", "2024-05-13", "Lee Ford"),
           "raj": ("Raj", "Pillai", "raj.pillai@shop.example", "E-117", "Active", "part time", "2025-01-06",
                   "Lee Ford")}


def _md(request, sent, status, received, stars, comment, channel, customer, email, agent, aoi="") -> list[str]:
    first, last, agent_email, custom, state, employment, start, leader = _AGENTS[agent]
    return _row(MEDALLIA_HEADER, **{
        "request_id": request, "request_sent_at": sent, "request_delivery_status": status,
        "response_received_at": received, "star_rating": stars, "comments": comment,
        "areas_for_improvement": aoi, "ext_interaction_id": f"case-{request}",
        "external_url": f"https://shop.zendesk.com/agent/tickets/{request}", "channel": channel, "brand": "Shop",
        "customer_name": customer, "request_sent_to": email, "employee_first_name": first,
        "employee_last_name": last, "employee_email": agent_email, "employee_custom_id": custom,
        "employee_status": state, "employee_employment_status": employment, "employee_start_date": start,
        "team_leader": leader})


# "All requests" from 1 to 10 March. Kim helped Ana (5 stars), Bo (2 stars, slow) and Cy (not answered); Raj helped
# Dee (4 stars, no comment) and Ana again (1 star); Eve was not sent a request (she had one a week before).
MEDALLIA = _csv(MEDALLIA_HEADER, [
    _md("7001", "2026-03-01T10:00:00Z", "Sent", "2026-03-01T10:12:30Z", "5", "Kim sorted it out in minutes", "chat",
        "Ana Lee", "ana@example.com", "kim"),
    _md("7002", "2026-03-02T15:30:00Z", "Sent", "2026-03-03T08:01:00Z", "2", "Took three days to get an answer",
        "email", "Bo Orr", "bo@example.com", "kim", aoi="Speed"),
    _md("7003", "2026-03-03T09:00:00Z", "Sent", "", "", "", "phone", "Cy Moss", "cy@example.com", "kim"),
    _md("7004", "2026-03-04T11:20:00Z", "Sent", "2026-03-04T12:00:00Z", "4", "", "chat", "Dee Park",
        "dee@example.com", "raj"),
    _md("7005", "2026-03-06T17:45:00Z", "Sent", "2026-03-06T18:30:10Z", "1", "Nobody could tell me where my refund is",
        "phone", "Ana Lee", "ana@example.com", "raj", aoi="Knowledge"),
    _md("7006", "2026-03-08T13:00:00Z", "Not sent: suppression period", "", "", "", "email", "Eve Kim",
        "eve@example.com", "raj"),
])
MEDALLIA_NAME = "feedback_export_2026-03-01_2026-03-10.csv"

ALL = [(SQUARESPACE_NAME, SQUARESPACE), (CHARGEBEE_NAME, CHARGEBEE), (INTERCOM_NAME, INTERCOM),
       (MEDALLIA_NAME, MEDALLIA)]


# --- Chargebee --------------------------------------------------------------------------------------------------------

def test_a_chargebee_invoices_report_counts_what_each_invoice_collected(tmp_path):
    # 6 invoices in, 6 used. The customer is "Customer ID" (Ana's two invoices one customer). The money is "Amount
    # Paid", what each invoice collected, not its "Total" billed: Bo's 120.00 less the 20.00 adjusted is 100.00. Each
    # filled date is a step: 'invoice' (its money), 'paid', 'voided'. "Not Paid" and "Payment Due" collected nothing:
    # 'not paid' of 0; "Voided" reads 'cancellation' of 0. Before: Bo's invoice counted its Total, 120.00.
    dataset = load_dataset([_write(tmp_path, CHARGEBEE_NAME, CHARGEBEE)])
    mapping = dataset.files[0].mapping
    assert (mapping.shape, mapping.columns["customer_id"], mapping.columns["revenue"]) == (
        "wide", "Customer ID", "Amount Paid")
    assert mapping.wide_events == ["Invoice Date", "Paid On", "Voided On"]
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (6, 6)
    events = _events(dataset)
    money = events.dropna(subset=["revenue"])
    assert list(zip(money["event"], money["revenue"])) == [
        ("invoice", 49.0), ("invoice", 100.0), ("not paid", 0.0), ("invoice", 49.0), ("cancellation", 0.0),
        ("not paid", 0.0)]
    assert dataset.currency == "EUR"


def test_a_chargebee_invoices_report_gives_the_subscription_figures(tmp_path):
    # Revenue 49 + 100 + 49 = 198.00 EUR over 3 paid invoices: AOV 66. 4 customers; Ana and Bo paid (Cy's card failed,
    # Dee's invoice was voided): conversion 2/4; Ana paid twice (Bo's second is still due): repeat 1/2.
    # Before: revenue 218 (Bo's Total 120 counted whole), AOV 72.67.
    kpis = report.build_report(load_dataset([_write(tmp_path, CHARGEBEE_NAME, CHARGEBEE)]))["kpis"]
    assert kpis["customers"] == 4
    assert kpis["revenue"] == pytest.approx(198.0)
    assert kpis["average_order_value"] == pytest.approx(66.0)
    assert kpis["conversion_rate"] == pytest.approx(0.5)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.5)


def test_an_amount_paid_beside_a_total_is_the_money_collected():
    # A billing export's "Total" is what was billed, its "Amount Paid" what came in: the revenue is the latter.
    # "Amount" (Chargebee's invoices list) keeps its place before "Amount Paid".
    from cjm.data.columns import suggest_mapping

    frame = pd.DataFrame({"Invoice ID": ["1", "2"], "Customer ID": ["a", "b"], "Date": ["2026-01-01", "2026-01-02"],
                          "Total": ["120.00", "49.00"], "Amount Paid": ["100.00", "49.00"]})
    assert suggest_mapping(frame).columns["revenue"] == "Amount Paid"
    assert suggest_mapping(frame.rename(columns={"Total": "Amount"})).columns["revenue"] == "Amount"


# --- Medallia Agent Connect -------------------------------------------------------------------------------------------

def test_a_medallia_feedback_export_is_keyed_by_the_customer_it_was_sent_to(tmp_path):
    # 6 requests in, 5 used: Eve's "Not sent: suppression period" is set aside (never sent: no interaction). Who
    # answered is "request_sent_to" (the respondent's e-mail), not the agent's "employee_email", nor each row a
    # respondent of its own: Ana answered twice (Kim's chat, Raj's call). 4 customers (Ana, Bo, Cy, Dee).
    # Before: no customer column, each row one anonymous respondent (6 customers, Ana two people); then 5 (Eve too).
    dataset = load_dataset([_write(tmp_path, MEDALLIA_NAME, MEDALLIA)])
    mapping = dataset.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.columns["score"], mapping.columns["text"]) == (
        "request_sent_to", "star_rating", "comments")
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (6, 5)
    # Each request is sent, then answered (or not): two steps. The agent's "employee_start_date" (when Kim or Raj
    # joined the team, 2024 and 2025) is no step of the customer's journey. 5 sent + 4 answered = 9 events. Before
    # (once keyed by the e-mail): every request also an 'employee start' of its customer in 2024 or 2025.
    assert mapping.wide_events == ["request_sent_at", "response_received_at"]
    events = _events(dataset)
    assert events.groupby("event").size().to_dict() == {"request sent": 5, "response received": 4}
    rated = events.dropna(subset=["score"])
    # each rating on the moment it was received: Bo answered the next morning
    assert list(zip(rated["customer_id"], rated["score"], rated["timestamp"].dt.strftime("%d %H:%M:%S"))) == [
        ("ana@example.com", 5.0, "01 10:12:30"), ("bo@example.com", 2.0, "03 08:01:00"),
        ("dee@example.com", 4.0, "04 12:00:00"), ("ana@example.com", 1.0, "06 18:30:10")]
    built = report.build_report(dataset)
    assert built["kpis"]["customers"] == 4


def test_a_medallia_feedback_export_reads_stars_as_a_five_point_rating(tmp_path):
    # Stars 5, 2, 4, 1 (Cy did not answer, Eve was not sent a request): on the 1-5 scale, CSAT (4 or 5 stars) 2 of 4 =
    # 0.5, no NPS; 3 comments (Dee left none).
    overall = report.build_report(load_dataset([_write(tmp_path, MEDALLIA_NAME, MEDALLIA)]))["sentiment"]["overall"]
    assert (overall["scale"], overall["csat"], overall["nps"]) == ("rating5", pytest.approx(0.5), None)
    assert (overall["scores"], overall["texts"]) == (4, 3)


# --- Squarespace ------------------------------------------------------------------------------------------------------

def test_a_squarespace_orders_export_reads_an_orders_product_lines_as_lines_of_that_order(tmp_path):
    # 7 rows in, 7 used: 5 orders, and the second products of orders 1 and 4 on rows naming only their "Order ID" (the
    # customer, dates and money are on the order's first row). Before: those 2 rows were rejected "missing customer
    # id", which they do not miss: their order names it.
    dataset = load_dataset([_write(tmp_path, SQUARESPACE_NAME, SQUARESPACE)])
    mapping = dataset.files[0].mapping
    assert (mapping.shape, mapping.columns["customer_id"], mapping.columns["revenue"]) == ("wide", "Email", "Total")
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used, dict(dataset.accounting.reasons)) == (7, 7, {})
    events = _events(dataset)
    # one 'paid' per order, with its money: Ana 30, Cy 240 and 50, Bo's refunded whole a 'cancellation' of 0, Dee's
    # 45 less 15 refunded = 30; a product line adds no step and no money
    paid = events.dropna(subset=["revenue"])
    assert list(zip(paid["customer_id"], paid["event"], paid["revenue"])) == [
        ("ana@example.com", "paid", 30.0), ("cy@example.com", "paid", 240.0), ("cy@example.com", "paid", 50.0),
        ("bo@example.com", "cancellation", 0.0), ("dee@example.com", "paid", 30.0)]
    # month first, as '7/25/2026' says: 8/4 is 4 August
    assert paid["timestamp"].dt.strftime("%m-%d %H:%M").tolist() == [
        "07-25 21:06", "08-04 19:26", "08-04 19:28", "07-25 22:12", "08-06 09:05"]
    assert events.groupby("customer_id").size().to_dict() == {
        "ana@example.com": 2, "bo@example.com": 3, "cy@example.com": 4, "dee@example.com": 2}
    assert dataset.currency == "USD"


def test_a_squarespace_orders_export_gives_the_shops_figures(tmp_path):
    # Revenue 30 + 240 + 50 + 30 = 350 USD over 4 orders: AOV 87.50. 4 customers; Ana, Cy and Dee bought (Bo's order
    # was refunded whole): conversion 3/4; Cy bought twice: repeat 1/3. These were right before too.
    kpis = report.build_report(load_dataset([_write(tmp_path, SQUARESPACE_NAME, SQUARESPACE)]))["kpis"]
    assert kpis["customers"] == 4
    assert kpis["revenue"] == pytest.approx(350.0)
    assert kpis["average_order_value"] == pytest.approx(87.5)
    assert kpis["conversion_rate"] == pytest.approx(0.75)
    assert kpis["repeat_purchase_rate"] == pytest.approx(1 / 3)


def test_a_payments_own_reference_is_no_document_it_takes_back(tmp_path):
    # Squarespace's "Payment Reference" is the order's own Stripe charge ("ch_..."), Shopify writes one too: no credit
    # note, nor a "Reference Invoice Number" naming a purchase taken back. Read one row per order, 'pending' (not yet
    # shipped) is no refund pending and 'fulfilled' no return: revenue 30 + 45 = 75. Before: the rows were read as
    # reversal documents, 30 a 'refund pending' of 0 and 45 a 'return' of -45 (revenue -45).
    from cjm.data.reversals import reversal_document_column

    assert [reversal_document_column(c) for c in ("Payment Reference", "Order Ref", "Transaction Reference",
                                                  "Reference Invoice Number", "Original Order ID", "Refunded Charge")
            ] == [False, False, False, True, True, True]
    text = ("Order ID,Email,Created at,Fulfillment Status,Total,Payment Reference\n"
            "1,ana@example.com,2026-07-25 21:06,pending,30,ch_1Cs0jnLjGdjc8rbZ00000001\n"
            "2,dee@example.com,2026-08-06 09:05,fulfilled,45,ch_1Cs0jnLjGdjc8rbZ00000002\n")
    dataset = load_dataset([_write(tmp_path, "orders.csv", text)])
    assert _events(dataset)["event"].tolist() == ["purchase", "purchase"]
    assert report.build_report(dataset)["kpis"]["revenue"] == pytest.approx(75.0)


def _one_row_an_event(mapping, timestamp: str, event: str):
    """The upload's mapping read one row an event, as a file is read in place (a wide export's date columns are
    steps only an upload reads: cjm.data.source refuses them with that message)."""
    from cjm.data.columns import ColumnMapping

    data = mapping.to_dict()
    data.update(shape="long", wide_events=[], wide_due=[], event_constant=event)
    data["columns"]["timestamp"] = timestamp
    return ColumnMapping.from_dict(data)


@pytest.mark.parametrize("name, text, timestamp, event, expected", [
    # Chargebee by 'Invoice Date': 6 rows used; revenue 198 EUR, 4 customers (the upload's figures)
    (CHARGEBEE_NAME, CHARGEBEE, "Invoice Date", "invoice", (6, 6, {}, 4, 198.0)),
    # Medallia by 'request_sent_at': 6 requests, Eve's never sent set aside, 4 customers, no money
    (MEDALLIA_NAME, MEDALLIA, "request_sent_at", "feedback", (6, 5, {NOT_SENT: 1}, 4, None)),
    # Squarespace by 'Created at': 350 USD over 4 customers; one row an event, the 2 product lines name no customer
    # (read wide on upload, they are lines of their orders: see the xfail below)
    (SQUARESPACE_NAME, SQUARESPACE, "Created at", "purchase", (7, 5, {"missing customer id": 2}, 4, 350.0)),
], ids=["chargebee", "medallia", "squarespace"])
def test_each_export_read_in_place_gives_the_uploads_figures(tmp_path, name, text, timestamp, event, expected):
    path = _write(tmp_path, name, text)
    mapping = _one_row_an_event(load_dataset([path]).files[0].mapping, timestamp, event)
    uploaded = load_dataset([path], mappings={name: mapping})
    in_place = dataset_from_files(path, mapping=mapping)
    assert_in_place_as_uploaded(uploaded, in_place, expected)
    mine, theirs = _events(in_place), _events(uploaded)
    if "score" in theirs:
        assert mine["score"].fillna(-1).tolist() == theirs["score"].fillna(-1).tolist()


# --- Intercom ---------------------------------------------------------------------------------------------------------

def test_an_intercom_conversations_export_keys_every_message_by_the_conversations_customer(tmp_path):
    # 11 messages in, 7 used, one event each at its 'message_created_at'. "message_author_type" says who wrote each:
    # a user or lead is the customer (Ana, Ben); an admin's or the bot's message is a 'support reply' of the customer
    # whose conversation it is ("conversation_id"): the bot has no e-mail, Sam is staff. Sam's assignment and two
    # closes have no words, his internal note was never sent to Ben: no reply, set aside (4). 2 customers: Ana 5
    # events (conversation 1001's 4 with words and her new message), Ben 2.
    # Before: read wide, each message also its conversation's 'conversation created', 'first response' and 'closed'
    # (38 events); Sam a customer (3 customers); the bot's reply rejected "missing customer id".
    dataset = load_dataset([_write(tmp_path, INTERCOM_NAME, INTERCOM)])
    mapping = dataset.files[0].mapping
    assert (mapping.shape, mapping.columns["customer_id"], mapping.columns["timestamp"], mapping.columns["text"]) == (
        "long", "message_author_email", "message_created_at", "message_body")
    assert mapping.conversation == {"inbound": "message_author_type", "author": "message_author_email",
                                    "thread": "conversation_id"}
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (11, 7)
    events = _events(dataset)
    assert events.groupby("customer_id").size().to_dict() == {"ana@example.com": 5, "ben@example.com": 2}
    assert events["event"].value_counts().to_dict() == {"support reply": 3, "feedback": 4}
    assert events["timestamp"].is_monotonic_increasing
    # the customers' words only: Sam's replies are the company's, kept as 'reply_text'
    assert events["text"].dropna().tolist() == [
        "Hi, my parcel is a week late and the tracking has not moved", "Great, thank you so much",
        "Do the boots run small?", "The new parcel arrived but the box was crushed"]
    assert events["reply_text"].dropna().tolist() == [
        "Thanks! Someone from the team will reply in a few minutes.",
        "Sorry about that, I have sent a new parcel by express.", "They run half a size small, so go one up."]
    built = report.build_report(dataset)
    assert (built["kpis"]["customers"], built["sentiment"]["overall"]["texts"]) == (2, 4)


def test_an_intercom_conversations_export_read_in_place_is_refused_with_the_reason(tmp_path):
    # In place, the company's replies would be their authors' events (Sam a customer, the bot's reply without one):
    # refused, saying why and what to do, as a wide export is.
    from cjm.errors import MappingError

    path = _write(tmp_path, INTERCOM_NAME, INTERCOM)
    with pytest.raises(MappingError, match="conversation export.*only an upload reads"):
        dataset_from_files(path, mapping=load_dataset([path]).files[0].mapping)


@pytest.mark.xfail(strict=True, reason=(
    "read one row an event (a mapping naming one timestamp column, the only way in place), an order's later product "
    "lines naming only its 'Order ID' keep no customer: cjm.data.dataset._later_lines_of_orders reads them from the "
    "order's first line only in the wide reading (where _order_lines_once reads the repeated step once), and "
    "cjm.data.source has no such step; so both paths reject the 2 lines 'missing customer id' (7 in, 5 used)"))
def test_squarespace_product_lines_read_one_row_an_event_are_lines_of_their_order(tmp_path):
    # By 'Created at', upload and in place: 7 rows in, 7 used (the product lines are their orders' lines, no second
    # purchase), revenue 350 as read wide.
    path = _write(tmp_path, SQUARESPACE_NAME, SQUARESPACE)
    mapping = _one_row_an_event(load_dataset([path]).files[0].mapping, "Created at", "purchase")
    for dataset in (load_dataset([path], mappings={SQUARESPACE_NAME: mapping}),
                    dataset_from_files(path, mapping=mapping)):
        assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (7, 7)
        assert _events(dataset)["event"].tolist().count("purchase") == 4
