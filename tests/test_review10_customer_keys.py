"""Review 10, the two customer-id rules that decide which rows are one customer: a customers file's key is the
column joining the events (joins.key_joining), and a file listing people keeps its Id (columns._lists_people).

Small literal exports in the shapes of real ones (Stripe, HubSpot, Salesforce, Shopify, form tools); the
customer column, the number of customers and the attributes that join are worked out by hand for each."""

import io

import pandas as pd
import pytest

from cjm import engine
from cjm.data.dataset import SourceFile, build_dataset, parse_files


def parse(*files, mappings=None):
    return parse_files([SourceFile(name, text.encode()) for name, text in files], mappings=mappings)


def report_of(parsed, name):
    return next(f for f in parsed.files if f.name == name)


def customers_table(parsed):
    return engine.execute(build_dataset(parsed).customers).sort_values("customer_id").reset_index(drop=True)


def event_customers(parsed) -> set[str]:
    return set(engine.execute(build_dataset(parsed).events.select("customer_id").distinct())["customer_id"])


# --- a customers file's key (joins.key_joining) ---------------------------------------------------------------

# A CRM list of every customer (ids 1..100) beside a month of web events from the 30 active ones (ids 1..30): the
# key joins 30% of its rows. Tenure (months, 0..23) and Age (18..57) are numbers that repeat; each of them is also
# an id of some active customer (1..30), so each "joins" most of its rows.
ALL_CUSTOMERS = "Customer ID,Age,Tenure,Plan\n" + "".join(
    f"{i},{18 + i % 40},{i % 24},{'gold' if i % 2 else 'free'}\n" for i in range(1, 101))
ACTIVE_EVENTS = "customer_id,timestamp,event\n" + "".join(
    f"{i},2024-01-{i % 28 + 1:02d} 10:00,page_view\n" for i in range(1, 31))


def test_a_list_of_every_customer_keeps_its_id_when_only_a_third_have_events_beside_a_repeating_tenure():
    # By hand: the key is Customer ID, 100 customers, none rejected; customer 3 is gold, 4 free. Before the fix
    # the key became Tenure (24 values): 76 customers rejected as duplicates, the rest given others' plans.
    parsed = parse(("events.csv", ACTIVE_EVENTS), ("customers.csv", ALL_CUSTOMERS))
    report = report_of(parsed, "customers.csv")
    assert report.mapping.columns["customer_id"] == "Customer ID"
    assert not any("is the customer id" in note for note in report.notes)
    table = customers_table(parsed).set_index("customer_id")
    assert len(table) == 100 and report.rows_used == 100 and parsed.accounting.rows_rejected == 0
    assert table.loc["3", "Plan"] == "gold" and table.loc["4", "Plan"] == "free"
    assert table.loc["3", "Tenure"] == 3 and table.loc["30", "Age"] == 48


STRIPE_CUSTOMERS = ("id,Email,Name,Plan,Referred By\ncus_1,a@x.com,A,gold,\ncus_2,b@x.com,B,free,cus_1\n"
                    "cus_3,c@x.com,C,gold,\n")
STRIPE_PAYMENTS = ("id,Customer ID,Created (UTC),Amount,Status\nch_1,cus_1,2024-01-01 10:00,10,Paid\n"
                   "ch_2,cus_2,2024-01-02 10:00,20,Paid\nch_3,cus_1,2024-01-03 10:00,15,Paid\n")


def test_a_referrer_column_filled_on_one_row_is_not_the_customers_files_key():
    # 'Referred By' holds cus_1 on cus_2's row only; 'id' (cus_1..cus_3) is the key: 3 customers, cus_1's e-mail
    # a@x.com. Before the fix 'Referred By' was the key (100% of its one filled value joins): one customer,
    # cus_1 carrying cus_2's e-mail and plan, two rows rejected as missing id.
    parsed = parse(("payments.csv", STRIPE_PAYMENTS), ("customers.csv", STRIPE_CUSTOMERS))
    assert report_of(parsed, "customers.csv").mapping.columns["customer_id"] == "id"
    table = customers_table(parsed)
    assert list(table["customer_id"]) == ["cus_1", "cus_2", "cus_3"]
    assert list(table["Email"]) == ["a@x.com", "b@x.com", "c@x.com"]
    assert list(table["Referred By"].fillna("")) == ["", "cus_1", ""]
    assert parsed.accounting.rows_rejected == 0



