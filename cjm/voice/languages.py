"""Which language a text is in, detected by Lingua in a worker process that holds its models.

Lingua (lingua-language-detector, pinned) ships its n-gram models in the package (nothing is downloaded)
and is restricted to the LANGUAGES below so its memory stays bounded. Links, e-mail addresses, @mentions
and hashtags are removed first and at most the first 1,000 characters are read. When Lingua's two best
guesses are too close to call (minimum relative distance 0.2, e.g. "Terrible", "ok") the text is "und"
(undetermined, too short to tell).

Why a worker process: loading the models of the Latin-script languages costs ~1.7 s of CPU and ~240 MB,
and Lingua holds the GIL while it loads, so a loading thread stalled everything else in the process (the
1M-event report's file read took 3.1 s beside it instead of 1.4 s). The worker loads them on another
core while the file is read, keeps them for the life of the process, and answers batches of texts. If it
cannot be started or dies, detection runs in this process instead (same answers, only slower).

Leaf module: imports nothing from cjm, so the worker starts without pandas or DuckDB.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import re
import subprocess
import sys
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future
from functools import lru_cache

log = logging.getLogger(__name__)

UNDETERMINED = "und"
MAX_DETECT_CHARS = 1000
MIN_RELATIVE_DISTANCE = 0.2
# Languages Lingua chooses among (ISO 639-1). Every one of them is named in LANGUAGE_NAMES.
LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl", "pl", "tr", "ar", "fa", "ur", "ru", "uk", "he", "el",
             "ja", "ko", "zh", "th", "hi", "hy", "ka", "bn", "id")
LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "it": "Italian",
    "ar": "Arabic", "fa": "Persian", "ru": "Russian", "uk": "Ukrainian", "he": "Hebrew", "el": "Greek",
    "ja": "Japanese", "ko": "Korean", "zh": "Chinese", "th": "Thai", "hi": "Hindi", "hy": "Armenian",
    "ka": "Georgian", "bn": "Bengali", "nl": "Dutch", "pl": "Polish", "tr": "Turkish", "ur": "Urdu",
    "id": "Indonesian",
    UNDETERMINED: "too short to tell",
}
_NOISE_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[@#]\w+")
# Lone surrogates (half an emoji, as a JSON export cut mid-character writes "\ud83d") cannot be sent to Lingua.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def language_name(code: str) -> str:
    """The English name of a detected language code ("es" -> "Spanish"); the code itself if unknown."""
    return LANGUAGE_NAMES.get(code, code)


def prepare(text) -> str | None:
    """What the detector reads of a text (noise removed, first 1,000 characters); None without letters."""
    if not isinstance(text, str):
        return None
    text = _SURROGATE_RE.sub(" ", _NOISE_RE.sub(" ", text)[:MAX_DETECT_CHARS])
    return text if any(ch.isalpha() for ch in text) else None


def script_of(text: str) -> str:
    """The Unicode script of the first letter of `text` ("LATIN", "ARABIC", "CYRILLIC", "CJK", ...;
    "" without letters): the first word of the letter's Unicode name."""
    letter = next((ch for ch in text if ch.isalpha()), None)
    return unicodedata.name(letter, "").split(" ")[0] if letter is not None else ""


# ---- what the worker runs (also run in this process when there is no worker) ----

@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_minimum_relative_distance(
        MIN_RELATIVE_DISTANCE).build()


# Lingua loads a language's models the first time a text needs them, and in a parallel batch every thread
# loads them at once: measured on 1,439 comments, 2.7 s of CPU instead of 1.7. So each script's models are
# loaded by one text read alone first, under _models_lock. A Latin text with a letter only one language
# has ("señor") is named without any model: plain ASCII loads them.
_MODEL_SAMPLES = {"LATIN": "the order arrived late and support did not answer"}
_loaded_scripts: set[str] = set()
_models_lock = threading.Lock()


def _load_models(detector, prepared: Sequence[str]) -> None:
    for script in dict.fromkeys(script_of(p) for p in prepared):
        if script in _loaded_scripts:
            continue
        with _models_lock:
            if script not in _loaded_scripts:
                detector.detect_language_of(
                    _MODEL_SAMPLES.get(script) or next(p for p in prepared if script_of(p) == script))
                _loaded_scripts.add(script)


