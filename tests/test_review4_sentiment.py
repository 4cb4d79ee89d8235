"""Review 4, sentiment labels and the polarity scale, against hand-computed figures.

Reference values (DESIGN.md section 4 and cjm/voice/sentiment.py's scale table): labels negative / neutral /
positive are -1 / 0 / +1 on the polarity scale, whose labels are <= -0.05 negative, >= +0.05 positive;
a polarity score is the comment's one signal (the text model does not add another), a rating adds a
second signal to its comment's text. VADER's compound score of one lexicon word of valence v is
v / sqrt(v^2 + 15): "great" (3.1) = 0.6249, "awful" (-2.0) = -0.4588, "I love it" (love 3.2) = 0.6369.
"""

import math

import pandas as pd
import pytest

from cjm.customers.features import compute_customer_features
from cjm.data.columns import suggest_mapping
from cjm.data.dataset import load_dataset
from cjm.data.filters import Filters
from cjm.data.labels import SAMPLE, label_values
from cjm.maps.current import build_current_map
from cjm.voice.sentiment import compute_overall, compute_sentiment_by, compute_signals
from tests.helpers import dataset

GREAT, AWFUL, LOVE = 3.1 / math.sqrt(3.1**2 + 15), -2.0 / math.sqrt(2.0**2 + 15), 3.2 / math.sqrt(3.2**2 + 15)


