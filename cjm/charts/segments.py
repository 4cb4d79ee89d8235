"""Segment charts. Each takes the output of a cjm.segments compute_* function (or the fitted
Segmenter's silhouette_ frame) and aggregates nothing."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cjm.charts import segment_scale, titled
from cjm.errors import InsufficientDataError


def _named(frame: pd.DataFrame, names) -> pd.DataFrame:
    names = dict(names or {})
    out = frame.copy()
    out["name"] = out["segment"].map(lambda s: names.get(int(s), f"Segment {int(s)}"))
    return out


def _segment_colors(frame: pd.DataFrame) -> alt.Scale:
    """Colours follow segment numbers, so a segment keeps its colour on every chart of the dataset."""
    ordered = frame.drop_duplicates("segment").sort_values("segment")
    return segment_scale(list(ordered["name"]))


def silhouette_chart(silhouette: pd.DataFrame, *, k: int, fixed: bool | None = None) -> alt.Chart:
    """Silhouette per k (Segmenter.silhouette_: k, silhouette, sample_size) with the chosen k marked.

    `fixed`: k was set by the analyst (default: when only one k was tried)."""
    frame = silhouette.copy()
    frame["chosen"] = frame["k"] == k
    if not frame["chosen"].any():
        raise InsufficientDataError(f"k={k} is not among the k values tried ({list(frame['k'])}).")
    score = float(frame.loc[frame["chosen"], "silhouette"].iloc[0])
    if fixed if fixed is not None else len(frame) == 1:
        title = f"k={k} chosen by the analyst (silhouette {score:.2f})"
    else:
        title = f"k={k} separates customers best (silhouette {score:.2f})"
    sample = int(frame["sample_size"].max()) if "sample_size" in frame else None
    tooltip = [
        alt.Tooltip("k:Q", title="Segments (k)"),
        alt.Tooltip("silhouette:Q", title="Silhouette", format=".3f"),
    ]
    if sample is not None:
        tooltip.append(alt.Tooltip("sample_size:Q", title="Customers sampled", format=","))
    base = alt.Chart(frame).encode(
        x=alt.X("k:Q", title="Number of segments (k)", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("silhouette:Q", title="Silhouette (-1 to 1, higher = better separated)"),
        tooltip=tooltip,
    )
    line = base.mark_line(point=True, color="#4C78A8")
    chosen = base.transform_filter(alt.datum.chosen).mark_point(size=220, filled=True, color="#E45756")
    rule = alt.Chart(frame).transform_filter(alt.datum.chosen).mark_rule(strokeDash=[4, 4], color="#E45756").encode(
        x="k:Q"
    )
    subtitle = f"Silhouette measured on {sample:,} customers" if sample else None
    return titled(alt.layer(line, rule, chosen), title, subtitle)


def segment_sizes_chart(profiles: pd.DataFrame, *, names=None) -> alt.Chart:
    """Customers per segment (compute_segment_profiles output), largest first."""
    frame = _named(profiles[["segment", "size", "share"]], names)
    top = frame.sort_values(["size", "segment"], ascending=[False, True]).iloc[0]
    title = f"{top['name']} is the largest segment: {top['share']:.1%} of customers"
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("name:N", title="Segment", sort="-x"),
        x=alt.X("size:Q", title="Customers"),
        color=alt.Color("name:N", scale=_segment_colors(frame), legend=None),
        tooltip=[
            alt.Tooltip("name:N", title="Segment"),
            alt.Tooltip("size:Q", title="Customers", format=","),
            alt.Tooltip("share:Q", title="Share of customers", format=".1%"),
        ],
    )
    return titled(chart, title, f"{int(frame['size'].sum()):,} customers in {len(frame)} segments")


def profile_heatmap_chart(differences: pd.DataFrame, *, names=None) -> alt.Chart:
    """Each segment's mean versus the overall mean, per feature (compute_feature_differences output)."""
    frame = _named(differences, names)
    frame["abs_z"] = frame["z_difference"].abs()
    top = frame.sort_values(["abs_z", "segment", "feature"], ascending=[False, True, True]).iloc[0]
    direction = "above" if top["z_difference"] > 0 else "below"
    title = (
        f"{top['name']} stands out most: {top['label']} {abs(top['z_difference']):.1f} sd {direction} average"
    )
    order = list(frame.drop_duplicates("segment").sort_values("segment")["name"])
    limit = max(1.0, float(frame["abs_z"].max()))
    base = alt.Chart(frame).encode(
        x=alt.X("label:N", title="Feature", sort=None, axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("name:N", title="Segment", sort=order),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "z_difference:Q",
            title="Difference from average (sd)",
            scale=alt.Scale(scheme="blueorange", domain=[-limit, limit], domainMid=0),
        ),
        tooltip=[
            alt.Tooltip("name:N", title="Segment"),
            alt.Tooltip("label:N", title="Feature"),
            alt.Tooltip("segment_mean:Q", title="Segment mean", format=",.2f"),
            alt.Tooltip("overall_mean:Q", title="Overall mean", format=",.2f"),
            alt.Tooltip("z_difference:Q", title="Difference (sd)", format="+.2f"),
            alt.Tooltip("customers:Q", title="Customers in segment", format=","),
        ],
    )
    text = base.mark_text(fontSize=10).encode(text=alt.Text("z_difference:Q", format="+.1f"))
    return titled(alt.layer(cells, text), title, "Colour: segment mean minus overall mean, in standard deviations")


