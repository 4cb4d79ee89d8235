"""The Sentiment page on the demo data (streamlit AppTest): tiles, emotion curve, views, pain points, quotes."""

import json
import re
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from cjm.data.dataset import parse_files
from cjm.errors import InsufficientDataError
from cjm.voice.sentiment import compute_signals
from cjm.spec import DashboardSpec
from cjm.ui.data import demo_sources
from tests.helpers import dataset
from tests.apptest import open_app

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "app_pages/sentiment.py"
KEY = "cjm.sentiment."


def app(spec: DashboardSpec | None = None) -> AppTest:
    return open_app(PAGE, spec=spec)


@pytest.fixture(scope="module")
def page() -> AppTest:
    return app()


def charts(at) -> list[dict]:
    """Each chart's Vega-Lite spec, with the rows Streamlit sends beside it under "rows"."""
    out = []
    for chart in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        tables = [pa.ipc.open_stream(d.data.data).read_all() for d in chart.proto.datasets]
        spec["rows"] = [row for table in tables for row in table.to_pylist()]
        out.append(spec)
    return out


def chart_titled(at, start: str) -> dict:
    found = [c for c in charts(at) if c.get("title", {}).get("text", "").startswith(start)]
    assert found, [c.get("title", {}).get("text") for c in charts(at)]
    return found[0]


def quotes(at) -> list[str]:
    """The comments quoted under "Quotes" (blockquotes whose detail line links to a customer)."""
    return [m.value for m in at.markdown if m.value.startswith("> ") and "customer?customer=" in m.value]


def quoted_values(at) -> list[float]:
    return [float(re.search(r" · ([+-]\d\.\d\d) · ", q.replace("\\", "")).group(1)) for q in quotes(at)]


def test_the_sentiment_page_runs_on_the_demo_data_without_an_error(page):
    assert not page.exception, page.exception
    assert not page.error, [e.value for e in page.error]
    assert page.title[0].value == "Sentiment"


def test_the_csat_tile_shows_its_number_of_ratings_and_nps_is_not_faked_on_1_to_5_ratings(page):
    tiles = {m.label: m.value for m in page.metric}
    csat = next(label for label in tiles if label.startswith("CSAT"))
    assert re.fullmatch(r"CSAT · [\d,]+ ratings", csat) and tiles[csat].endswith("%")
    assert tiles["NPS"] == "–"


def test_comments_in_other_languages_are_counted_as_unscored_with_their_languages(page):
    tiles = {m.label: m.value for m in page.metric}
    assert int(tiles["Unscored comments"]) > 0
    note = next(c.value for c in page.caption if "comments are left unscored" in c.value)
    assert "Spanish" in note and "French" in note and "not counted as neutral" in note


def test_the_emotion_curve_shows_the_stages_in_order_and_marks_those_without_feedback(page):
    curve = chart_titled(page, "Sentiment is lowest at")
    points = next(layer for layer in curve["layer"] if layer["mark"].get("type") == "circle")
    assert points["encoding"]["x"]["sort"] == ["awareness", "consideration", "conversion", "retention", "loyalty"]
    notes = [(r["group"], r["note"]) for r in curve["rows"] if r.get("note")]
    assert notes == [(s, "no feedback here") for s in ("awareness", "consideration", "conversion")]
    labelled = {r["group"]: r["responses"] for r in curve["rows"] if "responses" in r and r["n"] > 0}
    assert set(labelled) == {"retention", "loyalty"} and all(re.fullmatch(r"n = [\d,]+", v) for v in labelled.values())
    assert any("the curve leaves a gap there" in c.value for c in page.caption)


def test_choosing_over_time_draws_the_sentiment_trend_by_month(page):
    page.button_group(key=KEY + "view").set_value("period").run()
    assert not page.exception
    trend = next(c for c in charts(page) if re.match(r"Sentiment (rose|fell|held) from", c["title"]["text"]))
    assert any(layer["encoding"]["x"].get("title") == "Month (start date)" for layer in trend["layer"])
    assert len({r["group"] for r in trend["rows"]}) == 12
    page.button_group(key=KEY + "view").set_value("channel").run()
    assert chart_titled(page, "Most negative channel: phone")


