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


def test_which_rows_are_one_order_is_decided_once_for_the_kpis_and_the_features(monkeypatch):
    calls = []
    find = buying.find_orders
    monkeypatch.setattr(buying, "find_orders", lambda *args: calls.append(1) or find(*args))
    ds = build_dataset(parsed_text(INVOICES, "online_retail.csv"))
    with engine.shared():  # as in the report: the KPIs and the features ask it of the same events
        compute_kpis(ds, period="all")
        compute_customer_features(ds)
    assert len(calls) == 1
    report.build_report(ds)
    assert len(calls) == 2  # once more for the report, in its own scope
