"""Review 6, undated feedback on the Sentiment page (compute_facets "dated", view_picker): partly dated review
exports, filtered views and a saved "Over time" view on undated data. Expected values worked out by hand."""

import math

from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.data.filters import Filters
from cjm.voice.sentiment import compute_facets, compute_overall, compute_sentiment_by, compute_signals
from tests.apptest import open_app
from tests.helpers import parsed_text

PAGE = "app_pages/sentiment.py"
KEY = "cjm.sentiment."

# 24 reviews; rows 0..8 dated (15 Jan, 15 Feb, 15 Mar by row % 3), rows 9..23 without a date.
# Even rows: "Great phone" and 5 stars; odd rows: "Broke after a week" and 1 star.
PARTLY_DATED = "date,review,rating\n" + "".join(
    f"{'2024-0%d-15' % (i % 3 + 1) if i < 9 else ''},{'Broke after a week' if i % 2 else 'Great phone'},"
    f"{1 if i % 2 else 5}\n" for i in range(24))


def load(text: str):
    return parsed_text(text, "reviews.csv")


def test_a_review_without_a_date_still_counts_in_the_overall_figures():
    # 24 respondents, 12 gave 5 stars: CSAT 12 / 24 = 0.5. Before the fix the 15 undated rows were rejected as
    # "missing timestamp": 9 reviews, CSAT 5 / 9 (rows 0, 2, 4, 6, 8).
    parsed = load(PARTLY_DATED)
    assert parsed.files[0].mapping.shape == "anonymous"
    assert parsed.files[0].rows_used == 24
    overall = compute_overall(compute_signals(build_dataset(parsed)))
    assert overall["scores"] == 24 and overall["csat"] == 0.5


def test_the_trend_of_partly_dated_reviews_reads_only_the_dated_ones():
    # Jan: rows 0, 3, 6 -> 5, 1, 5 stars: CSAT 2/3; Feb: rows 1, 4, 7 -> 1, 5, 1: 1/3; Mar: rows 2, 5, 8: 2/3.
    # Each review is 2 signals (rating and comment): n = 6 per month. No point for the undated 15 (no NaT group).
    signals = compute_signals(build_dataset(load(PARTLY_DATED)))
    assert compute_facets(signals)["dated"] is True
    trend = compute_sentiment_by(signals, by="period", period="month")
    assert [str(g.date()) for g in trend["group"]] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert trend["n"].tolist() == [6, 6, 6]
    assert all(math.isclose(c, e) for c, e in zip(trend["csat"], [2 / 3, 1 / 3, 2 / 3]))


def test_a_dated_log_beside_an_undated_survey_trends_the_dated_feedback_only():
    # Log: a rates 4 on 1 Jan, b rates 2 on 3 Feb (dated). Survey: 3 undated respondents (5, 5, 1).
    # Trend by month: Jan n=1 CSAT 1, Feb n=1 CSAT 0; the survey is in the overall figures: CSAT 3 / 5.
    log = "customer_id,timestamp,event,rating\na,2024-01-01,review,4\nb,2024-02-03,review,2\n"
    survey = "rating\n5\n5\n1\n"
    parsed = parse_files([SourceFile("log.csv", log.encode()), SourceFile("survey.csv", survey.encode())])
    signals = compute_signals(build_dataset(parsed))
    overall = compute_overall(signals)
    assert overall["scores"] == 5 and math.isclose(overall["csat"], 3 / 5)
    trend = compute_sentiment_by(signals, by="period", period="month")
    assert [str(g.date()) for g in trend["group"]] == ["2024-01-01", "2024-02-01"]
    assert trend["csat"].tolist() == [1.0, 0.0]


def test_a_date_filter_on_partly_dated_reviews_keeps_the_dated_ones_in_its_range():
    # Filter 1 Feb - 31 Mar: rows 1, 4, 7 (Feb) and 2, 5, 8 (Mar) = 6 reviews, 3 of them 5 stars: CSAT 0.5;
    # the undated reviews are outside any date range.
    dataset = build_dataset(load(PARTLY_DATED)).filtered(Filters(start="2024-02-01", end="2024-03-31"))
    signals = compute_signals(dataset)
    assert compute_facets(signals)["dated"] is True
    overall = compute_overall(signals)
    assert overall["scores"] == 6 and overall["csat"] == 0.5


UNDATED = "review,rating\n" + "".join(f"{'Broke after a week' if i % 3 else 'Great phone, fast delivery'},"
                                      f"{1 if i % 3 else 5}\n" for i in range(24))


def test_an_undated_survey_trends_nothing_and_says_so_in_the_core():
    # No date at all: not dated, and the trend has no row (no NaT point) rather than an error.
    signals = compute_signals(build_dataset(load(UNDATED)))
    assert compute_facets(signals)["dated"] is False
    assert compute_sentiment_by(signals, by="period", period="month").empty


def test_a_saved_over_time_view_on_undated_feedback_opens_on_touchpoints_without_error():
    # A dashboard saved on dated data with "Over time" chosen, reopened on an undated survey: no traceback,
    # no "Over time" choice, the view falls back to touchpoints.
    at = open_app(files={"reviews.csv": UNDATED.encode()})
    at.session_state[KEY + "view"] = "period"
    at.session_state[KEY + "period"] = "week"
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    assert at.session_state[KEY + "view"] == "event"
    picker = [c for c in at.get("button_group") if "Sentiment by" in str(c.proto)]
    assert picker and "Over time" not in str(picker[0].proto)


def test_partly_dated_reviews_offer_the_trend_and_draw_it_without_error():
    at = open_app(files={"reviews.csv": PARTLY_DATED.encode()})
    at.session_state[KEY + "view"] = "period"
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    assert at.session_state[KEY + "view"] == "period"
