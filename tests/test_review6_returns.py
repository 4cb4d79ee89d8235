"""Review 6, returns and cancellations (DESIGN.md section 3): a row whose status says cancelled / returned /
refunded counts no money; reversal lines (negative amounts, C-invoices, events named refund / return) are
negative. Every expected value is worked out by hand from the literal CSV above it."""

import math

from cjm.customers.features import compute_customer_features
from cjm.data.dataset import build_dataset
from cjm.journey.abandonment import compute_checkout_abandonment
from tests.helpers import dataset, parsed_rows as rows, parsed_text as load, report_kpis as kpis


def spend(parsed) -> dict:
    features = compute_customer_features(build_dataset(parsed)).set_index("customer_id")
    return features["monetary"].to_dict()


ORDERS = ("customer_id,timestamp,event,amount,status\n"
          "A,2024-01-01,purchase,100,paid\n"
          "A,2024-01-10,purchase,50,REFUNDED\n"
          "B,2024-01-02,purchase,80,Cancelado\n"
          "B,2024-01-12,purchase,40,paid\n"
          "C,2024-01-03,checkout_started,,\n"
          "C,2024-01-03 00:10,purchase,30,voided\n"
          "D,2024-01-04,checkout_started,,\n"
          "D,2024-01-04 00:10,purchase,20,paid\n")


def test_an_orders_export_counts_only_the_money_of_orders_kept_whatever_the_case_or_language_of_the_status():
    # Kept: A 100, B 40, D 20 -> revenue 160, 3 orders, AOV 53.33. A's 50 REFUNDED, B's 80 "Cancelado" (Spanish),
    # C's 30 voided count 0. Before the fix: "Cancelado" was not read, revenue 240, AOV 60.
    parsed = load(ORDERS)
    events = rows(parsed)
    assert events["event"].tolist() == ["purchase", "return", "cancellation", "purchase", "checkout_started",
                                        "cancellation", "checkout_started", "purchase"]
    figures = kpis(parsed)
    assert figures["revenue"] == 160 and math.isclose(figures["average_order_value"], 160 / 3)


def test_a_cancelled_order_is_no_repeat_purchase_and_spend_per_customer_is_net():
    # Buyers of a kept order: A (100), B (40), D (20); nobody kept two orders: repeat-purchase rate 0 / 3.
    # Before the fix B's "Cancelado" 80 made B a repeat buyer: 1 / 3. Spend: A 100, B 40, C 0, D 20.
    parsed = load(ORDERS)
    assert kpis(parsed)["repeat_purchase_rate"] == 0.0
    assert spend(parsed) == {"A": 100, "B": 40, "C": 0, "D": 20}


def test_an_order_placed_then_voided_completed_its_checkout():
    # C and D started checkout and placed an order (C's later voided): checkout abandonment 0 / 2. cjm: 1 / 2.
    assert kpis(load(ORDERS))["checkout_abandonment"] == 0.0


def test_a_payments_log_refund_line_of_positive_amount_takes_the_payment_back():
    # Stripe-like log: a paid 100, then a 'refund' row of +100 with status refunded: a nets 0. b paid 60.
    # Net revenue 60. Before the fix the refund row counted 0 (read as "order and reversal at once"): 160.
    parsed = load("customer_email,created,type,amount,status\n"
                  "a@x.com,2024-01-01,payment,100,succeeded\na@x.com,2024-01-05,refund,100,refunded\n"
                  "b@x.com,2024-01-02,payment,60,succeeded\n")
    events = rows(parsed)
    assert events["revenue"].tolist() == [100, -100, 60]
    assert kpis(parsed)["revenue"] == 60
    assert spend(parsed) == {"a@x.com": 0, "b@x.com": 60}


