"""Segment charts. Each takes the output of a cjm.segments compute_* function (or the fitted
Segmenter's silhouette_ frame) and aggregates nothing."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cjm.present.formats import NEVER_BOUGHT, format_count, format_number, format_percent, format_signed
from cjm.present.charts import segment_scale, titled
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


def silhouette_chart(silhouette: pd.DataFrame, *, k: int, fixed: bool | None = None,
                     sweep: dict | None = None) -> alt.Chart:
    """Silhouette per k (Segmenter.silhouette_: k, silhouette, sample_size) with the chosen k marked.

    `fixed`: k was set by the analyst (default: when only one k was tried). `sweep`: Segmenter.sweep_sample_
    ({"customers", "sampled"}) when the k were tried on a sample of the customers: said in the subtitle."""
    frame = silhouette.copy()
    frame["chosen"] = frame["k"] == k
    if not frame["chosen"].any():
        raise InsufficientDataError(f"k={k} is not among the k values tried ({list(frame['k'])}).")
    score = float(frame.loc[frame["chosen"], "silhouette"].iloc[0])
    if fixed if fixed is not None else len(frame) == 1:
        title = f"k={k} chosen by the analyst (silhouette {format_number(score)})"
    else:
        title = f"k={k} separates customers best (silhouette {format_number(score)})"
    sample = int(frame["sample_size"].max()) if "sample_size" in frame else None
    tooltip = [
        alt.Tooltip("k:Q", title="Segments (k)"),
        alt.Tooltip("silhouette:Q", title="Silhouette", format=".3f"),
    ]
    if sample is not None:
        tooltip.append(alt.Tooltip("sample_size:Q", title="Customers sampled", format=","))
    low, high = int(frame["k"].min()), int(frame["k"].max())
    pad = 0.3 if high > low else 1.0  # room for the chosen k's marker at either end
    base = alt.Chart(frame).encode(
        x=alt.X("k:Q", title="Number of segments (k)", axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[low - pad, high + pad], nice=False, zero=False)),
        y=alt.Y("silhouette:Q", title="Silhouette (-1 to 1, higher = better separated)",
                scale=alt.Scale(padding=14)),  # room for the chosen k's marker at the top
        tooltip=tooltip,
    )
    line = base.mark_line(point=True, color="#4C78A8")
    chosen = base.transform_filter(alt.datum.chosen).mark_point(size=220, filled=True, color="#E45756")
    rule = alt.Chart(frame).transform_filter(alt.datum.chosen).mark_rule(strokeDash=[4, 4], color="#E45756").encode(
        x="k:Q"
    )
    subtitle = f"Silhouette measured on {format_count(sample, 'customer')}" if sample else None
    if sweep:  # two more lines
        subtitle = [line for line in (
            subtitle,
            f"k chosen on a random sample of {sweep['sampled']:,} of the {format_count(sweep['customers'], 'customer')} (fixed seed);",
            "every customer is then in the segment with the nearest centre") if line]
    # Explicit height and padding: with the three-line subtitle of a sampled sweep, the browser's fit
    # pushed the title and the y-axis title out of view (CDNOW, 23,570 customers).
    chart = alt.layer(line, rule, chosen).properties(height=300, padding={"top": 8, "left": 5, "right": 5, "bottom": 5})
    return titled(chart, title, subtitle)


def segment_sizes_chart(profiles: pd.DataFrame, *, names=None) -> alt.Chart:
    """Customers per segment (compute_segment_profiles output), largest first."""
    frame = _named(profiles[["segment", "size", "share"]], names)
    ranked = frame.sort_values(["size", "segment"], ascending=[False, True])
    top = ranked.iloc[0]
    title = f"{top['name']} is the largest segment: {format_percent(top['share'])} of customers"
    if len(ranked) > 1 and format_percent(ranked.iloc[1]["share"]) == format_percent(top["share"]):
        # marketing_campaign.csv: "High-value customers is the largest segment: 50.0%" beside 1,119 of 2,240
        second = ranked.iloc[1]
        title = (f"{top['name']} and {second['name']} are about the same size: {format_percent(top['share'])} of "
                 f"customers each ({int(top['size']):,} and {int(second['size']):,})")
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("name:N", title="Segment", sort="-x", axis=alt.Axis(labelLimit=320)),
        x=alt.X("size:Q", title="Customers"),
        color=alt.Color("name:N", scale=_segment_colors(frame), legend=None),
        tooltip=[
            alt.Tooltip("name:N", title="Segment"),
            alt.Tooltip("size:Q", title="Customers", format=","),
            alt.Tooltip("share:Q", title="Share of customers", format=".1%"),
        ],
    )
    return titled(chart, title, f"{format_count(int(frame['size'].sum()), 'customer')} in {len(frame)} segments")


def profile_heatmap_chart(differences: pd.DataFrame, *, names=None) -> alt.Chart:
    """Each segment's mean versus the overall mean, per feature (compute_feature_differences output).

    Cells where too few of the segment's customers have a value (z_difference NaN) are grey, marked "–"."""
    frame = _named(differences, names)
    frame["abs_z"] = frame["z_difference"].abs()
    frame["reliable"] = frame["z_difference"].notna()
    frame["z_text"] = [format_signed(z, 1) for z in frame["z_difference"]]
    frame["z_tip"] = [format_signed(z) if pd.notna(z) else "not shown: too few customers with a value"
                      for z in frame["z_difference"]]
    if "coverage" not in frame:
        frame["coverage"] = 1.0
    ranked = frame[frame["reliable"]].sort_values(["abs_z", "segment", "feature"], ascending=[False, True, True])
    if len(ranked) and ranked["abs_z"].iloc[0] > 0:
        top = ranked.iloc[0]
        direction = "above" if top["z_difference"] > 0 else "below"
        title = (
            f"{top['name']} stands out most: {top['label']} {format_number(abs(top['z_difference']), 1)} sd {direction} average"
        )
    else:
        title = "The segments are close to the average customer on every feature"
    order = list(frame.drop_duplicates("segment").sort_values("segment")["name"])
    limit = max(1.0, float(frame["abs_z"].max(skipna=True) if frame["reliable"].any() else 1.0))
    base = alt.Chart(frame).encode(
        x=alt.X("label:N", title="Feature", sort=None, axis=alt.Axis(labelAngle=-40, labelLimit=200)),
        y=alt.Y("name:N", title="Segment", sort=order, axis=alt.Axis(labelLimit=260)),
    )
    tooltip = [
        alt.Tooltip("name:N", title="Segment"),
        alt.Tooltip("label:N", title="Feature"),
        alt.Tooltip("segment_mean:Q", title="Segment mean", format=",.2f"),
        alt.Tooltip("overall_mean:Q", title="Overall mean", format=",.2f"),
        alt.Tooltip("z_tip:N", title="Difference (standard deviations)"),
        alt.Tooltip("coverage:Q", title="Customers with a value", format=".1%"),
        alt.Tooltip("customers:Q", title="Customers in segment", format=","),
    ]
    cells = base.transform_filter(alt.datum.reliable).mark_rect().encode(
        color=alt.Color(
            "z_difference:Q",
            title="Difference from average (standard deviations)",
            scale=alt.Scale(scheme="blueorange", domain=[-limit, limit], domainMid=0),
        ),
        tooltip=tooltip,
    )
    sparse = base.transform_filter(~alt.datum.reliable).mark_rect(color="#eeeeee").encode(tooltip=tooltip)
    text = base.mark_text(fontSize=10).encode(text="z_text:N")
    return titled(
        alt.layer(cells, sparse, text), title, "Colour: segment mean minus overall mean, in standard deviations"
    )


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
        x=alt.X("pc1:Q", title=f"Component 1 ({format_percent(first)} of variance)"),
        y=alt.Y("pc2:Q", title=f"Component 2 ({format_percent(second)} of variance)"),
        color=alt.Color("name:N", title="Segment", scale=_segment_colors(frame), legend=alt.Legend(labelLimit=300)),
        tooltip=tooltip,
    )
    title = f"Two components show {format_percent(first + second)} of the differences between customers"
    return titled(chart, title, f"{format_count(len(frame), 'customer')} shown")


