"""Which columns name orders (cjm.journey.orders): a column holding one id per customer (a subscription's id in an
"order_id" column) names none, while a real order column whose buyers mostly bought once still does; Shopify's
"Name" ("#1001") names orders, a "Name" column of people never does.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from cjm.data.dataset import build_dataset
from cjm.journey.kpis import compute_kpis
from tests.helpers import parsed_text
from tests.test_exports18_shopify import ORDERS


def figures(text: str, name: str = "orders.csv") -> dict:
    """The KPIs of an upload of `text` over all its data."""
    kpis = compute_kpis(build_dataset(parsed_text(text, name)), period="all").set_index("name")
    return kpis["value"].to_dict()


SUBSCRIPTIONS = ("order_id,customer_id,created_at,{money}\nS1,a,2024-01-01,10\nS1,a,2024-02-01,10\n"
                 "S1,a,2024-03-01,10\nS2,b,2024-01-05,20\nS2,b,2024-02-05,20\nS3,c,2024-01-10,30\n"
                 "S4,d,2024-01-03,40\nS5,d,2024-02-03,40\n")


def test_a_subscription_id_in_an_order_id_column_names_no_orders_and_each_charge_is_an_order():
    # 'order_id' holds each customer's subscription: a S1 charged 10 on 1 Jan, 1 Feb and 1 Mar; b S2 charged 20 on
    # 5 Jan and 5 Feb; c S3 once (30); d two subscriptions, S4 (40, 3 Jan) and S5 (40, 3 Feb). a and b hold one id on
    # purchases of one name on 3 and 2 days: 2 customers; d alone holds two ids: 1. 2 > 1, so the column names no
    # orders and each moment is one: a 3, b 2, c 1, d 2 = 8 orders, revenue 30 + 40 + 30 + 80 = 180: AOV 22.5;
    # repeat buyers a, b and d of 4 = 0.75. (Read as order ids: a 1, b 1, c 1, d 2 = 5 orders, AOV 36, repeat 1 / 4.)
    kpis = figures(SUBSCRIPTIONS.format(money="amount"))
    assert kpis["revenue"] == pytest.approx(180)
    assert kpis["average_order_value"] == pytest.approx(22.5)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.75)


def test_charges_of_one_subscription_id_in_a_total_column_each_count_their_money():
    # The same charges with the money in 'total': every charge moved money, revenue 30 + 40 + 30 + 80 = 180.
    assert figures(SUBSCRIPTIONS.format(money="total"))["revenue"] == pytest.approx(180)


def test_a_real_order_column_whose_buyers_mostly_bought_once_still_names_the_orders():
    # a: order 1001 of two lines, 10:00 (10) and 10:01 (5), one day; b 1002 (20), c 1003 (30), e 1006 (50) once each;
    # d 1004 (40, 4 Jan) and 1005 (25, 4 Feb). Nobody holds one id on two days: 0 customers; d holds two ids: 1. 0 is
    # not more than 1, the column names the orders: a 1, b 1, c 1, d 2, e 1 = 6 orders, revenue 15 + 20 + 30 + 65 + 50
    # = 180: AOV 30; repeat buyers d of 5 = 0.2. (By moment a's two lines would be two orders: AOV 180 / 7, 2 / 5.)
    text = ("order_id,customer_id,created_at,product,total\n1001,a,2024-01-01 10:00,Tee,10\n"
            "1001,a,2024-01-01 10:01,Cap,5\n1002,b,2024-01-02 09:00,Mug,20\n1003,c,2024-01-03 09:00,Tee,30\n"
            "1004,d,2024-01-04 09:00,Bag,40\n1005,d,2024-02-04 09:00,Cap,25\n1006,e,2024-01-05 11:00,Tee,50\n")
    kpis = figures(text)
    assert kpis["revenue"] == pytest.approx(180)
    assert kpis["average_order_value"] == pytest.approx(30)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.2)


def test_an_order_placed_and_completed_on_two_days_is_one_order_of_a_real_order_column():
    # Both events are purchases by name. a: order 7001 placed 1 Jan (30) and completed 3 Jan (0); b: 7002 placed and
    # completed 2 Jan (20). a's id is on two days but under two names, each on one day: nobody holds one id on
    # purchases of one name on two days (0), nobody two ids (0): the column names the orders. Purchases a 1, b 1:
    # repeat buyers 0 of 2. (Were a's two days two orders, as by moment: a repeat buyer, 1 / 2.)
    text = ("order_id,customer_id,created_at,event,total\n7001,a,2024-01-01,order_placed,30\n"
            "7001,a,2024-01-03,order_completed,0\n7002,b,2024-01-02,order_placed,20\n"
            "7002,b,2024-01-02,order_completed,0\n")
    assert figures(text)["repeat_purchase_rate"] == pytest.approx(0)


def with_two_orders_of_one_second(text: str) -> str:
    """Shopify's orders export above, with d@x.com placing #1004 (20) and #1005 (25) in the same second."""
    frame = pd.read_csv(io.StringIO(text), dtype=str)
    extra = frame.iloc[[0, 0]].copy()
    extra["Name"], extra["Email"], extra["Total"] = ["#1004", "#1005"], "d@x.com", ["20.00", "25.00"]
    extra["Subtotal"], extra["Lineitem price"], extra["Id"] = extra["Total"], extra["Total"], ["5004", "5005"]
    for column in ("Created at", "Paid at"):
        extra[column] = "2024-03-07 10:00:00 +0100"
    return pd.concat([frame, extra]).to_csv(index=False)


def test_shopifys_order_names_tell_two_orders_of_one_second_apart():
    # a #1001 (50), b #1002 refunded in full (0), c #1003 (30), d #1004 (20) and #1005 (25) created at one second. By
    # 'Name' (every id "#" and digits): orders with money a 1, c 1, d 2 = 4, revenue 50 + 0 + 30 + 20 + 25 = 125:
    # AOV 31.25; buyers a, c, d, repeat buyers d: 1 / 3. (By moment d's two orders were one: AOV 125 / 3, 0 / 3.)
    kpis = figures(with_two_orders_of_one_second(ORDERS), "orders_export_1.csv")
    assert kpis["revenue"] == pytest.approx(125)
    assert kpis["average_order_value"] == pytest.approx(31.25)
    assert kpis["repeat_purchase_rate"] == pytest.approx(1 / 3)


def test_a_name_column_of_people_names_no_orders():
    # 'Name' holds the buyer's name, not "#" and digits: orders are moments. a (Ann Lee) buys at 10:00 (10) and
    # 15:00 (20) on 1 May, b (Bo Ray) once (30): a 2, b 1 = 3 orders, AOV 60 / 3 = 20; repeat buyers a of 2 = 0.5.
    # (Read as order ids, "Ann Lee" would make a's two orders one: AOV 30, repeat 0.)
    text = ("Name,customer_id,created_at,total\nAnn Lee,a,2024-05-01 10:00,10\nAnn Lee,a,2024-05-01 15:00,20\n"
            "Bo Ray,b,2024-05-02 09:00,30\n")
    kpis = figures(text)
    assert kpis["average_order_value"] == pytest.approx(20)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.5)
