"""Review 15: refunds in parts, wide orders settled by their status, a customers file's second id and ids written with
decimals, tried on small literal exports in the shapes of real ones (Online Retail, Shopify, Stripe's balance
activity and customers exports, Chargebee invoices and credit notes, a wide orders export, HubSpot contacts, Mailchimp
opens).

1. Repeat-purchase rate with refunds in parts (cjm.journey.kpis._repeat_purchase_rate / _undone_in_parts).
2. A wide order export's record refunded / cancelled / declined by its status (cjm.data.money).
3. A customers file's second id (cjm.data.joins.second_key, GROUP and PAIRED_ROWS) and the key that gives way to a unique one.
4. Ids written with decimals (cjm.data.joins.decimals_dropped).

Every expected figure is worked out by hand in the comment beside it. A test marked xfail(strict=True) is a defect
found by this review: its reason says what cjm does instead; it must start passing (and lose its marker) when fixed.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.journey.abandonment import is_checkout_name, is_purchase_name
from tests.helpers import parsed_rows, parsed_text, report_kpis


def load(*files):
    """Several uploads at once: (name, text) pairs."""
    return parse_files([SourceFile(name, text.encode()) for name, text in files])


def accounting(parsed) -> tuple[int, int, int]:
    a = parsed.accounting
    return a.rows_in, a.rows_used, a.rows_rejected


def figures(parsed) -> tuple[float, float]:
    """(repeat-purchase rate, revenue) of the report."""
    k = report_kpis(parsed)
    return k["repeat_purchase_rate"], k["revenue"]


def file_of(parsed, name):
    return next(f for f in parsed.files if f.name == name)


def per_customer(parsed) -> dict[str, list[str]]:
    """customer id -> the sorted names of their events, in the built dataset (second ids bridged)."""
    events = engine.execute(build_dataset(parsed).events.select("customer_id", "event"))
    return {c: sorted(g["event"]) for c, g in events.groupby("customer_id")}


def customers_table(parsed) -> pd.DataFrame:
    return engine.execute(build_dataset(parsed).customers).sort_values("customer_id").set_index("customer_id")


# ---------------------------------------------------------------------------------------------------------------
# 1. Refunds in parts: Online Retail, Shopify, Stripe, Chargebee
# ---------------------------------------------------------------------------------------------------------------

def test_an_online_retail_line_cancelled_before_a_new_invoice_leaves_both_invoices_purchases():
    # 14000: 536370 of three lines of 10 (30) on 1 Dec; C536371 takes one line back (-10) on 2 Dec; 536372 (10) on
    # 3 Dec. The -10 is after no earlier purchase of 10 (the 10 comes later): no whole reversal; as a part it adds up
    # to 10, never 30: the 30 stays a purchase -> 2 purchases, a repeat buyer. 13047: 536373 (25) on 1 Dec, 536374
    # (10) on 2 Dec, C536375 cancels all of 536374 (-10, after it: whole) on 3 Dec -> bought once.
    # Repeat 1 / 2. Revenue 30 - 10 + 10 + 25 + 10 - 10 = 55. 8 rows in, 8 used.
    parsed = parsed_text("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
                         "536370,A,MUG,1,2010-12-01 09:00,10.00,14000,UK\n"
                         "536370,B,TEA,1,2010-12-01 09:00,10.00,14000,UK\n"
                         "536370,C,JAR,1,2010-12-01 09:00,10.00,14000,UK\n"
                         "C536371,B,TEA,-1,2010-12-02 09:00,10.00,14000,UK\n"
                         "536372,D,PEN,1,2010-12-03 09:00,10.00,14000,UK\n"
                         "536373,A,MUG,1,2010-12-01 11:00,25.00,13047,UK\n"
                         "536374,E,CUP,1,2010-12-02 11:00,10.00,13047,UK\n"
                         "C536375,E,CUP,-1,2010-12-03 11:00,10.00,13047,UK\n")
    assert figures(parsed) == (0.5, 55)
    assert accounting(parsed) == (8, 8, 0)


# Shopify's orders export, one row per order: 'Refunded Amount' a partial refund, statuses partially_refunded,
# refunded and voided (an authorisation called off), 'Cancelled at' on the voided order.
SHOPIFY = """Name,Email,Financial Status,Fulfillment Status,Currency,Subtotal,Total,Refunded Amount,Created at,Cancelled at
#1001,ann@x.com,partially_refunded,fulfilled,EUR,50.00,50.00,20.00,2024-01-01 10:00:00 +0000,
#1002,ann@x.com,paid,fulfilled,EUR,30.00,30.00,0.00,2024-01-03 10:00:00 +0000,
#1003,bob@x.com,voided,unfulfilled,EUR,40.00,40.00,0.00,2024-01-02 10:00:00 +0000,2024-01-02 12:00:00 +0000
#1004,bob@x.com,paid,fulfilled,EUR,25.00,25.00,0.00,2024-01-04 10:00:00 +0000,
#1005,cid@x.com,refunded,fulfilled,EUR,60.00,60.00,60.00,2024-01-02 10:00:00 +0000,
#1006,cid@x.com,paid,fulfilled,EUR,10.00,10.00,0.00,2024-01-05 10:00:00 +0000,
"""


def test_a_shopify_orders_export_with_a_partial_refund_a_refunded_and_a_voided_order():
    # ann: #1001 50 with 20 refunded counts 30 and stays a purchase (a partial refund), #1002 30 -> 2 purchases.
    # bob: #1003 voided (status: no money, its first event reads 'cancellation'), #1004 25 -> 1. cid: #1005 refunded
    # (status: no money, 'return'), #1006 10 -> 1. Repeat 1 / 3. Revenue 30 + 30 + 25 + 10 = 95. 6 rows in, 6 used.
    parsed = parsed_text(SHOPIFY, "orders_export.csv")
    rate, revenue = figures(parsed)
    assert rate == pytest.approx(1 / 3) and revenue == 95
    assert accounting(parsed) == (6, 6, 0)
    events = parsed_rows(parsed)
    assert events.loc[events["event"].isin(["cancellation", "return"]), "revenue"].tolist() == [0, 0]


# Stripe's "Balance change from activity" report: one row per balance transaction, refunds negative, each refund
# naming the charge it refunds (charge_id).
STRIPE_BALANCE = ("balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,source_id,"
                  "customer_id,customer_email,charge_id\n")


def stripe_balance(*rows) -> str:
    """rows: (txn, created, gross, category, customer, charge)"""
    return STRIPE_BALANCE + "".join(f"{t},{c},usd,{g:.2f},0.00,{g:.2f},{k},{ch if k == 'charge' else 're_' + t},"
                                    f"{cus},{cus.lower()}@x.com,{ch}\n" for t, c, g, k, cus, ch in rows)


def test_a_stripe_charge_refunded_in_two_parts_after_a_later_charge_is_no_purchase():
    # cus_A: ch_1 40 on 1 Jan, ch_2 60 on 2 Jan; ch_1 refunded 20 on 3 Jan and 20 on 5 Jan. The parts' running totals
    # 20, 40 meet the oldest charge's 40: ch_1 undone -> bought once. cus_B: 10 on 1 and 8 Jan -> twice.
    # Repeat 1 / 2. Revenue 40 + 60 - 20 - 20 + 10 + 10 = 80.
    parsed = parsed_text(stripe_balance(
        ("txn_1", "2024-01-01 10:00:00", 40, "charge", "cus_A", "ch_1"),
        ("txn_2", "2024-01-02 10:00:00", 60, "charge", "cus_A", "ch_2"),
        ("txn_3", "2024-01-03 10:00:00", -20, "refund", "cus_A", "ch_1"),
        ("txn_4", "2024-01-05 10:00:00", -20, "refund", "cus_A", "ch_1"),
        ("txn_5", "2024-01-01 11:00:00", 10, "charge", "cus_B", "ch_3"),
        ("txn_6", "2024-01-08 11:00:00", 10, "charge", "cus_B", "ch_4")), "balance_change_from_activity.csv")
    assert figures(parsed) == (0.5, 80)
    assert accounting(parsed) == (6, 6, 0)


def test_a_stripe_charge_refunded_in_parts_between_a_partial_refund_of_another_charge_is_no_purchase():
    # cus_A: ch_1 40 on 1 Jan, ch_2 60 on 2 Jan; refunds: 20 of ch_1 on 3 Jan, 30 of ch_2 on 4 Jan, 20 of ch_1 on
    # 5 Jan. By charge: ch_1 40 - 40 = 0 (refunded in full: no purchase), ch_2 60 - 30 (a partial refund: still a
    # purchase) -> bought once: repeat 0 / 1. Revenue 40 + 60 - 20 - 30 - 20 = 30.
    parsed = parsed_text(stripe_balance(
        ("txn_1", "2024-01-01 10:00:00", 40, "charge", "cus_A", "ch_1"),
        ("txn_2", "2024-01-02 10:00:00", 60, "charge", "cus_A", "ch_2"),
        ("txn_3", "2024-01-03 10:00:00", -20, "refund", "cus_A", "ch_1"),
        ("txn_4", "2024-01-04 10:00:00", -30, "refund", "cus_A", "ch_2"),
        ("txn_5", "2024-01-05 10:00:00", -20, "refund", "cus_A", "ch_1")), "balance_change_from_activity.csv")
    assert figures(parsed) == (0.0, 30)


def test_a_stripe_partial_refund_of_a_newer_charge_does_not_undo_an_older_charge_of_its_amount():
    # cus_B: ch_3 30 on 1 Jan, ch_4 50 on 3 Jan, 30 of ch_4 refunded on 4 Jan. By charge: ch_3 30 kept, ch_4 50 - 30
    # = 20 (a partial refund: still a purchase) -> 2 purchases: repeat 1 / 1. Revenue 30 + 50 - 30 = 50.
    parsed = parsed_text(stripe_balance(
        ("txn_6", "2024-01-01 11:00:00", 30, "charge", "cus_B", "ch_3"),
        ("txn_7", "2024-01-03 11:00:00", 50, "charge", "cus_B", "ch_4"),
        ("txn_8", "2024-01-04 11:00:00", -30, "refund", "cus_B", "ch_4")), "balance_change_from_activity.csv")
    assert figures(parsed) == (1.0, 50)


# Chargebee's invoices export (no event column: every row is a 'purchase') and its credit notes export (one row per
# credit note, its Status the credit note's: 'Refunded' = the money went back to the customer).
CHARGEBEE_INVOICES = """Invoice Number,Invoice Date,Customer Id,Customer Email,Subscription Id,Status,Amount,Amount Paid,Amount Due,Currency
1001,2024-01-01,cust_1,a@x.com,sub_1,Paid,50.00,50.00,0.00,USD
1002,2024-02-01,cust_1,a@x.com,sub_1,Paid,50.00,50.00,0.00,USD
1003,2024-01-05,cust_2,b@x.com,sub_2,Paid,30.00,30.00,0.00,USD
1004,2024-02-05,cust_2,b@x.com,sub_2,Paid,30.00,30.00,0.00,USD
"""
UNPAID_INVOICES = """1005,2024-01-07,cust_3,c@x.com,sub_3,Paid,20.00,20.00,0.00,USD
1006,2024-02-07,cust_3,c@x.com,sub_3,Not Paid,20.00,0.00,20.00,USD
"""
CHARGEBEE_CREDIT_NOTES = """Credit Note Number,Credit Note Date,Reference Invoice Number,Customer Id,Type,Status,Reason Code,Amount,Amount Refunded,Currency
CN-1,2024-02-03,1002,cust_1,Refundable,Refunded,Order Change,50.00,50.00,USD
CN-2,2024-02-10,1004,cust_2,Refundable,Refunded,Product Unsatisfactory,10.00,10.00,USD
"""


def test_chargebee_invoices_not_paid_count_no_money():
    # cust_1 50 + 50, cust_2 30 + 30, cust_3 20 paid and 20 'Not Paid' (no money moved: 0). Revenue 200 - 20 = 180.
    # 6 rows in, 6 used.
    parsed = parsed_text(CHARGEBEE_INVOICES + UNPAID_INVOICES, "invoices.csv")
    assert figures(parsed)[1] == 180
    assert accounting(parsed) == (6, 6, 0)


def test_a_chargebee_invoice_not_paid_is_no_repeat_purchase():
    # cust_1: 1001 and 1002 paid -> 2; cust_2: 1003 and 1004 -> 2; cust_3: 1005 paid, 1006 Not Paid (no money moved,
    # as a failed payment) -> 1. Repeat 2 / 3.
    parsed = parsed_text(CHARGEBEE_INVOICES + UNPAID_INVOICES, "invoices.csv")
    assert figures(parsed)[0] == pytest.approx(2 / 3)


def test_chargebee_credit_notes_take_their_amounts_back_from_the_invoices():
    # Invoices: cust_1 1001 50 (1 Jan) and 1002 50 (1 Feb); cust_2 1003 30 (5 Jan) and 1004 30 (5 Feb). Credit notes:
    # CN-1 refunds 50 of 1002 to cust_1 on 3 Feb (the whole invoice: a reversal of its exact amount after it), CN-2
    # refunds 10 of 1004 to cust_2 on 10 Feb (partial). Revenue 160 - 50 - 10 = 100. cust_1 bought once, cust_2 twice:
    # repeat 1 / 2. 4 + 2 rows in, 6 used.
    parsed = load(("invoices.csv", CHARGEBEE_INVOICES), ("credit_notes.csv", CHARGEBEE_CREDIT_NOTES))
    assert accounting(parsed) == (6, 6, 0)
    assert figures(parsed) == (0.5, 100)


# ---------------------------------------------------------------------------------------------------------------
# 2. Wide order exports settled by their status
# ---------------------------------------------------------------------------------------------------------------

def test_a_wide_orders_export_with_purchase_payment_shipping_and_delivery_dates_settled_by_status():
    # a: o1 50 delivered -> 1 purchase. b: o2 40 Refunded (status: its first event 'purchase' reads 'return', money
    # 0; its payment, shipping and delivery dates keep their names), o3 30 -> 1. c: o4 and o5 Cancelled -> no
    # purchase, 'cancellation' twice. Buyers a, b; repeat 0 / 2. Revenue 50 + 30 = 80. 5 records in, 5 used.
    parsed = parsed_text("Order ID,Customer ID,Status,Purchase Date,Payment Date,Shipped Date,Delivered Date,Total\n"
                         "o1,a,Delivered,2024-01-01,2024-01-01,2024-01-03,2024-01-05,50\n"
                         "o2,b,Refunded,2024-01-02,2024-01-02,2024-01-03,2024-01-05,40\n"
                         "o3,b,Delivered,2024-01-06,2024-01-06,2024-01-07,2024-01-09,30\n"
                         "o4,c,Cancelled,2024-01-02,,,,20\n"
                         "o5,c,Cancelled,2024-01-04,,,,20\n")
    assert figures(parsed) == (0.0, 80)
    assert accounting(parsed) == (5, 5, 0)
    events = parsed_rows(parsed)
    assert events.loc[events["customer_id"] == "c", "event"].tolist() == ["cancellation", "cancellation"]
    assert events.loc[events["customer_id"] == "b", "event"].tolist()[:4] == ["return", "payment", "shipped",
                                                                              "delivered"]


WIDE_TWO_PURCHASE_DATES = ("Order ID,Customer ID,Status,Order Date,Order Completed Date,Ship Date,Total\n"
                           "o1,a,Completed,2024-01-01,2024-01-02,2024-01-03,50\n"
                           "o2,b,Completed,2024-01-01,2024-01-02,2024-01-03,40\n"
                           "o3,b,Refunded,2024-01-05,2024-01-06,2024-01-07,70\n"
                           "o4,c,Declined,2024-01-05,,,20\n"
                           "o5,c,Completed,2024-01-08,2024-01-09,,25\n")


def test_a_wide_orders_export_with_an_order_completed_date_counts_the_kept_orders_money_once():
    # a: o1 50; b: o2 40, o3 70 refunded (0); c: o4 declined (0), o5 25. Revenue 50 + 40 + 25 = 115; orders with
    # money 3 -> AOV 115 / 3. 5 records in, 5 used.
    parsed = parsed_text(WIDE_TWO_PURCHASE_DATES)
    k = report_kpis(parsed)
    assert k["revenue"] == 115 and k["average_order_value"] == pytest.approx(115 / 3)
    assert accounting(parsed) == (5, 5, 0)


def test_a_wide_order_with_two_purchase_named_dates_is_one_purchase():
    # One record is one order. a: o1 -> 1 purchase. b: o2 kept, o3 Refunded -> 1. c: o4 Declined, o5 -> 1.
    # Repeat 0 / 3.
    parsed = parsed_text(WIDE_TWO_PURCHASE_DATES)
    assert figures(parsed)[0] == 0.0
    # b's events in time: o2 'order' (1 Jan), its 'order completed (same purchase)' (2 Jan), 'ship' (3 Jan); o3's
    # 'order' reads 'return' (Refunded), then its step (6 Jan) and 'ship' (7 Jan).
    events = parsed_rows(parsed)
    assert events.loc[events["customer_id"] == "b", "event"].tolist() == [
        "order", "order completed (same purchase)", "ship", "return", "order completed (same purchase)", "ship"]
    assert ("'Order Date' and 'Order Completed Date' all name a purchase, but a record is one order: its purchase is "
            "its 'Order Date' (the first of them on most records; on a record without it, the next one filled), and "
            "'Order Completed Date' ('order completed (same purchase)') is a step of that purchase, not a second one."
            in parsed.files[0].notes)


def test_the_purchase_of_a_wide_order_is_its_first_purchase_named_date_whichever_column_comes_first():
    # 'Order Completed Date' is the file's first column but the later date on every order: the purchase is each
    # order's 'Order Date'. a: o1 (1 Jan) and o2 (5 Jan) -> 2 purchases; b: o3 -> 1. Repeat 1 / 2. Events named
    # 'order' 3 (one per order), steps 3.
    parsed = parsed_text("Order Completed Date,Order ID,Customer ID,Order Date,Total\n"
                         "2024-01-02,o1,a,2024-01-01,10\n2024-01-06,o2,a,2024-01-05,20\n2024-01-04,o3,b,2024-01-03,30\n")
    assert figures(parsed) == (0.5, 60)
    names = parsed_rows(parsed)["event"].value_counts().to_dict()
    assert names == {"order": 3, "order completed (same purchase)": 3}


def test_a_wide_order_without_its_order_date_is_a_purchase_on_its_completed_date():
    # o2 has no 'Order Date' (an order imported from an older system): its 'Order Completed Date' is its purchase,
    # so b bought twice (o2 on 4 Jan, o3 on 6 Jan) and a once (o1). Repeat 1 / 2, revenue 10 + 20 + 30 = 60.
    parsed = parsed_text("Order ID,Customer ID,Order Date,Order Completed Date,Total\n"
                         "o1,a,2024-01-01,2024-01-02,10\no2,b,,2024-01-04,20\no3,b,2024-01-06,2024-01-07,30\n")
    assert figures(parsed) == (0.5, 60)
    events = parsed_rows(parsed)
    assert events.loc[events["customer_id"] == "b", "event"].tolist() == [
        "order completed", "order", "order completed (same purchase)"]


def test_a_step_of_a_purchase_named_for_a_checkout_is_no_checkout():
    # 'Checkout Completed Date' dated after the 'Order Date' is a step of the order: neither a purchase nor a
    # checkout that a purchase must follow (checkout abandonment would count it abandoned otherwise).
    assert not is_purchase_name("checkout completed (same purchase)")
    assert not is_checkout_name("checkout completed (same purchase)")
    assert is_purchase_name("checkout completed") and is_checkout_name("begin checkout")


# ---------------------------------------------------------------------------------------------------------------
# 3. A customers file's second id: Stripe customers with guest checkouts, HubSpot contacts, Mailchimp opens
# ---------------------------------------------------------------------------------------------------------------

STRIPE_PAYMENTS_4 = "Customer ID,Created (UTC),Amount\n" + "".join(
    f"cus_{k},2024-01-{k:02d} 10:00,10\n" for k in range(1, 5))
OPENS_B_D = "Email Address,Action,Timestamp\nb@x.com,open,2024-02-01 10:00\ndee@x.com,open,2024-02-01 11:00\n"


def test_a_guest_checkout_e_mail_on_two_stripe_customers_joins_neither():
    # cus_3 and cus_4 share dee@x.com (a guest checkout made a second customer): 'id' is the key (a value of its own
    # on each row), dee@x.com's open stays its own (which of the two opened is unknown), b@x.com's open is cus_2's.
    # People: cus_1, cus_2 [open, purchase], cus_3, cus_4, dee@x.com = 5. 4 + 2 + 4 rows in, 10 used.
    parsed = load(("payments.csv", STRIPE_PAYMENTS_4), ("mailchimp.csv", OPENS_B_D),
                  ("customers.csv", "id,Email\ncus_1,a@x.com\ncus_2,b@x.com\ncus_3,dee@x.com\ncus_4,dee@x.com\n"))
    assert per_customer(parsed) == {"cus_1": ["purchase"], "cus_2": ["open", "purchase"], "cus_3": ["purchase"],
                                    "cus_4": ["purchase"], "dee@x.com": ["open"]}
    assert accounting(parsed) == (10, 10, 0)


def test_a_guest_checkout_e_mail_written_with_a_capital_on_one_stripe_customer_joins_neither():
    # As above, but cus_3 wrote 'Dee@x.com' (the same mailbox: e-mails are compared in lower case). By hand the same
    # figures: 'id' is the key, dee@x.com names two customers and joins neither: 5 people, 10 rows in, 10 used.
    parsed = load(("payments.csv", STRIPE_PAYMENTS_4), ("mailchimp.csv", OPENS_B_D),
                  ("customers.csv", "id,Email\ncus_1,a@x.com\ncus_2,b@x.com\ncus_3,Dee@x.com\ncus_4,dee@x.com\n"))
    assert file_of(parsed, "customers.csv").mapping.columns["customer_id"] == "id"
    assert per_customer(parsed) == {"cus_1": ["purchase"], "cus_2": ["open", "purchase"], "cus_3": ["purchase"],
                                    "cus_4": ["purchase"], "dee@x.com": ["open"]}
    assert accounting(parsed) == (10, 10, 0)


def stripe_customers(n: int, same: dict[int, int], *, created: bool = False) -> str:
    """Stripe's customers export: cus_1..cus_n with u1@x.com..un@x.com, cus_k writing cus_same[k]'s e-mail (a guest
    checkout), and, with `created`, its 'Created (UTC)' column."""
    head = "id,Email,Description" + (",Created (UTC)" if created else "") + "\n"
    return head + "".join(f"cus_{k},u{same.get(k, k)}@x.com," + (f",2023-12-{k:02d} 10:00" if created else "") + "\n"
                          for k in range(1, n + 1))


def payments(n: int) -> str:
    return "Customer ID,Created (UTC),Amount\n" + "".join(f"cus_{k},2024-01-{k:02d} 10:00,10\n" for k in range(1, n + 1))


OPENS_1_2_5 = "Email Address,Action,Timestamp\n" + "".join(f"u{k}@x.com,open,2024-02-01 10:00\n" for k in (1, 2, 5))


def test_a_stripe_customers_export_with_its_created_date_and_unique_e_mails_is_a_customers_file_keyed_by_id():
    # 20 Stripe customers, each paying once; opens by u1, u2, u5. The file is a customers file keyed by 'id', Email a
    # second id: the three opens join cus_1, cus_2, cus_5: 20 people.
    parsed = load(("payments.csv", payments(20)), ("mailchimp.csv", OPENS_1_2_5),
                  ("customers.csv", stripe_customers(20, {}, created=True)))
    customers = file_of(parsed, "customers.csv")
    assert customers.role == "customers" and customers.mapping.columns["customer_id"] == "id"
    people = per_customer(parsed)
    assert len(people) == 20 and people["cus_5"] == ["open", "purchase"]


def test_guest_checkout_duplicates_do_not_turn_a_stripe_customers_export_into_sign_up_events():
    # As above with cus_19 and cus_20 guest duplicates (10% of the customers). By hand the file is still one row per
    # Stripe customer: a customers file keyed by 'id' (a value of its own on each row, every one a payer). Whether
    # Email then joins the opens is rule 3's threshold (4 of 20 rows share a value: refused): either way every payment
    # is a cus_ customer's and no event is a sign-up of an e-mail apart from its customer.
    parsed = load(("payments.csv", payments(20)), ("mailchimp.csv", OPENS_1_2_5),
                  ("customers.csv", stripe_customers(20, {19: 3, 20: 7}, created=True)))
    customers = file_of(parsed, "customers.csv")
    assert customers.role == "customers" and customers.mapping.columns["customer_id"] == "id"
    people = per_customer(parsed)
    assert not any("created" in names for names in people.values())  # the sign-up of 'Created (UTC)'
    assert sorted(c for c, names in people.items() if "purchase" in names) == sorted(f"cus_{k}" for k in range(1, 21))


def test_guest_checkout_pairs_at_a_realistic_rate_still_let_the_other_e_mails_join():
    # 20 Stripe customers (no created column: a customers file keyed by 'id'), cus_19 and cus_20 guest duplicates of
    # cus_3 and cus_7 (10% of the customers, 20% of the rows in a pair). By hand: u1, u2, u5 are each one customer's
    # e-mail: their opens are cus_1's, cus_2's, cus_5's: 20 people.
    parsed = load(("payments.csv", payments(20)), ("mailchimp.csv", OPENS_1_2_5),
                  ("customers.csv", stripe_customers(20, {19: 3, 20: 7})))
    assert file_of(parsed, "customers.csv").mapping.columns["customer_id"] == "id"
    people = per_customer(parsed)
    assert len(people) == 20 and people["cus_1"] == ["open", "purchase"]


HUBSPOT_CONTACTS = ("Record ID,First Name,Email,Additional email addresses,Lifecycle Stage\n"
                    "101,Ann,ann@x.com,ann.work@corp.com,customer\n102,Bob,bob@x.com,,customer\n"
                    "103,Cid,cid@x.com,,lead\n104,Dee,dee@x.com,,customer\n")
SHOPIFY_BY_EMAIL = ("Name,Email,Created at,Total\n#1,ann@x.com,2024-01-01 10:00,50\n#2,bob@x.com,2024-01-02 10:00,30\n"
                    "#3,dee@x.com,2024-01-03 10:00,20\n")
OPENS_WORK = "Email Address,Action,Timestamp\nann.work@corp.com,open,2024-02-01 10:00\nbob@x.com,open,2024-02-01 11:00\n"


def test_hubspot_contacts_keyed_by_e_mail_join_the_shopify_orders_and_the_opens_of_their_main_e_mail():
    # The contacts file is keyed by 'Email' (the orders' and opens' id). bob@x.com's open and order are one person.
    # 3 + 2 + 4 rows in, 9 used.
    parsed = load(("orders_export.csv", SHOPIFY_BY_EMAIL), ("mailchimp.csv", OPENS_WORK),
                  ("contacts.csv", HUBSPOT_CONTACTS))
    assert file_of(parsed, "contacts.csv").mapping.columns["customer_id"] == "Email"
    assert per_customer(parsed)["bob@x.com"] == ["open", "purchase"]
    assert accounting(parsed) == (9, 9, 0)


def test_a_hubspot_contacts_additional_e_mail_joins_the_opens_of_that_mailbox():
    # Ann's 'Additional email addresses' is ann.work@corp.com, on her row only (most contacts have none, as in a real
    # HubSpot export). By hand: ann.work@corp.com's open is Ann's: people ann@x.com [open, purchase], bob@x.com
    # [open, purchase], dee@x.com [purchase] = 3.
    parsed = load(("orders_export.csv", SHOPIFY_BY_EMAIL), ("mailchimp.csv", OPENS_WORK),
                  ("contacts.csv", HUBSPOT_CONTACTS))
    people = per_customer(parsed)
    assert len(people) == 3 and people["ann@x.com"] == ["open", "purchase"]
    notes = file_of(parsed, "contacts.csv").notes
    assert ("'Additional email addresses' also names this file's customers: 1 of the events' customer ids (such as "
            "'ann.work@corp.com') is the 'Additional email addresses' of a customer here, so their events are that "
            "customer's (here 'ann@x.com'): one person, not two." in notes)
    assert any("untick" in n for n in notes)  # and how to undo it
    assert accounting(parsed) == (9, 9, 0)  # 3 orders + 2 opens + 4 contacts, none rejected


def hubspot_contacts(additional: dict[str, str], column: str = "Additional email addresses", more: int = 0) -> str:
    """The 4 contacts above (and `more` contacts c1@x.com.. beside them), `additional` (first name -> value) filling
    their second column on those rows only."""
    rows = [("101", "Ann", "ann@x.com"), ("102", "Bob", "bob@x.com"), ("103", "Cid", "cid@x.com"),
            ("104", "Dee", "dee@x.com")] + [(str(200 + k), f"C{k}", f"c{k}@x.com") for k in range(1, more + 1)]
    return f"Record ID,First Name,Email,{column}\n" + "".join(
        f"{r},{n},{e},{additional.get(n, '')}\n" for r, n, e in rows)


def test_a_sparse_e_mail_column_writing_one_address_on_two_contacts_joins_no_one():
    # 10 contacts; office@corp.com is the second address of Ann and Bob (a shared inbox), cid.home@y.com Cid's alone:
    # 3 of 10 rows filled (under half). Such a column is a second id only when no value repeats (one mailbox on two
    # rows names someone beside them): refused, cid.home@y.com too. By hand: ann@x.com, bob@x.com, dee@x.com
    # [purchase], office@corp.com and cid.home@y.com [open] = 5 people (Cid has no event under cid@x.com).
    opens = ("Email Address,Action,Timestamp\noffice@corp.com,open,2024-02-01 10:00\n"
             "cid.home@y.com,open,2024-02-01 11:00\n")
    contacts = hubspot_contacts({"Ann": "office@corp.com", "Bob": "office@corp.com", "Cid": "cid.home@y.com"}, more=6)
    parsed = load(("orders_export.csv", SHOPIFY_BY_EMAIL), ("mailchimp.csv", opens), ("contacts.csv", contacts))
    people = per_customer(parsed)
    assert len(people) == 5 and people["office@corp.com"] == people["cid.home@y.com"] == ["open"]
    assert not any("also names" in n for n in file_of(parsed, "contacts.csv").notes)


def test_a_sparse_e_mail_column_naming_another_contacts_main_address_joins_no_one():
    # Ann's additional address is ann.work@corp.com, Bob's is cid@x.com: Cid's own e-mail, another contact of the
    # file. A column naming another customer here names someone beside the row's customer: refused, ann.work too.
    # By hand: ann@x.com, bob@x.com, dee@x.com [purchase], cid@x.com [open], ann.work@corp.com [open] = 5 people.
    opens = ("Email Address,Action,Timestamp\nann.work@corp.com,open,2024-02-01 10:00\n"
             "cid@x.com,open,2024-02-01 11:00\n")
    parsed = load(("orders_export.csv", SHOPIFY_BY_EMAIL), ("mailchimp.csv", opens),
                  ("contacts.csv", hubspot_contacts({"Ann": "ann.work@corp.com", "Bob": "cid@x.com"}, more=1)))
    people = per_customer(parsed)
    assert len(people) == 5 and people["ann.work@corp.com"] == ["open"] and people["cid@x.com"] == ["open"]
    assert not any("also names" in n for n in file_of(parsed, "contacts.csv").notes)


def test_a_work_e_mail_on_every_contact_joins_the_opens_of_the_work_mailboxes_beside_a_key_of_e_mails():
    # Every contact has a 'Work email' (ann.work@corp.com .. dee.work@corp.com); the opens come from Ann's and Bob's
    # work mailboxes and Bob's main one, so the e-mail tool holds both kinds, as every e-mail tool does. By hand:
    # ann@x.com [open, purchase], bob@x.com [open, open, purchase], dee@x.com [purchase] = 3 people.
    work = {n: f"{n.lower()}.work@corp.com" for n in ("Ann", "Bob", "Cid", "Dee")}
    opens = ("Email Address,Action,Timestamp\nann.work@corp.com,open,2024-02-01 10:00\n"
             "bob.work@corp.com,open,2024-02-01 11:00\nbob@x.com,open,2024-02-01 12:00\n")
    parsed = load(("orders_export.csv", SHOPIFY_BY_EMAIL), ("mailchimp.csv", opens),
                  ("contacts.csv", hubspot_contacts(work, column="Work email")))
    assert per_customer(parsed) == {"ann@x.com": ["open", "purchase"], "bob@x.com": ["open", "open", "purchase"],
                                    "dee@x.com": ["purchase"]}


@pytest.mark.parametrize("column", ["Gift recipient email", "Emergency contact email", "Assistant email"])
def test_an_e_mail_column_named_for_someone_beside_the_contact_joins_no_one(column):
    # Ann's row names another person's mailbox (p1@y.com), who opened the newsletter. By hand: ann@x.com, bob@x.com,
    # dee@x.com [purchase], p1@y.com [open] = 4 people.
    opens = "Email Address,Action,Timestamp\np1@y.com,open,2024-02-01 10:00\n"
    parsed = load(("orders_export.csv", SHOPIFY_BY_EMAIL), ("mailchimp.csv", opens),
                  ("contacts.csv", hubspot_contacts({"Ann": "p1@y.com"}, column=column)))
    people = per_customer(parsed)
    assert len(people) == 4 and people["p1@y.com"] == ["open"]


def test_a_sparse_card_number_column_does_not_join_a_tills_customer_of_that_number():
    # 'Loyalty Card Number' filled on Ann's row only (7); the tills key purchases by card 7 and 9. A number on a few
    # rows may be another system's id by chance (only a mailbox is allowed on a few rows): card 7 stays its own.
    # By hand: ann@x.com, bob@x.com, dee@x.com [purchase], 7 and 9 [purchase] = 5 people.
    tills = "Customer ID,Date,Amount\n7,2024-01-03,8\n9,2024-01-04,5\n"
    parsed = load(("orders_export.csv", SHOPIFY_BY_EMAIL), ("pos.csv", tills),
                  ("contacts.csv", hubspot_contacts({"Ann": "7"}, column="Loyalty Card Number")))
    people = per_customer(parsed)
    assert len(people) == 5 and people["7"] == ["purchase"] and people["ann@x.com"] == ["purchase"]


def ids_file(keys, events) -> tuple:
    customers = "Customer Number,Plan\n" + "".join(f"{k},gold\n" for k in keys)
    log = "customer_id,timestamp,event\n" + "".join(f"{e},2024-01-0{i + 1},purchase\n" for i, e in enumerate(events))
    return ("events.csv", log), ("customers.csv", customers)


def test_negative_ids_written_with_decimals_join_the_events_ids():
    # -42.0, -43.0, 44.0 are the events' -42, -43, 44 written as decimals: each customer's Plan is gold, 3 customers.
    parsed = load(*ids_file(["-42.0", "-43.0", "44.0"], ["-42", "-43", "44"]))
    table = customers_table(parsed)
    assert table.index.tolist() == ["-42", "-43", "44"] and table["Plan"].tolist() == ["gold"] * 3
    assert "3 ids in 'Customer Number' were written with decimals" in " ".join(file_of(parsed, "customers.csv").notes)


def test_zero_padded_ids_with_decimals_join_the_events_zero_padded_ids_but_not_their_bare_digits():
    # 0042.0 without its decimals is the events' 0042: joined. Beside events 42 and 43 nothing joins (a spreadsheet
    # that read them as numbers would have dropped the zeros too, writing 42.0): the file joins no one, and says so.
    parsed = load(*ids_file(["0042.0", "0043.0"], ["0042", "0043"]))
    assert customers_table(parsed).index.tolist() == ["0042", "0043"]
    parsed = load(*ids_file(["0042.0", "0043.0"], ["42", "43"]))
    assert customers_table(parsed).index.tolist() == ["0042.0", "0043.0"]
    assert any(n.startswith("No customer of this file has an event") for n in file_of(parsed, "customers.csv").notes)


def test_customer_codes_with_decimals_of_their_own_are_not_whole_ids_written_with_decimals():
    # 'Customer Code' 1.0, 1.1, 1.2, 2.0, 2.1 (an account and its sub-accounts); the events' customers 1, 2, 3 are
    # numbered by another system. By hand: no key is a whole id written as a decimal (the column has 1.1), so no
    # customer of the file joins: customers 1 and 2 get no Segment, and the file's codes stay as written.
    parsed = load(("events.csv", "customer_id,timestamp,event\n1,2024-01-01,purchase\n2,2024-01-02,purchase\n"
                                 "3,2024-01-03,purchase\n"),
                  ("customers.csv", "Customer Code,Segment\n1.0,a\n1.1,b\n1.2,c\n2.0,d\n2.1,e\n"))
    table = customers_table(parsed)
    assert "1" not in table.index and "2" not in table.index
