"""Journey variants, coverage, flow edges and the transition matrix on small hand-checked logs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjm.report.sections import paths_section
from cjm.journey import paths
from cjm.errors import InsufficientDataError, ParameterError
from cjm.journey.paths import PathParams
from tests.helpers import dataset, real_file

STAGES = {"ad": "awareness", "view": "consideration", "cart": "consideration", "buy": "conversion",
          "invoice": "retention"}
FIVE = ("awareness", "consideration", "conversion", "retention", "loyalty")
ALL = PathParams(min_edge_share=0.0)


def five_customers(customers=None):
    """a, b: awareness → consideration → conversion; c: awareness → consideration; d: consideration only;
    e: awareness → consideration → awareness → consideration. `customers`: the dataset's customers table."""
    rows = [
        ("a", "2024-01-01T00:00:00", "ad", "web"),
        ("a", "2024-01-01T01:00:00", "view", "web"),
        ("a", "2024-01-01T02:00:00", "view", "web"),
        ("a", "2024-01-01T03:00:00", "cart", "web"),
        ("a", "2024-01-01T04:00:00", "buy", "web"),
        ("b", "2024-01-02T00:00:00", "ad", "email"),
        ("b", "2024-01-02T00:30:00", "view", "email"),
        ("b", "2024-01-02T02:00:00", "buy", "web"),
        ("c", "2024-01-03T00:00:00", "ad", "web"),
        ("c", "2024-01-03T00:10:00", "view", "web"),
        ("d", "2024-01-04T00:00:00", "view", "email"),
        ("e", "2024-01-05T00:00:00", "ad", "web"),
        ("e", "2024-01-05T01:00:00", "view", "web"),
        ("e", "2024-01-05T02:00:00", "ad", "web"),
        ("e", "2024-01-05T03:00:00", "view", "web"),
    ]
    return dataset(rows, columns=("customer_id", "timestamp", "event", "channel"), stages=STAGES, customers=customers)


def test_variants_collapse_repeats_and_rank_by_customers_then_fewer_steps():
    variants = paths.compute_variants(five_customers(), params=ALL)
    assert variants["path"].tolist() == [
        "awareness → consideration → conversion",
        "consideration",
        "awareness → consideration",
        "awareness → consideration → awareness → consideration",
    ]
    assert variants["rank"].tolist() == [1, 2, 3, 4]
    assert variants["customers"].tolist() == [2, 1, 1, 1]
    assert variants["steps"].tolist() == [3, 1, 2, 4]
    assert variants["share"].tolist() == pytest.approx([0.4, 0.2, 0.2, 0.2])
    assert variants["cumulative_share"].tolist() == pytest.approx([0.4, 0.6, 0.8, 1.0])


def test_a_variant_converts_when_its_customers_reach_the_conversion_stage():
    variants = paths.compute_variants(five_customers(), params=ALL).set_index("path")
    assert variants.loc["awareness → consideration → conversion", "conversion"] == 1.0
    assert variants.loc["awareness → consideration", "conversion"] == 0.0
    assert variants.attrs["conversion_rule"] == 'reached the "conversion" stage'


def test_the_median_duration_runs_from_first_to_last_event_of_each_customer():
    variants = paths.compute_variants(five_customers(), params=ALL).set_index("path")
    # a: 4 h, b: 2 h -> median 3 h; d has a single event -> 0 s
    assert variants.loc["awareness → consideration → conversion", "median_seconds"] == 3 * 3600
    assert variants.loc["consideration", "median_seconds"] == 0


def test_a_single_event_customer_has_a_one_step_variant():
    log = dataset([("solo", "2024-03-01T00:00:00", "view")], stages=STAGES)
    variants = paths.compute_variants(log, params=ALL)
    assert variants[["path", "steps", "customers", "share"]].to_dict("records") == [
        {"path": "consideration", "steps": 1, "customers": 1, "share": 1.0}
    ]


