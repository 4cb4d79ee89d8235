"""Answers a score column cannot hold (DESIGN.md section 3): an NPS answer of 11, a 0 among 1..5 stars.

A score column holds one survey's answers: 1..5 stars or CSAT, 1..7 effort, 0..10 NPS, or -1..+1 polarity
(cjm.voice.sentiment reads which). A few answers outside the range that holds all the others would stop the
whole sentiment analysis (no scale reads 0..11), so they are left empty, with a note, and their rows are kept:
- a column named for NPS holds 0..10: answers outside it are left empty (when most answers are inside it);
- any other score column: when at most OUTSIDE_SHARE of its answers fall outside the narrowest of those
  ranges that holds all the rest.
A column that no range holds for the most part (0..100 points) is left as it is: the Sentiment page asks for
its scale. A missing-answer code (Qualtrics writes -99 for a question seen but not answered) is never an answer:
it is left empty whatever its share, when the other answers fit one of those ranges.
"""

from __future__ import annotations

import pandas as pd

from cjm.data.columns import normalise

RANGES = ((-1.0, 1.0), (1.0, 5.0), (1.0, 7.0), (0.0, 10.0))  # narrowest first
NPS_NAMES = {"nps", "nps_score", "net_promoter_score", "likelihood_to_recommend", "likely_to_recommend"}
OUTSIDE_SHARE = 0.01
MISSING_CODES = (-99.0, -999.0)  # Qualtrics' "seen but unanswered" (-99), and its -999 variant
NPS_INSIDE_SHARE = 0.8


def outside_answers(scores: pd.Series, column: str) -> tuple[pd.Series, tuple[float, float] | None]:
    """(mask of the answers to leave empty, the range they fall outside), or an all-False mask and None."""
    codes = scores.isin(MISSING_CODES)
    rest = scores.mask(codes)
    mask, bounds = _outside(rest, column)
    if codes.any() and bounds is None and rest.notna().any():  # only codes outside the others' range
        ranges = ((0.0, 10.0),) if normalise(column) in NPS_NAMES else RANGES
        bounds = next((r for r in ranges if rest.dropna().between(*r).all()), None)
    if bounds is None:
        return pd.Series(False, index=scores.index), None
    return mask | codes, bounds


def _outside(scores: pd.Series, column: str) -> tuple[pd.Series, tuple[float, float] | None]:
    answered = scores.notna()
    n = int(answered.sum())
    none = pd.Series(False, index=scores.index)
    if not n:
        return none, None

    def outside(low, high):
        return answered & ~scores.between(low, high)

    if normalise(column) in NPS_NAMES:
        mask = outside(0.0, 10.0)
        if mask.any() and n - int(mask.sum()) >= NPS_INSIDE_SHARE * n:
            return mask, (0.0, 10.0)
        return none, None
    for low, high in RANGES:
        mask = outside(low, high)
        count = int(mask.sum())
        if count == 0:
            return none, None
        if count <= OUTSIDE_SHARE * n:
            return mask, (low, high)
    return none, None


def outside_note(column: str, scores: pd.Series, mask: pd.Series, bounds: tuple[float, float]) -> str:
    n = int(mask.sum())
    examples = ", ".join(f"{v:g}" for v in pd.unique(scores[mask])[:3])
    return (f"{n:,} answer{'' if n == 1 else 's'} in {column!r} {'is' if n == 1 else 'are'} outside "
            f"{bounds[0]:g}..{bounds[1]:g}, the range of all the others ({examples}), and "
            f"{'was' if n == 1 else 'were'} left empty; the rows are kept.")