def test_a_parquet_customers_file_whose_shop_id_has_blanks_is_keyed_by_it_as_the_same_csv_is():
    # A CRM list of 10 people; 6 have a shop account (Shop Customer Id 101..106, blank for 4 leads), which the
    # shop's events use. Parquet holds the ids as floats (101.0 ... NaN) because of the blanks. By hand, as the
    # same CSV is read: the key is Shop Customer Id, the 6 shop customers get their e-mail and name, the 4 leads
    # are set aside as missing customer id. Before the fix a float column was never a key: keyed by Email, the
    # events joined no one.
    events = "user_id,timestamp,event\n" + "".join(f"{i},2024-01-0{i % 9 + 1} 10:00,visit\n" for i in range(101, 107))
    crm = pd.DataFrame({"Email": [f"l{i}@x.com" for i in range(101, 111)], "Name": [f"L{i}" for i in range(101, 111)],
                        "Shop Customer Id": [float(i) if i < 107 else None for i in range(101, 111)]})
    buffer = io.BytesIO()
    crm.to_parquet(buffer)
    parsed = parse_files([SourceFile("events.csv", events.encode()), SourceFile("crm.parquet", buffer.getvalue())])
    assert report_of(parsed, "crm.parquet").mapping.columns["customer_id"] == "Shop Customer Id"
    table = customers_table(parsed)
    assert list(table["customer_id"]) == ["101", "102", "103", "104", "105", "106"]
    assert list(table["Email"]) == [f"l{i}@x.com" for i in range(101, 107)]
    assert parsed.accounting.reasons == {"missing customer id": 4}


def test_a_customers_files_amount_column_is_never_its_key():
    # Lifetime Value 101.5 ... has fractions: not an id even where its whole part is an events' id. Nothing joins:
    # the key stays the e-mail.
    events = "user_id,timestamp,event\n101,2024-01-01 10:00,visit\n102,2024-01-02 10:00,visit\n"
    crm = pd.DataFrame({"Email": ["a@x.com", "b@x.com"], "Lifetime Value": [101.5, 102.25]})
    buffer = io.BytesIO()
    crm.to_parquet(buffer)
    parsed = parse_files([SourceFile("events.csv", events.encode()), SourceFile("crm.parquet", buffer.getvalue())])
    assert report_of(parsed, "crm.parquet").mapping.columns["customer_id"] == "Email"


def test_a_stripe_list_of_everyone_who_signed_up_is_keyed_by_id_beside_the_payments_of_three():
    # Stripe customers export: 10 customers (cus_1..cus_10), Email beside id; the payments export has 6 payments
    # by cus_1, cus_2 and cus_3. By hand: the key is id (it holds all 3 paying customers, Email none); the 10
    # customers keep their plans; cus_3 is gold. Before the fix: 30% of the rows join (< half), so the key
    # stayed Email and no payment had a customer's attributes.
    customers = "id,Email,Name,Plan\n" + "".join(
        f"cus_{i},u{i}@x.com,U{i},{'gold' if i % 2 else 'free'}\n" for i in range(1, 11))
    payments = "id,Customer ID,Created (UTC),Amount,Status\n" + "".join(
        f"ch_{i},cus_{i % 3 + 1},2024-01-0{i} 10:00,10,Paid\n" for i in range(1, 7))
    parsed = parse(("payments.csv", payments), ("customers.csv", customers))
    report = report_of(parsed, "customers.csv")
    assert report.mapping.columns["customer_id"] == "id"
    assert any("holds 3 of the events' 3 customers" in note and "'Email' holds 0" in note for note in report.notes)
    table = customers_table(parsed).set_index("customer_id")
    assert len(table) == 10 and table.loc["cus_3", "Plan"] == "gold" and table.loc["cus_2", "Email"] == "u2@x.com"


