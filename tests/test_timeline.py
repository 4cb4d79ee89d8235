"""One customer's timeline, profile and search."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm.journey import timeline
from cjm.present.charts.timeline import timeline_chart
from cjm.errors import ParameterError
from tests.helpers import dataset

STAGES = {"ad": "awareness", "view": "consideration", "buy": "conversion", "review": "retention"}
FIVE = ("awareness", "consideration", "conversion", "retention", "loyalty")
COLUMNS = ("customer_id", "timestamp", "event", "channel", "revenue", "score", "text")


def log():
    rows = [
        ("C-100", "2024-02-01T10:00:00", "ad", "social", None, None, None),
        ("C-100", "2024-02-01T10:00:00", "view", "web", None, None, None),       # same instant: file order
        ("C-100", "2024-02-03T09:00:00", "buy", "web", 40.0, None, None),
        ("C-100", "2024-02-05T09:00:00", "review", "email", None, 2.0, "Late delivery"),
        ("C-100", "2024-02-06T09:00:00", "buy", "store", 10.5, None, None),
        ("C-100", "2024-02-07T09:00:00", "ad", None, None, 4.0, None),
        ("c-200", "2024-01-01T00:00:00", "view", "web", None, None, None),
        ("X-300", "2024-01-01T00:00:00", "mystery", None, None, None, None),
    ]
    return dataset(rows, columns=COLUMNS, stages=STAGES)


def test_the_timeline_lists_a_customers_events_oldest_first_with_ties_in_file_order():
    frame = timeline.compute_customer_timeline(log(), customer_id="C-100")
    assert list(frame.columns) == list(timeline.TIMELINE_COLUMNS)
    assert frame["event"].tolist() == ["ad", "view", "buy", "review", "buy", "ad"]
    assert frame["stage"].tolist()[:3] == ["awareness", "consideration", "conversion"]
    assert frame["timestamp"].is_monotonic_increasing


def test_an_unknown_id_is_a_parameter_error_that_suggests_the_closest_ids():
    with pytest.raises(ParameterError, match=r"'C-10'.*C-100") as raised:
        timeline.compute_customer_timeline(log(), customer_id="C-10")
    assert "closest ids are: C-100" in str(raised.value)


def test_the_summary_profiles_the_customer():
    summary = timeline.compute_customer_summary(log(), customer_id="C-100")
    assert summary["first_seen"] == pd.Timestamp("2024-02-01T10:00:00", tz="UTC")
    assert summary["last_seen"] == pd.Timestamp("2024-02-07T09:00:00", tz="UTC")
    assert summary["events"] == 6
    assert summary["value_to_date"] == 50.5
    assert (summary["last_score"], summary["last_score_at"]) == (4.0, pd.Timestamp("2024-02-07T09:00:00", tz="UTC"))
    assert summary["last_text"] == "Late delivery"
    assert summary["furthest_stage"] == "retention"       # the latest stage of the model, not the last event
    assert summary["channels"] == ["social", "web", "email", "store"]
    assert "segment" not in summary and "at_risk" not in summary


def test_a_customer_with_no_revenue_or_mapped_stage_has_empty_values_not_zeros():
    summary = timeline.compute_customer_summary(log(), customer_id="X-300")
    assert summary["value_to_date"] is None
    assert summary["furthest_stage"] is None
    assert summary["last_score"] is None and summary["last_text"] is None
    assert summary["channels"] == []


def test_the_summary_adds_segment_and_risk_when_given():
    segments = pd.DataFrame({"customer_id": ["C-100", "c-200"], "segment": ["Loyal", "New"]})
    summary = timeline.compute_customer_summary(log(), customer_id="C-100", segments=segments, risk=["C-100"])
    assert (summary["segment"], summary["at_risk"]) == ("Loyal", True)
    other = timeline.compute_customer_summary(log(), customer_id="c-200", segments={"C-100": "Loyal"},
                                              risk=pd.DataFrame({"customer_id": ["C-100"], "at_risk": [True]}))
    assert (other["segment"], other["at_risk"]) == (None, False)


def test_search_finds_ids_by_part_in_any_case_prefix_matches_first():
    assert timeline.search_customers(log(), query="c-") == ["C-100", "c-200"]
    assert timeline.search_customers(log(), query="00") == ["C-100", "X-300", "c-200"]
    assert timeline.search_customers(log(), query="x") == ["X-300"]
    assert timeline.search_customers(log(), query="nobody") == []


def test_search_respects_the_limit_and_rejects_a_bad_one():
    assert len(timeline.search_customers(log(), query="", limit=2)) == 2
    with pytest.raises(ParameterError, match="0"):
        timeline.search_customers(log(), query="c", limit=0)


def test_the_timeline_chart_colours_by_stage_shapes_by_channel_and_titles_the_story():
    frame = timeline.compute_customer_timeline(log(), customer_id="C-100")
    spec = timeline_chart(frame, stages=FIVE, customer_id="C-100").to_dict()
    path, points = spec["layer"]
    assert path["mark"]["type"] == "line" and path["encoding"]["order"]["field"] == "order"  # events joined in order
    encoding = points["encoding"]
    assert encoding["color"]["field"] == "stage"
    assert encoding["color"]["scale"]["domain"] == list(FIVE) + ["unmapped"]
    assert encoding["shape"]["field"] == "channel"
    assert {t["field"] for t in encoding["tooltip"]} >= {"timestamp", "event", "revenue", "score", "text"}
    assert spec["title"]["text"] == "Customer C-100: 6 events over 6 days, furthest stage retention"
    assert encoding["x"]["title"] == "Time (UTC)"


def test_the_summary_reads_the_latest_segment_from_a_segment_column_of_the_events():
    rows = [("s", "2024-01-01T00:00:00", "view", "New"), ("s", "2024-02-01T00:00:00", "view", "Loyal"),
            ("s", "2024-03-01T00:00:00", "view", None), ("t", "2024-01-01T00:00:00", "view", None)]
    log_ = dataset(rows, columns=("customer_id", "timestamp", "event", "segment"), stages=STAGES)
    assert timeline.compute_customer_summary(log_, customer_id="s")["segment"] == "Loyal"
    assert timeline.compute_customer_summary(log_, customer_id="t")["segment"] is None
    assert "segment" not in timeline.compute_customer_summary(log(), customer_id="C-100")


def test_the_sequence_timeline_gives_every_event_its_own_slot_in_order():
    frame = timeline.compute_customer_timeline(log(), customer_id="C-100")
    spec = timeline_chart(frame, stages=FIVE, customer_id="C-100", spacing="sequence").to_dict()
    x = spec["layer"][1]["encoding"]["x"]
    assert x["field"] == "when" and x["sort"] == {"field": "order"}
    rows = spec["datasets"][spec["data"]["name"]]
    assert [r["when"] for r in rows][:2] == ["1. 2024-02-01 10:00", "2. 2024-02-01 10:00"]
    assert spec["layer"][1]["encoding"]["color"]["legend"]["values"] == ["awareness", "consideration", "conversion",
                                                                         "retention"]
    with pytest.raises(ValueError, match="'weekly'"):
        timeline_chart(frame, stages=FIVE, spacing="weekly")
