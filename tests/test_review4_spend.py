"""Review 4, spend (monetary) per customer and per segment against hand sums.

Without revenue on the events, a customer's spend is the sum of the customers table's money columns
(MntWines, total_spend, ...) that are money spent with you: declared, expected, predicted, target and budget
figures are not. A value the features filled with the median is no spend; a customer with no money value
at all has an unknown spend (NaN), left out of segment totals and of the value chart's average customer.
"""

import math

import numpy as np
import pandas as pd
import pytest

from cjm.customers.features import compute_customer_features
from cjm.customers.profiles import compute_segment_profiles
from cjm.present.charts.segments import segment_value_chart
from tests.helpers import dataset

VISITS = [(c, f"2024-01-0{i + 1} 10:00", "page_view") for i, c in enumerate("abcd")] + [
    ("a", "2024-01-05 10:00", "page_view")]
CUSTOMERS = pd.DataFrame({
    "customer_id": list("abcd"),
    "MntWines": [100, 50, np.nan, 0], "MntMeat": [20, np.nan, np.nan, 5],  # spend
    "declared_monthly_revenue": [1000.0, 2000, 3000, 4000], "expected_revenue": [5.0, 6, 7, 8],  # not spend
    "target_amount": [1.0, 2, 3, 4], "marketing_budget_amount": [9.0, 8, 7, 6],
    "predicted_lifetime_value": [300.0, 200, 100, 50], "Income": [1e4, 2e4, 3e4, 4e4],
})


def _features():
    return compute_customer_features(dataset(VISITS, customers=CUSTOMERS))


def test_spend_sums_the_money_columns_without_medians_forecasts_or_budgets():
    features = _features().set_index("customer_id")
    # a 100 + 20 = 120; b 50 (its MntMeat median 12.5 is no spend); c nothing known: NaN; d 0 + 5 = 5
    assert features.loc["a", "monetary"] == 120.0
    assert features.loc["b", "monetary"] == 50.0
    assert math.isnan(features.loc["c", "monetary"])
    assert features.loc["d", "monetary"] == 5.0
    assert features.loc["c", "MntWines"] == 50.0  # the attribute itself keeps its median (median of 100, 50, 0)
    note = next(n for n in features.attrs["notes"] if n.startswith("The events carry no revenue"))
    assert note.endswith("MntWines, MntMeat.")  # not declared, expected, target, budget or predicted values


def test_segment_totals_and_means_are_over_customers_with_a_known_spend():
    profiles = compute_segment_profiles(_features(), [0, 0, 1, 1]).set_index("segment")  # {a, b}, {c, d}
    assert (profiles.loc[0, "value_total"], profiles.loc[0, "value_mean"], profiles.loc[0, "value_customers"]) == (
        170.0, 85.0, 2)  # 120 + 50, / 2
    assert (profiles.loc[1, "value_total"], profiles.loc[1, "value_mean"], profiles.loc[1, "value_customers"]) == (
        5.0, 5.0, 1)  # c unknown: 5 / 1, not 5 / 2


def test_the_value_charts_average_customer_is_total_spend_over_customers_with_a_known_spend():
    profiles = compute_segment_profiles(_features(), [0, 0, 1, 1])
    chart = segment_value_chart(profiles, names={0: "Wine lovers", 1: "Others"}).to_dict()
    # average = (170 + 5) / 3 known = 58.33; Wine lovers 85 / 58.33 = 1.457 -> "1.5x"
    assert "Wine lovers spend 1.5x the average customer" in str(chart["title"])
    averages = [row["average"] for rows in chart.get("datasets", {}).values() for row in rows if "average" in row]
    assert averages and averages[0] == pytest.approx(175 / 3)


def test_with_revenue_on_the_events_a_customer_who_bought_nothing_has_spent_zero():
    rows = [("a", "2024-01-01 10:00", "purchase", 30.0), ("a", "2024-01-03 10:00", "purchase", 20.0),
            ("b", "2024-01-02 10:00", "page_view", None), ("c", "2024-01-02 11:00", "purchase", -5.0)]
    features = compute_customer_features(
        dataset(rows, ("customer_id", "timestamp", "event", "revenue"))).set_index("customer_id")
    assert features.loc["a", "monetary"] == 50.0  # 30 + 20
    assert features.loc["b", "monetary"] == 0.0  # known: nothing bought
    assert features.loc["c", "monetary"] == -5.0  # a refund is net money (DESIGN.md section 3)
