"""Money and statuses that are no paid interaction (DESIGN section 3: money figures are net; section 4: a customer
converts with a purchase). Only money actually paid is revenue:

- An invoices export (Stripe, QuickBooks, Xero, FreshBooks, Zoho Invoice, Chargebee: a column named for an invoice or
  for what is due) writes each invoice's own status. A draft ("Draft", "Entwurf", "Brouillon", "Borrador", "Awaiting
  Approval") never went to the customer: no interaction, set aside as 'invoice never sent' in the row accounting. An
  invoice sent and not paid ("Sent", "Viewed", "Open", "Scheduled", "Overdue", "Envoyée", "Enviada", "Überfällig")
  billed the customer (a touchpoint) but paid nothing: it reads 'not paid' of no money, no purchase, no conversion.
  "Uncollectible" (Stripe) is not paid anywhere; "Void" is a cancellation (as before). Where the export has "Amount
  Paid" beside "Total" (Stripe, Chargebee) the money is what was paid (README: Chargebee's Amount Paid).
  An orders export's "Sent" (shipped) or "Open" keeps its money: only an invoices export's statuses say so.
- A payment captured ('capture', Stripe's 'charge.captured') is the money taken: the conversion stage, as
  cjm.data.reversals reads "captured" (an authorization only holds money; "uncaptured" is not paid).
- A survey or feedback file's plain "Status" of "Not sent" / "Unsent" is a request never sent: set aside as Medallia's
  request_delivery_status is; an order's "Shipping Status: Not sent" keeps its row.

Each on upload (cjm.data.dataset.load_dataset) and read in place (cjm.data.source.dataset_from_files) alike; figures
worked out by hand in the comments ("before": this commit's parent)."""

from __future__ import annotations

import pytest

from cjm import engine, report
from cjm.data.dataset import INVOICE_NOT_SENT, NOT_SENT, load_dataset
from cjm.data.source import dataset_from_files
from cjm.data.stages import suggest_stage
from tests.export_files import assert_in_place_as_uploaded, csv_text, events_in_file_order as _events, \
    write_export as _write


def _both(tmp_path, name, text):
    """(uploaded, read in place) of one file, in place with the upload's mapping."""
    path = _write(tmp_path, name, text)
    uploaded = load_dataset([path])
    return uploaded, dataset_from_files(path, mapping=uploaded.files[0].mapping)


def _kpi(dataset, name):
    return report.build_report(dataset)["kpis"][name]


# --- Stripe's invoices export: Amount Paid beside Total ----------------------------------------------------------------

STRIPE = csv_text(
    ["id", "Number", "Customer", "Customer Email", "Status", "Total", "Amount Due", "Amount Paid", "Amount Remaining",
     "Currency", "Date (UTC)", "Due Date (UTC)"],
    [["in_1", "A1-0001", "cus_A", "ana@example.com", "paid", "50.00", "50.00", "50.00", "0.00", "usd",
      "2026-03-01 10:00", "2026-03-31 10:00"],
     ["in_2", "A1-0002", "cus_B", "bo@example.com", "open", "80.00", "80.00", "0.00", "80.00", "usd",
      "2026-03-02 10:00", "2026-04-01 10:00"],
     ["in_3", "", "cus_C", "cy@example.com", "draft", "30.00", "30.00", "0.00", "30.00", "usd", "2026-03-03 10:00", ""],
     ["in_4", "A1-0004", "cus_D", "dee@example.com", "void", "40.00", "40.00", "0.00", "40.00", "usd",
      "2026-03-04 10:00", "2026-04-03 10:00"],
     ["in_5", "A1-0005", "cus_E", "eve@example.com", "uncollectible", "60.00", "60.00", "0.00", "60.00", "usd",
      "2026-03-05 10:00", "2026-04-04 10:00"],
     ["in_6", "A1-0006", "cus_A", "ana@example.com", "paid", "50.00", "50.00", "50.00", "0.00", "usd",
      "2026-04-01 10:00", "2026-05-01 10:00"]])


