"""Review 4, the journey KPIs (cjm/journey/kpis.py) against hand counts.

A KPI whose inputs the data lacks is unavailable with the reason, never a number that says nothing: a
conversion rate needs events that show customers before they convert, a repeat-purchase rate needs to
know which rows are one customer's; undated exports are measured over all their rows; data within one
day is halved at the middle of its own span.
"""

import pandas as pd
import pytest

from cjm.data.dataset import load_dataset
from cjm.journey.kpis import compute_kpis, default_periods
from cjm.report.build import build_report
from tests.helpers import dataset

MAPPED = {"page_view": "consideration", "purchase": "conversion", "delivered": "retention"}
COLUMNS = ("customer_id", "timestamp", "event", "revenue")


def _kpis(rows, *, stages=MAPPED, period="all", **kwargs):
    return compute_kpis(dataset(rows, COLUMNS, stages=stages), period=period, **kwargs).set_index("name")


def test_a_purchases_only_export_has_no_conversion_rate():
    k = _kpis([("a", "2024-01-01", "purchase", 10.0), ("b", "2024-01-02", "purchase", 20.0)])
    assert not k.loc["conversion_rate", "available"]
    assert "every event in this data is a conversion" in k.loc["conversion_rate", "needs"]


def test_an_orders_export_of_purchases_and_deliveries_has_no_conversion_rate():
    # no event shows anyone before buying: "100% converted" (2 of 2 customers) would say nothing
    k = _kpis([("a", "2024-01-01", "purchase", 10.0), ("a", "2024-01-05", "delivered", None),
               ("b", "2024-01-02", "purchase", 20.0), ("b", "2024-01-06", "delivered", None)])
    assert not k.loc["conversion_rate", "available"]
    assert "every event in this data is a conversion or follows one" in k.loc["conversion_rate", "needs"]


def test_visits_before_the_purchases_give_the_share_of_customers_who_converted():
    # a viewed and bought, b bought, c viewed: 2 of 3 converted
    rows = [("a", "2024-01-01 10:00", "page_view", None), ("a", "2024-01-01 10:05", "purchase", 10.0),
            ("b", "2024-01-02 10:00", "purchase", 20.0), ("c", "2024-01-03 10:00", "page_view", None)]
    k = _kpis(rows)
    assert k.loc["conversion_rate", "available"] and k.loc["conversion_rate", "value"] == pytest.approx(2 / 3)
    # an event the stage model does not name (a newsletter signup) may be a visit: the rate stays available;
    # 1 (b) of 2 customers converted
    k = _kpis([("a", "2024-01-01", "newsletter_signup", None), ("b", "2024-01-02", "purchase", 20.0)])
    assert k.loc["conversion_rate", "value"] == pytest.approx(1 / 2)


def test_an_undated_export_is_measured_over_all_its_rows(tmp_path):
    # three anonymous buyers (each row one respondent): revenue 10 + 20 + 5 = 35, 3 orders, 35 / 3 = 11.67
    path = tmp_path / "reviews.csv"
    path.write_text("product,amount,rating,comment\nx,10,5,good\nx,20,4,ok\ny,5,1,bad\n", encoding="utf-8")
    k = compute_kpis(load_dataset([path])).set_index("name")
    assert k.loc["customers", "period"] == "all data (it has no dates)"
    assert k.loc["customers", "value"] == 3
    assert k.loc["revenue", "value"] == pytest.approx(35.0)
    assert k.loc["average_order_value", "value"] == pytest.approx(35 / 3)
    assert not k.loc["conversion_rate", "available"]  # every row is a purchase


def test_anonymous_responses_have_no_repeat_purchase_rate(tmp_path):
    # each row is a different respondent: a "0.0%" repeat-purchase rate would be true by construction only
    path = tmp_path / "reviews.csv"
    path.write_text("product,amount,rating,comment\nx,10,5,good\nx,20,4,ok\ny,5,1,bad\n", encoding="utf-8")
    k = compute_kpis(load_dataset([path])).set_index("name")
    assert not k.loc["repeat_purchase_rate", "available"]
    assert "customer id" in k.loc["repeat_purchase_rate", "needs"]


