"""One customer's timeline: every event as a point in time, coloured by stage and shaped by channel."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cjm.charts import stage_scale, titled


def timeline_chart(timeline: pd.DataFrame, *, stages, customer_id: str | None = None) -> alt.Chart:
    """`timeline` is compute_customer_timeline output; stages the stage model, in order."""
    order = list(stages) + ["unmapped"]
    data = timeline.assign(channel=timeline["channel"].fillna("no channel"))
    who = f"Customer {customer_id}" if customer_id else "This customer"
    if data.empty:
        return titled(alt.Chart(data).mark_point(), f"{who} has no events")
    first, last = data["timestamp"].iloc[0], data["timestamp"].iloc[-1]
    days = (last - first).total_seconds() / 86400
    span = f"{days:,.0f} days" if days >= 1 else "less than a day"
    mapped = data[data["stage"].isin(stages)]
    furthest = max(mapped["stage"], key=order.index) if len(mapped) else None
    title = f"{who}: {len(data):,} events over {span}" + (f", furthest stage {furthest}" if furthest else "")
    chart = alt.Chart(data).mark_point(size=90, filled=True, opacity=0.85).encode(
        x=alt.X("timestamp:T", title="Time (UTC)", scale=alt.Scale(type="utc")),
        y=alt.Y("stage:N", sort=order, title="Journey stage"),
        color=alt.Color("stage:N", scale=stage_scale(stages), title="Stage"),
        shape=alt.Shape("channel:N", title="Channel"),
        tooltip=[
            alt.Tooltip("timestamp:T", title="When (UTC)", format="%Y-%m-%d %H:%M", formatType="utc"),
            alt.Tooltip("event:N", title="Event"), alt.Tooltip("stage:N", title="Stage"),
            alt.Tooltip("channel:N", title="Channel"), alt.Tooltip("device:N", title="Device"),
            alt.Tooltip("department:N", title="Department"),
            alt.Tooltip("revenue:Q", title="Revenue", format=",.2f"),
            alt.Tooltip("score:Q", title="Score"), alt.Tooltip("text:N", title="Comment"),
        ],
    ).properties(width=640, height=alt.Step(36))
    return titled(chart, title, f"first event {first:%Y-%m-%d}, last event {last:%Y-%m-%d}")
