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
}
LABEL_SHARE = 0.95  # of a column's present cells, to read it as labels


def label_values(values: pd.Series) -> tuple[pd.Series, pd.Series] | None:
    """(-1 / 0 / +1 per cell, NaN where missing or not a label; mask of present cells that are not a
    label) when `values` holds sentiment labels; None when it does not (numbers, ratings, free text, or
    too few labels)."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    # a rating column is told by its first filled cells, without a pass over it all, when they hold enough
    # present cells to tell by (a few filled cells decide nothing: the column is read whole)
    filled = values[values.notna()]
    if len(filled) > SAMPLE_PRESENT and _read(filled.iloc[:SAMPLE], least=SAMPLE_PRESENT) is None:
        return None
    read = _read(values)
    return None if read is None or read is _NOTHING else read


SAMPLE = 20_000  # first filled cells looked at before a whole column is read as labels
SAMPLE_PRESENT = 1_000  # present cells those first cells need to reject a column by themselves
_NOTHING = object()  # no present cell to tell by (or fewer than asked)


def _read(values: pd.Series, least: int = 1):
    text = values.astype("string").str.strip().str.lower()
    present = (text.notna() & ~text.isin(MISSING_TOKENS)).astype(bool)  # "", "N/A", "null", "-" are missing
    if present.sum() < least:
        return _NOTHING
    read = pd.Series(np.nan, index=text.index)
    for label, value in LABELS.items():  # six vectorised comparisons: a dict map over a string column is slow
        read[(text == label).fillna(False).to_numpy(bool)] = value
    if read[present].notna().mean() < LABEL_SHARE:
        return None
    return read, present & read.isna()


def looks_like_labels(sample: pd.Series) -> bool:
    """Whether a sample of a column is sentiment labels (for the mapping guess)."""
    return label_values(sample) is not None