def test_events_at_the_same_instant_follow_file_order():
    rows = [
        ("x", "2024-01-01T00:00:00", "ad"), ("x", "2024-01-01T00:00:00", "view"),
        ("y", "2024-01-01T00:00:00", "view"), ("y", "2024-01-01T00:00:00", "ad"),
    ]
    variants = paths.compute_variants(dataset(rows, stages=STAGES), params=PathParams(level="event"))
    assert sorted(variants["path"]) == ["ad → view", "view → ad"]


def test_unmapped_events_are_left_out_of_stage_paths_but_kept_at_event_level():
    rows = [("x", "2024-01-01T00:00:00", "ad"), ("x", "2024-01-01T01:00:00", "mystery"),
            ("x", "2024-01-01T02:00:00", "ad")]
    log = dataset(rows, stages=STAGES)
    assert paths.compute_variants(log, params=ALL)["path"].tolist() == ["awareness"]
    event_level = paths.compute_variants(log, params=PathParams(level="event"))
    assert event_level["path"].tolist() == ["ad → mystery → ad"]


def test_event_level_paths_use_raw_event_names():
    variants = paths.compute_variants(five_customers(), params=PathParams(level="event")).set_index("path")
    assert variants.loc["ad → view → cart → buy", "customers"] == 1
    assert variants.loc["ad → view → ad → view", "steps"] == 4


def test_conversion_falls_back_to_purchase_like_event_names_when_no_stage_is_mapped():
    rows = [("p", "2024-01-01T00:00:00", "page_view"), ("p", "2024-01-01T01:00:00", "Purchase_Completed"),
            ("q", "2024-01-01T00:00:00", "page_view")]
    variants = paths.compute_variants(dataset(rows), params=PathParams(level="event")).set_index("path")
    assert variants.loc["page_view → Purchase_Completed", "conversion"] == 1.0
    assert variants.loc["page_view", "conversion"] == 0.0
    assert "purchase" in variants.attrs["conversion_rule"]


def test_the_converted_stage_can_be_chosen():
    variants = paths.compute_variants(five_customers(), params=ALL, converted_stage="consideration")
    assert variants["conversion"].tolist() == [1.0, 1.0, 1.0, 1.0]


def test_stage_paths_without_any_mapped_event_explain_what_to_do():
    rows = [("p", "2024-01-01T00:00:00", "page_view")]
    with pytest.raises(InsufficientDataError, match="map events"):
        paths.compute_variants(dataset(rows), params=PathParams(conversion_events=("page",)))


def test_start_at_begins_each_journey_at_the_first_occurrence_and_drops_customers_without_it():
    params = PathParams(level="event", start_at="view")
    variants = paths.compute_variants(five_customers(), params=params)
    got = dict(zip(variants["path"], variants["customers"]))
    assert got == {"view → cart → buy": 1, "view → buy": 1, "view": 2, "view → ad → view": 1}


def test_end_at_cuts_each_journey_at_the_first_occurrence_after_the_start():
    params = PathParams(level="event", start_at="ad", end_at="view")
    variants = paths.compute_variants(five_customers(), params=params)
    assert variants[["path", "customers"]].to_dict("records") == [{"path": "ad → view", "customers": 4}]


def test_a_start_that_never_occurs_is_a_parameter_error_quoting_it():
    with pytest.raises(ParameterError, match="'nowhere'"):
        paths.compute_variants(five_customers(), params=PathParams(start_at="nowhere"))


def test_coverage_counts_the_most_common_variants_needed_for_each_share():
    coverage = paths.compute_variant_coverage(paths.compute_variants(five_customers(), params=ALL))
    assert coverage[["coverage", "variants"]].to_dict("records") == [
        {"coverage": 0.8, "variants": 3}, {"coverage": 0.95, "variants": 4}, {"coverage": 0.99, "variants": 4}]
    assert set(coverage["customers_total"]) == {5}
    assert set(coverage["variants_total"]) == {4}


