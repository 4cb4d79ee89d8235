"""Review 10: a real NPS survey export (one row per response: response id, the service appointment it rates,
when it was submitted, the 0..10 answer) and a Google Play review export in Indonesian. Every expected value is
worked out by hand from the literal CSV above it; the values are made up."""

import pytest

from cjm import report
from cjm.data.dataset import build_dataset
from tests.helpers import parsed_text as load

# Two answers of 11 on a 0..10 question: a survey tool's export damaged by hand or by an import.
NPS_EXPORT = ("response_id,serviceappointment_id,submitted_at,nps\n"
              "r1,A1,2022-10-04 19:50:52,10.0\n"
              "r2,A2,2022-10-05 09:10:00,9.0\n"
              "r3,A3,2022-10-05 11:00:00,7.0\n"
              "r4,A4,2022-10-06 12:00:00,3.0\n"
              "r5,A5,2022-10-06 13:00:00,11.0\n"
              "r6,A6,2022-10-07 08:00:00,0.0\n"
              "r7,A7,2022-10-07 09:00:00,8.0\n"
              "r8,A8,2022-10-08 10:00:00,10.0\n")


def test_an_nps_column_with_a_few_answers_above_10_still_gives_the_nps_of_the_valid_answers():
    # Valid answers: 10, 9, 7, 3, 0, 8, 10 (the 11 is left out): promoters 3 of 7, detractors 2 of 7,
    # NPS = (3 - 2) / 7 * 100 = 14.29.
    overall = report.build_report(build_dataset(load(NPS_EXPORT)))["sentiment"]["overall"]
    assert overall["nps"] == pytest.approx(100 / 7)
    assert overall["nps_n"] == 7


def test_an_nps_export_without_a_customer_column_counts_each_response_as_one_respondent():
    # No customer column (response_id names the answer, serviceappointment_id the visit): 8 respondents.
    parsed = load(NPS_EXPORT)
    assert parsed.files[0].mapping.shape == "anonymous"
    assert (parsed.accounting.rows_in, parsed.accounting.rows_used) == (8, 8)
    assert report.build_report(build_dataset(parsed))["kpis"]["customers"] == 8


# Google Play reviews scraped with google-play-scraper (at, userName, score, content) of an Indonesian app.
INDONESIAN_TEXTS = [
    "Tolong tambahkan metode pembayaran kartu kredit, kalau cuma dompet digital repot harus isi saldo dulu",
    "Aplikasinya sangat membantu, tapi pembayaran sering gagal dan pesanan saya belum sampai juga",
    "Kopinya enak dan banyak promo, pelayanannya cepat sekali, tidak perlu antri lagi",
]


def test_indonesian_review_texts_are_read_as_indonesian_not_portuguese_turkish_or_german():
    from cjm.voice.languages import detect_languages, language_name

    assert detect_languages(INDONESIAN_TEXTS) == ["id", "id", "id"]
    assert language_name("id") == "Indonesian"


def test_indonesian_reviews_are_never_scored_by_the_portuguese_model_but_counted_unscored_as_indonesian():
    # Three reviews, each with a 1..5 rating and an Indonesian comment: the ratings 1, 4, 5 give (r - 3) / 2 =
    # -1, 0.5, 1 (mean 1/6); no offline model reads Indonesian, so the three texts are unscored, as Indonesian.
    csv = "at,userName,score,content\n" + "".join(
        f'2024-11-0{i + 1} 10:00:00,Reviewer {i},{score},"{text}"\n'
        for i, (score, text) in enumerate(zip((1, 4, 5), INDONESIAN_TEXTS)))
    overall = report.build_report(build_dataset(load(csv)))["sentiment"]["overall"]
    assert overall["unscored_languages"] == {"id": 3}
    assert overall["n"] == 3 and overall["mean"] == pytest.approx(1 / 6)