def test_a_refund_event_without_a_status_column_takes_money_back_too():
    # order_completed 80 then refund 30 (written positive): net 50. Before: 110.
    parsed = load("user_id,event_time,event_name,value\n"
                  "u1,2024-02-01 10:00,order_completed,80\nu1,2024-02-03 10:00,refund,30\n")
    assert kpis(parsed)["revenue"] == 50


def test_a_refund_requested_is_not_yet_money_back_nor_money_in():
    # refund_requested 30 is a request, not a refund and not a sale: revenue stays 80.
    parsed = load("user_id,event_time,event_name,value\n"
                  "u1,2024-02-01 10:00,order_completed,80\nu1,2024-02-03 10:00,refund_requested,30\n")
    assert kpis(parsed)["revenue"] == 80


def test_a_failed_payment_counts_no_money():
    # b paid 60 and a 30 payment failed: revenue 60. cjm: 90.
    parsed = load("customer_email,created,type,amount,status\n"
                  "b@x.com,2024-01-02,payment,60,succeeded\nb@x.com,2024-01-03,payment,30,failed\n")
    assert kpis(parsed)["revenue"] == 60


def test_an_orders_status_repeated_on_each_of_its_events_renames_only_the_purchase():
    # A's order was refunded (its status on every event): A still added to cart and started checkout; only
    # the purchase row, which carries the money, becomes the 'return' (0). Before: all three read 'return'.
    parsed = load("customer_id,timestamp,event,amount,order_status\n"
                  "A,2024-01-01 10:00,add_to_cart,,refunded\nA,2024-01-01 10:05,checkout_started,,refunded\n"
                  "A,2024-01-01 10:10,purchase,100,refunded\nB,2024-01-01 11:00,add_to_cart,,delivered\n"
                  "B,2024-01-01 11:10,purchase,60,delivered\n")
    events = rows(parsed)
    assert events["event"].tolist() == ["add_to_cart", "checkout_started", "return", "add_to_cart", "purchase"]
    assert kpis(parsed)["revenue"] == 60


def test_an_accounts_state_is_not_the_state_of_its_invoices():
    # A paid two invoices of 30 and later cancelled the account ("account_state: cancelled" on every row):
    # the invoices were paid. Revenue 4 x 30 = 120, A's spend 60. Before the fix: A's invoices counted 0 (60).
    parsed = load("customer_id,invoice_date,event,amount,account_state\n"
                  "A,2024-01-01,invoice_paid,30,cancelled\nA,2024-02-01,invoice_paid,30,cancelled\n"
                  "B,2024-01-01,invoice_paid,30,active\nB,2024-02-01,invoice_paid,25,active\n")
    assert rows(parsed)["event"].tolist() == ["invoice_paid"] * 4
    assert kpis(parsed)["revenue"] == 115
    assert spend(parsed) == {"A": 60, "B": 55}


def test_online_retail_c_invoices_stay_negative_beside_a_status_column():
    # 536365: 2 x 10 = 20 completed; C536379: -1 x 10 = -10 (status "Cancelled" too: still one reversal, -10,
    # not 0); 536366: 3 x 5 = 15. Net 25.
    parsed = load("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Status\n"
                  "536365,A1,2,2010-12-01 08:26,10,17850,Completed\n"
                  "C536379,A1,-1,2010-12-01 09:41,10,17850,Cancelled\n"
                  "536366,B2,3,2010-12-01 08:28,5,13047,Completed\n")
    events = rows(parsed)
    assert events["revenue"].tolist() == [20, -10, 15]
    assert events["event"].tolist()[1] == "cancellation"
    assert kpis(parsed)["revenue"] == 25


