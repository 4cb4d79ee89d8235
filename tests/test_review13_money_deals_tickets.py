"""Review 13: the repeat-purchase rate with reversals (cjm.journey.kpis), deals without a close date and deal stage
histories (cjm.data.deals), and which exports are a help desk's or name their records' type (cjm.data.columns,
cjm.data.tickets), tried on realistic exports (Online Retail, Shopify, Stripe, WooCommerce, HubSpot, Pipedrive,
Salesforce, Zendesk, Jira, Intercom, ServiceNow) and on exports that are no help desk nor deals (a magazine's issues,
insurance claims, HR requests, a CRM's activities). Every expected value is worked out by hand in the comment beside
it; a defect not fixed here is a strict xfail saying what cjm does instead."""

from __future__ import annotations

import pytest

from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, parse_files
from cjm.journey.kpis import compute_kpis
from tests.helpers import dataset, parsed_rows as rows, parsed_text as load, report_kpis as kpis


def accounted(parsed, rows_in: int, used: int) -> bool:
    """rows in = rows used + rows rejected, with the counts expected by hand."""
    a = parsed.accounting
    return (a.rows_in, a.rows_used, a.rows_rejected) == (rows_in, used, rows_in - used)


def mapped(text: str, mapping: ColumnMapping):
    """An upload read with the mapping a user set in the mapping editor."""
    return parse_files([SourceFile("export.csv", text.encode())], mappings={"export.csv": mapping})


def repeat_rate(rows_) -> float:
    k = compute_kpis(dataset(rows_, ("customer_id", "timestamp", "event", "revenue")), period="all").set_index("name")
    return k.loc["repeat_purchase_rate", "value"]


# ---------------------------------------------------------------- 1. the repeat-purchase rate and reversals

ONLINE_RETAIL = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
                 "536365,A,MUG,2,2010-12-01 08:26,10.00,17850,UK\n"
                 "536365,B,TEA,1,2010-12-01 08:26,5.00,17850,UK\n"
                 "536366,A,MUG,1,2010-12-02 09:00,10.00,17850,UK\n"
                 "C536367,B,TEA,-1,2010-12-03 09:00,5.00,17850,UK\n"
                 "536368,A,MUG,1,2010-12-01 10:00,19.99,12000,UK\n"
                 "536369,A,MUG,1,2010-12-02 10:00,19.99,12000,UK\n"
                 "C536370,A,MUG,-1,2010-12-03 10:00,19.99,12000,UK\n")


def test_online_retail_c_invoices_undo_a_whole_order_but_not_one_line_of_an_order_of_several_lines():
    # 17850: 536365 (2 x 10 + 5 = 25) and 536366 (10); C536367 takes back 5, one line of 536365: a partial
    # cancellation, both orders stay purchases -> a repeat buyer. 12000: 19.99 twice, C536370 takes one back in
    # full -> bought once. Repeat rate 1 / 2. Revenue 25 + 10 - 5 + 19.99 + 19.99 - 19.99 = 49.99; orders (moments of
    # positive money) 4, of which 12000's second 19.99 is taken back whole by C536370: 3 orders kept (review 17: a fully
    # cancelled order is no order; until then 49.99 / 4): AOV 49.99 / 3 = 16.6633. 7 rows in, 7 used.
    parsed = load(ONLINE_RETAIL)
    figures = kpis(parsed)
    assert figures["repeat_purchase_rate"] == 0.5
    assert figures["revenue"] == pytest.approx(49.99)
    assert figures["average_order_value"] == pytest.approx(49.99 / 3)
    assert accounted(parsed, 7, 7)


def test_three_orders_of_one_amount_refunded_once_leave_two_and_line_items_add_up_to_the_cent():
    # a: 100 three times, one refund of 100 -> 2 purchases kept (repeat). b: one order of 59.97 taken back by three
    # lines of -19.99 at one moment (-59.97) -> no buyer. c: an order of three lines of 19.99 (59.97, floats sum to
    # 59.970000000000006) refunded by one line of -59.97, then 5 -> bought once. Buyers a, c; repeat a: 1 / 2.
    text = ("customer_id,timestamp,event,sku,revenue\n"
            "a,2024-01-01 10:00,purchase,A,100\na,2024-01-02 10:00,purchase,A,100\n"
            "a,2024-01-03 10:00,purchase,A,100\na,2024-01-04 10:00,refund,A,-100\n"
            "b,2024-01-01 10:00,purchase,A,59.97\nb,2024-01-02 10:00,refund,A1,-19.99\n"
            "b,2024-01-02 10:00,refund,A2,-19.99\nb,2024-01-02 10:00,refund,A3,-19.99\n"
            "c,2024-01-01 10:00,purchase,A1,19.99\nc,2024-01-01 10:00,purchase,A2,19.99\n"
            "c,2024-01-01 10:00,purchase,A3,19.99\nc,2024-01-05 10:00,refund,A,-59.97\n"
            "c,2024-01-06 10:00,purchase,B,5\n")
    parsed = load(text)
    assert kpis(parsed)["repeat_purchase_rate"] == 0.5
    # revenue 300 - 100 + 59.97 - 59.97 + 59.97 - 59.97 + 5 = 205; 13 rows in, 13 used (the sku tells lines apart)
    assert kpis(parsed)["revenue"] == pytest.approx(205)
    assert accounted(parsed, 13, 13)


def test_a_refund_before_two_purchases_of_its_amount_undoes_neither():
    # a: -30 on 1 Jan (an order before the data), 30 on 5 Jan and 30 on 9 Jan: 2 purchases -> 1 / 1
    assert repeat_rate([("a", "2024-01-01", "refund", -30.0), ("a", "2024-01-05", "purchase", 30.0),
                        ("a", "2024-01-09", "purchase", 30.0)]) == 1.0


