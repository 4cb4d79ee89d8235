"""The repeat-purchase rate counts a returning buyer: a customer who bought in the period and had bought before it, at
any time, bought again (cjm.journey.kpis MEANINGS). Figures worked out by hand in the comments."""

from __future__ import annotations

import pytest

from cjm.data.dataset import load_dataset
from cjm.data.filters import Filters
from cjm.journey.kpis import MEANINGS, compute_kpis

SHOP = """customer_id,timestamp,event,revenue
a,2024-01-15 10:00,purchase,30
a,2024-03-05 10:00,purchase,20
b,2024-03-06 10:00,purchase,25
c,2024-02-10 10:00,purchase,40
c,2024-03-02 10:00,refund,-40
c,2024-03-20 10:00,purchase,60
d,2024-03-07 10:00,purchase,10
d,2024-03-21 10:00,purchase,15
e,2024-02-01 10:00,page_view,
e,2024-03-08 10:00,purchase,50
"""


def _load(tmp_path):
    path = tmp_path / "shop.csv"
    path.write_text(SHOP)
    return load_dataset([path])


def test_a_buyer_of_the_period_who_bought_before_it_counts_as_a_repeat_buyer(tmp_path):
    # March buyers: a (20; bought 15 Jan: repeat), b (25, first purchase: no), c (60; its February 40 was refunded
    # whole on 2 Mar, so no earlier purchase: no), d (10 and 15, both in March: repeat), e (50; only a page view
    # before: no). 2 of 5 = 40% (counting only purchases inside March: d alone, 1 of 5 = 20%).
    # The 30 days before (31 Jan - 29 Feb): c bought 10 Feb, nothing before: 0 of 1 (a's 15 Jan is before that period
    # and a bought nothing in it).
    k = compute_kpis(_load(tmp_path), period=("2024-03-01", "2024-04-01")).set_index("name")
    assert k.at["repeat_purchase_rate", "value"] == pytest.approx(2 / 5)
    assert k.at["repeat_purchase_rate", "previous"] == pytest.approx(0.0)
    assert "after buying before it, at any time" in MEANINGS["repeat_purchase_rate"]


def test_over_all_data_nothing_comes_before_so_two_purchases_make_a_repeat_buyer(tmp_path):
    # all data: a (2 purchases) and d (2) of the 5 buyers; c's refunded February order is none: 2 of 5
    k = compute_kpis(_load(tmp_path), period="all").set_index("name")
    assert k.at["repeat_purchase_rate", "value"] == pytest.approx(2 / 5)


def test_a_date_filter_keeps_the_purchases_before_its_range_in_view_of_who_returns(tmp_path):
    # the March range seen as all its data: the same 2 of 5 as the March period (a's January purchase is before the
    # range, but a bought before: a returning buyer)
    view = _load(tmp_path).filtered(Filters(start="2024-03-01", end="2024-03-31"))
    k = compute_kpis(view, period="all").set_index("name")
    assert k.at["repeat_purchase_rate", "value"] == pytest.approx(2 / 5)


def test_the_repeat_rate_of_a_period_is_never_below_its_buyers_who_bought_twice_in_it(tmp_path):
    # invariant: counting earlier buyers only adds repeat buyers; per month of 2024 (Jan: a alone, 0 of 1; Feb: c,
    # 0 of 1; Mar: 2 of 5 >= 1 of 5 who bought twice in March)
    ds = _load(tmp_path)
    twice = {"2024-01": 0.0, "2024-02": 0.0, "2024-03": 1 / 5}
    starts = {"2024-01": ("2024-01-01", "2024-02-01"), "2024-02": ("2024-02-01", "2024-03-01"),
              "2024-03": ("2024-03-01", "2024-04-01")}
    for month, period in starts.items():
        value = compute_kpis(ds, period=period).set_index("name").at["repeat_purchase_rate", "value"]
        assert value >= twice[month] - 1e-12, month
