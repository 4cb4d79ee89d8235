"""Review 5, auto-mapping: a bare "Id" gives way to an e-mail / requester / phone column filled in at least
as many rows (DESIGN.md section 3: the customer id is the person, account or household).

Hand-made exports in the shapes of real ones; the expected customer column is read off each by hand."""

import pandas as pd

from cjm import engine
from cjm.data.columns import suggest_mapping
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.data.timestamps import looks_like_timestamps


def customer_column(columns: list[str], data: list[list[str]]) -> str | None:
    frame = pd.DataFrame(data, columns=columns, dtype=object)
    return suggest_mapping(frame, timestamp_score=looks_like_timestamps).columns.get("customer_id")


def test_a_phone_column_of_device_models_is_not_the_customer():
    # Id is the user (u1 twice); "Phone" says which phone they used: 3 people, not "iPhone" and "Android".
    assert customer_column(["Id", "Phone", "timestamp", "event"],
                           [["u1", "iPhone", "2024-01-01", "view"], ["u2", "iPhone", "2024-01-02", "view"],
                            ["u3", "Android", "2024-01-03", "view"], ["u1", "iPhone", "2024-01-04", "buy"]]) == "Id"


def test_a_mobile_column_of_yes_and_no_is_not_the_customer():
    assert customer_column(["Id", "Mobile", "timestamp", "event"],
                           [["u1", "yes", "2024-01-01", "view"], ["u2", "no", "2024-01-02", "view"],
                            ["u1", "yes", "2024-01-04", "buy"]]) == "Id"


def test_an_email_column_without_addresses_is_not_the_customer():
    # A "Email" column of opt-in flags (subscribed / unsubscribed) names no one.
    assert customer_column(["Id", "Email", "timestamp", "event"],
                           [["u1", "subscribed", "2024-01-01", "view"], ["u2", "unsubscribed", "2024-01-02", "view"],
                            ["u1", "subscribed", "2024-01-04", "buy"]]) == "Id"


def test_a_shopify_orders_phone_is_the_customer_when_its_email_is_empty():
    # Shopify orders export shape: Id on an order's first line only, Email blank (cash on delivery), Phone on
    # every line. #3 has two lines: the customer is the phone, 2 customers in 4 rows.
    assert customer_column(["Name", "Email", "Created at", "Total", "Id", "Phone"],
                           [["#1", "", "2026-04-05 21:06:21 +0400", "1500.00", "16718480", "+8801795326165"],
                            ["#2", "", "2026-04-05 21:37:56 +0400", "1500.00", "16718520", "+8801306033664"],
                            ["#3", "", "2026-04-06 01:48:03 +0400", "1700.00", "16718820", "+8801306033664"],
                            ["#3", "", "2026-04-06 01:48:03 +0400", "", "", "+8801306033664"]]) == "Phone"


def test_a_formatted_phone_number_still_names_the_customer():
    assert customer_column(["Id", "Phone", "Created at", "Solved at"],
                           [["101", "(555) 010-1234", "2024-03-01 09:00", "2024-03-02 09:00"],
                            ["102", "+44 20 7946 0958", "2024-03-01 10:00", "2024-03-04 10:00"]]) == "Phone"


def test_an_events_exports_event_id_gives_way_to_the_users_email():
    assert customer_column(["id", "email", "event", "timestamp"],
                           [["e1", "a@x.com", "view", "2024-01-01"], ["e2", "a@x.com", "buy", "2024-01-02"],
                            ["e3", "b@x.com", "view", "2024-01-02"]]) == "email"


def test_a_zendesk_ticket_export_is_keyed_by_the_requesters_email_before_the_requesters_name():
    # Zendesk's CSV: Id (ticket), Requester (a name: two people can share it), Requester email.
    assert customer_column(["Id", "Requester", "Requester email", "Created at", "Solved at"],
                           [["101", "Ana Ruiz", "ana@x.com", "2024-03-01 09:00", "2024-03-02 09:00"],
                            ["102", "Ana Ruiz", "ana.r@y.com", "2024-03-01 10:00", "2024-03-04 10:00"]]) \
        == "Requester email"


def test_a_stripe_customers_export_joins_the_payments_on_its_customer_id():
    # customers.csv id cus_1 (gold), cus_2 (free); payments keyed by Customer ID cus_1, cus_2, cus_1.
    # By hand the customers table is keyed cus_1, cus_2. cjm keys it a@x.com, b@x.com: no payment joins.
    customers = "id,Email,Name,Plan\ncus_1,a@x.com,A,gold\ncus_2,b@x.com,B,free\n"
    payments = ("id,Customer ID,Created (UTC),Amount,Status\nch_1,cus_1,2024-01-01 10:00,10,Paid\n"
                "ch_2,cus_2,2024-01-02 10:00,20,Paid\nch_3,cus_1,2024-01-03 10:00,15,Paid\n")
    parsed = parse_files([SourceFile("payments.csv", payments.encode()),
                          SourceFile("customers.csv", customers.encode())])
    table = engine.execute(build_dataset(parsed).customers)
    assert set(table["customer_id"]) == {"cus_1", "cus_2"}


def test_a_contacts_export_keeps_two_people_who_share_a_household_email_apart():
    # Salesforce contacts: Ana and Leo Ruiz share ruiz@x.com; Id is the contact: 3 people.
    assert customer_column(["Id", "FirstName", "LastName", "Email", "CreatedDate"],
                           [["003A", "Ana", "Ruiz", "ruiz@x.com", "2024-01-01"],
                            ["003B", "Leo", "Ruiz", "ruiz@x.com", "2024-01-02"],
                            ["003C", "Bo", "Li", "li@x.com", "2024-01-03"]]) == "Id"


def test_a_mailchimp_audience_exports_email_address_is_the_customer():
    # Mailchimp members export: "Email Address" (no id column). Before: no customer id, each row a respondent.
    assert customer_column(["Email Address", "First Name", "Name", "MEMBER_RATING", "OPTIN_TIME", "LAST_CHANGED"],
                           [["a@x.com", "A", "Ann A", "2", "2024-01-01 10:00:00", "2024-02-01 10:00:00"],
                            ["b@x.com", "B", "Bo B", "4", "2024-01-02 10:00:00", "2024-02-02 10:00:00"]]) \
        == "Email Address"


def test_a_ga4_export_is_timed_by_its_microsecond_event_timestamp_not_its_day():
    # GA4's BigQuery export: event_date 20240101 (the day) and event_timestamp in microseconds since 1970:
    # 1704103200000000 = 2024-01-01 10:00:00 UTC, 1704103260123456 = 10:01:00.123456. Before: microseconds were
    # not read, event_date was the timestamp and every event of a day happened at midnight (order lost).
    from cjm.data.timestamps import parse_timestamps

    frame = pd.DataFrame([["20240101", "1704103200000000", "page_view", "123.456"],
                          ["20240101", "1704103260123456", "purchase", "123.456"]],
                         columns=["event_date", "event_timestamp", "event_name", "user_pseudo_id"], dtype=object)
    mapping = suggest_mapping(frame, timestamp_score=looks_like_timestamps)
    assert mapping.columns["timestamp"] == "event_timestamp"
    assert list(parse_timestamps(frame["event_timestamp"]).values) == [
        pd.Timestamp("2024-01-01 10:00:00", tz="UTC"), pd.Timestamp("2024-01-01 10:01:00.123456", tz="UTC")]
    assert looks_like_timestamps(pd.Series(["356938035643809", "490154203237518"])) == 0  # IMEI numbers
