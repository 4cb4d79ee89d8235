"""Segments' conversion agrees with the Overview: when no event of the data is a conversion or a purchase (a survey,
reviews) it is not known, shown as no value with the Overview's reason, never 0% in every segment. Figures worked
by hand in the comments."""

from __future__ import annotations

import json

import pytest

from cjm import report
from cjm.customers.features import compute_customer_features
from cjm.customers.segments import SegmentParams, build_segmentation
from cjm.data.dataset import build_dataset
from cjm.data.stages import StageMapping
from cjm.journey.kpis import CONVERSION_NEEDS, NO_CONVERSION, compute_kpis
from tests.apptest import open_app
from tests.helpers import parsed_text

# 40 anonymous reviews (no id, no date): stars 5, 4, 3, 2 in turn, no purchase anywhere.
REVIEWS = ["Great phone, fast delivery and a lovely screen", "Broke after two days, very disappointed",
           "Good value for the money, would buy again", "The battery dies quickly, not happy at all"]
SURVEY = "review,stars\n" + "".join(f"\"{REVIEWS[i % 4]} ({i})\",{5 - i % 4}\n" for i in range(40))
# Three customers: a views and buys, b and c only view.
SHOP = ("customer_id,timestamp,event\na,2024-01-01 10:00,page_view\na,2024-01-01 10:05,purchase\n"
        "b,2024-01-02 09:00,page_view\nc,2024-01-03 12:00,page_view\nc,2024-01-04 12:00,page_view\n")


def survey():
    return build_dataset(parsed_text(SURVEY, "reviews.csv"))


def test_the_overview_and_the_customer_features_of_a_survey_give_the_same_reason_for_no_conversion():
    ds = survey()
    kpis = compute_kpis(ds).set_index("name")
    assert not kpis.loc["conversion_rate", "available"] and kpis.loc["conversion_rate", "needs"] == CONVERSION_NEEDS
    features = compute_customer_features(ds)
    # was: converted False for all 40, dropped as a constant, so every segment showed a conversion of 0%
    assert "converted" not in features and "converted" not in features.attrs["constant"]
    assert features.attrs["dropped"]["converted"] == NO_CONVERSION == f"Conversion rate needs {CONVERSION_NEEDS}"


def test_the_segment_profiles_and_the_report_show_no_conversion_for_a_survey():
    ds = survey()
    result = build_segmentation(compute_customer_features(ds), params=SegmentParams(), max_points=0)
    assert result.profiles["conversion"].isna().all()  # not 0.0
    out = report.build_report(ds)
    assert [s["conversion"] for s in out["segments"]["segments"]] == [None] * len(out["segments"]["segments"])
    assert out["skipped"]["segments.conversion"] == NO_CONVERSION
    assert "conversion_rate" not in out["kpis"]


def test_segments_of_data_with_a_conversion_still_show_zero_where_nobody_converted():
    # a bought (1 of 1 converted), b and c did not: each customer's own conversion is 1, 0, 0
    features = compute_customer_features(build_dataset(parsed_text(SHOP, "shop.csv")))
    assert features.set_index("customer_id")["converted"].to_dict() == {"a": True, "b": False, "c": False}


def test_a_purchase_mapped_away_from_the_conversion_stage_converts_as_the_overview_counts_it():
    # The purchase moved to "retention" by the stage mapping: no event is at "conversion", and the Overview counts
    # a purchase as the conversion: 1 of 3 customers (a). The features said nobody converted (at_conversion 0).
    ds = build_dataset(parsed_text(SHOP, "shop.csv"), stage_mapping=StageMapping(events={"purchase": "retention"}))
    kpis = compute_kpis(ds, period="all").set_index("name")
    assert kpis.loc["conversion_rate", "value"] == pytest.approx(1 / 3)
    features = compute_customer_features(ds)
    assert features.set_index("customer_id")["converted"].to_dict() == {"a": True, "b": False, "c": False}


def test_the_segments_and_personas_pages_show_no_value_with_the_reason_for_a_survey():
    at = open_app("app_pages/segments.py", files={"reviews.csv": SURVEY.encode()})
    at.button(key="cjm.segments.find").click().run()
    at.session_state["cjm.segments.tab"] = "Profiles"
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    table = next(d for d in at.dataframe if "Conversion" in d.value.columns)
    assert table.value["Conversion"].isna().all() and table.proto.placeholder == "–"  # was 0.0 in every row
    assert json.loads(table.proto.columns)["Conversion"]["help"] == NO_CONVERSION  # the column's help says why
    at.switch_page("app_pages/personas.py").run()
    assert not at.exception, at.exception
    cards = [m for m in at.metric if m.label == "Conversion"]
    assert cards and {m.value for m in cards} == {"–"}
    assert {m.proto.help for m in cards} == {f"{NO_CONVERSION}, as on the Overview."}
