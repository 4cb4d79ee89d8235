"""Which column is the event of a ticket or deal export, which exports are a help desk's, and how a ticket's opening is
named (cjm.data.columns.record_column / the 'Type' rule, cjm.data.tickets). Small made-up exports; every expected
value is worked out by hand in the comment beside it."""

import pytest

from cjm.data.columns import record_column
from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis


def test_a_ticket_exports_type_column_is_each_tickets_type_and_each_ticket_one_contact():
    # Ticket ID names the record and two columns date its steps: read one row per ticket, Type an attribute.
    # By hand: events ticket created x3 (2, 5, 8 Jan), resolved x2; c1 opened 2 tickets, c2 1: 3 / 2 = 1.5.
    parsed = load("Ticket ID,Type,Contact ID,Created time,Resolved time\n"
                  "1,Question,c1,2024-01-02 09:00,2024-01-02 15:00\n"
                  "2,Refund,c2,2024-01-05 09:00,\n"
                  "3,Question,c1,2024-01-08 09:00,2024-01-08 10:00\n")
    mapping = parsed.files[0].mapping
    assert mapping.shape == "wide" and "event" not in mapping.columns
    assert mapping.wide_events == ["Created time", "Resolved time"]
    frame = rows(parsed)
    assert frame["event"].tolist() == ["ticket created", "resolved", "ticket created", "ticket created", "resolved"]
    assert frame["Type"].tolist() == ["Question", "Question", "Refund", "Question", "Question"]
    assert kpis(parsed)["support_contacts_per_customer"] == 1.5
    notes = parsed.files[0].notes
    assert any("'Type' is each record's type, an attribute, not an event." in n for n in notes)
    assert any("each ticket opens on its 'Created time', the event 'ticket created'" in n for n in notes)


def test_a_help_desks_event_log_keeps_its_type_column_as_the_event():
    # one row per ticket event (a single date column): Type names the event; a created 1 ticket, b 1: 2 / 2 = 1
    parsed = load("Ticket ID,Customer ID,Type,Timestamp\n1,a,ticket_created,2024-01-01 10:00\n"
                  "1,a,ticket_closed,2024-01-02 10:00\n2,b,ticket_created,2024-01-03 10:00\n")
    assert parsed.files[0].mapping.shape == "long" and parsed.files[0].mapping.columns["event"] == "Type"
    assert rows(parsed)["event"].tolist() == ["ticket_created", "ticket_closed", "ticket_created"]
    assert kpis(parsed)["support_contacts_per_customer"] == 1


def test_a_type_column_of_an_export_naming_no_ticket_nor_deal_stays_the_event():
    # balance transactions (a bare id, two dates each): Type says charge or refund; revenue 100 - 100 + 50 = 50
    parsed = load("id,Customer ID,Type,Created,Available On,Amount\n"
                  "txn_1,cus_1,charge,2024-01-01 10:00,2024-01-03 10:00,100\n"
                  "txn_2,cus_1,refund,2024-01-05 10:00,2024-01-07 10:00,-100\n"
                  "txn_3,cus_2,charge,2024-01-02 10:00,2024-01-04 10:00,50\n")
    assert parsed.files[0].mapping.columns["event"] == "Type"
    assert rows(parsed)["event"].tolist() == ["charge", "refund", "charge"]
    assert kpis(parsed)["revenue"] == 50


@pytest.mark.parametrize("columns, expected", [
    (["Ticket ID", "Subject"], "Ticket ID"), (["Issue key", "Summary"], "Issue key"),
    (["Account ID", "Opportunity Name"], "Opportunity Name"), (["Deal - ID", "Deal - Title"], "Deal - ID"),
    (["Case Number"], "Case Number"), (["Conversation ID"], "Conversation ID"), (["ticket"], "ticket"),
    (["Issue Date", "Use case", "Deal Stage", "Ticket Type", "Customer Request Type"], None),
])
def test_a_record_is_named_by_its_word_alone_or_followed_by_id_words(columns, expected):
    assert record_column(columns) == expected


