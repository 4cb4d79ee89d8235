"""How far customers get: a cancellation, return or refund lifts nobody to its stage (cjm.journey.reach). Figures
worked out by hand in the comments."""

from __future__ import annotations

import pytest

from cjm.data.dataset import load_dataset
from cjm.journey.reach import compute_stage_reach
from cjm.maps import build_current_map
from cjm.present.charts.reach import stage_reach_chart
from cjm.report.sections import reach_section

SHOP = """customer_id,timestamp,event,revenue
a,2024-03-01 10:00,page_view,
a,2024-03-01 10:05,purchase,40
a,2024-03-09 09:00,refund,-40
b,2024-03-02 11:00,order_cancelled,-25
c,2024-03-03 12:00,page_view,
c,2024-03-04 12:00,support_ticket,
"""
RETAIL = """InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,A,X,2,2010-12-01 08:26,5.00,17850,UK
C536379,A,X,-2,2010-12-01 09:41,5.00,17850,UK
C536402,B,Y,-1,2010-12-21 10:00,10.00,13047,UK
"""


def _load(tmp_path, text, name="shop.csv"):
    path = tmp_path / name
    path.write_text(text)
    return load_dataset([path])


def test_a_customer_whose_only_event_is_a_cancelled_order_reaches_no_stage(tmp_path):
    # 5 stages: page_view -> consideration, purchase -> conversion; refund, order_cancelled and support_ticket ->
    # retention (support). consideration: a, c = 2; conversion: a = 1; retention: c alone (a support ticket) = 1 of 3
    # (33.3%): a's refund and b's cancellation (b's only row) lift nobody there. Counted before: a, b, c = 3 (100%).
    # Left out at retention, their only events there being reversals: a and b = 2.
    ds = _load(tmp_path, SHOP)
    reach = compute_stage_reach(ds).set_index("stage")
    assert reach["customers"].tolist() == [0, 2, 1, 1, 0]
    assert reach.at["retention", "share"] == 1 / 3 and reach.at["retention", "total_customers"] == 3
    assert reach["reversals_only"].tolist() == [0, 0, 0, 2, 0]
    # the report and the journey map's "customers reached" lane read the same rule
    assert reach_section(ds) == {"stages": {"awareness": 0, "consideration": 2, "conversion": 1, "retention": 1,
                                            "loyalty": 0}, "reversals_only": {"retention": 2}}
    assert build_current_map(ds).cell("reached", "retention").number == 1.0
    subtitle = stage_reach_chart(reach.reset_index(), customers=3).to_dict()["title"]["subtitle"]
    assert "not counted at a stage where their only events are cancellations, returns or refunds: retention: " \
           "2 customers" in " ".join(subtitle if isinstance(subtitle, list) else [subtitle])


def test_an_invoice_export_whose_customer_only_cancelled_is_not_at_retention(tmp_path):
    # 17850 bought 536365 (10) and cancelled it (C536379, -10: 'return'); 13047's only line is C536402 (an order
    # outside the export cancelled). conversion: 17850 = 1 of 2; retention: nobody (both only returned), 2 left out.
    # Before: retention 2 of 2 (100%) beside conversion 50%: more customers "retained" than ever bought.
    reach = compute_stage_reach(_load(tmp_path, RETAIL, "retail.csv")).set_index("stage")
    assert (reach.at["conversion", "customers"], reach.at["retention", "customers"]) == (1, 0)
    assert reach.at["retention", "reversals_only"] == 2


@pytest.mark.parametrize("text,name", [(SHOP, "shop.csv"), (RETAIL, "retail.csv")])
def test_every_customer_with_an_event_at_a_stage_is_either_reached_or_left_out_as_reversals_only(tmp_path, text, name):
    # invariant: per stage, reached + reversals only = distinct customers with any event there (shop: retention
    # 1 + 2 = 3; retail: 0 + 2 = 2); reached never exceeds all customers
    ds = _load(tmp_path, text, name)
    events = ds.events.to_pandas()
    anyone = events[events["stage_index"] >= 0].groupby("stage_index")["customer_id"].nunique()
    for row in compute_stage_reach(ds).itertuples():
        assert row.customers + row.reversals_only == anyone.get(row.stage_index, 0), row.stage
        assert row.customers <= row.total_customers
