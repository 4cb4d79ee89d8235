"""Exports of kinds cjm had not been tried on in their real shapes: Recurly's transactions export (subscription
billing: every exchange with the payment gateway), Brevo's transactional e-mail logs (an Italian account's) and Zoho
CRM's deals export. Each
excerpt below keeps the real header and the real value formats; the values are invented. Every test writes its file
and loads it as a new user would (cjm.data.dataset.load_dataset), reads the report (cjm.report.build_report), and reads
it in place (cjm.data.source.dataset_from_files) with the upload's mapping.

Where the shapes come from:
- Recurly: "Transactions - export" (docs.recurly.com/docs/transaction-export, "Export Contents"): account_code
  ("123sd341", the account charged), name ("JJ Smith", the name on the billing information), transaction_id
  ("6c17ba39e8734ebaa5bf98fff6d91bb9"), type (authorization, purchase, refund; an authorization is "a $1 or $0
  transaction created to validate payment information", voided), amount (9.95), tax_amount, currency (USD), date
  ("2012-01-19 11:16:41 PST", the account's zone's abbreviation), status (declined, void, success, processing), message
  (the gateway's: "This transaction has been approved"), test (TRUE, FALSE), cc_type (visa, master, ...), cvv_result
  (M, N), ..., modified_at (the "Modified" filter's column); failure_type (declined, gateway_error: Recurly support,
  "How to identify the Transactions from your Recurly invoice"). The excerpt keeps these columns in that order.
- Brevo: the transactional logs' CSV as two projects importing it describe it (public GitHub, search index files
  20412594819 and 20504295546): the header "st_text,ts,sub,frm,email,tag,mid,link", a row
  "Inviata,21-01-2026 10:22:05,Subject,from@email.com,to@email.com,NA,<message-id>,NA"; ts "DD-MM-YYYY HH:MM:SS",
  mid "<...@smtp-relay.mailin.fr>", link the URL clicked, NA where there is none; st_text in the account's language
  (index file 20784274127's table: Inviata sent, Consegnata delivered, Caricata per procura loaded by a proxy, Prima
  apertura first open, Aperta opened, Cliccata clicked, Hard bounce, Soft bounce, Bloccata blocked, Spam,
  Disiscrizione unsubscribed, Rinviata deferred).
- Zoho CRM: a deals export as a project's importer test writes it, "Sample exports shaped like Zoho CRM's (Setup >
  Data Administration > Export)" (public GitHub, index file 70340696859): "Record Id","Deal Name","Account Name",
  "Account Name.id","Contact Name","Stage","Closing Date","Amount","Lead Source","Description","Type"; ids of 16 digits
  ("4876876000000311"), Zoho's stages ("Proposal/Price Quote", "Closed Won", "Closed Lost", "Qualification"), dates
  "2026-11-15", amounts "95,570.69".

Wrong before, mended here (figures of the excerpts below, before -> after):
- Recurly: the customer was "name", the name on the card, not "account_code", the account charged: two accounts of
  one name (Ana Lee) were one customer (2 -> 3 customers; repeat 1/1 -> 1/2); a column named an id by its words
  ("account_code", "Customer Code") now comes before a person's name. The $1.00 card check (type authorization, status
  void, as each one ends) read 'cancellation', the first event of every new subscriber -> 'authorization' of 0 (money
  held is money that never moved, and nothing cancels it). The gateway's "message" ("This transaction has been
  approved", "Insufficient funds") was the customers' comment (7 texts scored) -> no text: a "message" column of a few
  repeated phrases is a system's. Its times "2026-01-05 09:00:02 PST" were read at the right instants but their clock
  dropped: UTC's days -> America/Los_Angeles' days (as the same times written '-08:00' are), on upload and in place.
- Brevo: no column was read as the event ("st_text"): the log was refused -> 10 rows used, 3 customers.
- Zoho CRM: "Deal Name" was the customers' comment (4 texts scored) -> no text: a column whose last word is "name"
  is what a record is called. Read in place with the upload's mapping (event "Stage", revenue "Amount"), every deal's
  amount counted: revenue 120,221.19 where the upload counts the won deals', 16,650.50 -> refused with the reason, as
  in place already refused a stage history when it guessed the mapping itself.
Left as strict xfails: a Brevo log of the first twelve days of a month reads its dashed DD-MM-YYYY dates month-first
(cjm's rule for dashed dates that fit both orders, tests/test_in_place_dashed_dates.py); an e-mail log's statuses are
not read as e-mail touchpoints (the Italian ones unmapped, English "Delivered" an order's delivery). Seen, not changed:
Zoho's customer is "Account Name", not "Account Name.id" (a nested ".id" names no one by cjm's rule); the open deal's
"Closing Date" (a forecast, November) is its event's date.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pytest

from cjm import report
from cjm.data.clock import data_clock
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_files
from tests.export_files import assert_in_place_as_uploaded, csv_text as _csv, events_in_file_order as _events, write_export as _write


# --- Recurly transactions export -------------------------------------------------------------------------------------

RECURLY_HEADER = ["account_code", "name", "transaction_id", "type", "amount", "tax_amount", "currency", "date",
                  "status", "message", "test", "cc_type", "cvv_result", "failure_type", "modified_at"]
_APPROVED = "This transaction has been approved"


def _rc(account, name, transaction, kind, amount, tax, date, status, message=_APPROVED, card="visa", cvv="M",
        failure="") -> list[str]:
    return [account, name, f"6c17ba39e8734ebaa5bf98fff6d91b{transaction}", kind, amount, tax, "USD", date, status,
            message, "FALSE", card, cvv, failure, date]


# A software subscription billed in dollars, the account's times in Pacific time (PST in winter, PDT from 8 March
# 2026). Ana (acc-1001) adds her card: Recurly checks it with a $1.00 authorization, voided at once, then charges her
# plan, 29.00 (2.39 of it tax), and again a month later. Bo's card is declined ("Insufficient funds"), the retry the
# next morning goes through (99.00); Bo is refunded in full in February. A second Ana Lee (acc-1003, another person
# with the same name on her card) subscribes in March: 49.00.
RECURLY = _csv(RECURLY_HEADER, [
    _rc("acc-1001", "Ana Lee", "a1", "authorization", "1.00", "0.00", "2026-01-05 09:00:02 PST", "void"),
    _rc("acc-1001", "Ana Lee", "a2", "purchase", "29.00", "2.39", "2026-01-05 09:00:05 PST", "success"),
    _rc("acc-1002", "Bo Orr", "b1", "purchase", "99.00", "0.00", "2026-01-10 17:30:00 PST", "declined",
        message="Insufficient funds", card="master", failure="declined"),
    _rc("acc-1002", "Bo Orr", "b2", "purchase", "99.00", "0.00", "2026-01-11 08:00:00 PST", "success",
        card="master"),
    _rc("acc-1001", "Ana Lee", "a3", "purchase", "29.00", "2.39", "2026-02-05 09:00:04 PST", "success"),
    _rc("acc-1002", "Bo Orr", "b3", "refund", "99.00", "0.00", "2026-02-12 10:15:00 PST", "success", card="master",
        cvv=""),
    _rc("acc-1003", "Ana Lee", "c1", "purchase", "49.00", "0.00", "2026-03-15 12:00:00 PDT", "success", card="amex"),
])
RECURLY_NAME = "transactions-export.csv"


def test_a_recurly_transactions_export_is_keyed_by_the_account_charged(tmp_path):
    # 7 transactions in, 7 used. The customer is "account_code", the account charged, not "name", the name on the card:
    # two accounts named Ana Lee are two customers (acc-1001, acc-1003). 3 customers: acc-1001 3 events (the card
    # check and 2 charges), acc-1002 3 (declined, charged, refunded), acc-1003 1.
    # Before: "name" was the customer (2 customers, the two Anas one).
    dataset = load_dataset([_write(tmp_path, RECURLY_NAME, RECURLY)])
    mapping = dataset.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.columns["timestamp"], mapping.columns["event"],
            mapping.columns["revenue"]) == ("account_code", "date", "type", "amount")
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used, dict(dataset.accounting.reasons)) == (7, 7, {})
    events = _events(dataset)
    assert events.groupby("customer_id").size().to_dict() == {"acc-1001": 3, "acc-1002": 3, "acc-1003": 1}
    assert dataset.currency == "USD"


def test_a_recurly_card_check_is_no_cancellation_and_a_declined_charge_no_money(tmp_path):
    # Each transaction's money as the gateway settled it: the $1.00 authorization (voided, as every card check is) moved
    # no money and cancelled nothing: 'authorization' of 0; a declined purchase is a 'failed payment' of 0; the refund
    # takes Bo's 99.00 back: -99. Before: the voided card check read 'cancellation' (a cancelled order, retention), the
    # first event of every new subscriber.
    events = _events(load_dataset([_write(tmp_path, RECURLY_NAME, RECURLY)]))
    assert list(zip(events["event"], events["revenue"])) == [
        ("authorization", 0.0), ("purchase", 29.0), ("failed payment", 0.0), ("purchase", 99.0),
        ("purchase", 29.0), ("refund", -99.0), ("purchase", 49.0)]


def test_a_recurly_gateways_message_is_no_customers_comment(tmp_path):
    # "message" is what the payment gateway answered ("This transaction has been approved", "Insufficient funds"), not
    # words of the customer: no text, so no sentiment section. Before: "message" was the customers' comments, 7 texts
    # scored (2 different phrases), "Insufficient funds" among Bo's.
    dataset = load_dataset([_write(tmp_path, RECURLY_NAME, RECURLY)])
    assert "text" not in dataset.files[0].mapping.columns
    assert "sentiment" not in report.build_report(dataset)


def test_a_message_column_of_peoples_words_is_still_their_comment():
    # The rule is the repetition: 4 messages, each different (a chat's), are the customers' words; 5 messages of 2
    # phrases (2 different, under half of 5 = 2.5) are a system's answers.
    import pandas as pd

    from cjm.data.columns import suggest_mapping

    words = ["Where is my parcel?", "The box was crushed", "Thanks, all sorted", "Can I change the size?"]
    frame = pd.DataFrame({"customer_id": list("abcd"), "timestamp": ["2026-01-0%d 10:00" % i for i in range(1, 5)],
                          "event": ["chat"] * 4, "message": words})
    assert suggest_mapping(frame).columns.get("text") == "message"
    gateway = pd.DataFrame({"customer_id": list("abcde"), "timestamp": ["2026-01-0%d 10:00" % i for i in range(1, 6)],
                            "event": ["purchase"] * 5,
                            "message": [_APPROVED] * 4 + ["Insufficient funds"]})
    assert "text" not in suggest_mapping(gateway).columns


def test_a_recurly_export_gives_the_subscription_figures(tmp_path):
    # Revenue 29 + 99 + 29 - 99 + 49 = 107.00 USD. Bo's 99.00 is refunded whole, so no order: 3 orders (29, 29, 49),
    # AOV 107 / 3 = 35.67. 3 customers; buyers acc-1001 (twice) and acc-1003 (Bo's one purchase undone): repeat 1/2.
    # Before: 2 customers (the two Anas one, with 3 purchases): repeat 1/1.
    kpis = report.build_report(load_dataset([_write(tmp_path, RECURLY_NAME, RECURLY)]))["kpis"]
    assert kpis["customers"] == 3
    assert kpis["revenue"] == pytest.approx(107.0)
    assert kpis["average_order_value"] == pytest.approx(107 / 3)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.5)


def test_a_recurly_exports_pacific_times_are_los_angeles_days(tmp_path):
    # "2026-01-05 09:00:02 PST" is 17:00:02 UTC (PST = UTC-8); "2026-03-15 12:00:00 PDT" is 19:00 UTC (PDT = UTC-7,
    # summer time from 8 March). Written at the two offsets Los Angeles' rules give at those instants, the data's days
    # are America/Los_Angeles', as the same times written '-08:00' / '-07:00' are. Before: the abbreviations were read
    # to the right instants but their clock was dropped: UTC's days (a charge at 17:00 PST on 5 Jan on 6 Jan).
    dataset = load_dataset([_write(tmp_path, RECURLY_NAME, RECURLY)])
    times = _events(dataset)["timestamp"].dt.strftime("%m-%d %H:%M:%S").tolist()
    assert times == ["01-05 17:00:02", "01-05 17:00:05", "01-11 01:30:00", "01-11 16:00:00", "02-05 17:00:04",
                     "02-12 18:15:00", "03-15 19:00:00"]
    clock = data_clock(dataset)
    assert (clock.zone, clock.written) == ("America/Los_Angeles", ("UTC-08:00", "UTC-07:00"))


# --- Brevo transactional e-mail logs (an Italian account) -----------------------------------------------------------

BREVO_HEADER = ["st_text", "ts", "sub", "frm", "email", "tag", "mid", "link"]


def _bv(status, ts, subject, sender, email, tag, mid, link="NA") -> list[str]:
    return [status, ts, subject, sender, email, tag, f"<{mid}@smtp-relay.mailin.fr>", link]


_NEWS = ("Novità di marzo", "news@negozio.it")
_ORDER = ("Il tuo ordine n. 1042", "ordini@negozio.it")
# A shop's March newsletter reaches Ana, who opens it and clicks through to the sale; Bo's address bounces. Cy's order
# confirmation is loaded by a mail proxy (a privacy proxy fetching the images: no person opened it yet), opened the next
# morning, and Cy unsubscribes.
BREVO = _csv(BREVO_HEADER, [
    _bv("Inviata", "02-03-2026 09:00:01", *_NEWS, "ana@example.com", "NA", "202603020900.11111111111"),
    _bv("Consegnata", "02-03-2026 09:00:03", *_NEWS, "ana@example.com", "NA", "202603020900.11111111111"),
    _bv("Prima apertura", "02-03-2026 10:15:42", *_NEWS, "ana@example.com", "NA", "202603020900.11111111111"),
    _bv("Cliccata", "02-03-2026 10:16:05", *_NEWS, "ana@example.com", "NA", "202603020900.11111111111",
        link="https://negozio.it/saldi"),
    _bv("Inviata", "02-03-2026 09:00:01", *_NEWS, "bo@example.com", "NA", "202603020900.22222222222"),
    _bv("Hard bounce", "02-03-2026 09:00:04", *_NEWS, "bo@example.com", "NA", "202603020900.22222222222"),
    _bv("Inviata", "13-03-2026 18:30:00", *_ORDER, "cy@example.com", "ordine", "202603131830.33333333333"),
    _bv("Caricata per procura", "13-03-2026 18:30:09", *_ORDER, "cy@example.com", "ordine",
        "202603131830.33333333333"),
    _bv("Aperta", "14-03-2026 07:02:11", *_ORDER, "cy@example.com", "ordine", "202603131830.33333333333"),
    _bv("Disiscrizione", "14-03-2026 07:03:00", *_ORDER, "cy@example.com", "ordine", "202603131830.33333333333"),
])
BREVO_NAME = "logs_negozio_202603.csv"


def test_a_brevo_log_is_read_one_event_a_row_by_its_status(tmp_path):
    # 10 rows in, 10 used: each row one event of its recipient ("email"; "frm" is the shop's sender), named by its
    # status "st_text", at "ts". 3 customers: Ana 4 events, Bo 2, Cy 4. No money, no score, no comment (the subject
    # "sub" is the shop's). Before: no column was read as the event: the file was refused ("does not supply event").
    dataset = load_dataset([_write(tmp_path, BREVO_NAME, BREVO)])
    mapping = dataset.files[0].mapping
    assert (mapping.shape, mapping.columns) == ("long", {"customer_id": "email", "timestamp": "ts",
                                                         "event": "st_text"})
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used, dict(dataset.accounting.reasons)) == (10, 10, {})
    events = _events(dataset)
    assert events.groupby("customer_id").size().to_dict() == {
        "ana@example.com": 4, "bo@example.com": 2, "cy@example.com": 4}
    assert events["event"].tolist() == [
        "Inviata", "Consegnata", "Prima apertura", "Cliccata", "Inviata", "Hard bounce", "Inviata",
        "Caricata per procura", "Aperta", "Disiscrizione"]
    assert report.build_report(dataset)["kpis"]["customers"] == 3


def test_a_brevo_logs_dashed_dates_are_day_first(tmp_path):
    # ts is DD-MM-YYYY: '13-03-2026' can only be 13 March, so the column is day-first and '02-03-2026' is 2 March (not
    # 3 February). Times as written, UTC (the log names no zone).
    events = _events(load_dataset([_write(tmp_path, BREVO_NAME, BREVO)]))
    assert events["timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S").tolist() == [
        "2026-03-02 09:00:01", "2026-03-02 09:00:03", "2026-03-02 10:15:42", "2026-03-02 10:16:05",
        "2026-03-02 09:00:01", "2026-03-02 09:00:04", "2026-03-13 18:30:00", "2026-03-13 18:30:09",
        "2026-03-14 07:02:11", "2026-03-14 07:03:00"]


@pytest.mark.xfail(strict=True, reason=(
    "Brevo writes ts day-first with dashes (DD-MM-YYYY); a log of 1-12 March only has no day above 12 to say so, "
    "and cjm.data.timestamps.first_order reads dashed dates that fit both orders month-first (as slashed ones; "
    "tests/test_in_place_dashed_dates.py fixes that rule), with a note to change it in the mapping: '02-03-2026' "
    "reads 3 February"))
def test_a_brevo_log_of_the_first_twelve_days_of_a_month_is_day_first(tmp_path):
    # Only the rows of 2 March: 02-03-2026 is 2 March 2026 in Brevo's DD-MM-YYYY.
    text = "".join(line + "\n" for line in BREVO.splitlines()[:7])
    events = _events(load_dataset([_write(tmp_path, BREVO_NAME, text)]))
    assert set(events["timestamp"].dt.strftime("%Y-%m-%d")) == {"2026-03-02"}


@pytest.mark.xfail(strict=True, reason=(
    "an e-mail log's statuses are read as generic events: the Italian ones (Inviata, Consegnata, Aperta, Cliccata, "
    "Disiscrizione) match no stage rule (cjm.data.stages.FOREIGN_WORDS has no such word) and stay 'unmapped'; in "
    "English, 'Delivered' reads as an order's delivery (retention) and 'Sent', 'Opened' stay unmapped: nothing says "
    "the log's events are e-mails (awareness / discovery)"))
def test_a_brevo_logs_events_are_email_touchpoints(tmp_path):
    # sent, delivered, opened, clicked: an e-mail's steps, awareness (5-stage); the unsubscribe is the contact leaving
    # the list (retention, as "unsubscribed" reads)
    events = _events(load_dataset([_write(tmp_path, BREVO_NAME, BREVO)]))
    stages = dict(zip(events["event"], events["stage"]))
    assert [stages[e] for e in ("Inviata", "Consegnata", "Prima apertura", "Aperta", "Cliccata")] == ["awareness"] * 5


# --- Zoho CRM deals export ------------------------------------------------------------------------------------------

ZOHO_HEADER = ["Record Id", "Deal Name", "Account Name", "Account Name.id", "Contact Name", "Stage", "Closing Date",
               "Amount", "Lead Source", "Description", "Type"]


def _zd(record, deal, account, account_id, contact, stage, closing, amount, source="", description="",
        kind="") -> list[str]:
    return [f"4876876000000{record}", deal, account, f"4876876000000{account_id}", contact, stage, closing, amount,
            source, description, kind]


# A paving contractor's deals. Ridge Property Group won a crack seal in August (4,250.50) and has a mill & overlay
# quoted, expected to close in November (95,570.69); Cedar Lane HOA's sealcoat was won in October (12,400.00); the City
# of Westerville's patching was lost on price (8,000.00).
ZOHO = _csv(ZOHO_HEADER, [
    _zd("311", "Maple Ridge Plaza mill & overlay", "Ridge Property Group", "111", "Dana Whitfield",
        "Proposal/Price Quote", "2026-11-15", "95,570.69", "Referral", "Main lot", "New Business"),
    _zd("312", "Cedar Lane sealcoat", "Cedar Lane HOA", "112", "", "Closed Won", "2026-10-01", "12,400.00"),
    _zd("313", "Library lot patching", "City of Westerville", "113", "", "Closed Lost", "2026-09-12", "8,000.00",
        "Bid board", "Lost on price"),
    _zd("316", "Ridge Plaza crack seal", "Ridge Property Group", "111", "Sam Lee", "Closed Won", "2026-08-20",
        "4,250.50", "Referral", "", "Existing Business"),
])
ZOHO_NAME = "Deals_2026.csv"


def test_a_zoho_deals_export_counts_only_won_deals(tmp_path):
    # 4 deals in, 4 used, one event each: its "Stage" on its "Closing Date". 3 customers ("Account Name"): Ridge
    # Property Group 2 deals. Only won deals' amounts are revenue: 12,400.00 + 4,250.50 = 16,650.50 (the quote's
    # 95,570.69 is a forecast, the lost deal's 8,000.00 never came); AOV 16,650.50 / 2 = 8,325.25; Cedar Lane and
    # Ridge won: conversion 2/3; neither won twice: repeat 0/2.
    dataset = load_dataset([_write(tmp_path, ZOHO_NAME, ZOHO)])
    mapping = dataset.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.columns["timestamp"], mapping.columns["event"],
            mapping.columns["revenue"]) == ("Account Name", "Closing Date", "Stage", "Amount")
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used, dict(dataset.accounting.reasons)) == (4, 4, {})
    events = _events(dataset)
    assert list(zip(events["event"], events["revenue"])) == [
        ("Proposal/Price Quote", 0.0), ("Closed Won", 12400.0), ("Closed Lost", 0.0), ("Closed Won", 4250.5)]
    kpis = report.build_report(dataset)["kpis"]
    assert (kpis["customers"], kpis["revenue"], kpis["average_order_value"]) == (
        3, pytest.approx(16650.5), pytest.approx(8325.25))
    assert (kpis["conversion_rate"], kpis["repeat_purchase_rate"]) == (pytest.approx(2 / 3), 0.0)


def test_a_zoho_deals_name_is_no_customers_comment(tmp_path):
    # "Deal Name" ("Maple Ridge Plaza mill & overlay") is what the sales team called the deal: no text, no sentiment.
    # Before: the deal names were read as the customers' comments (4 texts scored).
    dataset = load_dataset([_write(tmp_path, ZOHO_NAME, ZOHO)])
    assert "text" not in dataset.files[0].mapping.columns
    assert "sentiment" not in report.build_report(dataset)


def test_a_zoho_deals_export_read_in_place_is_refused_with_the_reason(tmp_path):
    # In place every row's amount would count (95,570.69 + 12,400.00 + 8,000.00 + 4,250.50 = 120,221.19, the open and
    # lost deals' too), where the upload counts 16,650.50: refused, saying why and what to do, as when in place guesses
    # the mapping itself. Before: read with the upload's mapping, revenue 120,221.19.
    from cjm.errors import MappingError

    path = _write(tmp_path, ZOHO_NAME, ZOHO)
    with pytest.raises(MappingError, match="deal stage history.*only an upload reads"):
        dataset_from_files(path, mapping=load_dataset([path]).files[0].mapping)


# --- read in place -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, text, expected", [
    # Recurly: 7 rows used, 3 customers, revenue 107 USD (the upload's figures)
    (RECURLY_NAME, RECURLY, (7, 7, {}, 3, 107.0)),
    # Brevo: 10 rows used, 3 customers, no money
    (BREVO_NAME, BREVO, (10, 10, {}, 3, None)),
], ids=["recurly", "brevo"])
def test_each_export_read_in_place_gives_the_uploads_figures(tmp_path, name, text, expected):
    path = _write(tmp_path, name, text)
    uploaded = load_dataset([path])
    in_place = dataset_from_files(path, mapping=uploaded.files[0].mapping)
    assert_in_place_as_uploaded(uploaded, in_place, expected)
    assert data_clock(in_place) == data_clock(uploaded)
