"""Review 20, one rule for who bought and who converted (cjm/journey/buying.py) in the Overview's KPIs and the
customer features, read on the whole loaded data: filtered views, refunds, purchases-only exports and files whose
yes / no column says who bought. Every expected figure is worked out by hand beside it."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm.customers.features import compute_customer_features
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.data.filters import Filters
from cjm.journey.buying import ONLY_CONVERSIONS
from cjm.journey.kpis import compute_kpis
from tests.helpers import dataset

COLUMNS = ("customer_id", "timestamp", "event", "revenue")


def T(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def kpis(ds) -> pd.DataFrame:
    return compute_kpis(ds, period="all").set_index("name")


def kpi(ds, name: str):
    row = kpis(ds).loc[name]
    return (row["value"] if row["available"] else None), bool(row["available"])


def feature(ds, name: str) -> dict:
    """Each customer's value of a feature, also when it was dropped for being the same for everyone."""
    features = compute_customer_features(ds)
    if name in features:
        return dict(zip(features["customer_id"], features[name].tolist()))
    constant = features.attrs.get("constant", {})
    assert name in constant, features.attrs.get("dropped", {}).get(name)
    return {c: constant[name] for c in features["customer_id"]}


# a bought in January (named purchase); in February b gives a donation with money (no purchase name), c only views.
MIXED = [("a", T("2024-01-05 10:00"), "page_view", None), ("a", T("2024-01-05 10:10"), "purchase", 40.0),
         ("b", T("2024-02-05 10:00"), "page_view", None), ("b", T("2024-02-05 10:10"), "donation", 15.0),
         ("c", T("2024-02-06 10:00"), "page_view", None)]


def test_a_february_view_without_named_purchases_reads_0_percent_not_the_money_rule():
    ds = dataset(MIXED, COLUMNS)
    # whole data: the data names purchases ('purchase'), so a purchase is a named one: a of a, b, c = 1 / 3
    assert kpi(ds, "conversion_rate") == (pytest.approx(1 / 3), True)
    feb = ds.filtered(Filters(start="2024-02-01"))
    # the view holds b and c; neither has a named purchase (b's donation has money, but the rule is read on the
    # whole data): 0 / 2 = 0, shown; under the money rule b would count: 1 / 2
    assert kpi(feb, "conversion_rate") == (0.0, True)
    assert {c: bool(v) for c, v in feature(feb, "converted").items()} == {"b": False, "c": False}
    assert {c: int(v) for c, v in feature(feb, "purchases").items()} == {"b": 0, "c": 0}


def test_a_view_where_nobody_reached_the_conversion_stage_reads_0_percent_not_the_purchase_rule():
    # signup is the conversion stage (a, January); b buys in February, the purchase mapped to retention
    rows = [("a", T("2024-01-05 10:00"), "page_view", None), ("a", T("2024-01-05 10:10"), "signup", None),
            ("b", T("2024-02-05 10:00"), "page_view", None), ("b", T("2024-02-05 10:10"), "purchase", 20.0),
            ("c", T("2024-02-06 10:00"), "page_view", None)]
    ds = dataset(rows, COLUMNS, stages={"page_view": "consideration", "signup": "conversion",
                                        "purchase": "retention"})
    # whole data: conversion is told by the stage: a of a, b, c = 1 / 3
    assert kpi(ds, "conversion_rate") == (pytest.approx(1 / 3), True)
    feb = ds.filtered(Filters(start="2024-02-01"))
    # February: b and c, no signup: 0 / 2 (the purchase rule would give b: 1 / 2)
    assert kpi(feb, "conversion_rate") == (0.0, True)
    assert {c: bool(v) for c, v in feature(feb, "converted").items()} == {"b": False, "c": False}
    # b still bought once (purchases are purchases whatever tells a conversion)
    assert {c: int(v) for c, v in feature(feb, "purchases").items()} == {"b": 1, "c": 0}


# a bought 30 (1 Mar) and 20 (5 Mar) and got the 30 back (6 Mar); b bought 50; c only viewed.
REFUNDED = [("a", T("2024-03-01 09:00"), "page_view", None), ("a", T("2024-03-01 10:00"), "purchase", 30.0),
            ("a", T("2024-03-05 10:00"), "purchase", 20.0), ("a", T("2024-03-06 10:00"), "refund", -30.0),
            ("b", T("2024-03-02 09:00"), "page_view", None), ("b", T("2024-03-02 10:00"), "purchase", 50.0),
            ("c", T("2024-03-03 09:00"), "page_view", None)]