def test_a_salesforce_cases_export_counts_each_case_once_as_a_support_contact():
    # Case Number names a case: a help desk's. 003A opened cases 1001 and 1003, 003B 1002: 3 / 2 = 1.5
    parsed = load("Case Number,Contact ID,Subject,Date/Time Opened,Date/Time Closed\n"
                  "00001001,003A,Login,2024-01-02 09:00,2024-01-03 09:00\n"
                  "00001002,003B,Refund,2024-01-04 09:00,\n"
                  "00001003,003A,Again,2024-01-05 09:00,2024-01-05 12:00\n")
    assert rows(parsed)["event"].tolist() == ["ticket opened", "closed", "ticket opened", "ticket opened", "closed"]
    assert kpis(parsed)["support_contacts_per_customer"] == 1.5


def test_an_invoices_issue_date_makes_no_help_desk():
    # "Issue Date" dates the invoice, it names no issue: events issue (2) and paid (1), no support contact
    parsed = load("Invoice ID,Customer ID,Issue Date,Paid Date,Amount\n"
                  "INV-1,a,2024-01-02,2024-01-10,100\nINV-2,b,2024-01-03,,50\n")
    assert rows(parsed)["event"].tolist() == ["issue", "paid", "issue"]
    assert kpis(parsed).get("support_contacts_per_customer", 0) == 0


def test_a_ticket_opened_at_a_step_named_neither_opening_nor_follow_up_is_ticket_opened():
    # no created / opened column; "Triaged at" comes first on both tickets (1 and 4 Jan): each ticket opens there,
    # 'ticket opened'; 2 tickets of 2 requesters = 1 support contact a customer
    parsed = load("Ticket ID,Requester,Solved at,Triaged at\n"
                  "1,ann@x.com,2024-01-02 09:00,2024-01-01 09:00\n2,bob@x.com,2024-01-05 09:00,2024-01-04 09:00\n")
    frame = rows(parsed)
    assert frame["event"].tolist() == ["solved", "ticket opened", "solved", "ticket opened"]
    assert kpis(parsed)["support_contacts_per_customer"] == 1
    assert any("opens on its earliest date ('Triaged at' on most tickets" in n for n in parsed.files[0].notes)


def test_a_requester_is_a_help_desks_when_a_date_follows_the_request_up():
    # Zendesk-like without a ticket word: Requester beside "Solved at" (a follow-up): ann 2 tickets, bob 1 = 1.5.
    # The same export with "Approved at" instead follows nothing up (a purchase request): no support contact.
    solved = ("Id,Requester,Created at,Solved at\n1,ann@x.com,2024-01-01 09:00,2024-01-02 09:00\n"
              "2,bob@x.com,2024-01-03 09:00,2024-01-04 09:00\n3,ann@x.com,2024-01-05 09:00,\n")
    assert kpis(load(solved))["support_contacts_per_customer"] == 1.5
    approved = load(solved.replace("Solved at", "Approved at"))
    assert rows(approved)["event"].tolist() == ["created", "approved", "created", "approved", "created"]
    assert kpis(approved).get("support_contacts_per_customer", 0) == 0


def test_a_last_update_time_is_bookkeeping_and_makes_no_requester_a_help_desk():
    # "Last update time" (Freshdesk) says when the record was last edited: an attribute, not a step. So a purchase
    # request export (submitted, approved, last update) is followed up by no date: 0 support contacts, and its
    # events are submitted x2, approved x1.
    parsed = load("Request ID,Requester,Submitted at,Approved at,Last update time\n"
                  "R1,ann@x.com,2024-01-02 09:00,2024-01-03 09:00,2024-01-04 09:00\n"
                  "R2,bob@x.com,2024-01-05 09:00,,2024-01-06 09:00\n")
    assert parsed.files[0].mapping.wide_events == ["Submitted at", "Approved at"]
    assert rows(parsed)["event"].tolist() == ["submitted", "approved", "submitted"]
    assert kpis(parsed).get("support_contacts_per_customer", 0) == 0


def test_a_case_opened_column_is_named_as_the_opening_in_the_note():
    # "Date/Time Opened" is named as an opening: the note names it, not the earliest date
    parsed = load("Case Number,Contact ID,Date/Time Opened,Date/Time Closed\n"
                  "00001001,003A,2024-01-02 09:00,2024-01-03 09:00\n00001002,003B,2024-01-04 09:00,\n")
    assert "Help desk export: each ticket opens on its 'Date/Time Opened', the event 'ticket opened': one support " \
           "contact a ticket; 'Date/Time Closed' follow it up." in parsed.files[0].notes
