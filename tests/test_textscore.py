"""Language detection and the VADER scorer: English is scored, other languages are left unscored."""

import numpy as np
import pandas as pd
import pytest

from cjm.voice import textscore
from cjm.voice.textscore import TextScorer, VaderScorer, detect_language, get_scorer, score_texts


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
    assert textscore.detect_languages(texts) == ["en", "pt", "und", "und", "ar"]
    assert textscore.detect_languages(texts) == [detect_language(t) for t in texts]


def test_vader_gives_clear_praise_a_positive_and_clear_complaints_a_negative_score():
    values = get_scorer().score(["I love this shop, the staff were wonderful and helpful",
                                 "Terrible service, the worst delivery I have ever had",
                                 "The parcel was delivered on Tuesday"])
    assert values[0] > 0.5 and values[1] < -0.5 and abs(values[2]) < 0.05


def test_non_english_text_is_unscored_never_neutral():
    values = get_scorer().score(["El servicio fue muy malo", "الخدمة كانت سيئة جدا",
                                 "خدمات خیلی بد بود", "Доставка опоздала, ужасно", "Le vol était en retard"])
    assert np.isnan(values).all()


def test_a_short_text_is_scored_only_when_vader_knows_one_of_its_words():
    # "😡" is "pouting face" to VADER: no word it knows, so scoring it would be a false neutral.
    values = get_scorer().score(["Terrible!!", "love it", "😢", "Servicio malo", "@united 1234", "DM sent", "😡"])
    assert values[0] < 0 and values[1] > 0 and values[2] < 0
    assert np.isnan(values[3:]).all()


def test_vader_is_a_text_scorer():
    assert isinstance(VaderScorer(), TextScorer)
    assert get_scorer().languages == ("en",)


def test_score_texts_scores_each_distinct_text_once_and_caches_it():
    calls = []

    class Counting:
        name, languages = "counting-test", ("en",)

        def score(self, texts):
            calls.append(list(texts))
            return np.array([float(len(t)) / 100 for t in texts])

    textscore.clear_cache()
    first = score_texts(["good", "bad", "good", None, "bad"], scorer=Counting())
    assert list(first["text"]) == ["good", "bad"] and calls == [["good", "bad"]]
    again = score_texts(["bad", "new"], scorer=Counting())
    assert calls == [["good", "bad"], ["new"]]
    assert list(again["value"]) == [0.03, 0.03]


def test_score_texts_records_the_language_and_whether_it_was_scored():
    frame = score_texts(["What a lovely experience, thank you", "Der Service war nicht gut und sehr langsam"])
    assert list(frame["language"]) == ["en", "de"]
    assert list(frame["scored"]) == [True, False]


def test_real_airline_tweets_are_detected_as_english_with_few_exceptions():
    from tests.helpers import real_file

    tweets = pd.read_csv(real_file("airline_tweets.csv"))["text"].head(3000)
    languages = pd.Series([detect_language(t) for t in tweets])
    assert (languages == "en").mean() > 0.95
    assert languages.isin(["en", "und"]).mean() > 0.998


def test_an_airline_mention_is_not_read_as_the_positive_word_united():
    complaint, plain = get_scorer().score(["@united my flight was delayed an hour and I'm arriving 8 hrs late",
                                           "my flight was delayed an hour and I'm arriving 8 hrs late"])
    assert complaint == plain < 0


def test_language_codes_have_plain_names():
    assert textscore.language_name("es") == "Spanish"
    assert textscore.language_name("und") == "too short to tell"
    assert textscore.language_name("xx") == "xx"


PORTUGUESE_REVIEWS = {  # hand-written, in the style of marketplace reviews; stars -> text
    5: ["Produto excelente, chegou antes do prazo. Recomendo!",
        "Adorei, muito bom e de ótima qualidade.",
        "Entrega rápida e o produto é lindo, estou muito satisfeita."],
    1: ["Péssimo, o produto não chegou e ninguém responde.",
        "Produto com defeito, horrível. Não recomendo.",
        "Muito ruim, veio quebrado e a loja não resolveu o problema."],
}


def test_leia_scores_portuguese_praise_positive_and_complaints_negative():
    scorer = get_scorer("leia")
    good, bad = scorer.score(PORTUGUESE_REVIEWS[5]), scorer.score(PORTUGUESE_REVIEWS[1])
    # LeIA's lexicon does not know "lindo" or "satisfeita": that praise reads 0, never negative.
    assert list(good) == [0.784, 0.4215, 0.0]
    assert list(bad) == [-0.296, -0.7351, -0.891]
    assert good.mean() - bad.mean() >= 0.3


