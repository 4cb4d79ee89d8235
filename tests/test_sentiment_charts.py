"""Chart specs for sentiment, pain points, follow-up and risk (asserted through chart.to_dict())."""

import pandas as pd

from cjm.present.charts import SENTIMENT_RANGE
from cjm.present.charts.followup import closed_loop_chart, followup_by_department_chart, risk_distribution_chart
from cjm.present.charts.sentiment import (
    emotion_curve_chart,
    pain_points_chart,
    sentiment_by_chart,
    sentiment_over_time_chart,
)

COLUMNS = ["group", "n", "mean", "ci_low", "ci_high", "negative_share", "nps", "nps_n", "csat", "csat_n"]


def by_stage():
    rows = [("awareness", 30, 0.4, 0.2, 0.6, 0.1, None, 0, 0.8, 30, 0),
            ("consideration", 0, None, None, None, None, None, 0, None, 0, 1),
            ("conversion", 25, -0.35, -0.5, -0.2, 0.6, None, 0, 0.2, 25, 2),
            ("unmapped", 3, -0.9, -1.0, -0.6, 1.0, None, 0, None, 0, -1)]
    return pd.DataFrame(rows, columns=[*COLUMNS, "order"])


def layers(spec):
    def mark(layer):
        return layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
    return {mark(layer): layer for layer in spec["layer"]}


def tooltip_titles(layer):
    return [t["title"] for t in layer["encoding"]["tooltip"]]


def test_the_emotion_curve_keeps_stage_order_and_names_the_lowest_mapped_stage():
    spec = emotion_curve_chart(by_stage()).to_dict()
    assert spec["title"]["text"] == "Sentiment is lowest at conversion (mean -0.35, 25 responses)"
    marks = layers(spec)
    assert set(marks) >= {"area", "line", "circle", "rule"}
    points = marks["circle"]["encoding"]
    assert points["x"]["sort"] == ["awareness", "consideration", "conversion", "unmapped"]
    assert points["size"]["field"] == "n"
    assert points["color"]["scale"]["range"] == list(SENTIMENT_RANGE)
    assert points["color"]["scale"]["domain"] == [-1.0, 0.0, 1.0]
    assert marks["area"]["encoding"]["y2"]["field"] == "ci_high"
    assert {"Responses", "Mean sentiment", "CSAT", "NPS (points)"} <= set(tooltip_titles(marks["circle"]))
    assert "Mean sentiment" in marks["area"]["encoding"]["y"]["title"]


def layer_data(spec, mark, field):
    """Rows of the first layer with this mark that encodes `field` (on y or as text)."""
    for layer in spec["layer"]:
        kind = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        encoded = {e.get("field") for e in layer["encoding"].values() if isinstance(e, dict)}
        if kind == mark and field in encoded:
            return layer, spec["datasets"][layer["data"]["name"]]
    raise AssertionError(f"no {mark} layer encoding {field}")


def test_stages_without_feedback_are_gaps_marked_no_feedback_never_zero():
    spec = emotion_curve_chart(by_stage()).to_dict()
    _, circles = layer_data(spec, "circle", "mean")
    assert "consideration" not in [row["group"] for row in circles]
    line, rows = layer_data(spec, "line", "mean")
    gap = next(row for row in rows if row["group"] == "consideration")
    assert gap["mean"] is None and line["mark"]["invalid"] == "break-paths-show-domains"
    _, notes = layer_data(spec, "text", "note")
    assert [(row["group"], row["note"], row["y"]) for row in notes] == [("consideration", "no feedback here", 0.0)]
    assert spec["title"]["subtitle"].endswith("no feedback at consideration")


def test_every_point_of_the_emotion_curve_is_labelled_with_its_responses():
    spec = emotion_curve_chart(by_stage()).to_dict()
    _, labels = layer_data(spec, "text", "responses")
    assert [row["responses"] for row in labels] == ["n = 30", "n = 25", "n = 3"]


def test_sentiment_by_touchpoint_says_touchpoint_not_event():
    frame = pd.DataFrame([("chat", 40, -0.2, -0.3, -0.1, 0.5, None, 0, None, 0)], columns=COLUMNS)  # the only group
    spec = sentiment_by_chart(frame, by="event", label="Touchpoint").to_dict()
    # The only group was titled "Most negative touchpoint: chat": with one group nothing is compared (souq
    # reviews read "Most negative touchpoint: feedback (mean +0.54)"); the title still says touchpoint.
    assert spec["title"]["text"] == "All feedback is on one touchpoint: chat (mean -0.20, 40 responses)"
    assert layers(spec)["bar"]["encoding"]["y"]["title"] == "Touchpoint"


def test_sentiment_over_time_states_the_change_in_its_title():
    frame = pd.DataFrame([(pd.Timestamp("2024-01-01"), 25, -0.2, -0.5, 0.1, 0.4, None, 0, None, 0),
                          (pd.Timestamp("2024-02-01"), 40, 0.3, 0.1, 0.5, 0.1, None, 0, None, 0)], columns=COLUMNS)
    spec = sentiment_over_time_chart(frame, period="month").to_dict()
    assert spec["title"]["text"] == "Sentiment rose from -0.20 (n = 25) to +0.30 (n = 40) (2024-01-01 to 2024-02-01)"
    assert layers(spec)["circle"]["encoding"]["x"]["title"] == "Month (start date)"


