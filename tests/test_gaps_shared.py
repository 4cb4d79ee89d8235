"""Gaps inside the report's shared scope: every dimension counted once from one sorted pass, the same numbers
as each dimension alone."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.journey import gaps
from cjm.journey.gaps import GapParams
from tests.helpers import counting, dataset

STAGES = {"ad": "awareness", "view": "consideration", "buy": "conversion",
          "__order__": ["awareness", "consideration", "conversion"]}
COLUMNS = ("customer_id", "timestamp", "event", "channel", "device")


def log():
    """At consideration: a changes channel web → email and device mobile → desktop, then buys; b stays on web
    and mobile and does not buy; c stays on web and desktop and buys; d changes channel web → email (same
    device) and does not buy. e changes device at awareness, where nobody stayed on one device, then views
    (at consideration, on one channel and device) and stops there."""
    rows = [
        ("a", "2024-01-01T00:00:00", "view", "web", "mobile"), ("a", "2024-01-01T01:00:00", "view", "email", "desktop"),
        ("a", "2024-01-01T02:00:00", "buy", "email", "desktop"),
        ("b", "2024-01-01T00:00:00", "view", "web", "mobile"), ("b", "2024-01-01T01:00:00", "view", "web", "mobile"),
        ("c", "2024-01-01T00:00:00", "view", "web", "desktop"), ("c", "2024-01-01T01:00:00", "buy", "web", "desktop"),
        ("d", "2024-01-01T00:00:00", "view", "web", "mobile"), ("d", "2024-01-01T01:00:00", "view", "email", "mobile"),
        ("e", "2024-01-01T00:00:00", "ad", "web", "tablet"), ("e", "2024-01-01T00:10:00", "ad", "web", "mobile"),
        ("e", "2024-01-01T00:20:00", "view", "web", "mobile"),
    ]
    return dataset(rows, columns=COLUMNS, stages=STAGES)


ANY = {d: GapParams(dimension=d, min_customers=1) for d in ("device", "channel")}


def cache_tables(backend) -> set[str]:
    rows = backend.con.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    return {name for (name,) in rows if name.startswith("ibis_cache")}


def test_in_the_report_scope_every_dimension_is_counted_once_with_the_numbers_of_each_alone():
    data = log()
    alone = {d: gaps.compute_gaps(data, params=p) for d, p in ANY.items()}
    alone_stages = {d: gaps.compute_gap_stages(data, params=p) for d, p in ANY.items()}
    backend = engine.backend_of(data.events)
    assert cache_tables(backend) == set()  # outside a scope each call drops its table
    with engine.shared():
        shared = {"device": gaps.compute_gaps(data, params=ANY["device"])}
        assert cache_tables(backend) == set()  # the facts of every dimension are dropped once counted
        calls = counting(backend)
        shared["channel"] = gaps.compute_gaps(data, params=ANY["channel"])
        shared_stages = {d: gaps.compute_gap_stages(data, params=p) for d, p in ANY.items()}
    assert len(calls) == 1  # only the check that the channel column has values; nothing is counted again
    for d in ANY:
        pd.testing.assert_frame_equal(shared[d], alone[d])
        pd.testing.assert_frame_equal(shared_stages[d], alone_stages[d])


def test_switchers_of_each_dimension_are_compared_with_customers_who_kept_that_dimension():
    with engine.shared():
        device = gaps.compute_gaps(log(), params=ANY["device"]).set_index("switch")
        channel = gaps.compute_gaps(log(), params=ANY["channel"]).set_index("switch")
    # device at consideration: a switched and bought; b, c, d, e kept their device and only c bought
    row = device.loc["mobile → desktop"]
    assert (row["customers"], row["customers_compared"], row["stage"]) == (1, 1, "consideration")
    assert (row["conversion_after"], row["conversion_without_switch"]) == (1.0, 0.25)
    assert row["customers_lost"] == 0.0
    # channel at consideration: a and d switched (a bought); b, c, e kept their channel (c bought)
    row = channel.loc["web → email"]
    assert (row["customers"], row["customers_compared"]) == (2, 2)
    assert (row["conversion_after"], row["conversion_without_switch"]) == (0.5, pytest.approx(1 / 3))
    assert row["customers_lost"] == pytest.approx(0.0)
    assert list(channel.index) == ["web → email"]  # d's device never changed, so it is no device switch


def test_a_stage_where_every_customer_switched_compares_nobody_in_the_report_scope_too():
    with engine.shared():
        stages = gaps.compute_gap_stages(log(), params=ANY["device"])
    row = stages[(stages["switch"] == "tablet → mobile")].iloc[0]
    # e is the only customer at awareness and switched there: no stayer to compare with
    assert (row["stage"], row["customers"], row["customers_compared"]) == ("awareness", 1, 0)
    assert pd.isna(row["conversion_after"]) and pd.isna(row["conversion_without_switch"])
