"""Follow-up: close the loop with unhappy customers, and reach at-risk customers before they leave."""

import streamlit as st

from cjm.data.clock import dates_clock
from cjm.voice.followup import compute_closed_loop, compute_followup_by_department
from cjm.voice.risk import compute_at_risk, compute_risk_distribution, describe_rules
from cjm.ui import data, voice, widgets

st.title("Follow-up")
st.caption("The closed loop lists customers whose latest feedback is negative, most valuable first, for the team "
           "that calls them back. At-risk customers show early signs of leaving, with the reasons in plain words.")
with widgets.panel("the data", stop=True):
    dataset = data.analysed_dataset()
has_feedback = dataset.has("score") or dataset.has("text")
sentiment = voice.saved_sentiment()

st.subheader("Closed loop: unhappy customers to call back")
if not has_feedback:
    voice.missing("The closed loop needs feedback: ratings (stars, NPS, CSAT) or comments.", column="score or text")
else:
    with widgets.panel("the closed loop"):
        within = voice.closed_loop_window()
        loop = data.run(compute_closed_loop, dataset, sentiment=sentiment, limit=voice.LOOP_LIMIT, within_days=within)
        voice.closed_loop(loop, tz=dates_clock(dataset).tz)
        if len(loop):
            st.subheader("Follow-ups by owner department")
            voice.departments(compute_followup_by_department(loop))

st.subheader("At-risk customers")
risk = voice.risk_settings()
with widgets.panel("the at-risk customers"), st.spinner("Scoring every customer's risk of leaving…"):
    ranked, summary = data.run(compute_at_risk, dataset, sentiment=sentiment if has_feedback else None, params=risk)
    voice.risk_method(summary, describe_rules(risk))
    voice.at_risk(ranked, summary, compute_risk_distribution(ranked), tz=dates_clock(dataset).tz)
