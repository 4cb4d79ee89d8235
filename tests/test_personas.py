"""Personas from segments: preferences, typical journey, demographics, JSON and the membership export."""

import io
import json

import numpy as np
import pandas as pd
import pytest

from cjm.errors import ParameterError
from cjm.customers.features import compute_customer_features
from cjm.customers.segments import compute_membership
from cjm.customers.personas import (
    Persona,
    build_personas,
    compute_demographics,
    compute_segment_pain_points,
    compute_typical_journeys,
)
from cjm.customers.profiles import compute_segment_profiles, name_segments
from cjm.customers.segments import Segmenter
from tests.helpers import dataset, marketing_campaign_signups
from tests.test_features import COLUMNS, ROWS, STAGES

CUSTOMERS = pd.DataFrame(
    {
        "customer_id": ["a", "b", "c"],
        "Age": [30, 41, 70],
        "Household income": [55_000.0, 52_000.0, 20_000.0],
        "Gender": ["F", "F", "M"],
        "City": ["Paris", "Lyon", "Paris"],
    }
)
LABELS = np.array([0, 0, 1])  # a and b together, c alone


@pytest.fixture(scope="module")
def log():
    return dataset(ROWS, columns=COLUMNS, stages=STAGES, customers=CUSTOMERS)


@pytest.fixture(scope="module")
def personas(log):
    features = compute_customer_features(log, attributes=False)
    profiles = compute_segment_profiles(features, LABELS)
    return build_personas(
        log, features, LABELS, profiles, names={0: "Buyers", 1: "Lookers"}, pain_points={1: "Cannot find prices"},
    )


def test_there_is_one_persona_per_segment_largest_first(personas):
    assert [(p.name, p.segment, p.size) for p in personas] == [("Buyers", 0, 2), ("Lookers", 1, 1)]
    assert personas[0].share == pytest.approx(2 / 3)


def test_a_persona_carries_value_conversion_and_sentiment_of_its_segment(personas):
    buyers, lookers = personas
    assert buyers.value == 50.0 and buyers.total_value == 100.0
    assert buyers.conversion == 1.0 and lookers.conversion == 0.0
    assert buyers.sentiment == pytest.approx(0.25)  # a: rating 2 -> -0.5, b: rating 5 -> 1.0
    assert lookers.sentiment is None  # c left no score


def test_preferred_channels_and_devices_are_the_most_used_in_the_segment(personas):
    buyers, lookers = personas
    assert buyers.preferred_channels == ["web", "email", "phone"]  # web 4 events; ties by name
    assert buyers.preferred_devices == ["desktop", "mobile"]
    assert lookers.preferred_channels == ["social"] and lookers.preferred_devices == ["mobile"]


def test_the_typical_journey_is_the_most_common_collapsed_stage_path(personas):
    buyers, lookers = personas
    # a: awareness, consideration, conversion, retention; b: consideration, conversion (purchases collapsed).
    # One customer each: as on the Journeys page the tie goes to the path with fewer steps.
    assert buyers.journey == "consideration → conversion"
    assert buyers.journey_share == 0.5
    assert (lookers.journey, lookers.journey_share) == ("awareness", 1.0)


def test_journeys_fall_back_to_event_names_when_no_stage_is_mapped():
    log = dataset([("a", "2024-01-01", "open"), ("a", "2024-01-02", "open"), ("a", "2024-01-03", "click")])
    journeys = compute_typical_journeys(log, membership=pd.DataFrame({"customer_id": ["a"], "segment": [0]}))
    assert journeys.to_dict("records") == [{"segment": 0, "journey": "open → click", "customers": 1, "share": 1.0}]


def test_demographics_are_the_most_common_band_or_value_in_the_segment(personas):
    buyers, lookers = personas
    assert buyers.demographics == {
        "age band": "25-34",  # 30 and 41: a tie, broken alphabetically
        "income": "50,000-74,999",
        "gender": "F",
        "location": "Lyon",
    }
    assert lookers.demographics == {"age band": "65+", "income": "under 25,000", "gender": "M", "location": "Paris"}


def demographics_of(customers: dict, segments: list[int]) -> list[dict]:
    """compute_demographics for customers a, b, c (one visit each) found in `segments`, as records."""
    membership = pd.DataFrame({"customer_id": ["a", "b", "c"], "segment": segments})
    log = dataset([(c, "2024-01-01", "visit") for c in "abc"],
                  customers=pd.DataFrame({"customer_id": ["a", "b", "c"], **customers}))
    return compute_demographics(log, membership=membership, as_of_year=2024).to_dict("records")


def test_demographics_exported_as_bands_are_used_as_they_are():
    customers = {"age_band": ["25-34", "25-34", "65+"], "income_band": ["25-50k"] * 3}
    assert demographics_of(customers, [0, 0, 1]) == [
        {"segment": 0, "attribute": "age band", "value": "25-34", "share": 1.0},
        {"segment": 1, "attribute": "age band", "value": "65+", "share": 1.0},
        {"segment": 0, "attribute": "income", "value": "25-50k", "share": 1.0},
        {"segment": 1, "attribute": "income", "value": "25-50k", "share": 1.0},
    ]


