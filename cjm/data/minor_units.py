"""Money written in minor units (cents) beside its amount as shown (DESIGN.md section 3: money figures as paid).

Lemon Squeezy writes "total" 2164 (cents) beside "total_formatted" "$21.64". A money column whose twin, named
'<name>_formatted' or '<name>_display', shows on every row where both are numbers the same amount divided by 100
(and on some row a different figure) is read in its twin's units: the twin becomes the money column, and its refund
column's twin likewise (cjm.data.returns.refund_column). A zero-decimal currency (JPY: 2164 shown "¥2,164") has a
twin equal to it: nothing changes. Checked on the rows, never assumed from a name. Read alike on upload and in
place (the mapping names the twin).

May import: cjm.data.cells, cjm.data.columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjm.data.cells import parse_numbers
from cjm.data.columns import normalise

TWIN_WORDS = ("formatted", "display")


def twin(columns, column) -> str | None:
    """The column named `column` + '_formatted' or '_display' ("total_formatted", "Total Display"), else None."""
    if column is None:
        return None
    wanted = {f"{normalise(str(column))}_{word}" for word in TWIN_WORDS}
    return next((c for c in columns if normalise(str(c)) in wanted), None)


def is_twin(column) -> bool:
    """Whether `column` is named as another's amount as shown ('total_formatted')."""
    return column is not None and normalise(str(column)).rsplit("_", 1)[-1] in TWIN_WORDS


def shown_instead(frame: pd.DataFrame, column: str | None) -> str | None:
    """`column`'s twin when `column` holds the twin's amounts in minor units (x 100) on every row where both are
    numbers, and some such row is not 0; else None."""
    shown = twin(frame.columns, column) if column in frame.columns else None
    if shown is None:
        return None
    minor, _ = parse_numbers(frame[column])
    major, _ = parse_numbers(frame[shown])
    both = minor.notna() & major.notna()
    if not both.any() or not (minor[both] != 0).any():
        return None
    return shown if bool(np.all(np.abs(minor[both] - major[both] * 100) < 0.5)) else None


def note(columns, revenue_column: str | None) -> str | None:
    """What was read, when the money column is a twin of a column of minor units."""
    base = base_of(columns, revenue_column)
    if base is None:
        return None
    return (f"Revenue is {revenue_column!r}, the amounts as shown: {base!r} holds them in minor units (cents), "
            f"100 times as much.")


def base_of(columns, shown) -> str | None:
    """The column of which `shown` is the twin ('total' of 'total_formatted'), else None."""
    if not is_twin(shown):
        return None
    return next((c for c in columns if c != shown and twin([shown], c) == shown), None)
