"""How far customers get: one bar per stage, in the stage model's colours."""

from __future__ import annotations

import altair as alt
import pandas as pd

from cjm.present.charts import stage_scale, titled
from cjm.present.formats import format_percent, format_count


def stage_reach_chart(reach: pd.DataFrame, *, customers: int, period: str = "") -> alt.Chart:
    """`reach` is compute_stage_reach output; `customers` the total and `period` the dates it covers
    (cjm.journey.reach.reach_period; "" for undated data), for the subtitle."""
    stages = list(reach["stage"])
    data = reach.assign(share_label=[format_percent(v) for v in reach["share"]])
    best = data.iloc[-1] if len(data) else None
    reached = data[data["customers"] > 0]
    if best is None:
        title = "Customers per stage"
    elif reached.empty:  # "0.0% reached loyalty" when no event has a stage at all (a Mixpanel export's app events)
        title = "No event is mapped to a journey stage: assign the events their stages on the Data page"
    elif best["customers"] == 0 and len(reached):  # "0.0% reached loyalty" says nothing: name where they are
        furthest = reached.iloc[-1]
        title = (f"No customer reached {best['stage']}; the furthest stage reached is {furthest['stage']} "
                 f"({format_count(int(furthest['customers']), 'customer')}, {format_percent(furthest['share'])})")
        if len(reached) == 1:
            n = int(furthest["customers"])
            who = (f"All {format_count(n, 'customer')} are" if n >= customers
                   else f"{n:,} of {format_count(customers, 'customer')} are")
            title = f"{who} at {furthest['stage']} only: no event of theirs maps to another stage"
            if n < customers:  # the others have no event mapped to any stage ("All 6 ... of 7" said otherwise)
                rest = customers - n
                title += f"; {format_count(rest, 'customer')} {'has' if rest == 1 else 'have'} no event mapped to a stage"
    else:
        title = f"{format_percent(best['share'])} of customers reached {best['stage']}"
    base = alt.Chart(data).encode(
        y=alt.Y("stage:N", sort=stages, title="Journey stage"),
        x=alt.X("customers:Q", title="Customers (at least one event in the stage)",
                axis=alt.Axis(tickMinStep=1, format=",d")),  # whole customers, also on a small export
        color=alt.Color("stage:N", scale=stage_scale(stages), legend=None),
        tooltip=[alt.Tooltip("stage:N", title="Stage"), alt.Tooltip("customers:Q", title="Customers", format=","),
                 alt.Tooltip("share:Q", title="Share of all customers", format=".1%")],
    )
    bars = base.mark_bar()
    labels = base.mark_text(align="left", dx=4, color="#333").encode(text="share_label:N")
    return titled((bars + labels).properties(height=36 * max(len(stages), 1) + 30),
                  title, f"of {format_count(customers, 'customer')}" + (f", all dates: {period}" if period else "")
                  + reversals_note(reach))


def reversals_note(reach: pd.DataFrame) -> str:
    """"; not counted at a stage where their only events are cancellations, returns or refunds: retention: 1
    customer" when reversals alone put customers at a stage (cjm.journey.reach: they lift nobody to a stage); ""
    otherwise."""
    if "reversals_only" not in reach.columns:
        return ""
    left = reach[reach["reversals_only"] > 0]
    parts = [f"{row.stage}: {format_count(int(row.reversals_only), 'customer')}" for row in left.itertuples()]
    if not parts:
        return ""
    return ("; not counted at a stage where their only events are cancellations, returns or refunds: "
            + ", ".join(parts))
