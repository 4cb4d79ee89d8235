"""Python's cyclic garbage collector and the modules' own objects.

A process that has imported Streamlit, Ibis, pandas and scikit-learn holds some 300,000 objects the
collector tracks (functions, classes, their dicts) that live as long as the process. Every full
collection walked them all again: on a 100k-event upload the collector took ~0.45 s of the Data and
Funnel pages' ~1.3 s, and ~0.4 s of the full report on 1M events. `settle_imports` moves the objects alive
now out of its reach (`gc.freeze`) whenever modules were imported since the last call. Objects made later
are collected as before, and a frozen object is still freed the moment nothing refers to it: only a cycle
of objects that were alive at a freeze and became garbage later escapes the usual collections: an evicted
upload's DuckDB and its Backend refer to each other, so `collect_everything` (what cjm.data.snapshots'
`free_memory` runs on an eviction) unfreezes, collects and freezes again. At exit everything is unfrozen,
so the interpreter's last collection frees the frozen objects as it would have: DuckDB's bindings
(nanobind) otherwise print a page of "leaked instance" warnings when the command line ends.
"""

from __future__ import annotations

import atexit
import gc
import sys
import threading

_lock = threading.Lock()
_modules_at_last_freeze: set[str] = set()


def settle_imports() -> bool:
    """Freeze the objects alive now if modules were imported since the last freeze; True if it froze."""
    with _lock:
        names = set(sys.modules)
        if names <= _modules_at_last_freeze:
            return False
        if not _modules_at_last_freeze:
            atexit.register(gc.unfreeze)
        _modules_at_last_freeze.update(names)
        gc.freeze()
        return True


def collect_everything() -> None:
    """A full collection that reaches the frozen objects too; what is still alive after it is frozen again."""
    with _lock:
        gc.unfreeze()
        gc.collect()
        if _modules_at_last_freeze:
            gc.freeze()
