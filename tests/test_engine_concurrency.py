"""One in-process DuckDB serves every session that uses the same data: calls from several threads at once
(registering, querying, dropping, materialising) wait their turn instead of failing with DuckDB's
"connection is busy with another call"."""

import threading

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