def test_a_customers_file_of_21000_rows_is_keyed_by_the_id_its_3000_payers_use():
    # 21,000 customers (more than the 20,000 rows compared), every 7th paid once: 3,000 payers, 1 in 7 rows joins.
    # By hand: the key is id; 21,000 customers; cus_20993 (a payer past the 20,000th row) has plan p20993.
    customers = "id,Email,Plan\n" + "".join(f"cus_{i},u{i}@x.com,p{i}\n" for i in range(1, 21001))
    payments = "Customer ID,Created (UTC),Amount\n" + "".join(
        f"cus_{i},2024-01-01 10:00,{i % 50 + 1}\n" for i in range(7, 21001, 7))
    parsed = parse(("payments.csv", payments), ("customers.csv", customers))
    assert report_of(parsed, "customers.csv").mapping.columns["customer_id"] == "id"
    table = customers_table(parsed).set_index("customer_id")
    assert len(table) == 21000 and table.loc["cus_20993", "Plan"] == "p20993"
    assert parsed.accounting.rows_rejected == 0


def test_a_unique_number_column_holding_a_few_of_the_events_ids_is_not_the_key():
    # Events by web user ids 1..30; the customers file is keyed by its own codes (C-1..C-10, none an events' id)
    # and has an Extension column 28..37, unique, of which 28..30 are events' ids: 3 of its 10 rows, 3 of the 30
    # events' customers (10%). By hand nothing in this file names the events' customers: the key stays Customer ID.
    customers = "Customer ID,Extension,Plan\n" + "".join(f"C-{i},{27 + i},gold\n" for i in range(1, 11))
    parsed = parse(("events.csv", ACTIVE_EVENTS), ("customers.csv", customers))
    assert report_of(parsed, "customers.csv").mapping.columns["customer_id"] == "Customer ID"

# --- a file listing people keeps its Id (columns._lists_people) ------------------------------------------------


def test_a_form_submissions_log_with_first_names_counts_a_person_who_submitted_three_times_once():
    # HubSpot-like form submissions: Id is the submission (unique), Ann Lee submitted three forms. By hand: the
    # customer is the e-mail, 2 customers (Ann 3 submissions, Bob 1). Before the fix: Id, 4 "customers".
    export = ("Id,First Name,Last Name,Email,Form,Submitted At\n1,Ann,Lee,ann@x.com,Demo request,2024-01-01 10:00\n"
              "2,Bob,Ray,bob@x.com,Newsletter,2024-01-02 10:00\n3,Ann,Lee,ann@x.com,Pricing,2024-01-05 10:00\n"
              "4,Ann,Lee,ann@x.com,Contact sales,2024-01-09 10:00\n")
    parsed = parse(("form_submissions.csv", export))
    assert report_of(parsed, "form_submissions.csv").mapping.columns["customer_id"] == "Email"
    assert event_customers(parsed) == {"ann@x.com", "bob@x.com"}


def test_an_orders_export_of_one_row_per_order_with_the_buyers_first_name_is_keyed_by_the_buyer():
    # Id is the order (unique, one row each); Ann ordered twice (10 + 30). By hand: 2 customers, Ann's revenue 40.
    export = ("Id,First Name,Last Name,Email,Created At,Total\n5001,Ann,Lee,ann@x.com,2024-01-01 10:00,10\n"
              "5002,Bob,Ray,bob@x.com,2024-01-02 10:00,20\n5003,Ann,Lee,ann@x.com,2024-01-05 10:00,30\n")
    parsed = parse(("orders.csv", export))
    assert report_of(parsed, "orders.csv").mapping.columns["customer_id"] == "Email"
    events = engine.execute(build_dataset(parsed).events)
    assert events.groupby("customer_id")["revenue"].sum().to_dict() == {"ann@x.com": 40.0, "bob@x.com": 20.0}


