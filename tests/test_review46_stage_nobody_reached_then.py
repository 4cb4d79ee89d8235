"""Review 46: a stage the data left hidden (nobody had reached it) is shown when the saved map is opened on newer data
where customers reach it; a stage the person hid stays hidden.

Hand log (tests/test_maps.py's LOG, plus 'repeat' -> loyalty): nobody repeats, so the first map hides loyalty (the
current map hides the stages nobody reached). Newer data: a repeats on 3 Jan, loyalty reached by 1 customer. Before,
the refreshed map copied the saved 'hidden' and loyalty stayed hidden, its 1 customer drawn nowhere.
"""

from __future__ import annotations

from cjm.maps import JourneyMap, build_current_map, refresh
from tests.helpers import dataset
from tests.test_maps import COLUMNS, LOG, MAPPED

STAGES = {**MAPPED, "repeat": "loyalty"}
NEWER = LOG + [("a", "2024-01-03 00:00", "repeat", "web", 10.0, None, None, "gold")]


def opened(saved: JourneyMap, rows) -> JourneyMap:
    return refresh(JourneyMap.from_json(saved.to_json()), build_current_map(dataset(rows, COLUMNS, stages=STAGES)))


def test_a_stage_nobody_had_reached_is_shown_once_the_newer_data_reaches_it():
    saved = build_current_map(dataset(LOG, COLUMNS, stages=STAGES))
    assert saved.stage("loyalty").hidden  # nobody had reached it
    again = opened(saved, NEWER)
    assert not again.stage("loyalty").hidden
    assert again.cell("reached", "loyalty").number == 1


def test_a_stage_the_person_hid_stays_hidden_on_newer_data():
    saved = build_current_map(dataset(LOG, COLUMNS, stages=STAGES))
    saved.hide_stage("retention")
    again = opened(saved, NEWER)
    assert again.stage("retention").hidden and again.stage("loyalty").hidden is False


def test_a_stage_nobody_reaches_on_the_newer_data_either_stays_hidden():
    saved = build_current_map(dataset(LOG, COLUMNS, stages=STAGES))
    assert opened(saved, LOG).stage("loyalty").hidden
