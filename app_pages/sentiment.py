"""Sentiment: how customers feel along the journey, what hurts them, and what they say in their own words."""

import streamlit as st

from cjm.data.clock import dates_clock
from cjm.voice.painpoints import compute_pain_points, compute_quotes
from cjm.voice.sentiment import compute_facets, compute_overall, compute_sentiment_by, compute_signals, scales_by_file
from cjm.ui import data, voice, widgets

st.title("Sentiment")
st.caption("Ratings (stars, CSAT, NPS, effort) and comments on one scale from -1 (very negative) to +1 (very "
           "positive). Comments in a language the text model cannot read are left unscored, never counted as neutral.")
with widgets.panel("the data", stop=True):
    dataset = data.analysed_dataset()
if not (dataset.has("score") or dataset.has("text")):
    widgets.needs("Sentiment needs ratings (stars, NPS, CSAT or effort answers) or comments (reviews, survey "
                  "answers, support notes).", column="score or text")

params = voice.sentiment_settings(dataset)
with widgets.panel("the sentiment signals", stop=True):
    signals = data.run(compute_signals, dataset, params=params)
    facets = compute_facets(signals, stages=dataset.stages)
with widgets.panel("the feedback summary"):
    voice.feedback_tiles(compute_overall(signals), scales_by_file(signals, dataset.files))

st.subheader("Emotion curve: how customers feel at each stage")
with widgets.panel("the emotion curve"):
    voice.emotion_curve(compute_sentiment_by(signals, by="stage", stages=dataset.stages))

st.subheader("Sentiment by touchpoint, channel, segment and over time")
with widgets.panel("sentiment by touchpoint, channel, segment and over time"):
    by, period = voice.view_picker(facets)
    voice.sentiment_view(compute_sentiment_by(signals, by=by, period=period), by=by, period=period)

st.subheader("Pain points: what the negative comments are about")
with widgets.panel("the pain points"), st.spinner("Finding the themes of negative comments…"):
    themes = data.run(compute_pain_points, dataset, sentiment=params, stages=dataset.stages)
    voice.pain_points(themes)

st.subheader("Quotes: what customers say")
with widgets.panel("the quotes"):
    filters = voice.quote_filters(facets)
    voice.quotes(compute_quotes(signals, limit=voice.QUOTE_LIMIT, **filters), tz=dates_clock(dataset).tz)
