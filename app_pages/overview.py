"""Overview: the journey KPIs against the previous period, and how far customers get."""

import streamlit as st

from cjm.data.views import end_phrase
from cjm.present.charts.reach import stage_reach_chart
from cjm.journey.kpis import compute_kpis
from cjm.journey.reach import compute_stage_reach, reach_period
from cjm.ui import data, kpis, widgets
from cjm.ui.safe import md

st.title("Overview")
with widgets.panel("the data", stop=True):
    dataset = data.analysed_dataset()
st.caption(f"{dataset.accounting.rows_used:,} rows used · stage model: {', '.join(md(s) for s in dataset.stages)}")

period = kpis.period_control()
with widgets.panel("the KPIs"):
    table = data.run(compute_kpis, dataset, params=period)
    kpis.tiles(table)
    kpis.thin_period(table, data.run(compute_stage_reach, dataset), period, end=data.run(end_phrase, dataset))
    with st.expander("All KPIs as a table"):
        widgets.table(table.drop(columns=["display", "change_display"]), name="kpis")

st.subheader("How far customers get")
with widgets.panel("how far customers get"):
    reach = data.run(compute_stage_reach, dataset)
    widgets.chart(stage_reach_chart(reach, customers=int(reach["total_customers"].iloc[0]),
                                    period=data.run(reach_period, dataset)), reach,
                  name="customers per stage")