def test_sentiment_by_channel_names_the_most_negative_channel():
    frame = pd.DataFrame([("web", 40, 0.2, 0.1, 0.3, 0.1, 12.5, 40, None, 0),
                          ("phone", 22, -0.4, -0.6, -0.2, 0.7, -30.0, 22, None, 0)], columns=COLUMNS)
    spec = sentiment_by_chart(frame, by="channel").to_dict()
    assert spec["title"]["text"] == "Most negative channel: phone (mean -0.40, 22 responses)"
    bars = layers(spec)["bar"]
    assert bars["encoding"]["y"]["sort"] == ["phone", "web"] and bars["encoding"]["y"]["title"] == "Channel"
    assert layers(spec)["rule"]["encoding"]["x2"]["field"] == "ci_high"


def test_pain_point_bars_carry_share_stages_and_a_quote():
    themes = pd.DataFrame({"theme": ["late delivery", "rude staff"], "terms": [("late delivery",), ("rude staff",)],
                           "count": [10, 5], "share": [10 / 15, 5 / 15],
                           "stages": [["conversion"], ["consideration", "retention"]],
                           "quotes": [["Awful late delivery"], ["Rude staff"]], "quote_values": [[-0.7], [-0.5]]})
    spec = pain_points_chart(themes).to_dict()
    assert spec["title"]["text"] == "Top pain point: late delivery (10 comments, 66.7% of negative comments)"
    share = next(t for t in spec["encoding"]["tooltip"] if t["field"] == "share")
    assert share["format"] == ".1%"
    data = spec["datasets"][spec["data"]["name"]]
    assert data[1]["stages_text"] == "consideration, retention" and data[0]["quote"] == "Awful late delivery"
    assert spec["encoding"]["x"]["title"] == "Negative comments (count)"


def test_empty_inputs_give_a_chart_that_says_there_is_nothing_to_show():
    empty = pd.DataFrame(columns=["theme", "terms", "count", "share", "stages", "quotes", "quote_values"])
    assert pain_points_chart(empty).to_dict()["title"]["text"] == "No recurring theme in the negative comments"
    no_feedback = by_stage().assign(n=0)
    assert emotion_curve_chart(no_feedback).to_dict()["title"]["text"].startswith("No scored feedback")


def test_the_closed_loop_chart_plots_value_against_days_since_with_owner_colours():
    loop = pd.DataFrame({"customer_id": ["b", "a"], "value": [300.0, 100.0], "value_basis": "revenue",
                         "last_feedback": ["rating 2/5", "Awful"], "sentiment": [-0.5, -0.8],
                         "source": ["score", "text"], "at": pd.to_datetime(["2024-01-06", "2024-01-05"], utc=True),
                         "stage": "unmapped", "event": "review", "channel": None,
                         "department": ["support", "sales"], "days_since": [4.0, 5.0]})
    spec = closed_loop_chart(loop).to_dict()
    assert spec["title"]["text"] == "2 unhappy customers to call back; most valuable: b (300.00, 4.0 days ago)"
    assert spec["encoding"]["y"]["title"] == "Customer value (total revenue)"
    assert spec["encoding"]["x"]["title"] == "Days since the negative feedback (days)"
    assert "Last feedback" in [t["title"] for t in spec["encoding"]["tooltip"]]


def test_the_follow_up_chart_names_the_department_with_most_follow_ups():
    by = pd.DataFrame({"department": ["support", "sales"], "customers": [2, 5], "value": [11.0, 3.0],
                       "median_days_since": [2.0, 1.0], "value_basis": "revenue"})
    spec = followup_by_department_chart(by).to_dict()
    assert spec["title"]["text"] == "sales owns the most follow-ups (5 customers)"


def test_the_risk_distribution_marks_the_threshold_and_shows_churned_customers_apart():
    bands = pd.DataFrame({"bin_start": [0.0, 0.5], "bin_end": [0.5, 1.0], "customers": [6, 5],
                          "at_risk_customers": [0, 2], "churned_customers": [0, 3], "other_customers": [6, 0]})
    spec = risk_distribution_chart(bands, threshold=0.5, method="model").to_dict()
    assert spec["title"]["text"] == "2 of 11 customers at risk (18.2%, risk at or above 50%)"
    assert spec["title"]["subtitle"] == ("Risk scored by a model trained on the churn label; "
                                         "3 customers already churned are shown apart (lost, not at risk)")
    bars = layers(spec)["bar"]
    assert bars["encoding"]["x"]["title"] == "Risk of leaving (0 to 1)"
    assert bars["encoding"]["y"]["title"] == "Customers (count)"
    assert bars["transform"][0]["fold"] == ["at risk", "already churned", "not at risk"]
    assert bars["encoding"]["color"]["scale"]["range"][0] == "#d73027"
    assert "All customers in this band" in tooltip_titles(bars)
    assert layers(spec)["rule"]["encoding"]["x"]["field"] == "x"


