"""Review 41: the same hand figures read in place (DuckDB over the CSV, and a PostgreSQL table of text) as uploaded:
stage reach with reversals apart, furthest stage, stalls, the map's stage funnel and value per converted customer,
the repeat-purchase rate, and the date filter on a New York shop's days."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.customers.features import compute_customer_features
from cjm.data.filters import Filters
from cjm.data.source import dataset_from_files, dataset_from_table
from cjm.data.stages import StageMapping
from cjm.data.views import filtered
from cjm.journey.gaps import GapParams, compute_gaps
from cjm.journey.kpis import compute_kpis
from cjm.journey.reach import compute_stage_reach
from cjm.maps.current import build_current_map
from cjm.maps.future import build_future_map, compute_projection
from cjm.voice.risk import compute_at_risk
from tests import test_review41_dates as dates
from tests import test_review41_repeat_purchases as orders
from tests import test_review41_stages as stages
from tests.postgres import postgres_server, postgres_url  # noqa: F401  (fixtures)
from tests.test_in_place_statuses_and_refunds import _postgres_table

AS_OF = pd.Timestamp("2025-04-03 12:00", tz="UTC")


def check_shop(ds) -> None:
    # the hand figures of tests/test_review41_stages.py
    reach = compute_stage_reach(ds).set_index("stage")
    assert reach["customers"].tolist() == [5, 4, 3, 2, 1]
    assert reach["reversals_only"].tolist() == [0, 0, 1, 2, 0]
    furthest = compute_customer_features(ds).set_index("customer_id")["furthest_stage"].to_dict()
    assert furthest == {"a": 2, "b": -1, "c": 3, "d": 3, "e": 2, "f": 1, "g": 4}
    risk = compute_at_risk(ds, as_of=AS_OF)[0].set_index("customer_id")
    assert sorted(risk.index[risk["stalled"]]) == ["a", "d"]
    # b's lone cancellation at conversion converts nobody: a, d, e of 7
    converted = compute_customer_features(ds).set_index("customer_id")["converted"]
    assert sorted(converted.index[converted]) == ["a", "d", "e"]
    assert compute_kpis(ds, period="all").set_index("name").loc["conversion_rate", "value"] == pytest.approx(3 / 7)
    jm = build_current_map(ds)
    assert jm.baseline["funnel_customers"] == [5, 3, 3, 1, 0]
    # the funnel by stages as the map's (a's refund lifts nobody to retention)
    for mode, counts in (("ordered", [5, 3, 3, 1, 0]), ("strict", [5, 3, 3, 1, 0]), ("any", [6, 3, 3, 1, 0])):
        assert stages.stage_funnel_of(ds, mode) == counts, mode
    projection = compute_projection(build_future_map(jm))
    assert projection["value_per_conversion"] == pytest.approx(20.0)


def check_switchers(ds) -> None:
    # tests/test_review41_stages.py: app -> email at conversion, refunds after it: 0 of 2 moved on, stayers 1 of 2
    gaps = compute_gaps(ds, params=GapParams(dimension="channel", min_customers=1)).set_index("switch")
    assert gaps.loc["app → email", ["conversion_after", "conversion_without_switch"]].tolist() == [0.0, 0.5]


def mapping() -> StageMapping:
    return StageMapping(model="5", events=dict(stages.TABLE))


def test_reach_stalls_and_the_map_read_in_place_on_duckdb_as_uploaded(tmp_path):
    path = tmp_path / "shop.csv"
    path.write_text(stages.SHOP)
    check_shop(dataset_from_files(path, stage_mapping=mapping()))
    path = tmp_path / "switchers.csv"
    path.write_text(stages.SWITCHERS)
    check_switchers(dataset_from_files(path, stage_mapping=mapping()))


def test_the_repeat_purchase_rate_read_in_place_on_duckdb_as_uploaded(tmp_path):
    # 4 of 8 in March (tests/test_review41_repeat_purchases.py)
    path = tmp_path / "orders.csv"
    path.write_text(orders.ORDERS)
    ds = dataset_from_files(path, stage_mapping=StageMapping(model="5", events=dict(orders.TABLE)))
    assert orders.rate(ds) == pytest.approx(4 / 8)


def test_the_date_filter_read_in_place_on_duckdb_keeps_new_yorks_days(tmp_path):
    path = tmp_path / "zoned.csv"
    path.write_text(dates.ZONED)
    ds = dataset_from_files(path)
    assert [c for c, _ in dates.kept(ds, "2025-01-01", "2025-01-08")] == ["n1", "n1"]
    assert [c for c, _ in dates.kept(ds, "2025-07-01", "2025-07-08")] == ["n3", "n3"]
    assert compute_kpis(ds).set_index("name").loc["customers", "value"] == 2
    path = tmp_path / "over_time.csv"
    path.write_text(dates.OVER_TIME)
    ds = dataset_from_files(path)
    assert dates.over_time(ds, "week") == [("2024-12-30", 1, 1), ("2025-01-06", 1, 0), ("2025-02-24", 1, 1)]


@pytest.mark.postgres
def test_the_same_figures_from_postgresql_tables(postgres_url):
    _postgres_table(postgres_url, "review41_shop", stages.SHOP)
    _postgres_table(postgres_url, "review41_orders", orders.ORDERS)
    _postgres_table(postgres_url, "review41_zoned", dates.ZONED)
    _postgres_table(postgres_url, "review41_switchers", stages.SWITCHERS)
    _postgres_table(postgres_url, "review41_over_time", dates.OVER_TIME)
    backend = engine.connect(postgres_url)
    try:
        check_shop(dataset_from_table(backend, "review41_shop", stage_mapping=mapping()))
        check_switchers(dataset_from_table(backend, "review41_switchers", stage_mapping=mapping()))
        ds = dataset_from_table(backend, "review41_orders",
                                stage_mapping=StageMapping(model="5", events=dict(orders.TABLE)))
        assert orders.rate(ds) == pytest.approx(4 / 8)
        ds = dataset_from_table(backend, "review41_zoned")
        assert [c for c, _ in dates.kept(ds, "2025-01-01", "2025-01-08")] == ["n1", "n1"]
        assert [c for c, _ in dates.kept(ds, "2025-07-01", "2025-07-08")] == ["n3", "n3"]
        assert [c for c, _ in dates.kept(filtered(ds, Filters()), "2025-06-09", "2025-06-09")] == ["n5"]
        ds = dataset_from_table(backend, "review41_over_time")
        assert dates.over_time(ds, "day") == [("2025-01-05", 1, 1), ("2025-01-07", 1, 0), ("2025-02-28", 1, 1)]
        assert dates.over_time(ds, "month") == [("2025-01-01", 2, 1), ("2025-02-01", 1, 1)]
    finally:
        backend.close()