def test_a_stripe_draft_invoice_is_set_aside_and_an_open_one_converts_nobody_on_both_paths(tmp_path):
    # 6 invoices in. Cy's draft never went to her: set aside (line 4) = 5 used. The money is 'Amount Paid': Ana's two
    # paid 50 + 50 = 100. Bo's open and Eve's uncollectible invoices read 'not paid' of 0; Dee's void 'cancellation'
    # of 0. Customers Ana, Bo, Dee, Eve = 4; only Ana paid: conversion 1/4; she paid twice: repeat 1/1; AOV 100/2 = 50.
    # Before: 6 used, Cy a customer (5), every invoice but the void one a 'purchase': conversion 4/5 = 0.8.
    uploaded, in_place = _both(tmp_path, "invoices.csv", STRIPE)
    mapping = uploaded.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.columns["revenue"], mapping.event_constant) == (
        "Customer", "Amount Paid", "purchase")
    assert_in_place_as_uploaded(uploaded, in_place, (6, 5, {INVOICE_NOT_SENT: 1}, 4, 100.0))
    assert uploaded.accounting.rejected["line"].tolist() == [4]
    events = _events(uploaded)
    assert list(zip(events["customer_id"], events["event"], events["revenue"])) == [
        ("cus_A", "purchase", 50.0), ("cus_B", "not paid", 0.0), ("cus_D", "cancellation", 0.0),
        ("cus_E", "not paid", 0.0), ("cus_A", "purchase", 50.0)]
    for dataset in (uploaded, in_place):
        assert _kpi(dataset, "conversion_rate") == pytest.approx(0.25)
        assert _kpi(dataset, "repeat_purchase_rate") == pytest.approx(1.0)
        assert _kpi(dataset, "average_order_value") == pytest.approx(50.0)


# --- a Zoho Invoice / QuickBooks-like export with only a Total, statuses in several languages --------------------------

ZOHO = csv_text(
    ["Invoice Date", "Invoice Number", "Invoice Status", "Customer ID", "Customer Name", "Due Date", "Total", "Balance",
     "Currency Code"],
    [["2026-05-01", "INV-000001", "Paid", "4600026049", "Ana Lee", "2026-05-16", "200.00", "0.00", "EUR"],
     ["2026-05-02", "INV-000002", "Sent", "4600026051", "Bo Orr", "2026-05-17", "150.00", "150.00", "EUR"],
     ["2026-05-03", "INV-000003", "Viewed", "4600026053", "Cy Moss", "2026-05-18", "90.00", "90.00", "EUR"],
     ["2026-05-04", "INV-000004", "Overdue", "4600026055", "Dee Park", "2026-05-19", "70.00", "70.00", "EUR"],
     ["2026-05-05", "INV-000005", "Draft", "4600026057", "Eve Ruiz", "2026-05-20", "60.00", "60.00", "EUR"],
     ["2026-05-06", "INV-000006", "Void", "4600026051", "Bo Orr", "2026-05-21", "150.00", "0.00", "EUR"],
     ["2026-05-07", "INV-000007", "Paid", "4600026053", "Cy Moss", "2026-05-22", "90.00", "0.00", "EUR"],
     ["2026-05-08", "INV-000008", "Entwurf", "4600026055", "Dee Park", "2026-05-23", "35.00", "35.00", "EUR"],
     ["2026-05-09", "INV-000009", "Envoyée", "4600026059", "Flo Diaz", "2026-05-24", "40.00", "40.00", "EUR"]])


