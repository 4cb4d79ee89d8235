"""Journey charts through their Vega-Lite specs: the Sankey-style flow, the heat map, the variants."""

from __future__ import annotations

import pytest

from cjm.journey import paths
from cjm.present.charts.paths import (CHAR_WIDTH, NODE_WIDTH, flow_chart, format_duration, place_labels, sankey_layout,
                              transition_heatmap_chart, variants_chart)
from cjm.journey.paths import PathParams
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
    ribbons, nodes, halo, labels = spec["layer"]
    assert ribbons["mark"]["type"] == "area" and nodes["mark"]["type"] == "rect" and labels["mark"]["type"] == "text"
    assert halo["mark"]["stroke"] == "white"  # keeps labels legible over the ribbons
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
        "42 s", "10 min 00 s", "2 h 05 min", "2 d 03 h", "–"]  # one duration format everywhere (cjm.present.formats)


def label_boxes(nodes, texts, *, x_domain, top, width, height, font):
    span = x_domain[1] - x_domain[0]
    out = []
    for i, text in texts.dropna().items():
        row = nodes.loc[i]
        x = (row["x1"] - x_domain[0]) / span * width
        middle = (row["y0"] + row["y1"]) / 2 / top * height
        out.append((x, middle - font / 2, x + len(text) * font * CHAR_WIDTH, middle + font / 2))
    return out


@pytest.mark.parametrize("width", [200, 400, 900])
def test_flow_labels_never_overlap_and_shorten_or_vanish_when_space_runs_out(edges, width):
    nodes, _ = sankey_layout(edges, stages=FIVE)
    frame = dict(x_domain=[1 - NODE_WIDTH, 4.8], top=float(nodes["y1"].max()), width=width, height=300, font=11)
    texts = place_labels(nodes, **frame)
    boxes = label_boxes(nodes, texts, **frame)
    for k, a in enumerate(boxes):
        for b in boxes[k + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    full = texts.dropna().str.contains(r"\(").sum()
    if width == 900:
        assert texts.notna().all() and full == len(nodes)  # room for every label with its count
    if width == 200:
        assert full < len(nodes)  # squeezed: names only, or no label (the tooltip keeps the numbers)


def test_a_node_shorter_than_a_line_of_text_gets_no_label(edges):
    nodes, _ = sankey_layout(edges, stages=FIVE)
    texts = place_labels(nodes, x_domain=[1 - NODE_WIDTH, 4.8], top=float(nodes["y1"].max()), width=900,
                         height=20, font=11)
    small = (nodes["y1"] - nodes["y0"]) / nodes["y1"].max() * 20 < 11 * 0.8
    assert texts[small].isna().all() and small.any()


def test_event_level_flows_are_ordered_and_coloured_by_the_stage_of_each_event():
    event_edges = paths.compute_transitions(five_customers(), params=PathParams(level="event", min_edge_share=0.0))
    stage_of = {"ad": "awareness", "view": "consideration", "cart": "consideration", "buy": "conversion"}
    nodes, _ = sankey_layout(event_edges, stages=FIVE, stage_of=stage_of)
    third = nodes[nodes["position"] == 3].sort_values("y0")["label"].tolist()
    assert third == ["ad", "cart", "buy"]  # awareness, consideration, conversion: the order of the stages
    spec = flow_chart(event_edges, stages=FIVE, stage_of=stage_of).to_dict()
    assert spec["layer"][1]["encoding"]["color"]["field"] == "stage"
    assert spec["layer"][1]["encoding"]["color"]["scale"]["domain"][:5] == list(FIVE)


def test_a_compact_flow_titles_the_group_and_shows_only_the_first_steps():
    split = paths.compute_transitions(five_customers(), params=PathParams(min_edge_share=0.0, split_by="first_channel"))
    spec = flow_chart(split, stages=FIVE, group="web", compact=True, max_steps=2).to_dict()
    assert spec["title"]["text"] == "web: 3 customers"
    assert spec["title"]["subtitle"] == "100.0% go from awareness to consideration"
    assert spec["layer"][0]["encoding"]["x"]["axis"]["values"] == [1, 2]
    assert spec["layer"][1]["encoding"]["color"]["legend"] is None
