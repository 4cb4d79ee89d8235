"""Review 11: exports written in Japanese (a shop's order log with Japanese headers, Amazon's Japanese reviews
without a header row) and a French CRM export whose id column is "Identifiant client". Expected values are
worked out by hand from the literal rows in each test (made-up customers and texts)."""

from __future__ import annotations

import pytest

from cjm import report
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from tests.helpers import parsed_text as load, report_kpis as kpis

JAPANESE_SHOP = ("顧客ID,注文日,イベント,評価,コメント,金額\n"
                 "C1,2024/03/01 10:00,購入,5,とても良い商品でした。また購入したいです。,1200\n"
                 "C2,2024/03/02 11:00,購入,1,届いた商品が壊れていました。返金してほしいです。,800\n"
                 "C1,2024/03/05 09:00,購入,4,配送が早くて助かりました。ありがとうございます。,500\n")


def test_a_japanese_shop_exports_columns_are_mapped_by_their_japanese_names():
    # Was: nothing mapped ("cjm needs a customer id ... closest columns ['顧客ID', ...]").
    mapping = load(JAPANESE_SHOP).files[0].mapping.columns
    assert mapping == {"customer_id": "顧客ID", "timestamp": "注文日", "event": "イベント", "score": "評価",
                       "text": "コメント", "revenue": "金額"}


def test_a_japanese_shop_exports_customers_revenue_and_csat_are_counted():
    # 2 customers (C1 twice); revenue 1200 + 800 + 500 = 2500; CSAT: 4-5 stars on 2 of 3 ratings.
    parsed = load(JAPANESE_SHOP)
    figures = kpis(parsed)
    assert (figures["customers"], figures["revenue"]) == (2, 2500)
    sentiment = report.build_report(build_dataset(parsed))["sentiment"]["overall"]
    assert sentiment["csat_n"] == 3 and sentiment["csat"] == pytest.approx(2 / 3)


def test_japanese_reviews_without_a_header_row_have_their_text_column_found_and_counted_as_japanese():
    # Amazon's multilingual review corpus as a headerless CSV: id, review, stars. The reviews are long
    # Japanese texts with no spaces between words; no offline Japanese model: 3 texts, all unscored, 3 x "ja".
    text = ("101,ハロウィン用に購入しました。耳はかわいいけれど、つけた時に安定感がなく難しいです。,3\n"
            "102,他の商品よりも安いので試しに購入しました。入門用としては十分だと思います。,4\n"
            "103,届いてすぐに壊れました。説明書も分かりにくく、二度と買いたくないです。,1\n")
    parsed = parse_files([SourceFile("amazon_ja.csv", text.encode())])
    assert parsed.files[0].mapping.columns.get("text") == "column_2"
    overall = report.build_report(build_dataset(parsed))["sentiment"]["overall"]
    assert (overall["texts"], overall["unscored"], overall["unscored_languages"]) == (3, 3, {"ja": 3})


def test_a_french_exports_identifiant_client_is_the_customer_not_an_anonymous_respondent():
    # Was: no id found, each row one respondent (3 customers). C1 twice: 2 customers; revenue 120 + 80 + 50.
    parsed = load("Identifiant client,Date,Événement,Montant\n"
                  "C1,2024-03-01,achat,120\nC2,2024-03-02,achat,80\nC1,2024-03-09,achat,50\n")
    assert parsed.files[0].mapping.columns["customer_id"] == "Identifiant client"
    assert (kpis(parsed)["customers"], kpis(parsed)["revenue"]) == (2, 250)


def test_a_long_spanish_review_lingua_cannot_tell_from_portuguese_is_not_scored_by_the_english_model():
    import math

    from cjm.voice.textscore import score_texts

    text = "Lo que se anuncia. Sin nada raro. A mis gatas les encanta y yo feliz para evitar que salga la arena"
    scored = score_texts([text])
    assert math.isnan(scored["value"].iloc[0])
