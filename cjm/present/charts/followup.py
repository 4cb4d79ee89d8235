"""Follow-up charts: closed-loop call-back list, follow-ups per owner, at-risk distribution.

Each takes the output of a cjm.followup / cjm.risk compute_* function and aggregates nothing.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from cjm.present.charts import segment_scale, titled
from cjm.present.formats import format_money, format_number, format_percent, format_count

VALUE_TITLES = {"revenue": "Customer value (total revenue)", "purchases": "Customer value (purchases, count)",
                "events": "Customer value (events, count)"}


def _value_title(frame: pd.DataFrame) -> str:
    basis = frame["value_basis"].iloc[0] if len(frame) else "revenue"
    return VALUE_TITLES.get(basis, "Customer value")


def _value_format(frame: pd.DataFrame) -> str:
    """Money with cents; counts (events, purchases) as whole numbers."""
    basis = frame["value_basis"].iloc[0] if len(frame) and "value_basis" in frame.columns else "revenue"
    return ",.2f" if basis == "revenue" else ",.0f"


VALUE_UNITS = {"events": ("event", "events"), "purchases": ("purchase", "purchases")}


def _value_text(value: float, frame: pd.DataFrame) -> str:
    """28 events, 1 purchase, 300.00: a value as its basis reads."""
    basis = frame["value_basis"].iloc[0] if len(frame) and "value_basis" in frame.columns else "revenue"
    if basis not in VALUE_UNITS:
        return format_money(value)
    one, many = VALUE_UNITS[basis]
    return f"{value:,.0f} {one if round(value) == 1 else many}"


def closed_loop_chart(closed_loop: pd.DataFrame) -> alt.Chart:
    """Each unhappy customer: days since their negative feedback (x) against their value (y)."""
    departments = sorted(closed_loop["department"].astype(str).unique())
    data = closed_loop.assign(at=closed_loop["at"].astype(str))[
        ["customer_id", "value", "value_basis", "last_feedback", "sentiment", "at", "stage", "department", "days_since"]
    ]
    chart = alt.Chart(data).mark_circle(size=90, opacity=0.85).encode(
        x=alt.X("days_since:Q", title="Days since the negative feedback (days)"),
        y=alt.Y("value:Q", title=_value_title(closed_loop)),
        color=alt.Color("department:N", scale=segment_scale(departments), title="Owner department"),
        tooltip=[
            alt.Tooltip("customer_id:N", title="Customer"),
            alt.Tooltip("value:Q", title="Value", format=_value_format(closed_loop)),
            alt.Tooltip("last_feedback:N", title="Last feedback"),
            alt.Tooltip("sentiment:Q", title="Sentiment", format="+.2f"),
            alt.Tooltip("at:N", title="At"),
            alt.Tooltip("stage:N", title="Stage"),
            alt.Tooltip("department:N", title="Owner"),
            alt.Tooltip("days_since:Q", title="Days since", format=",.1f"),
        ],
    )
    if data.empty:
        title = "No customer's latest feedback is negative"
    else:
        top = data.iloc[0]
        title = (f"{len(data):,} unhappy customer{'' if len(data) == 1 else 's'} to call back; most valuable: "
                 f"{top['customer_id']} ({_value_text(top['value'], closed_loop)}, "
                 f"{format_number(top['days_since'], 1)} days ago)")
    return titled(chart, title)


def followup_by_department_chart(by_department: pd.DataFrame) -> alt.Chart:
    """Bars of follow-ups per owner department, with their total value in the tooltip."""
    chart = alt.Chart(by_department).mark_bar(color="#4C78A8").encode(
        y=alt.Y("department:N", sort="-x", title="Owner department"),
        x=alt.X("customers:Q", title="Customers to follow up (count)", axis=alt.Axis(format=",d", tickMinStep=1)),
        tooltip=[
            alt.Tooltip("department:N", title="Department"),
            alt.Tooltip("customers:Q", title="Customers", format=","),
            alt.Tooltip("value:Q", title="Their value", format=_value_format(by_department)),
            alt.Tooltip("median_days_since:Q", title="Median days since feedback", format=",.1f"),
        ],
    )
    if by_department.empty:
        title = "No follow-ups to assign"
    else:
        top = by_department.sort_values("customers", ascending=False, kind="stable").iloc[0]
        title = f"{top['department']} owns the most follow-ups ({format_count(int(top['customers']), 'customer')})"
    return titled(chart, title)


RISK_GROUPS = {"at_risk_customers": "at risk", "churned_customers": "already churned",
               "other_customers": "not at risk"}


def risk_distribution_chart(distribution: pd.DataFrame, *, threshold: float = 0.5,
                            method: str = "rules") -> alt.LayerChart:
    """Customers per risk band, stacked: at risk (red), already churned (dark grey, lost rather than at
    risk), the rest (light grey); a dashed rule marks the threshold."""
    columns = [c for c in RISK_GROUPS if c in distribution.columns]
    data = distribution.rename(columns=RISK_GROUPS)
    groups = [RISK_GROUPS[c] for c in columns]
    bars = alt.Chart(data).transform_fold(groups, as_=["group", "count"]).mark_bar().encode(
        x=alt.X("bin_start:Q", bin="binned", title="Risk of leaving (0 to 1)", scale=alt.Scale(domain=[0, 1])),
        x2="bin_end:Q",
        y=alt.Y("count:Q", title="Customers (count)", stack="zero"),
        color=alt.Color("group:N", title="Customers",
                        scale=alt.Scale(domain=["at risk", "already churned", "not at risk"],
                                        range=["#d73027", "#636363", "#bdbdbd"])),
        order=alt.Order("group:N", sort="descending"),
        tooltip=[
            alt.Tooltip("bin_start:Q", title="Risk from", format=".0%"),
            alt.Tooltip("bin_end:Q", title="Risk to", format=".0%"),
            alt.Tooltip("group:N", title="Customers who are"),
            alt.Tooltip("count:Q", title="Of them", format=","),
            alt.Tooltip("customers:Q", title="All customers in this band", format=","),
        ],
    )
    rule = alt.Chart(pd.DataFrame({"x": [threshold]})).mark_rule(strokeDash=[4, 4]).encode(x="x:Q")
    total, at_risk = int(distribution["customers"].sum()), int(distribution["at_risk_customers"].sum())
    churned = int(distribution["churned_customers"].sum()) if "churned_customers" in distribution.columns else 0
    share = at_risk / total if total else 0.0
    how = "by a model trained on the churn label" if method == "model" else "by transparent rules"
    title = f"{at_risk:,} of {format_count(total, 'customer')} at risk ({format_percent(share)}, risk at or above {format_percent(threshold, 0)})"
    subtitle = f"Risk scored {how}"
    if churned:
        subtitle += f"; {format_count(churned, 'customer')} already churned are shown apart (lost, not at risk)"
    return titled(alt.layer(bars, rule), title, subtitle)
