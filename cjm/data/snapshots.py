"""Where uploaded files and loaded datasets are kept: memory bounded by bytes, files named by content.

- `ByteLRU`: a thread-safe least-recently-used store whose bound is a number of BYTES (not entries);
  putting a value evicts the least recently used ones until the total fits (a single value larger
  than the bound is still kept alone, so the current dataset always works).
- `cache_bytes()`: the bound, from the environment variable `CJM_CACHE_MB` (megabytes, default 1024).
  Each of the two server caches (uploaded files, loaded datasets) gets this bound.
- `SnapshotStore`: uploaded files saved on disk under the SHA-256 of their bytes (folder from
  `CJM_SNAPSHOTS`, default ~/.cache/cjm/snapshots), so a saved dashboard's file reference names a
  snapshot of the data by content hash and still opens after the server restarted.

May import: cjm.errors. Never streamlit.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

DEFAULT_CACHE_MB = 1024


def cache_bytes() -> int:
    """The byte bound of each server cache: CJM_CACHE_MB megabytes (default 1024)."""
    raw = os.environ.get("CJM_CACHE_MB", "").strip()
    try:
        megabytes = float(raw) if raw else DEFAULT_CACHE_MB
    except ValueError:
        megabytes = DEFAULT_CACHE_MB
    return max(int(megabytes * 1024 * 1024), 1)


class ByteLRU:
    """Least-recently-used store bounded by the total size (bytes) of what it holds."""

    def __init__(self, max_bytes: int, *, on_evict: Callable[[Any, Any], None] | None = None):
        self.max_bytes = max_bytes
        self._items: OrderedDict = OrderedDict()  # key -> (value, size)
        self._lock = threading.Lock()
        self._on_evict = on_evict

    def get(self, key, default=None):
        with self._lock:
            if key not in self._items:
                return default
            self._items.move_to_end(key)
            return self._items[key][0]

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._items

    def put(self, key, value, size: int) -> None:
        evicted = []
        with self._lock:
            self._items[key] = (value, max(int(size), 0))
            self._items.move_to_end(key)
            while len(self._items) > 1 and self.total_bytes > self.max_bytes:
                old_key, (old_value, _) = self._items.popitem(last=False)
                evicted.append((old_key, old_value))
        for old_key, old_value in evicted:
            if self._on_evict is not None:
                self._on_evict(old_key, old_value)

    @property
    def total_bytes(self) -> int:
        return sum(size for _, size in self._items.values())

    def __len__(self) -> int:
        return len(self._items)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class SnapshotStore:
    """Files on disk named by the SHA-256 of their bytes (written once, never changed)."""

    def __init__(self, folder: str | os.PathLike | None = None):
        default = Path.home() / ".cache" / "cjm" / "snapshots"
        self.folder = Path(folder or os.environ.get("CJM_SNAPSHOTS") or default)

    def save(self, data: bytes) -> str:
        digest = content_hash(data)
        path = self.folder / digest
        if not path.exists():
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
                temporary.write_bytes(data)
                temporary.replace(path)
            except OSError:
                pass  # a read-only disk: the file then lives only in memory for this server's life
        return digest

    def load(self, digest: str) -> bytes | None:
        path = self.folder / digest
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return data if content_hash(data) == digest else None
