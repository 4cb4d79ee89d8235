"""Segmenter, stability, profiles, names and the report section."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import MiniBatchKMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

import cjm.customers.segments as segments
from cjm.report.sections import segments_section
from cjm.errors import InsufficientDataError, ParameterError
from cjm.customers.features import compute_customer_features
from cjm.customers.profiles import compute_feature_differences, compute_segment_profiles, name_segments
from cjm.customers.segments import Segmenter, SegmentParams, compute_segment_pca, stability
from cjm.data.dataset import Dataset
from cjm.journey.buying import ONLY_CONVERSIONS
from tests.helpers import cdnow_purchases, dataset, marketing_campaign_signups


@pytest.fixture(scope="module")
def blobs():
    X, truth = make_blobs(n_samples=600, centers=3, n_features=4, cluster_std=1.0, random_state=1)
    return pd.DataFrame(X, columns=["a", "b", "c", "d"]), truth


def test_k_is_chosen_by_silhouette_and_finds_the_three_blobs(blobs):
    X, truth = blobs
    model = Segmenter().fit(X)
    assert model.k_ == 3
    assert adjusted_rand_score(truth, model.labels_) == pytest.approx(1.0)
    assert list(model.silhouette_["k"]) == list(range(2, 9))
    best = model.silhouette_.loc[model.silhouette_["silhouette"].idxmax(), "k"]
    assert best == 3


@pytest.mark.parametrize("algorithm", ["gmm", "agglomerative"])
def test_gaussian_mixture_and_agglomerative_also_find_the_three_blobs(blobs, algorithm):
    X, truth = blobs
    model = Segmenter(algorithm=algorithm).fit(X)
    assert model.k_ == 3
    assert adjusted_rand_score(truth, model.labels_) == pytest.approx(1.0)
    assert (model.predict(X) == model.labels_).all()


def test_the_same_inputs_and_seed_give_the_same_segments(blobs):
    X, _ = blobs
    first = Segmenter(k=5, random_state=7).fit_predict(X)
    second = Segmenter(k=5, random_state=7).fit_predict(X)
    assert (first == second).all()


def test_segment_numbers_are_ordered_by_size_largest_first():
    X, _ = make_blobs(n_samples=[50, 300, 120], n_features=2, cluster_std=0.5, random_state=3)
    model = Segmenter(k=3).fit(pd.DataFrame(X, columns=["x", "y"]))
    assert list(np.bincount(model.labels_)) == [300, 120, 50]


def test_a_fixed_k_is_used_as_is_and_its_silhouette_reported(blobs):
    X, _ = blobs
    model = Segmenter(k=4).fit(X)
    assert model.k_ == 4
    assert list(model.silhouette_["k"]) == [4]
    assert model.silhouette_["sample_size"].iloc[0] == 600


def test_learned_attributes_follow_scikit_learn_conventions(blobs):
    X, _ = blobs
    model = Segmenter(features=("a", "b")).fit(X.assign(customer_id=[f"c{i}" for i in range(len(X))]))
    assert list(model.feature_names_in_) == ["a", "b"]
    assert model.n_features_in_ == 2
    expected = X[["a", "b"]].groupby(model.labels_).mean()
    assert np.allclose(model.cluster_centers_.to_numpy(), expected.to_numpy())
    assert model.get_params()["features"] == ("a", "b")


def test_the_silhouette_is_measured_on_a_fixed_sample_of_customers(blobs):
    X, _ = blobs
    model = Segmenter(silhouette_sample=200, k_range=(2, 4)).fit(X)
    again = Segmenter(silhouette_sample=200, k_range=(2, 4)).fit(X)
    assert (model.silhouette_["sample_size"] == 200).all()
    assert model.silhouette_["silhouette"].tolist() == again.silhouette_["silhouette"].tolist()


def test_progress_is_reported_for_each_k_of_the_sweep(blobs):
    X, _ = blobs
    calls = []
    Segmenter(k_range=(2, 4)).fit(X, progress=lambda done, total, message: calls.append((done, total, message)))
    assert [c[0] for c in calls] == [0, 1, 2, 3]
    assert all(c[1] == 4 for c in calls)
    assert calls[2][2].startswith("k=3: silhouette")


def test_skewed_counts_are_log_scaled_and_missing_values_filled_with_the_median():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"spend": rng.lognormal(3, 1.5, 300), "share": rng.uniform(0, 1, 300)})
    X.loc[:9, "share"] = np.nan
    model = Segmenter(k=2).fit(X)
    assert model.log_features_ == ("spend",)
    assert model.imputed_ == {"share": 10}
    assert model.medians_["share"] == pytest.approx(X["share"].median())
    assert not np.isnan(model.preprocess(X)).any()


def test_agglomerative_refuses_large_data_and_says_what_to_do():
    X = pd.DataFrame({"x": np.arange(20_001, dtype=float), "y": 0.0})
    with pytest.raises(ParameterError, match=r"20,000.*20,001.*'kmeans'"):
        Segmenter(algorithm="agglomerative").fit(X)


def test_large_data_uses_minibatch_kmeans(monkeypatch, blobs):
    X, truth = blobs
    monkeypatch.setattr(segments, "MINIBATCH_ABOVE", 100)
    model = Segmenter(k=3).fit(X)
    assert isinstance(model._model, MiniBatchKMeans)
    assert adjusted_rand_score(truth, model.labels_) > 0.95


@pytest.mark.parametrize(
    "params, quoted",
    [
        ({"scaling": "zscore"}, "'zscore'"),
        ({"algorithm": "dbscan"}, "'dbscan'"),
        ({"k": 1}, "got 1"),
        ({"k": 2.5}, "got 2.5"),
        ({"k_range": (6, 3)}, r"\(6, 3\)"),
        ({"random_state": -1}, "got -1"),
        ({"silhouette_sample": 10}, "got 10"),
        ({"features": "monetary"}, "'monetary'"),
        ({"log_skewed": "yes"}, "'yes'"),
    ],
)
def test_bad_parameters_are_rejected_quoting_the_value(blobs, params, quoted):
    X, _ = blobs
    with pytest.raises(ParameterError, match=quoted):
        Segmenter(**params).fit(X)
    with pytest.raises(ParameterError, match=quoted):
        SegmentParams(**params)


def test_unknown_features_are_named_with_the_available_ones(blobs):
    X, _ = blobs
    with pytest.raises(ParameterError, match=r"\['spend'\].*available"):
        Segmenter(features=("spend",)).fit(X)


def test_too_few_customers_or_a_k_above_the_customers_is_explained():
    with pytest.raises(InsufficientDataError, match="at least 3"):
        Segmenter().fit(pd.DataFrame({"x": [1.0, 2.0]}))
    with pytest.raises(ParameterError, match="k=5"):
        Segmenter(k=5).fit(pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}))


def test_identical_customers_cannot_be_segmented_automatically():
    X = pd.DataFrame({"x": np.ones(30), "y": np.ones(30)})
    with pytest.raises(InsufficientDataError, match="cannot be told apart"):
        Segmenter().fit(X)


def test_segment_params_round_trip_through_json():
    params = SegmentParams(features=("monetary", "frequency"), algorithm="gmm", k=4, k_range=(3, 6))
    data = json.loads(json.dumps(params.to_dict()))
    assert SegmentParams.from_dict(data) == params
    assert Segmenter.from_params(params).get_params()["k"] == 4
    with pytest.raises(ParameterError, match="colour"):
        SegmentParams.from_dict({"colour": "red"})


def test_well_separated_segments_are_stable(blobs):
    X, _ = blobs
    result = stability(X, params=SegmentParams(k=3), n_runs=3)
    assert result.ari == pytest.approx(1.0)
    assert float(result) == result.ari and len(result.runs) == 3
    assert result.warnings == ()
    assert json.loads(json.dumps(result.to_dict()))["k"] == 3


def test_stability_warns_when_one_segment_holds_most_customers():
    X, _ = make_blobs(n_samples=[900, 60], n_features=2, cluster_std=0.3, random_state=0)
    result = stability(pd.DataFrame(X, columns=["x", "y"]), params=SegmentParams(k=2), n_runs=2)
    assert result.largest_share == pytest.approx(900 / 960)
    assert any("93.8% of customers" in w for w in result.warnings)


def test_stability_warns_when_segments_move_between_runs(monkeypatch, blobs):
    X, _ = blobs
    monkeypatch.setattr(segments, "UNSTABLE_ARI", 1.01)  # any agreement counts as unstable
    result = stability(X, params=SegmentParams(k=3), n_runs=2)
    assert result.warnings and result.warnings[0].startswith("Unstable segments")


# --- profiles and names -----------------------------------------------------------------------


def test_profiles_give_size_share_value_conversion_and_sentiment_per_segment():
    features = pd.DataFrame(
        {
            "customer_id": list("abcd"),
            "monetary": [10.0, 30.0, 100.0, 0.0],
            "converted": [True, True, True, False],
            "mean_sentiment": [0.5, np.nan, -0.5, -1.0],
        }
    )
    profiles = compute_segment_profiles(features, [0, 0, 1, 1]).set_index("segment")
    assert profiles["size"].to_dict() == {0: 2, 1: 2}
    assert profiles["share"].to_dict() == {0: 0.5, 1: 0.5}
    assert profiles["value_mean"].to_dict() == {0: 20.0, 1: 50.0}
    assert profiles["value_total"].to_dict() == {0: 40.0, 1: 100.0}
    assert profiles["conversion"].to_dict() == {0: 1.0, 1: 0.5}
    assert profiles["sentiment"].to_dict() == {0: 0.5, 1: -0.75}  # customers without a signal left out
    assert profiles.loc[1, "mean_monetary"] == 50.0


def test_feature_differences_are_in_standard_deviations_from_the_overall_mean():
    features = pd.DataFrame({"x": [1.0, 3.0, 5.0, 7.0]})  # mean 4, population sd sqrt(5)
    diffs = compute_feature_differences(features, [0, 0, 1, 1]).set_index("segment")
    assert diffs.loc[0, "segment_mean"] == 2.0 and diffs.loc[0, "overall_mean"] == 4.0
    assert diffs.loc[0, "z_difference"] == pytest.approx(-2 / np.sqrt(5))
    assert diffs.loc[1, "customers"] == 2


def test_the_top_distinguishing_features_are_the_largest_differences():
    features = pd.DataFrame({"big": [0.0, 0.0, 10.0, 10.0], "small": [1.0, 1.1, 1.0, 1.2], "flat": 1.0})
    profiles = compute_segment_profiles(features, [0, 0, 1, 1]).set_index("segment")
    assert profiles.loc[1, "top_features"][0] == "big"
    assert "flat" not in profiles.loc[1, "top_features"]
    assert profiles.loc[1, "description"].startswith("higher big (well above average)")


def test_labels_of_another_length_are_rejected():
    with pytest.raises(ParameterError, match="3 entries but the features frame has 2"):
        compute_segment_profiles(pd.DataFrame({"x": [1.0, 2.0]}), [0, 1, 1])


def _group(rng, n, **columns):
    return pd.DataFrame(
        {k: rng.normal(*v, n) if isinstance(v, tuple) else np.full(n, v) for k, v in columns.items()}
    )


@pytest.fixture(scope="module")
def archetypes():
    rng = np.random.default_rng(0)
    groups = [
        _group(rng, 30, recency_days=(5, 2), frequency=(20, 2), purchases=(8, 1), monetary=(900, 50),
               tenure_days=(700, 30), converted=1.0, support_contacts=(0.2, 0.1), device_share_mobile=(0.3, 0.05),
               mean_sentiment=(0.4, 0.1)),
        _group(rng, 30, recency_days=(300, 20), frequency=(2, 0.2), purchases=(1, 0), monetary=(40, 5),
               tenure_days=(400, 30), converted=1.0, support_contacts=(0.1, 0.1), device_share_mobile=(0.3, 0.05),
               mean_sentiment=(0.2, 0.1)),
        _group(rng, 30, recency_days=(20, 5), frequency=(25, 3), purchases=(0, 0), monetary=(0, 0),
               tenure_days=(60, 10), converted=0.0, support_contacts=(0.1, 0.1), device_share_mobile=(0.95, 0.02),
               mean_sentiment=(0.2, 0.1)),
        _group(rng, 30, recency_days=(80, 10), frequency=(8, 1), purchases=(3, 0.5), monetary=(200, 20),
               tenure_days=(300, 30), converted=1.0, support_contacts=(6, 1), device_share_mobile=(0.3, 0.05),
               mean_sentiment=(-0.6, 0.1)),
    ]
    features = pd.concat(groups, ignore_index=True)
    features[features.columns.drop("mean_sentiment")] = features[features.columns.drop("mean_sentiment")].clip(lower=0)
    return features, np.repeat([0, 1, 2, 3], 30)


def test_names_describe_what_sets_each_segment_apart(archetypes):
    features, labels = archetypes
    names = name_segments(compute_segment_profiles(features, labels))
    assert names == {
        0: "High-value loyal repeaters",
        1: "Dormant one-time buyers",
        2: "New mobile comparison shoppers",
        3: "Support-heavy at-risk customers",
    }


def test_names_are_unique_even_when_segments_look_alike():
    rng = np.random.default_rng(1)
    features = pd.DataFrame({"monetary": rng.normal(100, 5, 60), "frequency": rng.normal(3, 0.2, 60)})
    names = name_segments(compute_segment_profiles(features, np.arange(60) % 3))
    assert len(set(names.values())) == 3
    assert all(name[0].isupper() for name in names.values())


def test_segments_distinguished_only_by_customer_attributes_are_named_after_them():
    features = pd.DataFrame({"Income": [20.0, 22.0, 80.0, 85.0], "Kidhome": [1.0, 2.0, 0.0, 0.0]})
    names = name_segments(compute_segment_profiles(features, [0, 0, 1, 1]))
    assert names[0].startswith("Customers with ")
    assert names[0] != names[1]
    assert "higher Income" in names[1] or "lower Kidhome" in names[1]


def test_pca_points_are_a_sample_of_at_most_the_limit_with_explained_variance(blobs):
    X, _ = blobs
    model = Segmenter(k=3).fit(X)
    points = compute_segment_pca(X, model.labels_, segmenter=model, max_points=100, names={0: "A", 1: "B", 2: "C"})
    assert len(points) == 100
    assert set(points["name"]) <= {"A", "B", "C"}
    assert 0.5 < points["pc1_variance"].iloc[0] + points["pc2_variance"].iloc[0] <= 1.0
    again = compute_segment_pca(X, model.labels_, segmenter=model, max_points=100)
    assert np.allclose(points[["pc1", "pc2"]], again[["pc1", "pc2"]])


def test_report_section_gives_segments_with_names_sizes_and_feature_means():
    rows = [(f"c{i}", f"2024-01-{1 + i % 20:02d}", "purchase", float(10 + 100 * (i % 2))) for i in range(40)]
    rows += [(f"c{i}", "2024-01-25", "purchase", 50.0) for i in range(0, 40, 2)]
    log = dataset(rows, columns=("customer_id", "timestamp", "event", "revenue"), stages={"purchase": "conversion"})
    section = segments_section(log, params=SegmentParams(k=2))
    body = json.loads(json.dumps(section))["segments"]
    # every event is a purchase: each segment's conversion would be 100%, so it is not shown, and the section says
    # why (the Overview shows no conversion rate for such data either)
    assert set(body) == {"segments", "silhouette", "k", "algorithm", "skipped"}
    assert body["skipped"] == {"conversion": ONLY_CONVERSIONS}
    assert {s["conversion"] for s in body["segments"]} == {None}
    assert body["k"] == 2 and body["algorithm"] == "kmeans"
    assert sum(s["size"] for s in body["segments"]) == 40
    assert sum(s["share"] for s in body["segments"]) == pytest.approx(1.0)
    assert {"name", "size", "share", "monetary", "frequency"} <= set(body["segments"][0])
    assert len({s["name"] for s in body["segments"]}) == 2


def test_real_cdnow_purchases_separate_high_from_low_value_customers():
    features = compute_customer_features(Dataset.from_events(cdnow_purchases()))
    assert len(features) == 23_570
    assert features["customer_id"].str.len().eq(5).all()  # zero-padded ids kept as strings
    model = Segmenter(k_range=(2, 4), silhouette_sample=3000).fit(features)
    profiles = compute_segment_profiles(features, model.labels_)
    values = profiles.set_index("segment")["value_mean"]
    assert values.max() > 4 * values.min()
    names = name_segments(profiles)
    assert names[int(values.idxmax())].startswith("High-value")
    assert len(set(names.values())) == model.k_


def test_real_marketing_campaign_customers_segment_without_crashing_on_missing_income():
    log = marketing_campaign_signups()
    features = compute_customer_features(log)
    model = Segmenter(k_range=(2, 5)).fit(features)
    assert 2 <= model.k_ <= 5
    assert "Income" in model.feature_names_in_ and "Income" in model.log_features_  # the 666,666 outlier skews it
    profiles = compute_segment_profiles(features, model.labels_)
    assert profiles["size"].sum() == 2240
    assert len(set(name_segments(profiles).values())) == model.k_


# --- sparse features, the default features, the page's segmentation ---------------------------------


def test_default_features_leave_out_one_hot_attributes_and_mostly_empty_features():
    features = pd.DataFrame({"customer_id": list("abcd"), "monetary": [1.0, 2.0, 3.0, 4.0],
                             "frequency": [1, 2, 3, 4], "mean_sentiment": [0.5, np.nan, np.nan, np.nan],
                             "plan_gold": [1.0, 0.0, 1.0, 0.0]})
    features.attrs["one_hot"] = ["plan_gold"]
    assert segments.default_features(features) == ["monetary", "frequency"]
    assert Segmenter(k=2).fit(features).feature_names_in_.tolist() == ["monetary", "frequency"]
    only_attributes = features[["plan_gold"]].assign(plan_silver=[0.0, 1.0, 0.0, 1.0])
    only_attributes.attrs["one_hot"] = ["plan_gold", "plan_silver"]
    assert segments.default_features(only_attributes) == ["plan_gold", "plan_silver"]  # nothing else to use


def test_a_difference_resting_on_a_handful_of_the_segment_is_not_shown():
    """10 unhappy ratings among 100 browsers do not make the browsers unhappy (coverage 10% < 25%)."""
    sentiment = [-1.0] * 10 + [np.nan] * 90 + [0.5] * 60 + [np.nan] * 40
    features = pd.DataFrame({"monetary": [0.0] * 100 + [50.0] * 100, "mean_sentiment": sentiment})
    labels = np.repeat([0, 1], 100)
    diffs = compute_feature_differences(features, labels).set_index(["segment", "feature"])
    assert np.isnan(diffs.loc[(0, "mean_sentiment"), "z_difference"])
    assert diffs.loc[(0, "mean_sentiment"), "coverage"] == pytest.approx(0.1)
    assert diffs.loc[(1, "mean_sentiment"), "coverage"] == pytest.approx(0.6)
    assert diffs.loc[(1, "mean_sentiment"), "z_difference"] > 0
    profiles = compute_segment_profiles(features, labels).set_index("segment")
    assert profiles.loc[0, "sentiment"] == -1.0 and profiles.loc[0, "sentiment_responses"] == 10
    assert "mean_sentiment" not in profiles.loc[0, "top_features"]
    assert "at-risk" not in name_segments(profiles.reset_index())[0].lower()


def test_build_segmentation_gives_profiles_names_map_and_membership(blobs):
    X, _ = blobs
    X = X.assign(customer_id=[f"c{i:03d}" for i in range(len(X))])
    result = segments.build_segmentation(X, params=SegmentParams(k=3), max_points=200)
    assert result.k == 3 and len(result.labels) == 600 and set(result.names) == {0, 1, 2}
    assert result.profiles["size"].sum() == 600 and len(result.points) == 200
    membership = result.membership()
    assert list(membership.columns) == ["customer_id", "segment", "persona"]
    assert membership["persona"].tolist() == [result.names[s] for s in result.labels]
    assert result.segment_names() == [result.names[s] for s in range(3)]


def test_stability_can_reuse_the_fitted_segmenter_and_reports_progress(blobs):
    X, _ = blobs
    params = SegmentParams(k=3)
    reference = Segmenter.from_params(params).fit(X)
    calls = []
    check = stability(X, params=params, reference=reference, n_runs=2,
                      progress=lambda done, total, message: calls.append((done, total)))
    assert check.ari > 0.9 and calls == [(1, 2), (2, 2)]


FUNNEL_ROWS = [
    ("a", "2024-01-01", "view", "Buyers"), ("a", "2024-01-02", "purchase", "Buyers"),
    ("b", "2024-01-01", "view", "Buyers"), ("b", "2024-01-03", "purchase", "Buyers"),
    ("c", "2024-01-01", "view", "Lookers"), ("d", "2024-01-02", "view", "Lookers"),
]


def test_a_segment_funnel_sits_beside_everyone_and_a_step_it_never_reaches_counts_zero():
    from cjm.journey.funnel import FunnelParams

    log = dataset(FUNNEL_ROWS, columns=("customer_id", "timestamp", "event", "segment"))
    params = FunnelParams(steps=("view", "purchase"), step_kind="event")
    lookers = segments.compute_segment_funnel(log, params=params, segment="Lookers")
    table = lookers.set_index(["group", "step"])["customers"].to_dict()
    assert table == {("All customers", "view"): 4, ("All customers", "purchase"): 2,
                     ("Lookers", "view"): 2, ("Lookers", "purchase"): 0}
    with pytest.raises(InsufficientDataError, match="'Nobody' entered the funnel"):
        segments.compute_segment_funnel(log, params=params, segment="Nobody")
    with pytest.raises(InsufficientDataError, match="find segments first"):
        segments.compute_segment_funnel(dataset([r[:3] for r in FUNNEL_ROWS]), params=params, segment="Lookers")


def test_on_many_customers_k_is_chosen_on_a_sample_and_everyone_is_then_segmented(blobs, monkeypatch):
    X, truth = blobs
    monkeypatch.setattr(segments, "SWEEP_ABOVE", len(X) // 2)
    monkeypatch.setattr(segments, "SWEEP_ROWS", len(X) // 3)  # the sweep sees a third of the customers
    model = Segmenter(k_range=(2, 5)).fit(X)
    assert model.k_ == 3  # the three blobs are still found from the sample
    assert len(model.labels_) == len(X)  # the chosen k is fitted on every customer
    assert adjusted_rand_score(truth, model.labels_) > 0.95
    assert set(model.silhouette_["sample_size"]) == {min(len(X) // 3, model.silhouette_sample)}


def test_the_silhouette_is_computed_as_by_hand_and_as_scikit_learn_does():
    from sklearn.metrics import silhouette_score

    from cjm.customers.segments import silhouette

    # 0 and 1 against 5 and 6: a = 1 for everyone; b = 5.5, 4.5, 4.5, 5.5 -> (9/11 + 7/9) / 2 = 79/99
    line = np.array([[0.0], [1.0], [5.0], [6.0]])
    assert silhouette(line, [0, 0, 1, 1]) == pytest.approx(79 / 99)
    X, truth = make_blobs(n_samples=900, centers=4, n_features=5, random_state=2)
    noisy = np.where(np.arange(900) % 7 == 0, (truth + 1) % 4, truth)
    assert silhouette(X, noisy) == pytest.approx(silhouette_score(X, noisy), abs=1e-12)
    assert np.isnan(silhouette(line, [0, 0, 0, 0]))  # one segment: no silhouette


# --- the k sweep on a sample of many customers ---------------------------------------------------------


@pytest.fixture()
def many(monkeypatch):
    """900 customers in three blobs, with the sampling threshold lowered to 500 and the sample to 300."""
    monkeypatch.setattr(segments, "SWEEP_ABOVE", 500)
    monkeypatch.setattr(segments, "SWEEP_ROWS", 300)
    X, truth = make_blobs(n_samples=900, centers=3, n_features=4, cluster_std=1.0, random_state=5)
    return pd.DataFrame(X, columns=["a", "b", "c", "d"]), truth


def test_the_sweep_sample_is_exactly_the_asked_number_of_distinct_customers_fixed_by_the_seed():
    rows = segments.sweep_rows(900, 300, seed=0)
    assert len(rows) == 300 and len(np.unique(rows)) == 300
    assert rows.min() >= 0 and rows.max() < 900 and (np.diff(rows) > 0).all()
    assert (rows == segments.sweep_rows(900, 300, seed=0)).all()
    assert not (rows == segments.sweep_rows(900, 300, seed=1)).all()


def test_above_the_threshold_k_is_chosen_on_exactly_the_sampled_customers(many):
    X, _ = many
    model = Segmenter(k_range=(2, 5)).fit(X)
    assert model.sweep_sample_ == {"customers": 900, "sampled": 300}
    assert set(model.silhouette_["sample_size"]) == {300}  # the silhouette of each k on those 300
    # the chosen k's silhouette is that of the sampled customers' segments, recomputed by hand
    rows = segments.sweep_rows(900, 300, seed=0)
    Z = model.preprocess(X)
    assert model.silhouette_score_ == pytest.approx(segments.silhouette(Z[rows], model.labels_[rows]), abs=1e-12)
    again = Segmenter(k_range=(2, 5)).fit(X)
    assert (again.labels_ == model.labels_).all()
    assert again.silhouette_["silhouette"].tolist() == model.silhouette_["silhouette"].tolist()


@pytest.mark.parametrize("algorithm", ["kmeans", "gmm"])
def test_every_customer_gets_a_segment_and_the_sizes_add_up_when_k_was_chosen_on_a_sample(many, algorithm):
    X, truth = many
    X = X.assign(customer_id=[f"c{i:03d}" for i in range(len(X))])
    result = segments.build_segmentation(X, params=SegmentParams(k_range=(2, 5), algorithm=algorithm),
                                         max_points=100)
    assert result.segmenter.sweep_sample_ == {"customers": 900, "sampled": 300}
    assert result.k == 3
    assert len(result.labels) == 900 and set(result.labels) == {0, 1, 2}
    assert result.profiles["size"].sum() == 900
    assert len(result.membership()) == 900 and result.membership()["persona"].notna().all()
    assert adjusted_rand_score(truth, result.labels) > 0.95
    # the nearest-centre assignment: predicting the same customers again gives their segments
    assert (result.segmenter.predict(X) == result.labels).all()


def test_at_or_below_the_threshold_every_customer_is_in_the_sweep(blobs, monkeypatch):
    X, _ = blobs
    monkeypatch.setattr(segments, "SWEEP_ABOVE", len(X))
    model = Segmenter(k_range=(2, 4)).fit(X)
    assert model.sweep_sample_ is None
    assert set(model.silhouette_["sample_size"]) == {600}


def test_a_fixed_k_is_fitted_on_every_customer_even_above_the_threshold(many):
    X, _ = many
    model = Segmenter(k=3).fit(X)
    assert model.sweep_sample_ is None and len(model.labels_) == 900


def test_the_silhouettes_of_several_segmentations_are_each_the_silhouette_alone():
    from sklearn.metrics import silhouette_score

    X, truth = make_blobs(n_samples=700, centers=4, n_features=3, random_state=4)
    labelings = [truth, (truth + 1) % 2, np.zeros(700, dtype=int), np.arange(700) % 5]
    found = segments.silhouettes(X, labelings)
    assert found[0] == pytest.approx(silhouette_score(X, truth), abs=1e-12)
    assert found[1] == pytest.approx(silhouette_score(X, labelings[1]), abs=1e-12)
    assert np.isnan(found[2])  # one segment: no silhouette
    assert found[3] == pytest.approx(silhouette_score(X, labelings[3]), abs=1e-12)
    assert [segments.silhouette(X, labels) for labels in labelings][:2] == found[:2]


def test_the_report_says_on_how_many_customers_k_was_chosen_and_counts_everyone(monkeypatch):
    monkeypatch.setattr(segments, "SWEEP_ABOVE", 40)
    monkeypatch.setattr(segments, "SWEEP_ROWS", 30)
    rows = [(f"c{i:02d}", f"2024-01-{1 + i % 20:02d}", "purchase", float(10 + 100 * (i % 2))) for i in range(60)]
    rows += [(f"c{i:02d}", "2024-01-25", "purchase", 50.0) for i in range(0, 60, 2)]
    log = dataset(rows, columns=("customer_id", "timestamp", "event", "revenue"), stages={"purchase": "conversion"})
    body = json.loads(json.dumps(segments_section(log, params=SegmentParams(k_range=(2, 4)))))["segments"]
    assert body["sweep_sample"] == {"customers": 60, "sampled": 30}
    assert sum(s["size"] for s in body["segments"]) == 60
    assert sum(s["share"] for s in body["segments"]) == pytest.approx(1.0)


def test_without_money_buying_once_beside_non_buyers_is_not_called_high_value():
    # No spend column: value falls back to purchases. Segment 0 never bought (0 purchases, conversion 0); segment 1
    # bought once each (mean purchases 1.0 < 1.3: "one-time buyers"). Their purchases z is high only against the
    # non-buyers; calling a single purchase "high-value" claims money the data does not have (online shoppers'
    # sessions with Revenue TRUE were "High-value one-time buyers").
    features = pd.DataFrame({"purchases": [0.0, 0.0, 0.0, 0.0, 1.0, 1.0], "converted": [0.0] * 4 + [1.0] * 2,
                             "frequency": [1.0, 1.0, 1.0, 1.0, 2.0, 2.0]})
    names = name_segments(compute_segment_profiles(features, [0, 0, 0, 0, 1, 1]))
    assert names[1] == "One-time buyers"
    assert names[0].endswith("rowsers")