def test_a_hubspot_api_contacts_export_with_firstname_keeps_a_household_apart():
    # HubSpot's property names: firstname, lastname. Ann and Tom Lee share lee@x.com: 3 contacts by id.
    export = ("id,firstname,lastname,email,createdate\n1,Ann,Lee,lee@x.com,2024-01-01\n"
              "2,Tom,Lee,lee@x.com,2024-01-02\n3,Bob,Ray,bob@x.com,2024-01-03\n")
    parsed = parse(("contacts.csv", export))
    assert report_of(parsed, "contacts.csv").mapping.columns["customer_id"] == "id"
    assert event_customers(parsed) == {"1", "2", "3"}


def test_a_contacts_report_with_a_row_per_company_keeps_colleagues_on_one_switchboard_phone_apart():
    # Record ID 1 (Ann) is on two rows (two associated companies); Ann, Bob and Cy share the company phone.
    # By hand: 3 contacts. Before the fix: the Id repeats, so the phone was the customer: 1 "customer".
    export = ("Record ID,First Name,Phone Number,Associated Company,Create Date\n1,Ann,+1 555 0100,Acme,2024-01-01\n"
              "1,Ann,+1 555 0100,Acme Labs,2024-01-01\n2,Bob,+1 555 0100,Acme,2024-01-02\n"
              "3,Cy,+1 555 0100,Acme,2024-01-03\n")
    parsed = parse(("contacts.csv", export))
    assert report_of(parsed, "contacts.csv").mapping.columns["customer_id"] == "Record ID"
    assert event_customers(parsed) == {"1", "2", "3"}


def test_an_order_lines_export_with_the_buyers_first_name_on_every_line_stays_keyed_by_the_e_mail():
    # Id is the order, repeated on each line item; Ann's two orders (3 lines) are one customer: 2 customers.
    export = ("Id,First Name,Email,Created at,Lineitem name,Lineitem price\n"
              "#1,Ann,ann@x.com,2024-01-01 10:00,Shirt,10\n#1,Ann,ann@x.com,2024-01-01 10:00,Socks,5\n"
              "#2,Bob,bob@x.com,2024-01-02 10:00,Hat,7\n#3,Ann,ann@x.com,2024-01-05 10:00,Belt,9\n")
    parsed = parse(("orders_export.csv", export))
    assert report_of(parsed, "orders_export.csv").mapping.columns["customer_id"] == "Email"
    assert event_customers(parsed) == {"ann@x.com", "bob@x.com"}


def test_an_anonymous_survey_beside_the_payments_does_not_hide_the_customers_files_key():
    # The Stripe list of 10 (3 paying) beside payments and a survey of 10 anonymous answers (no id: respondents
    # "row 2" ... "row 11", no one's customer id). By hand: the key is id, holding the 3 paying customers of 3.
    # Before the fix the 10 respondents counted as events' customers: id held 3 of 13 (< half), the key stayed
    # Email and nothing joined.
    customers = "id,Email,Plan\n" + "".join(f"cus_{i},u{i}@x.com,{'gold' if i % 2 else 'free'}\n" for i in range(1, 11))
    payments = "Customer ID,Created (UTC),Amount\n" + "".join(
        f"cus_{i % 3 + 1},2024-01-0{i} 10:00,10\n" for i in range(1, 7))
    survey = "Rating,Comment\n" + "".join(f"{i % 5 + 1},comment number {i} about the service\n" for i in range(10))
    parsed = parse(("payments.csv", payments), ("survey.csv", survey), ("customers.csv", customers))
    assert report_of(parsed, "survey.csv").mapping.shape == "anonymous"
    assert report_of(parsed, "customers.csv").mapping.columns["customer_id"] == "id"
    table = customers_table(parsed).set_index("customer_id")
    assert len(table) == 10 and table.loc["cus_1", "Plan"] == "gold"
    assert len(event_customers(parsed)) == 3 + 10


# --- cases that already work (kept as regressions) ---------------------------------------------------------------


