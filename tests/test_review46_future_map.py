"""Review 46: the future-state map's baselines and projection, checked against tests/review46_reference.py.

Hand log (one day, 5-stage model; ad -> awareness, view -> consideration, purchase -> conversion,
invoice and refund -> retention):
  a: ad 00, view 01, purchase 02 (100), invoice 03
  b: ad 00, view 01, purchase 05 (60), refund 06 (-60)
  c: ad 00, view 02          d: ad 00          e: ad 00, view 01
  f: view 00, purchase 01 (40) (never saw an ad: outside the stage funnel, which starts at awareness)
  g: refund 00 (-10) only (a refund lifts nobody to retention)
Stage funnel: awareness 5 (a-e), consideration 4 (a, b, c, e), conversion 2 (a, b), retention 1 (a):
today 80% and 50% up to the goal, 5 x 0.8 x 0.5 = 2 conversions; value per converted customer (a 100, b 60 - 60)
= 50, so today's revenue 100. Targets awareness 90%, consideration 75%: 5 x 0.9 x 0.75 = 3.375 (168.75).
Newer data adds h: ad, view, purchase (80): 6 x 5/6 x 3/5 = 3 today, value (100 + 0 + 80) / 3 = 60.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from cjm.maps import (JourneyMap, build_current_map, build_future_map, compute_projection, compute_target_status,
                      refresh, reset_baselines, set_target)
from cjm.maps.future import hidden_targets
from tests import review46_reference as ref
from tests.helpers import dataset

FIVE = ("awareness", "consideration", "conversion", "retention", "loyalty")
MAPPED = {"ad": "awareness", "view": "consideration", "purchase": "conversion", "invoice": "retention",
          "refund": "retention"}
COLUMNS = ("customer_id", "timestamp", "event", "revenue")
N = None
LOG = [
    ("a", "2024-01-01 00:00", "ad", N), ("a", "2024-01-01 01:00", "view", N),
    ("a", "2024-01-01 02:00", "purchase", 100.0), ("a", "2024-01-01 03:00", "invoice", N),
    ("b", "2024-01-01 00:00", "ad", N), ("b", "2024-01-01 01:00", "view", N),
    ("b", "2024-01-01 05:00", "purchase", 60.0), ("b", "2024-01-01 06:00", "refund", -60.0),
    ("c", "2024-01-01 00:00", "ad", N), ("c", "2024-01-01 02:00", "view", N),
    ("d", "2024-01-01 00:00", "ad", N),
    ("e", "2024-01-01 00:00", "ad", N), ("e", "2024-01-01 01:00", "view", N),
    ("f", "2024-01-01 00:00", "view", N), ("f", "2024-01-01 01:00", "purchase", 40.0),
    ("g", "2024-01-01 00:00", "refund", -10.0),
]
NEWER = LOG + [("h", "2024-01-02 00:00", "ad", N), ("h", "2024-01-02 01:00", "view", N),
               ("h", "2024-01-02 02:00", "purchase", 80.0)]
TARGETS = {"awareness": 0.9, "consideration": 0.75}
WEEK = timedelta(days=7)


def as_log(rows):
    return [{"customer": c, "time": datetime.fromisoformat(t), "event": e, "revenue": r} for c, t, e, r in rows]


def reference(rows, targets=TARGETS, hidden=()):
    return ref.projection(as_log(rows), MAPPED, FIVE, targets, hidden=hidden, window=WEEK)


def current_map(rows):
    return build_current_map(dataset(rows, COLUMNS, stages=MAPPED))


def future_map(rows, targets=TARGETS):
    return build_future_map(current_map(rows), targets={s: {"conversion": v} for s, v in targets.items()})


def resaved(saved: JourneyMap, rows) -> JourneyMap:
    """Open the saved map (its JSON) on the data `rows` and save it again, as the Journey map page does."""
    opened = refresh(JourneyMap.from_json(saved.to_json()), current_map(rows))
    return JourneyMap.from_json(opened.to_json())


def same(p: dict, mine: dict) -> None:
    assert p["entries"] == mine["entries"]
    assert p["today"]["conversions"] == pytest.approx(mine["today"])
    assert p["projected"]["conversions"] == pytest.approx(mine["conversions"])
    assert p["projected"]["revenue"] == pytest.approx(mine["revenue"])
    assert p["value_per_conversion"] == pytest.approx(mine["value_per_converted"])


def test_the_projection_multiplies_the_targets_through_todays_entries_and_value():
    mine = reference(LOG)
    assert (mine["entries"], mine["today"], mine["conversions"], mine["revenue"]) == (5, 2, pytest.approx(3.375),
                                                                                      pytest.approx(168.75))
    p = compute_projection(future_map(LOG))
    same(p, mine)
    assert p["today"]["revenue"] == pytest.approx(100) and p["left_out"] == []


def test_without_targets_the_projection_is_today():
    mine = reference(LOG, targets={})
    assert mine["conversions"] == pytest.approx(2) and mine["revenue"] == pytest.approx(100)
    same(compute_projection(future_map(LOG, targets={})), mine)


def test_a_target_after_the_goal_changes_nothing():
    mine = reference(LOG, targets={"conversion": 1.0})
    assert mine["conversions"] == pytest.approx(2)
    same(compute_projection(future_map(LOG, targets={"conversion": 1.0})), mine)


def test_a_hidden_middle_stage_keeps_its_target_and_counts_todays_rate_in_its_place():
    mine = reference(LOG, hidden=("consideration",))
    assert mine["conversions"] == pytest.approx(5 * 0.9 * 0.5) and mine["left_out"] == ["consideration"]
    future = future_map(LOG)
    future.hide_stage("consideration")
    p = compute_projection(future)
    same(p, mine)
    assert p["left_out"] == ["consideration"]
    assert future.targets["consideration"].conversion == 0.75
    assert hidden_targets(future) == ["consideration: conversion 75.0%"]


def test_a_hidden_first_stage_leaves_its_target_out_and_keeps_todays_entries():
    mine = reference(LOG, hidden=("awareness",))
    assert mine["conversions"] == pytest.approx(5 * 0.8 * 0.75)
    future = future_map(LOG)
    future.hide_stage("awareness")
    p = compute_projection(future)
    same(p, mine)
    assert p["left_out"] == ["awareness"]


def test_the_projection_on_newer_data_uses_todays_entries_rates_and_value():
    saved = future_map(LOG)
    p = compute_projection(resaved(saved, NEWER))
    mine = reference(NEWER)
    assert (mine["entries"], mine["today"], mine["value_per_converted"]) == (6, 3, pytest.approx(60))
    assert mine["conversions"] == pytest.approx(6 * 0.9 * 0.75)
    same(p, mine)


def test_the_targets_baselines_are_the_figures_of_when_they_were_set_and_survive_growing_data():
    saved = future_map(LOG)
    assert saved.targets["awareness"].baseline == {"conversion": pytest.approx(0.8)}
    assert saved.targets["consideration"].baseline == {"conversion": pytest.approx(0.5)}
    again = resaved(resaved(saved, NEWER), NEWER)
    assert again.baseline["conversion"]["awareness"] == pytest.approx(5 / 6)  # the map's own figures: today's
    status = compute_target_status(again, current_map(NEWER)).set_index("stage")
    assert status.loc["awareness", ["baseline", "target", "actual"]].tolist() == pytest.approx([0.8, 0.9, 5 / 6])
    assert status.loc["consideration", ["baseline", "target", "actual"]].tolist() == pytest.approx([0.5, 0.75, 0.6])


def test_changing_a_target_keeps_its_baseline_clearing_drops_it_and_reset_takes_todays():
    again = resaved(future_map(LOG), NEWER)
    set_target(again, "awareness", conversion=0.95)
    assert again.targets["awareness"].baseline == {"conversion": pytest.approx(0.8)}
    set_target(again, "consideration", conversion=None)
    assert "consideration" not in again.targets
    set_target(again, "consideration", conversion=0.75)
    assert again.targets["consideration"].baseline == {"conversion": pytest.approx(0.6)}  # set anew: today's 3 of 5
    reset_baselines(again)
    assert again.targets["awareness"].baseline == {"conversion": pytest.approx(5 / 6)}


def test_a_version_2_map_takes_the_figures_it_was_saved_with_as_its_baselines():
    document = json.loads(future_map(LOG).to_json())
    document["version"] = 2
    for target in document["targets"].values():
        target.pop("baseline", None)
    old = JourneyMap.from_dict(document)
    again = resaved(old, NEWER)
    status = compute_target_status(again, current_map(NEWER)).set_index("stage")
    assert status.loc["awareness", "baseline"] == pytest.approx(0.8)
    assert status.loc["consideration", "baseline"] == pytest.approx(0.5)
    assert again.to_dict()["version"] == 3
    assert again.to_dict()["targets"]["awareness"]["baseline"] == {"conversion": pytest.approx(0.8)}


def test_a_hidden_stages_target_survives_the_json_and_the_newer_data_with_its_baseline():
    future = future_map(LOG)
    future.hide_stage("consideration")
    again = resaved(future, NEWER)
    assert again.stage("consideration").hidden
    assert again.targets["consideration"].conversion == 0.75
    assert again.targets["consideration"].baseline == {"conversion": pytest.approx(0.5)}
    same(compute_projection(again), reference(NEWER, hidden=("consideration",)))
