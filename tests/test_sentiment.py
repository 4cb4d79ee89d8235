"""Sentiment signals, scales, NPS / CSAT and aggregation (DESIGN.md section 4)."""

import json
import math

import pandas as pd
import pytest
from scipy import stats

from cjm.report.sections import sentiment_section
from cjm import engine
from cjm.errors import InsufficientDataError, ParameterError
from cjm.voice.sentiment import (
    SentimentParams,
    as_signals,
    compute_facets,
    compute_overall,
    compute_sentiment_by,
    compute_signals,
    resolve_scale,
    suggest_period,
)
from cjm.data.dataset import Dataset
from tests.helpers import dataset

COLUMNS = ("customer_id", "timestamp", "event", "score")
STAGES = {"view": "awareness", "cart": "consideration", "buy": "conversion", "survey": "retention"}
FIVE = ("awareness", "consideration", "conversion", "retention", "loyalty")


def scores_log(values, *, event="survey"):
    return dataset([(f"c{i}", f"2024-01-{i % 28 + 1:02d}", event, v) for i, v in enumerate(values)],
                   COLUMNS, stages=STAGES)


def score_values(values, scale):
    signals = compute_signals(scores_log(values), params=SentimentParams(score_scale=scale))
    return list(signals.sort_values("row_id")["value"])


def test_a_rating_of_1_to_5_maps_to_minus_one_to_plus_one():
    assert score_values([1, 2, 3, 4, 5], "rating5") == [-1.0, -0.5, 0.0, 0.5, 1.0]


def test_an_nps_answer_of_0_to_10_maps_as_s_minus_5_over_5():
    assert score_values([0, 5, 6, 9, 10], "nps10") == [-1.0, 0.0, 0.2, 0.8, 1.0]


def test_a_ces_answer_of_1_to_7_maps_as_s_minus_4_over_3():
    assert score_values([1, 4, 7], "ces7") == pytest.approx([-1.0, 0.0, 1.0])
    assert score_values([2], "ces7") == pytest.approx([-2 / 3])


def test_nps_labels_follow_the_survey_classes_detractor_passive_promoter():
    signals = compute_signals(scores_log([0, 6, 7, 8, 9, 10]), params=SentimentParams(score_scale="nps10"))
    labels = list(signals.sort_values("row_id")["label"])
    assert labels == ["negative", "negative", "neutral", "neutral", "positive", "positive"]


def test_auto_scale_reads_1_to_5_as_ratings_and_up_to_10_as_nps():
    assert resolve_scale("auto", 1, 5) == "rating5"
    assert resolve_scale("auto", 0, 10) == "nps10"
    assert resolve_scale("auto", 3, 8) == "nps10"
    with pytest.raises(ParameterError, match="0 to 100"):
        resolve_scale("auto", 0, 100)


def test_a_score_outside_the_chosen_scale_is_refused_with_the_value_quoted():
    with pytest.raises(ParameterError, match="holds 9"):
        compute_signals(scores_log([1, 9]), params=SentimentParams(score_scale="rating5"))


def test_unknown_parameters_are_refused_naming_the_bad_value():
    with pytest.raises(ParameterError, match="'stars'"):
        SentimentParams(score_scale="stars")
    with pytest.raises(ParameterError, match="1.5"):
        SentimentParams(neutral_band=1.5)
    with pytest.raises(ParameterError, match="'bert'"):
        SentimentParams(text_scorer="bert")


def test_nps_is_percent_promoters_minus_percent_detractors():
    # 10 answers: 4 promoters (9, 9, 10, 10), 3 passives (7, 8, 8), 3 detractors (0, 5, 6) -> 40 - 30 = 10
    signals = compute_signals(scores_log([9, 9, 10, 10, 7, 8, 8, 0, 5, 6]))
    overall = compute_overall(signals)
    assert overall["nps"] == pytest.approx(10.0)
    assert overall["csat"] is None


