"""A half-star rating column (0.5..5 in steps of 0.5, Letterboxd's) is read on its own scale: 0.5 is -1, 2.75 neutral,
5 is +1; a lone 0.5 among whole stars is still an answer outside 1..5. Expected values worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import report
from cjm.data.dataset import build_dataset
from cjm.data.scores import half_stars
from tests.helpers import parsed_rows as rows, parsed_text as load

HALVES = [5, 4.5, 4, 3.5, 3, 2.5, 2, 1.5, 1]


def survey(answers) -> str:
    return "ResponseId,RecordedDate,rating\n" + "".join(
        f"R_{i},2024-01-{1 + i % 28:02d},{a}\n" for i, a in enumerate(answers))


def test_half_stars_need_a_half_between_whole_stars():
    assert half_stars(pd.Series([0.5, 1.5, 5.0]))
    assert not half_stars(pd.Series([0.5, 1, 2, 3, 4, 5]))  # a lone 0.5 among whole stars
    assert not half_stars(pd.Series([1.5, 2.25, 5.0]))  # a quarter is no half star
    assert not half_stars(pd.Series([1.5, 6.0]))  # above 5


def test_a_half_star_survey_is_read_on_the_half_star_scale():
    # 12 x (5 + 4.5 + ... + 1) = 12 x 27 = 324, plus 0.5: 324.5 over 109 answers; on -1..+1 each is (r - 2.75) / 2.25,
    # so the mean is (324.5 / 109 - 2.75) / 2.25 = 24.75 / 245.25 = 0.100917...
    parsed = load(survey(HALVES * 12 + [0.5]))
    assert rows(parsed)["score"].min() == 0.5 and parsed.score_scale == "halfstar5"
    overall = report.build_report(build_dataset(parsed))["sentiment"]["overall"]
    assert overall["scale"] == "halfstar5" and overall["mean"] == pytest.approx(24.75 / 245.25)


def test_a_lone_half_among_whole_stars_is_still_left_empty():
    # 108 whole-star answers and one 0.5 (under 1%): outside 1..5, left empty as before
    parsed = load(survey([5, 4, 3, 2, 1, 5, 4, 3, 2] * 12 + [0.5]))
    assert rows(parsed)["score"].notna().sum() == 108 and parsed.score_scale is None
