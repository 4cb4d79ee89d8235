"""Period bounds given as dates, the period comparison's 'too little time' message, the order-id rule's days and the
filters named in the empty view's note are in the dataset's time zone (cjm.data.clock.dates_clock), as the date filter
and the default periods already were; UTC's when the data names none.

The hand export SHOP of a New York shop (tests/test_dates_in_the_datasets_time_zone.py; America/New_York, UTC-5 in
winter):

  a  1 Jan 2025 00:30 local = 1 Jan 05:30 UTC      a  8 Jan 23:30 local = 9 Jan 04:30 UTC (a purchase)
  b  9 Jan 00:30 local      = 9 Jan 05:30 UTC      c  31 Dec 2024 23:30 local = 1 Jan 04:30 UTC
  d  8 Jul 23:30 local      = 9 Jul 03:30 UTC      e  9 Jul 00:15 local = 9 Jul 04:15 UTC (summer time)
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjm.data import views
from cjm.data.clock import dates_clock
from cjm.data.dataset import load_dataset
from cjm.data.filters import Filters
from cjm.errors import EmptyViewError, InsufficientDataError
from cjm.journey.funnel import FunnelParams
from cjm.journey.kpis import compute_kpis
from cjm.journey.periods import compare_periods
from tests.test_dates_in_the_datasets_time_zone import NEW_YORK, PLAIN, SHOP

STEPS = FunnelParams(steps=("page_view", "purchase"), step_kind="event")


def _load(tmp_path, text, name="shop.csv"):
    path = tmp_path / name
    path.write_text(text)
    return load_dataset([path])


def _utc(text) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def test_a_period_given_as_dates_is_the_new_york_shops_days(tmp_path):
    # 1-8 Jan given as ('2025-01-01', '2025-01-09') is [1 Jan 05:00, 9 Jan 05:00 UTC) in New York: a's two events (1 Jan
    # 05:30 and 9 Jan 04:30 UTC, his purchase), not c's 04:30 on 1 Jan nor b's 05:30 on 9 Jan: 1 customer, converted.
    # Read as UTC's days (before) it was [1 Jan 00:00, 9 Jan 00:00 UTC): c and a's page view, 2 customers, 0%, and the
    # period read '31 Dec 2024 19:00 – 8 Jan 2025 19:00 America/New_York'
    shop = _load(tmp_path, SHOP)
    kpis = compute_kpis(shop, period=("2025-01-01", "2025-01-09")).set_index("name")
    assert kpis.loc["customers", "value"] == 1
    assert kpis.loc["conversion_rate", "value"] == pytest.approx(1.0)
    assert kpis.loc["customers", "period"] == "1 Jan 2025 – 8 Jan 2025"
    # the previous period given as dates too: 31 Dec 2024 in New York, [31 Dec 05:00, 1 Jan 05:00 UTC): c's 04:30
    kpis = compute_kpis(shop, period=("2025-01-01", "2025-01-09"),
                        previous=("2024-12-31", "2025-01-01")).set_index("name")
    assert kpis.loc["customers", "previous"] == 1
    assert kpis.loc["customers", "previous_period"] == "31 Dec 2024"
    # the same wall times naming no zone are UTC: [1 Jan 00:00, 9 Jan 00:00 UTC) holds a's two and c's 31 Dec is out
    plain = compute_kpis(_load(tmp_path, PLAIN, "plain.csv"), period=("2025-01-01", "2025-01-09")).set_index("name")
    assert plain.loc["customers", "value"] == 1 and plain.loc["customers", "period"] == "1 Jan 2025 – 8 Jan 2025"


def test_the_funnels_periods_given_as_dates_are_the_zones_midnights(tmp_path):
    # current 5-8 Jan, previous 1-4 Jan, given as dates: New York's midnights, 05:00 UTC (before: 00:00 UTC)
    comparison = compare_periods(_load(tmp_path, SHOP), params=STEPS, current=("2025-01-05", "2025-01-09"),
                                 previous=("2025-01-01", "2025-01-05"))
    row = comparison.iloc[0]
    assert (row["previous_start"], row["previous_end"], row["current_end"]) == \
        (_utc("2025-01-01 05:00"), _utc("2025-01-05 05:00"), _utc("2025-01-09 05:00"))
    # the previous period's page views: a's 00:30 on 1 Jan (05:30 UTC), not c's 23:30 on 31 Dec (04:30 UTC on 1 Jan):
    # 1 customer (UTC's days kept c too: 2)
    assert int(row["customers_previous"]) == 1
    # an instant given with its zone stays that instant
    exact = compare_periods(_load(tmp_path, SHOP), params=STEPS, current=("2025-01-05T05:00:00+00:00", "2025-01-09"),
                            previous=("2025-01-01", "2025-01-05")).iloc[0]
    assert exact["current_start"] == _utc("2025-01-05 05:00")
    utc = compare_periods(_load(tmp_path, PLAIN, "plain.csv"), params=STEPS, current=("2025-01-05", "2025-01-09"),
                          previous=("2025-01-01", "2025-01-05")).iloc[0]
    assert utc["current_start"] == _utc("2025-01-05")  # a dataset naming no zone: UTC's midnight, as before


def test_too_little_time_to_split_is_said_in_the_zones_time_naming_it(tmp_path):
    # two events at 23:30:00 and 23:30:30 on 8 Jan in New York (04:30 UTC on the 9th): one minute, no earlier half.
    # Before: 'between 09 Jan 2025 04:30 and 04:30 UTC'
    text = ("customer_id,timestamp,event,Time Zone\n"
            f"a,2025-01-08 23:30:00,page_view,{NEW_YORK}\nb,2025-01-08 23:30:30,purchase,{NEW_YORK}\n")
    with pytest.raises(InsufficientDataError, match="Every event falls between 08 Jan 2025 23:30 and 23:30 "
                                                    "America/New_York: too little time"):
        compare_periods(_load(tmp_path, text, "minute.csv"), params=STEPS)
    plain = text.replace(f",{NEW_YORK}", "").replace(",Time Zone", "")
    with pytest.raises(InsufficientDataError, match="Every event falls between 08 Jan 2025 23:30 and 23:30 UTC: "):
        compare_periods(_load(tmp_path, plain, "plain.csv"), params=STEPS)


# An order id whose two lines are 13 hours apart on one New York day (08:00 and 21:00 on 8 Jan: 13:00 on the 8th and
# 02:00 on the 9th UTC) for a and d (07:30 and 20:30: 12:30 and 01:30 UTC), b two ids. 10 each line.
ORDERS = ("customer_id,timestamp,event,revenue,order_id,Time Zone\n"
          "a,2025-01-08 08:00,purchase,10,A1,{z}\na,2025-01-08 21:00,purchase,10,A1,{z}\n"
          "d,2025-01-08 07:30,purchase,10,D1,{z}\nd,2025-01-08 20:30,purchase,10,D1,{z}\n"
          "b,2025-01-08 10:00,purchase,10,B1,{z}\nb,2025-01-09 10:00,purchase,10,B2,{z}\n")


def test_an_order_id_on_one_new_york_day_is_one_order_though_it_spans_two_utc_days(tmp_path):
    # New York's days: a and d hold one id on one day each, b two ids: 0 customers with one id over days, not more than
    # 1: the column names orders. Orders a 1, d 1, b 2: repeat buyers b of 3 = 1/3; 60 over 4 orders = 15.
    # On UTC's days (before) a and d held one id on two days each (2 > 1): no order ids, orders were moments, each line
    # one: 3 of 3 repeat, 60 / 6 = 10
    kpis = compute_kpis(_load(tmp_path, ORDERS.format(z=NEW_YORK)), period="all").set_index("name")["value"]
    assert kpis["repeat_purchase_rate"] == pytest.approx(1 / 3)
    assert kpis["average_order_value"] == pytest.approx(15.0)
    # the same wall times naming no zone: the two lines of a (and of d) are one UTC day: the same orders
    plain = ORDERS.replace(",{z}", "").replace(",Time Zone", "")
    kpis = compute_kpis(_load(tmp_path, plain, "plain.csv"), period="all").set_index("name")["value"]
    assert kpis["repeat_purchase_rate"] == pytest.approx(1 / 3)
    assert kpis["average_order_value"] == pytest.approx(15.0)


def test_the_empty_views_note_names_the_days_of_the_new_york_shop(tmp_path):
    # February holds nothing; the range is New York's days and says so; the data runs 31 Dec 2024 - 9 Jul 2025 there
    shop = _load(tmp_path, SHOP)
    with pytest.raises(EmptyViewError, match="1 Feb 2025 – 28 Feb 2025 \\(America/New_York days\\) \\(the data runs "
                                             "31 Dec 2024 – 9 Jul 2025\\)"):
        views.check_not_empty(shop, Filters(start="2025-02-01", end="2025-02-28"))
    assert views.describe_filters(Filters(start="2025-01-01", end="2025-01-08"), dates_clock(shop)) == \
        "1 Jan 2025 – 8 Jan 2025 (America/New_York days)"
    # UTC's days (no zone named) are not named, as before
    plain = _load(tmp_path, PLAIN, "plain.csv")
    assert views.describe_filters(Filters(start="2025-01-01", end="2025-01-08"), dates_clock(plain)) == \
        "1 Jan 2025 – 8 Jan 2025"
    with pytest.raises(EmptyViewError, match="1 Feb 2025 – 28 Feb 2025 \\(the data runs"):
        views.check_not_empty(plain, Filters(start="2025-02-01", end="2025-02-28"))
