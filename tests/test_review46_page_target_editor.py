"""Review 46, Journey map page (AppTest): opening a future map whose target is not a whole tenth of a percent (a
`--targets` file's 1/3, a map JSON typed by hand) leaves the target as it was: the target table shows 33.3 and,
untouched, must not write 33.3% back over 33.33...%."""

from __future__ import annotations

import pytest

from cjm.maps import JourneyMap
from tests.apptest import open_app
from tests.test_page_journey_map import PAGE, _saved, no_problem


def _a_third(jm) -> None:
    from cjm.maps import set_target

    set_target(jm, "awareness", conversion=1 / 3)


def test_opening_the_page_leaves_a_target_of_a_third_as_it_was():
    at = open_app(PAGE, spec=_saved("future", _a_third))
    no_problem(at)
    saved = JourneyMap.from_dict(at.session_state["cjm.spec"].maps["future"].document).targets["awareness"]
    assert saved.conversion == pytest.approx(1 / 3, abs=1e-12)


def _editor_returning(monkeypatch, edit):
    """cjm.ui.maps.target_editor with the table's edit `edit(frame) -> frame` and the reset button not clicked."""
    from cjm.ui import maps as ui_maps

    monkeypatch.setattr(ui_maps.st, "data_editor", lambda frame, **_: edit(frame.copy()))
    monkeypatch.setattr(ui_maps.st, "button", lambda *a, **k: False)
    return ui_maps.target_editor


@pytest.fixture()
def a_third():
    from cjm.maps import build_current_map, build_future_map
    from tests.helpers import dataset
    from tests.test_maps import COLUMNS, LOG, MAPPED

    return build_future_map(build_current_map(dataset(LOG, COLUMNS, stages=MAPPED)),
                            targets={"awareness": {"conversion": 1 / 3, "seconds": 1000}})


def test_the_target_table_untouched_changes_no_target(monkeypatch, a_third):
    editor = _editor_returning(monkeypatch, lambda frame: frame)
    assert editor(a_third) is False  # before: True, and the target read 0.333
    target = a_third.targets["awareness"]
    assert (target.conversion, target.seconds) == (pytest.approx(1 / 3, abs=1e-12), 1000)


def test_typing_another_figure_sets_that_measure_and_keeps_the_others_and_the_baseline(monkeypatch, a_third):
    def edit(frame):
        frame.loc[frame["stage"] == "awareness", "target conversion %"] = 50.0
        frame.loc[frame["stage"] == "consideration", "target sentiment"] = 0.5
        return frame

    assert _editor_returning(monkeypatch, edit)(a_third) is True
    awareness, consideration = a_third.targets["awareness"], a_third.targets["consideration"]
    assert (awareness.conversion, awareness.seconds) == (0.5, 1000)  # time untouched: its 0.2777... h kept exactly
    assert awareness.baseline["conversion"] == pytest.approx(0.75)  # the log's 3 of 4, kept on a change
    assert consideration.sentiment == 0.5 and consideration.conversion is None


def test_emptying_a_cell_clears_that_target(monkeypatch, a_third):
    def edit(frame):
        frame.loc[frame["stage"] == "awareness", ["target conversion %", "target time (hours)"]] = None
        return frame

    assert _editor_returning(monkeypatch, edit)(a_third) is True
    assert "awareness" not in a_third.targets