def _code(language) -> str:
    return UNDETERMINED if language is None else language.iso_code_639_1.name.lower()


def detect_prepared(prepared: list[str]) -> list[str]:
    """The language code of each prepared text (see `prepare`), read by Lingua in this process."""
    detector = _detector()
    _load_models(detector, prepared)
    if len(prepared) == 1:
        return [_code(detector.detect_language_of(prepared[0]))]
    return [_code(language) for language in detector.detect_languages_in_parallel_of(prepared)]


def likeliest_prepared(prepared: list[str]) -> list[tuple[str, ...]]:
    """The two languages Lingua finds likeliest for each prepared text, best first (what "und" hides: two languages
    too close to call, e.g. Spanish and Portuguese, or English and French), read in this process."""
    detector = _detector()
    _load_models(detector, prepared)
    return [tuple(_code(v.language) for v in detector.compute_language_confidence_values(p)[:2]) for p in prepared]


_ASKS = {"detect": detect_prepared, "likeliest": likeliest_prepared}


def _warm() -> tuple[int, list[str]]:
    """Load the Latin-script models; the worker's process id and the scripts it has loaded."""
    _load_models(_detector(), [_MODEL_SAMPLES["LATIN"]])
    return os.getpid(), sorted(_loaded_scripts)


def serve(requests, answers) -> None:
    """The worker's loop: read pickled requests until the pipe closes, answer each (see `_Worker`)."""
    while True:
        try:
            kind, payload = pickle.load(requests)
        except EOFError:
            return
        try:
            answer = ("ok", _warm() if kind == "warm" else _ASKS[kind](payload))
        except Exception as exc:  # noqa: BLE001 - reported to the asking process, which detects itself
            answer = ("error", f"{type(exc).__name__}: {exc}")
        try:
            pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()
        except OSError:  # the asking process has gone (e.g. the command line stopped at a bad file)
            os._exit(0)  # at once: a normal exit would try to flush the dead pipe again and print about it


# ---- this process: the worker, and the languages already detected ----

