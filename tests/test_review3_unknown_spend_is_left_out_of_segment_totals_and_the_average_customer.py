"""Review 3: a customer without a value in the customers file's money columns has no spend (NaN, "left out
of spend figures", cjm/customers/features.py _spend_from_attributes). Downstream, unknown spend must not
turn into a spend of 0: not in a segment's total, not in the "average customer" of the segment value chart."""

import math

import numpy as np
import pandas as pd

from cjm.customers.profiles import compute_segment_profiles
from cjm.present.charts.segments import segment_value_chart

# a, b, c spent 100, 200, 150; d, e, f have no value in the customers file
FEATURES = pd.DataFrame({
    "customer_id": list("abcdef"), "recency_days": [1.0, 2, 3, 40, 50, 60], "frequency": [5, 4, 3, 1, 1, 2],
    "monetary": [100.0, 200, 150, np.nan, np.nan, np.nan], "converted": [True] * 6,
})
LABELS = [0, 0, 0, 1, 1, 1]


def test_a_segment_whose_spend_is_unknown_has_no_total_spend_rather_than_zero():
    profiles = compute_segment_profiles(FEATURES, LABELS).set_index("segment")
    assert profiles.loc[0, "value_total"] == 450.0 and profiles.loc[0, "value_mean"] == 150.0
    assert math.isnan(profiles.loc[1, "value_mean"])
    assert math.isnan(profiles.loc[1, "value_total"])  # unknown, shown '–', not 'Total spend 0'


def test_the_average_customer_of_the_value_chart_is_over_the_customers_whose_spend_is_known():
    profiles = compute_segment_profiles(FEATURES, LABELS)
    chart = segment_value_chart(profiles, names={0: "Buyers", 1: "Unknown"}).to_dict()
    datasets = chart.get("datasets", {})
    values = [row["average"] for rows in datasets.values() for row in rows if "average" in row]
    assert values == [150.0]  # 450 spent by the 3 customers with a known spend (not 450 / 6 = 75)
    assert "2x" not in str(chart["title"]) and "2.0x" not in str(chart["title"])
