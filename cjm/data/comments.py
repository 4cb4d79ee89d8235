"""Comments that say nothing (DESIGN.md section 3, "Nothing lost"): a free-text answer of "n/a", "-", "None"
or Qualtrics' "-99" (a question seen but not answered) is no comment.

Survey tools write such cells where a respondent skipped the question; counted as comments they would be
scored (as neutral) and fill the pain points with "n/a". They are left empty with a note that counts them,
and their rows are kept: the row's other columns still count. An upload and data read in place (cjm.data.source)
follow the same rule.

Also no comment: the same marks in other languages' forms (German "k.A." / "keine Angabe", "N.A.", Spanish and
Portuguese "N/D", French "N.C." and "s.o."), and a cell of punctuation alone ("." "..." "--" "/": what a required
field gets from someone with nothing to say; with a low score beside it, it was quoted as the most negative
comment). Still comments: an answer in words, in any language ("keine", "aucun", "ninguno", "nothing", "no
comment": the respondent's own answer to the question, unlike "None", which software writes for a missing value),
an emoji, "0", "x", "!!!".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjm.data.cells import MISSING_TOKENS, missing_tokens
from cjm.data.io.table import shortened
from cjm.data.scores import MISSING_CODES

# "-99" and "-999" as written in a text column (the score column reads them as numbers)
CODE_TEXTS = frozenset(f"{code:.0f}" for code in MISSING_CODES)
# "not given" as other languages' forms write it
OTHER_MARKS = frozenset({"n.a.", "n. a.", "k.a.", "k. a.", "keine angabe", "n/d", "n.d.", "n.c.", "s.o."})
NO_COMMENT_WORDS = frozenset(MISSING_TOKENS - {""}) | CODE_TEXTS | OTHER_MARKS  # compared lower-cased and trimmed
LONGEST = max(map(len, NO_COMMENT_WORDS))
# A cell of punctuation alone (spaces between): no letter, digit, emoji, '!' or '?' (portable: no backslash, '-' last)
PUNCTUATION = "^[ .,;:_/*#~…–—-]+$"
SHOWN = 3  # distinct cells quoted in the note


def no_comment(text: pd.Series, column: str) -> tuple[pd.Series, str | None]:
    """(the comments with "no comment" cells left empty, a note counting them or None). `text`: trimmed
    comments, missing where empty."""
    present = text.notna().to_numpy(dtype=bool)
    filled = text[present]  # most rows of an event log carry no comment: look at those that do
    short = (filled.str.len() <= LONGEST).fillna(False)
    empty = (missing_tokens(filled) | (short & filled.str.lower().isin(NO_COMMENT_WORDS)).fillna(False)
             | filled.str.contains(PUNCTUATION, regex=True).fillna(False)).to_numpy(dtype=bool)
    n = int(empty.sum())
    if not n:
        return text, None
    said_nothing = np.zeros(len(text), dtype=bool)
    said_nothing[present] = empty  # by position: the index may repeat
    shown = [str(v) for v in pd.unique(filled[empty])[:SHOWN]]
    return text.mask(said_nothing), note(n, column, shown)


def note(n: int, column: str, examples: list[str] | None = None) -> str:
    """What the Data page says about `n` answers of `column` read as no comment (quoting a few, as text)."""
    answers = f"{n:,} answer" + ("" if n == 1 else "s")
    verb = "says" if n == 1 else "say"
    quoted = f" ({', '.join(repr(shortened(v)) for v in examples)})" if examples else " ('n/a', '-', '-99' or the like)"
    return (f"{answers} in {column!r} {verb} no comment{quoted}: read as no comment, so they are neither scored "
            "nor quoted; their rows still count.")
