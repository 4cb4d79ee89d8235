"""Review: journey-map numbers against hand computation and against the brute-force reference
(tests/reference_maps.py), on nasty literal logs and on random logs (hypothesis)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cjm import engine
from cjm.maps import build_current_map, build_day_map, build_future_map, compute_projection
from tests import reference_maps as R
from cjm.data.dataset import Dataset
from tests.helpers import event_frame

STAGES = ("awareness", "consideration", "conversion", "retention", "loyalty")
MAPPED = {"ad": "awareness", "view": "consideration", "buy": "conversion", "inv": "retention", "ref": "loyalty",
          "other": None}
COLS = ("customer_id", "timestamp", "event", "revenue", "score", "segment")
N = None
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate], database=None)


def frame(rows):
    return event_frame(rows, COLS, stages={k: v for k, v in MAPPED.items() if v})


def data(f, stages=STAGES):
    """The Dataset over an events frame, with the stage model `stages`."""
    return Dataset.from_events(engine.register(f), stages=stages)


def current(rows, **kw):
    return build_current_map(data(frame(rows)), **kw)


def lane(jm, name):
    return [jm.cell(name, s).number for s in STAGES]


# a: ad, view, buy all at the same second (ties); view rated 5
# b: skips awareness: view (rated 1) 00:00, buy 01:00
# c: fractional seconds: ad 0, view 1.5 s, ad again 2 s (back to an earlier stage), buy 5.25 s
# d: a single event (ad)
# e: view 00:00, ad 02:00, view 03:00 (starts at a later stage, goes back)
NASTY = [
    ("a", "2024-01-01 00:00:00", "ad", N, N, "x"), ("a", "2024-01-01 00:00:00", "view", N, 5.0, "x"),
    ("a", "2024-01-01 00:00:00", "buy", 30.0, N, "x"),
    ("b", "2024-01-01 00:00:00", "view", N, 1.0, "x"), ("b", "2024-01-01 01:00:00", "buy", 20.0, N, "x"),
    ("c", "2024-01-01 00:00:00", "ad", N, N, "x"), ("c", "2024-01-01 00:00:01.5", "view", N, N, "x"),
    ("c", "2024-01-01 00:00:02", "ad", N, N, "x"), ("c", "2024-01-01 00:00:05.25", "buy", 10.0, N, "x"),
    ("d", "2024-01-02 00:00:00", "ad", N, N, "y"),
    ("e", "2024-01-01 00:00:00", "view", N, N, "x"), ("e", "2024-01-01 02:00:00", "ad", N, N, "x"),
    ("e", "2024-01-01 03:00:00", "view", N, N, "x"),
]


def test_nasty_log_kpis_match_the_hand_computation():
    jm = current(NASTY)
    # reach (any time): awareness a c d e; consideration a b c e; conversion a b c; nobody later
    assert lane(jm, "reached") == [4, 4, 3, None, None]
    assert [jm.stage(s).hidden for s in STAGES] == [False, False, False, True, True]
    # stage funnel awareness > consideration > conversion (b has no awareness event, so never enters):
    # a 3 (ties count: at or after), c 3, d 1, e 2 (entry at its 02:00 ad) -> 4, 3, 2
    assert jm.baseline["funnel_customers"] == [4, 3, 2]
    assert lane(jm, "conversion")[:2] == [pytest.approx(3 / 4), pytest.approx(2 / 3)]
    assert lane(jm, "dropoff")[:2] == [1, 1]
    assert jm.cell("conversion", "conversion").value == ""  # last occurring stage
    # time in awareness: a 0 s (view at the same second), c 1.5 s, e 1 h; d never leaves -> median 1.5 s
    assert jm.cell("time_in_stage", "awareness").number == pytest.approx(1.5)
    assert jm.cell("time_in_stage", "awareness").evidence.customers == 3
    # consideration: a 0 s, b 1 h, c 3.75 s; e never leaves forward -> median 3.75 s
    assert jm.cell("time_in_stage", "consideration").number == pytest.approx(3.75)
    # emotion at consideration: (5-3)/2 = +1 and (1-3)/2 = -1 -> 0 with n = 2
    assert jm.cell("emotions", "consideration").number == 0.0
    assert jm.cell("emotions", "consideration").evidence.comments == 2
    # value per converted customer: a 30, b 20, c 10 over 3 customers with a conversion event
    assert jm.baseline["value_per_conversion"] == pytest.approx(20.0)


def test_a_segment_with_one_customer_reads_that_customer_alone():
    jm = current(NASTY, segment="y")  # only d: a single ad event
    assert lane(jm, "reached") == [1, None, None, None, None]
    assert jm.cell("conversion", "awareness").value == ""
    assert jm.cell("time_in_stage", "awareness").number is None


def test_a_stage_nobody_reaches_in_the_middle_is_skipped_by_the_funnel_and_net_revenue_counts():
    rows = [("a", "2024-01-01 00:00", "ad", N, N, "x"), ("a", "2024-01-01 00:00", "buy", 30.0, N, "x"),
            ("a", "2024-01-03 00:00", "buy", -10.0, N, "x"),  # a refund: net 20
            ("b", "2024-01-01 00:00", "ad", N, N, "x"), ("b", "2024-01-01 05:00", "inv", N, N, "x"),
            ("c", "2024-01-01 00:00", "ad", N, 4.0, "x")]
    jm = current(rows)
    assert jm.baseline["funnel_stages"] == ["awareness", "conversion", "retention"]
    assert jm.baseline["funnel_customers"] == [3, 1, 0]
    assert jm.cell("conversion", "awareness").value == "33.3% of 3 to conversion"
    assert jm.cell("conversion", "conversion").number == 0.0
    # awareness: a 0 s (buy at the same second), b 5 h (to retention; skipping stages counts) -> 2.5 h
    assert jm.cell("time_in_stage", "awareness").number == 9000
    assert jm.cell("emotions", "awareness").number == 0.5
    assert jm.baseline["value_per_conversion"] == 20.0
    p = compute_projection(build_future_map(jm, targets={"awareness": {"conversion": 0.5}}))
    # today: 3 x 1/3 = 1 conversion x 20 = 20; projected: 3 x 0.5 = 1.5 conversions x 20 = 30
    assert p["today"]["conversions"] == pytest.approx(1.0) and p["today"]["revenue"] == pytest.approx(20.0)
    assert p["projected"]["conversions"] == pytest.approx(1.5) and p["projected"]["revenue"] == pytest.approx(30.0)


def test_an_event_exactly_at_the_window_end_is_inside_the_window():
    rows = [("a", "2024-01-01 00:00:00", "ad", N, N, "x"), ("a", "2024-01-01 01:00:00", "view", N, N, "x"),
            ("b", "2024-01-01 00:00:00", "ad", N, N, "x"), ("b", "2024-01-01 01:00:00.001", "view", N, N, "x")]
    jm = current(rows, window_seconds=3600)
    assert jm.baseline["funnel_customers"] == [2, 1]  # a at exactly entry + window counts; b 1 ms late does not


# --- random logs ------------------------------------------------------------------------------------------

EVENTS = ("ad", "view", "buy", "inv", "ref", "other")
row = st.tuples(st.sampled_from("abcde"), st.integers(0, 12), st.sampled_from(EVENTS),
                st.sampled_from([None, 10.0, -5.0]), st.sampled_from([None, None, 1.0, 2.0, 3.0, 4.0, 5.0]),
                st.sampled_from("xy"), st.sampled_from([0, 0, 500]))


def literal(draw_rows):
    base = pd.Timestamp("2024-03-04 00:00:00")
    return [(c, str(base + pd.Timedelta(seconds=600 * t + ms / 1000)), e, rev, sc, seg)
            for c, t, e, rev, sc, seg, ms in draw_rows]


def _close(a, b):
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or (isinstance(a, float) and math.isnan(a))) == (b is None)
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)


@SETTINGS
@given(st.lists(row, min_size=1, max_size=18), st.sampled_from([1800, 3600, 604800]))
def test_random_logs_match_the_reference_per_stage(rows, window):
    rows = literal(rows)
    f = frame(rows)
    if not f["stage_index"].ge(0).any():
        return
    jm = build_current_map(data(f), window_seconds=window)
    ref = f.copy()
    ref["timestamp"] = pd.to_datetime(ref["timestamp"], utc=True)
    kpis, present, counts = R.map_kpis(ref, STAGES, window=window)
    tis, emo = R.time_in_stage(ref, STAGES), R.emotion(ref, STAGES)
    for s in present:
        assert jm.cell("reached", s).number == kpis[s]["reached"], s
        assert _close(jm.cell("conversion", s).number, kpis[s]["conversion"]), s
        assert _close(jm.cell("dropoff", s).number, kpis[s]["dropoff"]), s
        n, median = tis[s]
        assert _close(jm.cell("time_in_stage", s).number, median), (s, jm.cell("time_in_stage", s), median)
        if n:
            assert jm.cell("time_in_stage", s).evidence.customers == n
        mean, k = emo[s]
        assert _close(jm.cell("emotions", s).number, mean), s
        if k:
            assert jm.cell("emotions", s).evidence.comments == k
    if len(present) >= 2:
        assert jm.baseline["funnel_customers"] == counts
        goal = "conversion" if "conversion" in present else present[-1]
        assert jm.baseline["goal"] == goal
        assert _close(jm.baseline["value_per_conversion"], R.value_per_conversion(ref, goal, present, window))
        targets = {s: 0.5 for s in present[::2]}
        p = compute_projection(build_future_map(jm, targets={s: {"conversion": v} for s, v in targets.items()}))
        before = present[:present.index(goal)]
        today = {s: kpis[s]["conversion"] or 0.0 for s in before}
        want = R.projection(counts[0], today, targets, before, R.value_per_conversion(ref, goal, present, window))
        assert p["today"]["conversions"] == pytest.approx(want["today"])
        assert p["today"]["conversions"] == pytest.approx(counts[present.index(goal)])
        assert p["projected"]["conversions"] == pytest.approx(want["projected"])
        assert _close(p["projected"]["revenue"], want["projected_revenue"])


# --- day in the life --------------------------------------------------------------------------------------

def test_day_in_the_life_counts_events_by_utc_hour_and_weekday_monday_first():
    # 2024-03-04 is a Monday. Events at 23:59:59.5 Mon, 00:00 Tue (boundary), 00:00:00 Tue again (tie),
    # 02:59:59 Sun, 03:00 Sun (next block), and one given with a +02:00 offset (= 22:30 UTC Wednesday).
    rows = [("a", "2024-03-04 23:59:59.5", "ad", N, N, "x"), ("a", "2024-03-05 00:00:00", "view", N, N, "x"),
            ("b", "2024-03-05 00:00:00", "ad", N, N, "x"), ("b", "2024-03-10 02:59:59", "buy", N, N, "x"),
            ("c", "2024-03-10 03:00:00", "ad", N, N, "x"), ("c", "2024-03-07 00:30:00+02:00", "view", N, N, "x")]
    jm = build_day_map(data(frame(rows)))
    heat = jm.heat
    assert heat[0][23] == 1 and heat[1][0] == 2 and heat[6][2] == 1 and heat[6][3] == 1 and heat[2][22] == 1
    assert sum(map(sum, heat)) == 6
    assert jm.cell("interactions", "h00").number == pytest.approx(3 / 6)  # Tue 00:00 x2 + Sun 02:59:59
    assert jm.cell("interactions", "h21").number == pytest.approx(2 / 6)  # Mon 23:59:59.5 + Wed 22:30
    assert jm.cell("interactions", "h03").number == pytest.approx(1 / 6)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 14 * 24 * 60)), min_size=1, max_size=25))
def test_random_day_heat_matches_the_reference(rows):
    base = pd.Timestamp("2024-03-01 00:00:00")
    rows = [(c, str(base + pd.Timedelta(minutes=m)), "ad", N, N, "x") for c, m in rows]
    f = frame(rows)
    jm = build_day_map(data(f))
    assert jm.heat == R.heat(f.assign(timestamp=pd.to_datetime(f["timestamp"], utc=True)))


def test_day_in_the_life_hours_stay_utc_whatever_the_machine_time_zone(tmp_path):
    import os
    import subprocess
    import sys
    code = ("from cjm.maps import build_day_map\nfrom tests.helpers import dataset\n"
            "ds = dataset([('a', '2024-03-04 10:00:00', 'ad')], stages={'ad': 'awareness'})\n"
            "jm = build_day_map(ds)\n"
            "print([(d, h) for d in range(7) for h in range(24) if jm.heat[d][h]])\n")
    for tz in ("America/New_York", "Asia/Tokyo"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "TZ": tz, "PYTHONPATH": "."})
        assert out.stdout.strip() == "[(0, 10)]", (tz, out.stdout, out.stderr)  # Monday 10:00 UTC


# --- future state: gap to today and edge cases of the projection ---------------------------------------

def test_gap_to_today_is_target_minus_today_per_measure():
    jm = current(NASTY)
    fut = build_future_map(jm, targets={"consideration": {"conversion": 0.9, "sentiment": 0.5, "seconds": 2.0}})
    # today at consideration: conversion 2/3, sentiment 0.0, median time 3.75 s
    # gaps: 0.9 - 2/3 = +23.3 points; 0.5 - 0 = +0.50; 2 s - 3.75 s = -1.75 s (shown rounded to whole seconds)
    assert fut.cell("gap_to_today", "consideration").value == "conversion +23.3 pts\nsentiment +0.50\ntime -2 s"
    p = compute_projection(fut)
    # 4 entries x 3/4 (awareness, today) x 0.9 (target) = 2.7; today 4 x 3/4 x 2/3 = 2
    assert p["projected"]["conversions"] == pytest.approx(2.7)
    assert p["today"]["conversions"] == pytest.approx(2.0)
    assert p["projected"]["revenue"] == pytest.approx(2.7 * 20.0)


def test_a_target_on_a_hidden_stage_does_not_change_the_projection():
    fut = build_future_map(current(NASTY), targets={"consideration": {"conversion": 0.9}})
    fut.hide_stage("consideration")
    assert compute_projection(fut)["projected"]["conversions"] == pytest.approx(2.0)


def test_the_goal_is_conversion_when_it_occurs_even_in_a_long_custom_model():
    stages = tuple(f"s{i}" for i in range(11)) + ("conversion",)
    mapping = {**{f"e{i}": s for i, s in enumerate(stages)}, "__order__": stages}
    rows = [(c, f"2024-01-01 00:{i:02d}", f"e{i}") for c in "ab" for i in range(12 if c == "a" else 5)]
    jm = build_current_map(data(event_frame(rows, stages=mapping), stages))
    assert jm.baseline["goal"] == "conversion"


def test_day_blocks_share_busiest_weekdays_and_channels_by_hand():
    # 2024-03-04 and 2024-03-11 are Mondays
    rows = [("a", "2024-03-04 01:00", "ad", "web"), ("a", "2024-03-04 02:00", "ad", "web"),
            ("b", "2024-03-05 01:30", "ad", "app"), ("b", "2024-03-11 00:10", "ad", "app"),
            ("c", "2024-03-11 02:59", "ad", "email"), ("c", "2024-03-04 05:00", "ad", "web")]
    f = event_frame(rows, ("customer_id", "timestamp", "event", "channel"), stages={"ad": "awareness"})
    jm = build_day_map(data(f, ("awareness", "consideration")))
    # 00-03: 5 of 6 events, Mon 4 / Tue 1; channels web 2, app 2, email 1. 03-06: c's Monday 05:00 web
    assert jm.cell("interactions", "h00").value == "83.3%"  # the lane: interactions (share of the day)
    assert jm.cell("busiest_days", "h00").value == "Mon (80%), Tue (20%)"
    assert sorted(jm.cell("channels", "h00").value.split("\n")) == ["app (40%)", "web (40%)"]
    assert jm.cell("busiest_days", "h03").value == "Mon (100%)"
    assert jm.cell("interactions", "h06").number == 0


def test_kpi_cells_carry_the_counts_they_rest_on():
    jm = current(NASTY)
    assert jm.cell("reached", "consideration").evidence.customers == 4        # reach, any time
    assert jm.cell("conversion", "consideration").evidence.customers == 3     # funnel count at the stage
    assert jm.cell("dropoff", "awareness").evidence.customers == 4
    # d's only event (an ad on 2 Jan) is the last day of the data: its 7-day window is still open
    assert jm.cell("dropoff", "awareness").value == "1 of 4 (25.0%)\n1 of them still in progress"


def test_emotion_averages_ratings_and_english_text_and_leaves_unscored_languages_out():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    en = "The delivery was terrible and the box arrived broken"
    de = "Die Lieferung war schrecklich und die Verpackung kaputt"
    rows = [("a", "2024-01-01 00:00", "ad", N, N, N), ("a", "2024-01-01 01:00", "buy", 10.0, 4.0, en),
            ("b", "2024-01-01 00:00", "ad", N, N, de), ("b", "2024-01-01 02:00", "buy", N, N, N)]
    f = event_frame(rows, ("customer_id", "timestamp", "event", "revenue", "score", "text"),
                    stages={k: v for k, v in MAPPED.items() if v})
    jm = build_current_map(data(f))
    vader = SentimentIntensityAnalyzer().polarity_scores(en)["compound"]  # -0.7351
    # conversion: rating 4 -> +0.5 and the English comment -> VADER; two signals on one event
    assert jm.cell("emotions", "conversion").number == pytest.approx((0.5 + vader) / 2)
    assert jm.cell("emotions", "conversion").evidence.comments == 2
    # awareness: only a German comment, which no model scores: no emotion, never a neutral 0
    assert jm.cell("emotions", "awareness").number is None


def test_targets_are_checked_against_a_newer_current_map():
    from cjm.maps import compute_target_status
    fut = build_future_map(current(NASTY), targets={"consideration": {"conversion": 0.6, "seconds": 2.0}})
    newer = current(NASTY + [("f", "2024-01-03 00:00:00", "ad", N, N, "x"),
                             ("f", "2024-01-03 00:00:10", "view", N, N, "x"),
                             ("f", "2024-01-03 00:00:20", "buy", 5.0, N, "x")])
    status = compute_target_status(fut, newer).set_index("measure")
    # newer: funnel 5, 4, 3 -> consideration 3/4 >= 0.6 met; time in consideration a 0, b 3600, c 3.75, f 10 -> 6.875 s
    assert status.loc["conversion", "actual"] == pytest.approx(0.75) and bool(status.loc["conversion", "met"])
    assert status.loc["conversion", "baseline"] == pytest.approx(2 / 3)
    assert status.loc["seconds", "actual"] == pytest.approx(6.875) and not bool(status.loc["seconds", "met"])


@SETTINGS
@given(st.lists(row, min_size=1, max_size=18))
def test_random_segment_maps_match_the_reference_on_that_segments_customers(rows):
    rows = [(c, t, e, rev, sc, "x" if c in "abc" else "y", ms) for c, t, e, rev, sc, _, ms in rows]
    f = frame(literal(rows))
    sub = f[f["segment"] == "x"]
    if not sub["stage_index"].ge(0).any():
        return
    jm = build_current_map(data(f), segment="x")
    ref = sub.assign(timestamp=pd.to_datetime(sub["timestamp"], utc=True))
    kpis, present, counts = R.map_kpis(ref, STAGES)
    tis = R.time_in_stage(ref, STAGES)
    for s in present:
        assert jm.cell("reached", s).number == kpis[s]["reached"]
        assert _close(jm.cell("conversion", s).number, kpis[s]["conversion"])
        assert _close(jm.cell("time_in_stage", s).number, tis[s][1])


def test_targets_at_or_after_the_goal_do_not_move_the_projection_and_no_revenue_gives_none():
    rows = [(c, t, e, N, N, "x") for c, t, e, *_ in NASTY] + [("a", "2024-01-01 05:00:00", "inv", N, N, "x")]
    jm = current(rows)  # no revenue at all; retention now occurs after the goal (conversion)
    p = compute_projection(build_future_map(jm, targets={"conversion": {"conversion": 1.0},
                                                         "retention": {"conversion": 1.0}}))
    assert p["goal"] == "conversion"
    assert p["projected"]["conversions"] == pytest.approx(p["today"]["conversions"]) == pytest.approx(2.0)
    assert p["today"]["revenue"] is None and p["projected"]["revenue"] is None
    zero = compute_projection(build_future_map(jm, targets={"awareness": {"conversion": 0.0}}))
    assert zero["projected"]["conversions"] == 0.0
