"""An unexpected error in one analysis shows on its own panel ("Could not compute ..."), never as a
traceback, and every other panel of the page still renders."""

import json
import logging

from cjm.journey import kpis, paths
from tests.apptest import open_app


def titles(at) -> list[str]:
    charts = at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")
    return [json.loads(c.proto.spec)["title"]["text"] for c in charts]


def broken(module, name: str, message: str):
    """A stand-in that raises, registered in `module` under a name of its own: data.run finds functions
    by module and name and caches by them, so a new name is never served from an earlier cached result."""
    def fail(*args, **kwargs):
        raise RuntimeError(message)

    fail.__name__, fail.__module__ = name, module.__name__
    return fail


def test_a_failing_transition_matrix_costs_only_its_own_panel_on_the_journeys_page(monkeypatch, caplog):
    fail = broken(paths, "compute_transition_matrix_broken_for_test", "matrix exploded")
    monkeypatch.setattr(paths, "compute_transition_matrix", fail)
    monkeypatch.setattr(paths, fail.__name__, fail, raising=False)
    with caplog.at_level(logging.ERROR, logger="cjm.ui.widgets"):
        at = open_app("app_pages/journeys.py")
    assert not at.exception
    assert [e.value for e in at.error] == ["Could not compute where customers go next: matrix exploded (RuntimeError)"]
    shown = titles(at)
    assert any(t.startswith("The 20 most common journeys cover") for t in shown)  # the panel before it
    assert not any("go next to" in t for t in shown)  # its own chart is gone
    assert any(m.label == "Journey variants" for m in at.metric)
    logged = [r for r in caplog.records if "where customers go next" in r.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError  # the traceback is in the server log


def test_failing_kpis_leave_the_stage_reach_chart_of_the_overview(monkeypatch):
    fail = broken(kpis, "compute_kpis_broken_for_test", "kpi table exploded")
    monkeypatch.setattr(kpis, "compute_kpis", fail)
    monkeypatch.setattr(kpis, fail.__name__, fail, raising=False)
    at = open_app("app_pages/overview.py")
    assert not at.exception
    assert [e.value for e in at.error] == ["Could not compute the KPIs: kpi table exploded (RuntimeError)"]
    assert not at.metric
    assert len(titles(at)) == 1  # customers per stage


def test_an_unexpected_failure_loading_the_data_is_a_plain_message_not_a_traceback(monkeypatch, caplog):
    from cjm.ui import data

    def fail():
        raise RuntimeError("connection is busy with another call")

    monkeypatch.setattr(data, "base_dataset", fail)
    with caplog.at_level(logging.ERROR, logger="cjm.ui.data"):
        at = open_app("app_pages/funnel.py")
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # shown as text: Markdown characters escaped
    assert any(s.startswith("Could not load the data (RuntimeError: connection is busy with another call). "
                            "Reload the page to try again") for s in shown), shown
    logged = [r for r in caplog.records if "Could not load the data" in r.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError  # the traceback is in the server log
