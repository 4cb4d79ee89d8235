"""Review 20, orders by order id (cjm/journey/orders.py): one id of one customer is one order, a column of one id per
customer names no orders, Shopify's "Name" (#1001) is an order id. Read through the KPIs (repeat-purchase rate,
average order value) and the customers' purchases. Every expected figure is worked out by hand beside it."""

from __future__ import annotations

import pytest

from cjm.customers.features import compute_customer_features
from cjm.data.dataset import build_dataset
from cjm.journey.kpis import compute_kpis
from tests.helpers import parsed_text


def kpis(text: str, name: str = "orders.csv"):
    ds = build_dataset(parsed_text(text, name))
    return ds, compute_kpis(ds, period="all").set_index("name")["value"]


def purchases(ds) -> dict:
    features = compute_customer_features(ds)
    if "purchases" in features:
        return {str(c): int(v) for c, v in zip(features["customer_id"], features["purchases"])}
    value = features.attrs["constant"]["purchases"]
    return {str(c): int(value) for c in features["customer_id"]}


def test_two_order_ids_of_one_day_are_two_orders_and_the_lines_of_one_id_one():
    text = ("customer_id,date,event,amount,Order ID\n"
            "a,2024-01-05,purchase,10,1001\n"
            "a,2024-01-05,purchase,20,1002\n"
            "b,2024-01-06,purchase,30,1003\n"
            "b,2024-01-06,purchase,5,1003\n"
            "c,2024-01-07,page_view,,\n")
    ds, value = kpis(text)
    # orders: a 1001 and 1002 (one day, two ids: 2), b 1003 (two lines: 1). Repeat: a of a, b = 1 / 2
    assert value["repeat_purchase_rate"] == pytest.approx(0.5)
    # revenue 10 + 20 + 30 + 5 = 65 over 3 orders
    assert value["average_order_value"] == pytest.approx(65 / 3)
    assert purchases(ds) == {"a": 2, "b": 1, "c": 0}


def test_a_column_of_one_subscription_id_per_customer_names_no_orders():
    # order_id holds each customer's subscription: a S1 on 1, 2, 3 Mar; b S2 on 1, 8 Mar; c S3 on 4 Mar; 10 each
    text = ("customer_id,date,event,amount,order_id\n"
            "a,2024-03-01 10:00,purchase,10,S1\na,2024-03-02 10:00,purchase,10,S1\na,2024-03-03 10:00,purchase,10,S1\n"
            "b,2024-03-01 11:00,purchase,10,S2\nb,2024-03-08 11:00,purchase,10,S2\n"
            "c,2024-03-04 12:00,purchase,10,S3\nd,2024-03-05 12:00,page_view,,\n")
    ds, value = kpis(text)
    # one id on two or more days: a, b (2 customers) > two ids or more: none (0): no order ids, orders are moments:
    # a 3, b 2, c 1. Repeat: a, b of a, b, c = 2 / 3; AOV 60 / 6 = 10
    assert value["repeat_purchase_rate"] == pytest.approx(2 / 3)
    assert value["average_order_value"] == pytest.approx(10.0)
    assert purchases(ds) == {"a": 3, "b": 2, "c": 1, "d": 0}


def test_a_real_order_column_whose_buyers_mostly_bought_once_is_kept():
    # a: order 1001 of two lines a minute apart; b: 1002; c: 1003 and 1004, and 1005 at the same moment as 1004
    text = ("customer_id,date,event,amount,order_id\n"
            "a,2024-03-01 10:00,purchase,10,1001\na,2024-03-01 10:01,purchase,15,1001\n"
            "b,2024-03-02 10:00,purchase,20,1002\n"
            "c,2024-03-03 10:00,purchase,30,1003\nc,2024-03-05 10:00,purchase,40,1004\n"
            "c,2024-03-05 10:00,purchase,50,1005\n")
    ds, value = kpis(text)
    # one id on two or more days: nobody (a's lines are on one day); c holds three ids: kept. Orders: a 1, b 1, c 3
    # (1004 and 1005 share a moment but are two ids). Repeat: c of a, b, c = 1 / 3; AOV 165 / 5 = 33
    assert value["repeat_purchase_rate"] == pytest.approx(1 / 3)
    assert value["average_order_value"] == pytest.approx(33.0)
    assert purchases(ds) == {"a": 1, "b": 1, "c": 3}


def test_a_tie_between_one_id_on_two_days_and_two_ids_keeps_the_order_column():
    # a: 1001 ordered 1 Mar and the same id again 2 Mar (one id, two days); b: 1002 and 1003. 1 customer vs 1: not
    # "more", the column names orders: a 1 order, b 2. Repeat 1 / 2; AOV (10 + 10 + 20 + 30) / 3 = 70 / 3
    text = ("customer_id,date,event,amount,order_id\n"
            "a,2024-03-01 10:00,purchase,10,1001\na,2024-03-02 10:00,purchase,10,1001\n"
            "b,2024-03-01 11:00,purchase,20,1002\nb,2024-03-04 11:00,purchase,30,1003\n")
    ds, value = kpis(text)
    assert value["repeat_purchase_rate"] == pytest.approx(0.5)
    assert value["average_order_value"] == pytest.approx(70 / 3)


