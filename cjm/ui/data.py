"""The dataset every page works on, kept once per content and settings, and cached analysis runs.

From an upload to a chart:
    upload -> SourceFile (bytes on disk under their SHA-256: cjm.data.snapshots) -> FileRef in the spec
    -> ParsedData (per files + column mappings) -> Dataset (per stage mapping) [-> with segments]
    -> dataset.filtered(sidebar filters) (again a Dataset) -> fn(view, ...) cached per view and params.

Two server-side caches hold the uploads (bytes) and the loaded data; each is a least-recently-used
store bounded by bytes: `CJM_CACHE_MB` megabytes (default 1024, see cjm.data.snapshots.cache_bytes).
The loaded-data cache holds ONE entry per upload (files + column mappings): its ParsedData and every
Dataset built on it (per stage mapping, per segmentation), which all share that upload's in-process
DuckDB. The entry's size is what DuckDB reports holding for those tables (at least rows x columns x
16 bytes) plus a fixed cost per DuckDB and the frames kept in Python; it is measured again each time a
session uses the entry, so tables made later count too.

When an upload's entry is evicted, its DuckDB is freed as soon as nothing refers to it: never closed
under a script run that is still using it (another session mid-run, a view made from it), but collected
at once otherwise (`free_memory`: the cycle collector, then glibc's malloc_trim). A session whose upload
was evicted loads it again from the upload cache or its snapshot on disk on its next run (the same
numbers, a spinner, no error); if the file is gone from both, the sidebar says to upload it again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import weakref
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path

import ibis
import streamlit as st

from cjm import engine
from cjm.data import views
from cjm.data.filters import Filters
from cjm.data.dataset import Dataset, ParsedData, SourceFile, build_dataset, parse_files
from cjm.data.snapshots import ByteLRU, SnapshotStore, cache_bytes, free_memory
from cjm.errors import CJMError
from cjm.spec import FileRef
from cjm.ui import segments, state

log = logging.getLogger(__name__)

DEMO_DIR = Path(__file__).resolve().parents[2] / "data"
DEMO_FILES = (("demo_events.csv.gz", "events"), ("demo_customers.csv", "customers"))
BYTES_PER_CELL = 16  # the least a dataset's tables take in the engine: rows x columns x this
# What one upload's in-process DuckDB costs beyond the tables DuckDB counts (its catalog, buffers, allocator
# slack). Measured: 20 uploads of 10,000 events held at once took 5.7 MB each (the RSS given back once they
# were released, collected and trimmed), of which DuckDB counted 1.6 MB.
BACKEND_BYTES = 4 * 1024 * 1024


@st.cache_resource
def _uploads() -> ByteLRU:
    """Uploaded files by digest (bounded by bytes; evicted ones are read back from their snapshot)."""
    return ByteLRU(cache_bytes())


@st.cache_resource
def _loaded() -> ByteLRU:
    """One _Upload per (files, column mappings): parsed data and its datasets (bounded by measured bytes)."""
    return ByteLRU(cache_bytes())


@dataclass(eq=False)
class _Upload:
    """An upload's parsed data and every Dataset built on it (they share its in-process DuckDB)."""

    parsed: ParsedData
    datasets: dict = field(default_factory=dict)  # ("dataset", mapping) / ("segmented", ...) -> Dataset
    frames: dict = field(default_factory=dict)  # same keys -> bytes of the frames that Dataset keeps in Python

    @property
    def backend(self):
        return self.parsed.backend

    def size(self) -> int:
        """Bytes this upload holds: DuckDB's own count of its tables (at least rows x columns x 16), the
        fixed cost of a DuckDB, and the frames kept in Python."""
        parsed = self.parsed
        least = _estimated_bytes(parsed.accounting.rows_used, len(parsed.events.columns))
        engine_bytes = 0
        if self.backend is not None and not self.backend.closed:
            try:
                engine_bytes = self.backend.memory_bytes() + (BACKEND_BYTES if self.backend.kind == "duckdb" else 0)
            except Exception:  # noqa: BLE001 - a busy or closed connection: the estimate stands
                engine_bytes = 0
        customers = 0 if parsed.customers is None else int(parsed.customers.memory_usage(deep=True).sum())
        return max(engine_bytes, least) + customers + sum(self.frames.values())


