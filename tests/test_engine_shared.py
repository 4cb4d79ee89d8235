"""engine.shared: inside one scope (the report) the same query runs once and the same intermediate
table is computed once; outside a scope nothing is remembered."""

from __future__ import annotations

import pandas as pd

from cjm import engine
from tests.helpers import counting


def table_names(backend) -> set[str]:
    return {row[0] for row in backend.con.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def events():
    return engine.events_table(pd.DataFrame({
        "customer_id": ["a", "a", "b", "c"],
        "timestamp": ["2024-01-01", "2024-01-02", "2024-01-01", "2024-01-03"],
        "event": ["view", "buy", "view", "view"]}))


def per_event(table):
    return table.group_by("event").aggregate(customers=table.customer_id.nunique()).order_by("event")


def test_inside_a_scope_an_equal_query_built_twice_runs_once_and_each_caller_gets_its_own_copy():
    table = events()
    calls = counting(engine.backend_of(table))
    with engine.shared():
        first = engine.execute(per_event(table))
        first.loc[0, "customers"] = 99  # a caller changing its frame does not change the other's
        second = engine.execute(per_event(table))
    assert len(calls) == 1
    assert second.to_dict("list") == {"event": ["buy", "view"], "customers": [1, 3]}


def test_outside_a_scope_every_execute_runs_its_query():
    table = events()
    calls = counting(engine.backend_of(table))
    engine.execute(per_event(table))
    engine.execute(per_event(table))
    assert len(calls) == 2


def test_a_shared_table_is_computed_once_per_scope_and_dropped_when_the_scope_ends():
    table = events()
    backend = engine.backend_of(table)
    views = table.filter(table.event == "view").view()  # .view(): two builds are distinct Ibis trees
    with engine.shared():
        one = engine.shared_table(views)
        two = engine.shared_table(table.filter(table.event == "view").view())
        assert one.get_name() == two.get_name()
        assert engine.execute(one.count().as_table()).iloc[0, 0] == 3
        name = one.get_name().split(".")[-1]
        assert name in table_names(backend)
    assert name not in table_names(backend)
    assert engine.shared_table(views) is views  # no scope: the expression itself


def test_a_remembered_python_result_is_computed_once_per_scope_and_copied_to_each_caller():
    table = events()
    runs = []

    def compute():
        runs.append(1)
        return pd.DataFrame({"n": [1, 2]})

    with engine.shared():
        first = engine.remember(("count", table, 3), compute)
        first.loc[0, "n"] = 99  # a caller changing its frame does not change the other's
        # an equal expression built again (a distinct Ibis tree) is the same part: compared by its SQL
        engine.remember(("count", table.filter(table.event == "view").view(), 3), compute)
        engine.remember(("count", table.filter(table.event == "view").view(), 3), compute)
        third = engine.remember(("count", table, 3), compute)
        other = engine.remember(("count", table, 4), compute)
    assert len(runs) == 3  # (table, 3), (views, 3), (table, 4)
    assert third["n"].tolist() == [1, 2] and other["n"].tolist() == [1, 2]
    engine.remember(("count", table, 3), compute)
    assert len(runs) == 4  # outside a scope: every time


def test_frames_with_the_same_values_have_the_same_fingerprint():
    frame = pd.DataFrame({"text": ["late", None], "value": [0.0, -1.0]})
    assert engine.fingerprint(frame) == engine.fingerprint(frame.copy())
    assert engine.fingerprint(frame) != engine.fingerprint(frame.assign(value=[-0.0, -1.0]))  # written "-0.0"
    assert engine.fingerprint(frame) != engine.fingerprint(frame.set_axis([1, 2]))
    assert engine.fingerprint(frame) != engine.fingerprint(frame.rename(columns={"text": "comment"}))
    assert engine.fingerprint(pd.DataFrame({"terms": [["a", "b"]]})) is None  # a list cannot be hashed


def test_a_remembered_result_whose_parts_cannot_be_compared_is_computed_each_time_not_refused():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    frame = pd.DataFrame({"a": [1]})
    with engine.shared():
        assert engine.remember(("frame", frame), compute) == 1
        assert engine.remember(("frame", frame), compute) == 2
        assert engine.remember(("digest", engine.fingerprint(frame)), compute) == 3
        assert engine.remember(("digest", engine.fingerprint(frame)), compute) == 3


def test_two_threads_of_one_scope_asking_the_same_question_compute_it_once():
    import contextvars
    import threading
    import time

    computed = []

    def slow():
        computed.append(1)
        time.sleep(0.2)  # the second thread arrives while the first is still computing
        return pd.DataFrame({"n": [1]})

    with engine.shared():
        results = []
        threads = [threading.Thread(target=contextvars.copy_context().run,
                                    args=(lambda: results.append(engine.remember(("same question",), slow)),))
                   for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(computed) == 1
    assert [frame.to_dict("list") for frame in results] == [{"n": [1]}, {"n": [1]}]
