"""Pain points from negative comments, and the searchable quote table."""

import pandas as pd
import pytest

from cjm.errors import ParameterError
from cjm.voice.painpoints import (NEGATIONS, STOP_WORDS, compute_pain_points, compute_quotes, negative_comments,
                                  stop_words_for)
from cjm.voice.sentiment import compute_signals
from cjm.data.dataset import Dataset
from tests.helpers import dataset

STAGES = {"buy": "conversion", "store": "consideration", "review": "loyalty", "support": "retention"}
ORDER = ("awareness", "consideration", "conversion", "retention", "loyalty")
LATE = [
    "My parcel arrived late, terrible late delivery", "Late delivery again, awful",
    "Really bad late delivery, two weeks", "The late delivery ruined my weekend, horrible",
    "Late delivery and the tracking was useless, I am furious", "Worst late delivery ever",
    "Annoying late delivery of my sofa", "Late delivery, I am angry", "Another late delivery, this is bad",
    "Terrible: late delivery and broken box",
]
RUDE = ["Rude staff at the store, awful", "The staff were rude and unhelpful, terrible",
        "Rude staff, I hate it and I am upset", "Horrible rude staff at checkout", "So rude staff, I hate it"]
HAPPY = ["Great product, love it", "Fast shipping, thanks, wonderful", "Lovely staff, great store"]


def corpus_signals():
    texts = [(t, "buy") for t in LATE] + [(t, "store") for t in RUDE] + [(t, "review") for t in HAPPY]
    rows = [(f"c{i}", f"2024-01-{i + 1:02d}", event, text) for i, (text, event) in enumerate(texts)]
    return compute_signals(dataset(rows, ("customer_id", "timestamp", "event", "text"), stages=STAGES))


def test_the_corpus_comments_are_scored_as_intended():
    signals = corpus_signals()
    assert (signals.loc[signals["text"].isin(LATE + RUDE), "label"] == "negative").all()
    assert (signals.loc[signals["text"].isin(HAPPY), "label"] == "positive").all()


def test_ten_late_delivery_and_five_rude_staff_complaints_give_two_themes_with_their_counts():
    themes = compute_pain_points(corpus_signals(), stages=ORDER)
    assert list(themes["theme"]) == ["late delivery", "rude staff"]
    assert list(themes["count"]) == [10, 5]
    assert list(themes["share"]) == pytest.approx([10 / 15, 5 / 15])
    assert list(themes["stages"]) == [["conversion"], ["consideration"]]


def test_quotes_are_real_comments_of_the_theme_most_negative_first():
    themes = compute_pain_points(corpus_signals())
    late = themes.iloc[0]
    assert 2 <= len(late["quotes"]) <= 3 and set(late["quotes"]) <= set(LATE)
    assert late["quote_values"] == sorted(late["quote_values"])
    assert all(v < 0 for v in late["quote_values"])


def test_themes_are_the_same_on_every_run():
    signals = corpus_signals()
    pd.testing.assert_frame_equal(compute_pain_points(signals), compute_pain_points(signals))


def test_a_theme_below_min_count_is_dropped():
    themes = compute_pain_points(corpus_signals(), min_count=6)
    assert list(themes["theme"]) == ["late delivery"]


def test_the_rating_given_with_a_comment_decides_whether_it_is_negative():
    rows = [("a", "2024-01-01", "review", 1, "Thanks for nothing, great job"),
            ("b", "2024-01-02", "review", 5, "Thanks, great job"),
            ("c", "2024-01-03", "review", 5, "The wait was terrible but the staff saved the day")]
    signals = compute_signals(dataset(rows, ("customer_id", "timestamp", "event", "score", "text")))
    negative = negative_comments(signals)
    assert list(negative["customer_id"]) == ["a"] and negative.loc[0, "value"] == -1.0


def test_too_few_negative_comments_give_no_themes_rather_than_noise():
    rows = [("a", "2024-01-01", "review", "Awful late delivery")]
    themes = compute_pain_points(compute_signals(dataset(rows, ("customer_id", "timestamp", "event", "text"))))
    assert themes.empty and "theme" in themes.columns