def segment_value_chart(profiles: pd.DataFrame, *, names=None) -> alt.Chart:
    """Mean spend per customer in each segment (compute_segment_profiles output)."""
    if profiles["value_mean"].isna().all():
        raise InsufficientDataError("segment value needs a revenue column; map one to see spend per segment.")
    frame = _named(profiles[["segment", "size", "share", "value_mean", "value_total"]], names)
    frame["value_share"] = frame["value_total"] / frame["value_total"].sum() if frame["value_total"].sum() else 0.0
    known = profiles["value_customers"].sum() if "value_customers" in profiles else frame["size"].sum()
    average = frame["value_total"].sum() / known if known else 0.0  # per customer whose spend is known
    top = frame.sort_values(["value_mean", "segment"], ascending=[False, True]).iloc[0]
    if average > 0:
        title = f"{top['name']} spend {format_number(top['value_mean'] / average, 1)}x the average customer"
    else:
        title = "No segment has spent anything yet"
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("name:N", title="Segment", sort="-x", axis=alt.Axis(labelLimit=320)),
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
    subtitle = f"{format_count(int(frame['size'].sum()), 'customer')}; dashed line: average customer"
    return titled(alt.layer(chart, rule), title, subtitle)


def rfm_segments_chart(summary: pd.DataFrame) -> alt.Chart:
    """Customers per named RFM segment (cjm.rfm.compute_rfm_segments output), in grid order."""
    frame = summary.copy()
    total = int(frame["customers"].sum())
    has_money = "monetary" in frame and frame["monetary"].sum() > 0
    tooltip = [
        alt.Tooltip("segment:N", title="RFM segment"),
        alt.Tooltip("customers:Q", title="Customers", format=","),
        alt.Tooltip("share:Q", title="Share of customers", format=".1%"),
    ]
    champions = frame.set_index("segment").loc["Champions"] if "Champions" in set(frame["segment"]) else None
    if has_money:
        frame["spend_share"] = frame["monetary"] / frame["monetary"].sum()
        tooltip += [
            alt.Tooltip("monetary:Q", title="Total spend", format=",.2f"),
            alt.Tooltip("spend_share:Q", title="Share of all spend", format=".1%"),
        ]
    if champions is not None and has_money:
        share = float(frame.loc[frame["segment"] == "Champions", "spend_share"].iloc[0])
        title = f"Champions are {format_percent(champions['share'])} of customers and bring {format_percent(share)} of spend"
    else:
        top = frame.sort_values("customers", ascending=False, kind="stable").iloc[0]
        title = f"{top['segment']} is the largest RFM group: {format_percent(top['share'])} of customers"
    chart = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("segment:N", title="RFM segment", sort=list(frame["segment"])),
        x=alt.X("customers:Q", title="Customers", axis=alt.Axis(format=",d", tickMinStep=1)),
        # best (Champions, green) to worst (Lost, red), in the grid order of the frame; those who never bought are
        # no grade of the grid: grey
        color=alt.condition(alt.datum.segment == NEVER_BOUGHT, alt.value(ALL_COLOR), alt.Color(
            "segment:O", scale=alt.Scale(domain=[s for s in frame["segment"] if s != NEVER_BOUGHT],
                                         scheme="redyellowgreen", reverse=True), legend=None)),
        tooltip=tooltip,
    )
    return titled(chart, title, f"{format_count(total, 'customer')} scored 1-5 on recency, frequency and monetary value")