def test_a_refund_between_two_purchases_of_its_amount_undoes_one():
    # a: 30 on 1 Jan, -30 on 3 Jan, 30 on 9 Jan: one of the 30s taken back -> 1 purchase, 0 / 1
    assert repeat_rate([("a", "2024-01-01", "purchase", 30.0), ("a", "2024-01-03", "refund", -30.0),
                        ("a", "2024-01-09", "purchase", 30.0)]) == 0.0


def test_a_shopify_orders_export_with_a_refunded_financial_status_counts_that_order_as_no_purchase():
    # One row per order: a: #1 100 refunded, #2 60 paid -> bought once; b: #3 60, #4 40 -> twice. 1 / 2.
    # Revenue 60 + 60 + 40 = 160 (the refunded order counts none).
    parsed = load("Name,Email,Financial Status,Created at,Total\n#1,a@x.com,refunded,2024-01-01 10:00,100\n"
                  "#2,a@x.com,paid,2024-01-05 10:00,60\n#3,b@x.com,paid,2024-01-02 10:00,60\n"
                  "#4,b@x.com,paid,2024-01-03 10:00,40\n")
    figures = kpis(parsed)
    assert figures["repeat_purchase_rate"] == 0.5 and figures["revenue"] == 160
    assert accounted(parsed, 4, 4)


STRIPE = ("id,Created (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,Converted Amount Refunded,"
          "Converted Currency,Status,Refunded date (UTC),Customer ID,Customer Email\n"
          "ch_1,2024-01-01 10:00:00,50.00,0.00,usd,true,50.00,0.00,usd,Paid,,cus_A,a@x.com\n"
          "ch_2,2024-01-05 10:00:00,50.00,50.00,usd,true,50.00,50.00,usd,Refunded,2024-01-06 10:00:00,cus_A,a@x.com\n"
          "ch_3,2024-01-02 10:00:00,20.00,5.00,usd,true,20.00,5.00,usd,Partially Refunded,2024-01-03 10:00:00,cus_B,"
          "b@x.com\n"
          "ch_4,2024-01-04 10:00:00,30.00,0.00,usd,true,30.00,0.00,usd,Paid,,cus_B,b@x.com\n"
          "ch_5,2024-01-04 11:00:00,99.00,0.00,usd,false,99.00,0.00,usd,Failed,,cus_C,c@x.com\n"
          "ch_6,2024-01-07 11:00:00,99.00,0.00,usd,true,99.00,0.00,usd,Paid,,cus_C,c@x.com\n")


def test_a_stripe_payments_export_with_refunds_and_a_failed_charge():
    # cus_A: ch_1 50 paid, ch_2 50 refunded in full -> 1 purchase. cus_B: ch_3 20 with 5 refunded (partial: still a
    # purchase) and ch_4 30 -> 2. cus_C: ch_5 failed (no money moved), ch_6 99 -> 1. Repeat rate 1 / 3.
    # Revenue 50 + (20 - 5) + 30 + 99 = 194; orders of positive money 50, 20, 30, 99: AOV 194 / 4 = 48.5.
    parsed = load(STRIPE)
    figures = kpis(parsed)
    assert figures["repeat_purchase_rate"] == pytest.approx(1 / 3)
    assert figures["revenue"] == 194 and figures["average_order_value"] == 48.5
    assert accounted(parsed, 6, 6)


def test_a_woocommerce_line_items_export_with_a_refunded_order_and_a_partial_refund():
    # a: 1001 (45, two lines, the total repeated on each) kept, 1002 refunded (status) -> 1 purchase.
    # b: 1003 20, 1004 20 with 5 refunded -> 2 purchases. Repeat rate 1 / 2; revenue 45 + 20 + 15 = 80.
    parsed = load("Order Number,Order Status,Order Date,Customer User ID,Billing Email,Order Total Amount,"
                  "Order Refund Amount,Item #,Item Name,Quantity,Item Cost\n"
                  "1001,wc-completed,2024-01-01 10:00,7,a@x.com,45.00,0,1,Mug,1,15.00\n"
                  "1001,wc-completed,2024-01-01 10:00,7,a@x.com,45.00,0,2,Tee,1,30.00\n"
                  "1002,wc-refunded,2024-01-05 10:00,7,a@x.com,45.00,45.00,1,Mug,1,15.00\n"
                  "1002,wc-refunded,2024-01-05 10:00,7,a@x.com,45.00,45.00,2,Tee,1,30.00\n"
                  "1003,wc-completed,2024-01-02 10:00,8,b@x.com,20.00,0,1,Cap,1,20.00\n"
                  "1004,wc-completed,2024-01-03 10:00,8,b@x.com,20.00,5.00,1,Cap,1,20.00\n")
    figures = kpis(parsed)
    assert figures["repeat_purchase_rate"] == 0.5 and figures["revenue"] == 80
    assert accounted(parsed, 6, 6)


def test_a_deal_won_twice_after_being_reopened_is_one_purchase_of_its_account():
    # deal 1 (a): won 10 Feb, reopened, won again 15 Mar: one deal, its 1000 once -> a bought once. Deals 2 and 3 (b)
    # won: b bought twice. Repeat rate 1 / 2; revenue 1000 + 400 + 300 = 1700.
    parsed = load("deal_id,account_id,stage,date_entered,amount\n"
                  "1,a,Closed Won,2024-02-10,1000\n1,a,Negotiation,2024-03-01,1000\n1,a,Closed Won,2024-03-15,1000\n"
                  "2,b,Closed Won,2024-02-12,400\n3,b,Closed Won,2024-04-12,300\n")
    figures = kpis(parsed)
    assert figures["repeat_purchase_rate"] == 0.5 and figures["revenue"] == 1700


WIDE_REFUNDED = ("Order ID,Customer ID,Status,Order Date,Ship Date,Total\n"
                 "o1,a,Shipped,2024-01-01,2024-01-02,50\no2,a,Refunded,2024-01-05,2024-01-06,70\n"
                 "o3,b,Shipped,2024-01-03,2024-01-04,30\n")