def test_pain_point_parameters_are_checked():
    with pytest.raises(ParameterError, match="n_themes"):
        compute_pain_points(corpus_signals(), n_themes=0)


def test_quotes_can_be_searched_and_filtered_by_sentiment_stage_and_channel():
    signals = corpus_signals()
    found = compute_quotes(signals, query="STAFF")
    assert set(found["text"]) == set(RUDE) | {"Lovely staff, great store"}
    negative = compute_quotes(signals, query="staff", sentiment="negative")
    assert set(negative["text"]) == set(RUDE)
    assert list(negative["value"]) == sorted(negative["value"])
    assert set(compute_quotes(signals, stage="loyalty")["text"]) == set(HAPPY)
    positive = compute_quotes(signals, sentiment="positive", limit=2)
    assert len(positive) == 2 and positive["value"].is_monotonic_decreasing
    assert compute_quotes(signals, channel="web").empty


def test_a_query_is_plain_text_not_a_pattern():
    rows = [("a", "2024-01-01", "review", "Price (with tax) was awful"), ("b", "2024-01-02", "review", "with tax")]
    signals = compute_signals(dataset(rows, ("customer_id", "timestamp", "event", "text")))
    assert list(compute_quotes(signals, query="(with tax)")["customer_id"]) == ["a"]


def test_quotes_refuse_an_unknown_sentiment():
    with pytest.raises(ParameterError, match="'angry'"):
        compute_quotes(corpus_signals(), sentiment="angry")


@pytest.mark.slow
def test_real_airline_complaints_give_readable_themes():
    from tests.helpers import real_file

    raw = pd.read_csv(real_file("airline_tweets.csv"))
    frame = pd.DataFrame({"customer_id": raw["name"].astype(str), "event": "tweet", "text": raw["text"],
                          "timestamp": pd.to_datetime(raw["tweet_created"], format="%Y-%m-%d %H:%M:%S %z", utc=True)})
    themes = compute_pain_points(compute_signals(Dataset.from_events(frame)))
    words = " | ".join(themes["theme"])
    assert len(themes) == 8
    for expected in ("customer service", "cancelled", "bag", "delay", "hold"):
        assert expected in words
    assert (themes["count"] >= 100).all() and themes["share"].sum() < 1


def test_a_comment_given_with_a_score_is_quoted_once_with_the_scores_sentiment():
    rows = [("a", "2024-01-01", "review", 1, "Thanks for nothing, great job"),
            ("b", "2024-01-02", "review", None, "Muy bien, gracias")]
    signals = compute_signals(dataset(rows, ("customer_id", "timestamp", "event", "score", "text")))
    quotes = compute_quotes(signals)
    assert list(quotes["customer_id"]) == ["b", "a"]
    assert list(quotes["source"]) == ["text", "score"] and quotes.loc[1, "label"] == "negative"
    assert pd.isna(quotes.loc[0, "value"])
    assert list(compute_quotes(signals, sentiment="negative")["customer_id"]) == ["a"]


def test_pain_points_can_be_asked_of_the_dataset_directly():
    rows = [(f"c{i}", f"2024-01-{i + 1:02d}", "review", 1, text) for i, text in enumerate(
        ["Delivery was late again", "Late delivery, awful", "The delivery was late", "Rude staff at the desk",
         "Staff were rude to me", "Rude staff, terrible"])]
    log = dataset(rows, ("customer_id", "timestamp", "event", "score", "text"))
    direct = compute_pain_points(log, min_count=2)
    assert len(direct) and direct.equals(compute_pain_points(compute_signals(log), min_count=2))


def test_in_a_shared_scope_the_themes_of_the_same_comments_are_found_once(monkeypatch):
    from cjm import engine
    from cjm.voice import painpoints

    signals = corpus_signals()
    found = []
    original = painpoints._pain_points
    monkeypatch.setattr(painpoints, "_pain_points", lambda *a: found.append(1) or original(*a))
    with engine.shared():
        first = compute_pain_points(signals)
        again = compute_pain_points(signals.copy())  # another caller's copy of the same comments
        fewer = compute_pain_points(signals.iloc[1:])  # other comments: found again
    assert len(found) == 2
    assert again.equals(first) and again is not first
    assert list(first["count"]) == [10, 5] and list(fewer["count"]) == [9, 5]