def test_a_customers_file_joins_the_ids_of_two_events_files():
    # Payments by cus_1 / cus_2 and help-desk tickets by cus_2 / cus_3 (both Stripe ids); the customers file's
    # id holds all three, Email none. By hand: key id, 4 customers, 3 with events, cus_3's plan gold.
    customers = "id,Email,Plan\ncus_1,a@x.com,gold\ncus_2,b@x.com,free\ncus_3,c@x.com,gold\ncus_4,d@x.com,free\n"
    payments = "Customer ID,Created (UTC),Amount\ncus_1,2024-01-01 10:00,10\ncus_2,2024-01-02 10:00,20\n"
    tickets = "Customer,Created at,Subject\ncus_3,2024-02-01 10:00,Refund please\ncus_2,2024-02-02 10:00,Login\n"
    parsed = parse(("payments.csv", payments), ("tickets.csv", tickets), ("customers.csv", customers))
    assert report_of(parsed, "customers.csv").mapping.columns["customer_id"] == "id"
    assert event_customers(parsed) == {"cus_1", "cus_2", "cus_3"}
    table = customers_table(parsed).set_index("customer_id")
    assert list(table.index) == ["cus_1", "cus_2", "cus_3", "cus_4"] and table.loc["cus_3", "Plan"] == "gold"


def test_the_customers_files_key_follows_the_events_id_the_user_maps_on_the_data_page():
    # The payments carry both Customer ID (cus_...) and Customer Email. Auto-mapped, the events are keyed by
    # Customer ID and the customers file by its id; once the user maps the payments' customer id to Customer
    # Email (the Data page's editor passes that mapping), the customers file is keyed by its Email.
    from cjm.data.columns import ColumnMapping

    customers = "id,Email,Plan\ncus_1,a@x.com,gold\ncus_2,b@x.com,free\ncus_3,c@x.com,gold\n"
    payments = ("Customer ID,Customer Email,Created (UTC),Amount\ncus_1,a@x.com,2024-01-01 10:00,10\n"
                "cus_2,b@x.com,2024-01-02 10:00,20\n")
    parsed = parse(("payments.csv", payments), ("customers.csv", customers))
    assert report_of(parsed, "customers.csv").mapping.columns["customer_id"] == "id"
    by_email = ColumnMapping(columns={"customer_id": "Customer Email", "timestamp": "Created (UTC)",
                                      "revenue": "Amount"}, event_constant="purchase")
    parsed = parse(("payments.csv", payments), ("customers.csv", customers), mappings={"payments.csv": by_email})
    assert report_of(parsed, "customers.csv").mapping.columns["customer_id"] == "Email"
    assert event_customers(parsed) == {"a@x.com", "b@x.com"}
    assert list(customers_table(parsed)["Plan"]) == ["gold", "free", "gold"]


def test_a_hubspot_contacts_file_beside_mailchimp_activity_is_keyed_by_the_email_the_activity_uses():
    # HubSpot contacts (Record ID kept as the person by their names) beside Mailchimp activity keyed by Email
    # Address: the e-mail joins 2 of 3 contacts, Record ID none. By hand: key Email; ann's lifecycle is customer.
    contacts = ("Record ID,First Name,Last Name,Email,Lifecycle Stage\n101,Ann,Lee,ann@x.com,customer\n"
                "102,Tom,Lee,tom@x.com,lead\n103,Bob,Ray,bob@x.com,customer\n")
    activity = ("Email Address,Action,Timestamp\nann@x.com,open,2024-02-01 10:00\nbob@x.com,click,2024-02-02 10:00\n"
                "ann@x.com,click,2024-02-03 10:00\n")
    parsed = parse(("mailchimp_activity.csv", activity), ("hubspot_contacts.csv", contacts))
    assert report_of(parsed, "hubspot_contacts.csv").mapping.columns["customer_id"] == "Email"
    table = customers_table(parsed).set_index("customer_id")
    assert list(table.index) == ["ann@x.com", "bob@x.com", "tom@x.com"]
    assert table.loc["ann@x.com", "Lifecycle Stage"] == "customer"


