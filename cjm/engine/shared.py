"""Work shared while one job runs (the report): the same query runs once, the same intermediate table is
computed once.

    with engine.shared():          # build_report opens one scope around all its sections
        engine.execute(expr)       # a second execute of an equal expression returns a copy of the first result
        engine.shared_table(expr)  # computed once into a table per scope, dropped when the scope ends
        engine.remember(parts, compute)  # a result computed in Python (signals, themes) shared the same way

Expressions are compared by the SQL they compile to on their backend, so two sections that build the
same query independently share it. Outside a scope nothing is remembered: `execute` runs every time and
`shared_table` returns the expression itself. Only small intermediates are worth a shared table (each
funnel's per-customer progress): sharing the gaps' per-event annotated tables across sections was
measured to save no CPU while holding ~350 MB more on 1M events, so they stay per call. A scope assumes the tables it
reads do not change while it is open (true of a report over its materialised events).
"""

from __future__ import annotations

import contextvars
import hashlib
from contextlib import contextmanager

import ibis
import numpy as np
import pandas as pd

_scope: contextvars.ContextVar["_Shared | None"] = contextvars.ContextVar("cjm_engine_shared", default=None)


class _Shared:
    def __init__(self) -> None:
        self.results: dict = {}
        self.tables: dict = {}

    def release(self) -> None:
        self.results.clear()
        for table in self.tables.values():
            try:
                table.release()
            except Exception:  # noqa: BLE001 - the backend may already be closed
                pass
        self.tables.clear()


@contextmanager
def shared():
    """Share query results and cached tables until the block ends (nested scopes use the outer one)."""
    if _scope.get() is not None:
        yield
        return
    scope = _Shared()
    token = _scope.set(scope)
    try:
        yield
    finally:
        _scope.reset(token)
        scope.release()


def _key(expr):
    """The backend and the SQL the expression compiles to (Ibis operation trees are not compared: a
    `.view()` makes every build of the same query a distinct tree, while its SQL is the same)."""
    from cjm.engine.backend import backend_of

    try:
        found = backend_of(expr)
        if found is None:
            return None
        return id(found.con), str(found.con.compile(expr))
    except Exception:  # noqa: BLE001 - an expression that cannot be compiled here is simply not shared
        return None


def remembered(expr, run) -> pd.DataFrame:
    """run(expr), or a copy of the result of an equal expression run earlier in the current scope."""
    scope = _scope.get()
    key = _key(expr) if scope is not None else None
    if key is None:
        return run(expr)
    if key not in scope.results:
        scope.results[key] = run(expr)
    return scope.results[key].copy()


def active() -> bool:
    """True inside a `shared()` scope."""
    return _scope.get() is not None


def shared_table(expr):
    """Inside a scope: `expr` computed once into a table that lives until the scope ends (equal
    expressions get the same table). Outside: `expr` itself, computed by whatever query reads it."""
    scope = _scope.get()
    key = _key(expr) if scope is not None else None
    if key is None:
        return expr
    if key not in scope.tables:
        scope.tables[key] = expr.cache()
    return scope.tables[key]


def remember(parts: tuple, compute):
    """compute(), or a copy of what it returned for equal `parts` earlier in the current scope; outside a
    scope, compute() every time. Ibis expressions among the parts are compared by their SQL on their
    backend (as in `remembered`); the other parts must be hashable and, with them, name everything the
    result depends on (e.g. the function's name, its parameters, a `fingerprint` of a frame it reads)."""
    scope = _scope.get()
    if scope is None:
        return compute()
    key = ["remember"]
    for part in parts:
        if isinstance(part, ibis.Expr):
            part = _key(part)
            if part is None:  # not comparable here: not shared
                return compute()
        key.append(part)
    key = tuple(key)
    if key not in scope.results:
        scope.results[key] = compute()
    found = scope.results[key]
    return found.copy() if isinstance(found, (pd.DataFrame, pd.Series)) else found


def fingerprint(frame: pd.DataFrame) -> tuple | None:
    """A digest of a frame's columns, dtypes, index and values (floats by their bits): equal digests mean
    equal frames, so a result computed from one can be shared with the other. None when a value cannot
    be hashed (a list in a cell)."""
    # pandas hashes -0.0 like 0.0 (they are equal), but they are written differently: floats go by their bits
    exact = pd.DataFrame({i: column.to_numpy().view("int64") if column.dtype.kind == "f" and column.dtype.itemsize == 8
                          and isinstance(column.dtype, np.dtype) else column
                          for i, (_, column) in enumerate(frame.items())}, index=frame.index)
    try:
        values = pd.util.hash_pandas_object(exact, index=True).to_numpy()
    except TypeError:
        return None
    digest = hashlib.blake2b(values.tobytes(), digest_size=16).hexdigest()
    return tuple(map(str, frame.columns)), tuple(map(str, frame.dtypes)), len(frame), digest