def test_csat_is_the_share_of_4_and_5_on_a_1_to_5_scale():
    signals = compute_signals(scores_log([5, 4, 4, 3, 1]))
    overall = compute_overall(signals)
    assert overall["csat"] == pytest.approx(0.6)
    assert overall["nps"] is None
    assert overall["n"] == 5
    assert overall["mean"] == pytest.approx((1 + 0.5 + 0.5 + 0 - 1) / 5)


def test_the_confidence_interval_is_the_95_percent_t_interval():
    values = [4, 4, 3, 5, 4, 3]
    by = compute_sentiment_by(compute_signals(scores_log(values)), by="event")
    scaled = pd.Series([(v - 3) / 2 for v in values])
    half = stats.t.ppf(0.975, 5) * scaled.std() / math.sqrt(6)
    row = by.iloc[0]
    assert row["n"] == 6
    assert row["ci_low"] == pytest.approx(scaled.mean() - half)
    assert row["ci_high"] == pytest.approx(scaled.mean() + half)


def test_the_confidence_interval_is_clipped_to_the_sentiment_scale():
    by = compute_sentiment_by(compute_signals(scores_log([5, 4, 2, 1, 3, 5])), by="event")
    assert by.loc[0, "ci_high"] == 1.0 and by.loc[0, "ci_low"] > -1.0


def test_a_single_response_has_no_confidence_interval():
    by = compute_sentiment_by(compute_signals(scores_log([4])), by="event")
    assert by.loc[0, "n"] == 1 and pd.isna(by.loc[0, "ci_low"]) and pd.isna(by.loc[0, "ci_high"])


def test_the_emotion_curve_lists_every_stage_in_journey_order_with_unmapped_last():
    rows = [("a", "2024-01-01", "survey", 5), ("b", "2024-01-01", "view", 1), ("c", "2024-01-02", "other", 3),
            ("d", "2024-01-03", "cart", 4), ("e", "2024-01-04", "view", 2)]
    signals = compute_signals(dataset(rows, COLUMNS, stages=STAGES))
    curve = compute_sentiment_by(signals, by="stage", stages=FIVE)
    assert list(curve["group"]) == [*FIVE, "unmapped"]
    assert list(curve["n"]) == [2, 1, 0, 1, 0, 1]
    assert curve.loc[0, "mean"] == pytest.approx(-0.75)
    assert pd.isna(curve.loc[2, "mean"])


def test_sentiment_by_period_buckets_by_month_start():
    rows = [("a", "2024-01-05", "survey", 5), ("b", "2024-01-31", "survey", 1), ("c", "2024-03-02", "survey", 4)]
    by = compute_sentiment_by(compute_signals(dataset(rows, COLUMNS)), by="period", period="month")
    assert list(by["group"]) == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-01")]
    assert list(by["n"]) == [2, 1]
    assert list(by["mean"]) == [0.0, 0.5]


def test_a_missing_channel_is_grouped_as_not_set_rather_than_dropped():
    rows = [("a", "2024-01-01", "survey", 5, "web"), ("b", "2024-01-02", "survey", 1, None)]
    signals = compute_signals(dataset(rows, (*COLUMNS, "channel")))
    by = compute_sentiment_by(signals, by="channel")
    assert dict(zip(by["group"], by["n"])) == {"(not set)": 1, "web": 1}


def test_sentiment_by_segment_uses_the_segment_column_of_the_customers_table():
    rows = [("a", "2024-01-01", "survey", 5), ("b", "2024-01-02", "survey", 1), ("c", "2024-01-03", "survey", 2)]
    customers = engine.register(pd.DataFrame({"customer_id": ["a", "b", "c"], "segment": ["gold", "basic", "basic"]}))
    signals = compute_signals(dataset(rows, COLUMNS, customers=customers))
    by = compute_sentiment_by(signals, by="segment")
    assert dict(zip(by["group"], by["mean"])) == {"basic": -0.75, "gold": 1.0}


