"""Scoring free text on the -1..+1 sentiment scale, and telling which texts we may score at all.

A scorer only speaks some languages. Text in any other language is *unscored* (NaN, with its
language recorded), never counted as neutral (DESIGN.md section 4).

Language detection is deliberately small and offline (no model download):
- Script first: Arabic letters -> "ar" ("fa" when Persian-only letters such as پ چ ژ گ ک ی appear;
  Urdu is labelled "fa" too), Cyrillic -> "ru" ("uk" when Ukrainian-only letters appear; other
  Cyrillic languages are labelled "ru"), Hebrew "he", Greek "el", Japanese kana "ja", Hangul "ko",
  other Han characters "zh", Thai "th", Devanagari "hi", Armenian "hy", Georgian "ka", Bengali "bn".
  The script with most letters wins.
- Latin script: function words. Each word found in the English (scikit-learn's ENGLISH_STOP_WORDS
  plus common contractions), Spanish, French, German, Portuguese or Italian list gives its languages
  1/k of a point, k being how many of the lists contain it (so "a", "de", "no" say little). A few
  letters that only some of these languages use (ñ ¿ ¡, ß, ã õ, œ) add a point. The language with
  most points wins (English on ties); below 1 point in all the text is "und" (undetermined).
- "und" text is too short to tell. It is scored only when the scorer can see sentiment-bearing
  words in it (for VADER: a lexicon word or emoji, e.g. "Terrible!!", "love it", "😢"), because a
  lexicon model reading words it does not know would answer 0, i.e. a false "neutral". (An emoji
  counts when VADER's description of it has a lexicon word: "😢" does, "😡" does not.)
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from cjm.data.io.limits import current_limits

UNDETERMINED = "und"

_ENGLISH_EXTRA = frozenset(
    "i'm i've i'd i'll you're you've it's that's there's don't doesn't didn't can't won't isn't aren't "
    "wasn't weren't haven't hasn't couldn't wouldn't shouldn't let's what's thanks thank just did does "
    "got was my come die war hat bin son pour".split()
)
STOPWORDS = {
    "en": frozenset(ENGLISH_STOP_WORDS) | _ENGLISH_EXTRA,
    "es": frozenset(
        "el la los las un una unos unas y o pero de del al en con por para sin sobre entre es son "
        "está están estoy fue era ser muy más que qué como cómo cuando donde yo tú él ella nosotros "
        "ellos mi mis su sus lo le les se no sí ya también porque pedido gracias hola este esta esto "
        "hay todo nada".split()
    ),
    "fr": frozenset(
        "le la les un une des et ou mais de du au aux en dans avec pour par sur sans est sont était "
        "être avoir ai as avons très plus que qui quoi comme quand où je tu il elle nous vous ils "
        "elles mon ma mes son sa ses ce cette ces ne pas merci bonjour aussi parce tout rien "
        "toujours jamais".split()
    ),
    "de": frozenset(
        "der die das ein eine einen dem den des und oder aber von zu mit für auf aus bei nach ohne "
        "ist sind war waren bin hat habe haben sehr mehr dass wie wann wo ich du er sie wir ihr es "
        "mein meine sein seine nicht kein keine auch noch schon danke immer nie nur".split()
    ),
    "pt": frozenset(
        "o a os as um uma uns umas e ou mas de do da dos das em no na nos nas com por para sem é "
        "são está estão estou foi era ser muito mais que como quando onde eu tu ele ela nós eles "
        "meu minha seu sua não sim já também porque obrigado obrigada olá isso tudo nada".split()
    ),
    "it": frozenset(
        "il lo la i gli le un uno una e o ma di del della dei delle in con per su senza è sono era "
        "essere ho hai ha abbiamo molto più che come quando dove io tu lui lei noi voi loro mio mia "
        "suo sua non sì già anche perché grazie ciao questo questa tutto niente sempre mai".split()
    ),
}
LATIN_LANGUAGES = tuple(STOPWORDS)
_DIACRITIC_HINTS = {"es": "ñ¿¡", "de": "ß", "pt": "ãõ", "fr": "œ"}

# (language, character class). Ordered: kana before Han so Japanese text is not labelled Chinese.
_SCRIPTS = (
    ("ar", "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"),
    ("ru", "\u0400-\u04ff\u0500-\u052f"),
    ("he", "\u0590-\u05ff"),
    ("el", "\u0370-\u03ff\u1f00-\u1fff"),
    ("ja", "\u3040-\u309f\u30a0-\u30ff"),
    ("ko", "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"),
    ("zh", "\u4e00-\u9fff\u3400-\u4dbf"),
    ("th", "\u0e00-\u0e7f"),
    ("hi", "\u0900-\u097f"),
    ("hy", "\u0530-\u058f"),
    ("ka", "\u10a0-\u10ff"),
    ("bn", "\u0980-\u09ff"),
)
_SCRIPT_RES = tuple((lang, re.compile(f"[{chars}]")) for lang, chars in _SCRIPTS)
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
_PERSIAN_ONLY_RE = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")
_UKRAINIAN_ONLY_RE = re.compile("[\u0456\u0457\u0454\u0491\u0406\u0407\u0404\u0490]")
_NOISE_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[@#]\w+")
_WORD_RE = re.compile(r"[a-zà-ÿœß]+(?:'[a-z]+)?")
# What a lexicon must not read as words: links, e-mail addresses and @mentions ("@united" would read
# as "united", a positive word for VADER). Hashtags stay: "#fail" carries sentiment.
_ADDRESS_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|@\w+")

LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "it": "Italian",
    "ar": "Arabic", "fa": "Persian", "ru": "Russian", "uk": "Ukrainian", "he": "Hebrew", "el": "Greek",
    "ja": "Japanese", "ko": "Korean", "zh": "Chinese", "th": "Thai", "hi": "Hindi", "hy": "Armenian",
    "ka": "Georgian", "bn": "Bengali", UNDETERMINED: "too short to tell",
}


def language_name(code: str) -> str:
    """The English name of a detected language code ("es" -> "Spanish"); the code itself if unknown."""
    return LANGUAGE_NAMES.get(code, code)


def _latin_votes() -> dict[str, dict[str, float]]:
    owners: dict[str, list[str]] = {}
    for lang, words in STOPWORDS.items():
        for word in words:
            owners.setdefault(word, []).append(lang)
    return {word: {lang: 1.0 / len(langs) for lang in langs} for word, langs in owners.items()}


_VOTES = _latin_votes()


def _latin_language(text: str) -> str:
    points = dict.fromkeys(LATIN_LANGUAGES, 0.0)
    for word in _WORD_RE.findall(text.replace("\u2019", "'")):
        for lang, vote in _VOTES.get(word, {}).items():
            points[lang] += vote
    for lang, chars in _DIACRITIC_HINTS.items():
        if any(c in text for c in chars):
            points[lang] += 1.0
    best = max(LATIN_LANGUAGES, key=lambda lang: (points[lang], lang == "en"))
    return best if points[best] >= 1.0 else UNDETERMINED


@lru_cache(maxsize=2**18)
def detect_language(text: str) -> str:
    """An ISO 639-1 code ("en", "es", "ar", ...) or "und" when there is too little text to tell."""
    if not isinstance(text, str):
        return UNDETERMINED
    text = _NOISE_RE.sub(" ", text)
    lowered = text.lower()
    if text.isascii():
        return _latin_language(lowered)
    counts = {lang: len(pattern.findall(text)) for lang, pattern in _SCRIPT_RES}
    script, letters = max(counts.items(), key=lambda item: item[1])
    if letters and letters >= len(_LATIN_RE.findall(text)):
        if script == "ar" and _PERSIAN_ONLY_RE.search(text):
            return "fa"
        if script == "ru" and _UKRAINIAN_ONLY_RE.search(text):
            return "uk"
        return script
    return _latin_language(lowered)


def detect_languages(texts: Sequence[str]) -> list[str]:
    return [detect_language(t) for t in texts]


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
            if token in lexicon or token.strip(".,!?;:\"'()[]") in lexicon:
                return True
        return False

    def can_score(self, text: str, language: str) -> bool:
        return language in self.languages or (language == UNDETERMINED and self.knows_words_in(text))

    def score(self, texts: Sequence[str]) -> np.ndarray:
        polarity = self._analyzer.polarity_scores
        return np.array(
            [
                polarity(_ADDRESS_RE.sub(" ", t))["compound"]
                if isinstance(t, str) and self.can_score(t, detect_language(t)) else np.nan
                for t in texts
            ],
            dtype="float64",
        )


_factories = {"vader": VaderScorer}
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
    detect_language.cache_clear()


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
