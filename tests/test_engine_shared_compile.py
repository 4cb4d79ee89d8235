"""engine.shared compiles each query once: the SQL made for a query's key is the SQL that runs, and an equal
query built again is not compiled again."""

from __future__ import annotations

import pandas as pd

from cjm import engine
from tests.test_engine_shared import events, per_event


def compiles(backend):
    """Count the real compilations on the backend's connection (each call still compiles)."""
    calls = []
    original = backend.con.compile

    def compile(expr, *args, **kwargs):
        calls.append(expr)
        return original(expr, *args, **kwargs)

    backend.con.compile = compile
    return calls


def test_inside_a_scope_a_query_is_compiled_once_and_an_equal_one_built_again_not_at_all():
    table = events()
    calls = compiles(engine.backend_of(table))
    with engine.shared():
        first = engine.execute(per_event(table))
        second = engine.execute(per_event(table))
        other = engine.execute(table.filter(table.event == "view").select("customer_id").order_by("customer_id"))
    assert len(calls) == 2  # per_event once (its key, then run from that SQL), the filter once
    assert first.to_dict("list") == second.to_dict("list") == {"event": ["buy", "view"], "customers": [1, 3]}
    assert other["customer_id"].tolist() == ["a", "b", "c"]


def test_a_query_run_from_its_compiled_sql_gives_the_types_of_a_plain_run():
    table = events()
    days = table.mutate(day=table.timestamp.date())
    query = days.group_by("day").aggregate(n=days.count(), first=days.timestamp.min()).order_by("day")
    plain = engine.execute(query)
    with engine.shared():
        shared = engine.execute(query)
    pd.testing.assert_frame_equal(shared, plain)
    assert shared["n"].tolist() == [2, 1, 1]
    assert str(shared["first"].dt.tz) == "UTC"
