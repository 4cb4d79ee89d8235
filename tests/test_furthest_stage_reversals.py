"""How far a customer got reads one rule everywhere: a cancellation, return or refund lifts nobody to its stage
(cjm.data.reversals.reversal_names; the Overview's stage reach, cjm.journey.reach, since 9c162cc). The customer
features (segments, personas, profiles), the at-risk readings, the Customer page and the journey map's stage funnel
and time in stage follow it, so a customer is never "reached retention" on one page and not on another. Figures
worked out by hand in the comments."""

from __future__ import annotations

from cjm.customers.features import compute_customer_features
from cjm.data.dataset import load_dataset
from cjm.data.reversals import reached_stage_index, reversal_names
from cjm.journey.reach import compute_stage_reach
from cjm.journey.timeline import compute_customer_summary, compute_customer_timeline
from cjm.maps import build_current_map
from cjm.maps.current import compute_time_in_stage
from cjm.present.charts.timeline import timeline_chart
from cjm.voice.risk import compute_risk_features
from tests.test_reach_reversals import RETAIL, SHOP

# The built-in mapping: awareness 0, consideration 1 (page_view), conversion 2 (purchase), retention 3 (refund,
# order_cancelled, support_ticket), loyalty 4.
# a: view, purchase, refund    -> furthest conversion (2): the refund lifts a nowhere (it was retention, 3)
# b: only order_cancelled      -> furthest none (-1): b reached no stage, as the stage reach counts b nowhere; not
#                                 awareness (b was never seen there either) (was retention, 3)
# c: view, support_ticket      -> furthest retention (3): a support contact is no reversal (unchanged)
# SHOP and RETAIL are the stage reach's hand exports (tests/test_reach_reversals.py): one rule, one example.


def _load(tmp_path, text=SHOP, name="shop.csv"):
    path = tmp_path / name
    path.write_text(text)
    return load_dataset([path])


def test_the_reversal_names_are_the_refunds_cancellations_and_the_loaders_settled_orders_not_a_refund_request():
    # one rule, one function (moved from cjm.journey.reach, which still offers it)
    from cjm.journey import reach

    names = ["page_view", "purchase", "refund", "order_cancelled", "support_ticket", "refund_requested",
             "cancellation", "return"]
    assert reversal_names(names) == ["cancellation", "order_cancelled", "refund", "return"]
    assert reach.reversal_names is reversal_names


def test_a_customers_furthest_stage_feature_is_not_lifted_by_a_refund_or_a_cancelled_order(tmp_path):
    # a 2 (conversion), b -1 (none), c 3 (retention); before: 3, 3, 3 (then constant and dropped)
    features = compute_customer_features(_load(tmp_path)).set_index("customer_id")
    assert features["furthest_stage"].to_dict() == {"a": 2, "b": -1, "c": 3}


def test_the_furthest_stage_feature_agrees_with_the_stage_reach_for_every_customer(tmp_path):
    # a customer's furthest stage is a stage the reach counts them at: per stage, the customers whose furthest stage
    # it is are no more than those it reached, and at the last stage anyone reached, the same. Shop: furthest
    # conversion 1 (a) of reach 1, retention 1 (c) of reach 1 (before: retention 3 of reach 1). Retail: 17850 bought
    # and returned -> conversion (2) of reach 1; 13047 only returned -> none (-1) (before: retention 2 of reach 0).
    for text, name, expected in ((SHOP, "shop.csv", {"a": 2, "b": -1, "c": 3}),
                                 (RETAIL, "retail.csv", {"17850": 2, "13047": -1})):
        ds = _load(tmp_path, text, name)
        furthest = compute_customer_features(ds).set_index("customer_id")["furthest_stage"]
        assert furthest.to_dict() == expected
        reach = compute_stage_reach(ds).set_index("stage_index")["customers"]
        at = furthest.value_counts()
        assert all(at.get(s, 0) <= n for s, n in reach.items())
        last = max(s for s, n in reach.items() if n)
        assert at.get(last, 0) == reach[last]


def test_the_at_risk_readings_count_neither_a_refund_as_progress_nor_a_cancelled_order_as_a_stage(tmp_path):
    # as of 2024-05-01 00:00 UTC. a: furthest conversion, first reached at the purchase 2024-03-01 10:05:
    # 60 days 13 h 55 min = 60.5799 days (before: retention, at the refund 2024-03-09 09:00: 52.625 days);
    # stalled (30 days or more, short of loyalty). b: no stage (-1), never stalled (before: retention, stalled);
    # days since progress counted as for a customer with no mapped event, from b's first event 2024-03-02 11:00:
    # 59 days 13 h = 59.5417 days. c: retention at the ticket 2024-03-04 12:00: 57.5 days, stalled (unchanged).
    risk = compute_risk_features(_load(tmp_path), as_of="2024-05-01").set_index("customer_id")
    assert risk["furthest_stage"].to_dict() == {"a": 2, "b": -1, "c": 3}
    assert round(risk.at["a", "days_since_progress"], 4) == round(60 + 13 / 24 + 55 / 1440, 4)
    assert round(risk.at["b", "days_since_progress"], 4) == round(59 + 13 / 24, 4)
    assert risk.at["c", "days_since_progress"] == 57.5
    assert risk["stalled"].to_dict() == {"a": True, "b": False, "c": True}