SHOPIFY = ("Name,Email,Financial Status,Created at,Total,Lineitem quantity,Lineitem name,Lineitem price\n"
           "#1001,a@x.com,paid,2024-01-01 10:00:00 +0000,50,1,Mug,30\n"
           "#1001,a@x.com,,2024-01-01 10:00:00 +0000,,1,Cap,20\n"
           "#1002,a@x.com,paid,2024-01-02 10:00:00 +0000,30,1,Mug,30\n"
           "#1003,b@x.com,paid,2024-01-03 10:00:00 +0000,20,1,Cap,20\n"
           "#1004,b@x.com,paid,2024-01-03 10:00:00 +0000,40,2,Cap,20\n")


def test_shopify_names_are_order_ids_so_two_orders_of_one_moment_are_two():
    ds, value = kpis(SHOPIFY, "orders_export.csv")
    # orders by Name: a #1001 (2 lines), #1002; b #1003, #1004 (same moment, two names). a and b bought twice: 2 / 2
    assert value["repeat_purchase_rate"] == pytest.approx(1.0)
    # totals 50 + 30 + 20 + 40 = 140 over 4 orders = 35 (by moments: b's two would be one, 140 / 3)
    assert value["average_order_value"] == pytest.approx(35.0)
    assert purchases(ds) == {"a@x.com": 2, "b@x.com": 2}


def test_a_name_column_of_peoples_names_is_no_order_id():
    text = ("Name,Email,Created at,Total\n"
            "Ann Lee,a@x.com,2024-01-01 10:00:00 +0000,50\n"
            "Ann Lee,a@x.com,2024-01-02 10:00:00 +0000,30\n"
            "Bo Chan,b@x.com,2024-01-03 10:00:00 +0000,20\n"
            "Bo Chan,b@x.com,2024-01-03 10:00:00 +0000,40\n")
    ds, value = kpis(text, "orders_export.csv")
    # no order ids: orders are moments. a 2 (two days), b 1 (one moment): 1 / 2; AOV 140 / 3
    assert value["repeat_purchase_rate"] == pytest.approx(0.5)
    assert value["average_order_value"] == pytest.approx(140 / 3)


def test_an_orders_lines_crossing_midnight_do_not_make_a_real_order_column_one_id_per_customer():
    # a: order 1001, lines 23:59 on 1 Mar and 00:01 on 2 Mar (one order); b: 1002 likewise on 3/4 Mar; c: 1003 and
    # 1004 on 5 and 9 Mar. Orders: a 1, b 1, c 2. Repeat: c of a, b, c = 1 / 3; AOV (10+5+20+5+40+45) / 4 = 125 / 4
    text = ("customer_id,date,event,amount,order_id\n"
            "a,2024-03-01 23:59,purchase,10,1001\na,2024-03-02 00:01,purchase,5,1001\n"
            "b,2024-03-03 23:59,purchase,20,1002\nb,2024-03-04 00:01,purchase,5,1002\n"
            "c,2024-03-05 10:00,purchase,40,1003\nc,2024-03-09 10:00,purchase,45,1004\n")
    ds, value = kpis(text)
    assert value["repeat_purchase_rate"] == pytest.approx(1 / 3)
    assert value["average_order_value"] == pytest.approx(125 / 4)


def test_an_order_total_repeated_on_lines_crossing_midnight_counts_once():
    # the order above with each order's total repeated on its lines (a column "total": money.py's twin of the guard,
    # returns.one_id_per_customer): a 1001 lines 23:59 on 1 Mar and 00:01 on 2 Mar, 15 on each; b 1002 likewise 25 on
    # 3/4 Mar; c 1003 (40, 5 Mar) and 1004 (45, 9 Mar). A real order column: each total counts once, revenue
    # 15 + 25 + 40 + 45 = 125 (read as one id per customer, each line would count: 165), 4 orders: AOV 125 / 4;
    # repeat c of a, b, c = 1 / 3
    text = ("customer_id,date,event,total,order_id\n"
            "a,2024-03-01 23:59,purchase,15,1001\na,2024-03-02 00:01,purchase,15,1001\n"
            "b,2024-03-03 23:59,purchase,25,1002\nb,2024-03-04 00:01,purchase,25,1002\n"
            "c,2024-03-05 10:00,purchase,40,1003\nc,2024-03-09 10:00,purchase,45,1004\n")
    ds, value = kpis(text)
    assert value["revenue"] == pytest.approx(125.0)
    assert value["average_order_value"] == pytest.approx(125 / 4)
    assert value["repeat_purchase_rate"] == pytest.approx(1 / 3)


def test_one_subscription_id_charged_on_two_days_half_a_day_apart_or_more_still_names_no_orders():
    # a S1 charged 10 on 1 Mar 20:00 and 2 Mar 09:00 (13 hours apart, two days); b S2 on 1 Mar 08:00 and 2 Mar 07:30
    # (23.5 hours); c S3 once. a, b hold one id over days (2) > nobody with two ids (0): no order ids, orders are
    # moments: a 2, b 2, c 1. Repeat a, b of 3 = 2 / 3; AOV 50 / 5 = 10
    text = ("customer_id,date,event,amount,order_id\n"
            "a,2024-03-01 20:00,purchase,10,S1\na,2024-03-02 09:00,purchase,10,S1\n"
            "b,2024-03-01 08:00,purchase,10,S2\nb,2024-03-02 07:30,purchase,10,S2\n"
            "c,2024-03-04 12:00,purchase,10,S3\n")
    ds, value = kpis(text)
    assert value["repeat_purchase_rate"] == pytest.approx(2 / 3)
    assert value["average_order_value"] == pytest.approx(10.0)