def test_a_wide_order_export_named_by_order_date_counts_an_order_refunded_by_its_status_as_no_purchase():
    # a: o1 50 shipped, o2 70 refunded (status, no refund date) -> bought once; b: o3 30 -> once. Repeat 0 / 2.
    # (cjm before: o2's 'order' event, money 0, stayed a purchase-named moment: a read as a repeat buyer, 1 / 2.)
    parsed = load(WIDE_REFUNDED)
    assert kpis(parsed)["revenue"] == 80  # 50 + 30: this part holds
    assert kpis(parsed)["repeat_purchase_rate"] == 0.0


def test_a_wide_order_refunded_by_its_status_reads_return_on_its_first_event_and_the_data_page_says_so():
    # As a long export's row: o2's first event (its Order Date, where its money counts) reads 'return' with money 0;
    # its Ship Date stays 'ship' (the parcel went). 3 records in, 3 used; one note says which record and what it reads.
    parsed = load(WIDE_REFUNDED)
    events = rows(parsed)
    assert events["event"].tolist() == ["order", "ship", "return", "ship", "order", "ship"]
    assert events.loc[[0, 2, 4], "revenue"].tolist() == [50, 0, 30] and events.loc[[1, 3, 5], "revenue"].isna().all()
    assert accounted(parsed, 3, 3)
    note = next(n for n in parsed.files[0].notes if "whose status says" in n)
    assert note.startswith("1 record whose status says cancelled, returned or refunded")
    assert "the first event of each reads 'return', not a purchase" in note


def test_a_wide_order_cancelled_by_its_status_and_a_date_is_no_purchase_and_a_declined_one_neither():
    # a: o1 50, o2 70 cancelled (status Cancelled and a Cancelled Date): o2's 'order' reads 'cancellation' (0), its
    # 'cancelled' takes nothing more back -> a bought once; b: o3 30 and o4 20 -> twice. Repeat 1 / 2, revenue 100.
    parsed = load("Order ID,Customer ID,Status,Order Date,Cancelled Date,Total\n"
                  "o1,a,Shipped,2024-01-01,,50\no2,a,Cancelled,2024-01-05,2024-01-06,70\n"
                  "o3,b,Shipped,2024-01-03,,30\no4,b,Shipped,2024-01-08,,20\n")
    assert rows(parsed)["event"].tolist() == ["order", "cancellation", "cancelled", "order", "order"]
    figures = kpis(parsed)
    assert (figures["repeat_purchase_rate"], figures["revenue"]) == (0.5, 100)
    # c: p1 50 paid, p2 70 declined (no money moved): p2's 'order' reads 'failed payment' as in a long export ->
    # c bought once; d: p3 30 -> once. Repeat 0 / 2, revenue 80.
    parsed = load("Order ID,Customer ID,Payment Status,Order Date,Paid Date,Total\n"
                  "p1,c,Paid,2024-01-01,2024-01-01,50\np2,c,Declined,2024-01-05,,70\n"
                  "p3,d,Paid,2024-01-03,2024-01-03,30\n")
    assert rows(parsed)["event"].tolist() == ["order", "paid", "failed payment", "order", "paid"]
    figures = kpis(parsed)
    assert (figures["repeat_purchase_rate"], figures["revenue"]) == (0.0, 80)


def test_a_wide_record_without_money_keeps_its_events_names_whatever_its_state_says():
    # An incidents export (no amount): INC2's State says Canceled, but the ticket was opened and closed; with no money
    # nothing is a purchase to undo: its events keep their names.
    parsed = load("Number,Caller,State,Opened,Closed\nINC1,a,Closed,2024-01-01 10:00,2024-01-02 10:00\n"
                  "INC2,a,Canceled,2024-01-03 10:00,2024-01-03 11:00\n")
    assert parsed.files[0].mapping.shape == "wide"
    assert rows(parsed)["event"].tolist() == ["ticket opened", "closed", "ticket opened", "closed"]


def test_an_order_refunded_in_full_in_two_parts_is_no_purchase():
    # d: 30 on 1 Jan, refunds of 15 on 2 and 3 Jan (the whole 30 back), 10 on 4 Jan: bought once (the 10). 0 / 1.
    # (cjm before: one reversal undid only a purchase of exactly its amount, d read as a repeat buyer, 1 / 1.)
    assert repeat_rate([("d", "2024-01-01", "purchase", 30.0), ("d", "2024-01-02", "refund", -15.0),
                        ("d", "2024-01-03", "refund", -15.0), ("d", "2024-01-04", "purchase", 10.0)]) == 0.0


def test_an_order_refunded_in_two_parts_that_never_reach_its_amount_stays_a_purchase():
    # a: 30 on 1 Jan, 10 back on 2 Jan and 10 on 3 Jan (20 of 30: partial), 20 on 5 Jan: two purchases. 1 / 1.
    assert repeat_rate([("a", "2024-01-01", "purchase", 30.0), ("a", "2024-01-02", "refund", -10.0),
                        ("a", "2024-01-03", "refund", -10.0), ("a", "2024-01-05", "purchase", 20.0)]) == 1.0


def test_two_orders_refunded_in_parts_undo_as_many_orders_as_the_parts_add_up_to():
    # a: 30 on 1 and 2 Jan, then 15 back on 3, 4, 5 and 6 Jan: 15 + 15 = 30 undoes the first, the next 15 + 15 the
    # second (running totals 15, 30, 45, 60 meet 30 and 30 + 30): no purchase. b: 10 on 1 and 8 Jan. Repeat b: 1 / 1.
    # a2: the same with only the 15s of 3 and 4 Jan: one order undone, bought once. Buyers a2, b: 1 / 2.
    b = [("b", "2024-01-01", "purchase", 10.0), ("b", "2024-01-08", "purchase", 10.0)]
    two = [("a", "2024-01-01", "purchase", 30.0), ("a", "2024-01-02", "purchase", 30.0)]
    assert repeat_rate(two + [("a", f"2024-01-0{d}", "refund", -15.0) for d in (3, 4, 5, 6)] + b) == 1.0
    assert repeat_rate(two + [("a", f"2024-01-0{d}", "refund", -15.0) for d in (3, 4)] + b) == 0.5