class _Worker:
    """`python -m cjm.voice.languages`, asked one request at a time over its stdin and stdout (a plain
    child process: multiprocessing's would re-run the launching script, e.g. a user's, in the child)."""

    def __init__(self):
        path = os.pathsep.join(p for p in sys.path if p)  # the same cjm as this process
        self.process = subprocess.Popen([sys.executable, "-m", "cjm.voice.languages"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": path})
        self.lock = threading.Lock()

    def ask(self, kind: str, payload=None):
        with self.lock:
            try:
                pickle.dump((kind, payload), self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                self.process.stdin.flush()
                status, answer = pickle.load(self.process.stdout)
            except (OSError, EOFError, pickle.UnpicklingError, ValueError) as exc:  # ValueError: its pipes closed
                raise WorkerError(f"the language worker stopped ({type(exc).__name__})") from None
        if status != "ok":
            raise BatchError(answer)
        return answer

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        with self.lock:  # not under a thread still writing to or reading from it (killed: it gets EOF at once)
            for pipe in (self.process.stdin, self.process.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass


class WorkerError(RuntimeError):
    """The language worker could not answer (it died, or failed on a batch)."""


class BatchError(WorkerError):
    """The worker is alive but failed on a batch: detecting here fails alike or not; restarting it would not help."""


_worker_now: _Worker | None = None
_exiting = False  # the process is exiting: the worker was stopped on purpose, none is started again
_warming: Future | None = None
_worker_lock = threading.Lock()


def _worker() -> _Worker:
    global _worker_now
    with _worker_lock:
        if _worker_now is None:
            _worker_now = _Worker()
        return _worker_now


@atexit.register
def _stop_worker() -> None:  # its work is only ever for this process
    global _exiting
    with _worker_lock:
        worker, _exiting = _worker_now, True
    if worker is not None:
        worker.stop()


def preload_language_models() -> Future:
    """Start the worker and load the Latin-script models in it, once per process (later calls return the
    same future; its result is the worker's process id and loaded scripts). The command line calls this
    before it reads the inputs, so the models load on another core meanwhile. The app does not: started at an
    upload, the loading slowed the first chart by ~0.5 s (benchmarks/first_chart.py, run 1); its worker starts
    at the first page that reads comments, and the server process never holds the models or waits on them
    while other sessions' pages are drawn."""
    global _warming
    with _worker_lock:
        if _warming is not None and not (_warming.done() and _warming.exception() is not None):
            return _warming
        warming = _warming = Future()

    def warm():
        try:
            warming.set_result(tuple(_worker().ask("warm")))
        except (WorkerError, OSError) as exc:
            warming.set_exception(exc)

    threading.Thread(target=warm, name="cjm-language-models", daemon=True).start()
    return warming


def _restart(failed: _Worker | None) -> None:
    """Stop the worker that `failed`, unless another thread already did and started a new one (several
    sessions ask at once: each would otherwise stop the worker the previous one had just started)."""
    global _worker_now, _warming
    with _worker_lock:
        if failed is None or _worker_now is not failed:
            return
        _worker_now, _warming = None, None
    failed.stop()


def _detect_elsewhere(prepared: list[str], kind: str = "detect") -> list:
    """detect_prepared (or likeliest_prepared, by `kind`) in the worker; started again once if it stopped, else run
    here (same answers)."""
    for attempt in range(2):
        if _exiting:
            break
        worker = None
        try:
            worker = _worker()
            return worker.ask(kind, prepared)
        except BatchError as exc:
            log.warning("Language detection in the worker failed (%s)", exc)
            break
        except (WorkerError, OSError) as exc:
            if _exiting:
                break
            log.warning("Language detection in the worker failed (%s)", exc)
            _restart(worker)
    else:
        log.warning("Detecting languages in this process instead")
    return _ASKS[kind](prepared)


_LANGUAGE_LIMIT = 500_000  # texts whose detected language is remembered (every section asks again)
_languages: OrderedDict[str, str] = OrderedDict()
_languages_lock = threading.Lock()


def detect_languages(texts: Sequence[str]) -> list[str]:
    """An ISO 639-1 code ("en", "es", "ar", ...) per text, "und" when there is too little text to tell
    (or for a value that is not text). Texts not seen before go to the worker in one batch and are
    remembered (the report's sections and the app's pages ask about the same comments again)."""
    texts = list(texts)
    with _languages_lock:
        known = {t: _languages[t] for t in dict.fromkeys(t for t in texts if isinstance(t, str)) if t in _languages}
    fresh, prepared = [], []
    for text in dict.fromkeys(t for t in texts if isinstance(t, str) and t not in known):
        readable = prepare(text)
        if readable is None:
            known[text] = UNDETERMINED
        else:
            fresh.append(text)
            prepared.append(readable)
    if fresh:
        new = dict(zip(fresh, _detect_elsewhere(prepared)))
        known.update(new)
        with _languages_lock:
            _languages.update(new)
            while len(_languages) > _LANGUAGE_LIMIT:
                _languages.popitem(last=False)
    return [known.get(t, UNDETERMINED) if isinstance(t, str) else UNDETERMINED for t in texts]


def may_be_english(texts: Sequence[str]) -> list[bool]:
    """Per text, whether English may be its language: detected as English, or undetermined with English one of
    the two languages Lingua finds likeliest, or with nothing left for Lingua to read (only emoji, hashtags or
    punctuation). Spanish that Lingua cannot tell from Portuguese may not be."""
    texts = list(texts)
    found = detect_languages(texts)
    unsure = list(dict.fromkeys(t for t, lang in zip(texts, found) if lang == UNDETERMINED and prepare(t) is not None))
    likeliest = dict(zip(unsure, _detect_elsewhere([prepare(t) for t in unsure], "likeliest"))) if unsure else {}
    return [lang == "en" or (lang == UNDETERMINED and (t not in likeliest or "en" in likeliest[t]))
            for t, lang in zip(texts, found)]


def detect_language(text: str) -> str:
    """detect_languages of one text."""
    return detect_languages([text])[0]


def forget_languages() -> None:
    """Forget the languages detected so far (the worker keeps its models)."""
    with _languages_lock:
        _languages.clear()


if __name__ == "__main__":  # the worker (see _Worker); anything printed goes to stderr, not into the answers
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the asking process; its exit ends this one
    if hasattr(os, "nice"):
        os.nice(10)  # spare cores only: a page being drawn (or a file being read) goes first
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, answers)