class _Releases:
    """Backends of evicted uploads not yet freed (a script run still held them when they were evicted)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pending: list[weakref.ref] = []

    def add(self, backends) -> None:
        with self.lock:
            self.pending.extend(weakref.ref(b) for b in backends)

    def alive(self) -> int:
        with self.lock:
            self.pending = [r for r in self.pending if r() is not None]
            return len(self.pending)


@st.cache_resource
def _releases() -> _Releases:
    return _Releases()


def _keep(key, entry, size: int | None = None) -> None:
    """Put (or re-measure) an upload in the cache; free the memory of whatever that evicted."""
    evicted = _loaded().put(key, entry, entry.size() if size is None else size)
    # Only uploads' own DuckDBs are waited for: a saved dashboard's stays with its snapshot (cjm.ui.snapshots),
    # a connection's with the connection (cjm.ui.connect).
    gone = [value.backend for k, value in evicted if k[0] == "parsed" and getattr(value, "backend", None) is not None]
    if not gone and not _releases().alive():
        return
    _releases().add(gone)
    del evicted, gone  # our references: the evicted DuckDB is freed with the last one
    free_memory()
    _releases().alive()


def memory_text() -> str:
    """What the loaded-data cache holds now, for the Data page (and benchmarks/memory.py)."""
    cache = _loaded()
    waiting = _releases().alive()
    files = _uploads()
    text = (f"Loaded data in this server's cache now: {len(cache)} set{'s' if len(cache) != 1 else ''} of files, "
            f"{cache.total_bytes / 2**20:,.1f} MB of {cache.max_bytes / 2**20:,.0f} MB; uploaded files: "
            f"{len(files)}, {files.total_bytes / 2**20:,.1f} MB of {files.max_bytes / 2**20:,.0f} MB.")
    if waiting:
        text += f" {waiting} evicted upload{'s are' if waiting != 1 else ' is'} freed when the page using it finishes."
    return text


@st.cache_resource
def _snapshots() -> SnapshotStore:
    return SnapshotStore()


def cache_limit_text() -> str:
    """The cache bound in words, for the Data page."""
    return (f"Uploaded files and loaded datasets are each kept in a server cache of at most "
            f"{cache_bytes() / 2**20:,.0f} MB (least recently used first out, and its memory freed; set "
            "CJM_CACHE_MB to change it).")


def remember_upload(source: SourceFile) -> FileRef:
    """Keep an uploaded file (memory, and on disk under its content hash) and return its spec reference."""
    _uploads().put(source.digest, source, len(source.data))
    content = _snapshots().save(source.data)
    return FileRef(name=source.name, digest=source.digest, role=source.role, encoding=source.encoding,
                   delimiter=source.delimiter, sheet=source.sheet, content=content)


def resolve(ref: FileRef) -> SourceFile | None:
    """The file a spec reference names: from memory, else from its snapshot on disk; None when gone."""
    found = _uploads().get(ref.digest)
    if found is not None:
        return found
    data = _snapshots().load(ref.content) if ref.content else None
    if data is None:
        return None
    source = SourceFile(name=ref.name, data=data, role=ref.role, encoding=ref.encoding, delimiter=ref.delimiter,
                        sheet=ref.sheet)
    _uploads().put(source.digest, source, len(data))
    return source


def uploaded(digest: str) -> SourceFile:
    ref = next((f for f in state.spec().files if f.digest == digest), None)
    found = _uploads().get(digest) or (resolve(ref) if ref is not None else None)
    if found is None:
        raise CJMError("That uploaded file is no longer on this server. Upload it again on the Data page.")
    return found


def demo_sources() -> list[SourceFile]:
    return [SourceFile.from_path(DEMO_DIR / name, role=role) for name, role in DEMO_FILES]


def missing_files() -> list[str]:
    """Problems with the spec's file references: files that are neither in memory nor in a snapshot."""
    spec = state.spec()
    if spec.source != "upload":
        return []
    return [f"The file {ref.name!r} (content {(ref.content or ref.digest)[:12]}…) is no longer on this server, so "
            "the demo data is shown. Upload the file again on the Data page." for ref in spec.files
            if resolve(ref) is None]


