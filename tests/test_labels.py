"""Sentiment labels in a score column (cjm/data/labels.py): read as -1 / 0 / +1, suggested as the score,
and scored on the polarity scale."""

import math

import pandas as pd
import pytest

from cjm.data.columns import suggest_mapping
from cjm.data.dataset import load_dataset
from cjm.data.labels import label_values
from cjm.voice.sentiment import compute_overall, compute_signals, resolve_scale
from tests.helpers import real_file


def test_labels_read_as_minus_one_zero_and_plus_one_whatever_their_case_and_spaces():
    values, bad = label_values(pd.Series(["negative", " Positive ", "NEUTRAL", None, "", "pos", "neg"]))
    assert values.tolist()[:3] == [-1.0, 1.0, 0.0]
    assert math.isnan(values[3]) and math.isnan(values[4])
    assert values.tolist()[5:] == [1.0, -1.0]
    assert not bad.any()  # missing and blank cells are missing, not unreadable


def test_a_column_of_ratings_or_free_text_is_not_read_as_labels():
    assert label_values(pd.Series([1, 2, 5])) is None
    assert label_values(pd.Series(["1", "4", "5"])) is None
    assert label_values(pd.Series(["great flight", "negative experience", "ok"])) is None
    assert label_values(pd.Series([None, ""], dtype="string")) is None


def test_a_cell_that_is_not_a_label_among_labels_is_unreadable():
    values = ["negative"] * 40 + ["mixed"]
    read, bad = label_values(pd.Series(values))
    assert bad.tolist() == [False] * 40 + [True]
    assert math.isnan(read.iloc[-1])


def test_a_label_column_named_like_sentiment_or_polarity_is_suggested_as_the_score():
    frame = pd.DataFrame({"tweet_id": ["1", "2", "3"], "airline_sentiment": ["negative", "neutral", "positive"],
                          "airline_sentiment_confidence": [1.0, 0.6, 0.7], "text": ["a", "b", "c"]})
    assert suggest_mapping(frame).columns.get("score") == "airline_sentiment"
    reviews = pd.DataFrame({"text": ["جيد", "سيء", "عادي"], "polarity": [1, -1, 0]})
    assert suggest_mapping(reviews).columns.get("score") == "polarity"


def test_auto_reads_values_between_minus_one_and_one_as_polarity():
    assert resolve_scale("auto", -1.0, 1.0) == "polarity"
    assert resolve_scale("auto", -0.5, 0.25) == "polarity"
    assert resolve_scale("auto", 1.0, 5.0) == "rating5"  # a rating of 1 only is still a rating


def test_labels_load_and_score_on_the_polarity_scale(tmp_path):
    labels = ["negative"] * 10 + ["positive"] * 6 + ["neutral"] * 4 + ["sarcastic"]
    rows = [f"c{i},2024-01-{i + 1:02d} 10:00,{label}" for i, label in enumerate(labels)]
    path = tmp_path / "tweets.csv"
    path.write_text("user,created,sentiment\n" + "\n".join(rows) + "\n", encoding="utf-8")
    data = load_dataset([path])
    assert data.files[0].mapping.columns["score"] == "sentiment"
    assert data.accounting.rows_used == 21  # the unreadable label keeps its row, without a score
    signals = compute_signals(data)
    assert len(signals) == 20
    assert signals["label"].value_counts().to_dict() == {"negative": 10, "positive": 6, "neutral": 4}
    overall = compute_overall(signals)
    assert overall["scale"] == "polarity" and overall["mean"] == pytest.approx((6 - 10) / 20)
    assert overall["nps"] is None and overall["csat"] is None


def test_the_airline_tweets_are_scored_by_the_labels_people_gave_them():
    data = load_dataset([real_file("airline_tweets.csv")])
    assert data.files[0].mapping.columns["score"] == "airline_sentiment"
    signals = compute_signals(data)
    scores = signals[signals["source"] == "score"]
    # 14,640 tweets of which 36 are exact duplicate rows; the labels of the 14,604 kept, counted by hand
    frame = pd.read_csv(real_file("airline_tweets.csv")).drop_duplicates()
    assert len(scores) == len(frame) == 14604
    assert len(signals) == len(scores)  # the label is each tweet's one signal: the text model does not add another
    expected = frame["airline_sentiment"].map({"negative": -1, "neutral": 0, "positive": 1}).mean()
    assert scores["value"].mean() == pytest.approx(expected)
    assert (scores["label"] == "negative").sum() == (frame["airline_sentiment"] == "negative").sum()


def test_a_long_label_column_is_read_whole_even_when_its_first_rows_are_empty():
    values = pd.Series([None] * 25_000 + ["negative", "positive"] * 10, dtype="string")
    read, bad = label_values(values)
    assert read.iloc[25_000:].tolist() == [-1.0, 1.0] * 10 and not bad.any()


def test_a_long_rating_column_is_told_apart_by_its_first_rows():
    assert label_values(pd.Series(["4", "5", "negative"] * 10_000, dtype="string")) is None