def test_the_customer_page_names_the_furthest_stage_the_stage_reach_counts_the_customer_at(tmp_path):
    # profile tile and timeline title: a conversion, b none ("–" on the page, no "furthest stage" in the title),
    # c retention; before: retention for all three
    ds = _load(tmp_path)
    got = {c: compute_customer_summary(ds, customer_id=c)["furthest_stage"] for c in "abc"}
    assert got == {"a": "conversion", "b": None, "c": "retention"}
    titles = {c: timeline_chart(compute_customer_timeline(ds, customer_id=c), stages=ds.stages,
                                customer_id=c).to_dict()["title"]["text"] for c in "abc"}
    assert titles == {"a": "Customer a: 3 events over 8 days, furthest stage conversion",
                      "b": "Customer b: 1 event over less than a day",
                      "c": "Customer c: 2 events over 1 day, furthest stage retention"}


def test_the_journey_maps_stage_funnel_does_not_move_a_customer_to_retention_by_a_refund(tmp_path):
    # d: view, purchase, refund the next day; e: view, purchase, support ticket the next day (all within the 7-day
    # window). The stage funnel (consideration, conversion, retention): 2, 2, 1 (e alone: d's refund lifts d
    # nowhere). Conversion to retention 50% of 2, drop-off 1 of 2 (before: 2, 2, 2; 100% of 2, drop-off 0), as the
    # "customers reached" lane above it says: retention 1. Time in conversion: e alone, purchase to ticket, 1 day
    # (before: d too, also 1 day: 2 customers).
    ds = _load(tmp_path, """customer_id,timestamp,event,revenue
d,2024-03-01 10:00,page_view,
d,2024-03-01 10:05,purchase,40
d,2024-03-02 10:05,refund,-40
e,2024-03-01 11:00,page_view,
e,2024-03-01 11:05,purchase,30
e,2024-03-02 11:05,support_ticket,
""")
    jm = build_current_map(ds)
    assert jm.baseline["funnel_customers"] == [2, 2, 1]
    assert jm.cell("conversion", "conversion").value == "50.0% of 2 to retention"
    assert jm.cell("dropoff", "conversion").number == 1.0
    assert jm.cell("reached", "retention").number == 1.0
    assert jm.cell("time_in_stage", "conversion").evidence.customers == 1
    assert jm.cell("time_in_stage", "conversion").number == 86_400


def test_time_in_conversion_does_not_end_at_a_refund(tmp_path):
    # a entered conversion at the purchase (10:05) and left it forward by no event: the refund on 9 March is no step
    # to retention, so conversion has no time in stage (before: 7 days 22 h 55 min, 1 customer). consideration:
    # a 5 min (view 10:00 to purchase 10:05), c 24 h (view to ticket): median (300 + 86,400) / 2 = 43,350 s.
    times = compute_time_in_stage(_load(tmp_path)).set_index("stage")
    assert times.at["conversion", "customers"] == 0
    assert times.at["consideration", "customers"] == 2 and times.at["consideration", "median_seconds"] == 43_350


def test_an_event_reached_stage_is_minus_one_for_a_reversal_and_its_stage_otherwise(tmp_path):
    # the Ibis rule on the events: page_view 1, purchase 2, refund -1 (a); order_cancelled -1 (b); page_view 1,
    # support_ticket 3 (c)
    ds = _load(tmp_path)
    events = ds.events
    named = reversal_names(["page_view", "purchase", "refund", "order_cancelled", "support_ticket"])
    got = events.mutate(reached=reached_stage_index(events, named)).order_by(["customer_id", "timestamp"])
    assert got.select("reached").to_pandas()["reached"].tolist() == [1, 2, -1, -1, 1, 3]
    assert reached_stage_index(events, []).equals(events.stage_index)


def test_the_journey_maps_actions_share_a_stage_with_its_refunds_out_of_everyone_there_never_over_100_percent(
        tmp_path):
    # f and g only refunded (retention), h wrote a support ticket: retention reached by h alone (1); the actions at
    # retention, of the 3 customers with any event there: refund 2 of 3 = 66.7%, support_ticket 1 of 3 = 33.3%
    # (before: of the 1 reached, "refund (200.0%)")
    ds = _load(tmp_path, """customer_id,timestamp,event,revenue
f,2024-03-01 10:00,page_view,
f,2024-03-02 10:00,refund,-10
g,2024-03-01 11:00,page_view,
g,2024-03-02 11:00,refund,-20
h,2024-03-01 12:00,page_view,
h,2024-03-02 12:00,support_ticket,
""")
    jm = build_current_map(ds)
    assert jm.cell("reached", "retention").number == 1.0
    assert jm.cell("actions", "retention").value == "refund (66.7%)\nsupport_ticket (33.3%)"
    assert jm.cell("actions", "retention").evidence.customers == 3
