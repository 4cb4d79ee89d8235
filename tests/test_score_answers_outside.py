"""A few answers outside the range of all the others are left empty at load (cjm.data.scores), so they cannot
stop the whole sentiment analysis; the rows stay. Expected values worked out by hand."""

import numpy as np
import pandas as pd

from cjm.data.scores import outside_answers, outside_note
from tests.helpers import parsed_rows as rows, parsed_text as load


def answers(values):
    return pd.Series(values, dtype="float64")


def test_an_nps_answer_of_11_is_left_empty_and_the_note_names_it():
    scores = answers([10, 9, 11, 3, np.nan, 0])
    mask, bounds = outside_answers(scores, "NPS")
    assert mask.tolist() == [False, False, True, False, False, False] and bounds == (0.0, 10.0)
    assert outside_note("NPS", scores, mask, bounds) == (
        "1 answer in 'NPS' is outside 0..10, the range of all the others (11), and was left empty; the rows are kept.")


def test_an_nps_column_mostly_outside_0_to_10_is_not_answers_and_is_left_alone():
    # NPS results per team (-100..+100), not answers: 3 of 4 outside 0..10
    mask, bounds = outside_answers(answers([-20, 35, 60, 5]), "nps")
    assert not mask.any() and bounds is None


def test_one_zero_among_a_hundred_and_fifty_star_ratings_is_left_empty():
    scores = answers([5, 4, 3, 2, 1] * 30 + [0])
    mask, bounds = outside_answers(scores, "rating")
    assert int(mask.sum()) == 1 and mask.iloc[-1] and bounds == (1.0, 5.0)


def test_ratings_with_many_zeros_are_left_for_the_user_to_tell():
    # 10 of 60 are 0: no range holds 99% of them but 0..10, which holds them all
    mask, bounds = outside_answers(answers([0] * 10 + [1, 2, 3, 4, 5] * 10), "rating")
    assert not mask.any() and bounds is None


def test_points_out_of_100_are_left_as_they_are():
    mask, bounds = outside_answers(answers(list(range(0, 101, 5))), "score")
    assert not mask.any() and bounds is None


def test_answers_all_inside_one_range_are_untouched():
    for values in ([1, 5, 3], [0, 10, 7], [-1, 0, 1], [1, 7, 4]):
        mask, bounds = outside_answers(answers(values), "score")
        assert not mask.any() and bounds is None


def test_the_loaded_rows_keep_the_row_with_the_answer_left_empty():
    parsed = load("respondent,submitted,nps\nr1,2024-01-01,10\nr2,2024-01-02,11\nr3,2024-01-03,6\n"
                  "r4,2024-01-04,9\nr5,2024-01-05,0\n")
    assert parsed.accounting.rows_used == 5
    score = rows(parsed)["score"]
    assert score.isna().tolist() == [False, True, False, False, False] and score.sum() == 25
    assert any("outside 0..10" in note for note in parsed.files[0].notes)


def test_a_column_named_for_its_survey_states_its_scale_and_the_data_page_says_so():
    from cjm.data.scores import named_scale

    assert named_scale("CES", answers([1, 7, 4])) == "ces7"
    assert named_scale("nps", answers([0, 3, 5])) == "nps10"
    assert named_scale("csat_score", answers([1, 5])) == "rating5"
    assert named_scale("rating", answers([1, 5])) is None  # the name says no survey: "auto" reads the values
    assert named_scale("ces", answers([0, 9])) is None  # not effort answers after all
    parsed = load("respondent,submitted,CES\nr1,2024-01-01,2\nr2,2024-01-02,7\nr3,2024-01-03,6\n")
    assert parsed.files[0].score_scale == "ces7"
    assert "'CES' is read on its survey's scale, as its name says (customer effort 1-7)." in parsed.files[0].notes