UPLOAD_GONE = ("The file you uploaded is no longer here: uploads last only as long as the browser tab's session, "
               "and reloading the page starts a new one. Upload it again on the Data page (the column and stage "
               "mappings are picked again from the file), or switch to the demo data.")


def current_sources() -> list[SourceFile]:
    """The demo files, or the uploaded ones. A reloaded page that showed uploads (source "upload", no file
    references: state.spec) raises CJMError saying so; a reference whose file is gone shows the demo and
    says so in the sidebar (missing_files)."""
    from cjm.errors import InsufficientDataError

    spec = state.spec()
    if spec.source == "demo":
        return demo_sources()
    if not spec.files:  # a reloaded page that showed uploads: say so, never the demo in disguise
        raise InsufficientDataError(UPLOAD_GONE)
    sources = [s for s in (resolve(f) for f in spec.files) if s is not None]
    return sources if len(sources) == len(spec.files) and sources else demo_sources()


def _estimated_bytes(rows: int, columns: int) -> int:
    return rows * max(columns, 1) * BYTES_PER_CELL


def _current_upload() -> tuple[tuple, _Upload]:
    """The cache key and entry of the files the spec points at (parsed now if the cache does not hold them)."""
    spec = state.spec()
    if spec.source == "snapshot" and spec.files:  # a saved dashboard: its data comes from its snapshot
        from cjm.ui import snapshots

        parsed = snapshots.parsed(spec.files[0].digest)
        key = ("snapshot", parsed.key)
        found = _loaded().get(key)
        return key, found if found is not None else _Upload(parsed)
    sources = current_sources()
    mappings = dict(spec.mappings)
    key = ("parsed", tuple(s.digest for s in sources),
           json.dumps({k: v.to_dict() for k, v in mappings.items()}, sort_keys=True))
    found = _loaded().get(key)
    if found is None:
        with st.spinner("Reading and mapping the files…"):
            found = _Upload(parse_files(sources, mappings=mappings))
        _keep(key, found)
    return key, found


def parsed_data() -> ParsedData:
    return _current_upload()[1].parsed


def _view(name: tuple, make, frames) -> Dataset:
    """The Dataset `name` of the current upload, made once by `make()` and kept with the upload."""
    key, upload = _current_upload()
    found = upload.datasets.get(name)
    if found is None:
        found = make(upload.parsed)
        upload.datasets[name] = found
        upload.frames[name] = int(sum(frame.memory_usage(deep=True).sum() for frame in frames(found)))
    _keep(key, upload)  # measured again: the engine tables this view added count from now on
    return found


def base_dataset() -> Dataset:
    """The loaded dataset without segments (what segmentation itself works on)."""
    from cjm.ui import connect

    if connect.connection() is not None:  # a warehouse / cluster / big file: the events stay there
        return connect.connected_dataset()
    mapping = state.spec().stage_mapping

    def make(parsed):
        with st.spinner("Mapping events onto journey stages…"):
            return build_dataset(parsed, stage_mapping=mapping)

    return _view(("dataset", json.dumps(mapping.to_dict(), sort_keys=True)), make, lambda d: [d.event_counts])


def file_previews():
    """Columns, sample values and mapping of each uploaded file, for fixing a mapping that does not load
    (empty when the files cannot even be read, or for the demo)."""
    from cjm.data.dataset import preview_files
    from cjm.errors import CJMError

    spec = state.spec()
    if spec.source != "upload":
        return []
    try:
        return preview_files(current_sources(), mappings=dict(spec.mappings))
    except CJMError:
        return []