def test_an_order_refunded_whole_is_no_purchase_in_the_kpis_and_the_features():
    ds = dataset(REFUNDED, COLUMNS)
    table = kpis(ds)
    # revenue 30 + 20 - 30 + 50 = 70; orders kept: a's 20 and b's 50 (a's 30 is refunded whole) -> AOV 70 / 2 = 35
    assert table.loc["revenue", "value"] == pytest.approx(70.0)
    assert table.loc["average_order_value", "value"] == pytest.approx(35.0)
    # a keeps 1 order, b 1: nobody bought twice: 0 / 2
    assert table.loc["repeat_purchase_rate", "value"] == pytest.approx(0.0)
    # a and b bought (and kept an order), c did not: 2 / 3
    assert table.loc["conversion_rate", "value"] == pytest.approx(2 / 3)
    assert {c: int(v) for c, v in feature(ds, "purchases").items()} == {"a": 1, "b": 1, "c": 0}
    assert {c: bool(v) for c, v in feature(ds, "converted").items()} == {"a": True, "b": True, "c": False}


def test_a_partial_refund_leaves_the_order_a_purchase():
    # a: 30 on 1 Mar, 20 on 5 Mar, 10 back on 6 Mar (matches no order's amount, and no run of orders adds to 10)
    rows = [r if r[2] != "refund" else (r[0], r[1], "refund", -10.0) for r in REFUNDED]
    table = kpis(dataset(rows, COLUMNS))
    # revenue 30 + 20 - 10 + 50 = 90 over 3 orders = 30; a bought twice: 1 / 2
    assert table.loc["average_order_value", "value"] == pytest.approx(30.0)
    assert table.loc["repeat_purchase_rate", "value"] == pytest.approx(0.5)
    assert {c: int(v) for c, v in feature(dataset(rows, COLUMNS), "purchases").items()} == {"a": 2, "b": 1, "c": 0}


def test_the_overviews_converted_customers_are_the_features_converted_customers_when_a_buyer_got_everything_back():
    # a's only order (30) is refunded whole; b bought 50; c viewed. Whichever way a counts, the Overview and the
    # features must count the same customers: conversion rate = (converted customers) / 3
    rows = [("a", T("2024-03-01 09:00"), "page_view", None), ("a", T("2024-03-01 10:00"), "purchase", 30.0),
            ("a", T("2024-03-06 10:00"), "refund", -30.0),
            ("b", T("2024-03-02 09:00"), "page_view", None), ("b", T("2024-03-02 10:00"), "purchase", 50.0),
            ("c", T("2024-03-03 09:00"), "page_view", None)]
    ds = dataset(rows, COLUMNS)
    converted = feature(ds, "converted")
    assert kpi(ds, "conversion_rate")[0] == pytest.approx(sum(bool(v) for v in converted.values()) / 3)
    # a's purchases: 0 (the only order is undone); b 1
    assert {c: int(v) for c, v in feature(ds, "purchases").items()} == {"a": 0, "b": 1, "c": 0}


# a purchases-only export: a bought on 1 and 9 Jan, b on 3 Feb, c on 10 Feb; nothing before buying.
ONLY = [("a", T("2024-01-01 10:00"), "purchase", 10.0), ("a", T("2024-01-09 10:00"), "purchase", 30.0),
        ("b", T("2024-02-03 10:00"), "purchase", 20.0), ("c", T("2024-02-10 10:00"), "purchase", 40.0)]


def test_a_purchases_only_export_shows_no_conversion_rate_in_any_view_but_its_repeat_rate_and_order_value():
    ds = dataset(ONLY, COLUMNS)
    table = kpis(ds)
    assert not table.loc["conversion_rate", "available"]
    assert ONLY_CONVERSIONS.endswith(str(table.loc["conversion_rate", "needs"])) or \
        str(table.loc["conversion_rate", "needs"]) in ONLY_CONVERSIONS
    # repeat: a of a, b, c = 1 / 3; AOV (10 + 30 + 20 + 40) / 4 = 25
    assert table.loc["repeat_purchase_rate", "value"] == pytest.approx(1 / 3)
    assert table.loc["average_order_value", "value"] == pytest.approx(25.0)
    features = compute_customer_features(ds)
    assert "converted" not in features and features.attrs["dropped"]["converted"] == ONLY_CONVERSIONS
    # a February view of it: still every event a purchase, still no rate (never 100%)
    feb = ds.filtered(Filters(start="2024-02-01"))
    assert kpi(feb, "conversion_rate") == (None, False)
    assert compute_customer_features(feb).attrs["dropped"]["converted"] == ONLY_CONVERSIONS


