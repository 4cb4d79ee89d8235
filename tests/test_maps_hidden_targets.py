"""A target on a stage the person hides is kept, comes back with the stage, and the map says it is not counted.

Hand log (tests/test_maps.py's LOG): 4 customers enter at awareness, 3 of 4 move on (75%), 2 of 3 buy (2/3): today
4 x 0.75 x 2/3 = 2 conversions (x 75 = 150). A target of 100% at awareness projects 4 x 1 x 2/3 = 2.67 (200). With
awareness hidden the projection leaves that target out (2 conversions, as today), which before was said nowhere: the
target table lists visible stages only, so the target looked gone.
"""

from __future__ import annotations

import json

import pytest

from cjm.maps import JourneyMap, build_current_map, build_future_map, compute_projection, refresh
from cjm.maps.future import hidden_targets
from cjm.maps.render import to_svg
from tests.helpers import dataset
from tests.test_maps import COLUMNS, LOG, MAPPED


@pytest.fixture(scope="module")
def current():
    return build_current_map(dataset(LOG, COLUMNS, stages=MAPPED))


def test_hiding_a_stage_keeps_its_target_and_says_the_projection_leaves_it_out(current):
    future = build_future_map(current, targets={"awareness": {"conversion": 1.0, "seconds": 3600}})
    assert compute_projection(future)["projected"]["conversions"] == pytest.approx(8 / 3)
    future.rename_stage("awareness", "Discover")
    future.hide_stage("awareness")
    p = compute_projection(future)
    assert p["projected"]["conversions"] == pytest.approx(2) and p["projected"]["revenue"] == pytest.approx(150)
    assert p["left_out"] == ["Discover"]
    assert hidden_targets(future) == ["Discover: conversion 100.0%, time 1 h 00 min"]  # as the target lane writes it
    assert "Not counted: the conversion target of the hidden stage Discover (show the stage again to count it)" \
        in to_svg(future, projection=p)


def test_the_target_of_a_hidden_stage_survives_a_save_and_comes_back_when_the_stage_is_shown(current):
    future = build_future_map(current, targets={"awareness": {"conversion": 1.0}})
    future.hide_stage("awareness")
    again = refresh(JourneyMap.from_dict(json.loads(future.to_json())), current)  # saved, opened again
    assert again.targets["awareness"].conversion == 1.0 and again.stage("awareness").hidden
    again.hide_stage("awareness", False)
    p = compute_projection(again)
    assert p["projected"]["conversions"] == pytest.approx(8 / 3) and p["left_out"] == []
    assert hidden_targets(again) == []
    assert "Not counted" not in to_svg(again, projection=p)


def test_a_hidden_stage_without_a_conversion_target_is_named_but_changes_nothing_in_the_projection(current):
    future = build_future_map(current, targets={"consideration": {"sentiment": 0.5}})
    future.hide_stage("consideration")
    assert compute_projection(future)["left_out"] == []
    assert hidden_targets(future) == ["consideration: sentiment +0.50"]