def test_a_wide_orders_file_beside_a_customers_file_keeps_the_customers_own_key():
    # Olist-like: one row per order with two dates (wide), keyed by customer_id; the customers file's
    # customer_unique_id holds c1, c2 (and c3 without orders). By hand: 3 customers in the table, 2 with events.
    orders = ("order_id,customer_id,order_purchase_timestamp,order_delivered_customer_date\n"
              "o1,c1,2024-01-01 10:00,2024-01-05 10:00\no2,c2,2024-01-02 10:00,2024-01-09 10:00\n")
    customers = "customer_unique_id,customer_city\nc1,sao paulo\nc2,rio\nc3,belo horizonte\n"
    parsed = parse(("orders.csv", orders), ("customers.csv", customers))
    assert report_of(parsed, "orders.csv").mapping.shape == "wide"
    assert report_of(parsed, "customers.csv").mapping.columns["customer_id"] == "customer_unique_id"
    assert list(customers_table(parsed)["customer_city"]) == ["sao paulo", "rio", "belo horizonte"]
    assert event_customers(parsed) == {"c1", "c2"}


# --- open defects (strict xfail: they pass once fixed) -----------------------------------------------------------


def test_a_customers_file_whose_ids_lost_their_leading_zeros_still_joins_the_events():
    # By hand: customer 00042 is gold, 00043 free (the same people; Excel dropped the zeros).
    events = "customer_id,timestamp,event\n00042,2024-01-01 10:00,visit\n00043,2024-01-02 10:00,visit\n"
    customers = "customer_id,segment\n42,gold\n43,free\n"
    table = customers_table(parse(("events.csv", events), ("customers.csv", customers))).set_index("customer_id")
    assert table.loc["00042", "segment"] == "gold" and table.loc["00043", "segment"] == "free"


def test_a_customers_file_joins_the_events_e_mails_written_in_another_case():
    # By hand: the person who opened as Ann@X.com is ann@x.com, gold; Bob@X.com is bob@x.com, free.
    events = "email,timestamp,event\nAnn@X.com,2024-01-01 10:00,open\nbob@x.com,2024-01-02 10:00,open\n"
    customers = "Email,Plan\nann@x.com,gold\nBob@X.com,free\n"
    parsed = parse(("events.csv", events), ("customers.csv", customers))
    table = customers_table(parsed)
    assert sorted(table.loc[table["customer_id"].isin(event_customers(parsed)), "Plan"]) == ["free", "gold"]


def test_a_customers_file_with_both_ids_makes_one_customer_of_a_persons_payments_and_e_mail_opens():
    # cus_3 (c@x.com) paid and opened an e-mail: by hand 3 people have events (cus_1, cus_2, cus_3 = c@x.com).
    customers = "id,Email,Plan\ncus_1,a@x.com,gold\ncus_2,b@x.com,free\ncus_3,c@x.com,gold\n"
    payments = ("Customer ID,Created (UTC),Amount\ncus_1,2024-01-01 10:00,10\ncus_2,2024-01-02 10:00,20\n"
                "cus_3,2024-01-03 10:00,30\n")
    opens = "Email Address,Action,Timestamp\nc@x.com,open,2024-02-01 10:00\n"
    parsed = parse(("payments.csv", payments), ("mailchimp.csv", opens), ("customers.csv", customers))
    assert len(event_customers(parsed)) == 3
    events = engine.execute(build_dataset(parsed).events.select("customer_id", "event"))
    assert sorted(events.loc[events["customer_id"] == "cus_3", "event"]) == ["open", "purchase"]
    assert ("'Email' also names this file's customers: 1 of the events' customer ids (such as 'c@x.com') is the "
            "'Email' of a customer here, so their events are that customer's (here 'cus_3'): one person, not two."
            in report_of(parsed, "customers.csv").notes)


