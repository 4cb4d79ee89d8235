"""Gap charts: what switching device, channel or department costs, and where in the journey it happens."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cjm.present.charts import titled
from cjm.present.formats import format_duration, format_count

WORSE = "#d73027"
BETTER = "#1a9850"
FORWARD = "#9e9e9e"
DIRECTIONS = ("switchers do worse", "switchers do as well or better", "the way forward (no stayer moved on)")
COLOURS = dict(zip(DIRECTIONS, (WORSE, BETTER, FORWARD)))


def _direction(row) -> str:
    if bool(row.get("route_forward", False)):
        return DIRECTIONS[2]
    return DIRECTIONS[0] if row["difference_points"] < 0 else DIRECTIONS[1]


def gaps_chart(gaps: pd.DataFrame, *, dimension: str = "device") -> alt.Chart:
    """One bar per switch type (`compute_gaps` output, in its order): switchers minus stayers, in points."""
    data = gaps[gaps["customers_compared"] > 0]
    if data.empty:
        return titled(alt.Chart(pd.DataFrame({"x": []})).mark_bar(),
                      f"No {dimension} switch can be compared yet",
                      "Switches must happen at a stage that has a next stage, by enough customers.")
    data = data.assign(
        direction=[_direction(row) for _, row in data.iterrows()],
        duration=data["seconds"].map(format_duration),
    )
    order = list(data["switch"])
    present = [d for d in DIRECTIONS if d in set(data["direction"])]
    base = alt.Chart(data).encode(y=alt.Y("switch:N", sort=order, title=f"{dimension.capitalize()} switch"))
    bars = base.mark_bar().encode(
        x=alt.X("difference_points:Q",
                title="Reaching the next stage: switchers minus those who stayed (percentage points)"),
        color=alt.Color("direction:N", title=None,
                        scale=alt.Scale(domain=present, range=[COLOURS[d] for d in present]),
                        legend=alt.Legend(orient="bottom", labelLimit=400)),
        tooltip=[
            alt.Tooltip("switch:N", title="Switch"),
            alt.Tooltip("customers:Q", title="Customers who switched", format=","),
            alt.Tooltip("customers_compared:Q", title="Switchers compared", format=","),
            alt.Tooltip("stage:N", title="Most common stage at the switch"),
            alt.Tooltip("conversion_after:Q", title="Reached the next stage after switching", format=".1%"),
            alt.Tooltip("conversion_without_switch:Q", title="Reached it without switching", format=".1%"),
            alt.Tooltip("difference_points:Q", title="Difference (points)", format="+.1f"),
            alt.Tooltip("customers_lost:Q", title="Customers lost (estimate)", format=",.1f"),
            alt.Tooltip("duration:N", title="Median time across the switch"),
        ],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#555").encode(x="x:Q")
    chart = (bars + zero).properties(width=520, height=alt.Step(22))
    subtitle = (f"{len(data)} switch types, ranked by customers lost; compared with customers at the same stage "
                "who did not switch")
    costly = data[data["customers_lost"] > 0]
    title = (costly["summary"].iloc[0] if len(costly)
             else f"No {dimension} switch is followed by fewer customers moving on than among those who stayed")
    return titled(chart, title, subtitle)


def gap_stages_chart(gap_stages: pd.DataFrame, *, stages) -> alt.Chart:
    """Where switches happen: customers per switch type and stage (`compute_gap_stages` output)."""
    if gap_stages.empty:
        return titled(alt.Chart(pd.DataFrame({"x": []})).mark_rect(), "No switches found")
    order = list(stages) + ["unmapped"]
    busiest = gap_stages.sort_values(["customers", "switch"], ascending=[False, True]).iloc[0]
    title = (f"{format_count(busiest['customers'], 'customer')} switched {busiest['switch']} at {busiest['stage']}, "
             "the most of any stage")
    base = alt.Chart(gap_stages).encode(
        x=alt.X("stage:N", sort=order, title="Stage at the switch", axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("switch:N", title="Switch"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("customers:Q", title="Customers", scale=alt.Scale(scheme="oranges")),
        tooltip=[
            alt.Tooltip("switch:N", title="Switch"), alt.Tooltip("stage:N", title="Stage"),
            alt.Tooltip("customers:Q", title="Customers", format=","),
            alt.Tooltip("conversion_after:Q", title="Reached the next stage after switching", format=".1%"),
            alt.Tooltip("conversion_without_switch:Q", title="Reached it without switching", format=".1%"),
        ],
    )
    text = base.mark_text(fontSize=10).encode(text=alt.Text("customers:Q", format=","))
    chart = (cells + text).properties(width=alt.Step(70), height=alt.Step(22))
    return titled(chart, title, "distinct customers per switch and stage")


PERIOD_NAMES = {"previous": "Previous period", "current": "Current period"}
PERIOD_COLOURS = ("#9e9e9e", "#1f77b4")


def gap_periods_chart(compared: pd.DataFrame, *, title: str, dimension: str = "device") -> alt.Chart:
    """Customers who made each switch type in the previous and the current period, side by side
    (`compare_gap_periods` output, in its order: new first); `title` states the finding (gap_periods_headline)."""
    if compared.empty:
        return titled(alt.Chart(pd.DataFrame({"x": []})).mark_bar(), title)
    rows = []
    for row in compared.itertuples(index=False):
        for period in ("previous", "current"):
            rows.append({"switch": row.switch, "status": row.status, "period": PERIOD_NAMES[period],
                         "customers": getattr(row, f"customers_{period}"),
                         "customers_lost": getattr(row, f"customers_lost_{period}"),
                         "conversion_after": getattr(row, f"conversion_after_{period}"),
                         "conversion_without_switch": getattr(row, f"conversion_without_switch_{period}")})
    data = pd.DataFrame(rows)
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("switch:N", sort=list(compared["switch"]), title=f"{dimension.capitalize()} switch"),
        yOffset=alt.YOffset("period:N", sort=list(PERIOD_NAMES.values())),
        x=alt.X("customers:Q", title="Customers who made the switch"),
        color=alt.Color("period:N", title=None, scale=alt.Scale(domain=list(PERIOD_NAMES.values()),
                                                                range=list(PERIOD_COLOURS)),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[
            alt.Tooltip("switch:N", title="Switch"),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("period:N", title="Period"),
            alt.Tooltip("customers:Q", title="Customers who switched", format=","),
            alt.Tooltip("conversion_after:Q", title="Reached the next stage after switching", format=".1%"),
            alt.Tooltip("conversion_without_switch:Q", title="Reached it without switching", format=".1%"),
            alt.Tooltip("customers_lost:Q", title="Customers lost (estimate)", format=",.1f"),
        ],
    )
    new, gone = int((compared["status"] == "new").sum()), int((compared["status"] == "gone").sum())
    subtitle = (f"{format_count(len(compared), 'switch type')}: {new} new, {len(compared) - new - gone} in both, "
                f"{gone} gone")
    return titled(bars.properties(width=520, height=alt.Step(14)), title, subtitle)
