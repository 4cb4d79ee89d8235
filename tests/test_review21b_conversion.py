"""Review 21b of the conversion rate's one rule (cjm.journey.buying: before_conversion, rows_before_conversion,
anyone_before_conversion) in the Overview's KPIs and the customers' 'converted' feature: the rate is hidden only when
every event is a conversion or follows one and every customer converted, read on the whole loaded data (a filtered
view of its buyers reads 100%). Every expected figure is worked out by hand in the comment beside it."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm.customers.features import compute_customer_features
from cjm.data.filters import Filters
from cjm.journey.buying import ONLY_CONVERSIONS
from cjm.journey.kpis import compute_kpis
from tests.helpers import dataset

COLUMNS = ("customer_id", "timestamp", "event", "revenue", "channel")
STAGED = {"purchase": "conversion", "support_ticket": "retention", "ticket_closed": "retention"}
# a stage model of its own without a "conversion" stage: conversions are told by purchases
OWN = {"__order__": ("browse", "buy", "after"), "page_view": "browse", "purchase": "buy", "order_delivered": "after"}


def T(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def rate(ds):
    row = compute_kpis(ds, period="all").set_index("name").loc["conversion_rate"]
    return row["value"] if row["available"] else row["needs"]


def converted(ds):
    """Each customer's 'converted' feature (also when the same for all), or why it was dropped."""
    features = compute_customer_features(ds)
    if "converted" in features:
        return {c: bool(v) for c, v in zip(features["customer_id"], features["converted"])}
    if "converted" in features.attrs.get("constant", {}):
        return {c: bool(features.attrs["constant"]["converted"]) for c in features["customer_id"]}
    return features.attrs["dropped"]["converted"]


def test_a_prospect_with_only_retention_stage_tickets_keeps_the_rate_beside_a_buyer_with_only_purchases():
    rows = [("a", T("2024-03-01"), "purchase", 20.0, "web"), ("b", T("2024-03-02"), "support_ticket", None, "web"),
            ("b", T("2024-03-03"), "ticket_closed", None, "web")]
    ds = dataset(rows, COLUMNS, stages=STAGED)
    # by the stage: a converted; b's events sit at retention without reaching conversion: not converted, 'before'.
    # a of a, b = 1 / 2, shown; the features say the same customers
    assert rate(ds) == pytest.approx(1 / 2)
    assert converted(ds) == {"a": True, "b": False}


def test_buyers_with_only_purchases_and_a_browser_read_the_rate_by_purchase():
    rows = [("a", T("2024-03-01"), "purchase", 20.0, "web"), ("b", T("2024-03-02"), "page_view", None, "email"),
            ("c", T("2024-03-03"), "purchase", 10.0, "web"), ("c", T("2024-03-04"), "order_delivered", None, "web")]
    ds = dataset(rows, COLUMNS, stages=OWN)
    # no conversion stage: by purchase; a and c bought, b only viewed: 2 / 3
    assert rate(ds) == pytest.approx(2 / 3)
    assert converted(ds) == {"a": True, "b": False, "c": True}


def test_a_filtered_view_of_the_buyers_reads_100_percent_when_the_data_has_browsers():
    rows = [("a", T("2024-03-01"), "purchase", 20.0, "web"), ("b", T("2024-03-02"), "page_view", None, "email"),
            ("c", T("2024-03-03"), "purchase", 10.0, "web"), ("c", T("2024-03-04"), "order_delivered", None, "web")]
    web = dataset(rows, COLUMNS, stages=OWN).filtered(Filters(channels=("web",)))
    # the web view holds a and c, both bought: 2 / 2 = 100%, an honest figure beside e-mail's 0 / 1 (b), as the data
    # has a browser; cjm hid it ("every event in this data is a conversion or follows one"), in the segments too
    assert rate(web) == pytest.approx(1.0)
    assert converted(web) == {"a": True, "c": True}


def test_a_view_of_a_buyer_beside_a_prospect_elsewhere_reads_100_percent_by_the_stage_too():
    rows = [("a", T("2024-03-01"), "purchase", 20.0, "web"), ("b", T("2024-03-02"), "support_ticket", None, "email")]
    ds = dataset(rows, COLUMNS, stages=STAGED)
    # web: a, converted: 1 / 1; e-mail: b's ticket, never converts: 0 / 1
    assert rate(ds.filtered(Filters(channels=("web",)))) == pytest.approx(1.0)
    assert rate(ds.filtered(Filters(channels=("email",)))) == 0
    assert converted(ds.filtered(Filters(channels=("email",)))) == {"b": False}


def test_a_view_of_a_purchases_and_deliveries_export_keeps_the_rate_hidden_when_it_cuts_a_delivery_from_its_order():
    rows = [("a", T("2024-03-01"), "purchase", 20.0, "web"), ("a", T("2024-03-05"), "order_delivered", None, "web"),
            ("c", T("2024-03-03"), "purchase", 10.0, "web")]
    ds = dataset(rows, COLUMNS, stages=OWN)
    # every event a purchase or after one, every customer bought: hidden on the whole data
    assert rate(ds) in ONLY_CONVERSIONS
    # from 4 Mar the view holds a's delivery only: a bought on 1 Mar, the data has nobody before buying; hidden
    # still (cjm read 0 / 1 = 0%: a customer who bought counted as not converted)
    view = ds.filtered(Filters(start="2024-03-04"))
    assert rate(view) in ONLY_CONVERSIONS
    assert converted(view) == ONLY_CONVERSIONS


def test_a_tie_or_an_undated_event_beside_a_purchase_counts_as_before_it():
    tie = [("a", T("2024-03-01"), "purchase", 20.0, "web"), ("a", T("2024-03-01"), "order_delivered", None, "web"),
           ("c", T("2024-03-03"), "purchase", 10.0, "web")]
    undated = [("a", None, "purchase", 20.0, "web"), ("a", T("2024-03-02"), "order_delivered", None, "web"),
               ("c", T("2024-03-03"), "purchase", 10.0, "web")]
    # a's delivery at the purchase's own time (or beside an undated purchase) may have come first: a shows before
    # buying, the rate is shown: a and c bought, 2 / 2 = 100%; the features keep 'converted' (True for both)
    for rows in (tie, undated):
        ds = dataset(rows, COLUMNS, stages=OWN)
        assert rate(ds) == pytest.approx(1.0)
        assert converted(ds) == {"a": True, "c": True}


def test_payments_and_their_later_refunds_by_the_money_rule_hide_the_rate():
    stages = {"__order__": ("browse", "pay"), "visit": "browse", "payment": "pay", "refund": "pay"}
    rows = [("a", T("2024-03-01"), "payment", 20.0, "web"), ("a", T("2024-03-02"), "refund", -20.0, "web"),
            ("b", T("2024-03-03"), "payment", 10.0, "web")]
    ds = dataset(rows, COLUMNS, stages=stages)
    # no purchase names: purchases are payments (money > 0); a's refund follows her payment; a and b paid: every
    # event a payment or after one, every customer converted: hidden, never 100%
    assert rate(ds) in ONLY_CONVERSIONS
    assert converted(ds) == ONLY_CONVERSIONS
