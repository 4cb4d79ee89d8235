"""Review 6, the customer column (cjm.data.columns._better_customer_column): a sparse id gives way to a named
id on at least twice as many rows; "Record ID" gives way like a bare "Id". The right column is decided by hand
from what each literal frame is (which column names the person)."""

import pandas as pd

from cjm.data.columns import suggest_mapping
from cjm.data.timestamps import looks_like_timestamps

N = 10
TIMES = [f"2024-01-0{i % 9 + 1} 10:00" for i in range(N)]


def customer(frame: dict) -> str | None:
    return suggest_mapping(pd.DataFrame(frame), timestamp_score=looks_like_timestamps).columns.get("customer_id")


def test_a_sparse_user_id_gives_way_to_the_pseudo_id_every_event_has():
    # GA4: user_id on 2 of 10 events (signed in), user_pseudo_id on all 10 (5 >= 2 x 2): the pseudo id.
    assert customer({"event_timestamp": TIMES, "event_name": ["page_view"] * N, "user_id": ["u1", "u2"] + [None] * 8,
                     "user_pseudo_id": [f"p{i % 4}" for i in range(N)]}) == "user_pseudo_id"


def test_a_sparse_user_id_stays_the_customer_beside_a_product_name_column():
    # An e-commerce log: 'name' is the product viewed (10 of 10 rows), user_id the signed-in shopper (2 of 10).
    # The customer is user_id (8 anonymous rows rejected as missing id); before the fix: 'name', products as people.
    assert customer({"timestamp": TIMES, "event": ["view_item"] * N, "user_id": ["u1", "u2"] + [None] * 8,
                     "name": ["Blue Shirt", "Red Shoes", "Green Hat", "Blue Shirt", "Socks", "Red Shoes", "Belt",
                              "Hat", "Cap", "Scarf"]}) == "user_id"


def test_a_sparse_customer_id_stays_beside_a_yes_no_member_flag():
    # 'member' says yes / no (loyalty member or not): two values are not two customers. Before the fix: 'member'.
    assert customer({"timestamp": TIMES, "event": ["survey"] * N, "customer_id": ["c1", "c2"] + [None] * 8,
                     "member": ["yes", "no"] * 5}) == "customer_id"


def test_a_sparse_user_id_stays_beside_the_browser_client():
    # 'client' is the browser (Chrome, Firefox ...), on every row. Before the fix: 'client' (5 "customers").
    assert customer({"timestamp": TIMES, "event": ["page_view"] * N, "user_id": ["u1", "u2", "u3"] + [None] * 7,
                     "client": ["Chrome", "Firefox", "Safari", "Chrome", "Edge"] * 2}) == "user_id"


def test_a_sparse_customer_id_stays_beside_the_company_account():
    # B2B log: 'account' is the company (2 values on 10 rows), customer_id the person (4 of 10). Merging every
    # person of a company into one customer is a choice the user makes, not the auto-mapping. Before: 'account'.
    assert customer({"timestamp": TIMES, "event": ["call"] * N, "customer_id": ["c1", "c2", "c3", "c4"] + [None] * 6,
                     "account": ["Acme", "Globex"] * 5}) == "customer_id"


def test_a_survey_respondent_id_on_every_row_stays_beside_an_optional_email():
    # 10 respondents, 2 left an e-mail: each Respondent ID is a person.
    assert customer({"Respondent ID": [str(1000 + i) for i in range(N)], "Start Date": TIMES,
                     "Email Address": ["a@x.com", "b@x.com"] + [None] * 8, "Q1": ["5"] * N}) == "Respondent ID"


def test_hubspot_contacts_sharing_the_company_phone_stay_four_customers():
    # HubSpot contacts export: Record ID is each contact; all four share +1 555 0100. Customer: Record ID.
    assert customer({"Record ID": ["1", "2", "3", "4"], "First Name": ["Ann", "Bob", "Cy", "Di"],
                     "Phone Number": ["+1 555 0100"] * 4, "Create Date": ["2024-01-01"] * 4}) == "Record ID"


def test_an_orders_export_with_the_buyers_first_name_is_still_keyed_by_the_buyers_email():
    # WooCommerce-like orders: Id is the order (unique), "Billing First Name" the buyer's name on the order;
    # a@x.com ordered twice: 2 customers, keyed by the e-mail, not 3 by the order id.
    assert customer({"Id": ["101", "102", "103"], "Billing First Name": ["Ann", "Bo", "Ann"],
                     "Billing Email": ["a@x.com", "b@x.com", "a@x.com"],
                     "Order Date": ["2024-01-01", "2024-01-02", "2024-01-03"]}) == "Billing Email"


def test_an_events_log_whose_id_repeats_is_not_taken_for_a_list_of_people():
    # Id repeats (u1 twice): the rows are events; the e-mail column filled as often is the person, as before.
    assert customer({"Id": ["u1", "u2", "u1"], "First Name": ["Ann", "Bo", "Ann"],
                     "Email": ["a@x.com", "b@x.com", "a@x.com"], "timestamp": TIMES[:3],
                     "event": ["view", "view", "buy"]}) == "Email"