def test_a_customers_file_with_its_own_segment_column_still_gets_demographics_per_found_segment():
    customers = {"segment": ["gold", "gold", "basic"], "age_band": ["25-34", "25-34", "65+"]}
    assert demographics_of(customers, [0, 1, 1]) == [
        {"segment": 0, "attribute": "age band", "value": "25-34", "share": 1.0},
        {"segment": 1, "attribute": "age band", "value": "25-34", "share": 0.5},
    ]


def test_pain_points_are_attached_and_editable_fields_start_empty(personas):
    buyers, lookers = personas
    assert lookers.pain_point == "Cannot find prices" and buyers.pain_point is None
    assert buyers.goals == [] and buyers.needs == [] and buyers.objections == []
    assert buyers.traits and all(t.endswith("average)") for t in buyers.traits)


def test_personas_round_trip_through_json(personas):
    persona = personas[0]
    persona.goals = ["Compare prices fast"]
    copy = Persona.from_dict(json.loads(json.dumps(persona.to_dict())))
    assert copy == persona


def test_persona_json_with_unknown_or_missing_fields_is_rejected():
    with pytest.raises(ParameterError, match="mood"):
        Persona.from_dict({"name": "X", "segment": 0, "size": 1, "share": 1.0, "mood": "good"})
    with pytest.raises(ParameterError, match="size"):
        Persona.from_dict({"name": "X", "segment": 0, "share": 1.0})


def test_personas_are_named_by_name_segments_by_default():
    log = dataset(ROWS, columns=COLUMNS, stages=STAGES)  # no customers table
    features = compute_customer_features(log)
    profiles = compute_segment_profiles(features, LABELS)
    personas = build_personas(log, features, LABELS, profiles)
    assert [p.name for p in personas] == [name_segments(profiles)[0], name_segments(profiles)[1]]
    assert personas[0].demographics == {}


def test_membership_lists_each_customer_with_segment_and_persona():
    membership = compute_membership(np.array([1, 0, 1]), {0: "Loyal", 1: "New"}, pd.Series(["x", "y", "z"]))
    assert membership.to_dict("records") == [
        {"customer_id": "x", "segment": 1, "persona": "New"},
        {"customer_id": "y", "segment": 0, "persona": "Loyal"},
        {"customer_id": "z", "segment": 1, "persona": "New"},
    ]
    exported = pd.read_csv(io.StringIO(membership.to_csv(index=False)), dtype={"customer_id": str})
    assert list(exported.columns) == ["customer_id", "segment", "persona"]


def test_membership_needs_a_name_for_every_segment_and_one_id_per_label():
    with pytest.raises(ParameterError, match=r"\[2\]"):
        compute_membership([0, 2], {0: "A"}, ["x", "y"])
    with pytest.raises(ParameterError, match="3 segment labels for 2 customer ids"):
        compute_membership([0, 0, 0], {0: "A"}, ["x", "y"])


def test_real_marketing_campaign_personas_get_age_income_and_marital_status():
    log = marketing_campaign_signups()
    features = compute_customer_features(log)
    model = Segmenter(k=3).fit(features)
    profiles = compute_segment_profiles(features, model.labels_)
    personas = build_personas(log, features, model.labels_, profiles)
    assert len(personas) == 3 and sum(p.size for p in personas) == 2240
    for persona in personas:
        assert {"age band", "income", "marital status"} <= set(persona.demographics)
        assert persona.journey == "signup"
    json.dumps([p.to_dict() for p in personas])


def test_a_persona_says_how_many_customers_its_sentiment_rests_on(personas):
    buyers, lookers = personas
    assert buyers.sentiment_responses == 2 and lookers.sentiment_responses == 0  # a rated 2/5, b rated 5/5


def test_each_segment_gets_the_top_theme_of_its_own_negative_comments_with_a_quote():
    rows = [(f"u{i}", f"2024-01-{i + 1:02d}", "support_ticket", 1, text) for i, text in enumerate(
        ["Delivery was late again", "Late delivery, parcel lost", "The delivery was late and damaged",
         "Delivery late, no answer"])]
    rows += [(f"v{i}", f"2024-01-{i + 1:02d}", "review", 2, text) for i, text in enumerate(
        ["Prices are too high", "Too high prices for this", "High prices, cheaper elsewhere"])]
    rows += [("w0", "2024-01-05", "visit", None, None)]
    log = dataset(rows, columns=("customer_id", "timestamp", "event", "score", "text"))
    membership = pd.DataFrame({"customer_id": [f"u{i}" for i in range(4)] + [f"v{i}" for i in range(3)] + ["w0"],
                               "segment": [0] * 4 + [1] * 3 + [2]})
    pains = compute_segment_pain_points(log, membership=membership)
    assert set(pains) == {0, 1}  # segment 2 left no comment
    assert "late" in pains[0].lower() and "“" in pains[0]
    assert "price" in pains[1].lower()
    assert compute_segment_pain_points(dataset([("a", "2024-01-01", "visit")]), membership=membership) == {}
