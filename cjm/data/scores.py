"""Answers a score column cannot hold (DESIGN.md section 3): an NPS answer of 11, a 0 among 1..5 stars.

A score column holds one survey's answers: 1..5 stars or CSAT, 1..7 effort, 0..10 NPS, or -1..+1 polarity
(cjm.voice.sentiment reads which). A few answers outside the range that holds all the others would stop the
whole sentiment analysis (no scale reads 0..11), so they are left empty, with a note, and their rows are kept:
- a column named for its survey (NPS 0..10, CES 1..7, CSAT 1..5) holds that range: answers outside it are left
  empty (when most answers are inside it), and the column states its scale (`named_scale`), so effort answers
  1..7 are not read as NPS and an NPS survey of detractors only (0..5) is not read as stars;
- any other score column: when at most OUTSIDE_SHARE of its answers fall outside the narrowest of those
  ranges that holds all the rest.
A column of whole and half stars (some answers 1.5, 2.5, 3.5 or 4.5, all of them multiples of 0.5 within 0.5..5, some
of them 0.5: a half-star scale, Letterboxd's) runs 0.5..5: a 0.5 is its lowest answer, not one outside 1..5
(`half_stars`); half stars all within 1..5 are a rating 1..5.
A column that no range holds for the most part (0..100 points) is left as it is: the Sentiment page asks for
its scale. A missing-answer code (Qualtrics writes -99 for a question seen but not answered) is never an answer:
it is left empty whatever its share, when the other answers fit one of those ranges.
"""

from __future__ import annotations

import pandas as pd

from cjm.data.columns import normalise, nps_question, satisfaction_question

RANGES = ((-1.0, 1.0), (1.0, 5.0), (1.0, 7.0), (0.0, 10.0))  # narrowest first
NPS_NAMES = {"nps", "nps_score", "net_promoter_score", "likelihood_to_recommend", "likely_to_recommend"}
CES_NAMES = {"ces", "ces_score", "customer_effort", "customer_effort_score", "effort_score"}
CSAT_NAMES = {"csat", "csat_score", "csat_rating", "customer_satisfaction_score"}
SCALE_WORDS = {"nps10": "NPS 0-10", "ces7": "customer effort 1-7", "rating5": "CSAT 1-5", "sat10": "satisfaction 0-10"}

# a survey's name -> (its range, the scale cjm.voice.sentiment reads it on)
NAMED = [(NPS_NAMES, (0.0, 10.0), "nps10"), (CES_NAMES, (1.0, 7.0), "ces7"), (CSAT_NAMES, (1.0, 5.0), "rating5")]


def _named(column: str):
    name = normalise(column)
    if nps_question(column):  # "How likely is it that you would recommend us to a friend or colleague?"
        return (0.0, 10.0), "nps10"
    return next(((bounds, scale) for names, bounds, scale in NAMED if name in names), (None, None))


def named_scale(column: str, scores: pd.Series) -> str | None:
    """The scale a column named for its survey states (NPS: "nps10", CES: "ces7", CSAT: "rating5") when its
    answers (those outside left empty) fit that survey's range; None otherwise."""
    answers = scores.dropna()
    return scale_of_named_range(column, float(answers.min()), float(answers.max())) if len(answers) else None


def scale_of_named_range(column: str, low: float, high: float) -> str | None:
    """`named_scale` from the answers' lowest and highest (what a table read in place asks its engine for). A
    satisfaction question answered above 5 and within 0..10 ("sat10") is no NPS, which only the recommend question
    is: its answers are put on -1..+1 as any 0..10 answer is, and no NPS is counted from them; answered within 1..5 it
    is a rating 1..5, which the range reads."""
    bounds, scale = _named(column)
    if bounds is not None and bounds[0] <= low and high <= bounds[1]:
        return scale
    if (satisfaction_question(column) or normalise(column) in CSAT_NAMES) and 0 <= low and 5 < high <= 10:
        return "sat10"  # 'CSAT' answered 1..10 too: a satisfaction score, no recommendation
    return None

