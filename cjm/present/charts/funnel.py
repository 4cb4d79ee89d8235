"""Funnel charts. Each takes the frame of a cjm.funnel compute_* function and aggregates nothing;
it only adds display strings (percentages with one decimal, durations like "2 h 05 min")."""

from __future__ import annotations


import altair as alt
import pandas as pd

from cjm.present.charts import period_x, segment_scale, titled
from cjm.errors import ParameterError
from cjm.present.formats import format_duration, format_percent

__all__ = [
    "format_duration",
    "funnel_chart",
    "funnel_breakdown_chart",
    "conversion_over_time_chart",
    "time_to_convert_chart",
]


def _reached_phrase(step: str) -> str:
    # any-order funnels label rows "3 steps": "completed 3 steps" reads better than "reached 3 steps"
    return f"completed {step}" if step.endswith(" steps") or step.endswith(" step") else f"reached {step}"


def _funnel_title(frame: pd.DataFrame) -> str:
    if frame.empty or not frame["customers"].iloc[0]:
        return "No customer entered the funnel"
    last = frame.iloc[-1]
    # the n: how many of how many ("(52 of 2,346)"), so a share is never read without its base
    return (f"{format_percent(last['conversion_from_first'])} of customers who entered "
            f"{_reached_phrase(str(last['step']))} ({int(last['customers']):,} of {int(frame['customers'].iloc[0]):,})")


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame.copy()
    shown["median_time"] = [format_duration(s) for s in shown["median_seconds_from_previous"]]
    shown["from_previous"] = [format_percent(v) for v in shown["conversion_from_previous"]]
    shown["from_first"] = [format_percent(v) for v in shown["conversion_from_first"]]
    shown["label"] = [f"{c:,} ({p})" for c, p in zip(shown["customers"], shown["from_first"])]
    return shown


def _tooltip(extra=()):
    return [
        *extra,
        alt.Tooltip("step:N", title="Step"),
        alt.Tooltip("customers:Q", title="Customers", format=","),
        alt.Tooltip("from_previous:N", title="Conversion from previous step"),
        alt.Tooltip("from_first:N", title="Conversion from first step"),
        alt.Tooltip("median_time:N", title="Median time from previous step"),
        alt.Tooltip("dropped:Q", title="Dropped at this step", format=","),
        alt.Tooltip("entered:Q", title="Customers who entered (n)", format=","),
    ]


def funnel_chart(funnel_frame: pd.DataFrame, *, orientation: str = "horizontal") -> alt.Chart:
    """Bars of customers per step labelled "1,234 (42.3%)" (conversion from the first step).

    A frame with a `group` column (a breakdown) is drawn by funnel_breakdown_chart instead.
    """
    if "group" in funnel_frame.columns:
        return funnel_breakdown_chart(funnel_frame)
    if orientation not in ("horizontal", "vertical"):
        raise ParameterError(f"orientation: expected 'horizontal' or 'vertical', found {orientation!r}.")
    shown = _display(funnel_frame)
    shown["entered"] = int(shown["customers"].iloc[0]) if len(shown) else 0
    order = list(shown.sort_values("step_number")["step"])
    step_axis = alt.Axis(title="Funnel step", labelLimit=220)
    count_axis = alt.Axis(title="Customers (count)", format=",d", tickMinStep=1)  # 0 1 2, not 0 0 0 1 1
    if orientation == "horizontal":
        step = alt.Y("step:N", sort=order, axis=step_axis)
        count = alt.X("customers:Q", axis=count_axis)
        text_mark = {"align": "left", "dx": 4}
    else:
        step = alt.X("step:N", sort=order, axis=alt.Axis(title="Funnel step", labelAngle=0, labelLimit=160))
        count = alt.Y("customers:Q", axis=count_axis)
        text_mark = {"baseline": "bottom", "dy": -4}
    base = alt.Chart(shown).encode(step, count, tooltip=_tooltip())
    bars = base.mark_bar(color="#4C78A8")
    labels = base.mark_text(fontSize=12, **text_mark).encode(text="label:N")
    return titled(alt.layer(bars, labels), _funnel_title(funnel_frame),
                  "Bar label: customers (conversion from the first step)")


