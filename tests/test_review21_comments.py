"""Review of the rule that comments saying nothing are no comments (cjm.data.comments) with small hostile survey
exports: other languages' 'not given' marks, punctuation alone, answers in words, emojis, a score beside an 'n/a'
comment, quotes and sentiment counts; an upload and files read in place by DuckDB agree. Expected figures worked
out by hand beside each.

Decided here: 'k.A.' / 'Keine Angabe' (German forms' "not given"), 'N.A.', 'N/D', and cells of punctuation alone
('.', '...', '--', '/') say nothing, like 'n/a'. 'keine', 'aucun', 'ninguno', 'Nothing', 'no comment' are answers
in words (the respondent's own "none"), and stay comments, as do '0', 'x' and emojis."""

from __future__ import annotations

import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import load_dataset
from cjm.data.source import dataset_from_files
from cjm.voice.painpoints import compute_quotes
from cjm.voice.sentiment import compute_overall, compute_signals

MAPPING = ColumnMapping(columns={"customer_id": "respondent", "timestamp": "submitted", "text": "Comments",
                                 "score": "rating"}, event_constant="survey_response")
CELLS = ["k.A.", "Keine Angabe", "N.A.", "n/d", ".", "...", "--", "/", " . . ",
         "keine", "aucun", "ninguno", "Nothing", "no comment", "0", "x", "😀", "👍 great"]
SAY_NOTHING = 9  # the first nine cells above
KEPT = CELLS[SAY_NOTHING:]


def _loads(tmp_path, text: str):
    path = tmp_path / "survey.csv"
    path.write_text(text, encoding="utf-8")
    return {"upload": load_dataset([path], mappings={"survey.csv": MAPPING}),
            "in place": dataset_from_files(path, mapping=MAPPING)}


def _comments(dataset) -> dict[str, str | None]:
    frame = engine.execute(dataset.events)
    return {r: (t if isinstance(t, str) else None) for r, t in zip(frame["customer_id"], frame["text"])}


@pytest.mark.parametrize("how", ["upload", "in place"])
def test_other_languages_marks_and_punctuation_say_nothing_and_words_stay(tmp_path, how):
    text = "respondent,submitted,rating,Comments\n" + "".join(
        f'r{i:02d},2024-05-01 10:00,3,"{cell}"\n' for i, cell in enumerate(CELLS))
    dataset = _loads(tmp_path, text)[how]
    comments = _comments(dataset)
    # r00..r08 say nothing; r09..r17 keep their words as written (trimmed)
    assert [comments[f"r{i:02d}"] for i in range(len(CELLS))] == [None] * SAY_NOTHING + KEPT
    notes = [n for n in dataset.files[0].notes if "no comment" in n]
    assert len(notes) == 1 and notes[0].startswith("9 answers in 'Comments' say no comment")
    # every row counts: 18 in, 18 used
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used) == (18, 18)


SURVEY = ("respondent,submitted,rating,Comments\n"
          "r1,2024-05-01 10:00,1,The app crashed at checkout and support never answered\n"
          "r2,2024-05-01 11:00,1,...\n"
          "r3,2024-05-02 09:00,2,n/a\n"
          "r4,2024-05-02 10:00,5,k.A.\n"
          "r5,2024-05-03 12:00,4,Great service\n"
          "r6,2024-05-03 13:00,,aucun\n")


@pytest.mark.parametrize("how", ["upload", "in place"])
def test_a_score_beside_a_comment_that_says_nothing_still_counts(tmp_path, how):
    signals = compute_signals(_loads(tmp_path, SURVEY)[how])
    overall = compute_overall(signals)
    # scores: r1..r5 (r2, r3 and r4 keep theirs though their comments say nothing) = 5; satisfied (4-5): r4, r5 = 2 of 5
    assert overall["scores"] == 5 and overall["csat_n"] == 5 and overall["csat"] == pytest.approx(2 / 5)
    # texts: r1, r5 and r6's 'aucun' = 3 ('...', 'n/a' and 'k.A.' are no comments; before: 5, with '...' and 'k.A.')
    assert overall["texts"] == 3
    assert sorted(signals.loc[signals["source"].eq("text"), "text"]) == [
        "Great service", "The app crashed at checkout and support never answered", "aucun"]


@pytest.mark.parametrize("how", ["upload", "in place"])
def test_punctuation_beside_a_low_score_is_not_quoted_as_a_negative_comment(tmp_path, how):
    quotes = compute_quotes(compute_signals(_loads(tmp_path, SURVEY)[how]), sentiment="negative")
    # the negative comments, by the score beside them: r1 (1 of 5) only; r2's '...' (also 1 of 5) says nothing (before:
    # quoted first among the most negative comments, as "..." with "rating 1/5")
    assert quotes["text"].tolist() == ["The app crashed at checkout and support never answered"]


PAINS = ("respondent,submitted,rating,Comments\n"
         "r1,2024-05-01 10:00,1,Delivery was late again\n"
         "r2,2024-05-02 10:00,1,The delivery came late\n"
         "r3,2024-05-03 10:00,2,Late delivery and no update\n"
         "r4,2024-05-04 10:00,1,...\n"
         "r5,2024-05-05 10:00,1,.\n"
         "r6,2024-05-06 10:00,1,k.A.\n"
         "r7,2024-05-07 10:00,2,n/a\n")


@pytest.mark.parametrize("how", ["upload", "in place"])
def test_pain_points_share_counts_only_comments_that_say_something(tmp_path, how):
    from cjm.voice.painpoints import compute_pain_points

    themes = compute_pain_points(_loads(tmp_path, PAINS)[how])
    # negative comments (score 1-2 of 5, with words): r1, r2, r3 = 3, all about late delivery: one theme of 3, 3 of 3
    # (before: '...', '.' and 'k.A.' were negative comments too, and the theme was 3 of 6)
    assert len(themes) == 1
    assert themes.iloc[0]["count"] == 3 and themes.iloc[0]["share"] == pytest.approx(1.0)
