"""Review 5, wide exports' money (DESIGN.md section 3: money figures are net; a wide record's money counts
once, on its first event, and a filled cancellation / refund / return date takes it back).

Every expected value is worked out by hand from the literal CSV above it."""

import math

import pandas as pd
import pytest

from cjm.customers.features import compute_customer_features
from cjm.data.dataset import build_dataset
from cjm.voice.sentiment import compute_overall, compute_signals
from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis


def money_by_event(parsed) -> dict:
    events = rows(parsed)
    return {(c, e): (None if pd.isna(r) else float(r))
            for c, e, r in zip(events["customer_id"], events["event"], events["revenue"])}


def test_a_car_rentals_return_date_is_the_car_coming_back_and_takes_no_money_back():
    # r1 paid 200 at pickup, r2 80: revenue 280, 2 orders, AOV 140. Before: the 'return' column took both back (0).
    parsed = load("rental_id,email,pickup_date,return_date,total\n"
                  "r1,a@x.com,2024-06-10,2024-06-17,200\nr2,b@x.com,2024-06-11,2024-06-12,80\n")
    assert parsed.files[0].mapping.shape == "wide"
    assert money_by_event(parsed)[("a@x.com", "return")] is None
    figures = kpis(parsed)
    assert figures["revenue"] == 280 and figures["average_order_value"] == 140


def test_a_round_trips_return_flight_takes_no_money_back():
    # b1 booked 500 (departure and return flights), b2 300 one way: revenue 800. Before: 300 (b1 netted to 0).
    parsed = load("booking_id,email,booked_at,departure_date,return_date,total\n"
                  "b1,a@x.com,2024-05-01,2024-06-10,2024-06-17,500\nb2,b@x.com,2024-05-02,2024-06-11,,300\n")
    assert kpis(parsed)["revenue"] == 800


def test_a_shops_returned_date_still_takes_the_orders_money_back():
    # o1 100 ordered then returned: net 0; o2 60 kept. Revenue 60 (no pickup / departure column: goods sent back).
    parsed = load("order_id,email,ordered_at,delivered_at,returned_at,total\n"
                  "o1,a@x.com,2024-01-01,2024-01-03,2024-01-10,100\no2,b@x.com,2024-01-02,2024-01-04,,60\n")
    money = money_by_event(parsed)
    assert (money[("a@x.com", "ordered")], money[("a@x.com", "returned")]) == (100, -100)
    assert kpis(parsed)["revenue"] == 60


def test_a_refund_record_of_minus_40_counts_minus_40_once_not_twice():
    # A refunds export row: amount -40, created then refunded; and an order of 70. Net revenue 70 - 40 = 30.
    # Before: the refund date took back -abs(-40) again: 70 - 40 - 40 = -10 (and AOV -10).
    parsed = load("id_ref,email,created_at,refunded_at,total\n"
                  "x1,b@x.com,2024-01-01,2024-01-03,-40\nx2,c@x.com,2024-01-04,,70\n")
    money = money_by_event(parsed)
    assert money[("b@x.com", "created")] == -40 and money[("b@x.com", "refunded")] is None
    assert kpis(parsed)["revenue"] == 30


def test_a_record_whose_only_date_is_its_cancellation_and_a_record_without_money_add_nothing():
    # o1 never seen placed, only cancelled: its 100 was never counted, so nothing is taken back (not -100).
    # o3 has no total. Only o4's 70 counts: revenue 70, 1 order, AOV 70.
    parsed = load("order,email,created_at,cancelled_at,total\n"
                  "o1,a@x.com,,2024-01-02,100\no3,c@x.com,2024-01-01,,\no4,c@x.com,2024-01-04,,70\n")
    events = rows(parsed)
    assert events["revenue"].notna().sum() == 1
    figures = kpis(parsed)
    assert (figures["revenue"], figures["average_order_value"]) == (70, 70)


def test_when_created_and_paid_are_the_same_second_the_money_counts_once_on_the_first_column():
    # o1 created = paid 10:00 (100), o2 created 5 Jan, paid 6 Jan (50): revenue 150, 2 orders, AOV 75; a@x.com
    # ordered twice: repeat-purchase rate 1/1.
    parsed = load("order,email,created_at,paid_at,total\n"
                  "o1,a@x.com,2024-01-01 10:00,2024-01-01 10:00,100\no2,a@x.com,2024-01-05 10:00,2024-01-06 10:00,50\n")
    events = rows(parsed)
    assert list(events.loc[events["revenue"].notna(), "event"]) == ["created", "created"]
    figures = kpis(parsed)
    assert (figures["revenue"], figures["average_order_value"], figures["repeat_purchase_rate"]) == (150, 75, 1.0)


