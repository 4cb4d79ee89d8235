"""Work shared while one job runs (the report): the same query runs once, the same intermediate table is
computed once.

    with engine.shared():          # build_report opens one scope around all its sections
        engine.execute(expr)       # a second execute of an equal expression returns a copy of the first result
        engine.shared_table(expr)  # computed once into a table per scope, dropped when the scope ends
        engine.remember(parts, compute)  # a result computed in Python (signals, themes) shared the same way

Expressions are compared by the SQL they compile to on their backend, so two sections that build the
same query independently share it; an operation tree equal to one seen before in the scope is not
compiled again, and a query is run from the SQL compiled for its key (on DuckDB), not compiled twice.
Outside a scope nothing is remembered: `execute` runs every time and `shared_table` returns the
expression itself. Only small intermediates are worth a shared table (each funnel's per-customer
progress). Sharing the gaps' per-event annotated tables (one per dimension) was measured to save no CPU
while holding ~350 MB more on 1M events; even their one table of switches and arrivals for all three
dimensions (~80 MB on 1M events) raised the report's peak memory, so the gaps `remember` their small
counted frames instead and drop that table at once. A scope assumes the tables it reads do not change while it is open (true of a report over its
materialised events).
"""

from __future__ import annotations

import contextvars
import hashlib
import threading
from contextlib import contextmanager

import ibis
import numpy as np
import pandas as pd

_scope: contextvars.ContextVar["_Shared | None"] = contextvars.ContextVar("cjm_engine_shared", default=None)


class _Shared:
    def __init__(self) -> None:
        self.results: dict = {}
        self.tables: dict = {}
        self.keys: dict = {}  # operation tree -> key: compiling a large query takes tens of milliseconds
        self._locks: dict = {}
        self._guard = threading.Lock()

    def once(self, key) -> threading.Lock:
        """The lock held while `key` is computed: sections running side by side (the report's threads)
        compute a shared result once, the second waiting for the first."""
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def release(self) -> None:
        self.results.clear()
        self.keys.clear()
        self._locks.clear()
        for _, release in self.tables.values():
            try:
                release()
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


def _key(expr, scope: _Shared):
    """The backend and the SQL the expression compiles to (Ibis operation trees are not compared: a
    `.view()` makes every build of the same query a distinct tree, while its SQL is the same). An equal
    operation tree seen before in the scope is not compiled again."""
    try:
        op = expr.op()
        if op in scope.keys:
            return scope.keys[op]
    except Exception:  # noqa: BLE001 - an operation that cannot be hashed is compiled every time
        op = None
    key = _compile(expr)
    if op is not None and key is not None:
        scope.keys[op] = key
    return key


def _compile(expr):
    """(id of the Ibis connection the expression's tables live on, its SQL); None when it has no single
    connection or cannot be compiled (read from Ibis directly: cjm.engine.backend imports this module)."""
    try:
        connections, _ = expr._find_backends()
        if len(connections) != 1:
            return None
        con = connections[0]
        return id(con), str(con.compile(expr))
    except Exception:  # noqa: BLE001 - an expression that cannot be compiled here is simply not shared
        return None


def compiled(expr, con) -> str | None:
    """The SQL of `expr` on connection `con` when the current scope has compiled it already (None otherwise),
    so running it need not compile it a second time."""
    scope = _scope.get()
    if scope is None:
        return None
    try:
        key = scope.keys.get(expr.op())
    except Exception:  # noqa: BLE001
        return None
    return key[1] if key is not None and key[0] == id(con) else None


def remembered(expr, run) -> pd.DataFrame:
    """run(expr), or a copy of the result of an equal expression run earlier in the current scope."""
    scope = _scope.get()
    key = _key(expr, scope) if scope is not None else None
    if key is None:
        return run(expr)
    with scope.once(key):
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
    key = _key(expr, scope) if scope is not None else None
    if key is None:
        return expr
    with scope.once(key):
        if key not in scope.tables:
            scope.tables[key] = _cached(expr, key[1])
    return scope.tables[key][0]


def _cached(expr, sql: str):
    """(the table holding `expr`'s rows, what drops it): from `sql` on a backend that can fill a table from
    SQL (in-process DuckDB: cjm.engine.backend's materialize_compiled), else Ibis' cache()."""
    connections, _ = expr._find_backends()
    backend = getattr(connections[0], "_cjm_backend", None)
    if hasattr(backend, "materialize_compiled"):
        table = backend.materialize_compiled(expr, sql)
        return table, lambda: backend.drop(table)
    table = expr.cache()
    return table, table.release


def remember(parts: tuple, compute):
    """compute(), or a copy of what it returned for equal `parts` earlier in the current scope; outside a
    scope, compute() every time. Ibis expressions among the parts are compared by their SQL on their
    backend (as in `remembered`); the other parts must be hashable and, with them, name everything the
    result depends on (e.g. the function's name, its parameters, a `fingerprint` of a frame it reads).
    Also for results made from an intermediate that should not outlive them (the gaps' facts table)."""
    scope = _scope.get()
    if scope is None:
        return compute()
    key = ["remember"]
    for part in parts:
        if isinstance(part, ibis.Expr):
            part = _key(part, scope)
            if part is None:  # not comparable here: not shared
                return compute()
        key.append(part)
    key = tuple(key)
    try:
        hash(key)
    except TypeError:  # a part that cannot be compared (a pandas frame: pass its fingerprint): not shared
        return compute()
    with scope.once(key):
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
