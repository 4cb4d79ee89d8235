"""Partial refunds and order-level fields of line items (DESIGN.md section 3: money figures are net).
A refunded amount column takes that much off its order; an order's status or cancellation date written on its
first line only (Shopify) settles every line of the order. Every expected value is worked out by hand from the
literal CSV above it."""

import pandas as pd

from cjm.customers.features import compute_customer_features
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.data.returns import refund_column
from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis


def spend(parsed) -> dict:
    features = compute_customer_features(build_dataset(parsed)).set_index("customer_id")
    return features["monetary"].to_dict()


def notes(parsed) -> str:
    return " ".join(parsed.files[0].notes)


def test_an_order_refunded_in_full_counts_nothing_never_less_whether_its_status_says_so_or_not():
    # #1 100 status refunded, 100 refunded: 0 (not -100); #2 60 paid; #3 40 paid but 40 refunded: 0. Revenue 60.
    parsed = load("Name,Email,Financial Status,Created at,Total,Refunded Amount\n"
                  "#1,a@x.com,refunded,2024-01-01 10:00,100,100\n#2,b@x.com,paid,2024-01-02 10:00,60,0\n"
                  "#3,c@x.com,paid,2024-01-03 10:00,40,40\n")
    assert rows(parsed)["revenue"].tolist() == [0, 60, 0]
    assert kpis(parsed)["revenue"] == 60
    assert "Refunded amounts in 'Refunded Amount' are taken off the money of 1 order" in notes(parsed)


def test_stripe_amounts_refunded_with_currency_signs_and_decimal_commas_are_taken_off_each_charge():
    # ch_1 €100,00 with €30,00 refunded: 70; ch_2 60; ch_3 50 Refunded (status) with 50 refunded: 0. Revenue 130,
    # 2 orders kept -> AOV 65. "Amount Refunded" goes with "Amount" (the revenue), not "Converted Amount Refunded".
    parsed = load("id,Created (UTC),Amount,Amount Refunded,Converted Amount,Converted Amount Refunded,Status,"
                  "Customer Email\n"
                  'ch_1,2024-01-01 10:00,"€100,00","€30,00","110,00","33,00",Paid,a@x.com\n'
                  'ch_2,2024-01-02 10:00,"€60,00","€0,00","66,00","0,00",Paid,b@x.com\n'
                  'ch_3,2024-01-03 10:00,"€50,00","€50,00","55,00","55,00",Refunded,c@x.com\n')
    assert rows(parsed)["revenue"].tolist() == [70, 60, 0]
    figures = kpis(parsed)
    assert (figures["revenue"], figures["average_order_value"]) == (130, 65)
    assert "'Amount Refunded'" in notes(parsed)


def test_beside_a_converted_amount_the_converted_refund_is_the_one_taken_off():
    frame = pd.DataFrame({"Amount": ["100"], "Amount Refunded": ["30"], "Converted Amount": ["110"],
                          "Converted Amount Refunded": ["33"], "Refunded": ["true"]})
    assert refund_column(frame, {"Converted Amount"}, "Converted Amount") == "Converted Amount Refunded"
    assert refund_column(frame, {"Amount"}, "Amount") == "Amount Refunded"


def test_a_yes_no_refunded_column_is_not_an_amount():
    # "refunded" holds true / false, not money: A 100 and B 60 stay. Revenue 160.
    parsed = load("customer_id,timestamp,event,amount,refunded\nA,2024-01-01,purchase,100,false\n"
                  "B,2024-01-02,purchase,60,true\n")
    assert kpis(parsed)["revenue"] == 160


def test_a_wide_orders_refund_date_takes_back_the_refunded_amount_and_without_a_date_it_is_taken_off_at_once():
    # o1 100, refunded 30 on 5 Jan: created +100, refunded -30; o2 60; o3 50 with 20 refunded, no date: 30.
    # Revenue 100 - 30 + 60 + 30 = 160. Before: o1's refund date took back all 100 and o3 counted 50 (110).
    # No date column names a purchase: each order's created_at, where its money counts, is its 'purchase'
    # (purchases.bought_on; it read 'created', no conversion stage, before).
    parsed = load("order_id,email,created_at,refunded_at,total,refund_amount\n"
                  "o1,a@x.com,2024-01-01 10:00,2024-01-05 10:00,100,30\no2,b@x.com,2024-01-02 10:00,,60,\n"
                  "o3,c@x.com,2024-01-03 10:00,,50,20\n")
    assert parsed.files[0].mapping.shape == "wide"
    events = rows(parsed)
    assert list(zip(events["event"], events["revenue"])) == [("purchase", 100), ("refunded", -30), ("purchase", 60),
                                                             ("purchase", 30)]
    assert kpis(parsed)["revenue"] == 160


def test_a_wide_order_with_both_a_cancellation_and_a_refund_date_is_taken_back_once():
    # o1 100 cancelled on 2 Jan and refunded on 3 Jan: 0 (not -100); o2 60. Revenue 60. Before: -40.
    parsed = load("order_id,email,created_at,cancelled_at,refunded_at,total\n"
                  "o1,a@x.com,2024-01-01 10:00,2024-01-02 10:00,2024-01-03 10:00,100\n"
                  "o2,b@x.com,2024-01-01 11:00,,,60\n")
    assert kpis(parsed)["revenue"] == 60