def _load(tmp_path, text, name="export.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_dataset([path])


def _by_stage(signals, data):
    return compute_sentiment_by(signals, by="stage", stages=data.stages).set_index("group")


def test_capitalised_labels_and_short_forms_read_as_minus_one_zero_plus_one():
    values, bad = label_values(pd.Series(["Positive", "NEGATIVE", "Neutral", " pos ", "NEG", "Neu"]))
    assert values.tolist() == [1.0, -1.0, 0.0, 1.0, -1.0, 0.0]
    assert not bad.any()


def test_a_column_is_read_as_labels_from_95_percent_of_its_present_cells():
    # 100 present cells (and 50 "n/a", missing, not counted): k labels + (100 - k) words that are no label
    for k, expected in ((94, None), (95, 5), (96, 4)):
        read = label_values(pd.Series(["positive"] * k + ["great"] * (100 - k) + ["n/a"] * 50))
        if expected is None:
            assert read is None  # 94 / 100 < 95%
        else:
            values, bad = read
            assert int(bad.sum()) == expected  # the non-labels are unreadable cells, the "n/a" are missing
            assert values.sum() == k


def test_missing_value_tokens_are_missing_labels_not_unreadable_cells(tmp_path):
    # 30 negative, 1 positive, 1 "mixed" (present, not a label), "NA" and "N/A" (missing)
    rows = ["a,2024-01-01,NA", "b,2024-01-02,N/A", "c,2024-01-03,positive", "d,2024-01-04,mixed"]
    rows += [f"e{i},2024-01-05,negative" for i in range(30)]
    data = _load(tmp_path, "user,created,sentiment\n" + "\n".join(rows) + "\n")
    assert data.score_scale == "polarity"
    assert data.files[0].unreadable == {"sentiment": 1}  # "mixed" only
    overall = compute_overall(compute_signals(data))
    assert overall["n"] == 31  # 30 + 1 labels; NA, N/A and mixed give no signal
    assert overall["mean"] == pytest.approx((1 - 30) / 31)


def test_labels_replace_the_text_model_and_a_missing_label_leaves_the_text_as_the_signal(tmp_path):
    # a: Positive, no comment -> +1 (consideration)   b: NEGATIVE "awful" -> -1, not -0.4588 too (consideration)
    # c: neutral "great" -> 0 (conversion)              d: NA "I love it" -> text 0.6369 (conversion)
    data = _load(tmp_path, "user,created,event,sentiment,comment\n"
                           "a,2024-01-01 10:00,page_view,Positive,\n"
                           "b,2024-01-01 11:00,page_view,NEGATIVE,awful\n"
                           "c,2024-01-02 10:00,purchase,neutral,great\n"
                           "d,2024-01-02 11:00,purchase,NA,I love it\n")
    signals = compute_signals(data)
    assert len(signals) == 4  # one signal per event
    overall = compute_overall(signals)
    assert overall["mean"] == pytest.approx((1 - 1 + 0 + LOVE) / 4, abs=1e-4)  # 0.1592
    assert (overall["scores"], overall["texts"]) == (3, 1)
    stage = _by_stage(signals, data)
    assert stage.loc["consideration", "n"] == 2 and stage.loc["consideration", "mean"] == pytest.approx(0.0)
    assert stage.loc["consideration", "negative_share"] == pytest.approx(1 / 2)
    assert stage.loc["conversion", "mean"] == pytest.approx((0 + LOVE) / 2, abs=1e-4)  # 0.3185
    assert stage.loc["conversion", "negative_share"] == pytest.approx(0.0)


def test_a_rating_adds_a_second_signal_to_its_comment(tmp_path):
    # a: 5 "awful" -> +1 and -0.4588     b: 1 -> -1     c: "great" -> 0.6249     d: 3 -> 0
    # 5 signals, mean (1 - 0.4588 - 1 + 0.6249 + 0) / 5 = 0.0332; negative: awful, rating 1 = 2 / 5;
    # CSAT over the 3 ratings: one of 4-5 = 1/3
    data = _load(tmp_path, "user,created,event,rating,comment\n"
                           "a,2024-01-01 10:00,purchase,5,awful\n"
                           "b,2024-01-01 11:00,purchase,1,\n"
                           "c,2024-01-02 10:00,purchase,,great\n"
                           "d,2024-01-02 11:00,purchase,3,\n")
    signals = compute_signals(data)
    overall = compute_overall(signals)
    assert overall["n"] == 5 and overall["scale"] == "rating5"
    assert overall["mean"] == pytest.approx((1 + AWFUL - 1 + GREAT + 0) / 5, abs=1e-4)
    assert overall["csat"] == pytest.approx(1 / 3)
    stage = _by_stage(signals, data)
    assert stage.loc["conversion", "negative_share"] == pytest.approx(2 / 5)


def test_all_neutral_labels_give_a_mean_of_zero_and_no_negative_share(tmp_path):
    rows = [f"c{i},2024-01-0{i + 1} 10:00,page_view,neutral" for i in range(5)]
    data = _load(tmp_path, "user,created,event,sentiment\n" + "\n".join(rows) + "\n")
    signals = compute_signals(data)
    overall = compute_overall(signals)
    assert (overall["n"], overall["mean"], overall["scale"]) == (5, 0.0, "polarity")
    assert signals["label"].tolist() == ["neutral"] * 5
    assert _by_stage(signals, data).loc["consideration", "negative_share"] == 0.0


def test_polarity_numbers_are_negative_from_minus_0_05_and_positive_from_plus_0_05(tmp_path):
    # -1, -0.05 negative; -0.04, 0, 0.04 neutral; 0.05, 1 positive; mean 0 / 7; negative share 2 / 7
    values = [-1, -0.05, -0.04, 0, 0.04, 0.05, 1]
    rows = [f"c{i},2024-01-0{i + 1} 10:00,purchase,{v},comment {i}" for i, v in enumerate(values)]
    data = _load(tmp_path, "user,created,event,polarity,text\n" + "\n".join(rows) + "\n")
    assert data.files[0].mapping.columns["score"] == "polarity"
    signals = compute_signals(data)
    assert len(signals) == 7  # the polarity is each comment's one signal: no text signal beside it
    assert signals["label"].tolist() == ["negative"] * 2 + ["neutral"] * 3 + ["positive"] * 2
    assert compute_overall(signals)["mean"] == pytest.approx(0.0)
    assert _by_stage(signals, data).loc["conversion", "negative_share"] == pytest.approx(2 / 7)


def test_only_positive_labels_give_each_customer_a_mean_sentiment_of_plus_one(tmp_path):
    # "positive" = +1 on the polarity scale; read as a 1..5 rating of 1 it would be (1 - 3) / 2 = -1
    rows = [f"c{i % 2},2024-01-0{i + 1} 10:00,purchase,positive" for i in range(4)]
    data = _load(tmp_path, "user,created,event,sentiment\n" + "\n".join(rows) + "\n")
    features = compute_customer_features(data)
    assert "mean_sentiment" not in features  # +1 for both customers: a constant, dropped as such
    assert features.attrs["constant"]["mean_sentiment"] == pytest.approx(1.0)


def test_label_and_polarity_columns_are_suggested_as_the_score_but_confidences_and_free_text_are_not():
    ids = {"user": ["a", "b", "c"], "created": ["2024-01-01"] * 3}
    assert suggest_mapping(pd.DataFrame({**ids, "Review Polarity": ["pos", "neg", "neu"]})).columns["score"] \
        == "Review Polarity"
    assert suggest_mapping(pd.DataFrame({**ids, "sentiment_score": [-0.4, 0.2, 0.9]})).columns["score"] \
        == "sentiment_score"
    confidence = pd.DataFrame({**ids, "airline_sentiment_confidence": [0.3, 0.5, 1.0]})
    assert "score" not in suggest_mapping(confidence).columns
    words = pd.DataFrame({**ids, "sentiment": ["I liked it", "meh, slow", "great app"]})
    assert "score" not in suggest_mapping(words).columns


def test_a_long_label_column_whose_first_20000_rows_are_empty_is_read_whole():
    values = pd.Series([None] * SAMPLE + ["positive"] * 10 + ["negative"] * 5)
    read, bad = label_values(values)
    assert read.sum() == 10 - 5 and not bad.any()


def test_a_long_rating_column_is_not_read_as_labels():
    assert label_values(pd.Series(["4", "5", "1"] * (SAMPLE // 3 + 10))) is None


def test_one_stray_word_among_the_few_filled_first_rows_does_not_decide_a_long_label_column():
    # 19,999 empty rows, one "mixed", then 30,000 labels: 30,000 / 30,001 present cells are labels (>= 95%);
    # the first 20,000 rows hold a single present cell, too few to tell the column by
    values = pd.Series([None] * (SAMPLE - 1) + ["mixed"] + ["positive"] * 30_000)
    read = label_values(values)
    assert read is not None
    assert read[0].sum() == 30_000 and int(read[1].sum()) == 1


def test_a_labels_file_and_a_ratings_file_loaded_together_are_each_read_on_their_own_scale(tmp_path):
    labels = tmp_path / "tweets.csv"
    labels.write_text("user,created,sentiment\na,2024-01-01,positive\nb,2024-01-02,negative\n"
                      "c,2024-01-03,negative\n", encoding="utf-8")
    ratings = tmp_path / "survey.csv"
    ratings.write_text("user,created,rating\nx,2024-02-01,5\ny,2024-02-02,4\n", encoding="utf-8")
    overall = compute_overall(compute_signals(load_dataset([labels, ratings])))
    # labels +1, -1, -1; ratings (5-3)/2 = 1, (4-3)/2 = 0.5: mean 0.5 / 5 = 0.1
    assert overall["mean"] == pytest.approx(0.1)


def test_a_filter_keeping_part_of_a_polarity_range_still_reads_it_as_polarity(tmp_path):
    # numbers -1 / 0 / +1 in a "polarity" column: the whole data (-1..+1) is polarity. The app channel holds
    # b's +1, +1 and c's +1, 0: mean 3 / 4 = 0.75 (its own range 0..1 matched no scale: an error)
    data = _load(tmp_path, "user,created,event,polarity,channel\n"
                           "a,2024-01-01 10:00,page_view,-1,web\na,2024-01-02 10:00,purchase,-1,web\n"
                           "b,2024-01-01 10:00,page_view,1,app\nb,2024-01-02 10:00,purchase,1,app\n"
                           "c,2024-01-01 11:00,page_view,1,app\nc,2024-01-02 11:00,purchase,0,app\n")
    view = data.filtered(Filters(channels=("app",)))
    overall = compute_overall(compute_signals(view))
    assert (overall["scale"], overall["mean"]) == ("polarity", pytest.approx(0.75))
    features = compute_customer_features(view).set_index("customer_id")
    assert features.loc["b", "mean_sentiment"] == 1.0 and features.loc["c", "mean_sentiment"] == 0.5


def test_a_segment_map_of_only_positive_polarity_scores_shows_plus_one():
    # a: -1, b: +1 twice; segment "happy" = b. Read by its own range (1..1) as a 1-star rating: (1 - 3) / 2 = -1
    rows = [("a", "2024-01-01 10:00", "page_view", -1.0), ("b", "2024-01-01 10:00", "page_view", 1.0),
            ("b", "2024-01-02 10:00", "purchase", 1.0)]
    data = dataset(rows, ("customer_id", "timestamp", "event", "score"),
                   stages={"page_view": "consideration", "purchase": "conversion"},
                   customers=pd.DataFrame({"customer_id": ["a", "b"], "segment": ["unhappy", "happy"]}))
    jm = build_current_map(data, segment="happy")
    assert jm.cell("emotions", "consideration").number == 1.0
    assert jm.cell("emotions", "conversion").number == 1.0


def test_a_filter_keeping_nps_answers_of_2_to_5_reads_them_as_nps_not_ratings(tmp_path):
    # the whole data runs 2..10: NPS. The app channel's 2 and 5 are detractors: (2 - 5) / 5 = -0.6 and 0,
    # mean -0.3, NPS 0% promoters - 100% detractors = -100; read as 1..5 ratings: mean 0.25 and a CSAT of 50%
    data = _load(tmp_path, "user,created,event,nps,channel\n"
                           "a,2024-01-01,survey,9,web\na,2024-01-02,survey,10,web\n"
                           "b,2024-01-01,survey,2,app\nb,2024-01-02,survey,5,app\n")
    overall = compute_overall(compute_signals(data.filtered(Filters(channels=("app",)))))
    assert overall["scale"] == "nps10" and overall["mean"] == pytest.approx(-0.3)
    assert overall["nps"] == pytest.approx(-100.0) and overall["csat"] is None
