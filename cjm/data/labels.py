"""Sentiment labels in a score column: "negative" / "neutral" / "positive" read as -1 / 0 / +1.

Tweet and review exports often carry a person's (or a tool's) label instead of a rating: Figure Eight's
airline tweets (`airline_sentiment`: negative, neutral, positive), review sets with `polarity` or `label`.
Such a column is the customer's sentiment on the "polarity" scale (-1..+1, cjm.voice.sentiment), so it is
read as numbers when it is mapped as the score. A column is read this way only when nearly all of its
present cells are labels (LABEL_SHARE); a stray label in a rating column stays an unreadable cell, counted
on the Data page like any other.

May import: cjm.data.cells (its missing-value tokens: "N/A" in a label column is a missing label).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjm.data.cells import MISSING_TOKENS

# Lower-cased, trimmed label -> value. English words and their usual short forms; a mixed label has no
# place on a one-dimensional scale and stays unreadable.
LABELS = {
    "negative": -1.0, "neg": -1.0, "neutral": 0.0, "neu": 0.0, "positive": 1.0, "pos": 1.0,
    # a help desk's satisfaction rating (Zendesk: Good / Bad, "good_with_comment" in its API)
    "good": 1.0, "bad": -1.0, "good_with_comment": 1.0, "bad_with_comment": -1.0,
    # Freshdesk's satisfaction surveys, in its ticket export's "Survey results": the seven-point scale (its API's
    # 103 .. -103, "Extremely Happy" .. "Extremely Unhappy", in the export as the survey's answers "Extremely
    # satisfied" .. "Extremely dissatisfied") in steps of a third, and the classic three answers
    "extremely satisfied": 1.0, "very satisfied": 2 / 3, "slightly satisfied": 1 / 3,
    "slightly dissatisfied": -1 / 3, "very dissatisfied": -2 / 3, "extremely dissatisfied": -1.0,
    "extremely happy": 1.0, "very happy": 2 / 3, "happy": 1 / 3, "unhappy": -1 / 3, "very unhappy": -2 / 3,
    "extremely unhappy": -1.0, "awesome": 1.0, "just okay": 0.0, "not good": -1.0,
}
# A survey offered but not answered (Zendesk writes "Offered" / "Unoffered") is no answer: a missing label.
NO_ANSWER = frozenset({"offered", "unoffered", "not offered", "not_offered"})
LABEL_SHARE = 0.95  # of a column's present cells, to read it as labels


def label_values(values: pd.Series) -> tuple[pd.Series, pd.Series] | None:
    """(-1 / 0 / +1 per cell, NaN where missing or not a label; mask of present cells that are not a
    label) when `values` holds sentiment labels; None when it does not (numbers, ratings, free text, or
    too few labels)."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    # a long rating column is told by its first filled cells, without a pass over it all, when they alone hold
    # more cells that are not labels than the whole column may (over 5% of its filled cells: it cannot be labels)
    filled = values[values.notna()]
    if len(filled) > SAMPLE:
        read, present = _parse(filled.iloc[:SAMPLE])
        if (present & read.isna()).sum() > (1 - LABEL_SHARE) * len(filled):
            return None
    read, present = _parse(values)
    if not present.any() or read[present].notna().mean() < LABEL_SHARE:
        return None
    return read, present & read.isna()


SAMPLE = 20_000  # first filled cells looked at before a whole column is read as labels


def _parse(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(-1 / 0 / +1 where a cell is a label, else NaN; mask of present cells: "", "N/A", "null", "-" are missing)."""
    text = values.astype("string").str.strip().str.lower()
    present = (text.notna() & ~text.isin(MISSING_TOKENS) & ~text.isin(NO_ANSWER)).astype(bool)
    read = np.full(len(text), np.nan)
    for label, value in LABELS.items():  # vectorised comparisons: a dict map over a string column is slow
        # on the NumPy array: a pandas Series set by a mask first looks the mask up as a key, and its KeyError
        # prints the array (2-3 ms per label, on every load of a score column)
        read[(text == label).fillna(False).to_numpy(bool)] = value
    return pd.Series(read, index=text.index), present


def looks_like_labels(sample: pd.Series) -> bool:
    """Whether a sample of a column is sentiment labels (for the mapping guess)."""
    return label_values(sample) is not None


# Stars written as words: Google Business Profile's reviews (its API, and Google Takeout's reviews.json) give
# "starRating": "ONE" .. "FIVE", "STAR_RATING_UNSPECIFIED" when no stars were given. They are the numbers 1..5 on the
# stars scale (not polarity labels).
STAR_WORDS = {"one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0}
NO_STARS = frozenset({"star_rating_unspecified"})


def star_word_values(values: pd.Series) -> tuple[pd.Series, pd.Series] | None:
    """(1..5 per cell, NaN where missing or not a star word; mask of present cells that are not one) when nearly all
    (LABEL_SHARE) of `values`' present cells are "ONE".."FIVE" in any case; None otherwise."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    filled = values[values.notna()]
    if len(filled) > SAMPLE:  # as label_values: a long numeric rating column is told by its first filled cells
        head = filled.iloc[:SAMPLE].astype("string").str.strip().str.lower()
        others = int((~head.isin(MISSING_TOKENS) & ~head.isin(NO_STARS) & ~head.isin(STAR_WORDS)).sum())
        if others > (1 - LABEL_SHARE) * len(filled):
            return None
    text = values.astype("string").str.strip().str.lower()
    present = (text.notna() & ~text.isin(MISSING_TOKENS) & ~text.isin(NO_STARS)).astype(bool)
    if not present.any():
        return None
    read = pd.Series(text.map(STAR_WORDS, na_action="ignore"), index=text.index, dtype="float64").where(present)
    if read[present].notna().mean() < LABEL_SHARE:
        return None
    return read, present & read.isna()