ALL_COLOR = "#9e9e9e"


def segment_funnel_chart(compared: pd.DataFrame, *, segment_number: int) -> alt.Chart:
    """A segment's funnel beside everyone's (cjm.segments.compute_segment_funnel output): conversion from
    the first step per step, everyone in grey, the segment in its own colour."""
    from cjm.present.charts import SEGMENT_PALETTE
    from cjm.present.charts.funnel import funnel_breakdown_chart
    from cjm.customers.segments import ALL_CUSTOMERS

    groups = list(dict.fromkeys(compared["group"]))
    segment = next(g for g in groups if g != ALL_CUSTOMERS)
    last = compared[compared["step_number"] == compared["step_number"].max()].set_index("group")
    step = last["step"].iloc[0]
    title = (f"{format_percent(last.at[segment, 'conversion_from_first'])} of {segment} who entered reached {step}, against "
             f"{format_percent(last.at[ALL_CUSTOMERS, 'conversion_from_first'])} of all customers")
    colors = alt.Scale(domain=[ALL_CUSTOMERS, segment],
                       range=[ALL_COLOR, SEGMENT_PALETTE[int(segment_number) % len(SEGMENT_PALETTE)]])
    legend = alt.Legend(title=None, labelLimit=300)
    chart = funnel_breakdown_chart(compared).encode(
        color=alt.Color("group:N", scale=colors, sort=[ALL_CUSTOMERS, segment], legend=legend)
    )
    first = compared[compared["step_number"] == 1].set_index("group")["customers"]
    subtitle = f"Customers who entered: {int(first[segment]):,} of the segment, {int(first[ALL_CUSTOMERS]):,} in all"
    return titled(chart, title, subtitle)
