"""Overview: who is in the data and how far they get through the journey."""

import streamlit as st

from cjm.charts.reach import stage_reach_chart
from cjm.errors import CJMError
from cjm.reach import compute_stage_reach
from cjm.ui import data, widgets

st.title("Overview")
try:
    dataset = data.current_dataset()
    reach = data.run(compute_stage_reach, dataset, stages=dataset.stages)
except CJMError as exc:
    widgets.show_error(exc)
    st.stop()

customers = int(reach["total_customers"].iloc[0])
st.caption(f"{dataset.accounting.rows_used:,} rows used · stage model: {', '.join(dataset.stages)}")
widgets.chart(stage_reach_chart(reach, customers=customers), reach, name="customers per stage")