def test_coverage_is_counted_within_each_group_when_split():
    variants = paths.compute_variants(five_customers(), params=PathParams(split_by="first_channel"))
    coverage = paths.compute_variant_coverage(variants)
    at_80 = coverage[coverage["coverage"] == 0.8].set_index("group")
    assert at_80["variants"].to_dict() == {"email": 2, "web": 3}
    assert at_80["customers_total"].to_dict() == {"email": 2, "web": 3}


def test_splitting_by_first_channel_gives_shares_within_each_group():
    variants = paths.compute_variants(five_customers(), params=PathParams(split_by="first_channel"))
    email = variants[variants["group"] == "email"]
    assert email[["path", "customers", "share"]].to_dict("records") == [
        {"path": "consideration", "customers": 1, "share": 0.5},
        {"path": "awareness → consideration → conversion", "customers": 1, "share": 0.5},
    ]
    assert variants.groupby("group")["share"].sum().tolist() == pytest.approx([1.0, 1.0])
    assert variants.columns[0] == "group"


def test_splitting_by_segment_reads_the_customers_table_and_names_missing_values():
    segments = pd.DataFrame({"customer_id": ["a", "b", "c"], "segment": ["loyal", "loyal", "new"]})
    variants = paths.compute_variants(five_customers(), params=PathParams(split_by="segment"), customers=segments)
    sizes = variants.groupby("group")["customers"].sum().to_dict()
    assert sizes == {"loyal": 2, "new": 1, "unknown": 2}


def test_splitting_by_segment_reads_the_datasets_own_customers_table_by_default():
    segments = pd.DataFrame({"customer_id": ["a", "b", "c"], "segment": ["loyal", "loyal", "new"]})
    log, with_customers = five_customers(), five_customers(customers=segments)
    variants = paths.compute_variants(with_customers, params=PathParams(split_by="segment"))
    assert variants.groupby("group")["customers"].sum().to_dict() == {"loyal": 2, "new": 1, "unknown": 2}
    edges = paths.compute_transitions(with_customers, params=PathParams(split_by="segment", min_edge_share=0.0))
    assert edges[edges["position"] == 1].groupby("group")["customers_total"].max().to_dict() == {
        "loyal": 2, "new": 1, "unknown": 2}
    with pytest.raises(InsufficientDataError, match='"segment"'):
        paths.compute_variants(log, params=PathParams(split_by="segment"))  # no customers table, no segment column


def test_groups_beyond_max_groups_are_folded_into_other():
    segments = pd.DataFrame({"customer_id": list("abcde"), "segment": ["s1", "s1", "s2", "s3", "s4"]})
    variants = paths.compute_variants(five_customers(), params=PathParams(split_by="segment", max_groups=1),
                                      customers=segments)
    assert variants.groupby("group")["customers"].sum().to_dict() == {"other": 3, "s1": 2}


def test_splitting_by_a_column_nobody_has_names_that_column():
    with pytest.raises(InsufficientDataError, match='"device"'):
        paths.compute_variants(five_customers(), params=PathParams(split_by="device"))


def test_flow_edges_count_customers_moving_directly_between_steps():
    edges = paths.compute_transitions(five_customers(), params=ALL)
    got = {(r.position, r.source, r.target): (r.customers, round(r.share, 4), r.source_customers, r.target_customers)
           for r in edges.itertuples()}
    assert got == {
        (1, "awareness", "consideration"): (4, 1.0, 4, 4),
        (2, "consideration", "conversion"): (2, 0.5, 4, 2),
        (2, "consideration", "awareness"): (1, 0.25, 4, 1),
        (3, "awareness", "consideration"): (1, 1.0, 1, 1),
    }
    assert set(edges["customers_total"]) == {5}
    assert edges.loc[0, "share_of_all"] == pytest.approx(0.8)


