"""Journey charts: a Sankey-style flow, the transition heat map and the most common variants.

Altair has no Sankey mark, so the flow is drawn from the edges of `compute_transitions`: nodes are
stacked rectangles per step (height ∝ customers at the node) and every edge is a ribbon, an area
whose lower and upper edges follow a smooth S-curve from its slot on the source node to its slot on
the target node (thickness ∝ customers). Only layout arithmetic happens here; no counting.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from cjm.present.charts import stage_scale, titled
from cjm.present.formats import format_duration, format_percent, format_count

NODE_WIDTH = 0.12
GAP_RATIO = 0.04   # vertical space between nodes, as a share of the tallest step's customers
CURVE_POINTS = 24


def _one_group(frame: pd.DataFrame, group) -> tuple[pd.DataFrame, str | None]:
    if "group" not in frame.columns:
        return frame, None
    groups = list(dict.fromkeys(frame["group"]))
    chosen = group if group is not None else (groups[0] if groups else None)
    return frame[frame["group"] == chosen].drop(columns="group"), chosen


REVERSAL = "reversal"  # what cjm.journey.paths.step_stages gives a refund's step: coloured apart, after the stages
REVERSAL_COLOR = "#7f2704"


def _color(field: str, stages, *, legend=None) -> alt.Color:
    if stages:
        scale = stage_scale(stages)
        scale = alt.Scale(domain=list(scale.domain) + [REVERSAL], range=list(scale.range) + [REVERSAL_COLOR])
        return alt.Color(field, scale=scale, legend=legend)
    return alt.Color(field, scale=alt.Scale(scheme="tableau20"), legend=legend)


def _stage(name, stages, stage_of) -> str:
    """The stage a step is ordered and coloured by: `stage_of`'s, else the step itself when a stage, else unmapped."""
    return stage_of.get(name) or (name if name in (stages or ()) else "unmapped")


def _rank(labels: pd.Series, stages, stage_of=None) -> pd.Series:
    order = {name: i for i, name in enumerate(stages or ())}
    if stage_of:
        return labels.map(lambda name: order.get(_stage(name, stages, stage_of), len(order)))
    return labels.map(lambda name: order.get(name, len(order)))


