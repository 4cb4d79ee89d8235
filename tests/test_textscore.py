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
    for text in ("Great!", "Terrible", "ok", "😡😡", "Servicio malo", "@united 1234"):
        assert detect_language(text) == "und"


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