def test_a_column_that_repeats_a_value_or_holds_the_files_own_keys_is_no_second_id():
    # 'Plan' holds "vip", which is also an e-mail tool's id of someone, but two customers have it: no id. 'Referred
    # By' holds cus_1, a key of the file itself. By hand: payments by cus_1, cus_2; events by "vip": 3 customers.
    customers = "id,Plan,Referred By\ncus_1,vip,\ncus_2,vip,cus_1\n"
    payments = "Customer ID,Created (UTC),Amount\ncus_1,2024-01-01 10:00,10\ncus_2,2024-01-02 10:00,20\n"
    opens = "customer_id,event,timestamp\nvip,open,2024-02-01 10:00\n"
    parsed = parse(("payments.csv", payments), ("opens.csv", opens), ("customers.csv", customers))
    assert event_customers(parsed) == {"cus_1", "cus_2", "vip"}
    assert not any("also names" in note for note in report_of(parsed, "customers.csv").notes)


def test_a_customers_file_whose_ids_lost_their_leading_zeros_says_how_many_it_restored():
    events = "customer_id,timestamp,event\n00042,2024-01-01 10:00,visit\n00043,2024-01-02 10:00,visit\n"
    customers = "customer_id,segment\n42,gold\n43,free\n"
    notes = report_of(parse(("events.csv", events), ("customers.csv", customers)), "customers.csv").notes
    assert any(note.startswith("2 ids in 'customer_id' had lost the leading zeros") for note in notes)
    assert not any("No customer of this file" in note for note in notes)


def test_leading_zeros_are_not_restored_when_two_event_ids_would_claim_the_same_digits():
    # 0042 and 00042 are both events' ids: 42 could be either, so it joins neither (and the note says so).
    events = "customer_id,timestamp,event\n0042,2024-01-01 10:00,visit\n00042,2024-01-02 10:00,visit\n"
    customers = "customer_id,segment\n42,gold\n"
    parsed = parse(("events.csv", events), ("customers.csv", customers))
    assert customers_table(parsed)["customer_id"].tolist() == ["42"]
    assert any(note.startswith("No customer of this file has an event") for note in report_of(parsed, "customers.csv").notes)


def test_a_customers_file_that_reaches_no_events_customer_says_so_with_an_example_of_each_id():
    # Events 00042 / 00043, customers 52 / 53: no spelling joins them; the Data page's note names both.
    events = "customer_id,timestamp,event\n00042,2024-01-01 10:00,visit\n00043,2024-01-02 10:00,visit\n"
    customers = "customer_id,segment\n52,gold\n53,free\n"
    parsed = parse(("events.csv", events), ("customers.csv", customers))
    notes = report_of(parsed, "customers.csv").notes
    assert any(note.startswith("No customer of this file has an event") and "'52'" in note and "'00042'" in note
               for note in notes)
    # a customers file that joins keeps quiet
    parsed = parse(("payments.csv", STRIPE_PAYMENTS), ("customers.csv", STRIPE_CUSTOMERS))
    assert not any("No customer of this file" in note for note in report_of(parsed, "customers.csv").notes)


@pytest.mark.browser
def test_in_the_browser_a_stripe_list_of_everyone_beside_a_third_who_paid_is_keyed_by_its_id(page, app_url, tmp_path):
    # Both files chosen at once in the uploader. By hand: 6 payments + 10 customers = 16 rows, every one used; the
    # customers file's key is id, holding the 3 paying customers (cus_1..cus_3): the Data page says so and counts
    # 3 customers with events.
    from tests.browser import open_page, screenshot, wait_until_idle

    payments = tmp_path / "payments.csv"
    payments.write_text("id,Customer ID,Created (UTC),Amount,Status\n" + "".join(
        f"ch_{i},cus_{i % 3 + 1},2024-01-0{i} 10:00,10,Paid\n" for i in range(1, 7)), encoding="utf-8")
    customers = tmp_path / "customers.csv"
    customers.write_text("id,Email,Name,Plan\n" + "".join(
        f"cus_{i},u{i}@x.com,U{i},{'gold' if i % 2 else 'free'}\n" for i in range(1, 11)), encoding="utf-8")
    open_page(page, app_url, "data")
    page.get_by_text("Every row was used.").wait_for()
    wait_until_idle(page)
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Upload exports")
    uploader.locator("input[type=file]").first.set_input_files([str(payments), str(customers)])
    page.get_by_text("customers.csv (customers)").wait_for()
    wait_until_idle(page)
    page.get_by_text("'id' is the customer id: it holds 3 of the events' 3 customers").wait_for()
    page.get_by_text("Every row was used.").wait_for()
    metrics = page.locator('[data-testid="stMetric"]')
    texts = {metrics.nth(i).inner_text().split("\n")[0]: metrics.nth(i).inner_text().split("\n")[-1]
             for i in range(metrics.count())}
    assert texts["Rows in"] == "16" and texts["Rows used"] == "16" and texts["Customers"] == "3"
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "review10-stripe-customers-key")