def current_dataset() -> Dataset:
    """The dataset the sidebar points at (the demo until the user uploads files).

    Once the user has applied a segmentation (Segments page, or a saved dashboard that says so), its
    events carry a `segment` column (the segment's plain-language name), also listed in `attributes`,
    so every page can break down and filter by it (cjm.data.views.with_segments).

    Raises CJMError only: an unexpected failure is logged with its traceback and reported as a plain
    message (every page and the sidebar show CJMErrors as text, never a traceback)."""
    try:
        return _current_dataset()
    except CJMError:
        raise
    except Exception as exc:
        log.exception("Could not load the data")
        raise CJMError(f"Could not load the data ({type(exc).__name__}: {' '.join(str(exc).split())[:200]}). "
                       "Reload the page to try again; if it happens again, upload the file again.") from exc


def _current_dataset() -> Dataset:
    base = base_dataset()
    params = segments.applied_params()
    if params is None:
        return base
    try:
        result = segments.segmentation(base, params)
    except CJMError:
        return base  # the Segments page says why
    name = ("segmented", base.key, segments.params_json(params))
    from cjm.ui import connect

    if connect.connection() is not None:  # a connected table: kept on its own (its data is not in this process)
        found = _loaded().get(name)
        if found is None:
            membership = result.membership()
            found = views.with_segments(base, membership, settings=params.to_dict())
            _keep(name, found, int(membership.memory_usage(deep=True).sum()))
        return found
    return _view(name, lambda _parsed: views.with_segments(base, result.membership(), settings=params.to_dict()),
                 lambda d: [])


def analysed_dataset() -> Dataset:
    """current_dataset() for a page that analyses it: refused with one plain message (EmptyViewError) when the
    sidebar filters leave none of its interactions, instead of every panel saying something else is missing."""
    dataset = current_dataset()
    filters = state.spec().filters
    if filters.active:
        _check_not_empty(dataset.key, json.dumps(filters.to_dict(), sort_keys=True), dataset)
    return dataset


@st.cache_data(max_entries=64, show_spinner=False)
def _check_not_empty(dataset_key: str, filters_json: str, _dataset: Dataset) -> None:
    views.check_not_empty(_dataset, Filters.from_dict(json.loads(filters_json)))


def filtered(dataset: Dataset) -> Dataset:
    """`dataset` through the sidebar filters (cjm.data.views says which select events, which customers)."""
    return dataset.filtered(state.spec().filters)


def _fingerprint(value, dataset: Dataset):
    """A JSON-able, stable description of one parameter value, for the cache key only."""
    if isinstance(value, ibis.Table):
        for name in ("customers", "events"):
            if value is getattr(dataset, name) or value is getattr(dataset.loaded, name):
                return f"<dataset.{name}>"
        raise TypeError("Analyses run through cjm.ui.data.run take the dataset's own tables only "
                        "(dataset.customers); pass other tables as frames.")
    if is_dataclass(value) and not isinstance(value, type):
        return {"__type__": f"{type(value).__module__}.{type(value).__qualname__}", **asdict(value)}
    if isinstance(value, (list, tuple)):
        return [_fingerprint(v, dataset) for v in value]
    if isinstance(value, dict):
        return {str(k): _fingerprint(v, dataset) for k, v in value.items()}
    return value


@st.cache_data(max_entries=512, show_spinner=False)
def _run(function: str, view_key: str, params_key: str, _fn, _view: Dataset, _params: dict):
    return _fn(_view, **_params)


def run(fn, dataset: Dataset, **params):
    """Call a Dataset-first analysis on the filtered view (again a Dataset), cached per (function, filtered
    view, parameters).

    Parameters are passed through as they are; tables must be the dataset's own (e.g. `dataset.customers`)."""
    from cjm.ui.safe import edge_values

    view = filtered(dataset)
    key = hashlib.sha256(json.dumps(_fingerprint(params, dataset), sort_keys=True, default=str).encode()).hexdigest()
    with edge_values():  # values at the edge of a type (dates in year 1 or 9999): a message, not a traceback
        return _run(f"{fn.__module__}.{fn.__qualname__}", view.key, key, fn, view, params)


@st.cache_data(max_entries=16, show_spinner=False)
def _preview(dataset_key: str, _dataset: Dataset):
    events = _dataset.events
    return engine.execute(events.order_by(["row_id"]).limit(200))


def preview(dataset: Dataset):
    return _preview(dataset.key, dataset)
