"""The loader's fast paths give exactly what the slower general code gave: out-of-order counts (NumPy
instead of a window query), duplicate rows, and the cell work on Arrow-backed text."""

import ibis
import numpy as np
import pandas as pd

from cjm import engine
from cjm.data.dataset import out_of_order_per_file


def _frame(customers, stamps, files) -> pd.DataFrame:
    return pd.DataFrame({
        "row_id": np.arange(len(customers), dtype="int64"),
        "customer_id": pd.Series(customers, dtype="string"),
        "timestamp": pd.to_datetime(pd.Series(stamps, dtype=object), utc=True).astype("datetime64[us, UTC]"),
        "_file": np.asarray(files, dtype="int32"),
    })


def _window_query(frame: pd.DataFrame) -> dict[int, int]:
    """What the loader computed before: a lag window in the engine, per file."""
    table = engine.register(frame)
    previous = table.timestamp.lag().over(ibis.window(group_by="customer_id", order_by="row_id"))
    late = table.mutate(_late=(table.timestamp < previous).fill_null(False).cast("int64"))
    counts = engine.execute(late.group_by("_file").agg(n=late._late.sum()))
    return {int(f): int(n) for f, n in zip(counts["_file"], counts["n"]) if n}


def test_rows_earlier_than_the_same_customers_previous_row_are_counted_in_the_file_of_the_later_row():
    # c1: 02 -> 01 (late, file 0) -> 03 -> 02 (late, file 1); c2: 05 -> null -> 04 (a null is never
    # compared, so 04 follows null: not late); c3 alone; a missing id is a customer of its own: 09 -> 08 late
    frame = _frame(
        ["c1", "c1", "c2", "c2", None, "c1", "c3", "c2", "c1", None],
        ["2024-01-02", "2024-01-01", "2024-01-05", None, "2024-01-09", "2024-01-03", "2024-01-01",
         "2024-01-04", "2024-01-02", "2024-01-08"],
        [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    assert out_of_order_per_file(frame) == {0: 1, 1: 2}
    assert _window_query(frame) == {0: 1, 1: 2}


def test_out_of_order_counts_agree_with_the_window_query_on_random_files():
    rng = np.random.default_rng(7)
    for size in (0, 1, 2, 50, 3000):
        customers = rng.choice(["a", "b", "c", " d", "D", "", None, "e" * 30], size=size).tolist()
        stamps = [None if rng.random() < 0.1 else f"2024-01-{rng.integers(1, 4):02d}T{rng.integers(0, 3):02d}:00"
                  for _ in range(size)]
        files = np.sort(rng.integers(0, 3, size=size))
        frame = _frame(customers, stamps, files)
        assert out_of_order_per_file(frame) == _window_query(frame)