def test_flow_edges_stop_at_max_steps():
    edges = paths.compute_transitions(five_customers(), params=PathParams(max_steps=3, min_edge_share=0.0))
    assert edges["position"].max() == 2
    assert len(edges) == 3


def test_thin_flow_edges_are_hidden_below_the_minimum_share_of_all_customers():
    edges = paths.compute_transitions(five_customers(), params=PathParams(min_edge_share=0.3))
    assert list(zip(edges["source"], edges["target"])) == [("awareness", "consideration"),
                                                          ("consideration", "conversion")]


def test_only_the_largest_flow_edges_are_kept():
    edges = paths.compute_transitions(five_customers(), params=PathParams(min_edge_share=0.0, max_edges=2))
    assert edges["customers"].tolist() == [4, 2]


def dangling_log():
    rows = []
    for i in range(3):
        rows += [(f"k{i}", "2024-01-01T00:00:00", "a"), (f"k{i}", "2024-01-01T01:00:00", "b")]
        rows += [(f"z{i}", "2024-01-01T00:00:00", f"z{i}"), (f"z{i}", "2024-01-01T01:00:00", "q"),
                 (f"z{i}", "2024-01-01T02:00:00", "c")]
    return dataset(rows)


def test_an_edge_whose_source_has_no_shown_incoming_edge_is_dropped_as_dangling():
    params = PathParams(level="event", min_edge_share=0.3)
    edges = paths.compute_transitions(dangling_log(), params=params)
    assert list(zip(edges["position"], edges["source"], edges["target"])) == [(1, "a", "b")]


def test_dangling_edges_stay_when_asked():
    params = PathParams(level="event", min_edge_share=0.3, drop_dangling=False)
    edges = paths.compute_transitions(dangling_log(), params=params)
    assert list(zip(edges["position"], edges["source"], edges["target"])) == [(1, "a", "b"), (2, "q", "c")]
    assert edges.loc[1, "source_customers"] == 3


def test_flow_edges_split_by_group_count_within_each_group():
    edges = paths.compute_transitions(five_customers(), params=PathParams(min_edge_share=0.0,
                                                                           split_by="first_channel"))
    first = edges[edges["position"] == 1].set_index("group")
    assert first.loc["web", "customers"] == 3
    assert first.loc["web", "customers_total"] == 3
    assert first.loc["email", "customers_total"] == 2


def test_the_transition_matrix_counts_each_customer_once_per_pair():
    matrix = paths.compute_transition_matrix(five_customers(), params=ALL)
    got = {(r["from"], r["to"]): (r["customers"], r["from_customers"], r["share_of_from"])
           for r in matrix.to_dict("records")}
    assert got == {
        ("awareness", "consideration"): (4, 4, 1.0),
        ("consideration", "awareness"): (1, 5, 0.2),
        ("consideration", "conversion"): (2, 5, 0.4),
    }


def test_path_params_reject_bad_values_quoting_them():
    for bad in ({"level": "page"}, {"max_steps": 1}, {"max_steps": True}, {"min_edge_share": 1.5},
                {"max_edges": 0}, {"top_n": 0}, {"start_at": ""}, {"conversion_events": "purchase"}):
        with pytest.raises(ParameterError, match=repr(next(iter(bad.values())))):
            PathParams(**bad)


def test_path_params_survive_a_json_round_trip():
    params = PathParams(level="event", start_at="view", conversion_events=("buy",))
    again = PathParams.from_dict(json.loads(json.dumps(params.to_dict())))
    assert again == params
    with pytest.raises(ParameterError, match="colour"):
        PathParams.from_dict({"colour": "red"})


def test_the_report_section_lists_top_variants_and_gaps_for_present_dimensions():
    section = paths_section(five_customers(), params=ALL)
    assert section["variants"][0] == {"path": "awareness → consideration → conversion", "customers": 2,
                                      "share": 0.4, "conversion": 1.0}
    assert list(section["gaps"]) == ["channel"]
    json.dumps(section)