def test_leia_leaves_english_and_arabic_unscored():
    assert np.isnan(get_scorer("leia").score(["The delivery was terrible", "الخدمة كانت سيئة جدا"])).all()


def test_the_lexicon_scorer_routes_each_text_to_the_model_of_its_language():
    lexicon = get_scorer("lexicon")
    assert isinstance(lexicon, TextScorer) and lexicon.languages == ("en", "pt")
    texts = ["Terrible service, the worst delivery ever", "Péssimo, o produto não chegou e ninguém responde.",
             "الخدمة كانت سيئة جدا", "Terrible!!", "Le vol était en retard et le personnel très impoli"]
    values = lexicon.score(texts)
    assert values[0] == get_scorer("vader").score(texts[:1])[0] < 0
    assert values[1] == get_scorer("leia").score(texts[1:2])[0] < 0
    assert np.isnan(values[2]) and values[3] < 0 and np.isnan(values[4])


def test_score_texts_counts_arabic_as_unscored_arabic_never_neutral():
    frame = score_texts(["الخدمة كانت سيئة جدا", "منتج ممتاز"], scorer=get_scorer("lexicon"))
    assert list(frame["language"]) == ["ar", "ar"] and not frame["scored"].any()


def test_a_short_text_without_a_lexicon_word_is_unscored_in_any_language_never_a_false_neutral():
    values = get_scorer("lexicon").score(["Fast delivery!", "Great delivery!", "Entrega rápida.", "Produto ótimo"])
    assert np.isnan(values[0]) and values[1] > 0  # VADER knows "great", not "fast" or "delivery"
    assert np.isnan(values[2]) and values[3] > 0  # LeIA knows "ótimo", not "entrega" or "rápida"


def test_the_script_of_a_text_is_that_of_its_first_letter():
    assert textscore.script_of("42 Привет, world") == "CYRILLIC"
    assert textscore.script_of("!! late delivery") == "LATIN"
    assert textscore.script_of("الخدمة سيئة") == "ARABIC"
    assert textscore.script_of("送货太慢了") == "CJK"
    assert textscore.script_of("123 ?!") == ""


def test_a_batch_loads_each_scripts_models_with_one_text_read_alone_first(monkeypatch):
    textscore.clear_cache()
    monkeypatch.setattr(textscore, "_loaded_scripts", set())
    detector = textscore._detector()
    alone = []
    monkeypatch.setattr(textscore, "_detector", lambda: type("Spy", (), {
        "detect_languages_in_parallel_of": lambda self, batch: detector.detect_languages_in_parallel_of(batch),
        "detect_language_of": lambda self, text: alone.append(text) or detector.detect_language_of(text)})())
    texts = ["Доставка опоздала на неделю", "The flight was late and the crew was rude",
             "Обслуживание ужасное, доставка опоздала", "El vuelo llegó tarde y la tripulación fue grosera"]
    assert textscore.detect_languages(texts) == ["ru", "en", "ru", "es"]
    # Latin script: a fixed plain sentence (a text with a letter only one language has loads no model)
    assert alone == ["Доставка опоздала на неделю", textscore._MODEL_SAMPLES["LATIN"]]
    textscore.clear_cache()
    assert textscore.detect_languages(texts[::-1]) == ["es", "ru", "en", "ru"]
    assert len(alone) == 2  # loaded once per process
    textscore.clear_cache()


def test_the_language_models_are_preloaded_once_in_the_background_and_detection_is_unchanged():
    from cjm.voice import textscore

    first = textscore.preload_language_models()
    texts = ["the flight was delayed again and nobody helped", "el pedido llegó tarde otra vez", "ok"]
    during = textscore.detect_languages(texts)  # may run while the models are still loading: it waits
    first.join(timeout=120)
    assert not first.is_alive()
    assert textscore.preload_language_models() is first
    assert "LATIN" in textscore._loaded_scripts
    textscore.clear_cache()
    assert textscore.detect_languages(texts) == during == ["en", "es", "und"]


def test_the_command_line_report_starts_loading_the_language_models(tmp_path):
    import subprocess
    import sys

    events = tmp_path / "events.csv"
    events.write_text("customer_id,timestamp,event,comment\nc1,2024-01-01 10:00,visit,the delivery was late\n"
                      "c1,2024-01-02 10:00,purchase,\n", encoding="utf-8")
    code = ("import sys, cjm.__main__ as m; from cjm.voice import textscore as t;"
            " status = m.main(['report', sys.argv[1], '--out', sys.argv[2]]);"
            " print(status, t._preloading.name if t._preloading else None)")
    out = subprocess.run([sys.executable, "-c", code, str(events), str(tmp_path / "r.json")], capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["0", "cjm-language-models"]
    assert (tmp_path / "r.json").exists()
