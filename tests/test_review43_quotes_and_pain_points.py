"""Review 43: the Sentiment page's comment table (compute_quotes) and pain points (compute_pain_points): which comments
are negative (the customer's own score decides), how the table filters and orders them, and that the pain points'
counts add up, against tests/review43_reference.py on a hand-made export, the demo and real airline tweets."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from cjm.data.dataset import SourceFile, load_dataset
from cjm.data.stages import StageMapping
from cjm.voice.painpoints import compute_pain_points, compute_quotes
from cjm.voice.sentiment import compute_signals
from tests import review43_reference as ref
from tests.helpers import real_file

ALL = 100_000  # the most compute_quotes gives (the page keeps 20,000)


def dataset(text: str):
    return load_dataset([SourceFile(name="survey.csv", data=text.encode())],
                        stage_mapping=StageMapping(model="5", events={"survey": "retention", "review": "loyalty"}))


def same_comments(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    """The same comments (customer, time, text), whatever their order."""
    key = lambda f: Counter(zip(f["customer_id"].astype(str), pd.to_datetime(f["timestamp"], utc=True),
                                f["text"].astype(str)))
    assert key(ours) == key(theirs)


# NPS answers with a comment. The score decides:
# q1 answered 9 (promoter) and wrote an angry comment: positive. q2 answered 6 (detractor) with a neutral comment:
# negative, though 6 is +0.2 on the -1..+1 scale. q3 answered 3 and wrote "I love it": negative (-0.4).
# q4 wrote an angry comment with no answer: the text decides, negative. q5 answered 10, nothing written: no comment.
# q6 answered 8 (passive) with "Great service, thank you (really)!": neutral.
# Negative comments: q2, q3, q4 (3). Most negative first: q3 (-0.4) before q2 (+0.2); q4 by its text's value, which
# VADER puts well below -0.4 ("terrible, awful, the worst"): q4, q3, q2.
# Query "(really)" is plain text: it finds q6 alone (as a pattern it would match "really" without brackets too, q4).
SURVEY = """customer_id,timestamp,event,likely_to_recommend,comment
q1,2025-03-01 10:00,survey,9,"Terrible, awful, the worst app ever."
q2,2025-03-02 10:00,survey,6,The parcel came on Tuesday.
q3,2025-03-03 10:00,survey,3,I love it!
q4,2025-03-04 10:00,review,,"Terrible, awful, the worst service ever, really."
q5,2025-03-05 10:00,survey,10,
q6,2025-03-06 10:00,survey,8,"Great service, thank you (really)!"
"""


def test_the_customers_own_answer_decides_whether_a_comment_is_negative():
    signals = compute_signals(dataset(SURVEY))
    negative = compute_quotes(signals, sentiment="negative", limit=ALL)
    assert list(negative["customer_id"]) == ["q4", "q3", "q2"]
    same_comments(negative, ref.quotes(signals, sentiment="negative"))


def test_every_comment_is_one_row_and_the_filters_partition_the_scored_ones():
    signals = compute_signals(dataset(SURVEY))
    everything = compute_quotes(signals, limit=ALL)
    assert len(everything) == 5  # q1, q2, q3, q4, q6: q5 wrote nothing
    same_comments(everything, ref.quotes(signals))
    parts = [compute_quotes(signals, sentiment=label, limit=ALL) for label in ("negative", "neutral", "positive")]
    assert sorted(sum((list(p["customer_id"]) for p in parts), [])) == ["q1", "q2", "q3", "q4", "q6"]
    for label, part in zip(("negative", "neutral", "positive"), parts):
        same_comments(part, ref.quotes(signals, sentiment=label))


def test_a_query_is_plain_text_not_a_pattern():
    signals = compute_signals(dataset(SURVEY))
    found = compute_quotes(signals, query="(REALLY)", limit=ALL)
    assert list(found["customer_id"]) == ["q6"]
    same_comments(found, ref.quotes(signals, query="(REALLY)"))


# --- the demo and real tweets ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_signals():
    return compute_signals(load_dataset(["data/demo_events.csv.gz", "data/demo_customers.csv"]))


@pytest.fixture(scope="module")
def tweet_signals():
    return compute_signals(load_dataset([real_file("airline_tweets.csv")]))


@pytest.mark.parametrize("source", ["demo_signals", "tweet_signals"])
def test_the_comment_tables_filters_are_the_references(source, request):
    signals = request.getfixturevalue(source)
    read = ref.comments(signals)
    for label in ("negative", "neutral", "positive"):
        ours = compute_quotes(signals, sentiment=label, limit=ALL)
        same_comments(ours, ref.quotes(signals, sentiment=label, read=read))
        values = ours["value"].astype(float).to_numpy()
        if label == "negative":  # most negative first
            assert (np.diff(values) >= 0).all()
        elif label == "positive":  # most positive first
            assert (np.diff(values) <= 0).all()
    everything = compute_quotes(signals, limit=ALL)
    same_comments(everything, ref.quotes(signals, read=read))
    stamps = pd.to_datetime(everything["timestamp"], utc=True)
    assert (stamps.diff().dropna() <= pd.Timedelta(0)).all()  # newest first


@pytest.mark.parametrize("source", ["demo_signals", "tweet_signals"])
def test_the_pain_points_count_each_negative_comment_once_and_their_shares_are_of_all_negative_comments(source,
                                                                                                          request):
    signals = request.getfixturevalue(source)
    themes = compute_pain_points(signals)
    negative = ref.quotes(signals, sentiment="negative")
    assert len(themes) >= 3
    assert themes["count"].sum() <= len(negative)
    assert np.allclose(themes["share"], themes["count"] / len(negative))
    negative_texts = set(negative["text"].astype(str))
    for theme in themes.itertuples():
        assert theme.count >= 3 and sum(theme.stage_counts.values()) == theme.count
        assert set(map(str, theme.quotes)) <= negative_texts, theme.theme