def sankey_layout(edges: pd.DataFrame, *, stages=None, stage_of=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(nodes, ribbons) coordinates for the flow chart from one group's edges.

    nodes: position, label, customers, x0, x1, y0, y1. ribbons: link, x, y_low, y_high plus the edge's
    fields for tooltips. Nodes within a step are ordered by the stage model (events by the stage they are
    mapped to, `stage_of`: event -> stage), then by size.
    """
    sources = edges[["position", "source", "source_customers"]].set_axis(["position", "label", "customers"], axis=1)
    targets = edges[["position", "target", "target_customers"]].set_axis(["position", "label", "customers"], axis=1)
    targets = targets.assign(position=targets["position"] + 1)
    nodes = pd.concat([sources, targets]).drop_duplicates(["position", "label"])
    nodes = nodes.assign(order=_rank(nodes["label"], stages, stage_of))
    nodes = nodes.sort_values(["position", "order", "customers", "label"], ascending=[True, True, False, True])
    gap = GAP_RATIO * (nodes.groupby("position")["customers"].sum().max() if len(nodes) else 0)
    stacked = nodes.groupby("position")["customers"].cumsum() + gap * nodes.groupby("position").cumcount()
    nodes = nodes.assign(y1=stacked.astype(float), x0=nodes["position"] - NODE_WIDTH / 2,
                         x1=nodes["position"] + NODE_WIDTH / 2)
    nodes["y0"] = nodes["y1"] - nodes["customers"]
    nodes = nodes.drop(columns="order").reset_index(drop=True)

    top = nodes.set_index(["position", "label"])["y0"]
    links = edges.reset_index(drop=True).assign(
        link=lambda e: np.arange(len(e)),
        source_top=lambda e: top.reindex(pd.MultiIndex.from_arrays([e["position"], e["source"]])).to_numpy(),
        target_top=lambda e: top.reindex(pd.MultiIndex.from_arrays([e["position"] + 1, e["target"]])).to_numpy(),
    )
    # Outgoing ribbons stack inside the source node in the order of their targets, incoming ones
    # inside the target node in the order of their sources, so ribbons cross as little as possible.
    links = links.sort_values(["position", "source_top", "target_top"])
    before = links.groupby(["position", "source"])["customers"].cumsum() - links["customers"]
    links["sy0"] = links["source_top"] + before
    links = links.sort_values(["position", "target_top", "source_top"])
    before = links.groupby(["position", "target"])["customers"].cumsum() - links["customers"]
    links["ty0"] = links["target_top"] + before
    links = links.sort_values("link")

    t = np.linspace(0.0, 1.0, CURVE_POINTS)
    ease = t * t * (3 - 2 * t)
    repeated = links.loc[links.index.repeat(CURVE_POINTS)].reset_index(drop=True)
    step_t = np.tile(t, len(links))
    step_ease = np.tile(ease, len(links))
    repeated["x"] = repeated["position"] + NODE_WIDTH / 2 + step_t * (1 - NODE_WIDTH)
    repeated["y_low"] = repeated["sy0"] + (repeated["ty0"] - repeated["sy0"]) * step_ease
    repeated["y_high"] = repeated["y_low"] + repeated["customers"]
    keep = ["link", "x", "y_low", "y_high", "position", "source", "target", "customers", "share", "share_of_all",
            "source_customers"]
    return nodes, repeated[keep]


CHAR_WIDTH = 0.52  # average glyph width as a share of the font size (measured ~0.45 for the default font)


def place_labels(nodes: pd.DataFrame, *, x_domain, top: float, width: float, height: float,
                 font: float) -> pd.Series:
    """The label drawn right of each node: "name (customers)", just "name" when that does not fit, or None.

    Labels are placed greedily, largest node first, and never overlap another label or another node box
    (estimated in pixels from the chart size); a node shorter than about one text line gets no label (its
    tooltip still gives the numbers).
    """
    span = x_domain[1] - x_domain[0]

    def px(x):
        return (x - x_domain[0]) / span * width

    boxes = [(px(r.x0), r.y0 / top * height, px(r.x1), r.y1 / top * height) for r in nodes.itertuples()]
    placed, texts = [], pd.Series([None] * len(nodes), index=nodes.index, dtype=object)
    for i in nodes.sort_values(["customers", "position"], ascending=[False, True]).index:
        row = nodes.loc[i]
        node = boxes[nodes.index.get_loc(i)]
        if node[3] - node[1] < font * 0.8:
            continue
        middle = (node[1] + node[3]) / 2
        for text in (f"{row['label']} ({row['customers']:,})", str(row["label"])):
            box = (node[2] + 2, middle - font * 0.65, node[2] + 6 + len(text) * font * CHAR_WIDTH, middle + font * 0.65)
            if box[2] > width + 8:
                continue
            others = [b for j, b in enumerate(boxes) if j != nodes.index.get_loc(i)] + placed
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in others):
                placed.append(box)
                texts[i] = text
                break
    return texts


def flow_chart(edges: pd.DataFrame, *, stages=None, group=None, stage_of=None, compact: bool = False,
               max_steps: int | None = None) -> alt.LayerChart | alt.Chart:
    """Sankey-style flow of `compute_transitions` output (one group: `group`, default the first).

    `stages` orders the nodes of a step and colours them; at event level pass `stage_of` (event -> stage)
    so events are ordered and coloured by their stage; a step `stage_of` names REVERSAL (a refund's: at stage level
    "refund (reversal)", cjm.journey.paths.step_stages) is coloured apart, after the stages. `compact` draws a
    narrower chart for side-by-side comparisons (group name as the title, the finding as the subtitle, no legend);
    `max_steps` shows only the first steps of the flow.
    """
    edges, chosen = _one_group(edges, group)
    if max_steps is not None:
        edges = edges[edges["position"] < max_steps]
    if edges.empty:
        return titled(alt.Chart(pd.DataFrame({"x": []})).mark_text(), "No flow is large enough to show",
                      "Lower the minimum edge share or raise the number of edges.")
    nodes, ribbons = sankey_layout(edges, stages=stages, stage_of=stage_of)
    total = int(edges["customers_total"].iloc[0])
    top = float(nodes["y1"].max())
    last = int(nodes["position"].max())
    width, height, font = (290, 360, 10) if compact else (900, 540, 11)
    x_domain = [1 - NODE_WIDTH, last + (1.0 if compact else 0.8)]
    nodes = nodes.assign(share_of_all=nodes["customers"] / total, customers_total=total,
                         y_mid=(nodes["y0"] + nodes["y1"]) / 2)
    # The page fits title, axis and legend inside `height`: the plot itself is that much shorter.
    plot_height = height - (80 if compact else 130)
    nodes["text"] = place_labels(nodes, x_domain=x_domain, top=top, width=width, height=plot_height, font=font)
    colour_by = "label"
    if stage_of:
        nodes = nodes.assign(stage=nodes["label"].map(lambda e: _stage(e, stages, stage_of)))
        ribbons = ribbons.assign(stage=ribbons["source"].map(lambda e: _stage(e, stages, stage_of)))
        colour_by = "stage"
    x_scale = alt.Scale(domain=x_domain, nice=False, zero=False)
    y_scale = alt.Scale(domain=[0, top], reverse=True, nice=False, zero=True)
    x_axis = alt.Axis(values=list(range(1, last + 1)), format="d", grid=False)
    shown = list(dict.fromkeys(nodes[colour_by]))
    only_shown = {"values": [s for s in list(stages) + ["unmapped", REVERSAL] if s in shown]} if stages else {}
    legend = None if compact else alt.Legend(title="Stage" if stages else "Event", orient="bottom", **only_shown)

    links = alt.Chart(ribbons).mark_area(opacity=0.45, interpolate="linear").encode(
        x=alt.X("x:Q", scale=x_scale, axis=x_axis, title="Step in the journey (1 = first)"),
        y=alt.Y("y_low:Q", scale=y_scale, axis=None),
        y2="y_high:Q",
        detail="link:N",
        color=_color(("stage" if stage_of else "source") + ":N", stages, legend=legend),
        tooltip=[
            alt.Tooltip("source:N", title="From"), alt.Tooltip("target:N", title="To"),
            alt.Tooltip("position:Q", title="From step"),
            alt.Tooltip("customers:Q", title="Customers", format=","),
            alt.Tooltip("share:Q", title="Share of customers at the source", format=".1%"),
            alt.Tooltip("share_of_all:Q", title="Share of all customers", format=".1%"),
            alt.Tooltip("source_customers:Q", title="Customers at the source", format=","),
        ],
    )
    boxes = alt.Chart(nodes).mark_rect(stroke="#333", strokeWidth=0.5).encode(
        x="x0:Q", x2="x1:Q", y=alt.Y("y0:Q", scale=y_scale, axis=None), y2="y1:Q",
        color=_color(f"{colour_by}:N", stages, legend=legend),
        tooltip=[
            alt.Tooltip("label:N", title="Step"), alt.Tooltip("position:Q", title="Position"),
            alt.Tooltip("customers:Q", title="Customers", format=","),
            alt.Tooltip("share_of_all:Q", title="Share of all customers", format=".1%"),
            alt.Tooltip("customers_total:Q", title="Customers in the flow", format=","),
        ],
    )
    labelled = alt.Chart(nodes[nodes["text"].notna()]).encode(
        x="x1:Q", y=alt.Y("y_mid:Q", scale=y_scale, axis=None), text="text:N")
    style = {"align": "left", "baseline": "middle", "dx": 4, "fontSize": font}
    halo = labelled.mark_text(**style, stroke="white", strokeWidth=3, strokeOpacity=0.85, color="white")
    names = labelled.mark_text(**style, color="#222")

    first = edges[edges["position"] == 1].sort_values(["customers", "source", "target"], ascending=[False, True, True])
    if len(first):
        move = first.iloc[0]
        finding = f"{format_percent(move['share_of_all'])} of customers go from {move['source']} to {move['target']}"
    else:
        finding = "How customers move through their journeys"
    chart = alt.layer(links, boxes, halo, names).properties(width=width, height=height)
    if compact:
        return titled(chart, f"{chosen}: {format_count(total, 'customer')}" if chosen is not None else f"{format_count(total, 'customer')}",
                      finding.replace(" of customers", ""))
    subtitle = f"{format_count(total, 'customer')}" + (f" in {chosen}" if chosen is not None else "") + \
        "; ribbon width ∝ customers; thin flows hidden; hover for exact numbers"
    return titled(chart, finding, subtitle)


def transition_heatmap_chart(matrix: pd.DataFrame, *, stages=None) -> alt.Chart:
    """Heat map of `compute_transition_matrix`: row = from, column = to, colour = share of `from` customers."""
    if matrix.empty:
        return titled(alt.Chart(pd.DataFrame({"x": []})).mark_rect(), "No customer moved between two steps")
    labels = pd.concat([matrix["from"], matrix["to"]]).drop_duplicates()
    order = labels.iloc[np.lexsort((labels.to_numpy(), _rank(labels, stages).to_numpy()))].tolist()
    data = matrix.assign(label=[format_percent(v) for v in matrix["share_of_from"]])
    base = alt.Chart(data).encode(
        x=alt.X("to:N", sort=order, title="Next step", axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("from:N", sort=order, title="Step"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("share_of_from:Q", title="Share of customers at the step", scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format=".0%")),
        tooltip=[
            alt.Tooltip("from:N", title="From"), alt.Tooltip("to:N", title="To"),
            alt.Tooltip("customers:Q", title="Customers who moved", format=","),
            alt.Tooltip("from_customers:Q", title="Customers at the step", format=","),
            alt.Tooltip("share_of_from:Q", title="Share", format=".1%"),
        ],
    )
    text = base.mark_text(fontSize=10).encode(
        text="label:N",
        color=alt.condition(alt.datum.share_of_from > 0.5, alt.value("white"), alt.value("#222")),
    )
    best = matrix.sort_values(["customers", "from", "to"], ascending=[False, True, True]).iloc[0]
    title = f"{format_percent(best['share_of_from'])} of customers at {best['from']} go next to {best['to']}"
    # Pages stretch charts to the page width and fit title and axes inside the height, so rows get
    # room of their own: about 30 px per step plus the axis labels and title.
    size = 36 * max(len(order), 2)
    chart = (cells + text).properties(width=size, height=max(30 * len(order) + 150, 300))
    if "group" in matrix.columns:
        chart = chart.facet(column=alt.Column("group:N", title=None))
    # rees46: "2.7% ... go next to conversion" titled the most common move beside a darker 77.8% cell; the
    # counts say why (9 of 330 customers moved so, more than any other move: 7 of 9 went back).
    moved = f"{int(best['customers']):,} of {format_count(int(best['from_customers']), 'customer')}"
    return titled(chart, title, f"the most common direct move ({moved}); rows: where customers are, "
                                "columns: where they go next")


def variants_chart(variants: pd.DataFrame, *, top_n: int = 20) -> alt.Chart:
    """The `top_n` most common journey variants (per group when split), bar length = customers."""
    ranked = variants[variants["rank"] <= top_n]
    data = ranked.assign(duration=ranked["median_seconds"].map(format_duration))
    if "group" in ranked.columns:
        covered = ranked.groupby("group")["share"].sum().min() if len(ranked) else 0.0
        which = "the most common journey covers" if top_n == 1 else f"the {top_n} most common journeys cover"
        title = f"In every group, {which} at least {format_percent(covered)} of customers"
        subtitle = f"{ranked['group'].nunique()} groups, one panel each"
    else:
        which = ("The most common journey covers" if len(ranked) == 1
                 else f"The {len(ranked)} most common journeys cover")
        title = f"{which} {format_percent(ranked['share'].sum())} of customers"
        first = ranked.sort_values("rank").iloc[0] if len(ranked) else None
        subtitle = None if first is None else f"Most common: {first['path']} ({format_percent(first['share'])})"
    rule = variants.attrs.get("conversion_rule")
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("path:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None,
                axis=alt.Axis(labelLimit=420)),
        x=alt.X("customers:Q", title="Customers (count)"),
        color=alt.Color("conversion:Q", title="Conversion",
                        scale=alt.Scale(domain=[0, 1], range=["#bdbdbd", "#1a9850"]),
                        legend=alt.Legend(format=".0%")),
        tooltip=[
            alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("path:N", title="Journey"),
            alt.Tooltip("steps:Q", title="Steps"),
            alt.Tooltip("customers:Q", title="Customers", format=","),
            alt.Tooltip("share:Q", title="Share of customers", format=".1%"),
            alt.Tooltip("cumulative_share:Q", title="Cumulative share", format=".1%"),
            alt.Tooltip("conversion:Q", title="Conversion" + (f" ({rule})" if rule else ""), format=".1%"),
            alt.Tooltip("duration:N", title="Median duration (first to last event)"),
        ],
    ).properties(width=520, height=alt.Step(18))
    if "group" in variants.columns:
        chart = chart.facet(row=alt.Row("group:N", title=None)).resolve_scale(y="independent")
    return titled(chart, title, subtitle)
