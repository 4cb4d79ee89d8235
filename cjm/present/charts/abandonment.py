"""Where customers give up: abandonment per step, checkout abandonment against the benchmark, and
what abandoners did last. Inputs are the outputs of cjm.abandonment; nothing is aggregated here."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from cjm.present.charts import titled
from cjm.present.formats import format_percent, format_count

CART_BENCHMARK = 0.70
CART_BENCHMARK_LABEL = "≈70% average online cart abandonment"
# At least this high: a one-step chart of 60 px was shorter than its y-axis title and legend, and the
# browser pushed the chart's title out of view (olist leads: one step, "96.9% … abandon before conversion").
MIN_HEIGHT = 130
PADDING = {"top": 8, "left": 5, "right": 5, "bottom": 5}
STATUS_COLORS = alt.Scale(domain=["Abandoned", "In progress"], range=["#E45756", "#BAB0AC"])


def abandonment_chart(abandonment: pd.DataFrame, *, end: str = "the end of the data") -> alt.Chart:
    """Stacked bars per step: customers who abandoned there vs those still in progress; `end`: where the data ends,
    in words (cjm.data.views.end_phrase: a date filter's range when its end cut the data)."""
    steps = list(abandonment["step"])
    rates = abandonment["abandonment_rate"]
    if rates.notna().any() and abandonment["abandoned"].sum() > 0:
        worst = abandonment.loc[rates.idxmax()]
        # the rate's base: customers whose window has closed (cjm.journey.abandonment)
        title = (f"{format_percent(worst['abandonment_rate'])} of customers abandon before {worst['step']} "
                 f"({int(worst['abandoned']):,} of {int(worst['closed']):,} whose window has closed)")
    else:
        title = "No customer has abandoned yet"
    data = abandonment.rename(columns={"abandoned": "Abandoned", "in_progress": "In progress"})
    chart = alt.Chart(data).transform_fold(["Abandoned", "In progress"], as_=["status", "count"]).mark_bar().encode(
        y=alt.Y("step:N", sort=steps, title="Stopped before step"),
        x=alt.X("count:Q", stack="zero", title="Customers"),
        color=alt.Color("status:N", scale=STATUS_COLORS, title=None),
        tooltip=[
            alt.Tooltip("step:N", title="Step"),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("count:Q", title="Customers", format=","),
            alt.Tooltip("abandonment_rate:Q", title="Abandonment rate", format=".1%"),
            alt.Tooltip("closed:Q", title="Reached the step before, window closed", format=","),
            alt.Tooltip("reached_previous:Q", title="Reached the step before", format=","),
            alt.Tooltip("reached:Q", title="Reached this step", format=","),
        ],
    )
    subtitle = f"In progress: the conversion window is still open at {end} (not counted as abandoned)"
    return titled(chart.properties(height=max(40 * len(steps) + 20, MIN_HEIGHT), padding=PADDING), title, subtitle)


# what a checkout abandonment result's "start" step is called: (noun, plural, what its customers did)
STARTS = {"checkout": ("checkout", "checkouts", "started checkout"),
          "cart": ("cart", "carts", "put something in the cart")}


def checkout_words(checkout: dict) -> tuple[str, str, str]:
    """(noun, plural, what its customers did) for the step a checkout abandonment result starts from."""
    return STARTS[checkout.get("start", "checkout")]


def checkout_abandonment_chart(checkout: dict) -> alt.LayerChart:
    """The checkout abandonment rate (compute_checkout_abandonment output) beside the ~70% benchmark; a result
    judged from the cart (no checkout event in the data) says cart throughout."""
    rate = checkout.get("rate")
    noun, plural, did = checkout_words(checkout)
    decided = checkout["closed"]
    # the rate's parts as the page's sentence gives them: buyers whose window is still open are in neither
    data = pd.DataFrame([{
        "label": f"Your {noun}", "rate": rate, "abandoned": checkout["abandoned"],
        "purchased": decided - checkout["abandoned"], "in_progress": checkout["in_progress"],
        "bought_open": checkout["started"] - decided - checkout["in_progress"], "started": checkout["started"],
        "decided": decided,
    }])
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        title = f"{noun.capitalize()} abandonment: every {noun} window is still open"
    else:
        comparison = "above" if rate > CART_BENCHMARK else "below" if rate < CART_BENCHMARK else "at"
        title = f"{format_percent(rate)} of {plural} are abandoned ({comparison} the ≈70% online average)"
    x = alt.X("rate:Q", title=f"{noun.capitalize()} abandonment rate (%)", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    bar = alt.Chart(data).mark_bar(color="#E45756", height=28).encode(
        x=x, y=alt.Y("label:N", title=None),
        tooltip=[
            alt.Tooltip("rate:Q", title="Abandonment rate", format=".1%"),
            alt.Tooltip("abandoned:Q", title="Abandoned", format=","),
            alt.Tooltip("purchased:Q", title="Purchased", format=","),
            alt.Tooltip("decided:Q", title="Customers with a closed window", format=","),
            alt.Tooltip("in_progress:Q", title="Still in progress", format=","),
            alt.Tooltip("bought_open:Q", title="Bought, window still open (not counted)", format=","),
            alt.Tooltip("started:Q", title=did.capitalize(), format=","),
        ],
    )
    reference = pd.DataFrame([{"rate": CART_BENCHMARK, "label": CART_BENCHMARK_LABEL}])
    rule = alt.Chart(reference).mark_rule(color="#333", strokeDash=[4, 3]).encode(
        x="rate:Q", tooltip=[alt.Tooltip("label:N", title="Reference")]
    )
    text = alt.Chart(reference).mark_text(align="left", dx=4, dy=-22, color="#333").encode(x="rate:Q", text="label:N")
    subtitle = f"{format_count(checkout['started'], 'customer')} {did}; {checkout['in_progress']:,} still in progress"
    return titled(alt.layer(bar, rule, text).properties(height=90), title, subtitle)


def last_touchpoints_chart(last_touchpoints: pd.DataFrame, *, step: str | None = None, top: int = 10) -> alt.Chart:
    """What abandoners did last (compute_last_touchpoints output), most common first."""
    data = last_touchpoints[last_touchpoints["rank"] <= top]
    where = f" at {step}" if step else ""
    if len(data):
        lead = data.iloc[0]
        title = f"Most customers who abandoned{where} last did '{lead['event']}' ({format_percent(lead['share'])})"
        subtitle = f"Last event before the window closed, {format_count(int(lead['abandoners']), 'customer')} who abandoned{where}"
    else:
        title, subtitle = f"No customer abandoned{where}", None
    chart = alt.Chart(data).mark_bar(color="#E45756").encode(
        y=alt.Y("event:N", sort=list(data["event"]), title="Last event"),
        x=alt.X("customers:Q", title="Customers who abandoned", axis=alt.Axis(format=",d", tickMinStep=1)),
        tooltip=[
            alt.Tooltip("rank:Q", title="Rank"),
            alt.Tooltip("event:N", title="Event"),
            alt.Tooltip("stage:N", title="Stage"),
            alt.Tooltip("customers:Q", title="Customers", format=","),
            alt.Tooltip("share:Q", title="Share of abandoners", format=".1%"),
            alt.Tooltip("abandoners:Q", title="Customers who abandoned here", format=","),
        ],
    )
    return titled(chart.properties(height=max(28 * len(data) + 20, MIN_HEIGHT), padding=PADDING), title, subtitle)