def test_a_wide_shopify_order_voided_with_a_cancelled_date_counts_nothing_once():
    # #1 100 voided (created, cancelled): 0, not -100; #2 60 refunded (created, paid, cancelled): 0; #3 40 paid.
    # Revenue 40.
    parsed = load("Name,Email,Financial Status,Created at,Paid at,Cancelled at,Total\n"
                  "#1,a@x.com,voided,2024-01-01 10:00,,2024-01-01 12:00,100\n"
                  "#2,b@x.com,refunded,2024-01-02 10:00,2024-01-02 11:00,2024-01-03 10:00,60\n"
                  "#3,c@x.com,paid,2024-01-02 10:00,2024-01-02 11:00,,40\n")
    assert parsed.files[0].mapping.shape == "wide"
    assert kpis(parsed)["revenue"] == 40


def test_a_partially_refunded_order_counts_its_total_less_the_refunded_amount():
    # #1 100 partially_refunded with 30 refunded: 70; #2 60 paid. Revenue 130. cjm: 160.
    parsed = load("Name,Email,Financial Status,Created at,Total,Refunded Amount\n"
                  "#1,a@x.com,partially_refunded,2024-01-01 10:00,100,30\n#2,b@x.com,paid,2024-01-02 10:00,60,0\n")
    assert kpis(parsed)["revenue"] == 130


def test_a_wide_order_cancelled_by_its_status_alone_is_no_repeat_purchase():
    # a: o1 50 paid, o2 70 status cancelled (no cancellation date): a bought once; b: o3 30. Repeat rate 0 / 2,
    # revenue 80, 2 orders, AOV 40.
    parsed = load("order_id,email,status,created_at,shipped_at,total\n"
                  "o1,a@x.com,paid,2024-01-01 10:00,2024-01-02 10:00,50\n"
                  "o2,a@x.com,Cancelled,2024-01-05 10:00,,70\n"
                  "o3,b@x.com,paid,2024-01-06 10:00,2024-01-07 10:00,30\n")
    assert parsed.files[0].mapping.shape == "wide"
    figures = kpis(parsed)
    assert (figures["revenue"], figures["average_order_value"], figures["repeat_purchase_rate"]) == (80, 40, 0.0)


def test_a_subscription_cancelled_without_a_refund_takes_no_money_back():
    # A paid 30 in January and 30 in February, then cancelled (the row repeats the plan price 30): revenue 60.
    parsed = load("customer_id,timestamp,event,amount\n"
                  "A,2024-01-01,invoice_paid,30\nA,2024-02-01,invoice_paid,30\nA,2024-02-10,subscription_cancelled,30\n")
    assert kpis(parsed)["revenue"] == 60


def test_checkout_abandonment_reads_an_order_settled_by_its_status_as_placed_and_a_reversal_line_as_none():
    log = [("a", "2024-01-01 00:00", "checkout_started", None), ("a", "2024-01-01 00:10", "cancellation", 0.0),
            ("b", "2024-01-02 00:00", "checkout_started", None), ("b", "2024-01-02 00:10", "cancellation", -30.0),
            ("c", "2024-01-03 00:00", "checkout_started", None), ("c", "2024-01-03 00:10", "return", 0.0),
            ("d", "2024-01-04 00:00", "checkout_started", None), ("d", "2024-01-04 00:10", "purchase", 20.0),
            ("e", "2024-01-20 00:00", "page_view", None)]
    ds = dataset(log, ("customer_id", "timestamp", "event", "revenue"))
    # Data end 20 Jan: every 7-day window (1-4 Jan) has closed. a's voided order ('cancellation' of money 0) and
    # c's refunded one ('return' of 0) were placed: their checkouts completed; b's 'cancellation' of -30 is a reversal
    # line (a C-invoice), no order: b abandoned. 1 / 4 = 0.25 (read as abandoning, a and c made it 3 / 4)
    out = compute_checkout_abandonment(ds)
    assert (out["started"], out["purchased"], out["abandoned"], out["in_progress"]) == (4, 3, 1, 0)
    assert out["rate"] == 0.25
    # purchase events chosen by the analyst: only those complete a checkout: a, b, c abandoned, 3 / 4
    assert compute_checkout_abandonment(ds, purchase_events=["purchase"])["rate"] == 0.75
