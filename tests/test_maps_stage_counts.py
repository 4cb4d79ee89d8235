"""The map's per-stage tops (actions, channels, devices, departments) are counted in one query."""

from __future__ import annotations

from cjm import engine
from cjm.maps import build_current_map
from cjm.maps.current import _stage_counts
from tests.helpers import counting, dataset

STAGES = {"ad": "awareness", "view": "consideration", "__order__": ["awareness", "consideration"]}
COLUMNS = ("customer_id", "timestamp", "event", "channel", "device")
ROWS = [
    ("a", "2024-01-01T00:00:00", "ad", "web", "mobile"), ("a", "2024-01-01T01:00:00", "view", "web", "mobile"),
    ("a", "2024-01-01T02:00:00", "view", "email", None),
    ("b", "2024-01-01T00:00:00", "ad", "email", "desktop"), ("b", "2024-01-01T01:00:00", "view", "email", "desktop"),
    ("c", "2024-01-01T00:00:00", "view", None, "mobile"), ("c", "2024-01-01T00:30:00", "other", "web", "mobile"),
]


def test_each_column_is_counted_per_stage_on_its_own_events_with_a_value_in_one_query():
    data = dataset(ROWS, columns=COLUMNS, stages=STAGES)
    calls = counting(engine.backend_of(data.events))
    counted = _stage_counts(data.events, ["channel", "device"])
    assert len(calls) == 1
    channel = {(int(r.stage_index), r.channel): (int(r.customers), int(r.events))
               for r in counted["channel"].itertuples()}
    # consideration: a's two views (web, email), b's view (email); c's view has no channel; "other" is unmapped
    assert channel == {(0, "web"): (1, 1), (0, "email"): (1, 1), (1, "web"): (1, 1), (1, "email"): (2, 2)}
    device = {(int(r.stage_index), r.device): (int(r.customers), int(r.events)) for r in counted["device"].itertuples()}
    assert device == {(0, "mobile"): (1, 1), (0, "desktop"): (1, 1), (1, "mobile"): (2, 2), (1, "desktop"): (1, 1)}


def test_the_touchpoints_cell_lists_channels_then_devices_by_customers_at_the_stage():
    data = dataset(ROWS, columns=COLUMNS, stages=STAGES)
    cell = build_current_map(data).cell("touchpoints", "consideration")
    # 3 customers reached consideration: email 2 (a, b), web 1 (a); mobile 2 (a, c), desktop 1 (b)
    assert cell.value == "email (66.7%)\nweb (33.3%)\nmobile (66.7%)\ndesktop (33.3%)"