def test_an_invoices_export_counts_only_the_invoices_paid_on_both_paths(tmp_path):
    # 9 invoices in; Eve's "Draft" and Dee's "Entwurf" were never sent: 7 used. The money is 'Total': paid are Ana's
    # 200 and Cy's second 90 = 290. Bo's "Sent", Cy's "Viewed", Dee's "Overdue", Flo's "Envoyée" read 'not paid' of
    # 0; Bo's "Void" 'cancellation' of 0. Customers Ana, Bo, Cy, Dee, Flo = 5 (Eve only drafted); Ana and Cy paid:
    # conversion 2/5; each once: repeat 0/2; AOV 290/2 = 145.
    # Before: 9 used, 6 customers, revenue 200+150+90+60+90+35+40 = 665, conversion 6/6, AOV 95.
    uploaded, in_place = _both(tmp_path, "Invoice.csv", ZOHO)
    assert uploaded.files[0].mapping.columns["revenue"] == "Total"
    assert_in_place_as_uploaded(uploaded, in_place, (9, 7, {INVOICE_NOT_SENT: 2}, 5, 290.0))
    assert uploaded.accounting.rejected["line"].tolist() == [6, 9]
    events = _events(uploaded)
    assert list(zip(events["event"], events["revenue"])) == [
        ("purchase", 200.0), ("not paid", 0.0), ("not paid", 0.0), ("not paid", 0.0), ("cancellation", 0.0),
        ("purchase", 90.0), ("not paid", 0.0)]
    for dataset in (uploaded, in_place):
        assert _kpi(dataset, "conversion_rate") == pytest.approx(0.4)
        assert _kpi(dataset, "repeat_purchase_rate") == pytest.approx(0.0)
        assert _kpi(dataset, "average_order_value") == pytest.approx(145.0)


def _invoices(status: str) -> str:
    # a: the invoice of the status under test, 100; b: a paid one, 50
    return csv_text(["Invoice Number", "Customer", "Date", "Due Date", "Status", "Amount"],
                    [["INV-1", "a", "2026-03-01 10:00", "2026-03-31", status, "100.00"],
                     ["INV-2", "b", "2026-03-02 10:00", "2026-04-01", "Paid", "50.00"]])


@pytest.mark.parametrize("status", [
    "Sent", "SENT", "Viewed", "Open", "Scheduled", "Overdue", "Overdue 5 days", "Due in 12 days", "Disputed", "Posted",
    "Uncollectible", "Awaiting Payment", "Gesendet", "Überfällig", "Envoyée", "En retard", "Enviada", "Vencida",
    "Inviata", "Scaduta", "Em aberto"])
def test_an_invoice_sent_and_not_paid_is_kept_as_not_paid_of_no_money_on_both_paths(tmp_path, status):
    # 2 in, 2 used, 2 customers; a reads 'not paid' of 0 at consideration, b paid 50: revenue 50, conversion 1/2.
    # Before: a's 100 a purchase too (150, conversion 2/2; "Overdue", "Awaiting Payment" were already 'not paid').
    uploaded, in_place = _both(tmp_path, "invoices.csv", _invoices(status))
    assert_in_place_as_uploaded(uploaded, in_place, (2, 2, {}, 2, 50.0))
    assert _events(uploaded)["event"].tolist() == ["not paid", "purchase"]
    assert _kpi(in_place, "conversion_rate") == _kpi(uploaded, "conversion_rate") == pytest.approx(0.5)


@pytest.mark.parametrize("status", ["Draft", "draft", "Awaiting Approval", "Deleted", "Entwurf", "Brouillon",
                                    "Borrador", "Bozza", "Rascunho"])
def test_a_draft_invoice_is_set_aside_as_never_sent_on_both_paths(tmp_path, status):
    # 2 in, 1 used (b's paid 50), a's draft 'invoice never sent': 1 customer, revenue 50.
    # Before: 2 used, 2 customers, revenue 150.
    uploaded, in_place = _both(tmp_path, "invoices.csv", _invoices(status))
    assert_in_place_as_uploaded(uploaded, in_place, (2, 1, {INVOICE_NOT_SENT: 1}, 1, 50.0))


