"""A future-state target keeps the baseline it was set against when the map is opened on newer data and saved again.

Hand log (tests/test_maps.py's LOG): a, b, c and d see an ad; a, b and c move on to consideration: awareness converts
3 of 4 = 75% today. Newer data (d left out): 3 of 3 = 100%. A target of 80% is set on the first data: its baseline is
75%. Before the fix the page saved the map again on the newer data (it saves on every edit) with the newer figures, and
the target status then read baseline 100% = actual: the 25 points gained since the target was set were gone.
"""

from __future__ import annotations

import json

import pytest

from cjm.maps import (JourneyMap, build_current_map, build_future_map, compute_target_status, refresh, reset_baselines,
                      set_target)
from tests.helpers import dataset
from tests.test_maps import COLUMNS, LOG, MAPPED


@pytest.fixture(scope="module")
def first():
    return build_current_map(dataset(LOG, COLUMNS, stages=MAPPED))


@pytest.fixture(scope="module")
def newer():
    return build_current_map(dataset([row for row in LOG if row[0] != "d"], COLUMNS, stages=MAPPED))


def resaved(saved: JourneyMap, fresh: JourneyMap) -> JourneyMap:
    """What the Journey map page does: open the saved map on the data of today and save it (JSON) again."""
    return JourneyMap.from_dict(json.loads(json.dumps(refresh(saved, fresh).to_dict())))


def status(jm: JourneyMap, actual: JourneyMap) -> dict:
    row = compute_target_status(jm, actual).set_index(["stage", "measure"]).loc[("awareness", "conversion")]
    return {k: row[k] for k in ("baseline", "target", "actual")}


def test_a_target_takes_todays_figure_as_its_baseline(first):
    future = build_future_map(first, targets={"awareness": {"conversion": 0.8}})
    assert future.targets["awareness"].baseline == {"conversion": 0.75}
    assert future.to_dict()["targets"]["awareness"]["baseline"] == {"conversion": 0.75}  # stored with the map


def test_saving_the_map_again_on_newer_data_keeps_the_baseline_of_when_the_target_was_set(first, newer):
    saved = build_future_map(first, targets={"awareness": {"conversion": 0.8}})
    again = resaved(resaved(saved, newer), newer)
    assert again.baseline["conversion"]["awareness"] == 1.0  # the map's own figures are today's
    assert status(again, newer) == {"baseline": 0.75, "target": 0.8, "actual": 1.0}  # was baseline 1.0
    assert again.cell("gap_to_today", "awareness").value == "conversion -20.0 pts"  # the gap is to today: 80 - 100


def test_changing_a_targets_value_keeps_its_baseline_and_clearing_it_drops_it(first, newer):
    again = resaved(build_future_map(first, targets={"awareness": {"conversion": 0.8}}), newer)
    set_target(again, "awareness", conversion=0.9)
    assert again.targets["awareness"].baseline == {"conversion": 0.75}
    set_target(again, "awareness", conversion=None)
    assert "awareness" not in again.targets
    set_target(again, "awareness", conversion=0.9)  # set anew on the newer data: today's 100%
    assert again.targets["awareness"].baseline == {"conversion": 1.0}


def test_a_measure_added_later_takes_its_own_baseline_then(first, newer):
    again = resaved(build_future_map(first, targets={"awareness": {"conversion": 0.8}}), newer)
    set_target(again, "awareness", conversion=0.8, seconds=3600)
    # awareness's median time in stage: 2 h on both data (a 1 h, b 2 h, c 2 h; d never leaves)
    assert again.targets["awareness"].baseline == {"conversion": 0.75, "seconds": 7200}


def test_the_person_resets_the_baselines_to_todays_data(first, newer):
    again = resaved(build_future_map(first, targets={"awareness": {"conversion": 0.8}}), newer)
    reset_baselines(again)
    assert status(resaved(again, newer), newer) == {"baseline": 1.0, "target": 0.8, "actual": 1.0}


def test_a_version_2_map_without_baselines_reads_its_targets_against_the_figures_it_was_saved_with(first, newer):
    document = build_future_map(first, targets={"awareness": {"conversion": 0.8}}).to_dict()
    document["version"] = 2
    del document["targets"]["awareness"]["baseline"]
    old = JourneyMap.from_dict(document)
    assert old.version == 3 and old.targets["awareness"].baseline == {}
    assert status(old, newer)["baseline"] == 0.75
    assert status(resaved(old, newer), newer)["baseline"] == 0.75  # pinned when opened, before the newer figures
