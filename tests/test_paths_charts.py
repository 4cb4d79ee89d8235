"""Journey charts through their Vega-Lite specs: the Sankey-style flow, the heat map, the variants."""

from __future__ import annotations

import pytest

from cjm import paths
from cjm.charts.paths import (NODE_WIDTH, flow_chart, format_duration, sankey_layout, transition_heatmap_chart,
                              variants_chart)
from cjm.paths import PathParams
from tests.test_paths import FIVE, five_customers

ALL = PathParams(min_edge_share=0.0)


@pytest.fixture(scope="module")
def edges():
    return paths.compute_transitions(five_customers(), params=ALL)


def test_the_flow_title_states_the_biggest_first_move(edges):
    spec = flow_chart(edges, stages=FIVE).to_dict()
    assert spec["title"]["text"] == "80.0% of customers go from awareness to consideration"
    assert spec["title"]["subtitle"].startswith("5 customers")


def test_the_flow_layers_ribbons_nodes_and_labels_with_tooltips(edges):
    spec = flow_chart(edges, stages=FIVE).to_dict()
    ribbons, nodes, labels = spec["layer"]
    assert ribbons["mark"]["type"] == "area" and nodes["mark"]["type"] == "rect" and labels["mark"]["type"] == "text"
    assert {t["field"] for t in ribbons["encoding"]["tooltip"]} >= {"source", "target", "customers", "share"}
    assert {t["field"] for t in nodes["encoding"]["tooltip"]} >= {"label", "customers", "share_of_all"}
    assert ribbons["encoding"]["color"]["scale"]["domain"][:5] == list(FIVE)
    assert ribbons["encoding"]["x"]["title"] == "Step in the journey (1 = first)"


def test_node_heights_and_ribbon_widths_are_proportional_to_customers(edges):
    nodes, ribbons = sankey_layout(edges, stages=FIVE)
    assert (nodes["y1"] - nodes["y0"]).tolist() == nodes["customers"].tolist()
    assert (ribbons["y_high"] - ribbons["y_low"]).to_numpy() == pytest.approx(ribbons["customers"].to_numpy())
    sizes = {(r.position, r.label): r.customers for r in nodes.itertuples()}
    assert sizes == {(1, "awareness"): 4, (2, "consideration"): 4, (3, "conversion"): 2, (3, "awareness"): 1,
                     (4, "consideration"): 1}


def test_ribbons_run_from_the_source_node_edge_to_the_target_node_edge_inside_the_nodes(edges):
    nodes, ribbons = sankey_layout(edges, stages=FIVE)
    box = nodes.set_index(["position", "label"])
    for _, ribbon in ribbons.groupby("link"):
        start, end = ribbon.iloc[0], ribbon.iloc[-1]
        source = box.loc[(start["position"], start["source"])]
        target = box.loc[(start["position"] + 1, start["target"])]
        assert start["x"] == pytest.approx(source["x1"]) and end["x"] == pytest.approx(target["x0"])
        assert source["y0"] <= start["y_low"] and start["y_high"] <= source["y1"]
        assert target["y0"] <= end["y_low"] and end["y_high"] <= target["y1"]
    assert (nodes["x1"] - nodes["x0"]).round(9).eq(NODE_WIDTH).all()


def test_ribbons_leaving_one_node_do_not_overlap(edges):
    _, ribbons = sankey_layout(edges, stages=FIVE)
    starts = ribbons.groupby("link").first()
    for _, leaving in starts.groupby(["position", "source"]):
        spans = sorted(zip(leaving["y_low"], leaving["y_high"]))
        assert all(high <= low for (_, high), (low, _) in zip(spans, spans[1:]))


def test_nodes_in_a_step_follow_the_stage_model_order(edges):
    nodes, _ = sankey_layout(edges, stages=FIVE)
    third = nodes[nodes["position"] == 3].sort_values("y0")
    assert third["label"].tolist() == ["awareness", "conversion"]


def test_a_flow_split_by_group_shows_the_chosen_group():
    split = paths.compute_transitions(five_customers(), params=PathParams(min_edge_share=0.0, split_by="first_channel"))
    spec = flow_chart(split, stages=FIVE, group="email").to_dict()
    assert "in email" in spec["title"]["subtitle"]


def test_a_flow_with_every_edge_filtered_out_says_how_to_see_more(edges):
    spec = flow_chart(edges.iloc[0:0], stages=FIVE).to_dict()
    assert spec["title"]["text"] == "No flow is large enough to show"


def test_event_level_flows_use_a_categorical_palette():
    event_edges = paths.compute_transitions(five_customers(), params=PathParams(level="event", min_edge_share=0.0))
    spec = flow_chart(event_edges).to_dict()
    assert spec["layer"][1]["encoding"]["color"]["scale"] == {"scheme": "tableau20"}


def test_the_heat_map_orders_steps_by_the_stage_model_and_titles_the_most_common_move():
    matrix = paths.compute_transition_matrix(five_customers(), params=ALL)
    spec = transition_heatmap_chart(matrix, stages=FIVE).to_dict()
    assert spec["title"]["text"] == "100.0% of customers at awareness go next to consideration"
    cells = spec["layer"][0]
    assert cells["encoding"]["x"]["sort"] == ["awareness", "consideration", "conversion"]
    assert cells["encoding"]["color"]["field"] == "share_of_from"
    assert {t["field"] for t in cells["encoding"]["tooltip"]} >= {"customers", "from_customers", "share_of_from"}


def test_a_split_heat_map_is_faceted_by_group():
    matrix = paths.compute_transition_matrix(five_customers(), params=PathParams(split_by="first_channel"))
    spec = transition_heatmap_chart(matrix, stages=FIVE).to_dict()
    assert spec["facet"]["column"]["field"] == "group"


def test_the_variants_chart_shows_the_top_variants_and_their_coverage():
    variants = paths.compute_variants(five_customers(), params=ALL)
    spec = variants_chart(variants, top_n=3).to_dict()
    assert spec["title"]["text"] == "The 3 most common journeys cover 80.0% of customers"
    assert spec["title"]["subtitle"] == "Most common: awareness → consideration → conversion (40.0%)"
    data = spec["datasets"][spec["data"]["name"]]
    assert [row["path"] for row in data] == variants["path"].head(3).tolist()
    assert data[0]["duration"] == "3 h 00 min"
    fields = {t["field"] for t in spec["encoding"]["tooltip"]}
    assert {"customers", "share", "cumulative_share", "conversion", "duration"} <= fields


def test_a_split_variants_chart_has_one_panel_per_group():
    variants = paths.compute_variants(five_customers(), params=PathParams(split_by="first_channel"))
    spec = variants_chart(variants, top_n=1).to_dict()
    assert spec["facet"]["row"]["field"] == "group"
    assert spec["title"]["text"] == "In every group, the most common journey covers at least 33.3% of customers"


def test_durations_read_like_people_say_them():
    assert [format_duration(s) for s in (42, 600, 7500, 2 * 86400 + 3 * 3600, None)] == [
        "42 s", "10 min", "2 h 05 min", "2 d 3 h", "n/a"]