def test_a_draft_of_no_customer_is_set_aside_as_missing_customer_id_on_both_paths(tmp_path):
    # 3 in: a's draft 'invoice never sent'; a draft with no customer (Paddle's checkout left before its customer was
    # asked) is no customer's invoice: 'missing customer id'; b paid 50. 1 used, 1 customer, revenue 50.
    # Before: the customerless draft read 'invoice never sent (... no interaction of the customer)' too.
    text = csv_text(["Invoice Number", "Customer", "Date", "Due Date", "Status", "Amount"],
                    [["INV-1", "a", "2026-03-01 10:00", "2026-03-31", "Draft", "100.00"],
                     ["", "", "2026-03-01 11:00", "", "Draft", "58.31"],
                     ["INV-2", "b", "2026-03-02 10:00", "2026-04-01", "Paid", "50.00"]])
    uploaded, in_place = _both(tmp_path, "invoices.csv", text)
    assert_in_place_as_uploaded(uploaded, in_place, (3, 1, {INVOICE_NOT_SENT: 1, "missing customer id": 1}, 1, 50.0))


@pytest.mark.parametrize("status", ["Paid", "Partially Paid", "Bezahlt", "Deposited"])
def test_an_invoice_paid_keeps_its_money_on_both_paths(tmp_path, status):
    # 100 + 50 = 150, 2 customers, both bought
    uploaded, in_place = _both(tmp_path, "invoices.csv", _invoices(status))
    assert_in_place_as_uploaded(uploaded, in_place, (2, 2, {}, 2, 150.0))


@pytest.mark.parametrize("column, status, other", [
    # an orders export (no invoice or due column): an order "Sent" was shipped, one "Open" is not archived: bought
    ("Status", "Sent", "Order Number"),
    ("Status", "Open", "Order Number"),
    ("Status", "Draft", "Order Number"),
    # an order's own status beside an invoice number: its "Sent" is the order's (shipped)
    ("Order Status", "Sent", "Invoice Number"),
    ("Fulfillment Status", "Open", "Invoice Number"),
])
def test_an_orders_sent_or_open_status_keeps_its_money_on_both_paths(tmp_path, column, status, other):
    # 100 + 50 = 150, 2 customers, both bought (as before)
    text = csv_text([other, "Customer", "Date", column, "Amount"],
                    [["1001", "a", "2026-03-01 10:00", status, "100.00"],
                     ["1002", "b", "2026-03-02 10:00", "Paid", "50.00"]])
    uploaded, in_place = _both(tmp_path, "orders.csv", text)
    assert_in_place_as_uploaded(uploaded, in_place, (2, 2, {}, 2, 150.0))


def test_a_draft_credit_note_in_an_invoices_export_is_a_refund_still_due_not_set_aside(tmp_path):
    # Ana paid invoice INV-1 (100); a credit note CN-1 of 40 naming it is still a "Draft": the money has not gone back
    # (reversals.NOT_YET_BACK_STATUS): 'refund pending' of 0, kept. 2 in, 2 used, 1 customer, revenue 100.
    text = csv_text(["Invoice Number", "Credit Note Number", "Customer", "Date", "Due Date", "Status", "Amount"],
                    [["INV-1", "", "a", "2026-03-01 10:00", "2026-03-31", "Paid", "100.00"],
                     ["INV-1", "CN-1", "a", "2026-03-05 10:00", "", "Draft", "40.00"]])
    uploaded, in_place = _both(tmp_path, "invoices.csv", text)
    assert_in_place_as_uploaded(uploaded, in_place, (2, 2, {}, 1, 100.0))
    assert _events(uploaded)["event"].tolist() == ["purchase", "refund pending"]


