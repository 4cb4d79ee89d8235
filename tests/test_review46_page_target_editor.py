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
