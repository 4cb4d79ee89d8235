"""Who bought and who converted is one rule (cjm.journey.buying) for the Overview's KPIs and the customers' features
(segments, RFM): where the two used to differ, the cases below say which answer is right and both now give it.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pytest

from cjm import engine, report
from cjm.customers.features import compute_customer_features
from cjm.data.dataset import build_dataset
from cjm.data.filters import Filters
from cjm.journey import buying
from cjm.journey.kpis import compute_kpis
from tests.helpers import dataset, parsed_text

# a bought on the web; b, an e-mail customer, viewed and made a repeat purchase, which this data's stage mapping puts
# at retention; c only viewed, by e-mail.
STAGES = {"page_view": "awareness", "purchase": "conversion", "repeat_purchase": "retention"}
CHANNELS = [("a", "2024-01-01", "page_view", "web"), ("a", "2024-01-02", "purchase", "web"),
            ("b", "2024-01-03", "page_view", "email"), ("b", "2024-01-04", "repeat_purchase", "email"),
            ("c", "2024-01-05", "page_view", "email")]


def conversion(ds) -> float:
    return compute_kpis(ds, period="all").set_index("name").loc["conversion_rate", "value"]


def test_a_filter_does_not_change_what_a_conversion_is():
    # The whole data converts by the stage (purchase is at "conversion"): a of a, b, c = 1/3; b's repeat_purchase is
    # at retention, no conversion. The e-mail filter keeps all of b's and c's events, so neither's conversion may
    # change: 0 of 2. Before, the Overview of the view found no event at the conversion stage in it and switched to
    # purchase names, counting b's repeat_purchase (1/2), while the segments of the same view said 0 of 2.
    ds = dataset(CHANNELS, ("customer_id", "timestamp", "event", "channel"), stages=STAGES)
    assert conversion(ds) == pytest.approx(1 / 3)
    view = ds.filtered(Filters(channels=("email",)))
    assert conversion(view) == 0
    features = compute_customer_features(view)
    assert "converted" not in features and features.attrs["constant"]["converted"] is False  # the same for b and c


def test_a_payment_converts_when_the_data_names_no_purchase_as_it_is_a_purchase_of_the_repeat_purchase_rate():
    # No event at a "conversion" stage (the model has none) and no event named as a purchase: the repeat-purchase rate
    # counts events with money as purchases (a's payment of 20), so a converted and b did not: 1/2 on the Overview, as
    # the segments said already. Before, the Overview's conversion rate was not available ("needs events mapped to the
    # conversion stage") while the repeat-purchase rate counted a's purchase.
    stages = {"__order__": ("browse", "pay"), "visit": "browse", "payment": "pay"}
    rows = [("a", "2024-01-01", "visit", None), ("a", "2024-01-02", "payment", 20.0), ("b", "2024-01-03", "visit", None)]
    ds = dataset(rows, ("customer_id", "timestamp", "event", "revenue"), stages=stages)
    assert conversion(ds) == pytest.approx(1 / 2)
    features = compute_customer_features(ds).set_index("customer_id")
    assert features["converted"].to_dict() == {"a": True, "b": False}


# Online Retail invoices (a "C" invoice cancels one). 17850: 536500 (30, 1 Dec) and 536501 (2 x 20 = 40, 2 Dec),
# cancelled by C536501 (-40, 3 Dec); 13047: 536503 and 536504 (15 each); 12583: 536510 (25); 14688: 536520, 536521
# and 536522 (10, 12, 8); 15311: 536530 (50); 16098: 536540 (20) cancelled by C536540 (-20).
INVOICES = ("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
            "536500,A,1,2010-12-01 09:00,30,17850\n536501,B,2,2010-12-02 09:00,20,17850\n"
            "C536501,B,-2,2010-12-03 10:00,20,17850\n536503,C,1,2010-12-02 10:00,15,13047\n"
            "536504,C,1,2010-12-05 10:00,15,13047\n536510,D,1,2010-12-04 11:00,25,12583\n"
            "536520,E,1,2010-12-01 12:00,10,14688\n536521,E,1,2010-12-06 12:00,12,14688\n"
            "536522,E,1,2010-12-08 12:00,8,14688\n536530,F,1,2010-12-03 13:00,50,15311\n"
            "536540,G,1,2010-12-02 14:00,20,16098\nC536540,G,-1,2010-12-07 14:00,20,16098\n")
# The cancellations undo a whole invoice each (the amount rule: a later reversal of exactly its amount): 17850 keeps
# 536500, 16098 keeps none. Kept purchases 1 + 2 + 1 + 3 + 1 + 0 = 8 (before, the features counted the cancelled
# invoices too: 2 + 2 + 1 + 3 + 1 + 1 = 10).
KEPT = {"12583": 1, "13047": 2, "14688": 3, "15311": 1, "16098": 0, "17850": 1}


def test_a_customers_purchases_are_the_orders_the_kpis_keep():
    ds = build_dataset(parsed_text(INVOICES, "online_retail.csv"))
    features = compute_customer_features(ds)
    assert dict(zip(features["customer_id"], features["purchases"])) == KEPT
    # buyers (a purchase kept, or none undone): all but 16098, 5; repeat buyers 13047 and 14688: 2 / 5, the
    # customers with 2 purchases or more among those with 1 or more above
    kpis = compute_kpis(ds, period="all").set_index("name")["value"]
    assert kpis["repeat_purchase_rate"] == pytest.approx(2 / 5)


def test_the_reports_segments_count_the_purchases_its_kpis_keep():
    # The segments' mean purchases times their sizes add up to the 8 kept purchases (was 10), beside the report's
    # repeat-purchase rate of 2 / 5.
    out = report.build_report(build_dataset(parsed_text(INVOICES, "online_retail.csv")))
    segments = out["segments"]["segments"]
    assert sum(s["size"] for s in segments) == 6
    assert sum(s["size"] * s["purchases"] for s in segments) == pytest.approx(8)
    assert out["kpis"]["repeat_purchase_rate"] == pytest.approx(2 / 5)


def test_which_rows_are_one_order_is_decided_once_for_the_kpis_and_the_features(monkeypatch):
    calls = []
    find = buying.find_orders
    monkeypatch.setattr(buying, "find_orders", lambda *args, **kwargs: calls.append(1) or find(*args, **kwargs))
    ds = build_dataset(parsed_text(INVOICES, "online_retail.csv"))
    with engine.shared():  # as in the report: the KPIs and the features ask it of the same events
        compute_kpis(ds, period="all")
        compute_customer_features(ds)
    assert len(calls) == 1
    report.build_report(ds)
    assert len(calls) == 2  # once more for the report, in its own scope


def test_a_purchase_without_a_time_is_one_purchase_also_in_data_where_money_goes_back():
    # a: a purchase without a time (10) and one on 1 Mar (20): 2 purchases, the undated one counted once as its lines
    # cannot be told apart; b: 30 on 2 Mar refunded whole on 3 Mar: 0 kept; c: 5 once. Buyers a and c (b's only
    # purchase undone), repeat buyers a: 1 / 2; revenue 10 + 20 + 30 - 30 + 5 = 35 over 2 + 0 + 1 = 3 orders: AOV
    # 11.67. Before, with money going back the undated purchase counted no order: a bought once, 0 / 2, AOV 35 / 2.
    rows = [("a", None, "purchase", 10.0), ("a", "2024-03-01", "purchase", 20.0), ("b", "2024-03-02", "purchase", 30.0),
            ("b", "2024-03-03", "refund", -30.0), ("c", "2024-03-04", "purchase", 5.0)]
    ds = dataset(rows, ("customer_id", "timestamp", "event", "revenue"))
    features = compute_customer_features(ds)
    assert dict(zip(features["customer_id"], features["purchases"])) == {"a": 2, "b": 0, "c": 1}
    kpis = compute_kpis(ds, period="all").set_index("name")["value"]
    assert kpis["repeat_purchase_rate"] == pytest.approx(1 / 2)
    assert kpis["average_order_value"] == pytest.approx(35 / 3)


def test_a_view_counts_the_purchases_of_a_customer_whose_refund_names_an_order_before_it_as_the_whole_data_does():
    # bo: O1 (30, 2 Mar), O2 (30, 11 Mar), 30 back naming O1 (14 Mar); cy: O3 (40, 12 Mar); dd: O4 and O5 (15 and 16
    # Mar). The view from 10 Mar holds O2, the refund, O3, O4 and O5. Whether the refund names a purchase is read on
    # the whole data: it names O1, outside the view, so it undoes nothing there and bo kept O2: bo 1 purchase, cy 1,
    # dd 2. (Read on the view's own events it named nothing, and as 30 back after O2 of 30 it undid O2: bo 0.)
    text = ("customer,date,event,amount,order_id\nbo,2024-03-02 10:00,payment,30,O1\n"
            "bo,2024-03-11 10:00,payment,30,O2\nbo,2024-03-14 10:00,refund,-30,O1\ncy,2024-03-12 10:00,payment,40,O3\n"
            "dd,2024-03-15 10:00,payment,10,O4\ndd,2024-03-16 10:00,payment,10,O5\n")
    view = build_dataset(parsed_text(text, "activity.csv")).filtered(Filters(start="2024-03-10"))
    features = compute_customer_features(view).set_index("customer_id")
    assert features["purchases"].to_dict() == {"bo": 1, "cy": 1, "dd": 2}