def test_sentiment_by_segment_without_segments_names_the_missing_column():
    signals = compute_signals(scores_log([4]))
    with pytest.raises(InsufficientDataError, match="'segment'"):
        compute_sentiment_by(signals, by="segment")


def test_text_in_another_language_is_unscored_and_not_averaged_as_neutral():
    rows = [("a", "2024-01-01", "survey", "I love this shop, great service"),
            ("b", "2024-01-02", "survey", "El servicio fue muy malo y el pedido llegó tarde")]
    signals = compute_signals(dataset(rows, ("customer_id", "timestamp", "event", "text")))
    spanish = signals[signals["customer_id"] == "b"].iloc[0]
    assert not spanish["scored"] and pd.isna(spanish["value"]) and spanish["language"] == "es"
    overall = compute_overall(signals)
    assert overall["n"] == 1 and overall["unscored"] == 1 and overall["mean"] > 0.5


def test_an_event_with_a_score_and_a_text_gives_two_signals():
    rows = [("a", "2024-01-01", "survey", 2, "Terrible service, I am angry")]
    signals = compute_signals(dataset(rows, (*COLUMNS, "text")))
    assert sorted(signals["source"]) == ["score", "text"]
    assert (signals["value"] < 0).all()


def test_repeated_texts_are_joined_back_to_every_event_that_wrote_them():
    rows = [(f"c{i}", f"2024-01-0{i + 1}", "survey", "Awful delay") for i in range(4)]
    signals = compute_signals(dataset(rows, ("customer_id", "timestamp", "event", "text")))
    assert len(signals) == 4 and signals["value"].nunique() == 1 and list(signals["row_id"]) == [0, 1, 2, 3]


def test_no_score_and_no_text_raises_naming_both_columns():
    with pytest.raises(InsufficientDataError, match="'score'.*'text'"):
        compute_signals(dataset([("a", "2024-01-01", "view")]))


def test_signals_are_the_same_on_every_run():
    rows = [(f"c{i}", f"2024-01-0{i % 9 + 1}", "survey", i % 5 + 1, t)
            for i, t in enumerate(["good", "bad", None, "great stuff", "awful", "ok", "bad"])]
    first = compute_signals(dataset(rows, (*COLUMNS, "text")))
    second = compute_signals(dataset(rows, (*COLUMNS, "text")))
    pd.testing.assert_frame_equal(first, second)


def test_report_section_gives_plain_json_with_sentiment_pain_points_and_at_risk():
    complaints = ["Late delivery again, terrible", "Awful late delivery", "Late delivery, angry and upset",
                  "Horrible late delivery, never again"]
    rows = [(f"c{i}", f"2024-01-{i + 1:02d}", "buy", 1 + i % 5, complaints[i % 4]) for i in range(12)]
    section = sentiment_section(dataset(rows, (*COLUMNS, "text"), stages=STAGES))
    json.dumps(section)
    assert set(section) >= {"sentiment", "pain_points", "at_risk"}
    assert list(section["sentiment"]["by_stage"]) == [*FIVE]
    assert section["sentiment"]["by_stage"]["conversion"]["n"] == 24
    assert section["pain_points"][0]["theme"] == "late delivery"
    assert section["pain_points"][0]["quote"] in complaints
    assert set(section["at_risk"]) == {"count", "top"}


def test_report_section_without_feedback_skips_sentiment_and_says_why():
    section = sentiment_section(dataset([("a", "2024-01-01", "view")]))
    assert "sentiment" not in section and "'score'" in section["skipped"]["sentiment"]
    assert "at_risk" in section