def test_a_stripe_customers_export_named_export_csv_does_not_count_each_payer_twice():
    # Stripe's customers export (id, Email, Created (UTC)) saved as export.csv beside the payments by cus_1..cus_3.
    # By hand: cus_1 and u1@x.com are one person; whatever the file is read as, they are not two customers.
    customers = "id,Email,Name,Created (UTC),Plan\n" + "".join(
        f"cus_{i},u{i}@x.com,U{i},2023-12-0{i % 9 + 1} 10:00,{'gold' if i % 2 else 'free'}\n" for i in range(1, 11))
    payments = "Customer ID,Created (UTC),Amount\n" + "".join(
        f"cus_{i % 3 + 1},2024-01-0{i} 10:00,10\n" for i in range(1, 7))
    assert not {"cus_1", "u1@x.com"} <= event_customers(parse(("payments.csv", payments), ("export.csv", customers)))


def test_a_list_of_customers_read_as_sign_ups_is_keyed_by_the_column_holding_the_other_files_ids():
    # The same export.csv: read as sign-up events ('created', the zone of 'Created (UTC)' no part of the name), one row
    # per customer. By hand: 'id' holds cus_1..cus_3 of the payments; every row is keyed by 'id': 10 customers
    # cus_1..cus_10 (not 13), cus_1 with a sign-up and 2 payments (i = 3, 6 pay cus_1), plan gold.
    customers = "id,Email,Name,Created (UTC),Plan\n" + "".join(
        f"cus_{i},u{i}@x.com,U{i},2023-12-0{i % 9 + 1} 10:00,{'gold' if i % 2 else 'free'}\n" for i in range(1, 11))
    payments = "Customer ID,Created (UTC),Amount\n" + "".join(
        f"cus_{i % 3 + 1},2024-01-0{i} 10:00,10\n" for i in range(1, 7))
    parsed = parse(("payments.csv", payments), ("export.csv", customers))
    assert event_customers(parsed) == {f"cus_{i}" for i in range(1, 11)}
    events = engine.execute(build_dataset(parsed).events.select("customer_id", "event"))
    assert sorted(events.loc[events["customer_id"] == "cus_1", "event"]) == ["created", "purchase", "purchase"]
    assert customers_table(parsed).set_index("customer_id").loc["cus_1", "Plan"] == "gold"
    assert ("'id' holds the customer ids of the other files (3 of their customers, such as 'cus_1'), where 'Email' "
            "holds other values: this file's customers are keyed by 'id' (10 rows), so a person is one customer, not "
            "two." in report_of(parsed, "export.csv").notes)


def test_a_list_of_customers_keyed_like_the_other_files_is_left_as_it_is():
    # Sign-ups keyed by the same e-mails as the orders: nothing to re-key (2 customers, no note).
    signups = "Email,Account,Created\na@x.com,A1,2024-01-01 10:00\nb@x.com,A2,2024-01-02 10:00\n"
    orders = "email,timestamp,event,revenue\na@x.com,2024-01-03 10:00,purchase,10\n"
    parsed = parse(("orders.csv", orders), ("signups.csv", signups))
    assert event_customers(parsed) == {"a@x.com", "b@x.com"}
    assert not any("holds the customer ids of the other files" in n for n in report_of(parsed, "signups.csv").notes)
