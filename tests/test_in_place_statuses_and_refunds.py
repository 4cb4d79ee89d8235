"""Money read in place is net as on upload: a row whose order or payment status says cancelled, refunded or failed
counts no money (with the upload's note), a refunded-amount column is taken off its order's money, and an order's
total repeated on its line items counts once, on DuckDB and on PostgreSQL (cjm.data.source._statuses,
_net_of_refunds, _order_total_once; the words of cjm.data.reversals). Before, read in place, every such row counted
its whole amount, with no note.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations


import pytest

from cjm import engine, report
from cjm.data.dataset import build_dataset
from cjm.data.source import dataset_from_files, dataset_from_table
from tests.helpers import parsed_text
from tests.postgres import postgres_server, postgres_url  # noqa: F401  (fixtures)
from tests.postgres import text_table as _postgres_table

# One charge per row, statuses written as shops write them (any case, spaces around, WooCommerce's 'wc-' prefix).
STATUSES = ("customer_id,timestamp,event,revenue,status\n"
            "a,2024-03-01 09:00:00,purchase,100,paid\n"
            "a,2024-03-02 09:00:00,purchase,40,Cancelled\n"
            "b,2024-03-03 09:00:00,purchase,30, refunded \n"
            "b,2024-03-04 09:00:00,purchase,25,wc-failed\n"
            "c,2024-03-05 09:00:00,purchase,50,Declined\n"
            "d,2024-03-07 09:00:00,purchase,70,paid\n")
# Read as uploaded: a 100 + d 70 = 170; a's 40 cancelled, b's 30 refunded (0, 'cancellation', 'return'); b's 25 and
# c's 50 failed or declined (0, 'failed payment'). Before, in place: 100 + 40 + 30 + 25 + 50 + 70 = 315.
STATUS_MONEY = {"a": 100.0, "b": 0.0, "c": 0.0, "d": 70.0}
STATUS_EVENTS = ["purchase", "cancellation", "return", "failed payment", "failed payment", "purchase"]

# A Stripe-like payments export: a refunded amount beside each charge (a decimal comma, as a European account writes).
REFUNDS = ("Customer ID,Created (UTC),Amount,Amount Refunded,Status\n"
           'a,2024-03-01 09:00,"100,00","30,00",Paid\n'
           'b,2024-03-02 09:00,"50,00","50,00",Refunded\n'
           'a,2024-03-03 09:00,"20,00","0,00",Paid\n'
           'c,2024-03-04 09:00,"80,00","0,00",Failed\n')
# a: 100 less 30 refunded = 70, and 20 = 90; b: refunded by its status, 0 (never 50 - 50 again, never -50); c: failed,
# 0. Revenue 90. Before, in place: 100 + 50 + 20 + 80 = 250.
REFUND_MONEY = {"a": 90.0, "b": 0.0, "c": 0.0}

# Line items of one order, each with its own amount: the refund of the order (70) written alike on both its lines is
# taken from its lines in file order, never more than a line's money: line 1's 60 counts 0, line 2's 40 counts 30;
# order 2 has none.
LINES = ("Order Number,Email,Order Date,Amount,Order Refund Amount\n"
         "1,a@x.com,2024-03-01 09:00,60,70\n"
         "1,a@x.com,2024-03-01 09:00,40,70\n"
         "2,b@x.com,2024-03-02 09:00,25,0\n")
# a: 0 + 30 = 30; b: 25. Revenue 55. Before, in place: 60 + 40 + 25 = 125.
LINE_MONEY = {"a@x.com": 30.0, "b@x.com": 25.0}


# An order's total repeated on each of its line items (WooCommerce's 'Order Total Amount'): order 1 (two lines, 90
# on each) counts 90 once, on its first line; order 2 (one line) 30; order 3 (two lines, 50 each) Cancelled: 0.
TOTALS = ("Order Number,Order Status,Order Date,Email,SKU,Order Total Amount\n"
          "1,Completed,2024-03-01 09:00,a@x.com,TEE,90.00\n"
          "1,Completed,2024-03-01 09:00,a@x.com,CAP,90.00\n"
          "2,Completed,2024-03-02 10:00,b@x.com,TEE,30.00\n"
          "3,Cancelled,2024-03-03 11:00,c@x.com,TEE,50.00\n"
          "3,Cancelled,2024-03-03 11:00,c@x.com,CAP,50.00\n")
# a 90, b 30, c 0: revenue 120. Before, in place: 90 + 90 + 30 + 50 + 50 = 310.
TOTAL_MONEY = {"a@x.com": 90.0, "b@x.com": 30.0, "c@x.com": 0.0}

# A subscription's id in the 'Order Number' column, the same on a customer's monthly charges of one Order Total: the
# column names no orders (cjm.data.returns.one_id_per_customer: a and b each hold one id on two days or more, nobody
# two ids), so each charge counts: a 3 x 10 = 30, b 2 x 10 = 20, revenue 50 (not 10 + 10 = 20).
MONTHLY = ("Order Number,Order Date,Email,Order Total\n"
           "sub_1,2024-01-05 09:00,a@x.com,10\n"
           "sub_1,2024-02-05 09:00,a@x.com,10\n"
           "sub_1,2024-03-05 09:00,a@x.com,10\n"
           "sub_2,2024-01-09 09:00,b@x.com,10\n"
           "sub_2,2024-02-09 09:00,b@x.com,10\n")
MONTHLY_MONEY = {"a@x.com": 30.0, "b@x.com": 20.0}


# Shopify's orders export writes an order's 'Financial Status' on its first line only: order #1002 refunded settles
# both its lines (40 and 15: 0), #1003 voided (25: 0); #1001 paid counts its lines, 30 + 20 = 50. Revenue 50.
# Before, in place: 30 + 20 + 40 + 15 + 25 = 130 (reading the status on its own line only: 50 + 15 = 65).
SHOPIFY = ("Name,Email,Financial Status,Created at,Amount\n"
           "#1001,a@x.com,paid,2024-03-01 09:00,30\n"
           "#1001,a@x.com,,2024-03-01 09:00,20\n"
           "#1002,b@x.com,refunded,2024-03-02 09:00,40\n"
           "#1002,b@x.com,,2024-03-02 09:00,15\n"
           "#1003,c@x.com,voided,2024-03-03 09:00,25\n")
SHOPIFY_MONEY = {"a@x.com": 50.0, "b@x.com": 0.0, "c@x.com": 0.0}


def _uploaded(text: str, name: str):
    return build_dataset(parsed_text(text, name))


def _in_place(tmp_path, text: str, name: str):
    path = tmp_path / name
    path.write_text(text)
    return dataset_from_files(path)


def _revenue_by_customer(dataset) -> dict:
    frame = engine.execute(dataset.events.select("customer_id", "revenue"))
    return {str(k): float(v) for k, v in frame.groupby("customer_id")["revenue"].sum().items()}


def _events_in_file_order(dataset) -> list[str]:
    frame = engine.execute(dataset.events.select("row_id", "event"))
    return list(frame.sort_values("row_id")["event"])


def _money_notes(dataset) -> list[str]:
    return [n for n in dataset.files[0].notes if "money figures are net" in n or "repeated on every line" in n]


def test_a_row_whose_status_says_cancelled_refunded_or_failed_counts_no_money_in_place_as_uploaded(tmp_path):
    in_place = _in_place(tmp_path, STATUSES, "charges.csv")
    uploaded = _uploaded(STATUSES, "charges.csv")
    assert _revenue_by_customer(in_place) == STATUS_MONEY == _revenue_by_customer(uploaded)
    assert report.build_report(in_place)["kpis"]["revenue"] == pytest.approx(170.0)
    assert _events_in_file_order(in_place) == STATUS_EVENTS
    # the upload's note, word for word: 2 rows settled by their status, 2 failed
    assert _money_notes(in_place) == _money_notes(uploaded)
    assert _money_notes(in_place)[0].startswith("2 rows whose status says cancelled, returned or refunded count no "
                                                "money")


def test_a_status_of_the_delivery_or_the_account_leaves_the_money_in_place_as_uploaded(tmp_path):
    # 'Delivery Status' failed and 'Account Status' cancelled say nothing of the payment: 40 + 60 = 100 counts.
    text = ("customer_id,timestamp,revenue,Delivery Status,Account Status\n"
            "a,2024-03-01 09:00:00,40,failed,active\n"
            "b,2024-03-02 09:00:00,60,delivered,cancelled\n")
    in_place = _in_place(tmp_path, text, "orders.csv")
    assert _revenue_by_customer(in_place) == {"a": 40.0, "b": 60.0} == _revenue_by_customer(_uploaded(text, "orders.csv"))
    assert _money_notes(in_place) == []


def test_a_negative_row_whose_status_says_refunded_takes_its_money_back_in_place_as_uploaded(tmp_path):
    # A refund line of -40 'refunded' is a reversal line: it keeps its -40 (100 - 40 = 60), not 0.
    text = ("customer_id,timestamp,event,revenue,status\n"
            "a,2024-03-01 09:00:00,purchase,100,paid\n"
            "a,2024-03-05 09:00:00,purchase,-40,refunded\n")
    in_place = _in_place(tmp_path, text, "charges.csv")
    assert _revenue_by_customer(in_place) == {"a": 60.0} == _revenue_by_customer(_uploaded(text, "charges.csv"))


def test_a_refunded_amount_column_is_taken_off_its_rows_money_in_place_as_uploaded(tmp_path):
    in_place = _in_place(tmp_path, REFUNDS, "payments.csv")
    uploaded = _uploaded(REFUNDS, "payments.csv")
    assert _revenue_by_customer(in_place) == REFUND_MONEY == _revenue_by_customer(uploaded)
    assert _money_notes(in_place) == _money_notes(uploaded)
    assert any(n.startswith("Refunded amounts in 'Amount Refunded' are taken off the money of 1 order")
               for n in _money_notes(in_place))


def test_an_orders_refund_written_on_each_line_is_taken_from_its_lines_in_file_order_in_place_as_uploaded(tmp_path):
    in_place = _in_place(tmp_path, LINES, "lines.csv")
    assert in_place.files[0].mapping.columns["revenue"] == "Amount"
    assert _revenue_by_customer(in_place) == LINE_MONEY == _revenue_by_customer(_uploaded(LINES, "lines.csv"))


def test_an_orders_total_repeated_on_its_lines_counts_once_in_place_as_uploaded(tmp_path):
    in_place = _in_place(tmp_path, TOTALS, "orders.csv")
    uploaded = _uploaded(TOTALS, "orders.csv")
    assert in_place.files[0].mapping.columns["revenue"] == "Order Total Amount"
    assert _revenue_by_customer(in_place) == TOTAL_MONEY == _revenue_by_customer(uploaded)
    # the upload's notes: the total once (2 orders of several lines), then the cancelled order's 2 rows
    assert _money_notes(uploaded)[0].startswith("'Order Total Amount' is each order's total")
    assert _money_notes(in_place) == _money_notes(uploaded)


def test_a_subscriptions_id_on_monthly_charges_is_no_order_in_place_as_uploaded(tmp_path):
    in_place = _in_place(tmp_path, MONTHLY, "charges.csv")
    assert _revenue_by_customer(in_place) == MONTHLY_MONEY == _revenue_by_customer(_uploaded(MONTHLY, "charges.csv"))
    assert not any("repeated on every line" in n for n in in_place.files[0].notes)


def test_a_status_written_on_an_orders_first_line_only_settles_all_its_lines_in_place_as_uploaded(tmp_path):
    in_place = _in_place(tmp_path, SHOPIFY, "orders_export.csv")
    uploaded = _uploaded(SHOPIFY, "orders_export.csv")
    assert _revenue_by_customer(in_place) == SHOPIFY_MONEY == _revenue_by_customer(uploaded)
    assert _events_in_file_order(in_place) == ["purchase", "purchase", "return", "return", "cancellation"]
    said = [n for n in in_place.files[0].notes if "first line only" in n]
    assert said == [n for n in uploaded.files[0].notes if "first line only" in n] and len(said) == 1



@pytest.mark.postgres
def test_statuses_and_refunded_amounts_net_the_money_of_a_postgresql_table_as_uploaded(postgres_url):
    # The three files above as PostgreSQL tables of text: the same figures as read in place on DuckDB and uploaded.
    _postgres_table(postgres_url, "charges_by_status", STATUSES)
    _postgres_table(postgres_url, "payments_refunded", REFUNDS)
    _postgres_table(postgres_url, "order_lines", LINES)
    _postgres_table(postgres_url, "order_totals", TOTALS)
    _postgres_table(postgres_url, "monthly_charges", MONTHLY)
    _postgres_table(postgres_url, "shopify_orders", SHOPIFY)
    backend = engine.connect(postgres_url)
    try:
        charges = dataset_from_table(backend, "charges_by_status")
        assert _revenue_by_customer(charges) == STATUS_MONEY
        assert sorted(engine.execute(charges.events.select("event"))["event"]) == sorted(STATUS_EVENTS)
        assert _money_notes(charges) == _money_notes(_uploaded(STATUSES, "charges.csv"))
        assert _revenue_by_customer(dataset_from_table(backend, "payments_refunded")) == REFUND_MONEY
        assert _revenue_by_customer(dataset_from_table(backend, "order_lines")) == LINE_MONEY
        totals = dataset_from_table(backend, "order_totals")
        assert _revenue_by_customer(totals) == TOTAL_MONEY
        assert _money_notes(totals) == _money_notes(_uploaded(TOTALS, "orders.csv"))
        assert _revenue_by_customer(dataset_from_table(backend, "monthly_charges")) == MONTHLY_MONEY
        assert _revenue_by_customer(dataset_from_table(backend, "shopify_orders")) == SHOPIFY_MONEY
    finally:
        backend.close()
