"""The Overview's "How far customers get" chart: its title states what the bars show."""

import pandas as pd

from cjm.present.charts.reach import stage_reach_chart

STAGES = ["awareness", "consideration", "conversion", "retention", "loyalty"]


def reach(customers: list[int], total: int) -> pd.DataFrame:
    return pd.DataFrame({"stage": STAGES, "stage_index": range(5), "customers": customers,
                         "share": [c / total for c in customers], "total_customers": total})


def test_the_title_names_the_share_that_reached_the_last_stage():
    spec = stage_reach_chart(reach([2346, 2364, 774, 850, 266], 3000), customers=3000).to_dict()
    assert spec["title"]["text"] == "8.9% of customers reached loyalty"


def test_when_nobody_reached_the_last_stage_the_title_names_the_furthest_stage_reached():
    # rees46: views and carts (consideration) and purchases (conversion); "0.0% reached loyalty" said nothing.
    spec = stage_reach_chart(reach([0, 330, 9, 0, 0], 330), customers=330).to_dict()
    assert spec["title"]["text"] == ("No customer reached loyalty; the furthest stage reached is conversion "
                                     "(9 customers, 2.7%)")


def test_when_every_event_sits_at_one_stage_the_title_says_so():
    # airline_tweets.csv: every tweet is the touchpoint "feedback", mapped to retention.
    spec = stage_reach_chart(reach([0, 0, 0, 7701, 0], 7701), customers=7701).to_dict()
    assert spec["title"]["text"] == ("All 7,701 customers are at retention only: no event of theirs maps to "
                                     "another stage")


def test_on_a_small_export_the_axis_counts_whole_customers_and_the_title_one_customer():
    # 4 customers, one reached retention: ticks 0, 1, 2 ... (not 0.2, 0.4) and "1 customer", not "1 customers".
    spec = stage_reach_chart(reach([0, 4, 2, 1, 0], 4), customers=4).to_dict()
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert (axis["tickMinStep"], axis["format"]) == (1, ",d")
    assert spec["title"]["text"] == ("No customer reached loyalty; the furthest stage reached is retention "
                                     "(1 customer, 25.0%)")


def test_when_some_customers_have_no_mapped_event_the_one_stage_title_counts_them_apart():
    # a German PayPal export: 6 of its 7 customers have events at retention, the 7th only unmapped events.
    # Before: "All 6 customers are at retention only" above "of 7 customers".
    spec = stage_reach_chart(reach([0, 0, 0, 6, 0], 7), customers=7).to_dict()
    assert spec["title"]["text"] == ("6 of 7 customers are at retention only: no event of theirs maps to another "
                                     "stage; 1 customer has no event mapped to a stage")
