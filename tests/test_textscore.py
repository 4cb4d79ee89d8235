"""The VADER and lexicon scorers: English (and Portuguese) is scored, other languages are left unscored."""

import numpy as np
import pandas as pd
import pytest

from cjm.voice import textscore
from cjm.voice.textscore import TextScorer, VaderScorer, get_scorer, score_texts


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


def test_an_airline_mention_is_not_read_as_the_positive_word_united():
    complaint, plain = get_scorer().score(["@united my flight was delayed an hour and I'm arriving 8 hrs late",
                                           "my flight was delayed an hour and I'm arriving 8 hrs late"])
    assert complaint == plain < 0


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
