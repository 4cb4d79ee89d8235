"""One customer's timeline: every event as a point in time, coloured by stage and shaped by channel."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cjm.data.reversals import reversal_names
from cjm.present.charts import stage_scale, titled
from cjm.errors import ParameterError
from cjm.present.formats import format_count


SPACINGS = ("sequence", "time")


def timeline_chart(timeline: pd.DataFrame, *, stages, customer_id: str | None = None,
                   spacing: str = "time") -> alt.Chart:
    """`timeline` is compute_customer_timeline output; stages the stage model, in order.

    spacing "time": events where they happened in time (shows the pauses); "sequence": one slot per event,
    oldest first, labelled with its date and time (a burst of events in one visit stays readable).
    """
    if spacing not in SPACINGS:
        raise ParameterError(f'spacing must be "sequence" or "time"; got {spacing!r}.')
    data = timeline.reset_index(drop=True).assign(channel=timeline["channel"].fillna("no channel").to_numpy())
    # times on the clock of the data's time zone (compute_customer_timeline's attrs["tz"]), else UTC's
    zone = timeline.attrs.get("tz")
    zone = None if zone is None or str(zone) == "UTC" else zone
    clock = str(zone) if zone is not None else "UTC"
    if zone is not None and len(data):
        stamps = pd.to_datetime(data["timestamp"], utc=True)
        data = data.assign(timestamp=stamps.dt.tz_convert(zone).dt.tz_localize(None))
    # Every stage of the model stays on the axis, so the chart also shows how far the customer did not get.
    order = list(stages) + (["unmapped"] if (~data["stage"].isin(list(stages))).any() else [])
    who = f"Customer {customer_id}" if customer_id else "This customer"
    if data.empty:
        return titled(alt.Chart(data).mark_point(), f"{who} has no events")
    first, last = data["timestamp"].iloc[0], data["timestamp"].iloc[-1]
    days = (last - first).total_seconds() / 86400
    span = ("no dates" if pd.isna(days)  # "1 event over no dates" read oddly: ", no dates"
            else "over " + format_count(round(days), "day") if days >= 1 else "over less than a day")
    # how far the customer got, as the profile and the Overview's stage reach read it: a cancellation, return or
    # refund lifts nobody to its stage (cjm.data.reversals)
    mapped = data[data["stage"].isin(stages) & ~data["event"].isin(reversal_names(data["event"].dropna().unique()))]
    furthest = max(mapped["stage"], key=order.index) if len(mapped) else None
    title = f"{who}: {format_count(len(data), 'event')}{',' if pd.isna(days) else ''} {span}" + (
        f", furthest stage {furthest}" if furthest else "")
    data = data.assign(order=range(1, len(data) + 1),
                       when=[f"{i}. {t:%Y-%m-%d %H:%M}" if pd.notna(t) else f"{i}. no date" for i, t in zip(range(1, len(data) + 1), data["timestamp"])])
    if spacing == "time":
        x = alt.X("timestamp:T", title=f"Time ({clock})", scale=alt.Scale(type="utc"))
        width = 640
    else:
        x = alt.X("when:O", sort=alt.EncodingSortField("order"), title=f"Events in order (date and time, {clock})",
                  axis=alt.Axis(labelAngle=-40, labelOverlap=True))
        width = alt.Step(max(26, min(60, 900 // len(data))))
    y = alt.Y("stage:N", scale=alt.Scale(domain=order), title="Journey stage")
    present = [s for s in order if s in set(data["stage"])]
    path = alt.Chart(data).mark_line(color="#bbbbbb", strokeWidth=1).encode(x=x, y=y, order="order:Q")
    points = alt.Chart(data).mark_point(size=90, filled=True, opacity=0.85).encode(
        x=x, y=y,
        color=alt.Color("stage:N", scale=stage_scale(stages), title="Stage", legend=alt.Legend(values=present)),
        shape=alt.Shape("channel:N", title="Channel"),
        tooltip=[
            alt.Tooltip("timestamp:T", title=f"When ({clock})", format="%Y-%m-%d %H:%M", formatType="utc"),
            alt.Tooltip("event:N", title="Event"), alt.Tooltip("stage:N", title="Stage"),
            alt.Tooltip("channel:N", title="Channel"), alt.Tooltip("device:N", title="Device"),
            alt.Tooltip("department:N", title="Department"),
            alt.Tooltip("revenue:Q", title="Revenue", format=",.2f"),
            alt.Tooltip("score:Q", title="Score"), alt.Tooltip("text:N", title="Comment"),
        ],
    )
    chart = alt.layer(path, points).properties(width=width, height=alt.Step(36))
    dates = (f"first event {first:%Y-%m-%d}, last event {last:%Y-%m-%d}" if pd.notna(first) and pd.notna(last)
             else "the events have no dates")
    return titled(chart, title, f"{dates}; the grey line joins the events in order")
