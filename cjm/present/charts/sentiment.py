"""Sentiment charts: the emotion curve, sentiment over time, sentiment by a dimension, pain points.

Each takes the output of a cjm.sentiment / cjm.painpoints compute_* function and aggregates nothing.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from cjm.present.charts import period_x, sentiment_scale, titled
from cjm.present.formats import format_percent, format_signed

SENTIMENT_AXIS = "Mean sentiment (-1 very negative to +1 very positive)"
PERIOD_TITLES = {"day": "Day", "week": "Week", "month": "Month", "quarter": "Quarter", "year": "Year"}

# whole responses in the size legend (0 1 2, not 0.0 0.5 1.0 1.5 2.0 on a small export)
RESPONSES_LEGEND = alt.Legend(tickCount=3, format=",d", tickMinStep=1)


def _signed(x: float) -> str:
    return format_signed(x)


def _tooltips(label: str, field_type: str = "N", time_format: str | None = None) -> list:
    group = alt.Tooltip(f"group:{field_type}", title=label, format=time_format) if time_format else \
        alt.Tooltip(f"group:{field_type}", title=label)
    return [
        group,
        alt.Tooltip("mean:Q", title="Mean sentiment", format="+.2f"),
        alt.Tooltip("ci_low:Q", title="95% CI low", format="+.2f"),
        alt.Tooltip("ci_high:Q", title="95% CI high", format="+.2f"),
        alt.Tooltip("n:Q", title="Responses", format=","),
        alt.Tooltip("negative_share:Q", title="Negative", format=".1%"),
        alt.Tooltip("nps:Q", title="NPS (points)", format="+.1f"),
        alt.Tooltip("csat:Q", title="CSAT", format=".1%"),
    ]


# A title names a point (the lowest stage, the first and last period) only when at least this many
# responses stand behind it, and says how many; otherwise the title says there are too few to tell.
MIN_HEADLINE_RESPONSES = 20


def _scored(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["n"] > 0]


def _enough(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[(frame["n"] >= MIN_HEADLINE_RESPONSES) & frame["mean"].notna()]


def emotion_curve_chart(by_stage: pd.DataFrame) -> alt.LayerChart:
    """Mean sentiment per stage in journey order: a line with its 95% band, points sized by the
    number of responses and coloured on the diverging sentiment scale, each labelled with its
    responses; the title names the lowest stage.

    A stage without feedback (n = 0) is a gap in the line, marked "no feedback here": never a zero."""
    order = [str(g) for g in by_stage["group"]]
    data = by_stage.assign(group=by_stage["group"].astype(str),
                           responses=by_stage["n"].map(lambda n: f"n = {int(n):,}"))
    x = alt.X("group:N", sort=order, title="Journey stage", scale=alt.Scale(domain=order),
              axis=alt.Axis(labelAngle=0))
    y_scale = alt.Scale(domain=[-1, 1])
    scored = _scored(data)
    silent = data[data["n"] == 0]
    # Line and band get every stage: a stage without feedback has no mean, which breaks the path there.
    everything = alt.Chart(data)
    gaps = "break-paths-show-domains"
    band = everything.mark_area(opacity=0.15, color="#888888", invalid=gaps).encode(
        x=x, y=alt.Y("ci_low:Q", scale=y_scale, title=SENTIMENT_AXIS), y2="ci_high:Q")
    line = everything.mark_line(color="#666666", invalid=gaps).encode(x=x, y=alt.Y("mean:Q", scale=y_scale))
    points = alt.Chart(scored).mark_circle(opacity=1.0, stroke="#333333", strokeWidth=0.5).encode(
        x=x, y=alt.Y("mean:Q", scale=y_scale),
        size=alt.Size("n:Q", title="Responses", scale=alt.Scale(range=[60, 600]), legend=RESPONSES_LEGEND),
        color=alt.Color("mean:Q", scale=sentiment_scale(), title="Mean sentiment",
                        legend=alt.Legend(gradientLength=110)),
        tooltip=_tooltips("Stage"),
    )
    counts = alt.Chart(scored).mark_text(baseline="top", dy=18, color="#333333", fontSize=11).encode(
        x=x, y=alt.Y("mean:Q", scale=y_scale), text="responses:N", tooltip=_tooltips("Stage"))
    no_feedback = alt.Chart(silent.assign(y=0.0, note="no feedback here")).mark_text(
        color="#777777", fontStyle="italic", fontSize=12, baseline="bottom", dy=-6).encode(
        x=x, y=alt.Y("y:Q", scale=y_scale), text="note:N",
        tooltip=[alt.Tooltip("group:N", title="Stage"), alt.Tooltip("n:Q", title="Responses")])
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(strokeDash=[4, 4], color="#999999").encode(y="y:Q")
    subtitle = "Points sized by responses (n); band = 95% confidence interval"
    if scored.empty:
        title = "No scored feedback to draw an emotion curve"
    else:
        mapped = scored[scored["order"] >= 0] if "order" in scored.columns else scored
        candidates = _enough(mapped if len(mapped) else scored)  # name a real stage when there is one
        if len(candidates) >= 2:
            low = candidates.loc[candidates["mean"].idxmin()]
            title = (f"Sentiment is lowest at {low['group']} (mean {_signed(low['mean'])}, "
                     f"{int(low['n']):,} responses)")
        elif len(candidates) == 1 and len(mapped) == 1:  # all the feedback sits at one stage: say so
            only = candidates.iloc[0]
            title = (f"All feedback is at {only['group']} (mean {_signed(only['mean'])}, "
                     f"{int(only['n']):,} responses): no other stage to compare it with")
        else:
            title = (f"Mean sentiment per stage: too few responses to name the lowest stage (fewer than two "
                     f"stages have {MIN_HEADLINE_RESPONSES} or more)")
        if len(silent):
            subtitle += f"; no feedback at {', '.join(silent['group'])}"
    chart = alt.layer(zero, band, line, points, counts, no_feedback).properties(
        height=380, padding={"top": 8, "left": 5, "right": 5, "bottom": 5})
    return titled(chart, title, subtitle)


def sentiment_over_time_chart(by_period: pd.DataFrame, *, period: str = "month") -> alt.LayerChart:
    """Mean sentiment per period with its 95% band; the title states the change first -> last period."""
    label = PERIOD_TITLES.get(period, "Period")
    data = _scored(by_period)
    zone = by_period.attrs.get("tz")
    x = period_x("group:T", period, f"{label} (start date{'' if zone is None or str(zone) == 'UTC' else f', {zone}'})",
                 data["group"])
    y_scale = alt.Scale(domain=[-1, 1])
    base = alt.Chart(data)
    band = base.mark_area(opacity=0.15, color="#888888").encode(
        x=x, y=alt.Y("ci_low:Q", scale=y_scale, title=SENTIMENT_AXIS), y2="ci_high:Q")
    line = base.mark_line(color="#666666").encode(x=x, y=alt.Y("mean:Q", scale=y_scale))
    # Room for the legends (as the emotion curve): at 300 px with seven size steps the legends were taller
    # than the plot, and the browser pushed the title and the y-axis title out of view (airline tweets by day).
    points = base.mark_circle(opacity=1.0).encode(
        x=x, y=alt.Y("mean:Q", scale=y_scale),
        size=alt.Size("n:Q", title="Responses", scale=alt.Scale(range=[30, 400]), legend=RESPONSES_LEGEND),
        color=alt.Color("mean:Q", scale=sentiment_scale(), title="Mean sentiment",
                        legend=alt.Legend(gradientLength=110)),
        tooltip=_tooltips(label, "T", "%Y-%m-%d"),
    )
    solid = _enough(data)
    if len(solid) >= 2:
        first, last = solid.iloc[0], solid.iloc[-1]
        verb = "rose" if last["mean"] > first["mean"] else "fell" if last["mean"] < first["mean"] else "held"
        title = (f"Sentiment {verb} from {_signed(first['mean'])} (n = {int(first['n']):,}) to "
                 f"{_signed(last['mean'])} (n = {int(last['n']):,}) "
                 f"({pd.Timestamp(first['group']):%Y-%m-%d} to {pd.Timestamp(last['group']):%Y-%m-%d})")
    elif len(data):
        title = (f"Sentiment over time: too few responses to state a change (fewer than two {label.lower()}s "
                 f"have {MIN_HEADLINE_RESPONSES} or more)")
    else:
        title = "No scored feedback over time"
    chart = alt.layer(band, line, points).properties(height=380, padding={"top": 8, "left": 5, "right": 5, "bottom": 5})
    return titled(chart, title)


def sentiment_by_chart(by_group: pd.DataFrame, *, by: str = "channel", label: str | None = None) -> alt.LayerChart:
    """Horizontal bars of mean sentiment per channel / touchpoint / segment, with 95% error bars.

    `label` names the dimension for people ("Touchpoint" for by="event"); default: `by` capitalised."""
    label = label or by.capitalize()
    data = _scored(by_group).assign(group=lambda f: f["group"].astype(str))
    order = list(data.sort_values("mean")["group"])
    y = alt.Y("group:N", sort=order, title=label)
    x_scale = alt.Scale(domain=[-1, 1])
    bars = alt.Chart(data).mark_bar().encode(
        y=y, x=alt.X("mean:Q", scale=x_scale, title=SENTIMENT_AXIS),
        color=alt.Color("mean:Q", scale=sentiment_scale(), title="Mean sentiment"),
        tooltip=_tooltips(label),
    )
    errors = alt.Chart(data).mark_rule(color="#333333").encode(y=y, x="ci_low:Q", x2="ci_high:Q")
    solid = _enough(data)
    if data.empty:
        title = f"No scored feedback by {label.lower()}"
    elif len(solid) == 1 and len(data) == 1:  # souq reviews: "Most negative touchpoint: feedback (mean +0.54)"
        only = solid.iloc[0]                     # named the only touchpoint, and a positive one, the most negative
        title = (f"All feedback is on one {label.lower()}: {only['group']} "
                 f"(mean {_signed(only['mean'])}, {int(only['n']):,} responses)")
    elif len(solid) >= 2:
        worst = solid.loc[solid["mean"].idxmin()]
        title = (f"Most negative {label.lower()}: {worst['group']} "
                 f"(mean {_signed(worst['mean'])}, {int(worst['n']):,} responses)")
    else:
        title = (f"Mean sentiment by {label.lower()}: too few responses to name the most negative "
                 f"(fewer than two have {MIN_HEADLINE_RESPONSES} or more)")
    return titled(alt.layer(bars, errors), title)


def pain_points_chart(pain_points: pd.DataFrame) -> alt.Chart:
    """Bars of negative comments per theme, largest first; tooltips carry stages and a real quote."""
    data = pain_points.assign(
        stages_text=pain_points["stages"].map(lambda s: ", ".join(map(str, s))),
        quote=pain_points["quotes"].map(lambda q: q[0] if len(q) else ""),
    )[["theme", "count", "share", "stages_text", "quote"]]
    chart = alt.Chart(data).mark_bar(color="#d73027").encode(
        # Long theme names: the axis title sits above the labels, not across them.
        y=alt.Y("theme:N", sort="-x", title="Theme (top phrases)",
                axis=alt.Axis(labelLimit=420, titleAngle=0, titleAlign="right", titleX=0, titleY=-6)),
        x=alt.X("count:Q", title="Negative comments (count)"),
        tooltip=[
            alt.Tooltip("theme:N", title="Theme"),
            alt.Tooltip("count:Q", title="Negative comments", format=","),
            alt.Tooltip("share:Q", title="Share of negative comments", format=".1%"),
            alt.Tooltip("stages_text:N", title="Stages"),
            alt.Tooltip("quote:N", title="Quote"),
        ],
    )
    if data.empty:
        title = "No recurring theme in the negative comments"
    else:
        top = data.iloc[0]
        title = (f"Top pain point: {top['theme']} "
                 f"({int(top['count']):,} comments, {format_percent(top['share'])} of negative comments)")
    return titled(chart, title)