def test_a_customer_file_with_ids_keeps_its_repeat_purchase_rate():
    # a bought on 1 and 3 Jan, b once: 1 of 2 buyers bought again
    rows = [("a", "2024-01-01", "purchase", 10.0), ("a", "2024-01-03", "purchase", 5.0),
            ("b", "2024-01-02", "purchase", 20.0)]
    k = _kpis(rows)
    assert k.loc["repeat_purchase_rate", "value"] == pytest.approx(1 / 2)


def test_seventeen_minutes_of_data_are_halved_at_their_middle_minute():
    # 10:00 .. 10:17: end 10:18, middle floor(10:08:30) = 10:08; current [10:08, 10:18) holds c and a's
    # purchase (a, c: 2 customers, a converted: 50%), previous [09:58, 10:08) holds a and b (0 converted)
    rows = [("a", "2019-10-01 10:00", "page_view", None), ("b", "2019-10-01 10:05", "page_view", None),
            ("c", "2019-10-01 10:09", "page_view", None), ("a", "2019-10-01 10:17", "purchase", 9.0)]
    k = _kpis(rows, period=None)
    assert (k.loc["customers", "value"], k.loc["customers", "previous"]) == (2, 2)
    assert k.loc["conversion_rate", "value"] == pytest.approx(0.5)
    assert k.loc["conversion_rate", "previous"] == 0.0
    assert k.loc["conversion_rate", "change_display"] == "+50.0 pts"
    assert k.loc["customers", "period"] == "1 Oct 2019 10:08 – 1 Oct 2019 10:18 UTC"


def test_data_within_one_minute_is_not_compared_with_an_empty_earlier_half():
    # 10:00:10 and 10:00:50: the middle minute is 10:00, so the earlier "half" [09:59, 10:00) holds nothing;
    # "Customers 2, +2" against it would be a rise that never happened
    first, last = pd.Timestamp("2019-10-01 10:00:10", tz="UTC"), pd.Timestamp("2019-10-01 10:00:50", tz="UTC")
    current, previous = default_periods(first, last)
    assert current == (pd.Timestamp("2019-10-01 10:00", tz="UTC"), pd.Timestamp("2019-10-01 10:01", tz="UTC"))
    assert previous is None
    k = _kpis([("a", "2019-10-01 10:00:10", "page_view", None), ("b", "2019-10-01 10:00:50", "page_view", None)],
              period=None)
    assert k.loc["customers", "value"] == 2 and k.loc["customers", "change_display"] == ""
    assert k.loc["customers", "previous_period"] == ""


def test_the_report_computes_kpis_when_there_is_no_funnel():
    # one touchpoint only: no funnel; the KPIs need none. customers a, b = 2
    rows = [("a", "2024-01-01 10:00", "tweet", -1.0), ("b", "2024-01-02 10:00", "tweet", 1.0),
            ("a", "2024-01-03 10:00", "tweet", 0.0)]
    report = build_report(dataset(rows, ("customer_id", "timestamp", "event", "score")))
    assert report["kpis"] == {"customers": 2}
    assert "abandonment" in report["skipped"]


def test_anonymous_undated_responses_have_no_checkout_abandonment_rather_than_a_blank_one(tmp_path):
    # no dates: no window can close; no id: the checkout and the purchase are two different respondents
    path = tmp_path / "responses.csv"
    path.write_text("event,amount,rating\ncheckout_started,,5\npurchase,20,4\npage_view,,1\n", encoding="utf-8")
    k = compute_kpis(load_dataset([path])).set_index("name")
    assert not k.loc["checkout_abandonment", "available"] and k.loc["checkout_abandonment", "needs"]
    assert k.loc["conversion_rate", "value"] == pytest.approx(1 / 3)  # 1 of 3 respondents bought


def test_a_dated_export_with_checkouts_and_purchases_keeps_its_checkout_abandonment():
    # a checked out 1 Jan and bought 2 Jan; b checked out 1 Jan, window closed 8 Jan before the end (20 Jan)
    rows = [("a", "2024-01-01", "checkout_started", None), ("a", "2024-01-02", "purchase", 10.0),
            ("b", "2024-01-01", "checkout_started", None), ("c", "2024-01-20", "page_view", None)]
    k = _kpis(rows)
    assert k.loc["checkout_abandonment", "value"] == pytest.approx(1 / 2)
