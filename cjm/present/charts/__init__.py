"""Altair charts. A chart is data: `*_chart` functions take a tidy frame and aggregate nothing.

Shared visual language (DESIGN.md section 8): one colour per stage everywhere, sentiment on a
diverging red-grey-green scale centred on 0, segments in a fixed categorical palette.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

STAGE_PALETTE = (
    "#4C78A8", "#72B7B2", "#F58518", "#54A24B", "#B279A2", "#E45756", "#9D755D",
    "#EECA3B", "#FF9DA6", "#BAB0AC",
)
SEGMENT_PALETTE = (
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
    "#1f78b4", "#b2df8a",
)
SENTIMENT_DOMAIN = (-1.0, 0.0, 1.0)
SENTIMENT_RANGE = ("#d73027", "#bdbdbd", "#1a9850")
UNMAPPED_COLOR = "#c7c7c7"


def stage_scale(stages) -> alt.Scale:
    """A colour scale giving each stage of the model its fixed colour (and grey to 'unmapped')."""
    stages = list(stages)
    colors = [STAGE_PALETTE[i % len(STAGE_PALETTE)] for i in range(len(stages))]
    return alt.Scale(domain=stages + ["unmapped"], range=colors + [UNMAPPED_COLOR])


def segment_scale(segments) -> alt.Scale:
    segments = list(segments)
    return alt.Scale(domain=segments, range=[SEGMENT_PALETTE[i % len(SEGMENT_PALETTE)] for i in range(len(segments))])


def sentiment_scale() -> alt.Scale:
    return alt.Scale(domain=list(SENTIMENT_DOMAIN), range=list(SENTIMENT_RANGE))


def titled(chart: alt.Chart, title: str, subtitle: str | None = None) -> alt.Chart:
    """Give a chart its title (the finding, when there is one) and an optional subtitle."""
    params = {"text": title, "anchor": "start"}
    if subtitle:
        params["subtitle"] = subtitle
    return chart.properties(title=alt.TitleParams(**params))


# Tick labels of a chart of periods: each names its year. Vega-Lite's default names the year on January ticks
# only, and over several years it hides every other label so they do not overlap: a 2018-2024 quarterly chart
# read "October April October ..." with no year at all. Periods are UTC starts, so the scale is UTC too (a UTC
# scale formats its labels in UTC; Vega-Lite ignores an axis formatType "utc").
PERIOD_TICK_FORMATS = {"day": "%d %b %Y", "week": "%d %b %Y", "month": "%b %Y", "quarter": "%b %Y", "year": "%Y"}


# Up to this many periods, the axis ticks are the periods' starts: over two days Vega put a tick every twelve hours,
# each labelled by its day ('22 Jun 2022', '22 Jun 2022', '23 Jun 2022'). More periods: Vega's own ticks.
PERIOD_TICKS_AT_STARTS = 12


def period_x(field: str, period: str, title: str, starts=None) -> alt.X:
    """The x encoding of a chart with one point per period start (day, week, month, quarter or year); `starts`: the
    chart's period starts, the ticks when they are few."""
    values = None
    if starts is not None:
        distinct = pd.Series(pd.to_datetime(pd.Series(starts).dropna(), utc=True).unique())
        if 0 < len(distinct) <= PERIOD_TICKS_AT_STARTS:
            values = [alt.DateTime(year=t.year, month=t.month, date=t.day, utc=True) for t in sorted(distinct)]
    axis = alt.Axis(title=title, format=PERIOD_TICK_FORMATS.get(period, "%d %b %Y"),
                    **({"values": values} if values else {}))
    return alt.X(field, title=title, scale=alt.Scale(type="utc"), axis=axis)
