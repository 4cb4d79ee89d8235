"""Voice of the customer on real tweets to US airlines (../shared/data/airline_tweets.csv, loaded with the
mapping cjm suggests minus the annotators' label column airline_sentiment, so that the text model reads every
tweet; tests/test_labels.py covers the labels): signals, pain points, quotes, closed loop and at-risk give
sensible results."""

import pandas as pd
import pytest

from cjm.data.columns import ColumnMapping
from cjm.data.dataset import load_dataset
from cjm.voice.followup import compute_closed_loop, compute_followup_by_department
from cjm.voice.painpoints import compute_pain_points, compute_quotes
from cjm.voice.risk import compute_at_risk
from cjm.voice.sentiment import compute_facets, compute_overall, compute_sentiment_by, compute_signals
from cjm.voice import textscore
from tests.helpers import real_file


@pytest.fixture(scope="module")
def tweets():
    path = real_file("airline_tweets.csv")
    suggested = load_dataset([path]).files[0].mapping
    assert suggested.columns["score"] == "airline_sentiment"
    text_only = ColumnMapping.from_dict({**suggested.to_dict(),
                                         "columns": {k: v for k, v in suggested.columns.items() if k != "score"}})
    dataset = load_dataset([path], mappings={path.name: text_only})
    return dataset, compute_signals(dataset), pd.read_csv(path)


def test_every_tweet_becomes_a_text_signal_and_almost_all_are_scored(tweets):
    dataset, signals, raw = tweets
    assert dataset.has("text") and not dataset.has("score")
    assert set(signals["source"]) == {"text"} and len(signals) > 0.95 * len(raw)
    overall = compute_overall(signals)
    assert overall["n"] > 0.95 * len(signals) and overall["nps"] is None and overall["csat"] is None
    # Tweets are English: what is left unscored is too short to read (undetermined, or under 4 words with no
    # word VADER knows), never counted as neutral. Lingua calls 16 of 14,640 tweets ("Okee doke", "Gerne :)",
    # "On Fleek") another language: they are unscored too, and stay under 0.2% of the tweets.
    assert overall["unscored"] == len(signals) - overall["n"]
    other = {k: n for k, n in overall["unscored_languages"].items() if k not in ("und", "en")}
    assert sum(other.values()) < 0.002 * len(signals)
    short = signals[~signals["scored"] & signals["language"].isin(["en"])]["text"]
    assert len(short) and all(textscore._short(t) for t in short)  # mentions and links are not words


def test_a_large_share_of_airline_tweets_reads_as_negative(tweets):
    _, signals, _ = tweets
    scored = signals[signals["scored"]]
    assert 0.25 < scored["label"].eq("negative").mean() < 0.6


def test_the_text_model_agrees_with_the_human_labels_where_it_matters(tweets):
    _, signals, raw = tweets
    human = raw.drop_duplicates("text").set_index("text")["airline_sentiment"]
    read = signals[signals["scored"]].assign(human=lambda f: f["text"].map(human)).dropna(subset=["human"])
    negative_read = read.groupby("human")["label"].apply(lambda s: s.eq("negative").mean())
    # VADER is a lexicon: about half of the complaints are caught, and almost no praise is read as negative.
    # (Reading "@united" as the word "united" used to turn a thousand complaints positive.)
    assert negative_read["negative"] > 0.48 and negative_read["positive"] < 0.05
    means = read.groupby("human")["value"].mean()
    assert means["negative"] < means["neutral"] < means["positive"]


def test_the_sentiment_trend_by_day_covers_the_week_of_tweets_with_confidence_intervals(tweets):
    _, signals, _ = tweets
    facets = compute_facets(signals)
    assert facets["period"] == "day" and not facets["channels"]
    trend = compute_sentiment_by(signals, by="period", period="day")
    assert 7 <= len(trend) <= 10 and (trend["n"] > 0).all()
    assert ((trend["ci_low"] <= trend["mean"]) & (trend["mean"] <= trend["ci_high"])).all()


def test_pain_points_name_flights_service_and_luggage_with_real_quotes(tweets):
    _, signals, raw = tweets
    themes = compute_pain_points(signals)
    assert len(themes) >= 5
    words = " ".join(themes["theme"]).lower()
    assert "flight" in words and "service" in words and ("luggage" in words or "bag" in words)
    real = set(raw["text"])
    for quotes in themes["quotes"]:
        assert 2 <= len(quotes) <= 3 and set(quotes) <= real
    assert themes["count"].is_monotonic_decreasing and themes["share"].sum() <= 1.0


def test_searching_the_quotes_finds_the_lost_luggage_complaints(tweets):
    _, signals, _ = tweets
    found = compute_quotes(signals, query="luggage", sentiment="negative", limit=500)
    assert len(found) > 20
    assert found["text"].str.lower().str.contains("luggage").all() and (found["value"] < 0).all()


def test_the_closed_loop_ranks_unhappy_tweeters_by_how_much_they_tweet_then_recency(tweets):
    dataset, signals, _ = tweets
    loop = compute_closed_loop(dataset, signals=signals, limit=100_000)
    assert len(loop) > 1000 and set(loop["value_basis"]) == {"events"}
    assert (loop["sentiment"] < 0).all() and loop["value"].is_monotonic_decreasing
    assert (loop["department"] == "unassigned").all()  # tweets carry no owner department
    assert compute_followup_by_department(loop)["customers"].sum() == len(loop)


def test_without_a_churn_label_the_at_risk_score_uses_the_transparent_rules(tweets):
    dataset, signals, _ = tweets
    ranked, summary = compute_at_risk(dataset, signals=signals)
    assert summary["method"] == "rules" and "no churn label" in summary["reason"]
    assert ranked["risk"].between(0, 1).all() and ranked["customer_id"].is_unique
    unhappy = ranked[ranked["last_negative"]]
    assert unhappy["drivers"].str.contains("negative last comment").all()
