"""Segments on real exports loaded the way the app loads them (cjm.dataset.load_dataset), with the features
the app computes: CDNOW purchases split into high- and low-value buyers; the marketing-campaign customer file
splits on spend and income."""

import pytest

from cjm.data.dataset import load_dataset
from cjm.customers.features import compute_customer_features
from cjm.customers.personas import build_personas
from cjm.customers.segments import SegmentParams, build_segmentation, stability
from tests.helpers import real_file


def segment(name: str, **params):
    dataset = load_dataset([real_file(name)])
    features = compute_customer_features(dataset, comments=True)
    return dataset, features, build_segmentation(features, params=SegmentParams(**params))


@pytest.fixture(scope="module")
def cdnow():
    return segment("cdnow_master.txt")


@pytest.fixture(scope="module")
def campaign():
    return segment("marketing_campaign.csv")


def test_cdnow_buyers_split_into_high_and_low_value_segments(cdnow):
    _, features, result = cdnow
    assert len(features) == 23_570 and features["customer_id"].str.len().eq(5).all()
    profiles = result.profiles.set_index("segment")
    high, low = profiles["value_mean"].idxmax(), profiles["value_mean"].idxmin()
    assert profiles.loc[high, "value_mean"] > 4 * profiles.loc[low, "value_mean"]
    assert profiles.loc[high, "mean_frequency"] > profiles.loc[low, "mean_frequency"]  # they buy more often
    assert profiles.loc[high, "mean_recency_days"] < profiles.loc[low, "mean_recency_days"]  # and more recently
    # an order's line items (same customer and day) are one purchase, so most low-value customers bought once
    assert result.names[high].startswith("High-value") and "one-time buyers" in result.names[low]
    assert profiles["size"].sum() == 23_570 and len(set(result.names.values())) == result.k


def test_cdnow_segments_are_stable_across_samples_and_seeds(cdnow):
    _, features, result = cdnow
    check = stability(features, params=result.params, reference=result.segmenter, n_runs=3)
    assert check.ari > 0.6 and not any(w.startswith("Unstable") for w in check.warnings)


def test_cdnow_membership_keeps_the_zero_padded_ids_for_the_crm(cdnow):
    _, _, result = cdnow
    membership = result.membership()
    assert list(membership.columns) == ["customer_id", "segment", "persona"] and len(membership) == 23_570
    assert membership["customer_id"].str.fullmatch(r"\d{5}").all()
    assert set(membership["persona"]) == set(result.names.values())


def test_the_marketing_campaign_customers_split_on_spend_and_income(campaign):
    _, features, result = campaign
    assert "monetary" in features  # the Mnt* spend columns, as no event carries revenue
    assert "Income" in result.segmenter.feature_names_in_
    assert not any(c.startswith(("Education_", "Marital_Status_")) for c in result.segmenter.feature_names_in_)
    profiles = result.profiles.set_index("segment")
    high, low = profiles["value_mean"].idxmax(), profiles["value_mean"].idxmin()
    assert profiles.loc[high, "value_mean"] > 3 * profiles.loc[low, "value_mean"]
    assert profiles.loc[high, "mean_Income"] > 1.3 * profiles.loc[low, "mean_Income"]
    drivers = {f for top in profiles["top_features"] for f in top}
    assert drivers & {"monetary", "Income", "MntWines", "MntMeatProducts", "NumCatalogPurchases"}
    assert result.names[high].startswith("High-value")
    assert profiles["size"].sum() == 2240


def test_marketing_campaign_personas_read_age_income_and_marital_status_from_the_file(campaign):
    dataset, features, result = campaign
    personas = build_personas(dataset, features, result.labels, result.profiles, names=result.names)
    richest = max(personas, key=lambda p: p.value)
    poorest = min(personas, key=lambda p: p.value)
    assert {"age band", "income", "marital status"} <= set(richest.demographics)
    bands = ["under 25,000", "25,000-49,999", "50,000-74,999", "75,000-99,999", "100,000 and over"]
    assert bands.index(richest.demographics["income"]) > bands.index(poorest.demographics["income"])


def test_personas_from_the_segmentations_own_differences_are_the_personas_computed_afresh(campaign):
    dataset, features, result = campaign
    afresh = build_personas(dataset, features, result.labels, result.profiles, names=result.names)
    reused = build_personas(dataset, features, result.labels, result.profiles, names=result.names,
                            differences=result.differences)
    assert [p.to_dict() for p in reused] == [p.to_dict() for p in afresh]
    assert any(p.traits for p in reused)