def test_a_headline_names_only_points_with_enough_responses():
    # The case from the issue: +1.00 from one response, +0.36 from many. The first month with 20+
    # responses is March, so the title compares March with April and names both n.
    frame = pd.DataFrame([(pd.Timestamp("2024-01-01"), 1, 1.0, 1.0, 1.0, 0.0, None, 0, None, 0),
                          (pd.Timestamp("2024-02-01"), 19, -0.5, -0.7, -0.3, 0.6, None, 0, None, 0),
                          (pd.Timestamp("2024-03-01"), 20, 0.1, 0.0, 0.2, 0.2, None, 0, None, 0),
                          (pd.Timestamp("2024-04-01"), 80, 0.36, 0.3, 0.4, 0.1, None, 0, None, 0)], columns=COLUMNS)
    spec = sentiment_over_time_chart(frame, period="month").to_dict()
    assert spec["title"]["text"] == "Sentiment rose from +0.10 (n = 20) to +0.36 (n = 80) (2024-03-01 to 2024-04-01)"
    thin = sentiment_over_time_chart(frame.iloc[:3], period="month").to_dict()
    assert thin["title"]["text"] == ("Sentiment over time: too few responses to state a change (fewer than two "
                                     "months have 20 or more)")


def test_the_lowest_stage_is_named_only_when_two_stages_have_enough_responses():
    rows = [("awareness", 19, 0.4, 0.2, 0.6, 0.1, None, 0, None, 0, 0),
            ("retention", 3, -0.9, -1.0, -0.6, 1.0, None, 0, None, 0, 3),
            ("conversion", 25, -0.35, -0.5, -0.2, 0.6, None, 0, None, 0, 2)]
    spec = emotion_curve_chart(pd.DataFrame(rows, columns=[*COLUMNS, "order"])).to_dict()
    assert spec["title"]["text"] == ("Mean sentiment per stage: too few responses to name the lowest stage "
                                     "(fewer than two stages have 20 or more)")
    rows[0] = ("awareness", 20, 0.4, 0.2, 0.6, 0.1, None, 0, None, 0, 0)
    spec = emotion_curve_chart(pd.DataFrame(rows, columns=[*COLUMNS, "order"])).to_dict()
    assert spec["title"]["text"] == "Sentiment is lowest at conversion (mean -0.35, 25 responses)"  # not retention (n = 3)


def test_when_all_feedback_sits_at_one_stage_the_curve_says_so_rather_than_too_few_responses():
    # airline_tweets.csv: 14,236 scored tweets, every one at retention; "too few responses" was wrong.
    rows = [("awareness", 0, None, None, None, None, None, 0, None, 0, 0),
            ("retention", 14236, 0.05, 0.04, 0.06, 0.3, None, 0, None, 0, 3),
            ("loyalty", 0, None, None, None, None, None, 0, None, 0, 4)]
    spec = emotion_curve_chart(pd.DataFrame(rows, columns=[*COLUMNS, "order"])).to_dict()
    assert spec["title"]["text"] == ("All feedback is at retention (mean +0.05, 14,236 responses): "
                                     "no other stage to compare it with")


def test_the_closed_loop_names_a_count_value_in_whole_events_not_money():
    # airline_tweets.csv has no revenue: value is the number of events, and "28.00" read like money.
    loop = pd.DataFrame({"customer_id": ["otisday", "b"], "value": [28.0, 1.0], "value_basis": "events",
                         "last_feedback": ["Late again", "Awful"], "sentiment": [-0.44, -0.8],
                         "source": ["text", "text"], "at": pd.to_datetime(["2015-02-22", "2015-02-21"], utc=True),
                         "stage": "retention", "event": "feedback", "channel": None,
                         "department": ["unassigned", "unassigned"], "days_since": [1.8, 2.5]})
    spec = closed_loop_chart(loop).to_dict()
    assert spec["title"]["text"] == "2 unhappy customers to call back; most valuable: otisday (28 events, 1.8 days ago)"
    value = next(t for t in spec["encoding"]["tooltip"] if t["title"] == "Value")
    assert value["format"] == ",.0f"
    one = closed_loop_chart(loop.iloc[[1]].assign(value_basis="purchases")).to_dict()
    assert one["title"]["text"] == "1 unhappy customer to call back; most valuable: b (1 purchase, 2.5 days ago)"


def test_the_responses_legend_counts_whole_responses():
    # two days of 1 and 2 responses: Vega's nice ticks were 0.0 0.5 1.0 1.5 2.0 responses; a count steps by one
    frame = pd.DataFrame([(pd.Timestamp("2026-03-01"), 1, 0.4, None, None, 0.0, None, 0, None, 0),
                          (pd.Timestamp("2026-03-02"), 2, -0.5, None, None, 0.5, None, 0, None, 0)], columns=COLUMNS)
    for spec in (sentiment_over_time_chart(frame, period="day").to_dict(), emotion_curve_chart(by_stage()).to_dict()):
        legend = layers(spec)["circle"]["encoding"]["size"]["legend"]
        assert (legend["format"], legend["tickMinStep"]) == (",d", 1)
