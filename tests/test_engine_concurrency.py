"""One in-process DuckDB serves every session that uses the same data: calls from several threads at once
(registering, querying, dropping, materialising) wait their turn instead of failing with DuckDB's
"connection is busy with another call". That includes what Ibis does on the connection itself: caching a
table, releasing it (also from the garbage collector), copying a table out as Arrow (snapshots)."""

import threading

import numpy as np
import pandas as pd

from cjm import engine


def test_threads_registering_querying_and_dropping_on_one_backend_never_collide():
    backend = engine.local()
    base = backend.register(pd.DataFrame({"customer_id": [str(i % 50) for i in range(5000)], "value": range(5000)}))
    errors, totals = [], []

    def work(worker: int) -> None:
        try:
            for i in range(40):
                small = backend.register(pd.DataFrame({"n": [worker, i]}))
                totals.append(int(backend.execute(base.aggregate(total=base.value.sum()))["total"].iloc[0]))
                kept = backend.materialize(base.group_by("customer_id").agg(n=base.count()))
                backend.drop(small)
                backend.drop(kept)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    backend.close()
    assert errors == []
    assert totals == [sum(range(5000))] * 160


ROWS = 1_000_000


def _busy_engine():
    backend = engine.local()
    table = backend.register(pd.DataFrame({"a": np.arange(ROWS), "b": np.linspace(0, 1, ROWS)}))
    return backend, table


def _alongside_queries(backend, table, work, times: int) -> list[str]:
    errors: list[str] = []
    done = threading.Event()

    def query_loop():
        while not done.is_set():
            try:
                backend.execute(table.group_by(table.a % 99991).aggregate(s=table.b.sum()).order_by("s"))
            except Exception as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(f"query: {exc}")

    thread = threading.Thread(target=query_loop)
    thread.start()
    try:
        for _ in range(times):
            try:
                work()
            except Exception as exc:  # noqa: BLE001
                errors.append(f"work: {exc}")
    finally:
        done.set()
        thread.join()
    return errors


def test_caching_and_releasing_a_table_waits_for_a_query_running_on_another_thread():
    backend, table = _busy_engine()
    counts = []

    def cache_and_release():
        cached = table.filter(table.a % 7 == 1).cache()
        counts.append(int(engine.execute(cached.count().as_table()).iloc[0, 0]))
        cached.release()

    assert _alongside_queries(backend, table, cache_and_release, times=15) == []
    assert counts == [142_857] * 15  # 1, 8, ..., 999,994: the numbers below a million that leave 1 when divided by 7


def test_copying_a_table_out_as_arrow_waits_for_a_query_running_on_another_thread():
    backend, table = _busy_engine()
    copies = []
    assert _alongside_queries(backend, table, lambda: copies.append(backend.arrow(table.limit(1000))), times=15) == []
    assert [c.num_rows for c in copies] == [1000] * 15