def test_real_airline_tweets_are_mostly_scored_as_english(tmp_path):
    from tests.helpers import real_file

    raw = pd.read_csv(real_file("airline_tweets.csv")).head(2000)
    frame = pd.DataFrame({"customer_id": raw["name"].astype(str), "event": "tweet", "text": raw["text"],
                          "timestamp": pd.to_datetime(raw["tweet_created"], format="%Y-%m-%d %H:%M:%S %z", utc=True)})
    signals = compute_signals(Dataset.from_events(frame))
    assert len(signals) == 2000
    assert signals["scored"].mean() > 0.97
    human = raw["airline_sentiment"].to_numpy()[signals["row_id"]]
    by_label = signals.assign(human=human).groupby("human")["value"].mean()
    assert by_label["negative"] < by_label["neutral"] < by_label["positive"]


def test_scores_are_described_as_the_customer_gave_them():
    from cjm.voice.sentiment import describe_scores

    words = describe_scores(pd.Series([2.0, 6.0, 3.0, 4.5, None]),
                            pd.Series(["rating5", "nps10", "ces7", None, "rating5"], dtype="object"))
    assert list(words[:4]) == ["rating 2/5", "NPS 6/10", "effort 3/7", "score 4.5"] and pd.isna(words[4])


def test_nps_and_csat_come_with_the_number_of_answers_behind_them():
    assert compute_overall(compute_signals(scores_log([9, 9, 10, 0, 5])))["nps_n"] == 5
    overall = compute_overall(compute_signals(scores_log([5, 4, 1])))
    assert (overall["csat_n"], overall["nps_n"], overall["scale"], overall["scores"]) == (3, 0, "rating5", 3)


def test_unscored_comments_are_counted_by_language_most_first():
    rows = [("a", "2024-01-01", "review", "El servicio fue muy malo y lento"),
            ("b", "2024-01-02", "review", "El pedido llegó tarde y nadie contestó"),
            ("c", "2024-01-03", "review", "Le vol était en retard et très long"),
            ("d", "2024-01-04", "review", "Lovely staff, thank you so much")]
    overall = compute_overall(compute_signals(dataset(rows, ("customer_id", "timestamp", "event", "text"))))
    assert overall["unscored"] == 3 and overall["unscored_languages"] == {"es": 2, "fr": 1}
    assert overall["n"] == 1 and overall["texts"] == 4


def test_facets_list_the_stages_and_channels_with_comments_in_stage_order():
    rows = [("a", "2024-01-01", "survey", "web", "Great"), ("b", "2024-01-02", "view", "app", "Awful"),
            ("c", "2024-01-03", "buy", None, None)]
    signals = compute_signals(dataset(rows, ("customer_id", "timestamp", "event", "channel", "text"), stages=STAGES))
    facets = compute_facets(signals, stages=FIVE)
    assert facets["comment_stages"] == ["awareness", "retention"] and facets["comment_channels"] == ["app", "web"]
    assert facets["events"] == ["survey", "view"] and facets["segments"] is False and facets["period"] == "day"
    assert facets["dated"] is True


def test_the_suggested_period_keeps_a_trend_readable():
    assert [suggest_period("2024-01-01", end) for end in ("2024-01-20", "2024-05-01", "2025-06-01", "2029-01-01")] \
        == ["day", "week", "month", "quarter"]


def test_the_dataset_can_stand_in_for_its_signals():
    log = scores_log([1, 5])
    signals = compute_signals(log)
    assert as_signals(signals) is signals
    assert as_signals(log).equals(signals)


def test_in_a_shared_scope_the_signals_of_the_same_events_are_read_once():
    rows = [("a", "2024-01-01", "review", 2.0, "Late again"), ("b", "2024-01-02", "review", 5.0, None)]
    ds = dataset(rows, ("customer_id", "timestamp", "event", "score", "text"))
    backend = engine.backend_of(ds.events)
    queries = []
    original = backend.execute
    backend.execute = lambda expr: queries.append(expr) or original(expr)
    with engine.shared():
        first = compute_signals(ds)
        asked = len(queries)
        second = compute_signals(ds)
    assert len(queries) == asked and asked > 0
    assert second.equals(first) and second is not first
    assert first["source"].tolist() == ["score", "text", "score"]