LINE_ITEMS = ("order,email,created_at,shipped_at,cancelled_at,quantity,unit_price,rating,comment\n"
              "o1,a@x.com,2024-01-01 10:00,2024-01-02 10:00,,2,10,4,fine\n"
              "o1,a@x.com,2024-01-01 10:00,2024-01-02 10:00,,1,5,4,fine\n"
              "o2,a@x.com,2024-01-05 10:00,,2024-01-06 10:00,3,10,1,never shipped\n"
              "o3,b@x.com,2024-01-07 10:00,2024-01-08 10:00,,1,30,,\n")


def test_line_items_priced_by_quantity_times_unit_price_sum_to_net_spend_per_customer():
    # a: o1 2 x 10 + 1 x 5 = 25, o2 3 x 10 = 30 placed and cancelled = 0: 25. b: o3 30. Revenue 55.
    parsed = load(LINE_ITEMS)
    assert parsed.files[0].mapping.revenue_from == ["quantity", "unit_price"]
    assert kpis(parsed)["revenue"] == 55
    spend = compute_customer_features(build_dataset(parsed)).set_index("customer_id")["monetary"]
    assert (spend["a@x.com"], spend["b@x.com"]) == (25, 30)


def test_a_wide_records_rating_is_one_response_on_its_last_event():
    # Ratings 4 (o1's two lines, one row each), 1 (o2, on its last event: cancelled), none (o3): 3 scores,
    # CSAT = share of 4-5 = 2 / 3. Before: each rating sat on every event of its row (2 or 3 times).
    signals = compute_signals(build_dataset(load(LINE_ITEMS)))
    scores = signals[signals["source"] == "score"]
    assert list(scores["event"]) == ["shipped", "shipped", "cancelled"]
    overall = compute_overall(signals)
    assert overall["scores"] == 3 and math.isclose(overall["csat"], 2 / 3)


def test_a_wide_shopify_order_refunded_by_its_financial_status_nets_to_zero():
    # #1 100 refunded (Shopify writes no refund date, only Financial Status), #2 60 paid: net revenue 60. cjm: 160.
    parsed = load("Name,Email,Financial Status,Created at,Paid at,Total\n"
                  "#1,a@x.com,refunded,2024-01-01 10:00,2024-01-01 11:00,100\n"
                  "#2,b@x.com,paid,2024-01-02 10:00,2024-01-02 11:00,60\n")
    assert parsed.files[0].mapping.shape == "wide"
    assert kpis(parsed)["revenue"] == 60


def test_a_long_order_row_refunded_by_its_status_nets_to_zero_not_minus_its_total():
    # One row per order: #1 100 refunded, #2 60 paid. A marketer's net revenue: 100 - 100 + 60 = 60. cjm: -40.
    parsed = load("Name,Email,Financial Status,Created at,Total\n"
                  "#1,a@x.com,refunded,2024-01-01 10:00,100\n#2,b@x.com,paid,2024-01-02 10:00,60\n")
    assert parsed.files[0].mapping.shape == "long"
    assert kpis(parsed)["revenue"] == 60


def test_a_cancelled_second_order_is_not_a_repeat_purchase():
    # a: o1 kept, o2 cancelled -> bought once; b: o3 once. Repeat-purchase rate 0 / 2 = 0. cjm: 1 / 2.
    assert kpis(load(LINE_ITEMS))["repeat_purchase_rate"] == 0.0


def test_an_order_cancelled_on_its_first_line_takes_back_every_line():
    # o1: 2 x 10 + 1 x 5 = 25, cancelled (date on line 1 only): 0; o2 30. Revenue 30. cjm: 35 (line 2's 5 stays).
    parsed = load("order,email,created_at,cancelled_at,quantity,unit_price\n"
                  "o1,a@x.com,2024-01-01 10:00,2024-01-02 10:00,2,10\no1,a@x.com,2024-01-01 10:00,,1,5\n"
                  "o2,b@x.com,2024-01-03 10:00,,1,30\n")
    assert kpis(parsed)["revenue"] == 30


def test_a_help_desks_first_answered_date_is_the_agents_reply_and_does_not_take_the_customers_comment():
    # The comment follows the experience: on the ticket's last event (solved), not on the agent's first answer.
    parsed = load("ticket_id,requester_email,created_at,first_answered_at,solved_at,comment\n"
                  "t1,a@x.com,2024-03-01 09:00,2024-03-01 10:00,2024-03-03 09:00,Took three days\n"
                  "t2,b@x.com,2024-03-01 10:00,2024-03-01 11:00,2024-03-02 10:00,Great\n")
    events = rows(parsed)
    commented = events[events["text"].notna()]
    assert list(commented["event"]) == ["solved", "solved"]
