"""An order is one order id of one customer when the events carry a column of order ids (cjm.journey.orders): the
average order value, the repeat-purchase rate, the purchases the undo rules take back (cjm.journey.undone) and the
customers' purchases (cjm.customers.features, so segments and RFM) count orders alike. Without such a column an order
is one moment of one customer, as before.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.customers.features import compute_customer_features
from cjm.customers.rfm import compute_rfm
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import build_dataset
from cjm.data.source import dataset_from_table
from cjm.journey.kpis import compute_kpis
from tests.helpers import parsed_text


def figures(text: str) -> dict:
    """The KPIs of an upload of `text` over all its data."""
    kpis = compute_kpis(build_dataset(parsed_text(text)), period="all").set_index("name")
    return kpis["value"].to_dict()


def purchases(text: str) -> dict:
    features = compute_customer_features(build_dataset(parsed_text(text)))
    return dict(zip(features["customer_id"], features["purchases"]))


def test_two_orders_of_one_customer_on_one_day_with_their_own_ids_are_two_orders():
    # Dated by the day only. a: 1001 (20) and 1002 (30) on 5 Jan; b: 1003 (25); c: 1004 (10) on 7 Jan and 1005 (15) on
    # 9 Jan; d: 1006 (40); e: 1007 (60). Orders 2 + 1 + 2 + 1 + 1 = 7, revenue 200: AOV 200 / 7 = 28.571...; repeat
    # buyers a and c of 5 = 0.4. Before: a's two orders were one moment: AOV 200 / 6 = 33.33, repeat 1 / 5.
    text = ("order_id,customer_id,created_at,total\n1001,a,2024-01-05,20\n1002,a,2024-01-05,30\n1003,b,2024-01-06,25\n"
            "1004,c,2024-01-07,10\n1005,c,2024-01-09,15\n1006,d,2024-01-08,40\n1007,e,2024-01-10,60\n")
    kpis = figures(text)
    assert kpis["revenue"] == 200
    assert kpis["average_order_value"] == pytest.approx(200 / 7)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.4)


def test_the_customers_purchases_and_their_rfm_frequency_count_orders_as_the_kpis_do():
    # The same orders, each customer visiting the day before: a bought twice on 5 Jan (1001, 1002), c on 7 and 9 Jan.
    # Purchases a 2, b 1, c 2, d 1, e 1 (before: a 1, her two orders one moment); RFM's frequency is the purchases.
    text = ("order_id,customer_id,created_at,event,revenue\n,a,2024-01-04,visit,\n1001,a,2024-01-05,purchase,20\n"
            "1002,a,2024-01-05,purchase,30\n,b,2024-01-05,visit,\n1003,b,2024-01-06,purchase,25\n"
            ",c,2024-01-06,visit,\n1004,c,2024-01-07,purchase,10\n1005,c,2024-01-09,purchase,15\n"
            ",d,2024-01-07,visit,\n1006,d,2024-01-08,purchase,40\n,e,2024-01-09,visit,\n1007,e,2024-01-10,purchase,60\n")
    assert purchases(text) == {"a": 2, "b": 1, "c": 2, "d": 1, "e": 1}
    rfm = compute_rfm(build_dataset(parsed_text(text)))
    assert dict(zip(rfm["customer_id"], rfm["frequency"])) == {"a": 2, "b": 1, "c": 2, "d": 1, "e": 1}
    assert figures(text)["repeat_purchase_rate"] == pytest.approx(2 / 5)  # a and c of 5 buyers


def test_the_line_items_of_one_order_id_are_one_order_even_across_a_minute():
    # a: order 5001 of two lines (12 + 8) at 10:00 on 1 Feb, order 5002 (5) on 3 Feb; b: order 5003 of two lines
    # (12 + 30); c: order 5004 of two lines written at 10:00 and 10:01 (an Online Retail invoice crossing a minute).
    # Orders a 2, b 1, c 1 = 4; revenue 12 + 8 + 5 + 12 + 30 + 12 + 8 = 87: AOV 87 / 4 = 21.75; repeat buyers a of 3.
    # Before: c's two lines were two moments, two orders: AOV 87 / 5 = 17.4, repeat 2 / 3.
    text = ("order_id,customer_id,created_at,product,revenue\n5001,a,2024-02-01 10:00,Tee,12\n"
            "5001,a,2024-02-01 10:00,Cap,8\n5002,a,2024-02-03 09:00,Mug,5\n5003,b,2024-02-02 11:00,Tee,12\n"
            "5003,b,2024-02-02 11:00,Bag,30\n5004,c,2024-02-04 10:00,Tee,12\n5004,c,2024-02-04 10:01,Cap,8\n")
    kpis = figures(text)
    assert kpis["revenue"] == 87
    assert kpis["average_order_value"] == pytest.approx(21.75)
    assert kpis["repeat_purchase_rate"] == pytest.approx(1 / 3)
    assert purchases(text) == {"a": 2, "b": 1, "c": 1}


def test_an_order_id_on_two_customers_names_no_order_and_its_rows_count_by_their_moment():
    # Id 9 is c's (3 Mar) and d's (4 and 10 Mar): which customer's order it is cannot be told, so its rows are orders
    # by their moment: c 1, d 2. The other ids name one order each: a 1 and 2 (both 1 Mar), b, e, f, g, h one each.
    # The column stays the orders' column: 3 of its 10 rows on an id of two customers, not more than 30%. Orders
    # 2 + 1 + 1 + 2 + 4 = 10, revenue 10 + 20 + ... + 100 = 550: AOV 55; repeat buyers a and d of 8 = 0.25. (Were
    # 9 one order of d: AOV 550 / 9, repeat 1 / 8, as by moments, where a's two orders were one.)
    text = ("order_id,customer_id,created_at,total\n1,a,2024-03-01,10\n2,a,2024-03-01,20\n3,b,2024-03-02,30\n"
            "9,c,2024-03-03,40\n9,d,2024-03-04,50\n9,d,2024-03-10,60\n4,e,2024-03-05,70\n5,f,2024-03-05,80\n"
            "6,g,2024-03-06,90\n8,h,2024-03-07,100\n")
    kpis = figures(text)
    assert kpis["average_order_value"] == pytest.approx(55)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.25)


def test_a_column_named_like_an_order_whose_values_many_customers_share_names_no_orders():
    # 'invoice' says whether the customer asked for an invoice: "no" is on b, c and d (4 of the 6 rows), so the column
    # names no orders and each moment is an order: a 2 (1 and 8 Apr, both "yes"), b 1, c 1, d 2. Repeat buyers a and
    # d of 4 = 0.5; AOV (10 + 20 + 30 + 40 + 50 + 60) / 6 = 35. (Read as ids, a's "yes" would make her two orders one.)
    text = ("invoice,customer_id,created_at,total\nyes,a,2024-04-01,10\nyes,a,2024-04-08,20\nno,b,2024-04-02,30\n"
            "no,c,2024-04-03,40\nno,d,2024-04-04,50\nno,d,2024-04-09,60\n")
    kpis = figures(text)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.5)
    assert kpis["average_order_value"] == pytest.approx(35)


def test_rows_without_an_order_id_are_orders_by_their_moment_or_lines_of_the_order_at_it():
    # Ids on 3 of the 6 rows (11, 12, 13; "N/A" is no id): half of them, the orders' column. a: 11 and 12 on 1 May, two
    # orders; b: no id on 2 and 5 May, two moments, two orders; c: 13 (15) and a line without an id (5) on 3 May, the
    # order 13 and its second line (Shopify writes an order's fields on its first line): one order. Orders 2 + 2 + 1 =
    # 5, revenue 120: AOV 24; repeat buyers a and b of 3. Before: a's two orders one: AOV 120 / 4 = 30, repeat 1 / 3.
    text = ("order_id,customer_id,created_at,total\n11,a,2024-05-01,10\n12,a,2024-05-01,20\nN/A,b,2024-05-02,30\n"
            ",b,2024-05-05,40\n13,c,2024-05-03,15\n,c,2024-05-03,5\n")
    kpis = figures(text)
    assert kpis["average_order_value"] == pytest.approx(24)
    assert kpis["repeat_purchase_rate"] == pytest.approx(2 / 3)
    assert purchases(text) == {"a": 2, "b": 2, "c": 1}


def test_an_order_id_column_mostly_empty_names_no_orders():
    # Ids on 2 of the 5 rows, fewer than half: orders by moment. a 1 (11 and 12 at one moment), b 2, c 1: 4 orders,
    # revenue 10 + 20 + 30 + 40 + 15 = 115: AOV 28.75; repeat buyers b of 3.
    text = ("order_id,customer_id,created_at,total\n11,a,2024-05-01,10\n12,a,2024-05-01,20\n,b,2024-05-02,30\n"
            ",b,2024-05-05,40\n,c,2024-05-03,15\n")
    kpis = figures(text)
    assert kpis["average_order_value"] == pytest.approx(28.75)
    assert kpis["repeat_purchase_rate"] == pytest.approx(1 / 3)


def test_an_invoice_cancelled_beside_two_others_of_its_minute_is_undone_once():
    # Online Retail: 17850 places invoices 536500 (30), 536501 (2 x 20 = 40) and 536505 (50) at 09:00 on 1 Dec and
    # cancels 536500 by C536502 (-30) on 3 Dec: the whole rule undoes the one order of 30 after it; 2 orders kept,
    # a repeat buyer. 13047 buys once (15). Repeat 1 / 2; revenue 30 + 40 + 50 - 30 + 15 = 105 over 2 + 1 = 3 orders:
    # AOV 35. Before: the three invoices were one moment of 120 that the 30 back did not match: 17850 bought once,
    # repeat 0 / 2, AOV 105 / 2 = 52.5.
    text = ("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n536500,A,1,2010-12-01 09:00,30,17850\n"
            "536501,B,2,2010-12-01 09:00,20,17850\n536505,D,1,2010-12-01 09:00,50,17850\n"
            "C536502,A,-1,2010-12-03 10:00,30,17850\n536503,C,1,2010-12-02 10:00,15,13047\n")
    kpis = figures(text)
    assert kpis["revenue"] == pytest.approx(105)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.5)
    assert kpis["average_order_value"] == pytest.approx(35)


def test_a_refund_naming_one_of_three_orders_of_a_day_undoes_that_order_alone_and_once():
    # a places orders 21 (30), 22 (40) and 23 (50) on 1 Mar and 25 (30) on 6 Mar; the refund of 30 on 4 Mar names 21:
    # 21 is undone by its name, and the refund undoes no other order (not 25, of the same amount): a keeps 22, 23
    # and 25. b: 24 (60). Revenue 30 + 40 + 50 - 30 + 30 + 60 = 180 over 3 + 1 = 4 orders: AOV 45; repeat buyers a of
    # 2. Before: 21, 22 and 23 were one moment (kept: 22 and 23 were not refunded), 2 orders of a: AOV 180 / 3 = 60.
    text = ("order_id,customer_id,created_at,event,amount\n21,a,2024-03-01,purchase,30\n22,a,2024-03-01,purchase,40\n"
            "23,a,2024-03-01,purchase,50\n21,a,2024-03-04,refund,-30\n25,a,2024-03-06,purchase,30\n"
            "24,b,2024-03-02,purchase,60\n")
    kpis = figures(text)
    assert kpis["revenue"] == pytest.approx(180)
    assert kpis["average_order_value"] == pytest.approx(45)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.5)


def test_one_of_two_orders_of_a_day_refunded_in_two_parts_is_undone_once():
    # cy: orders 4 (13) and 5 (15) on 14 Feb; refunds of 6.50 on 20 and 22 Feb name no order. In parts: the block of
    # her two orders (the smaller first), the refunds' running total 6.50, 13.00 meets the oldest order's 13: it alone
    # is undone, cy keeps 1 order. ann: orders 1 (20) and 2 (30). Repeat buyers ann of 2; revenue 13 + 15 - 13 + 20 +
    # 30 = 65 over 2 + 1 = 3 orders: AOV 21.67.
    text = ("order_id,customer_id,created_at,event,amount\n4,cy,2024-02-14,purchase,13\n5,cy,2024-02-14,purchase,15\n"
            ",cy,2024-02-20,refund,-6.50\n,cy,2024-02-22,refund,-6.50\n1,ann,2024-02-01,purchase,20\n"
            "2,ann,2024-02-10,purchase,30\n")
    kpis = figures(text)
    assert kpis["revenue"] == pytest.approx(65)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.5)
    assert kpis["average_order_value"] == pytest.approx(65 / 3)


def orders_table() -> pd.DataFrame:
    """A warehouse table of orders by day: ann 1 (20) and 2 (30); cy 4 (13, and a second line of 2 without its id) and
    5 (15) on 14 Feb, 15 refunded on 20 Feb naming no order; id 9 on dan (40) and eve (50); fay 7 (70); gus 8 (80)."""
    return pd.DataFrame({
        "row_id": range(10), "customer": ["ann", "ann", "cy", "cy", "cy", "cy", "dan", "eve", "fay", "gus"],
        "created": pd.to_datetime(["2024-02-01", "2024-02-10", "2024-02-14", "2024-02-14", "2024-02-14", "2024-02-20",
                                   "2024-02-03", "2024-02-04", "2024-02-05", "2024-02-06"],
                                  utc=True).astype("datetime64[us, UTC]"),
        "kind": ["purchase"] * 5 + ["refund"] + ["purchase"] * 4,
        "amount": [20.0, 30.0, 13.0, 15.0, 2.0, -15.0, 40.0, 50.0, 70.0, 80.0],
        "order_id": ["1", "2", "4", "5", None, None, "9", "9", "7", "8"]})


def order_figures_in_place(backend) -> list[float]:
    mapping = ColumnMapping(columns={"customer_id": "customer", "timestamp": "created", "event": "kind",
                                     "revenue": "amount"})
    dataset = dataset_from_table(backend, "events", mapping=mapping, row_id="row_id")
    kpis = compute_kpis(dataset, period="all").set_index("name")["value"]
    return [kpis["revenue"], kpis["average_order_value"], kpis["repeat_purchase_rate"]]


# cy's orders: 4 is 13 + 2 = 15 (the line without an id is part of the order at its moment), 5 is 15; the refund of 15
# after them undoes one order of 15, so cy keeps 1. Id 9 (2 of the 8 rows with an id, not more than 30%) is no
# order of dan's or eve's: each has one order by moment. Orders ann 2 + cy 1 + dan, eve, fay, gus 4 = 7; revenue
# 20 + 30 + 13 + 15 + 2 - 15 + 40 + 50 + 70 + 80 = 305: AOV 305 / 7 = 43.571...; repeat buyers ann of 6.
ORDER_FIGURES = [305, 305 / 7, 1 / 6]


def test_a_table_of_orders_read_in_place_counts_its_orders_by_their_ids():
    backend = engine.local()
    backend.register(orders_table(), name="events")
    assert order_figures_in_place(backend) == pytest.approx(ORDER_FIGURES)


@pytest.mark.postgres
def test_postgresql_counts_the_orders_by_their_ids_as_duckdb(postgres_url):
    import sqlalchemy

    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        orders_table().to_sql("events", con, index=False)
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        assert order_figures_in_place(backend) == pytest.approx(ORDER_FIGURES)
    finally:
        backend.close()
