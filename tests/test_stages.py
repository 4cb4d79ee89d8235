import pytest

from cjm.errors import ParameterError
from cjm.data.stages import StageMapping, suggest_stage


@pytest.mark.parametrize("event, five, seven", [
    ("ad_click", "awareness", "awareness"),
    ("product_view", "consideration", "evaluation"),
    ("add_to_cart", "consideration", "evaluation"),
    ("purchase", "conversion", "conversion"),
    ("order_completed", "conversion", "conversion"),
    ("support_ticket", "retention", "support"),
    ("invoice", "retention", "experience"),
    ("repeat_purchase", "loyalty", "repurchase"),
    ("Review Written", "loyalty", "repurchase"),
])
def test_the_touchpoint_dictionary_maps_common_events_in_both_models(event, five, seven):
    assert suggest_stage(event, "5") == five
    assert suggest_stage(event, "7") == seven


def test_keyword_rules_cover_names_the_dictionary_does_not_know():
    assert suggest_stage("cart", "5") == "consideration"
    assert suggest_stage("order_refund_requested", "5") == "retention"
    assert suggest_stage("newsletter_signup_click", "7") == "discovery"


def test_unknown_events_are_unmapped_and_listed():
    mapping = StageMapping(model="5")
    assert mapping.unmapped(["purchase", "zzz_custom"]) == ["zzz_custom"]


def test_user_overrides_win_over_the_dictionary():
    mapping = StageMapping(model="5", events={"purchase": "loyalty", "zzz": "awareness"})
    assert mapping.table(["purchase", "zzz", "page_view"]) == {
        "purchase": "loyalty", "zzz": "awareness", "page_view": "consideration"}


def test_a_custom_model_needs_distinct_stages_and_maps_only_by_hand():
    mapping = StageMapping(model="custom", custom_stages=("lead", "trial", "paid"), events={"signup": "trial"})
    assert mapping.stages == ("lead", "trial", "paid")
    assert mapping.stage_of("signup") == "trial"
    assert mapping.stage_of("purchase") == "unmapped"
    with pytest.raises(ParameterError, match="at least two distinct"):
        StageMapping(model="custom", custom_stages=("a", "a")).stages


def test_an_override_to_a_stage_outside_the_model_counts_as_unmapped():
    assert StageMapping(model="5", events={"purchase": "repurchase"}).stage_of("purchase") == "unmapped"


def test_a_stage_mapping_round_trips_through_json():
    mapping = StageMapping(model="7", events={"x": "support"})
    assert StageMapping.from_dict(mapping.to_dict()) == mapping
    with pytest.raises(ParameterError, match="Unknown stage model '9'"):
        StageMapping.from_dict({"model": "9"})