def test_the_report_section_leaves_gaps_out_when_no_dimension_has_values():
    rows = [("x", "2024-01-01T00:00:00", "ad"), ("x", "2024-01-01T01:00:00", "buy")]
    section = paths_section(dataset(rows, stages=STAGES))
    assert "gaps" not in section
    assert section["variants"][0]["path"] == "awareness → conversion"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from("pqr"), st.integers(0, 5), st.sampled_from(["ad", "view", "buy"])),
                min_size=1, max_size=30))
def test_variants_account_for_every_customer_and_never_repeat_a_step(rows):
    log = dataset([(c, f"2024-01-01T00:0{m}:00", e) for c, m, e in rows], stages=STAGES)
    variants = paths.compute_variants(log, params=PathParams(level="event"))
    assert variants["customers"].sum() == len({c for c, _, _ in rows})
    for path, steps in zip(variants["path"], variants["steps"]):
        parts = path.split(" → ")
        assert len(parts) == steps
        assert all(a != b for a, b in zip(parts, parts[1:]))
    assert variants["cumulative_share"].iloc[-1] == pytest.approx(1.0)
    assert np.all(np.diff(variants["customers"].to_numpy()) <= 0)


def test_real_store_events_give_consistent_variants_and_flows():
    raw = pd.read_csv(real_file("rees46_2019-Oct-sample.csv"), dtype={"user_id": str})
    frame = pd.DataFrame({"customer_id": raw["user_id"], "timestamp": raw["event_time"].str.replace(" UTC", ""),
                          "event": raw["event_type"]})
    log = dataset(frame.itertuples(index=False), stages={"view": "consideration", "cart": "consideration",
                                                         "purchase": "conversion"})
    variants = paths.compute_variants(log, params=PathParams(level="event"))
    assert variants["customers"].sum() == raw["user_id"].nunique()
    coverage = paths.compute_variant_coverage(variants)
    assert coverage["variants"].is_monotonic_increasing
    edges = paths.compute_transitions(log, params=PathParams(level="event", min_edge_share=0.0))
    first = edges[edges["position"] == 1]
    assert (first.groupby("source")["customers"].sum() <= first.groupby("source")["source_customers"].first()).all()


def test_a_log_where_everyone_has_one_step_is_explained_instead_of_drawn():
    same = dataset([("a", "2024-01-01", "purchase"), ("a", "2024-02-01", "purchase"), ("b", "2024-01-05", "purchase")],
                  stages={"purchase": "conversion"})
    variants = paths.compute_variants(same, params=PathParams(level="event"))
    assert paths.compute_transitions(same, params=PathParams(level="event")).empty
    assert paths.single_step_reason(variants, level="event") == (
        'Every customer has the same one-step journey: "purchase" (2 customers). Nobody moves from one event to '
        "another, so there is no path or flow to draw.")
    mixed = dataset([("a", "2024-01-01", "view"), ("b", "2024-01-05", "purchase"), ("c", "2024-01-05", "view")],
                   stages={"view": "consideration", "purchase": "conversion"})
    reason = paths.single_step_reason(paths.compute_variants(mixed), level="stage")
    assert reason.startswith('Every customer\'s journey is a single stage ("consideration", "conversion"; 3 customers)')
    assert paths.single_step_reason(paths.compute_variants(five_customers()), level="stage") is None


def test_groups_are_ordered_largest_first_with_other_and_unknown_last():
    edges = pd.DataFrame({"group": ["other", "web", "email", "web", "unknown"],
                          "customers_total": [50, 10, 20, 10, 90], "position": [1, 1, 1, 2, 1]})
    assert paths.group_order(edges) == ["email", "web", "unknown", "other"]
    assert paths.group_order(edges.drop(columns="group")) == []
