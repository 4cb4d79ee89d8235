"""A satisfaction question answered on 0..10 (or 1..10) is no NPS: only the recommend question gives one. Its answers go
on the -1..+1 sentiment scale as any 0..10 answer does ((s - 5) / 5, 0-4 negative, 5 neutral, 6-10 positive), and no NPS
is counted from them; on upload and read in place alike. Expected values worked out by hand."""

from __future__ import annotations

import pytest

from cjm import report
from cjm.data.columns import suggest_mapping
from cjm.data.dataset import build_dataset
from cjm.data.source import dataset_from_files
from tests.helpers import parsed_text as load

import pandas as pd


def survey(question: str, answers) -> str:
    return f"ResponseId,RecordedDate,{question}\n" + "".join(
        f"R_{i},2024-01-{1 + i:02d},{a}\n" for i, a in enumerate(answers))


def test_a_column_asking_how_satisfied_is_read_as_the_score():
    for question in ("Overall satisfaction (1-10)", "How satisfied were you with your visit?", "Zufriedenheit"):
        frame = pd.DataFrame({"customer_id": ["a", "b"], "timestamp": ["2024-01-01", "2024-01-02"],
                              question: ["3", "9"]})
        assert suggest_mapping(frame).columns["score"] == question


def test_a_satisfaction_question_answered_up_to_10_gives_sentiment_and_no_nps():
    # 2, 5, 9, 10 on -1..+1: -0.6, 0, 0.8, 1; mean 1.2 / 4 = 0.3. Labels: negative, neutral, positive, positive.
    # As NPS (before) it read detractors 2 and 5, promoters 9 and 10: NPS 0 of a question that asks no recommendation.
    parsed = load(survey("How satisfied were you? (1-10)", [2, 5, 9, 10]))
    assert parsed.score_scale == "sat10"
    sentiment = report.build_report(build_dataset(parsed))["sentiment"]
    overall = sentiment["overall"]
    assert overall["scale"] == "sat10" and overall["n"] == 4
    assert overall["mean"] == pytest.approx(0.3)
    assert overall["nps"] is None and overall["nps_n"] == 0 and overall["csat"] is None


def test_a_satisfaction_column_answered_within_1_to_5_stays_a_csat_rating():
    # 1, 4, 5: a 1..5 satisfaction rating; CSAT = 4-5 answers 2 of 3.
    parsed = load(survey("Satisfaction", [1, 4, 5]))
    overall = report.build_report(build_dataset(parsed))["sentiment"]["overall"]
    assert overall["scale"] == "rating5" and overall["csat"] == pytest.approx(2 / 3)


def test_the_recommend_question_is_still_nps():
    # 10, 9, 7, 3: promoters 2, detractors 1 of 4: NPS 25.
    parsed = load(survey("How likely are you to recommend us to a friend?", [10, 9, 7, 3]))
    overall = report.build_report(build_dataset(parsed))["sentiment"]["overall"]
    assert overall["scale"] == "nps10" and overall["nps"] == pytest.approx(25.0)


def test_a_satisfaction_question_read_in_place_gives_no_nps_either(tmp_path):
    # The same answers as uploaded: sat10, mean 0.3, no NPS.
    path = tmp_path / "survey.csv"
    path.write_text(survey("How satisfied were you? (1-10)", [2, 5, 9, 10]))
    dataset = dataset_from_files(str(path))
    assert dataset.score_scale == "sat10"
    assert any("satisfaction 0-10" in note for note in dataset.files[0].notes)
    overall = report.build_report(dataset)["sentiment"]["overall"]
    assert overall["scale"] == "sat10" and overall["mean"] == pytest.approx(0.3) and overall["nps"] is None


def test_an_effort_question_read_in_place_is_read_on_its_1_to_7_scale(tmp_path):
    # 'CES' 1..7 named for its survey: on an upload ces7; in place it was read by its range as NPS 0..10 before.
    # 1, 4, 7 on -1..+1: (s - 4) / 3 = -1, 0, 1; mean 0.
    path = tmp_path / "effort.csv"
    path.write_text(survey("CES", [1, 4, 7]))
    dataset = dataset_from_files(str(path))
    assert dataset.score_scale == "ces7"
    overall = report.build_report(dataset)["sentiment"]["overall"]
    assert overall["scale"] == "ces7" and overall["mean"] == pytest.approx(0.0) and overall["nps"] is None