def test_a_wide_invoices_export_reads_a_sent_invoice_not_paid_and_sets_a_draft_aside(tmp_path):
    # One row an invoice, a date column per step (read wide on upload only): a's "Sent" invoice of 100 is its
    # 'not paid' event of 0 (then its 'due date' step); b's paid 50 'invoice date' then 'paid on'; c's "Draft" set aside.
    # 3 in, 2 used, 2 customers, revenue 50.
    text = csv_text(["Invoice Number", "Customer", "Invoice Date", "Paid On", "Status", "Amount Due", "Amount"],
                    [["INV-1", "a", "2026-03-01 10:00", "", "Sent", "100.00", "100.00"],
                     ["INV-2", "b", "2026-03-02 10:00", "2026-03-03 09:00", "Paid", "0.00", "50.00"],
                     ["INV-3", "c", "2026-03-04 10:00", "", "Draft", "70.00", "70.00"]])
    dataset = load_dataset([_write(tmp_path, "invoices.csv", text)])
    assert dataset.files[0].mapping.shape == "wide"
    accounting = dataset.accounting
    assert (accounting.rows_in, accounting.rows_used, dict(accounting.reasons)) == (3, 2, {INVOICE_NOT_SENT: 1})
    money = _events(dataset).dropna(subset=["revenue"])
    assert list(zip(money["customer_id"], money["event"], money["revenue"])) == [("a", "not paid", 0.0),
                                                                                ("b", "invoice", 50.0)]
    assert report.build_report(dataset)["kpis"]["revenue"] == pytest.approx(50.0)


def test_a_partially_paid_invoice_counts_what_was_paid_when_only_a_balance_says_it(tmp_path):
    text = csv_text(["Invoice Number", "Customer", "Date", "Due Date", "Status", "Total", "Balance"],
                    [["INV-1", "a", "2026-03-01 10:00", "2026-03-31", "Partially Paid", "100.00", "60.00"]])
    # Total 100, Balance 60 still owed: 40 paid (before: 100, the Total whole, on upload and in place)
    uploaded, in_place = _both(tmp_path, "invoices.csv", text)
    assert_in_place_as_uploaded(uploaded, in_place, (1, 1, {}, 1, 40.0))
    for dataset in (uploaded, in_place):
        assert any("'Balance' is what a partly paid invoice still owes" in n and "1 invoice " in n
                   for n in dataset.files[0].notes)


def test_a_balance_is_taken_off_a_partly_paid_invoice_only(tmp_path):
    # QuickBooks' 'Open balance': a's 'Partially Paid' 200 owing 50 counts 150; b's 'Paid' 80 (its balance 0) 80; c's
    # 'Partially Paid' in another writing ('partially_paid') 30 owing 10 counts 20; d's 'Overdue' 60 owing 60 is 'not
    # paid' of none. 4 in, 4 used, 4 customers, revenue 150 + 80 + 20 = 250 (before: 200 + 80 + 30 = 310).
    text = csv_text(["Invoice Number", "Customer", "Date", "Status", "Amount", "Open balance"],
                    [["1001", "a", "2026-03-01 10:00", "Partially Paid", "200.00", "50.00"],
                     ["1002", "b", "2026-03-02 10:00", "Paid", "80.00", "0.00"],
                     ["1003", "c", "2026-03-03 10:00", "partially_paid", "30.00", "10.00"],
                     ["1004", "d", "2026-03-04 10:00", "Overdue", "60.00", "60.00"]])
    uploaded, in_place = _both(tmp_path, "invoices.csv", text)
    assert_in_place_as_uploaded(uploaded, in_place, (4, 4, {}, 4, 250.0))
    assert _events(in_place)["revenue"].tolist() == [150.0, 80.0, 20.0, 0.0]