def test_a_customer_with_refund_lines_of_their_own_is_not_refunded_twice():
    # a paid 100 (30 refunded, also written as a refund line of 30): 70, not 40; b paid 60 with 10 refunded and no
    # refund line: 50. Revenue 120.
    parsed = load("customer_email,created,type,amount,amount_refunded\n"
                  "a@x.com,2024-01-01,payment,100,30\na@x.com,2024-01-05,refund,30,\n"
                  "b@x.com,2024-01-02,payment,60,10\n")
    assert rows(parsed)["revenue"].tolist() == [100, -30, 50]
    assert spend(parsed) == {"a@x.com": 70, "b@x.com": 50}


def test_a_shopify_export_reads_each_orders_first_line_fields_for_all_its_lines():
    # #1 (2 lines) total 100, partially refunded 30: 70. #2 (2 lines) refunded in full, cancelled on its first line
    # only: 0 and no line of it counts. #3 40. Revenue 110 (before: 140); spend a 70, b 0, c 40. The line items' own
    # fulfillment status (on every line) stays as it is.
    parsed = load("Name,Email,Financial Status,Paid at,Total,Created at,Lineitem quantity,Lineitem price,"
                  "Lineitem fulfillment status,Cancelled at,Refunded Amount\n"
                  "#1,a@x.com,partially_refunded,2024-01-01 10:05,100,2024-01-01 10:00,1,60,fulfilled,,30\n"
                  "#1,a@x.com,,,,2024-01-01 10:00,2,20,fulfilled,,\n"
                  "#2,b@x.com,refunded,2024-01-02 10:05,50,2024-01-02 10:00,1,30,pending,2024-01-03 09:00,50\n"
                  "#2,b@x.com,,,,2024-01-02 10:00,1,20,pending,,\n"
                  "#3,c@x.com,paid,2024-01-04 10:05,40,2024-01-04 10:00,1,40,fulfilled,,0\n")
    assert parsed.files[0].mapping.shape == "wide"
    assert kpis(parsed)["revenue"] == 110
    assert spend(parsed) == {"a@x.com": 70, "b@x.com": 0, "c@x.com": 40}
    events = rows(parsed)
    assert (events["event"] == "cancelled").sum() == 2  # both lines of #2
    assert "'Financial Status', 'Cancelled at' are written on each order's first line only" in notes(parsed)


def test_a_long_line_item_export_voided_on_its_first_line_settles_every_line():
    # o1: 2 x 10 + 1 x 5, status voided on line 1 only: 0; o2: 30 + 8 paid (status on line 1 only). Revenue 38.
    # Before: 43 (o1's second line kept its 5).
    parsed = load("order_id,email,created_at,quantity,unit_price,status\n"
                  "o1,a@x.com,2024-01-01 10:00,2,10,voided\no1,a@x.com,2024-01-01 10:00,1,5,\n"
                  "o2,b@x.com,2024-01-02 10:00,1,30,paid\no2,b@x.com,2024-01-02 10:00,1,8,\n")
    events = rows(parsed)
    assert events["event"].tolist() == ["cancellation", "cancellation", "purchase", "purchase"]
    assert kpis(parsed)["revenue"] == 38


def test_a_status_of_each_line_is_not_spread_to_the_other_lines():
    # Lines carry their own status (o2's second line too): o1's line 1 returned (0), line 2 kept (5); o2 30 + 8.
    # Revenue 43.
    parsed = load("order_id,email,created_at,quantity,unit_price,status\n"
                  "o1,a@x.com,2024-01-01 10:00,2,10,returned\no1,a@x.com,2024-01-01 10:00,1,5,\n"
                  "o2,b@x.com,2024-01-02 10:00,1,30,delivered\no2,b@x.com,2024-01-02 10:00,1,8,delivered\n")
    assert kpis(parsed)["revenue"] == 43


def test_an_orders_refund_is_taken_from_its_lines_in_turn_and_no_line_goes_below_zero():
    # o1: lines 2 x 10 = 20 and 1 x 5 = 5, 22 refunded (on line 1): line 1 20 - 20 = 0, line 2 5 - 2 = 3; o2 30.
    # Revenue 33.
    parsed = load("order_id,email,created_at,quantity,unit_price,refunded_amount\n"
                  "o1,a@x.com,2024-01-01 10:00,2,10,22\no1,a@x.com,2024-01-01 10:00,1,5,\n"
                  "o2,b@x.com,2024-01-02 10:00,1,30,0\n")
    assert rows(parsed)["revenue"].tolist() == [0, 3, 30]
    assert kpis(parsed)["revenue"] == 33


def test_a_name_column_of_people_is_not_an_order_id():
    # Ann's first order 50 cancelled, her second 70 has no status: a column of names does not carry the first
    # order's status to the second. Revenue 70.
    parsed = load("Name,email,created_at,status,amount\n"
                  "Ann Lee,a@x.com,2024-01-01,cancelled,50\nAnn Lee,a@x.com,2024-01-05,,70\n")
    assert kpis(parsed)["revenue"] == 70


def test_net_sales_mapped_as_revenue_are_not_netted_again_by_a_refunds_column():
    # "net_sales" (mapped by the user) already has the refunds taken off: A 90 (10 refunded), B 50. Revenue 140,
    # not 130.
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "date", "revenue": "net_sales"},
                            event_constant="purchase")
    parsed = parse_files([SourceFile("sales.csv", b"customer_id,date,net_sales,refunds\nA,2024-01-01,90,10\n"
                                                  b"B,2024-01-02,50,0\n")], mappings={"sales.csv": mapping})
    assert kpis(parsed)["revenue"] == 140
