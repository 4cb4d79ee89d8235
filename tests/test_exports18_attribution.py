"""A multi-touch attribution log (Kaggle's "Multi-Touch Attribution" data of an ad campaign: customer_id, time,
interaction = impression / conversion, conversion 0/1, conversion_value, channel), tried on a real public copy (62,483
touches of 7,896 customers in July 2018: 1,838 conversions by 1,642 customers worth 11,423.50) and here on a few
invented rows in its real shape.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pytest

from cjm import report
from cjm.data.dataset import build_dataset
from tests.helpers import parsed_text

# A1 saw two ads and converted (5.5) through Paid Search; A2 saw one ad; A3 converted twice (7 on 6 Jul, 5 on 12 Jul);
# A4 saw one ad.
ATTRIBUTION = ("customer_id,time,interaction,conversion,conversion_value,channel\n"
               "A000001,2018-07-01T09:00:00Z,impression,0,0,Facebook\n"
               "A000001,2018-07-03T10:00:00Z,impression,0,0,Paid Search\n"
               "A000001,2018-07-04T11:00:00Z,conversion,1,5.5,Paid Search\n"
               "A000002,2018-07-02T12:00:00Z,impression,0,0,Instagram\n"
               "A000003,2018-07-05T08:00:00Z,impression,0,0,Online Video\n"
               "A000003,2018-07-06T09:30:00Z,conversion,1,7,Online Video\n"
               "A000003,2018-07-10T14:00:00Z,impression,0,0,Facebook\n"
               "A000003,2018-07-12T16:00:00Z,conversion,1,5,Facebook\n"
               "A000004,2018-07-08T18:00:00Z,impression,0,0,Online Display\n")


def attribution():
    return build_dataset(parsed_text(ATTRIBUTION, "attribution_data.csv"))


def test_an_interaction_named_conversion_is_at_the_conversion_stage():
    # 'impression' is awareness, 'conversion' the conversion stage. Awareness: all 4 customers; conversion: A1 and A3.
    # Before: 'conversion' was unmapped, so the report read conversion 0 for every stage, path and channel switch
    # (on the real log: awareness 7,894, conversion 0, and no conversion rate).
    dataset = attribution()
    stages = dict(zip(dataset.event_counts["event"], dataset.event_counts["stage"]))
    assert stages == {"impression": "awareness", "conversion": "conversion"}
    assert report.build_report(dataset)["stages"] == {"awareness": 4, "consideration": 0, "conversion": 2,
                                                      "retention": 0, "loyalty": 0}


def test_an_attribution_logs_conversion_value_is_the_revenue():
    # conversion_value is the money of each conversion (0 on impressions). Revenue 5.5 + 7 + 5 = 17.5; 3 conversions
    # with money: average order value 17.5 / 3; A3 converted twice of 2 converting customers: repeat-purchase rate 1/2;
    # converted 2 of 4 customers: conversion rate 1/2. Before: no revenue column (no revenue, AOV or repeat rate; on
    # the real log now 11,423.50, AOV 6.22, repeat 181 / 1,642 = 11.0%, conversion 1,642 / 7,896 = 20.8%).
    dataset = attribution()
    kpis = report.build_report(dataset)["kpis"]
    assert dataset.files[0].mapping.columns["revenue"] == "conversion_value"
    assert kpis["revenue"] == pytest.approx(17.5)
    assert kpis["average_order_value"] == pytest.approx(17.5 / 3)
    assert kpis["repeat_purchase_rate"] == pytest.approx(1 / 2)
    assert kpis["conversion_rate"] == pytest.approx(1 / 2)