def test_pain_points_are_listed_with_real_quotes_as_text(page):
    assert chart_titled(page, "Top pain point: ")
    themes = [m.value for m in page.markdown if re.match(r"\*\*1\. .+\*\* · [\d,]+ negative comments", m.value)]
    assert themes, "the first theme is written out"
    theme_quotes = [m.value for m in page.markdown if m.value.startswith("> ") and "customer?customer=" not in m.value]
    assert len(theme_quotes) >= 3 and all(q.count("> ") >= 2 for q in theme_quotes)


def test_changing_the_sentiment_filter_of_the_quotes_changes_the_quotes_shown(page):
    everything = quotes(page)
    assert len(everything) == 8
    page.button_group(key=KEY + "mood").set_value("positive").run()
    positive = quotes(page)
    assert positive and positive != everything
    assert all(v > 0 for v in quoted_values(page))
    page.button_group(key=KEY + "mood").set_value("negative").run()
    assert quotes(page) != positive and all(v < 0 for v in quoted_values(page))
    page.button_group(key=KEY + "mood").set_value(None).run()
    assert quotes(page) == everything


def test_searching_the_comments_keeps_only_comments_with_the_words(page):
    page.text_input(key=KEY + "query").set_value("refund").run()
    found = quotes(page)
    assert found and all("refund" in q.lower() for q in found)
    page.text_input(key=KEY + "query").set_value("no comment says this xyzzy").run()
    assert not quotes(page) and any("No comment matches" in i.value for i in page.info)
    page.text_input(key=KEY + "query").set_value("").run()


def test_reading_the_scores_as_nps_gives_an_nps_tile_with_its_responses(page):
    page.selectbox(key=KEY + "scale").set_value("nps10").run()
    assert not page.exception and not page.error
    tiles = {m.label: m.value for m in page.metric}
    nps = next(label for label in tiles if label.startswith("NPS"))
    assert re.fullmatch(r"NPS · [\d,]+ responses", nps) and re.fullmatch(r"[+-]\d+\.\d", tiles[nps])
    assert tiles["CSAT"] == "–"
    page.selectbox(key=KEY + "scale").set_value("auto").run()


def test_without_score_or_text_the_page_says_which_column_would_enable_it():
    probe = AppTest.from_file(APP, default_timeout=120)
    probe.run()
    spec = probe.session_state["cjm.spec"]
    parsed = parse_files(demo_sources())
    mappings = {f.name: replace(f.mapping, columns={k: v for k, v in f.mapping.columns.items()
                                                    if k not in ("score", "text")})
                for f in parsed.files}
    at = app(replace(spec, mappings=mappings))
    assert not at.exception, at.exception
    message = " ".join(i.value for i in at.info)
    assert "Sentiment needs ratings" in message and "**score or text**" in message
    assert not charts(at)


def test_the_core_names_the_missing_columns_when_there_is_no_feedback():
    log = dataset([("a", "2024-01-01T00:00:00Z", "visit")])
    with pytest.raises(InsufficientDataError, match="'score' column.*'text' column"):
        compute_signals(log)


def test_undated_reviews_offer_no_trend_over_time_and_open_on_touchpoints():
    # 24 reviews without dates or ids (each row one respondent): no "Over time" choice, no empty trend chart
    reviews = "review,rating\n" + "".join(f"{'Broke after a week' if i % 3 else 'Great phone, fast delivery'},"
                                          f"{1 if i % 3 else 5}\n" for i in range(24))
    at = open_app(PAGE, files={"reviews.csv": reviews.encode()})
    assert not at.exception, at.exception
    view = at.session_state[KEY + "view"]
    assert view == "event"
    titles = [c.get("title", {}).get("text", "") for c in charts(at)]
    assert not any(t.startswith("Sentiment over time") for t in titles), titles
