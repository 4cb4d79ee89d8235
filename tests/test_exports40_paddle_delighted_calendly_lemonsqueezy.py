"""Exports of kinds cjm had not been tried on in their real shapes: Paddle Billing's transactions report (a software
seller's checkouts and invoices, as merchant of record), Delighted's NPS survey responses, Calendly's scheduled events
export and Lemon Squeezy's orders. Each excerpt below keeps the real header (or the real field names) and the real
value formats; the values are invented. Every test writes its file and loads it as a new user would
(cjm.data.dataset.load_dataset), reads the report (cjm.report.build_report), and reads it in place
(cjm.data.source.dataset_from_files) with the upload's mapping, or one row an event where the upload reads it wide.

Where the shapes come from:
- Paddle: "Transaction reports" (developer.paddle.com/build/finance/reports/transactions, "Report columns": "Column
  headings on transaction reports mirror fields in the Paddle API"): the transaction's id ("txn_" + 26 letters and
  digits), status, invoice_number, customer_id ("ctm_..."), customer_email, address_id, the address' country code,
  business_id and its name, price_ids and discount_ids (comma-separated), subscription_id ("sub_..."), created_at,
  updated_at, billed_at ("RFC 3339 datetime string"; Paddle's API writes six decimals: "2026-02-02T09:00:12.532109Z"),
  then the currency and totals; statuses draft (missing required fields, "typically the first stage of a checkout
  before customer details are captured"), ready (all fields, not yet billed or completed), billed (an issued invoice,
  awaiting payment), paid, completed, past_due (a renewal in dunning, an invoice past its terms) and canceled; origin
  web / api / subscription_recurring; collection_mode automatic / manual. The totals' names (subtotal, discount, tax,
  grand_total, fee, earnings) are the API's transaction totals, written in units ("58.31"): the page lists the
  columns' descriptions, not every total's heading, so these are assumed.
- Delighted: the survey response as Delighted's API lists it (delightedapp.com/docs/api/listing-survey-responses;
  its schema at schemas.apis.io/schemas/delighted/survey-response): id, person (the person's id), survey_type (nps,
  csat, ces), score (0-10), comment (null when none), permalink, created_at and updated_at (Unix seconds:
  1713418460), person_properties, notes, tags; flattened to one column a field, the person's e-mail and name beside
  it and the properties as "properties.country" (as a warehouse sync writes them; the dashboard's own CSV header was
  not found). A person surveyed again in the next quarter answers again: two responses of one person.
- Calendly: the scheduled events export as the projects importing it read it (public GitHub, search index files
  71107675676, 54820908137, 69510510618, 68535690720, 44328233226): "Invitee Name", "Invitee First Name", "Invitee
  Last Name", "Invitee Email", "Event Type Name", "Start Date & Time", "End Date & Time", "Event Created Date & Time"
  (when the invitee booked), "Canceled" (true / false), "Marked as No-Show", "UTM Content", "Question 1" / "Response
  1" (the booking form's question and the invitee's answer), "Event UUID"; times "2026-10-08 10:00" (no seconds).
- Lemon Squeezy: "The Order Object" (docs.lemonsqueezy.com/api/orders, and its "Retrieve an Order" and "Issue a
  Refund" examples): store_id, customer_id, identifier (a UUID), order_number, user_name, user_email, currency,
  currency_rate ("1.0000"), subtotal, setup_fee, discount_total, tax, total and refunded_amount ("a positive integer
  in cents": 1199), tax_name ("VAT"), tax_rate ("20.00"), status ("paid"; pending, failed, refunded, partial_refund),
  status_formatted ("Paid"), refunded (false), refunded_at (null), the amounts again as "*_formatted" ("$11.99"),
  first_order_item (its product and variant names), created_at / updated_at ("2021-08-17T09:45:53.000000Z");
  test_mode (true for an order made in the store's test mode: the field as the API names it, its description not
  in the library's excerpt). Flattened one column a field, "first_order_item.product_name" nested.

Wrong before, mended here (figures of the excerpts below, before -> after):
- Delighted: the customer was "id", the response's own id, not "person": each response was a customer of its own
  (6 customers -> 5; Anna's two answers, a quarter apart, one customer's). A unique bare "id" beside a column named
  for whose it is ("person", "account_code": cjm.data.columns._id_by_words) whose values repeat, filled on as many
  rows, gives way to it (cjm.data.columns._buyer_instead_of_order_id), as it already gave way to a "Client" column.
- Paddle: a "billed" transaction (an issued invoice awaiting payment, Kanzlei Vogel's 1,190.00 of 15 March) counted
  as a purchase of 1,190.00 -> 'not paid' of 0, on upload and in place (cjm.data.reversals.UNPAID_STATUS); revenue
  2,724.62 -> 1,534.62 EUR.
- Lemon Squeezy: the owner's order in test mode ("test_mode" true) was a customer's purchase (5 customers, its 4,900
  counted) -> set aside 'a test (its test-mode column says so ...)', on upload and in place (6 in, 5 used, 4
  customers; cjm.data.dataset.TEST_ROW: "test_mode", "is_test", "test_order", "is_sandbox", "isInSandbox" yes,
  "livemode" no). Its order "pending" (Dee's, awaiting its payment) counted its 1,999 -> 'not paid' of 0
  (cjm.data.reversals.UNPAID_STATUS, as Shopify's, WooCommerce's, Magento's and Amazon's pending orders now read):
  revenue in the file's cents 94,780 -> 92,781.
- Paddle, once drafts of an invoices export were set aside as 'invoice never sent' (the report has "invoice_number",
  so cjm.data.reversals.invoices_file reads it as one): the draft checkout with no customer read 'invoice never sent
  (... no interaction of the customer)', of no invoice and no customer -> 'missing customer id', as before, on upload
  and in place (a draft of a customer stays 'invoice never sent').
- Lemon Squeezy's amounts are cents ('total' 2164 beside 'total_formatted' "$21.64"), read as dollars -> read in the
  twin's dollars, and its refunds from 'refunded_amount_formatted' (cjm.data.minor_units: a twin showing every row's
  amount / 100), with a note: revenue 92,781 -> 927.81 USD (947.80 with Dee's pending order), upload and in place.
Left as strict xfails: Paddle's "ready" transaction (a checkout with every detail, never paid: Marc's 120.00) still
counts as a purchase (revenue 1,534.62 where 1,414.62 is right; "ready" names a paid order ready for pickup as
often); the report is read wide, 'created_at' and 'billed_at' two steps of each transaction (14 events of 8
transactions), the purchase at the checkout's opening, not at its payment; with its status mapped as the event,
'completed' is no purchase, 'past_due' and 'billed' keep their money and 'canceled' takes 244.00 back that never came
(revenue 2,588.62). Calendly's export is read wide too: "Start Date & Time", "End Date & Time" and "Event Created
Date & Time" three steps of every booking (15 events of 5 bookings, the meeting's end a step of the journey), and a
booking "Canceled" true is still a meeting held (Mia's of 9 October).
Seen, right: Paddle's draft checkout with no customer is set aside 'missing customer id' (9 rows in, 8 used); its
microsecond times are kept; Delighted's Unix seconds read as UTC times; the NPS is (3 promoters - 2 detractors) / 6
responses = 16.7; the German, French and Spanish comments are counted unscored with their languages; Lemon Squeezy's
partial refund takes its "refunded_amount" back and an order refunded whole counts none.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pytest

from cjm import report
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_files
from tests.export_files import assert_in_place_as_uploaded, csv_text as _csv, events_in_file_order as _events, write_export as _write


# --- Paddle Billing transactions report ------------------------------------------------------------------------------

PADDLE_HEADER = ["id", "status", "origin", "collection_mode", "invoice_number", "customer_id", "customer_email",
                 "address_country_code", "business_name", "price_ids", "discount_ids", "subscription_id",
                 "created_at", "updated_at", "billed_at", "currency_code", "subtotal", "discount", "tax",
                 "grand_total", "fee", "earnings"]


def _pd(txn, status, origin, mode, invoice, ctm, email, country, sub, created, billed, subtotal, discount, tax,
        total, fee, earnings, business="", discounts="") -> list[str]:
    return [f"txn_01hv8wexq1m9rmvzh0ggd0{txn}", status, origin, mode, invoice,
            ctm and f"ctm_01hv6y1jedq4p1n0yqn5ba{ctm}", email, country, business, "pri_01hv0vax6rv18t4tamj848ne4d",
            discounts, sub and f"sub_01hv8x29kz0t586xy6zn1a{sub}", created, billed or created, billed, "EUR",
            subtotal, discount, tax, total, fee, earnings]


LENA, MARC, VOGEL, ROSSI = (f"ctm_01hv6y1jedq4p1n0yqn5ba{c}" for c in ("3ky4", "7mq2", "q8d1", "z5c0"))
# A German software seller's plans, in euros, VAT added. A visitor opens the checkout and leaves before giving any
# details (draft, no customer). Lena (DE) buys the 49.00 plan (58.31 with 19% VAT) and renews a month later. Marc
# (FR) fills the checkout in (ready) and leaves, comes back three minutes later with a 10% code: 108.00; his renewal
# in March fails (past_due). Kanzlei Vogel GmbH is invoiced by hand: January's 1,190.00 paid (completed), March's
# issued and awaiting payment (billed). Atelier Rossi's invoice is called off (canceled).
PADDLE = _csv(PADDLE_HEADER, [
    _pd("a01", "draft", "web", "automatic", "", "", "", "", "", "2026-02-02T08:59:01.114238Z", "",
        "49.00", "0.00", "9.31", "58.31", "0.00", "0.00"),
    _pd("a02", "completed", "web", "automatic", "4127-10001", "3ky4", "lena@beispiel.de", "DE", "2ny",
        "2026-02-02T09:00:12.532109Z", "2026-02-02T09:01:40.009113Z", "49.00", "0.00", "9.31", "58.31", "3.42",
        "45.58"),
    _pd("a03", "ready", "web", "automatic", "", "7mq2", "marc@exemple.fr", "FR", "",
        "2026-02-10T14:22:47.301556Z", "", "100.00", "0.00", "20.00", "120.00", "0.00", "0.00"),
    _pd("a04", "completed", "web", "automatic", "4127-10002", "7mq2", "marc@exemple.fr", "FR", "5pa",
        "2026-02-10T14:25:03.440917Z", "2026-02-10T14:26:11.000412Z", "100.00", "10.00", "18.00", "108.00", "5.90",
        "84.10", discounts="dsc_01hv6scyf7qdnzcdq01t2y8dx4"),
    _pd("a05", "completed", "subscription_recurring", "automatic", "4127-10004", "3ky4", "lena@beispiel.de", "DE",
        "2ny", "2026-03-02T09:01:05.870001Z", "2026-03-02T09:01:07.312554Z", "49.00", "0.00", "9.31", "58.31", "3.42",
        "45.58"),
    _pd("a06", "past_due", "subscription_recurring", "automatic", "4127-10005", "7mq2", "marc@exemple.fr", "FR", "5pa",
        "2026-03-10T14:25:30.118203Z", "2026-03-10T14:25:31.220145Z", "100.00", "10.00", "18.00", "108.00", "0.00",
        "0.00"),
    _pd("a07", "completed", "api", "manual", "4127-10003", "q8d1", "buchhaltung@kanzlei-vogel.de", "DE", "",
        "2026-01-15T10:00:00.000000Z", "2026-01-15T10:05:19.771230Z", "1000.00", "0.00", "190.00", "1190.00",
        "59.95", "940.05", business="Kanzlei Vogel GmbH"),
    _pd("a08", "billed", "api", "manual", "4127-10006", "q8d1", "buchhaltung@kanzlei-vogel.de", "DE", "",
        "2026-03-15T10:00:00.000000Z", "2026-03-15T10:02:44.102938Z", "1000.00", "0.00", "190.00", "1190.00", "0.00",
        "0.00", business="Kanzlei Vogel GmbH"),
    _pd("a09", "canceled", "api", "manual", "", "z5c0", "info@atelier-rossi.it", "IT", "",
        "2026-02-20T16:45:12.650001Z", "", "200.00", "0.00", "44.00", "244.00", "0.00", "0.00",
        business="Atelier Rossi S.r.l."),
])
PADDLE_NAME = "transactions-report.csv"


def test_a_paddle_transactions_report_sets_the_anonymous_checkout_aside(tmp_path):
    # 9 transactions in; the draft checkout has no customer yet (Paddle: "before customer details are captured"):
    # set aside 'missing customer id', 8 used. 4 customers by "customer_id": Lena, Marc, Kanzlei Vogel, Atelier Rossi.
    # The money is "grand_total" (what the customer paid, VAT in), in EUR.
    dataset = load_dataset([_write(tmp_path, PADDLE_NAME, PADDLE)])
    mapping = dataset.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.columns["revenue"]) == ("customer_id", "grand_total")
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used, dict(dataset.accounting.reasons)) == (
        9, 8, {"missing customer id": 1})
    assert set(_events(dataset)["customer_id"]) == {LENA, MARC, VOGEL, ROSSI}
    assert report.build_report(dataset)["kpis"]["customers"] == 4
    assert dataset.currency == "EUR"


def test_a_paddle_invoice_billed_and_not_yet_paid_counts_no_money(tmp_path):
    # Kanzlei Vogel's March invoice is "billed": issued, a legal record, awaiting payment. No money moved: it reads
    # 'not paid', 0 (as Chargebee's "Payment Due" does), where January's, completed, is a purchase of 1,190.00. The
    # renewal past_due reads 'not paid', the invoice canceled 'cancellation', both 0.
    # Before: the billed invoice was a purchase of 1,190.00 (revenue 2,724.62).
    events = _events(load_dataset([_write(tmp_path, PADDLE_NAME, PADDLE)]))
    created = events[events["event"] != "billed"]  # each transaction's row at its created_at (read wide, see below)
    money = dict(zip(created["timestamp"].dt.strftime("%m-%d %H:%M"), zip(created["event"], created["revenue"])))
    assert money["03-15 10:00"] == ("not paid", 0.0)
    assert money["01-15 10:00"] == ("purchase", 1190.0)
    assert money["03-10 14:25"] == ("not paid", 0.0)
    assert money["02-20 16:45"] == ("cancellation", 0.0)


def test_a_paddle_reports_microsecond_times_are_kept(tmp_path):
    # "2026-02-02T09:00:12.532109Z": UTC, to the microsecond (Lena's checkout, then its billing 88 s later).
    events = _events(load_dataset([_write(tmp_path, PADDLE_NAME, PADDLE)]))
    lena = events[events["customer_id"] == LENA]["timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S.%f").tolist()
    assert lena[:2] == ["2026-02-02 09:00:12.532109", "2026-02-02 09:01:40.009113"]


@pytest.mark.xfail(strict=True, reason=(
    "Paddle's 'ready' transaction (a checkout with every field filled, never billed nor paid) counts its "
    "grand_total: no rule in cjm.data.reversals reads 'ready' as money not moved, and it cannot without a column "
    "saying the row is a payment's ('ready' is an order's 'ready for pickup', paid, as often): revenue 1,534.62"))
def test_a_paddle_report_gives_the_money_customers_paid(tmp_path):
    # Paid: Lena 58.31 + 58.31 = 116.62, Marc 108.00 (224.62), Kanzlei Vogel 1,190.00: 1,414.62 EUR. 4 orders, AOV
    # 1,414.62 / 4 = 353.66; buyers Lena, Marc, Vogel of 4
    # customers: conversion 3/4; Lena bought twice: repeat 1/3. Marc's ready checkout (120.00), the billed and the
    # past-due invoices and the canceled one moved no money.
    kpis = report.build_report(load_dataset([_write(tmp_path, PADDLE_NAME, PADDLE)]))["kpis"]
    assert kpis["revenue"] == pytest.approx(1414.62)
    assert kpis["average_order_value"] == pytest.approx(1414.62 / 4)
    assert (kpis["conversion_rate"], kpis["repeat_purchase_rate"]) == (pytest.approx(0.75), pytest.approx(1 / 3))


@pytest.mark.xfail(strict=True, reason=(
    "a transactions report with a 'status' column and dates 'created_at', 'billed_at' (and 'updated_at') is read "
    "wide (cjm.data.columns.wide_columns): each transaction is a 'purchase' at created_at (the checkout opening) and "
    "an unmapped 'billed' at billed_at, 14 events of 8 transactions; the status names no event"))
def test_a_paddle_report_is_one_event_a_transaction(tmp_path):
    # 8 transactions used, 8 events: each its status's, at its time
    events = _events(load_dataset([_write(tmp_path, PADDLE_NAME, PADDLE)]))
    assert len(events) == 8


# --- Delighted NPS responses -----------------------------------------------------------------------------------------

DELIGHTED_HEADER = ["id", "person", "email", "name", "survey_type", "score", "comment", "permalink", "created_at",
                    "updated_at", "tags", "notes", "properties.country", "properties.plan"]


def _dl(rid, person, email, name, score, comment, created, updated="", tags="", notes="", country="",
        plan="") -> list[str]:
    return [rid, person, email, name, "nps", score, comment,
            f"https://app.delighted.com/r/2jo3B7Gak9q37XkuHrGLG{rid}", created, updated, tags, notes, country, plan]


# A software product's NPS survey in four languages. Anna answers in March (10) and again in April (9); Bruno finds it
# too expensive (6); person 103 answered through a link, no e-mail nor comment (8); Dee's support e-mail went
# unanswered (3), a note of the team's and an update beside it; Eva is happy (9).
# created_at 1772439300 = 2026-03-02 08:15:00 UTC, 1772566812 = 03-03 19:40:12, 1772694153 = 03-05 07:02:33,
# 1773057600 = 03-09 12:00:00, 1775122245 = 04-02 09:30:45, 1775513405 = 04-06 22:10:05.
DELIGHTED = _csv(DELIGHTED_HEADER, [
    _dl("3301", "101", "anna@beispiel.de", "Anna Schmidt", "10", "Super Produkt, sehr einfach zu bedienen!",
        "1772439300", country="DE", plan="Pro"),
    _dl("3302", "102", "bruno@exemple.fr", "Bruno Petit", "6", "Trop cher pour ce que c'est.", "1772566812",
        tags="Preis", country="FR", plan="Basic"),
    _dl("3303", "103", "", "", "8", "", "1772694153", country="ES"),
    _dl("3304", "104", "dee@example.com", "Dee Ray", "3", "Support never answered my email. Very disappointed.",
        "1773057600", updated="1773144000", notes="Called back 10 March", country="US", plan="Pro"),
    _dl("3305", "101", "anna@beispiel.de", "Anna Schmidt", "9", "Immer noch zufrieden.", "1775122245",
        country="DE", plan="Pro"),
    _dl("3306", "105", "eva@ejemplo.es", "Eva García", "9", "Muy buen servicio, gracias.", "1775513405",
        country="ES", plan="Basic"),
])
DELIGHTED_NAME = "delighted-responses.csv"


def test_a_delighted_export_is_keyed_by_the_person_who_answered(tmp_path):
    # 6 responses in, 6 used. The customer is "person" (the person's id), not "id" (each response's own): 5
    # customers, Anna (101) 2 responses, the others 1; person 103's response (no e-mail) is kept.
    # Before: "id" was the customer (6 customers, Anna's two answers two people).
    dataset = load_dataset([_write(tmp_path, DELIGHTED_NAME, DELIGHTED)])
    mapping = dataset.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.columns["timestamp"], mapping.columns["score"],
            mapping.columns["text"]) == ("person", "created_at", "score", "comment")
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used, dict(dataset.accounting.reasons)) == (6, 6, {})
    assert _events(dataset).groupby("customer_id").size().to_dict() == {
        "101": 2, "102": 1, "103": 1, "104": 1, "105": 1}
    assert report.build_report(dataset)["kpis"]["customers"] == 5


def test_a_unique_id_gives_way_to_a_column_named_for_whose_it_is_only_when_that_one_repeats():
    # The rule on its own: a bare "id" of its own on every row beside "person" 7, 8, 7 (a person's second answer)
    # is each row's record: the person is the customer. Beside "person" 7, 8, 9 (no one twice) nothing says "id"
    # is not the person: "id" stays ("Person ID" is named a customer id outright, before "id").
    import pandas as pd

    from cjm.data.columns import suggest_mapping

    def frame(people):
        return pd.DataFrame({"id": ["31", "32", "33"], "person": people, "score": ["9", "3", "10"],
                             "created_at": ["2026-03-02 10:00", "2026-03-03 10:00", "2026-04-02 10:00"]})

    assert suggest_mapping(frame(["7", "8", "7"])).columns["customer_id"] == "person"
    assert suggest_mapping(frame(["7", "8", "9"])).columns["customer_id"] == "id"


def test_a_delighted_exports_unix_seconds_are_utc_times(tmp_path):
    events = _events(load_dataset([_write(tmp_path, DELIGHTED_NAME, DELIGHTED)]))
    assert events["timestamp"].dt.strftime("%m-%d %H:%M:%S").tolist() == [
        "03-02 08:15:00", "03-03 19:40:12", "03-05 07:02:33", "03-09 12:00:00", "04-02 09:30:45", "04-06 22:10:05"]


def test_a_delighted_export_gives_the_nps_and_its_comments(tmp_path):
    # Scores 10, 6, 8, 3, 9, 9 on the 0-10 scale: promoters (9-10) 3, detractors (0-6) 2, of 6 responses: NPS
    # (3 - 2) / 6 = 16.7. 5 comments (person 103 wrote none): the German (2), French (1) and Spanish (1) ones are
    # counted unscored with their languages.
    sentiment = report.build_report(load_dataset([_write(tmp_path, DELIGHTED_NAME, DELIGHTED)]))["sentiment"]
    overall = sentiment["overall"]
    assert (overall["scale"], overall["nps_n"], overall["nps"]) == ("nps10", 6, pytest.approx(100 / 6))
    assert (overall["texts"], overall["unscored_languages"]) == (5, {"de": 2, "fr": 1, "es": 1})


# --- Calendly scheduled events export --------------------------------------------------------------------------------

CALENDLY_HEADER = ["Invitee Name", "Invitee First Name", "Invitee Last Name", "Invitee Email", "Event Type Name",
                   "Start Date & Time", "End Date & Time", "Invitee Time Zone", "Event Created Date & Time", "Canceled",
                   "Cancellation reason", "Marked as No-Show", "UTM Source", "UTM Content", "Question 1", "Response 1",
                   "Event UUID"]
_QUESTION = "What would you like to discuss?"


def _cy(name, email, kind, start, end, created, canceled="false", reason="", noshow="", source="", content="",
        answer="", uuid="") -> list[str]:
    first, _, last = name.partition(" ")
    return [name, first, last, email, kind, start, end, "Europe/Berlin", created, canceled, reason, noshow, source,
            content, _QUESTION, answer, f"d0f6c1a2-1111-4c1b-9c55-2a8f7e1b000{uuid}"]


# A CRM seller's demo and onboarding calls. Jonas books a demo from a LinkedIn post, then onboarding; Mia books a
# demo, cancels it ("Terminkonflikt") and books another; Paul books onboarding and does not show up.
CALENDLY = _csv(CALENDLY_HEADER, [
    _cy("Jonas Weber", "jonas@beispiel.de", "Demo 30 min", "2026-10-08 10:00", "2026-10-08 10:30", "2026-10-02 09:00",
        source="linkedin", content="2026-W40-li-co-02", answer="Wir suchen ein CRM für 12 Personen", uuid="1"),
    _cy("Mia Klein", "mia@example.com", "Demo 30 min", "2026-10-09 14:00", "2026-10-09 14:30", "2026-10-03 18:21",
        canceled="true", reason="Terminkonflikt", answer="Pricing for nonprofits", uuid="2"),
    _cy("Mia Klein", "mia@example.com", "Demo 30 min", "2026-10-13 14:00", "2026-10-13 14:30", "2026-10-05 08:02",
        answer="Pricing for nonprofits", uuid="3"),
    _cy("Paul Braun", "paul@example.org", "Onboarding 60 min", "2026-10-20 09:00", "2026-10-20 10:00",
        "2026-10-14 11:45", noshow="Yes", uuid="4"),
    _cy("Jonas Weber", "jonas@beispiel.de", "Onboarding 60 min", "2026-10-22 09:00", "2026-10-22 10:00",
        "2026-10-15 16:30", uuid="5"),
])
CALENDLY_NAME = "events-export-2026-10.csv"


def test_a_calendly_export_is_keyed_by_the_invitees_email(tmp_path):
    # 5 bookings in, 5 used; 3 customers by "Invitee Email": Jonas 2 bookings, Mia 2, Paul 1. The booking's
    # source ("UTM Source": linkedin) is its channel; no money.
    dataset = load_dataset([_write(tmp_path, CALENDLY_NAME, CALENDLY)])
    mapping = dataset.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.columns["channel"]) == ("Invitee Email", "UTM Source")
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used, dict(dataset.accounting.reasons)) == (5, 5, {})
    kpis = report.build_report(dataset)["kpis"]
    assert kpis["customers"] == 3
    assert "revenue" not in kpis


@pytest.mark.xfail(strict=True, reason=(
    "Calendly's export is read wide (cjm.data.columns.wide_columns): 'Start Date & Time', 'End Date & Time' and "
    "'Event Created Date & Time' are three steps of every booking ('start', 'end', 'event created', all unmapped; "
    "15 events of 5 bookings, the meeting's end a step of the journey), and the 'Canceled' true / false column "
    "changes nothing: Mia's cancelled demo of 9 October is a meeting held"))
def test_a_calendly_booking_cancelled_is_no_meeting_held(tmp_path):
    # Each booking: booked at "Event Created Date & Time", then its meeting at "Start Date & Time" unless cancelled:
    # 5 bookings, 4 meetings; Mia's first booking has no meeting on 9 October.
    events = _events(load_dataset([_write(tmp_path, CALENDLY_NAME, CALENDLY)]))
    assert len(events) == 9
    mia = events[events["customer_id"] == "mia@example.com"]
    assert "2026-10-09" not in set(mia["timestamp"].dt.strftime("%Y-%m-%d"))


# --- Lemon Squeezy orders ------------------------------------------------------------------------------------------

LEMON_HEADER = ["id", "store_id", "customer_id", "identifier", "order_number", "user_name", "user_email", "currency",
                "currency_rate", "subtotal", "discount_total", "tax", "total", "refunded_amount", "tax_name",
                "tax_rate", "status", "status_formatted", "refunded", "refunded_at", "subtotal_formatted",
                "discount_total_formatted", "tax_formatted", "total_formatted", "refunded_amount_formatted",
                "first_order_item.product_name", "first_order_item.variant_name", "test_mode", "created_at",
                "updated_at"]


def _ls(n, customer, name, email, cents, status, status_formatted, product, variant, created, *, refunded="false",
        refunded_at="", refunded_amount="0", test="false", updated="") -> list[str]:
    subtotal, discount, tax, total = cents

    def shown(value):  # Lemon Squeezy's "*_formatted": the cents as the store's currency writes them
        return f"${int(value) / 100:,.2f}"

    return [str(5100 + n), "4321", customer, f"104e18a2-d755-4d4b-80c4-a6c1dcbe1c{n:02d}", str(1000 + n), name, email,
            "USD", "1.00000000", subtotal, discount, tax, total, refunded_amount, "Sales Tax",
            "8.25" if tax != "0" else "0.00", status, status_formatted, refunded, refunded_at, shown(subtotal),
            shown(discount), shown(tax), shown(total), shown(refunded_amount), product, variant, test, created,
            updated or created]


# A course seller's store in dollars. The owner buys the course in test mode to try the checkout. Ana buys the
# course (19.99 + 1.65 tax = 21.64), then the team bundle (1,406.17), 500.00 of which is refunded (partial_refund);
# Bo's course (49.00 less a 20% code, 9.80, plus 3.23 tax: 42.43) is refunded whole; Cy's card fails; Dee's order
# waits for its payment (pending).
LEMON = _csv(LEMON_HEADER, [
    _ls(1, "2001", "Owner Test", "owner@pixelcourse.dev", ("4900", "0", "0", "4900"), "paid", "Paid", "Pixel Course",
        "Lifetime", "2026-05-01T08:00:00.000000Z", test="true"),
    _ls(2, "2002", "Ana Lee", "ana@example.com", ("1999", "0", "165", "2164"), "paid", "Paid", "Pixel Course",
        "Standard", "2026-05-04T15:02:11.000000Z"),
    _ls(3, "2003", "Bo Orr", "bo@example.com", ("4900", "980", "323", "4243"), "refunded", "Refunded", "Pixel Course",
        "Lifetime", "2026-05-06T19:45:30.000000Z", refunded="true", refunded_at="2026-05-09T10:30:00.000000Z",
        refunded_amount="4243"),
    _ls(4, "2002", "Ana Lee", "ana@example.com", ("129900", "0", "10717", "140617"), "partial_refund",
        "Partially refunded", "Studio Bundle", "Team (5 seats)", "2026-05-12T09:15:00.000000Z",
        refunded_at="2026-05-20T12:00:00.000000Z", refunded_amount="50000"),
    _ls(5, "2004", "Cy Day", "cy@example.com", ("1999", "0", "0", "1999"), "failed", "Failed", "Pixel Course",
        "Standard", "2026-05-15T22:10:05.000000Z"),
    _ls(6, "2005", "Dee Ray", "dee@example.com", ("1999", "0", "0", "1999"), "pending", "Pending", "Pixel Course",
        "Standard", "2026-05-16T07:00:00.000000Z"),
])
LEMON_NAME = "orders-export.csv"


def test_a_lemon_squeezy_test_mode_order_is_set_aside(tmp_path):
    # 6 orders in; the owner's, "test_mode" true, is the merchant trying the checkout: set aside 'a test', 5 used.
    # 4 customers by "customer_id": Ana (2002) 2 orders, Bo, Cy, Dee. Before: the test order was used, the owner a
    # customer and a buyer (5 customers; 4,900 counted).
    from cjm.data.dataset import TEST_ROW

    dataset = load_dataset([_write(tmp_path, LEMON_NAME, LEMON)])
    assert dataset.files[0].mapping.columns["customer_id"] == "customer_id"
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used, dict(dataset.accounting.reasons)) == (
        6, 5, {TEST_ROW: 1})
    assert "2001" not in set(_events(dataset)["customer_id"])
    assert report.build_report(dataset)["kpis"]["customers"] == 4


def test_a_test_mode_column_sets_aside_only_the_rows_it_says_are_tests():
    # "test_mode" true / yes / 1, "livemode" false / no / 0 (Stripe's), "isInSandbox" True: a test; the other rows
    # are used
    import pandas as pd

    from cjm.data.dataset import _test_rows

    frame = pd.DataFrame({"test_mode": ["true", "false", "Yes", "", "1"], "livemode": ["true", "true", "true", "false",
                                                                                          "true"]})
    assert _test_rows(frame).tolist() == [True, False, True, True, True]
    assert _test_rows(pd.DataFrame({"isInSandbox": [True, False]})).tolist() == [True, False]  # Google's, booleans
    assert _test_rows(pd.DataFrame({"test": ["true", "false"]})).tolist() == [False, False]  # a bare "test": no


def test_a_lemon_squeezy_partial_refund_takes_back_its_refunded_amount(tmp_path):
    # Read wide (created_at, refunded_at): Bo's order refunded whole is the order and its return at once
    # ('return' 0, its refund date a 'refunded' of no money); Ana's bundle partly refunded keeps its purchase and
    # takes its "refunded_amount" back on its refund date; Cy's failed payment is 0, Dee's pending order 'not paid' 0.
    # In dollars (the "*_formatted" twins, see below): 21.64 + 1,406.17 - 500.00 = 927.81 (before: 94,780 in cents,
    # Dee's pending 1,999 counted; then 92,781).
    dataset = load_dataset([_write(tmp_path, LEMON_NAME, LEMON)])
    events = _events(dataset)
    ana = events[events["customer_id"] == "2002"].sort_values("timestamp")
    assert list(zip(ana["event"], ana["revenue"])) == [("purchase", 21.64), ("purchase", 1406.17),
                                                       ("refunded", -500.0)]
    bo = events[events["customer_id"] == "2003"]
    assert bo["revenue"].fillna(0).sum() == 0.0
    assert report.build_report(dataset)["kpis"]["revenue"] == pytest.approx(927.81)
    assert dataset.currency == "USD"


def test_a_lemon_squeezy_orders_money_is_in_dollars_not_cents(tmp_path):
    # 'total' 2164 beside 'total_formatted' "$21.64" on every row (x 100): the money is the twin's, in dollars, and
    # the refund 'refunded_amount_formatted''s (cjm.data.minor_units); the notes say so. Ana: 21.64, 1,406.17 and
    # 500.00 back. Before: 2,164, 140,617 and -50,000 (revenue 92,781 USD, 100 times too much).
    dataset = load_dataset([_write(tmp_path, LEMON_NAME, LEMON)])
    assert dataset.files[0].mapping.columns["revenue"] == "total_formatted"
    events = _events(dataset)
    ana = events[events["customer_id"] == "2002"].sort_values("timestamp")
    assert ana["revenue"].tolist() == [21.64, 1406.17, -500.0]
    assert any("'total' holds them in minor units (cents)" in n for n in dataset.files[0].notes)


def test_a_lemon_squeezy_order_awaiting_payment_counts_no_money(tmp_path):
    # Dee's order "pending" (its payment not made yet, cjm.data.reversals.UNPAID_STATUS): 'not paid', 0 of its 1,999.
    # Before: a purchase of 1,999.
    events = _events(load_dataset([_write(tmp_path, LEMON_NAME, LEMON)]))
    dee = events[events["customer_id"] == "2005"]
    assert list(zip(dee["event"], dee["revenue"])) == [("not paid", 0.0)]


# --- read in place ---------------------------------------------------------------------------------------------------

def test_a_delighted_export_read_in_place_gives_the_uploads_figures(tmp_path):
    # 6 rows used, 5 people ("person"), no money; the same events, times and order as the upload's
    path = _write(tmp_path, DELIGHTED_NAME, DELIGHTED)
    uploaded = load_dataset([path])
    in_place = dataset_from_files(path, mapping=uploaded.files[0].mapping)
    assert_in_place_as_uploaded(uploaded, in_place, (6, 6, {}, 5, None))


@pytest.mark.parametrize("name, text", [(PADDLE_NAME, PADDLE), (CALENDLY_NAME, CALENDLY)], ids=["paddle", "calendly"])
def test_a_report_read_wide_is_refused_in_place_with_the_reason(tmp_path, name, text):
    # The upload reads Paddle's and Calendly's exports wide (a date column a step, see the xfails above), which only
    # an upload does: in place, with the upload's mapping, each is refused saying why and what to do.
    from cjm.errors import MappingError

    path = _write(tmp_path, name, text)
    with pytest.raises(MappingError, match="a date column per step.*only an upload reads"):
        dataset_from_files(path, mapping=load_dataset([path]).files[0].mapping)


def test_a_paddle_report_read_one_row_an_event_gives_the_same_money_in_place(tmp_path):
    # Read one row an event at "created_at" (the only way in place: a mapping naming one timestamp column), each row
    # the constant 'purchase' and "status" still its status: 9 rows in, 8 used (the draft's customer missing), 4
    # customers; the billed invoice and the past-due renewal read 'not paid', the canceled invoice 'cancellation',
    # all 0: revenue 58.31 + 120.00 (ready, see the xfail) + 108.00 + 58.31 + 1,190.00 = 1,534.62 EUR, on upload and
    # in place. Before: 2,724.62 (the billed invoice's 1,190.00 counted).
    from cjm.data.columns import ColumnMapping

    path = _write(tmp_path, PADDLE_NAME, PADDLE)
    data = load_dataset([path]).files[0].mapping.to_dict()
    data.update(shape="long", wide_events=[], wide_due=[], event_constant="purchase")
    data["columns"]["timestamp"] = "created_at"
    mapping = ColumnMapping.from_dict(data)
    uploaded = load_dataset([path], mappings={PADDLE_NAME: mapping})
    in_place = dataset_from_files(path, mapping=mapping)
    assert_in_place_as_uploaded(uploaded, in_place, (9, 8, {"missing customer id": 1}, 4, 1534.62))
    assert _events(in_place)["event"].tolist() == [
        "purchase", "purchase", "purchase", "purchase", "not paid", "purchase", "not paid", "cancellation"]


@pytest.mark.xfail(strict=True, reason=(
    "a status column mapped as the event (the mapping editor allows it) reads each status as an event name: "
    "'completed' is no purchase (stage unmapped), 'past_due' and 'billed' keep their money (reversals.never_moved "
    "reads event names by their words, not UNPAID_STATUS), and 'canceled' of an invoice never paid is a reversal "
    "line of -244.00: revenue 2,588.62"))
def test_a_paddle_report_keyed_by_its_status_as_the_event_counts_the_money_paid(tmp_path):
    from cjm.data.columns import ColumnMapping

    path = _write(tmp_path, PADDLE_NAME, PADDLE)
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "created_at", "event": "status",
                                     "revenue": "grand_total"})
    kpis = report.build_report(load_dataset([path], mappings={PADDLE_NAME: mapping}))["kpis"]
    assert kpis["revenue"] == pytest.approx(1414.62)


def test_a_lemon_squeezy_test_order_is_set_aside_in_place_as_on_upload(tmp_path):
    # Read one row an event at "created_at" (each row the constant 'purchase', "status" still its status): 6 in, the
    # test order set aside 'a test', 5 used, 4 customers, on upload and in place. The money in dollars (the
    # "*_formatted" twins): Ana's bundle net of its refund (1,406.17 - 500.00 = 906.17) + 21.64 = 927.81, as read
    # wide; Bo's refunded order 'return' 0, Cy's 'failed payment' 0, Dee's pending order 'not paid' 0 (94,780 cents
    # before, Dee's 1,999 counted; then 92,781).
    from cjm.data.columns import ColumnMapping
    from cjm.data.dataset import TEST_ROW

    path = _write(tmp_path, LEMON_NAME, LEMON)
    data = load_dataset([path]).files[0].mapping.to_dict()
    data.update(shape="long", wide_events=[], wide_due=[], event_constant="purchase")
    data["columns"]["timestamp"] = "created_at"
    mapping = ColumnMapping.from_dict(data)
    uploaded = load_dataset([path], mappings={LEMON_NAME: mapping})
    in_place = dataset_from_files(path, mapping=mapping)
    assert_in_place_as_uploaded(uploaded, in_place, (6, 5, {TEST_ROW: 1}, 4, 927.81))
    assert any("'total' holds them in minor units (cents)" in n for n in in_place.files[0].notes)