def funnel_breakdown_chart(funnel_frame: pd.DataFrame) -> alt.Chart:
    """Grouped bars: conversion from the first step per step, one bar per breakdown group."""
    shown = _display(funnel_frame)
    entered = shown[shown["step_number"] == 1].set_index("group")["customers"]
    shown["entered"] = shown["group"].map(entered).fillna(0).astype("int64")
    groups = list(dict.fromkeys(shown["group"]))
    order = list(dict.fromkeys(shown.sort_values("step_number")["step"]))
    last = shown[shown["step_number"] == shown["step_number"].max()]
    title = "No customer entered the funnel"
    if len(last) and last["entered"].sum():
        ranked = last[last["entered"] > 0].sort_values("conversion_from_first")
        low, high = ranked.iloc[0], ranked.iloc[-1]
        title = (f"Conversion to {last['step'].iloc[0]} ranges from {format_percent(low['conversion_from_first'])} "
                 f"({low['group']}) to {format_percent(high['conversion_from_first'])} ({high['group']})")
    chart = alt.Chart(shown).mark_bar().encode(
        x=alt.X("step:N", sort=order, axis=alt.Axis(title="Funnel step", labelAngle=0)),
        xOffset=alt.XOffset("group:N", sort=groups),
        y=alt.Y("conversion_from_first:Q", axis=alt.Axis(title="Conversion from first step (%)", format=".0%"),
                scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("group:N", scale=segment_scale(groups), sort=groups, legend=alt.Legend(title="Group")),
        tooltip=_tooltip([alt.Tooltip("group:N", title="Group")]),
    )
    return titled(chart, title)


def conversion_over_time_chart(frame: pd.DataFrame, *, period: str = "week", last_step: str | None = None) -> alt.Chart:
    """Conversion (entry to last step) by period of entry; `frame` from compute_conversion_over_time."""
    shown = frame.copy()
    shown["conversion_shown"] = [format_percent(v) for v in shown["conversion"]]
    target = f"reaching {last_step}" if last_step else "converting"
    if shown.empty:
        title = "No customer entered the funnel"
    else:
        low, high = shown["conversion"].min(), shown["conversion"].max()
        if format_percent(low) == format_percent(high):
            title = f"Share of customers {target} was {format_percent(low)} in every {period} of entry"
        else:
            title = (f"Share of customers {target} ranged from {format_percent(low)} to {format_percent(high)} "
                     f"by {period} of entry")
    has_groups = "group" in shown.columns
    encodings = dict(
        x=period_x("period:T", period, f"{period.capitalize()} of entry ({frame.attrs.get('tz') or 'UTC'})",
                   shown["period"]),
        y=alt.Y("conversion:Q", axis=alt.Axis(title="Conversion (%)", format=".0%")),
        tooltip=[
            *([alt.Tooltip("group:N", title="Group")] if has_groups else []),
            alt.Tooltip("period:T", title=f"{period.capitalize()} starting", format="%Y-%m-%d"),
            alt.Tooltip("entered:Q", title="Customers who entered (n)", format=","),
            alt.Tooltip("converted:Q", title="Converted", format=","),
            alt.Tooltip("conversion_shown:N", title="Conversion"),
        ],
    )
    if has_groups:
        groups = list(dict.fromkeys(shown["group"]))
        encodings["color"] = alt.Color("group:N", scale=segment_scale(groups), legend=alt.Legend(title="Group"))
    chart = alt.Chart(shown).mark_line(point=True).encode(**encodings)
    return titled(chart, title)


def time_to_convert_chart(frame: pd.DataFrame) -> alt.Chart:
    """Histogram of time from step 1 to the last step; `frame` from compute_time_to_convert (binned)."""
    shown = frame.copy()
    shown["share_shown"] = [format_percent(v) for v in shown["share"]]
    converted = int(shown["converted"].iloc[0]) if len(shown) else 0
    if converted:
        title = (f"Median time from first to last step: {format_duration(shown['median_seconds'].iloc[0])} "
                 f"({converted:,} converted customers)")
    else:
        title = "No customer reached the last step"
    chart = alt.Chart(shown).mark_bar(color="#54A24B").encode(
        x=alt.X("bin:N", sort=list(shown["bin"]), axis=alt.Axis(title="Time from first to last step", labelAngle=-40)),
        y=alt.Y("customers:Q", axis=alt.Axis(title="Customers (count)", format=",d", tickMinStep=1)),
        tooltip=[
            alt.Tooltip("bin:N", title="Time to convert"),
            alt.Tooltip("customers:Q", title="Customers", format=","),
            alt.Tooltip("share_shown:N", title="Share of converted customers"),
            alt.Tooltip("converted:Q", title="Converted customers (n)", format=","),
        ],
    )
    return titled(chart, title)
