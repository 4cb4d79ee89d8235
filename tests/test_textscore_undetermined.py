"""The rule for undetermined ("und") text of 4 words or more: VADER reads it only when English may be its language, i.e.
English is one of the two languages Lingua finds likeliest for it, or nothing is left for Lingua to read (emoji
only). Shorter "und" text is scored when VADER knows one of its words, as before."""

from __future__ import annotations

import math

from cjm.voice.languages import detect_languages, may_be_english
from cjm.voice.textscore import score_texts

SPANISH = "Lo que se anuncia. Sin nada raro. A mis gatas les encanta y yo feliz para evitar que salga la arena"
ENGLISH = "@united I hope so too :)"  # Lingua: English or Dutch, too close to call
EMOJI = "😢😢"  # nothing for Lingua to read; VADER reads "crying face"
SHORT = "Terrible!!"  # French and Spanish write it too: too short to tell, and VADER knows it


def test_all_three_texts_are_undetermined_and_only_the_spanish_one_may_not_be_english():
    assert detect_languages([SPANISH, ENGLISH, EMOJI]) == ["und", "und", "und"]
    assert may_be_english([SPANISH, ENGLISH, EMOJI]) == [False, True, True]


def test_vader_reads_the_undetermined_english_and_emoji_texts_but_not_the_spanish_one():
    scored = score_texts([SPANISH, ENGLISH, EMOJI]).set_index("text")["value"]
    assert math.isnan(scored[SPANISH])
    # read by VADER exactly as an English text (the @mention removed): "hope" and ":)" are positive, "😢" negative
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    assert scored[ENGLISH] == vader.polarity_scores(" I hope so too :)")["compound"] > 0.5
    assert scored[EMOJI] == vader.polarity_scores(EMOJI)["compound"] < -0.5


def test_a_short_undetermined_text_vader_knows_is_still_scored_whatever_lingua_guesses():
    assert detect_languages([SHORT]) == ["und"]
    assert score_texts([SHORT])["value"].iloc[0] < 0