def test_a_paid_invoices_amount_due_takes_nothing_off_and_amount_paid_stays_the_money(tmp_path):
    # Stripe writes 'Amount Due' (the amount billed) on a paid invoice too: a's 'paid' 100 due 100 counts 100, not 0.
    # Beside 'Amount Paid' (the revenue column) a 'Balance' takes nothing more off: b's 'Partially Paid' Total 100,
    # Amount Paid 40, Balance 60 counts 40 (never 40 - 60). 2 in, 2 used, 2 customers, revenue 140.
    stripe = csv_text(["Invoice Number", "Customer", "Date", "Status", "Total", "Amount Due"],
                      [["in_1", "a", "2026-03-01 10:00", "paid", "100.00", "100.00"]])
    zoho = csv_text(["Invoice Number", "Customer", "Date", "Status", "Total", "Amount Paid", "Balance"],
                    [["INV-2", "b", "2026-03-02 10:00", "Partially Paid", "100.00", "40.00", "60.00"]])
    for name, text, revenue in (("stripe_invoices.csv", stripe, 100.0), ("zoho_invoices.csv", zoho, 40.0)):
        uploaded, in_place = _both(tmp_path, name, text)
        assert_in_place_as_uploaded(uploaded, in_place, (1, 1, {}, 1, revenue))


# --- a payment captured --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, five, seven", [
    ("capture", "conversion", "conversion"), ("Captured", "conversion", "conversion"),
    ("charge.captured", "conversion", "conversion"), ("authorization_captured", "conversion", "conversion"),
    ("capture_failed", "consideration", "evaluation"),
    ("email_capture", "awareness", "discovery"), ("lead_captured", "awareness", "discovery"),
])
def test_a_payment_captured_is_at_the_conversion_stage(name, five, seven):
    # before: 'capture', 'Captured', 'charge.captured', 'authorization_captured' and 'capture_failed' were unmapped
    assert (suggest_stage(name, "5"), suggest_stage(name, "7")) == (five, seven)


PAYMENTS = csv_text(["customer", "time", "event", "amount"],
                    [["a", "2026-03-01 10:00", "page_view", ""],
                     ["a", "2026-03-01 10:05", "authorization", "30.00"],
                     ["a", "2026-03-01 10:06", "capture", "30.00"],
                     ["b", "2026-03-02 10:00", "page_view", ""],
                     ["b", "2026-03-02 10:05", "authorization", "20.00"],
                     ["b", "2026-03-02 10:06", "capture_failed", "20.00"],
                     ["c", "2026-03-03 10:00", "page_view", ""]])


def test_a_captured_payment_converts_its_customer_and_counts_its_money_on_both_paths(tmp_path):
    # 7 in, 7 used, 3 customers. Authorizations hold money and take none (0); a's capture takes 30; b's failed
    # capture none: revenue 30. a's capture is at the conversion stage: conversion 1/3.
    # Before: 'capture' and 'capture_failed' unmapped, so nobody reached the conversion stage and the rate was told by
    # the events with money: a and b converted (2/3), and b's failed capture of 20 counted: revenue 50.
    uploaded, in_place = _both(tmp_path, "payments.csv", PAYMENTS)
    assert_in_place_as_uploaded(uploaded, in_place, (7, 7, {}, 3, 30.0))
    events = engine.execute(uploaded.events)
    assert set(events.loc[events["event"] == "capture", "stage"]) == {"conversion"}
    for dataset in (uploaded, in_place):
        assert _kpi(dataset, "conversion_rate") == pytest.approx(1 / 3)


# --- a survey's plain "Status" of not sent ------------------------------------------------------------------------------

SURVEY = csv_text(["Email", "Survey", "Status", "Date", "Score"],
                  [["ana@example.com", "Post-purchase NPS", "Responded", "2026-04-01 09:00", "9"],
                   ["bo@example.com", "Post-purchase NPS", "Not sent", "2026-04-01 09:00", ""],
                   ["cy@example.com", "Post-purchase NPS", "Sent", "2026-04-01 09:00", ""],
                   ["dee@example.com", "Post-purchase NPS", "Unsent (opted out)", "2026-04-01 09:00", ""],
                   ["eve@example.com", "Post-purchase NPS", "Responded", "2026-04-02 10:00", "6"]])