def segment_pca_chart(points: pd.DataFrame) -> alt.Chart:
    """Customers on two principal components, coloured by segment (compute_segment_pca output)."""
    frame = points.copy()
    first, second = float(frame["pc1_variance"].iloc[0]), float(frame["pc2_variance"].iloc[0])
    tooltip = [alt.Tooltip("name:N", title="Segment")]
    if "customer_id" in frame:
        tooltip.insert(0, alt.Tooltip("customer_id:N", title="Customer"))
    tooltip += [
        alt.Tooltip("pc1:Q", title="Component 1", format=".2f"),
        alt.Tooltip("pc2:Q", title="Component 2", format=".2f"),
    ]
    chart = alt.Chart(frame).mark_circle(size=18, opacity=0.6).encode(
        x=alt.X("pc1:Q", title=f"Component 1 ({first:.1%} of variance)"),
        y=alt.Y("pc2:Q", title=f"Component 2 ({second:.1%} of variance)"),
        color=alt.Color("name:N", title="Segment", scale=_segment_colors(frame)),
        tooltip=tooltip,
    )
    title = f"Two components show {first + second:.1%} of the differences between customers"
    return titled(chart, title, f"{len(frame):,} customers shown")


def segment_value_chart(profiles: pd.DataFrame, *, names=None) -> alt.Chart:
    """Mean spend per customer in each segment (compute_segment_profiles output)."""
    if profiles["value_mean"].isna().all():
        raise InsufficientDataError("segment value needs a revenue column; map one to see spend per segment.")
    frame = _named(profiles[["segment", "size", "share", "value_mean", "value_total"]], names)
    frame["value_share"] = frame["value_total"] / frame["value_total"].sum() if frame["value_total"].sum() else 0.0
    average = frame["value_total"].sum() / frame["size"].sum()
    top = frame.sort_values(["value_mean", "segment"], ascending=[False, True]).iloc[0]
    if average > 0:
        title = f"{top['name']} spend {top['value_mean'] / average:.1f}x the average customer"
    else:
        title = "No segment has spent anything yet"
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("name:N", title="Segment", sort="-x"),
        x=alt.X("value_mean:Q", title="Mean spend per customer"),
        color=alt.Color("name:N", scale=_segment_colors(frame), legend=None),
        tooltip=[
            alt.Tooltip("name:N", title="Segment"),
            alt.Tooltip("value_mean:Q", title="Mean spend per customer", format=",.2f"),
            alt.Tooltip("value_total:Q", title="Total spend", format=",.2f"),
            alt.Tooltip("value_share:Q", title="Share of all spend", format=".1%"),
            alt.Tooltip("size:Q", title="Customers", format=","),
        ],
    )
    rule = alt.Chart(pd.DataFrame({"average": [average]})).mark_rule(strokeDash=[4, 4], color="#666666").encode(
        x="average:Q", tooltip=[alt.Tooltip("average:Q", title="Average customer", format=",.2f")]
    )
    subtitle = f"{int(frame['size'].sum()):,} customers; dashed line: average customer"
    return titled(alt.layer(chart, rule), title, subtitle)
