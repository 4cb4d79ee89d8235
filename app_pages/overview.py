"""Overview: the journey KPIs against the previous period, and how far customers get."""

import streamlit as st

from cjm.present.charts.reach import stage_reach_chart
from cjm.errors import CJMError
from cjm.journey.kpis import compute_kpis
from cjm.journey.reach import compute_stage_reach
from cjm.ui import data, kpis, widgets
from cjm.ui.safe import md

st.title("Overview")
try:
    dataset = data.current_dataset()
    reach = data.run(compute_stage_reach, dataset, stages=dataset.stages)
    table = data.run(compute_kpis, dataset, stages=dataset.stages)
except CJMError as exc:
    widgets.show_error(exc)
    st.stop()

st.caption(f"{dataset.accounting.rows_used:,} rows used · stage model: {', '.join(md(s) for s in dataset.stages)} · "
           "changes compare the latest period of the data with the one before")
kpis.tiles(table)
st.subheader("How far customers get")
widgets.chart(stage_reach_chart(reach, customers=int(reach["total_customers"].iloc[0])), reach,
              name="customers per stage")
with st.expander("All KPIs as a table"):
    widgets.table(table.drop(columns=["display", "change_display"]), name="kpis")