def test_a_survey_invitations_plain_status_of_not_sent_sets_its_row_aside_on_both_paths(tmp_path):
    # 5 in; Bo's "Not sent" and Dee's "Unsent (opted out)" were never asked: set aside (lines 3 and 5) = 3 used,
    # customers Ana, Cy, Eve = 3. Before: 5 used, 5 customers (Bo and Dee counted as asked).
    uploaded, in_place = _both(tmp_path, "survey_recipients.csv", SURVEY)
    assert_in_place_as_uploaded(uploaded, in_place, (5, 3, {NOT_SENT: 2}, 3, None))
    assert uploaded.accounting.rejected["line"].tolist() == [3, 5]


@pytest.mark.parametrize("header, status, kept", [
    # an invitations export without scores: its 'Survey Name' column says it is a survey's
    (["Email", "Survey Name", "Delivery Status", "Sent Date"], "Not sent", False),
    (["Email", "Survey Name", "Status", "Sent Date"], "Sent", True),
    # a survey file's shipping status is an order's, not the request's
    (["Email", "Survey Name", "Shipping Status", "Sent Date"], "Not sent", True),
    # no survey word, no score: a plain 'Status' says nothing of a request
    (["Email", "Campaign", "Status", "Sent Date"], "Not sent", True),
])
def test_only_a_survey_files_plain_status_of_not_sent_sets_its_row_aside_on_both_paths(tmp_path, header, status,
                                                                                        kept):
    # a: the status under test; b: sent. Kept: 2 in, 2 used, 2 customers; set aside: 1 used, 1 customer.
    text = csv_text(header, [["a@example.com", "NPS", status, "2026-04-01 09:00"],
                             ["b@example.com", "NPS", "Sent", "2026-04-02 09:00"]])
    uploaded, in_place = _both(tmp_path, "recipients.csv", text)
    expected = (2, 2, {}, 2, None) if kept else (2, 1, {NOT_SENT: 1}, 1, None)
    assert_in_place_as_uploaded(uploaded, in_place, expected)


def test_an_orders_plain_status_of_not_sent_keeps_its_row_and_money_on_both_paths(tmp_path):
    # an order not sent yet is still bought: 2 in, 2 used, revenue 30 + 20 = 50 (money: no survey file)
    text = csv_text(["Email", "Date", "Status", "Score", "Amount"],
                    [["a@example.com", "2026-04-01 09:00", "Not sent", "5", "30.00"],
                     ["b@example.com", "2026-04-02 09:00", "Sent", "4", "20.00"]])
    uploaded, in_place = _both(tmp_path, "orders.csv", text)
    assert_in_place_as_uploaded(uploaded, in_place, (2, 2, {}, 2, 50.0))


def test_only_a_total_after_an_adjustment_or_a_partly_paid_invoices_balance_says_money_not_kept():
    from cjm.data import kept

    # Etsy's 'Adjusted Order Total' is the total kept; its 'Adjusted Net Order Amount' (less fees) is not read
    assert kept.kept_column(["Order Total", "Adjusted Net Order Amount", "Adjusted Order Total"], set(), "Order Total",
                            []) == ("Adjusted Order Total", kept.ADJUSTED)
    # Chargebee's 'Amount Adjusted' is what credit notes took off, not a total kept
    assert kept.kept_column(["Total", "Amount Adjusted"], set(), "Total", []) is None
    # a balance only in an invoices export with its own status, never beside 'Amount Paid' (already the money paid)
    assert kept.kept_column(["Total", "Balance"], set(), "Total", []) is None
    assert kept.kept_column(["Total", "Balance Due"], set(), "Total", ["Status"]) == ("Balance Due", kept.BALANCE)
    assert kept.kept_column(["Total", "Amount Paid", "Balance"], set(), "Amount Paid", ["Status"]) is None
