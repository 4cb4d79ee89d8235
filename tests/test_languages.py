"""Language detection (cjm.voice.languages): Lingua in a worker process, the same answers as in this one."""

import os
import signal
import subprocess
import sys

import pandas as pd
import pytest

from cjm.voice import languages
from cjm.voice.languages import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("My order arrived two weeks late and nobody answered my emails", "en"),
        ("El servicio fue muy malo y el pedido llegó tarde", "es"),
        ("Le vol était en retard et le personnel était très impoli avec nous", "fr"),
        ("Die Lieferung war sehr spät und der Service ist nicht gut", "de"),
        ("O pedido chegou atrasado e o atendimento não foi bom", "pt"),
        ("Il servizio è stato pessimo e la consegna non è arrivata", "it"),
        ("الخدمة كانت سيئة جدا والطلب وصل متأخرا", "ar"),
        ("خدمات خیلی بد بود و سفارش دیر رسید", "fa"),
        ("Доставка опоздала на неделю, обслуживание ужасное", "ru"),
        ("Доставка запізнилася, обслуговування жахливе і є проблеми", "uk"),
        ("המשלוח הגיע באיחור", "he"),
        ("配達が遅れました", "ja"),
        ("배송이 늦었어요", "ko"),
        ("送货太慢了", "zh"),
        ("Η παράδοση άργησε πολύ", "el"),
    ],
)
def test_the_language_of_a_comment_is_detected(text, language):
    assert detect_language(text) == language


def test_mentions_and_links_do_not_make_arabic_text_look_english():
    assert detect_language("@united http://t.co/abc الخدمة كانت سيئة جدا") == "ar"


def test_a_text_too_short_to_tell_is_undetermined():
    for text in ("Terrible", "ok", "😡😡", "@united 1234", "love it", ""):
        assert detect_language(text) == "und"


def test_a_short_text_the_detector_can_read_is_named_not_guessed_english():
    # Lingua reads two Spanish words as Spanish; the old stopword counter called them "too short".
    assert detect_language("Servicio malo") == "es"
    assert detect_language("Produto ótimo, recomendo") == "pt"


def test_only_the_first_thousand_characters_are_read_to_detect_the_language():
    text = "O pedido chegou atrasado e o atendimento não foi bom. " * 20 + "The order was late. " * 200
    assert len(text) > 4000 and detect_language(text) == "pt"


def test_detecting_many_texts_at_once_gives_the_same_languages_as_one_by_one():
    texts = ["My order arrived two weeks late", "O pedido chegou atrasado", None, "ok", "الخدمة كانت سيئة جدا"]
    assert languages.detect_languages(texts) == ["en", "pt", "und", "und", "ar"]
    assert languages.detect_languages(texts) == [detect_language(t) for t in texts]


def test_real_airline_tweets_are_detected_as_english_with_few_exceptions():
    from tests.helpers import real_file

    tweets = pd.read_csv(real_file("airline_tweets.csv"))["text"].head(3000)
    found = pd.Series(languages.detect_languages(tweets))
    assert (found == "en").mean() > 0.95
    assert found.isin(["en", "und"]).mean() > 0.998


def test_language_codes_have_plain_names():
    assert languages.language_name("es") == "Spanish"
    assert languages.language_name("und") == "too short to tell"
    assert languages.language_name("xx") == "xx"


def test_the_script_of_a_text_is_that_of_its_first_letter():
    assert languages.script_of("42 Привет, world") == "CYRILLIC"
    assert languages.script_of("!! late delivery") == "LATIN"
    assert languages.script_of("الخدمة سيئة") == "ARABIC"
    assert languages.script_of("送货太慢了") == "CJK"
    assert languages.script_of("123 ?!") == ""


def test_a_batch_loads_each_scripts_models_with_one_text_read_alone_first(monkeypatch):
    # what the worker runs, run here so that the detector can be watched
    monkeypatch.setattr(languages, "_loaded_scripts", set())
    detector = languages._detector()
    alone = []
    monkeypatch.setattr(languages, "_detector", lambda: type("Spy", (), {
        "detect_languages_in_parallel_of": lambda self, batch: detector.detect_languages_in_parallel_of(batch),
        "detect_language_of": lambda self, text: alone.append(text) or detector.detect_language_of(text)})())
    texts = ["Доставка опоздала на неделю", "The flight was late and the crew was rude",
             "Обслуживание ужасное, доставка опоздала", "El vuelo llegó tarde y la tripulación fue grosera"]
    assert languages.detect_prepared(texts) == ["ru", "en", "ru", "es"]
    # Latin script: a fixed plain sentence (a text with a letter only one language has loads no model)
    assert alone == ["Доставка опоздала на неделю", languages._MODEL_SAMPLES["LATIN"]]
    assert languages.detect_prepared(texts[::-1]) == ["es", "ru", "en", "ru"]
    assert len(alone) == 2  # loaded once per process


def test_the_models_load_once_in_a_worker_process_and_detection_there_gives_the_same_languages():
    first = languages.preload_language_models()
    texts = ["the flight was delayed again and nobody helped", "el pedido llegó tarde otra vez", "ok"]
    during = languages.detect_languages(texts)  # may run while the models are still loading: it waits
    pid, scripts = first.result(timeout=120)
    assert pid != os.getpid() and "LATIN" in scripts
    assert languages.preload_language_models() is first
    languages.forget_languages()
    assert languages.detect_languages(texts) == during == languages.detect_prepared(
        [languages.prepare(t) for t in texts]) == ["en", "es", "und"]


def test_languages_of_texts_seen_before_are_remembered_not_detected_again(monkeypatch):
    languages.forget_languages()
    texts = ["The flight was late and the crew was rude", "El vuelo llegó tarde y la tripulación fue grosera"]
    assert languages.detect_languages(texts) == ["en", "es"]
    asked, send = [], languages._detect_elsewhere
    monkeypatch.setattr(languages, "_detect_elsewhere", lambda batch: asked.append(batch) or send(batch))
    assert languages.detect_languages(texts + ["Le vol était en retard et l'équipage impoli", None, "42"]) == [
        "en", "es", "fr", "und", "und"]
    assert asked == [["Le vol était en retard et l'équipage impoli"]]  # a text without letters is never sent
    languages.forget_languages()


def test_a_worker_that_dies_is_replaced_and_detection_still_answers():
    pid, _ = languages.preload_language_models().result(timeout=120)
    os.kill(pid, signal.SIGKILL)
    languages.forget_languages()
    assert languages.detect_languages(["Die Lieferung war sehr spät und der Service ist nicht gut"]) == ["de"]
    new_pid, _ = languages.preload_language_models().result(timeout=120)
    assert new_pid not in (pid, os.getpid())


def test_the_command_line_report_starts_loading_the_language_models(tmp_path):
    events = tmp_path / "events.csv"
    events.write_text("customer_id,timestamp,event,comment\nc1,2024-01-01 10:00,visit,the delivery was late\n"
                      "c1,2024-01-02 10:00,purchase,\n", encoding="utf-8")
    code = ("import os, sys, cjm.__main__ as m; from cjm.voice import languages as l;"
            " status = m.main(['report', sys.argv[1], '--out', sys.argv[2]]);"
            " pid, scripts = l._warming.result(timeout=120); print(status, pid != os.getpid(), *scripts)")
    out = subprocess.run([sys.executable, "-c", code, str(events), str(tmp_path / "r.json")], capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["0", "True", "LATIN"]
    assert (tmp_path / "r.json").exists()