def test_comments_keep_one_row_per_event_in_time_order_with_the_rating_deciding():
    from cjm.voice.painpoints import comments

    signals = pd.DataFrame({  # row 7 has a rating and a comment (two signals); row 5 a comment only
        "row_id": [7, 5, 7, 9], "source": ["text", "text", "score", "score"], "scored": [True, True, True, True],
        "timestamp": pd.to_datetime(["2024-01-02", "2024-01-01", "2024-01-02", "2024-01-03"], utc=True),
        "text": ["slow", "fine", "slow", None], "value": [-0.3, 0.2, -1.0, 1.0],
    }, index=[30, 31, 32, 33])
    out = comments(signals)
    assert out.index.tolist() == [31, 32]  # row 5 (Jan 1), then row 7 through its rating; row 9 has no comment
    assert out["value"].tolist() == [0.2, -1.0]


def test_each_theme_counts_its_comments_per_stage_where_they_were_written():
    # 10 late-delivery complaints: 7 at purchase (conversion), 3 in support tickets (retention)
    texts = [(t, "buy" if i < 7 else "support") for i, t in enumerate(LATE)] + [(t, "store") for t in RUDE]
    rows = [(f"c{i}", f"2024-01-{i + 1:02d}", event, text) for i, (text, event) in enumerate(texts)]
    data = dataset(rows, ("customer_id", "timestamp", "event", "text"), stages=STAGES)
    themes = compute_pain_points(compute_signals(data), stages=ORDER).set_index("theme")
    assert themes.loc["late delivery", "stage_counts"] == {"conversion": 7, "retention": 3}
    assert themes.loc["rude staff", "stage_counts"] == {"consideration": 5}
    assert sum(themes.loc["late delivery", "stage_counts"].values()) == themes.loc["late delivery", "count"]

    from cjm.maps.current import build_current_map

    jm = build_current_map(data)
    assert jm.cell("pain_points", "conversion").value == "late delivery (7 comments)"
    assert jm.cell("pain_points", "retention").value == "late delivery (3 comments)"  # not the theme's 10


# Portuguese 1-star reviews (the rating decides they are negative; the lexicon need not read them).
NAO_CHEGOU = ["O produto que comprei para minha mãe não chegou", "Comprei para o meu pai e o produto não chegou até hoje",
              "Já faz um mês que paguei e o produto não chegou", "Fiz o pedido para o aniversário e o produto não chegou"]
QUEBRADO = ["A caixa veio com o vidro quebrado, que tristeza", "O vidro veio quebrado e com a caixa amassada",
            "Recebi com o vidro quebrado, não comprem para presente"]


def portuguese_signals():
    texts = NAO_CHEGOU + QUEBRADO
    rows = [(f"c{i}", f"2024-01-{i + 1:02d}", "review", 1, text) for i, text in enumerate(texts)]
    return compute_signals(dataset(rows, ("customer_id", "timestamp", "event", "score", "text")))


def test_portuguese_complaints_are_themed_by_their_words_not_by_portuguese_stop_words():
    themes = compute_pain_points(portuguese_signals(), min_count=3)
    # With English stop words only, "para" and "com" (in 3+ comments each) tied both complaints into one
    # theme "produto não chegou, para, com" of 5 comments.
    assert list(themes["theme"]) == ["produto não chegou", "quebrado, vidro"]  # the negation stays in the phrase
    assert list(themes["count"]) == [4, 3]


def test_english_comments_keep_the_english_stop_words_and_a_language_under_5_percent_adds_none():
    english = LATE * 2 + RUDE * 2  # 30 English comments, 1 Spanish: 3.2%
    stop, negations = stop_words_for(english + ["El pedido llegó tarde otra vez y nadie responde"])
    assert stop == STOP_WORDS and negations == NEGATIONS
    stop, negations = stop_words_for(english[:15] + ["El pedido llegó tarde otra vez y nadie responde"])  # 6.3%
    assert {"el", "otra", "y"} <= set(stop) and {"no", "nadie", "nunca"} <= negations
    assert not {"no", "nadie", "nunca"} & set(stop)
