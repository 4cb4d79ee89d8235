"""How this process asks the kernel for memory: Arrow through malloc, NumPy without transparent huge pages.

On virtual machines like this project's (Firecracker), a fresh page costs far more kernel time than on
bare metal, and a fresh *huge* page far more again: touching 190 MB of NumPy array took 1.1 s of kernel
time with NumPy's default madvise(MADV_HUGEPAGE) and 0.08 s without it (1M events: the full report's
kernel time went from 3.0 s to 1.6 s). Arrow's bundled mimalloc had the same cost on loading (load 3.3-6.0
s, of which 2-5 s in the kernel, against 1.7 s with malloc). Both are process-wide, so they are set once
when the engine is imported; an explicit ARROW_DEFAULT_MEMORY_POOL or NUMPY_MADVISE_HUGEPAGE still decides.
"""

from __future__ import annotations

import os

import pyarrow as pa


def configure() -> None:
    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        pa.set_memory_pool(pa.system_memory_pool())
    if not os.environ.get("NUMPY_MADVISE_HUGEPAGE"):
        try:
            from numpy._core.multiarray import _set_madvise_hugepage  # NumPy's switch for its env variable
        except ImportError:  # pragma: no cover - a NumPy without the switch: keep its default
            return
        _set_madvise_hugepage(False)


def numpy_uses_huge_pages() -> bool:
    """Whether NumPy asks for transparent huge pages for its large arrays (the switch returns the old value)."""
    from numpy._core.multiarray import _set_madvise_hugepage

    enabled = _set_madvise_hugepage(True)
    _set_madvise_hugepage(enabled)
    return bool(enabled)
