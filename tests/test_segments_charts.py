"""Segment chart specs, checked through chart.to_dict()."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs

from cjm.present.charts import SEGMENT_PALETTE
from cjm.present.charts.segments import (
    profile_heatmap_chart,
    rfm_segments_chart,
    segment_funnel_chart,
    segment_pca_chart,
    segment_sizes_chart,
    segment_value_chart,
    silhouette_chart,
)
from cjm.errors import InsufficientDataError
from cjm.customers.profiles import compute_feature_differences, compute_segment_profiles
from cjm.customers.segments import Segmenter, compute_segment_pca

NAMES = {0: "Bargain hunters", 1: "Big spenders"}
PROFILES = pd.DataFrame(
    {
        "segment": [0, 1],
        "size": [300, 100],
        "share": [0.75, 0.25],
        "value_mean": [20.0, 140.0],
        "value_total": [6000.0, 14000.0],
    }
)


def _layers(spec):
    return spec.get("layer", [spec])


def _tooltips(spec):
    out = []
    for layer in _layers(spec):
        tooltip = layer.get("encoding", {}).get("tooltip", [])
        out += tooltip if isinstance(tooltip, list) else [tooltip]
    return out


def test_silhouette_chart_marks_the_chosen_k_in_its_title():
    frame = pd.DataFrame({"k": [2, 3, 4, 5], "silhouette": [0.30, 0.35, 0.41, 0.33], "sample_size": 10_000})
    spec = silhouette_chart(frame, k=4).to_dict()
    assert spec["title"]["text"] == "k=4 separates customers best (silhouette 0.41)"
    assert spec["title"]["subtitle"] == "Silhouette measured on 10,000 customers"
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["line", "rule", "point"]
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Number of segments (k)"
    assert {"Segments (k)", "Silhouette", "Customers sampled"} <= {t["title"] for t in _tooltips(spec)}


def test_silhouette_chart_says_when_the_analyst_fixed_k():
    frame = pd.DataFrame({"k": [6], "silhouette": [0.2], "sample_size": [500]})
    assert silhouette_chart(frame, k=6).to_dict()["title"]["text"] == "k=6 chosen by the analyst (silhouette 0.20)"
    with pytest.raises(InsufficientDataError, match="k=3"):
        silhouette_chart(frame, k=3)


def test_segment_sizes_chart_states_the_largest_segment_with_one_decimal():
    spec = segment_sizes_chart(PROFILES, names=NAMES).to_dict()
    assert spec["title"]["text"] == "Bargain hunters is the largest segment: 75.0% of customers"
    assert spec["title"]["subtitle"] == "400 customers in 2 segments"
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["title"] == "Customers"
    share = [t for t in _tooltips(spec) if t["field"] == "share"][0]
    assert share["format"] == ".1%"


def test_segments_keep_their_palette_colour_by_segment_number():
    spec = segment_sizes_chart(PROFILES, names=NAMES).to_dict()
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Bargain hunters", "Big spenders"]
    assert scale["range"] == list(SEGMENT_PALETTE[:2])


def test_value_chart_compares_each_segment_with_the_average_customer():
    spec = segment_value_chart(PROFILES, names=NAMES).to_dict()
    # average customer: 20,000 / 400 = 50; big spenders 140 -> 2.8x
    assert spec["title"]["text"] == "Big spenders spend 2.8x the average customer"
    bars = spec["layer"][0]
    assert bars["encoding"]["x"]["title"] == "Mean spend per customer"
    assert {"Total spend", "Share of all spend", "Customers"} <= {t["title"] for t in _tooltips(spec)}


def test_value_chart_without_revenue_names_the_missing_column():
    profiles = PROFILES.assign(value_mean=np.nan, value_total=np.nan)
    with pytest.raises(InsufficientDataError, match="revenue"):
        segment_value_chart(profiles)


def test_profile_heat_map_colours_z_differences_and_names_the_strongest():
    features = pd.DataFrame({"monetary": [1.0, 2.0, 3.0, 50.0, 60.0, 70.0], "frequency": [1.0, 1, 2, 2, 1, 2]})
    diffs = compute_feature_differences(features, [0, 0, 0, 1, 1, 1])
    spec = profile_heatmap_chart(diffs, names=NAMES).to_dict()
    assert spec["title"]["text"].startswith("Bargain hunters stands out most: spend")
    cells = spec["layer"][0]
    assert cells["mark"]["type"] == "rect"
    assert cells["encoding"]["color"]["field"] == "z_difference"
    assert cells["encoding"]["color"]["scale"]["domainMid"] == 0
    assert {"Segment mean", "Overall mean", "Difference (standard deviations)", "Customers in segment"} <= {
        t["title"] for t in _tooltips(spec)
    }


def test_pca_chart_puts_explained_variance_in_the_axis_titles():
    X, _ = make_blobs(n_samples=400, centers=2, n_features=3, random_state=0)
    features = pd.DataFrame(X, columns=["a", "b", "c"]).assign(customer_id=[f"c{i}" for i in range(400)])
    model = Segmenter(k=2).fit(features)
    points = compute_segment_pca(features, model.labels_, segmenter=model, names=NAMES)
    spec = segment_pca_chart(points).to_dict()
    first = points["pc1_variance"].iloc[0]
    assert spec["encoding"]["x"]["title"] == f"Component 1 ({first:.1%} of variance)"
    assert spec["encoding"]["y"]["title"].startswith("Component 2 (")
    assert spec["title"]["subtitle"] == "400 customers shown"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Bargain hunters", "Big spenders"]
    assert "Customer" in {t["title"] for t in _tooltips(spec)}


def test_charts_accept_profiles_straight_from_compute_segment_profiles():
    features = pd.DataFrame({"monetary": [1.0, 2.0, 30.0, 40.0], "converted": [False, True, True, True]})
    profiles = compute_segment_profiles(features, [0, 0, 1, 1])
    # 2 customers in each segment: neither is the largest (this expected "Segment 0 is the largest" before)
    assert segment_sizes_chart(profiles).to_dict()["title"]["text"] == (
        "Segment 0 and Segment 1 are about the same size: 50.0% of customers each (2 and 2)")
    assert segment_value_chart(profiles).to_dict()["title"]["text"] == "Segment 1 spend 1.9x the average customer"


def test_heat_map_cells_resting_on_too_few_customers_are_grey_and_left_out_of_the_title():
    features = pd.DataFrame({"monetary": [0.0] * 8 + [50.0] * 8,
                             "mean_sentiment": [-1.0] + [np.nan] * 7 + [0.5] * 8})
    diffs = compute_feature_differences(features, np.repeat([0, 1], 8))
    spec = profile_heatmap_chart(diffs, names=NAMES).to_dict()
    assert "spend" in spec["title"]["text"] and "sentiment" not in spec["title"]["text"]
    colored, grey, text = spec["layer"]
    assert grey["mark"]["color"] == "#eeeeee" and grey["transform"] == [{"filter": "(!datum.reliable)"}]
    assert colored["transform"] == [{"filter": "datum.reliable"}]
    (rows,) = spec["datasets"].values()
    sparse = next(r for r in rows if r["feature"] == "mean_sentiment" and r["segment"] == 0)
    assert sparse["z_text"] == "–" and sparse["coverage"] == pytest.approx(1 / 8) and sparse["z_difference"] is None


def test_rfm_chart_says_what_share_of_spend_the_champions_bring():
    summary = pd.DataFrame({"segment": ["Champions", "Loyal", "Lost"], "customers": [20, 30, 50],
                            "share": [0.2, 0.3, 0.5], "monetary": [600.0, 300.0, 100.0]})
    spec = rfm_segments_chart(summary).to_dict()
    assert spec["title"]["text"] == "Champions are 20.0% of customers and bring 60.0% of spend"
    assert spec["encoding"]["y"]["sort"] == ["Champions", "Loyal", "Lost"]
    assert {"Customers", "Share of all spend"} <= {t["title"] for t in _tooltips(spec)}
    without = rfm_segments_chart(summary.drop(columns="monetary")).to_dict()
    assert without["title"]["text"] == "Lost is the largest RFM group: 50.0% of customers"


def test_rfm_chart_draws_the_customers_who_never_bought_grey_beside_the_grids_red_to_green():
    summary = pd.DataFrame({"segment": ["Champions", "Lost", "Never bought"], "customers": [10, 20, 70],
                            "share": [0.1, 0.2, 0.7], "monetary": [900.0, 100.0, 0.0]})
    spec = rfm_segments_chart(summary).to_dict()
    color = spec["encoding"]["color"]
    assert color["condition"]["test"] == "(datum.segment === 'Never bought')"
    assert color["condition"]["value"] == "#9e9e9e"  # no grade of the grid
    assert color["scale"]["domain"] == ["Champions", "Lost"]  # the red-to-green scale grades the grid's groups only


def test_segment_funnel_chart_puts_the_segment_in_its_colour_beside_everyone_in_grey():
    frame = pd.DataFrame({
        "step": ["view", "buy"] * 2, "step_number": [1, 2] * 2, "customers": [100, 20, 10, 5],
        "conversion_from_previous": [1.0, 0.2, 1.0, 0.5], "conversion_from_first": [1.0, 0.2, 1.0, 0.5],
        "median_seconds_from_previous": [np.nan, 60.0, np.nan, 30.0],
        "mean_seconds_from_previous": [np.nan, 60.0, np.nan, 30.0], "dropped": [0, 80, 0, 5],
        "group": ["All customers"] * 2 + ["Big spenders"] * 2})
    spec = segment_funnel_chart(frame, segment_number=1).to_dict()
    assert spec["title"]["text"] == "50.0% of Big spenders who entered reached buy, against 20.0% of all customers"
    assert spec["encoding"]["color"]["scale"]["range"] == ["#9e9e9e", SEGMENT_PALETTE[1]]
    assert "10 of the segment, 100 in all" in spec["title"]["subtitle"]


def test_silhouette_chart_says_when_k_was_chosen_on_a_sample_of_the_customers():
    frame = pd.DataFrame({"k": [2, 3], "silhouette": [0.30, 0.35], "sample_size": 5_000})
    spec = silhouette_chart(frame, k=3, sweep={"customers": 136_986, "sampled": 10_000}).to_dict()
    assert spec["title"]["subtitle"] == [
        "Silhouette measured on 5,000 customers",
        "k chosen on a random sample of 10,000 of the 136,986 customers (fixed seed);",
        "every customer is then in the segment with the nearest centre",
    ]
