import pytest

from cjm.data.columns import ColumnMapping
from cjm.errors import CJMError, ParameterError
from cjm.data.filters import Filters, apply_filters
from cjm.spec import DashboardSpec, FileRef
from cjm.data.stages import StageMapping
from cjm import engine
from tests.helpers import events


def test_a_dashboard_spec_round_trips_through_json_unchanged():
    spec = DashboardSpec(
        title="Q3", source="upload", files=[FileRef(name="e.csv", digest="abc", role="events")],
        mappings={"e.csv": ColumnMapping(columns={"customer_id": "id"}, event_constant="visit")},
        stage_mapping=StageMapping(model="7", events={"x": "support"}),
        filters=Filters(start="2024-01-01", channels=("web",)),
        pages={"funnel": {"steps": ["awareness", "conversion"], "window_seconds": 86400}},
    )
    again = DashboardSpec.from_json(spec.to_json())
    assert again == spec


def test_a_spec_from_a_newer_version_is_refused_with_the_fix():
    with pytest.raises(CJMError, match="Upgrade cjm"):
        DashboardSpec.from_dict({"version": 99})


def test_filters_reject_an_inverted_date_range():
    with pytest.raises(ParameterError, match="swap them"):
        Filters(start="2024-02-01", end="2024-01-01")


def test_filters_keep_events_inside_the_range_including_the_whole_end_day_and_the_chosen_channels():
    table = events([("a", "2024-01-01T00:00:00Z", "x", "web"), ("a", "2024-01-02T23:59:59Z", "y", "email"),
                    ("b", "2024-01-03T00:00:00Z", "z", "web")], columns=("customer_id", "timestamp", "event", "channel"))
    kept = engine.execute(apply_filters(table, Filters(start="2024-01-01", end="2024-01-02")))
    assert sorted(kept["event"]) == ["x", "y"]
    kept = engine.execute(apply_filters(table, Filters(channels=("web",))))
    assert sorted(kept["event"]) == ["x", "z"]


def test_page_parameters_are_read_typed_and_updated_into_a_new_spec():
    from cjm.journey.funnel import FunnelParams

    spec = DashboardSpec()
    params = FunnelParams(steps=("view", "buy"), step_kind="event", window_seconds=3600)
    updated = spec.with_page("funnel", params)
    assert spec.pages == {}  # the old spec is unchanged
    assert updated.page("funnel") == (params, [])
    assert DashboardSpec.from_json(updated.to_json()).page("funnel") == (params, [])


def test_an_invalid_saved_setting_is_reported_not_silently_dropped():
    spec = DashboardSpec(pages={"funnel": {"steps": ["only one"], "window_seconds": 3600},
                                "gaps": {"dimension": "device", "colour": "red"}})
    params, problems = spec.page("funnel")
    assert params is None  # a funnel has no default steps: the page proposes its own
    assert len(problems) == 1 and "funnel" in problems[0] and "defaults" in problems[0]
    assert any("'colour'" in p for p in spec.problems())


def test_reading_a_spec_reports_the_parts_it_could_not_read():
    spec, problems = DashboardSpec.read({"filters": {"start": "not a date"},
                                         "files": [{"name": "e.csv", "digest": "abc", "content": "f" * 64}]})
    assert spec.filters == Filters() and spec.files[0].content == "f" * 64
    assert len(problems) == 1 and "filters" in problems[0] and "not a date" in problems[0]


def test_the_ab_tests_chosen_control_round_trips_through_a_saved_dashboard():
    from cjm.journey.experiment_params import ExperimentParams

    spec = DashboardSpec().with_page("ab_test", ExperimentParams(control="old_checkout"))
    assert spec.pages["ab_test"] == {"control": "old_checkout"}
    again = DashboardSpec.from_json(spec.to_json())
    assert again == spec and again.page("ab_test") == (ExperimentParams(control="old_checkout"), [])
    assert DashboardSpec().page("ab_test") == (ExperimentParams(control=None), [])  # nothing saved: the default rule


def test_a_saved_control_that_is_no_arm_name_is_reported_and_the_default_rule_used():
    from cjm.journey.experiment_params import ExperimentParams

    spec, problems = DashboardSpec.read({"pages": {"ab_test": {"control": 42}}})
    assert spec.page("ab_test")[0] == ExperimentParams()  # the default rule ...
    assert len(problems) == 1 and "A/B test" in problems[0] and "42" in problems[0]  # ... and why
    assert spec.pages["ab_test"] == {"control": 42}  # the saved value is kept, not silently dropped
