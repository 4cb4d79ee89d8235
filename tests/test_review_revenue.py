"""Review: net revenue on a literal invoice-line log (Online Retail shape): row accounting, KPI revenue,
RFM monetary; and how invoice lines are counted as orders / purchases."""

from __future__ import annotations

import pytest

from cjm import engine
from cjm.customers.rfm import compute_rfm
from cjm.data.dataset import load_dataset
from cjm.journey.kpis import compute_kpis

INVOICES = """InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom
536365,71053,WHITE METAL LANTERN,2,12/1/2010 8:26,3.39,17850,United Kingdom
536365,71053,WHITE METAL LANTERN,2,12/1/2010 8:26,3.39,17850,United Kingdom
C536379,D,Discount,-1,12/1/2010 9:41,27.50,17850,United Kingdom
536400,22633,HAND WARMER,3,12/2/2010 10:00,1.00,13047,United Kingdom
536401,22632,HAND WARMER RED,4,12/2/2010 11:00,1.25,NA,United Kingdom
536402,22632,HAND WARMER RED,-2,12/3/2010 12:00,5.00,13047,United Kingdom
536403,22960,JAM MAKING SET,10,12/4/2010 13:00,0.50,12345,United Kingdom
536404,22961,JAM JAR,1,12/4/2010 14:00,100.00,14000,United Kingdom
536405,22962,JAM LID,1,12/4/2010 15:00,20.00,15000,United Kingdom
C536406,22962,JAM LID,-1,12/4/2010 16:00,20.00,15000,United Kingdom
"""
# by hand (quantity x unit price; the exact repeat of 536365's second line is a duplicate; NA id rejected):
# 17850: 15.30 + 6.78 - 27.50 = -5.42 | 13047: 3.00 - 10.00 = -7.00 | 12345: 5.00 | 14000: 100 | 15000: 0
NET = {"17850": -5.42, "13047": -7.0, "12345": 5.0, "14000": 100.0, "15000": 0.0}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    path = tmp_path_factory.mktemp("inv") / "invoices.csv"
    path.write_text(INVOICES, encoding="utf-8")
    return load_dataset([str(path)])


def kpi(dataset, name):
    k = compute_kpis(dataset, period=("2010-12-01", "2010-12-05")).set_index("name")
    return k.loc[name, "value"]


def test_rows_add_up_with_the_duplicate_line_and_the_missing_id_rejected(dataset):
    acc = dataset.accounting
    assert (acc.rows_in, acc.rows_used, len(acc.rejected)) == (11, 9, 2)
    ev = engine.execute(dataset.events)
    assert sorted(ev["event"]) == ["cancellation", "cancellation", "purchase", "purchase", "purchase", "purchase",
                                   "purchase", "purchase", "return"]


def test_kpi_revenue_is_net_of_cancellations_and_returns(dataset):
    assert kpi(dataset, "revenue") == pytest.approx(sum(NET.values()))  # 92.58


def test_rfm_monetary_is_net_per_customer(dataset):
    rfm = compute_rfm(dataset).set_index("customer_id")
    assert rfm["monetary"].to_dict() == pytest.approx(NET)


def test_two_lines_of_one_invoice_are_not_a_repeat_purchase(dataset):
    assert kpi(dataset, "repeat_purchase_rate") == 0.0


def test_average_order_value_divides_by_orders_not_invoice_lines(dataset):
    # orders with positive money: 536365 (its lines one order), 536400, 536403, 536404, 536405; C536406 takes
    # 536405's 20 back whole, so it is no order (review 17: a fully cancelled order counted halved the others'
    # value; until then this read 92.58 / 5). C536379's 27.50 and 536402's 10 match no order's amount: 4 orders.
    # Their value (2026-12-06, the orders' own money, never below nothing per customer): 536365 15.30 + 6.78 = 22.08
    # (C536379's 27.50 is more than all 17850 paid: it takes back something bought before the data), 536400 3.00
    # (536402's 10.00 return is more than 13047 paid), 536403 5.00, 536404 100.00: 130.08 / 4 = 32.52. Revenue stays
    # net, 92.58 (until then the AOV read 92.58 / 4 = 23.145, two customers' orders worth less than nothing).
    assert kpi(dataset, "average_order_value") == pytest.approx(130.08 / 4)


def test_rfm_frequency_counts_orders_not_invoice_lines(dataset):
    rfm = compute_rfm(dataset).set_index("customer_id")
    assert rfm.loc["17850", "frequency"] == 1


def test_customer_features_monetary_is_net_per_customer(dataset):
    from cjm.customers.features import compute_customer_features
    feats = compute_customer_features(dataset).set_index("customer_id")
    assert feats["monetary"].to_dict() == pytest.approx(NET)


def test_the_journey_maps_value_per_converted_customer_is_net(dataset):
    from cjm.maps import build_current_map
    from cjm.maps.current import _value_per_conversion
    jm = build_current_map(dataset)
    # all 5 customers bought (conversion). Cancellations and returns map to retention, but lift nobody there (review
    # 40: until then 17850, 13047 and 15000 "reached retention" through their cancellation / return, 3 of 5 = 60%, and
    # the map's funnel read conversion 5 -> retention 3): the map has one stage reached, conversion, and no stage
    # funnel, so no projection baseline. On a funnel conversion -> retention, every customer converts at its first
    # step: value per converted customer = their net money 92.58 / 5.
    assert jm.cell("reached", "conversion").number == 5.0 and jm.cell("reached", "retention").number is None
    assert jm.stage("retention").hidden and "value_per_conversion" not in jm.baseline
    assert _value_per_conversion(dataset, ("conversion", "retention"), "conversion", 604800) == \
        pytest.approx(92.58 / 5)