# a stage model of its own without a "conversion" stage: conversions are told by purchases
OWN_STAGES = {"__order__": ("browse", "buy", "after"), "page_view": "browse", "purchase": "buy",
              "order_delivered": "after"}


def test_an_orders_export_of_purchases_and_deliveries_told_by_stage_shows_no_conversion_rate():
    # the 5-stage model: purchase at conversion, order_delivered at retention (after it): no event before buying
    rows = ONLY + [("a", T("2024-01-02 10:00"), "order_delivered", None), ("b", T("2024-02-04 10:00"),
                                                                          "order_delivered", None)]
    ds = dataset(rows, COLUMNS, stages={"purchase": "conversion", "order_delivered": "retention"})
    assert kpi(ds, "conversion_rate") == (None, False)


def test_an_orders_export_of_purchases_and_deliveries_told_by_purchase_shows_no_conversion_rate():
    # the same export under a stage model without a "conversion" stage: a, b, c bought; a's and b's deliveries follow
    # their purchases. Every event is a purchase or follows one (kpis' docstring: "an orders export of purchases and
    # deliveries"): not shown, never 100%
    rows = ONLY + [("a", T("2024-01-02 10:00"), "order_delivered", None), ("b", T("2024-02-04 10:00"),
                                                                          "order_delivered", None)]
    ds = dataset(rows, COLUMNS, stages=OWN_STAGES)
    assert kpi(ds, "conversion_rate") == (None, False)
    assert compute_customer_features(ds).attrs["dropped"]["converted"] == ONLY_CONVERSIONS


def test_told_by_purchase_a_view_at_the_moment_of_a_purchase_or_a_customer_who_never_bought_shows_the_rate():
    # purchases and deliveries as above, plus c's view at the very moment of c's purchase (10 Feb 10:00: which came
    # first cannot be told, so it counts as before): a, b, c bought = 3 / 3, shown
    rows = ONLY + [("a", T("2024-01-02 10:00"), "order_delivered", None),
                   ("c", T("2024-02-10 10:00"), "page_view", None)]
    assert kpi(dataset(rows, COLUMNS, stages=OWN_STAGES), "conversion_rate") == (pytest.approx(1.0), True)
    # instead, d only viewed (12 Feb) and never bought: a, b, c of a, b, c, d = 3 / 4, shown
    rows = ONLY + [("a", T("2024-01-02 10:00"), "order_delivered", None),
                   ("d", T("2024-02-12 10:00"), "page_view", None)]
    ds = dataset(rows, COLUMNS, stages=OWN_STAGES)
    assert kpi(ds, "conversion_rate") == (pytest.approx(0.75), True)
    assert {c: bool(v) for c, v in feature(ds, "converted").items()} == {"a": True, "b": True, "c": True, "d": False}


def test_one_view_before_a_purchase_makes_it_a_funnel_under_either_rule():
    # c viewed on 9 Feb before buying on 10 Feb: a, b, c all bought = 3 / 3, shown
    rows = ONLY + [("c", T("2024-02-09 10:00"), "page_view", None)]
    assert kpi(dataset(rows, COLUMNS, stages=OWN_STAGES), "conversion_rate") == (pytest.approx(1.0), True)


def sessions(rows) -> str:
    return "Pages,Channel,Revenue\n" + "".join(f"{p},{c},{v}\n" for p, c, v in rows)


# ten anonymous sessions; the two that bought are on the web
FLAGGED = [(1, "web", "TRUE"), (2, "web", "FALSE"), (3, "web", "TRUE"), (4, "web", "FALSE"), (5, "web", "FALSE"),
           (6, "email", "FALSE"), (7, "email", "FALSE"), (8, "email", "FALSE"), (9, "email", "FALSE"),
           (10, "email", "FALSE")]


def parse(text: str, mapping: ColumnMapping | None = None):
    return parse_files([SourceFile("sessions.csv", text.encode())],
                       mappings={"sessions.csv": mapping} if mapping else None)


def test_a_flagged_file_filtered_to_a_channel_where_nobody_bought_reads_0_percent():
    parsed = parse(sessions(FLAGGED))
    assert parsed.files[0].mapping.purchase_flag == "Revenue"
    ds = build_dataset(parsed)
    # 2 of 10 sessions bought
    assert kpi(ds, "conversion_rate") == (pytest.approx(0.2), True)
    email = ds.filtered(Filters(channels=("email",)))
    # the five e-mail sessions: none bought: 0 / 5, shown (the file names its purchases by the flag)
    assert kpi(email, "conversion_rate") == (0.0, True)
    assert set(bool(v) for v in feature(email, "converted").values()) == {False}
    assert len(feature(email, "converted")) == 5
    web = ds.filtered(Filters(channels=("web",)))
    # the five web sessions, two bought: 2 / 5
    assert kpi(web, "conversion_rate") == (pytest.approx(0.4), True)


