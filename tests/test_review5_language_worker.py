"""Review 5, language detection in a worker process (cjm.voice.languages): several sessions asking at once,
a worker killed mid-batch, large batches, awkward texts and the process's exit. The expected languages are
those of in-process detection (`detect_prepared`), which the worker must give unchanged."""

import logging
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from cjm.voice import languages

BASE = ["the order arrived late", "el pedido llegó tarde", "la commande est arrivée en retard",
        "die Bestellung kam spät", "o pedido não chegou", "il pacco è arrivato rotto"]


def batch(k: int, n: int) -> list[str]:
    return [f"{BASE[(i + k) % len(BASE)]} {i} {k}" for i in range(n)]


def here(texts: list[str]) -> list[str]:
    return languages.detect_prepared([languages.prepare(t) for t in texts])


def test_sessions_asking_at_once_while_the_worker_is_killed_all_get_the_in_process_answers_from_a_new_worker(caplog):
    first, _ = languages.preload_language_models().result(timeout=120)
    worker = languages._worker_now
    languages.forget_languages()
    results, errors = {}, []

    def ask(k):
        try:
            results[k] = languages.detect_languages(batch(k, 3000))
        except Exception as exc:  # noqa: BLE001 - a session's error is what this test looks for
            errors.append(repr(exc))

    threads = [threading.Thread(target=ask, args=(k,)) for k in range(6)]
    with caplog.at_level(logging.WARNING, logger="cjm.voice.languages"):
        for t in threads:
            t.start()
        while not worker.lock.locked():  # a session's batch is in the worker: kill it mid-batch
            time.sleep(0.001)
        os.kill(first, signal.SIGKILL)
        for t in threads:
            t.join()
    # Before: a session on the stopped worker wrote to its closed pipe (ValueError: the session's page failed),
    # and each session that saw the old worker fail stopped the new one another had just started, so they
    # ended loading the models in this process.
    assert errors == []
    assert all(results[k][::10] == here(batch(k, 3000)[::10]) for k in range(6))
    assert "in this process instead" not in caplog.text
    assert languages._worker_now is not None and languages._worker_now.process.pid not in (first, os.getpid())
    assert languages._worker_now.process.poll() is None  # alive
    languages.forget_languages()


def test_half_an_emoji_a_nul_and_a_megabyte_long_comment_are_detected_like_in_process():
    # A JSON export cut mid-emoji holds a lone surrogate ("\ud83d"): Lingua cannot read it, the worker failed,
    # was stopped and started twice, and then detection here raised UnicodeEncodeError (the report stopped).
    texts = ["Late delivery and the box was crushed \ud83d", "late\x00 delivery again today",
             "x" * 10 + " the parcel never came" * 50_000]
    worker = languages._worker()
    languages.forget_languages()
    assert languages.detect_languages(texts) == here(texts) == ["en", "en", "en"]
    assert languages._worker_now is worker and worker.process.poll() is None  # not restarted
    languages.forget_languages()


def test_a_batch_the_worker_fails_on_does_not_stop_the_worker():
    worker = languages._worker()
    with pytest.raises(TypeError):  # not text: fails in the worker, then alike here
        languages._detect_elsewhere([None])
    assert languages._worker_now is worker and worker.process.poll() is None


def test_a_hundred_thousand_distinct_comments_get_the_in_process_languages():
    texts = batch(0, 100_000)
    languages.forget_languages()
    found = languages.detect_languages(texts)
    # BASE holds 6 languages in turn: 100,000 / 6 -> 16,667 of the first four, 16,666 of the last two.
    assert [found.count(c) for c in ("en", "es", "fr", "de", "pt", "it")] == [16_667] * 4 + [16_666] * 2
    sample = slice(0, None, 50)
    assert found[sample] == here(texts[sample])
    languages.forget_languages()


EXIT_MID_BATCH = """
import sys, threading, time
from cjm.voice import languages
texts = [f"the parcel number {i} arrived late and broken" for i in range(50_000)]
threading.Thread(target=lambda: languages.detect_languages(texts), daemon=True).start()
while languages._worker_now is None:
    time.sleep(0.01)
print(languages._worker_now.process.pid, flush=True)
time.sleep(float(sys.argv[1]))
"""


@pytest.mark.parametrize("wait", ["0", "1.5"])
def test_exiting_while_the_worker_loads_or_detects_prints_nothing_and_leaves_no_worker(wait):
    # Before: exiting mid-batch printed "Language detection in the worker failed (... EOFError)".
    done = subprocess.run([sys.executable, "-c", EXIT_MID_BATCH, wait], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert (done.returncode, done.stderr) == (0, "")
    worker = int(done.stdout.split()[0])
    assert not os.path.exists(f"/proc/{worker}")  # killed and reaped at exit, not left running


@pytest.mark.parametrize("lines", [False, True])
def test_a_json_export_cut_mid_emoji_loads_and_its_comments_are_read(lines):
    # "\ud83d" without its second half: before, the file's table could not be built (UnicodeEncodeError) and the
    # report stopped. Now the half character is U+FFFD; the comment is English; the whole emoji stays whole.
    from cjm import engine
    from cjm.data.dataset import SourceFile, parse_files

    records = ['{"customer_id": "a", "timestamp": "2024-01-01", "event": "review", "text": "Box crushed \\ud83d"}',
               '{"customer_id": "b", "timestamp": "2024-01-02", "event": "review", "text": "Fine \\ud83d\\ude00"}']
    text = "\n".join(records) if lines else "[" + ",".join(records) + "]"
    parsed = parse_files([SourceFile("export.jsonl" if lines else "export.json", text.encode())])
    comments = list(engine.execute(parsed.events).sort_values("customer_id")["text"])
    assert comments == ["Box crushed \ufffd", "Fine \U0001F600"]
    assert languages.detect_languages(comments[:1]) == here(comments[:1])
