"""Sentiment charts: the emotion curve, sentiment over time, sentiment by a dimension, pain points.

Each takes the output of a cjm.sentiment / cjm.painpoints compute_* function and aggregates nothing.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from cjm.charts import sentiment_scale, titled

SENTIMENT_AXIS = "Mean sentiment (-1 very negative to +1 very positive)"
PERIOD_TITLES = {"day": "Day", "week": "Week", "month": "Month", "quarter": "Quarter", "year": "Year"}


def _signed(x: float) -> str:
    return f"{x:+.2f}"


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


def _scored(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["n"] > 0]


def emotion_curve_chart(by_stage: pd.DataFrame) -> alt.LayerChart:
    """Mean sentiment per stage in journey order: a line with its 95% band, points sized by the
    number of responses and coloured on the diverging sentiment scale; the title names the lowest stage."""
    order = [str(g) for g in by_stage["group"]]
    data = by_stage.assign(group=by_stage["group"].astype(str))
    x = alt.X("group:N", sort=order, title="Journey stage", scale=alt.Scale(domain=order))
    y_scale = alt.Scale(domain=[-1, 1])
    scored = _scored(data)
    base = alt.Chart(scored)
    band = base.mark_area(opacity=0.15, color="#888888").encode(
        x=x, y=alt.Y("ci_low:Q", scale=y_scale, title=SENTIMENT_AXIS), y2="ci_high:Q")
    line = base.mark_line(color="#666666").encode(x=x, y=alt.Y("mean:Q", scale=y_scale))
    points = base.mark_circle(opacity=1.0, stroke="#333333", strokeWidth=0.5).encode(
        x=x, y=alt.Y("mean:Q", scale=y_scale),
        size=alt.Size("n:Q", title="Responses", scale=alt.Scale(range=[60, 600])),
        color=alt.Color("mean:Q", scale=sentiment_scale(), title="Mean sentiment"),
        tooltip=_tooltips("Stage"),
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(strokeDash=[4, 4], color="#999999").encode(y="y:Q")
    if scored.empty:
        title = "No scored feedback to draw an emotion curve"
    else:
        mapped = scored[scored["order"] >= 0] if "order" in scored.columns else scored
        candidates = mapped if len(mapped) else scored  # name a real stage when there is one
        low = candidates.loc[candidates["mean"].idxmin()]
        title = f"Sentiment is lowest at {low['group']} (mean {_signed(low['mean'])}, {int(low['n']):,} responses)"
    return titled(alt.layer(band, line, points, zero), title,
                  "Points sized by responses; band = 95% confidence interval")


def sentiment_over_time_chart(by_period: pd.DataFrame, *, period: str = "month") -> alt.LayerChart:
    """Mean sentiment per period with its 95% band; the title states the change first -> last period."""
    label = PERIOD_TITLES.get(period, "Period")
    data = _scored(by_period)
    x = alt.X("group:T", title=f"{label} (start date)")
    y_scale = alt.Scale(domain=[-1, 1])
    base = alt.Chart(data)
    band = base.mark_area(opacity=0.15, color="#888888").encode(
        x=x, y=alt.Y("ci_low:Q", scale=y_scale, title=SENTIMENT_AXIS), y2="ci_high:Q")
    line = base.mark_line(color="#666666").encode(x=x, y=alt.Y("mean:Q", scale=y_scale))
    points = base.mark_circle(opacity=1.0).encode(
        x=x, y=alt.Y("mean:Q", scale=y_scale),
        size=alt.Size("n:Q", title="Responses", scale=alt.Scale(range=[30, 400])),
        color=alt.Color("mean:Q", scale=sentiment_scale(), title="Mean sentiment"),
        tooltip=_tooltips(label, "T", "%Y-%m-%d"),
    )
    if len(data) >= 2:
        first, last = data.iloc[0], data.iloc[-1]
        verb = "rose" if last["mean"] > first["mean"] else "fell" if last["mean"] < first["mean"] else "held"
        title = (f"Sentiment {verb} from {_signed(first['mean'])} to {_signed(last['mean'])} "
                 f"({pd.Timestamp(first['group']):%Y-%m-%d} to {pd.Timestamp(last['group']):%Y-%m-%d})")
    elif len(data) == 1:
        title = f"Sentiment {_signed(data.iloc[0]['mean'])} in the only {label.lower()} with feedback"
    else:
        title = "No scored feedback over time"
    return titled(alt.layer(band, line, points), title)


def sentiment_by_chart(by_group: pd.DataFrame, *, by: str = "channel") -> alt.LayerChart:
    """Horizontal bars of mean sentiment per channel / touchpoint / segment, with 95% error bars."""
    data = _scored(by_group).assign(group=lambda f: f["group"].astype(str))
    order = list(data.sort_values("mean")["group"])
    y = alt.Y("group:N", sort=order, title=by.capitalize())
    x_scale = alt.Scale(domain=[-1, 1])
    bars = alt.Chart(data).mark_bar().encode(
        y=y, x=alt.X("mean:Q", scale=x_scale, title=SENTIMENT_AXIS),
        color=alt.Color("mean:Q", scale=sentiment_scale(), title="Mean sentiment"),
        tooltip=_tooltips(by.capitalize()),
    )
    errors = alt.Chart(data).mark_rule(color="#333333").encode(y=y, x="ci_low:Q", x2="ci_high:Q")
    if data.empty:
        title = f"No scored feedback by {by}"
    else:
        worst = data.loc[data["mean"].idxmin()]
        title = f"Most negative {by}: {worst['group']} (mean {_signed(worst['mean'])}, {int(worst['n']):,} responses)"
    return titled(alt.layer(bars, errors), title)


def pain_points_chart(pain_points: pd.DataFrame) -> alt.Chart:
    """Bars of negative comments per theme, largest first; tooltips carry stages and a real quote."""
    data = pain_points.assign(
        stages_text=pain_points["stages"].map(lambda s: ", ".join(map(str, s))),
        quote=pain_points["quotes"].map(lambda q: q[0] if len(q) else ""),
    )[["theme", "count", "share", "stages_text", "quote"]]
    chart = alt.Chart(data).mark_bar(color="#d73027").encode(
        y=alt.Y("theme:N", sort="-x", title="Theme (top phrases)"),
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
                 f"({int(top['count']):,} comments, {top['share']:.1%} of negative comments)")
    return titled(chart, title)