def test_a_flagged_file_where_no_row_bought_reads_0_percent_and_no_segment_converted():
    # a column of 'no' on every row is chosen as the flag by hand (nothing says it is one otherwise)
    chosen = ColumnMapping(shape="anonymous", event_constant="session", purchase_flag="Revenue",
                           columns={"channel": "Channel"})
    parsed = parse(sessions([(p, c, "FALSE") for p, c, _ in FLAGGED]), chosen)
    assert parsed.files[0].mapping.purchase_flag == "Revenue"
    ds = build_dataset(parsed)
    # no yes row: 0 / 10, a known 0%
    assert kpi(ds, "conversion_rate") == (0.0, True)
    assert set(bool(v) for v in feature(ds, "converted").values()) == {False}


# no event is named as a purchase: purchases are events with money. a donated in January; b and c only viewed in
# February.
DONATIONS = [("a", T("2024-01-05 10:00"), "page_view", None), ("a", T("2024-01-05 10:10"), "donation", 40.0),
             ("b", T("2024-02-05 10:00"), "page_view", None), ("c", T("2024-02-06 10:00"), "page_view", None)]


def test_a_view_without_money_of_data_whose_purchases_are_its_money_reads_0_percent_not_unknown():
    ds = dataset(DONATIONS, COLUMNS)
    # whole data: a of a, b, c = 1 / 3
    assert kpi(ds, "conversion_rate") == (pytest.approx(1 / 3), True)
    feb = ds.filtered(Filters(start="2024-02-01"))
    # February: b, c, nobody paid: 0 / 2, the rule of the whole data (not "needs a conversion or a purchase")
    assert kpi(feb, "conversion_rate") == (0.0, True)
    assert {c: bool(v) for c, v in feature(feb, "converted").items()} == {"b": False, "c": False}


def test_a_refund_in_february_of_a_january_order_undoes_nothing_in_a_february_view_or_period():
    # a: 30 on 5 Jan, 30 back on 3 Feb, then 30 on 10 Feb and 20 on 20 Feb; b: 50 on 5 Feb
    rows = [("a", T("2024-01-05 09:00"), "page_view", None), ("a", T("2024-01-05 10:00"), "purchase", 30.0),
            ("a", T("2024-02-03 10:00"), "refund", -30.0), ("a", T("2024-02-10 10:00"), "purchase", 30.0),
            ("a", T("2024-02-20 10:00"), "purchase", 20.0),
            ("b", T("2024-02-05 09:00"), "page_view", None), ("b", T("2024-02-05 10:00"), "purchase", 50.0)]
    ds = dataset(rows, COLUMNS)
    # whole data: the refund follows only the January 30: a keeps 10 Feb and 20 Feb (2), b 1
    assert {c: int(v) for c, v in feature(ds, "purchases").items()} == {"a": 2, "b": 1}
    # February view: the refund comes before any purchase of the view, so undoes none: a 2, b 1
    feb = ds.filtered(Filters(start="2024-02-01"))
    assert {c: int(v) for c, v in feature(feb, "purchases").items()} == {"a": 2, "b": 1}
    table = compute_kpis(ds, period=("2024-02-01", "2024-03-01"), previous=("2024-01-01", "2024-02-01"))
    value = table.set_index("name")
    # February: revenue -30 + 30 + 20 + 50 = 70; its 3 orders are worth 30 + 20 + 50 = 100: the refund of 3 Feb takes
    # back January's order (a paid nothing in February before it), no February order, so AOV 100 / 3. (Until
    # 2026-12-06 this read 70 / 3: the value of February's orders less a January refund; with a 30 refund and one
    # 20 order in a period, that rule gave an order value of -10.) a bought twice of a, b: 1 / 2
    assert value.loc["revenue", "value"] == pytest.approx(70.0)
    assert value.loc["average_order_value", "value"] == pytest.approx(100 / 3)
    assert value.loc["repeat_purchase_rate", "value"] == pytest.approx(0.5)
    # January (cut at 1 Feb, the refund outside it): a's 30 kept: AOV 30, repeat 0 / 1
    assert value.loc["average_order_value", "previous"] == pytest.approx(30.0)
    assert value.loc["repeat_purchase_rate", "previous"] == pytest.approx(0.0)