def test_the_newest_order_refunded_in_parts_or_two_orders_refunded_at_once_are_no_purchases():
    # a: 20 on 1 Jan, 30 on 2 Jan, 15 back on 3 and 4 Jan: 15 + 15 is the newest order's 30 (the oldest's 20 is met
    # by no running total): bought once. c: 20 and 30, one refund of 50 on 3 Jan (20 + 30, no order of 50): both
    # undone, no buyer. b: 10 twice. Buyers a, b; repeat b: 1 / 2.
    assert repeat_rate([("a", "2024-01-01", "purchase", 20.0), ("a", "2024-01-02", "purchase", 30.0),
                        ("a", "2024-01-03", "refund", -15.0), ("a", "2024-01-04", "refund", -15.0),
                        ("c", "2024-01-01", "purchase", 20.0), ("c", "2024-01-02", "purchase", 30.0),
                        ("c", "2024-01-03", "refund", -50.0),
                        ("b", "2024-01-01", "purchase", 10.0), ("b", "2024-01-08", "purchase", 10.0)]) == 0.5


def test_refunds_in_parts_add_up_to_the_cent():
    # a: 0.30 on 1 Jan, 0.10 and 0.20 back on 2 and 3 Jan (as floats 0.1 + 0.2 is 0.30000000000000004; in cents
    # 10 + 20 = 30, exact), 1.00 on 5 Jan: bought once. b: 10 twice. Repeat b: 1 / 2.
    assert repeat_rate([("a", "2024-01-01", "purchase", 0.3), ("a", "2024-01-02", "refund", -0.1),
                        ("a", "2024-01-03", "refund", -0.2), ("a", "2024-01-05", "purchase", 1.0),
                        ("b", "2024-01-01", "purchase", 10.0), ("b", "2024-01-08", "purchase", 10.0)]) == 0.5


def test_an_order_taken_back_whole_and_in_parts_is_undone_once_and_leaves_the_other_order():
    # a: 30 on 1 Jan, 40 on 2 Jan; 30 back on 3 Jan (whole: the 30) and 15 + 15 on 4 and 5 Jan (parts: also the
    # oldest order's 30, never the 40): the 30 undone once, the 40 kept -> bought once. b: 10 twice. 1 / 2.
    assert repeat_rate([("a", "2024-01-01", "purchase", 30.0), ("a", "2024-01-02", "purchase", 40.0),
                        ("a", "2024-01-03", "refund", -30.0), ("a", "2024-01-04", "refund", -15.0),
                        ("a", "2024-01-05", "refund", -15.0),
                        ("b", "2024-01-01", "purchase", 10.0), ("b", "2024-01-08", "purchase", 10.0)]) == 0.5


def test_an_online_retail_invoice_cancelled_line_by_line_by_two_c_invoices_is_no_purchase():
    # 17850: 536365 (2 x 10 + 5 = 25) on 1 Dec, 536366 (10) on 2 Dec; C536367 takes back the 5 on 3 Dec, C536368 the
    # 2 x 10 on 4 Dec: 5 + 20 = 25, the whole of 536365 -> bought once. 12000: 19.99 twice -> a repeat buyer. 1 / 2.
    # Revenue 25 + 10 - 5 - 20 + 19.99 + 19.99 = 49.98. 7 rows in, 7 used.
    parsed = load("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
                  "536365,A,MUG,2,2010-12-01 08:26,10.00,17850,UK\n536365,B,TEA,1,2010-12-01 08:26,5.00,17850,UK\n"
                  "536366,A,MUG,1,2010-12-02 09:00,10.00,17850,UK\nC536367,B,TEA,-1,2010-12-03 09:00,5.00,17850,UK\n"
                  "C536368,A,MUG,-2,2010-12-04 09:00,10.00,17850,UK\n"
                  "536369,A,MUG,1,2010-12-01 10:00,19.99,12000,UK\n536370,A,MUG,1,2010-12-02 10:00,19.99,12000,UK\n")
    figures = kpis(parsed)
    assert figures["repeat_purchase_rate"] == 0.5 and figures["revenue"] == pytest.approx(49.98)
    assert accounted(parsed, 7, 7)


@pytest.mark.xfail(strict=True, reason="A negative line at the very moment of another order (a discount or voided "
                   "line of that order) is read as a reversal of an earlier purchase of its amount: e's 5 of 1 Jan is "
                   "undone by the -5 discount line of the 2 Jan order, so e reads as bought once (0 / 1). Not fixed: "
                   "by amounts and times alone it cannot be told from a cancellation invoice written in the minute of "
                   "a corrected re-order (test_an_order_cancelled_and_placed_again_in_the_same_minute_is_one_purchase),"
                   " which the rule gets right; the invoice number would tell them apart (it does when the data has one: "
                   "tests/test_refund_references.py, the discount line with its order number).")
def test_a_discount_line_inside_a_later_order_undoes_no_earlier_purchase():
    # e: 5 on 1 Jan; on 2 Jan an order of 30 with a discount line of -5 (net 25): bought twice. 1 / 1.
    assert repeat_rate([("e", "2024-01-01 10:00", "purchase", 5.0), ("e", "2024-01-02 10:00", "purchase", 30.0),
                        ("e", "2024-01-02 10:00", "discount", -5.0)]) == 1.0