SCALE_NAMES = {"rating5": "1-5 stars or CSAT", "nps10": "NPS 0-10", "ces7": "customer effort 1-7",
               "sat10": "satisfaction 0-10",
               "polarity": "sentiment labels or -1..+1 polarity", "halfstar5": "0.5-5 half stars"}
MIXED_COLUMN = "score_scale"  # each event's scale, when the files loaded together read their scores on different ones


def named_scale_note(column: str, scale: str) -> str:
    """What the data page says when a score column's name states its survey's scale."""
    return f"{column!r} is read on its survey's scale, as its name says ({SCALE_WORDS[scale]})."


def range_scale(low: float, high: float) -> str | None:
    """The survey a score range reads as when nothing states it: all within 1..5 stars or CSAT ("rating5"), some answer
    above 5 and all within 0..10 NPS ("nps10"), some below 0 and all within -1..+1 polarity ("polarity"); else None."""
    if 1 <= low and high <= 5:
        return "rating5"
    if 0 <= low and 5 < high <= 10:
        return "nps10"
    if -1 <= low < 0 and high <= 1:
        return "polarity"
    return None


def file_scales(parts: list[pd.DataFrame], stated: list[str | None]) -> list[str | None] | None:
    """Files loaded together whose scores are on different scales: each part's (one file's events) scale, the one the
    file states (`stated`: labels, a survey's name, half stars) else the one its own range reads (`range_scale`);
    None for a part without scores. None when they all share one scale, or a file's range reads none (the
    Sentiment page then asks for the scale, as for one file)."""
    scales = []
    for part, said in zip(parts, stated):
        answers = part["score"].dropna() if "score" in part else pd.Series(dtype="float64")
        if answers.empty:
            scales.append(None)
            continue
        scale = said or range_scale(float(answers.min()), float(answers.max()))
        if scale is None:
            return None
        scales.append(scale)
    return scales if len({s for s in scales if s is not None}) > 1 else None


def half_stars(scores: pd.Series) -> bool:
    """Whether the answers are on a half-star scale 0.5..5: all multiples of 0.5 within 0.5..5, some of them a
    half between whole stars (1.5, 2.5, 3.5, 4.5), so a lone 0.5 among whole stars does not make one, and some of
    them the scale's own lowest answer 0.5: answers that all lie within 1..5 are a rating 1..5, read as DESIGN.md
    says ((r - 3) / 2, 3 neutral, CSAT the share of 4-5), half stars or not."""
    answers = scores.dropna()
    doubled = answers * 2
    return bool(len(answers) and answers.between(0.5, 5.0).all() and doubled.eq(doubled.round()).all()
                and answers.isin((1.5, 2.5, 3.5, 4.5)).any() and answers.eq(0.5).any())


OUTSIDE_SHARE = 0.01
MISSING_CODES = (-99.0, -999.0)  # Qualtrics' "seen but unanswered" (-99), and its -999 variant
NAMED_INSIDE_SHARE = 0.8


def outside_answers(scores: pd.Series, column: str) -> tuple[pd.Series, tuple[float, float] | None]:
    """(mask of the answers to leave empty, the range they fall outside), or an all-False mask and None."""
    codes = scores.isin(MISSING_CODES)
    rest = scores.mask(codes)
    mask, bounds = _outside(rest, column)
    if codes.any() and bounds is None and rest.notna().any():  # only codes outside the others' range
        named, _ = _named(column)
        ranges = (named,) if named is not None else RANGES
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

    named, _ = _named(column)
    if named is None and half_stars(scores):
        return none, None
    if named is not None:
        mask = outside(*named)
        if mask.any() and n - int(mask.sum()) >= NAMED_INSIDE_SHARE * n:
            return mask, named
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