def test_an_order_cancelled_and_placed_again_in_the_same_minute_is_one_purchase():
    # Online Retail: 17850 buys 536400 (2 x 10 = 20) at 9:00, cancels it by C536401 (-20) at 9:30 and in that same
    # minute places the corrected 536402 (2 x 12 = 24): one purchase kept (536402). 13047 buys 15 twice: a repeat
    # buyer. Repeat rate 1 / 2; revenue 20 - 20 + 24 + 15 + 15 = 54.
    parsed = load("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
                  "536400,A,2,2010-12-01 09:00,10,17850\nC536401,A,-2,2010-12-01 09:30,10,17850\n"
                  "536402,A,2,2010-12-01 09:30,12,17850\n"
                  "536403,B,3,2010-12-02 10:00,5,13047\n536404,B,3,2010-12-05 10:00,5,13047\n")
    figures = kpis(parsed)
    assert figures["repeat_purchase_rate"] == 0.5 and figures["revenue"] == 54


def test_online_retail_rows_without_a_customer_are_set_aside_and_change_no_figure():
    # ONLINE_RETAIL plus a sale and its cancellation with no CustomerID: 9 rows in, 7 used, 2 rejected as missing
    # customer id; repeat rate 1 / 2 and revenue 49.99 as without them
    parsed = load(ONLINE_RETAIL + "536371,A,MUG,1,2010-12-04 10:00,10.00,,UK\n"
                                  "C536372,A,MUG,-1,2010-12-05 10:00,10.00,,UK\n")
    assert accounted(parsed, 9, 7)
    assert set(parsed.accounting.rejected["reason"]) == {"missing customer id"}
    figures = kpis(parsed)
    assert figures["repeat_purchase_rate"] == 0.5 and figures["revenue"] == pytest.approx(49.99)


@pytest.mark.xfail(strict=True, reason="A refund written in another currency than its order (108.00 USD for a 100 EUR "
                   "order: the payment provider's converted amount) is money in a currency revenue does not count "
                   "(cjm.data.currencies), so it takes nothing back and a reads as a repeat buyer (1 / 1).")
def test_a_refund_written_in_another_currency_undoes_its_order():
    # a: 100 EUR on 1 Jan, 100 EUR on 3 Jan, the 3 Jan order refunded as 108.00 USD on 5 Jan: bought once. 0 / 1.
    parsed = load("order_id,customer_id,created_at,total,currency\n1,a,2024-01-01 10:00,100,EUR\n"
                  "2,a,2024-01-03 10:00,100,EUR\n3,a,2024-01-05 10:00,-108.00,USD\n")
    assert kpis(parsed)["repeat_purchase_rate"] == 0.0


# ---------------------------------------------------------------- 2. deals

HUBSPOT_DEALS = ("Record ID,Deal Name,Deal Stage,Pipeline,Amount,Create Date,Close Date,Last Activity Date,"
                 "Next Activity Date\n"
                 "101,Acme renewal,Closed Won,Sales,1000,2024-01-05,,2024-01-20,2024-06-01\n"
                 "102,Beta,Closed Lost,Sales,500,2024-01-10,,,\n"
                 "103,Gamma,Appointment Scheduled,Sales,700,2024-02-01,2024-05-30,2024-02-03,2024-02-10\n"
                 "104,Delta,Closed Won,Sales,300,2024-01-12,2024-03-01,2024-02-25,\n")


def test_a_hubspot_deals_export_with_deals_won_or_lost_without_a_close_date():
    # Record ID is each row's customer here (no company column): 4 customers. Won: 101 (1000) and 104 (300): revenue
    # 1300, 2 orders, AOV 650, conversion 2 / 4. 102 lost on its only date (10 Jan). 4 rows in, 4 used.
    parsed = load(HUBSPOT_DEALS)
    figures = kpis(parsed)
    assert figures["revenue"] == 1300 and figures["average_order_value"] == 650
    assert figures["conversion_rate"] == 0.5
    frame = rows(parsed)
    lost = frame[frame["event"] == "deal lost"]
    assert lost["timestamp"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-10"]
    assert accounted(parsed, 4, 4)


def test_a_won_deal_without_a_close_date_is_won_on_its_last_activity_not_its_next_planned_one():
    # 101's latest date that happened is its Last Activity Date, 20 Jan; its Next Activity Date (1 Jun) is a plan,
    # not a step: deal won on 20 Jan with its 1000. No 'next activity' event at all.
    frame = rows(load(HUBSPOT_DEALS))
    won = frame[(frame["event"] == "deal won") & (frame["customer_id"] == "101")]
    assert won["timestamp"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-20"]
    assert won["revenue"].tolist() == [1000]
    assert "next activity" not in set(frame["event"])


def test_a_pipedrive_deal_won_without_a_won_time_is_won_on_its_creation_its_only_step():
    # Deal 1 (org1) Won, no won / close time, its update time is bookkeeping: won on its created date 5 Jan, 1000.
    # Deal 3 (org1) won 30 Jan, 200. Deal 2 (org2) lost on 10 Jan, deal 4 (org3) open. Revenue 1200.
    parsed = mapped("Deal - ID,Deal - Title,Deal - Organization,Deal - Status,Deal - Value,Deal - Deal created,"
                    "Deal - Won time,Deal - Lost time,Deal - Close time,Deal - Expected close date,Deal - Update time\n"
                    "1,A,org1,Won,1000,2024-01-05 10:00:00,,,,2024-02-01,2024-03-05 10:00:00\n"
                    "2,B,org2,Lost,500,2024-01-10 10:00:00,,,,2024-02-01,2024-02-05 10:00:00\n"
                    "3,C,org1,Won,200,2024-01-15 10:00:00,2024-01-30 10:00:00,,2024-01-30 10:00:00,2024-02-15,"
                    "2024-01-30 10:00:00\n"
                    "4,D,org3,Open,50,2024-01-20 10:00:00,,,,2024-03-01,2024-01-21 10:00:00\n",
                    ColumnMapping(columns={"customer_id": "Deal - Organization", "revenue": "Deal - Value"},
                                  shape="wide", wide_events=["Deal - Deal created", "Deal - Won time",
                                                             "Deal - Lost time", "Deal - Close time"],
                                  wide_due=["Deal - Expected close date"]))
    frame = rows(parsed)
    ends = frame[frame["event"].isin(["deal won", "deal lost"])]
    assert sorted(zip(ends["customer_id"], ends["event"], ends["timestamp"].dt.strftime("%Y-%m-%d"),
                      ends["revenue"].fillna(0))) == [
        ("org1", "deal won", "2024-01-05", 1000), ("org1", "deal won", "2024-01-30", 200),
        ("org2", "deal lost", "2024-01-10", 0)]
    assert kpis(parsed)["revenue"] == 1200
    assert accounted(parsed, 4, 4)


SALESFORCE_HISTORY = ("Opportunity ID,Account ID,Stage,Amount,Last Modified Date\n"
                      "006A,001a,Prospecting,1000,2024-01-05\n006A,001a,Closed Won,1000,2024-02-10\n"
                      "006A,001a,Closed Won,1200,2024-02-12\n"
                      "006B,001b,Prospecting,500,2024-01-07\n006B,001b,Closed Won,500,2024-02-01\n"
                      "006B,001b,Negotiation,500,2024-02-05\n006B,001b,Closed Lost,500,2024-02-20\n")


def test_a_salesforce_opportunity_history_reads_its_stage_as_the_event_and_keeps_every_row():
    # 7 rows in, 7 used; the Stage is each row's event
    parsed = load(SALESFORCE_HISTORY)
    assert parsed.files[0].mapping.columns["event"] == "Stage"
    assert rows(parsed)["event"].tolist() == ["Prospecting", "Closed Won", "Closed Won", "Prospecting", "Closed Won",
                                              "Negotiation", "Closed Lost"]
    assert accounted(parsed, 7, 7)


def test_a_stage_history_counts_a_deals_last_won_amount_and_nothing_for_a_deal_lost_in_the_end():
    # 006A won 10 Feb at 1000, amount raised to 1200 on 12 Feb while won: worth 1200. 006B won 1 Feb, reopened
    # (Negotiation 5 Feb), lost 20 Feb: earned nothing. Revenue 1200.
    # (cjm before: 1500, 006A's first won amount 1000 and 006B's 500.) Its money sits on 006A's first won row, 10 Feb.
    parsed = load(SALESFORCE_HISTORY)
    assert kpis(parsed)["revenue"] == 1200
    money = rows(parsed).query("revenue > 0")
    assert list(zip(money["customer_id"], money["timestamp"].dt.strftime("%Y-%m-%d"), money["revenue"])) == [
        ("001a", "2024-02-10", 1200)]


def test_a_won_deal_moved_on_to_a_post_sale_stage_still_counts():
    # deal 1 won 10 Feb (1000), then Onboarding 1 Mar (a stage after the sale, no outcome): still won, 1000 on
    # 10 Feb; deal 2 won 400. Revenue 1400. (A stage after a win is not read as a reopening: only a later lost row
    # takes a win back.)
    assert kpis(load("deal_id,account_id,stage,date_entered,amount\n1,a,Closed Won,2024-02-10,1000\n"
                     "1,a,Onboarding,2024-03-01,1000\n2,b,Closed Won,2024-02-12,400\n"))["revenue"] == 1400


# ---------------------------------------------------------------- 3. record type and help desks

ZENDESK = ("Id,Requester,Requester id,Subject,Status,Priority,Ticket type,Via,Created at,Updated at,Assigned at,"
           "Solved at\n"
           "101,Ann,9001,Help,solved,normal,question,email,2024-01-02 09:00,2024-01-03 09:00,2024-01-02 10:00,"
           "2024-01-03 08:00\n"
           "102,Bob,9002,Broken,open,high,incident,web,2024-01-03 09:00,2024-01-03 09:30,,\n"
           "103,Ann,9001,Again,solved,low,problem,chat,2024-01-05 09:00,2024-01-06 09:00,2024-01-05 09:10,"
           "2024-01-06 08:00\n")


def test_a_zendesk_tickets_export_with_its_ticket_type_column_is_a_help_desks():
    # Zendesk's own export has a "Ticket type" (question / incident / problem / task) beside its Requester and
    # "Solved at": a help desk, not tickets sold for an event. Ann (9001) raised 101 and 103, Bob (9002) 102: 3 / 2.
    parsed = load(ZENDESK)
    assert kpis(parsed)["support_contacts_per_customer"] == 1.5
    assert rows(parsed)["event"].tolist() == ["ticket created", "assigned", "solved", "ticket created",
                                              "ticket created", "assigned", "solved"]
    assert accounted(parsed, 3, 3)


def test_a_jira_service_management_export_mapped_by_its_reporter_counts_each_issue_once():
    # Issue key names each issue: a help desk's. alice reported SUP-1 and SUP-3, bob SUP-2: 3 / 2 = 1.5
    parsed = mapped("Summary,Issue key,Issue id,Issue Type,Status,Priority,Reporter,Created,Updated,Resolved,Due Date\n"
                    "Cannot log in,SUP-1,10001,Bug,Done,High,alice,2024-01-05 09:00,2024-01-07 09:00,2024-01-06 09:00,"
                    "2024-01-10\n"
                    "Refund?,SUP-2,10002,Question,Open,Low,bob,2024-01-06 09:00,2024-01-06 10:00,,\n"
                    "Again,SUP-3,10003,Bug,Done,High,alice,2024-01-08 09:00,2024-01-09 09:00,2024-01-09 08:00,\n",
                    ColumnMapping(columns={"customer_id": "Reporter"}, shape="wide",
                                  wide_events=["Created", "Resolved"], wide_due=["Due Date"]))
    assert rows(parsed)["event"].tolist() == ["ticket created", "resolved", "ticket created", "ticket created",
                                              "resolved"]
    assert kpis(parsed)["support_contacts_per_customer"] == 1.5


def test_an_intercom_conversations_export_counts_each_conversation_once():
    # Conversation ID names each conversation: u1 started c1 and c3, u2 c2: 3 / 2 = 1.5; the first response and the
    # close follow them up. Rating 5 and 2 are scores.
    parsed = load("Conversation ID,User ID,User email,Conversation started at,First response at,"
                  "Conversation closed at,Rating\n"
                  "c1,u1,a@x.com,2024-01-02 09:00,2024-01-02 09:10,2024-01-02 10:00,5\n"
                  "c2,u2,b@x.com,2024-01-03 09:00,,,\n"
                  "c3,u1,a@x.com,2024-01-04 09:00,2024-01-04 09:30,2024-01-04 11:00,2\n")
    assert kpis(parsed)["support_contacts_per_customer"] == 1.5
    assert accounted(parsed, 3, 3)


def test_a_servicenow_incidents_export_mapped_by_its_caller_counts_each_incident_once():
    # ServiceNow's incident list: number, caller_id, opened_at, resolved_at, closed_at. A caller whose incidents are
    # resolved and closed is a help desk's requester: u1 opened INC...1 and INC...3, u2 INC...2: 3 / 2 = 1.5
    parsed = mapped("number,caller_id,category,priority,state,opened_at,resolved_at,closed_at,short_description\n"
                    "INC0010001,u1,Network,2,Closed,2024-01-02 09:00:00,2024-01-02 12:00:00,2024-01-05 12:00:00,VPN\n"
                    "INC0010002,u2,Software,3,Resolved,2024-01-03 09:00:00,2024-01-04 12:00:00,,Outlook\n"
                    "INC0010003,u1,Hardware,3,New,2024-01-06 09:00:00,,,Laptop\n",
                    ColumnMapping(columns={"customer_id": "caller_id"}, shape="wide",
                                  wide_events=["opened_at", "resolved_at", "closed_at"]))
    assert kpis(parsed)["support_contacts_per_customer"] == 1.5
    assert rows(parsed)["event"].tolist()[:3] == ["ticket opened", "resolved", "closed"]


def test_a_magazines_issues_are_no_help_desk_tickets():
    # one row per issue sent to a subscriber ("Issue" is the magazine's issue: 2024-05, 2024-06): events shipped and
    # delivered, no support contact at all (cjm before: 3 'ticket opened', 1.5 a customer)
    parsed = load("Subscriber ID,Issue,Shipped Date,Delivered Date\ns1,2024-05,2024-05-01,2024-05-04\n"
                  "s1,2024-06,2024-06-01,2024-06-05\ns2,2024-05,2024-05-01,2024-05-03\n")
    assert rows(parsed)["event"].tolist() == ["shipped", "delivered", "shipped", "delivered", "shipped", "delivered"]
    assert kpis(parsed).get("support_contacts_per_customer") is None
    assert accounted(parsed, 3, 3)


def test_an_insurance_claims_export_named_by_case_id_is_no_help_desk():
    # claims (Case ID, Claim Type, Loss / Reported / Settled dates, Claim Amount): each claim is reported, not a
    # ticket raised at a help desk: events loss, reported, settled; no support contact (cjm before: 'ticket reported',
    # 1.5 a customer)
    parsed = load("Case ID,Customer ID,Claim Type,Loss Date,Reported Date,Settled Date,Claim Amount\n"
                  "CL1,p1,Auto,2024-01-01,2024-01-02,2024-02-01,1200\nCL2,p2,Home,2024-01-05,2024-01-09,,800\n"
                  "CL3,p1,Auto,2024-03-01,2024-03-02,2024-03-20,300\n")
    assert rows(parsed)["event"].tolist() == ["loss", "reported", "settled", "loss", "reported", "loss", "reported",
                                              "settled"]
    assert kpis(parsed).get("support_contacts_per_customer") is None


def test_an_hr_requests_export_completed_not_solved_is_no_help_desk():
    # Requester beside Submitted / Completed: completed follows up nothing (a request fulfilled), so no help desk:
    # events submitted, completed; no support contact
    parsed = load("Request ID,Requester,Request Type,Submitted,Completed\nR1,emp1,Leave,2024-01-02,2024-01-03\n"
                  "R2,emp2,Laptop,2024-01-04,2024-01-10\n")
    assert rows(parsed)["event"].tolist() == ["submitted", "completed", "submitted", "completed"]
    assert kpis(parsed).get("support_contacts_per_customer") is None


def test_a_crm_activities_export_with_a_deal_id_keeps_its_type_as_the_event():
    # one row per activity (a call, an e-mail, a meeting) of a deal, created and then done on its Activity Date: D1
    # has two activities of two types, so Type is no deal's type; it is the event, on each row's own date.
    parsed = load("Activity ID,Deal ID,Contact ID,Type,Activity Date,Created At\n"
                  "A1,D1,c1,Call,2024-01-02 10:00,2024-01-01 09:00\n"
                  "A2,D1,c1,Email,2024-01-03 10:00,2024-01-01 09:05\n"
                  "A3,D2,c2,Meeting,2024-01-05 10:00,2024-01-02 09:00\n")
    assert parsed.files[0].mapping.columns.get("event") == "Type"
    assert rows(parsed)["event"].tolist() == ["Call", "Email", "Meeting"]
    assert accounted(parsed, 3, 3)


def test_a_ticket_event_log_with_the_tickets_creation_date_on_each_row_keeps_its_type_as_the_event():
    # one row per ticket event (Type: created / replied / solved) with the ticket's creation repeated on each row:
    # ticket 1 has three types, so Type is the event. a raised ticket 1, b ticket 2: 2 contacts / 2 customers = 1
    parsed = load("Ticket ID,Customer ID,Type,Timestamp,Ticket created at\n"
                  "1,a,ticket_created,2024-01-01 10:00,2024-01-01 10:00\n"
                  "1,a,ticket_replied,2024-01-01 12:00,2024-01-01 10:00\n"
                  "1,a,ticket_solved,2024-01-02 10:00,2024-01-01 10:00\n"
                  "2,b,ticket_created,2024-01-03 10:00,2024-01-03 10:00\n")
    assert parsed.files[0].mapping.columns.get("event") == "Type"
    assert kpis(parsed)["support_contacts_per_customer"] == 1


def test_a_phone_log_of_callers_whose_calls_only_end_is_no_help_desk():
    # one row per call: Caller ID, Call started, Call ended; an ended call solves nothing, so no help desk: events
    # call started, call ended; no support contact by the help desk rule
    parsed = mapped("Call ID,Caller ID,Call started,Call ended\nK1,+441,2024-01-02 09:00,2024-01-02 09:05\n"
                    "K2,+442,2024-01-03 09:00,2024-01-03 09:10\n",
                    ColumnMapping(columns={"customer_id": "Caller ID"}, shape="wide",
                                  wide_events=["Call started", "Call ended"]))
    assert rows(parsed)["event"].tolist() == ["call started", "call ended", "call started", "call ended"]
    assert not any(n.startswith("Help desk export") for n in parsed.files[0].notes)


def test_two_accounts_opportunities_of_one_name_and_two_types_still_read_one_row_per_opportunity():
    # Salesforce opportunities named "Renewal" for two accounts, one New Business, one Existing Business: each row is
    # one opportunity (its account's), Type its kind; created + closed dates: read wide, 2 'deal won' of 2 accounts.
    parsed = load("Opportunity Name,Account ID,Type,Stage,Amount,Created Date,Close Date\n"
                  "Renewal,001a,Existing Business,Closed Won,100,2024-01-02,2024-02-01\n"
                  "Renewal,001b,New Business,Closed Won,300,2024-01-03,2024-02-05\n")
    assert parsed.files[0].mapping.shape == "wide" and "event" not in parsed.files[0].mapping.columns
    assert kpis(parsed)["revenue"] == 400


def test_a_hubspot_deal_stage_history_keyed_by_deal_name_counts_a_deal_won_twice_once():
    # no deal id, its name: "Acme 2024" (c1) won 10 Feb, back to Contract Sent, won again 1 Mar: one deal, 1000 once;
    # Beta (c2) 400. Revenue 1400 (cjm before: 2400); c1 bought once, c2 once: repeat rate 0 / 2 (before: 1 / 2).
    parsed = load("Deal Name,Account ID,Deal Stage,Amount,Date entered stage\n"
                  "Acme 2024,c1,Qualified,1000,2024-01-05\nAcme 2024,c1,Closed Won,1000,2024-02-10\n"
                  "Acme 2024,c1,Contract Sent,1000,2024-02-20\nAcme 2024,c1,Closed Won,1000,2024-03-01\n"
                  "Beta,c2,Closed Won,400,2024-02-12\n")
    figures = kpis(parsed)
    assert figures["revenue"] == 1400 and figures["repeat_purchase_rate"] == 0.0
    assert accounted(parsed, 5, 5)


def test_a_won_deal_without_any_date_is_set_aside_with_its_reason():
    # deal 1 won but no date at all: set aside ("no filled timestamp"), its 1000 not counted; deal 2 lost on its
    # created date; deal 3 won 9 Jan, 100. Rows 3 in = 2 used + 1 rejected; revenue 100; conversion c3 of c2, c3: 1 / 2
    parsed = load("Deal ID,Account ID,Deal Stage,Amount,Create Date,Close Date\n1,c1,Closed Won,1000,,\n"
                  "2,c2,Closed Lost,100,2024-01-05,\n3,c3,Closed Won,100,2024-01-05,2024-01-09\n")
    assert accounted(parsed, 3, 2)
    assert parsed.accounting.rejected["reason"].tolist() == ["no filled timestamp"]
    figures = kpis(parsed)
    assert figures["revenue"] == 100 and figures["conversion_rate"] == 0.5


def test_a_hubspot_tickets_export_with_a_warranty_claim_field_is_still_a_help_desks():
    # Ticket ID names each ticket; a custom "Warranty claim number" field makes it no insurer's claims list.
    # c1 raised 9001 and 9003, c2 9002: 3 / 2 = 1.5. The close and last activity follow them up.
    parsed = load("Ticket ID,Ticket name,Ticket status,Create date,Close date,Last activity date,Contact ID,"
                  "Warranty claim number\n"
                  "9001,Login,Closed,2024-01-02 09:00,2024-01-03 09:00,2024-01-03 09:00,c1,W1\n"
                  "9002,Refund,New,2024-01-04 09:00,,2024-01-04 10:00,c2,\n"
                  "9003,Login again,Closed,2024-01-06 09:00,2024-01-06 12:00,2024-01-06 12:00,c1,W2\n")
    assert kpis(parsed)["support_contacts_per_customer"] == 1.5
    assert rows(parsed)["event"].tolist()[:3] == ["ticket create", "close", "last activity"]


def test_a_history_listed_newest_first_with_a_deal_won_the_day_it_left_negotiation_counts_it():
    # Salesforce lists the newest change first; dates without times: 006C entered Negotiation and Closed Won on
    # 1 Mar (the won row written first). On one day the won row ends the deal: it is won, 800 on 1 Mar. Revenue 800.
    parsed = load("Opportunity ID,Account ID,Stage,Amount,Last Modified Date\n"
                  "006C,001c,Closed Won,800,2024-03-01\n006C,001c,Negotiation,800,2024-03-01\n"
                  "006C,001c,Prospecting,800,2024-02-01\n")
    assert kpis(parsed)["revenue"] == 800
