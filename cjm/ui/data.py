"""The dataset every page works on, kept once per content and settings, and cached analysis runs.

From an upload to a chart:
    upload -> SourceFile (bytes on disk under their SHA-256: cjm.data.snapshots) -> FileRef in the spec
    -> ParsedData (per files + column mappings) -> Dataset (per stage mapping) [-> with segments]
    -> dataset.filtered(sidebar filters) (again a Dataset) -> fn(view, ...) cached per view and params.

Two server-side caches hold the uploads (bytes) and the loaded datasets; each is a least-recently-used
store bounded by bytes: `CJM_CACHE_MB` megabytes (default 1024, see cjm.data.snapshots.cache_bytes).
A dataset's size is estimated as rows x columns x 16 bytes (its tables in the engine).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, is_dataclass
from pathlib import Path

import ibis
import streamlit as st

from cjm import engine
from cjm.data import views
from cjm.data.dataset import Dataset, ParsedData, SourceFile, build_dataset, parse_files
from cjm.data.snapshots import ByteLRU, SnapshotStore, cache_bytes
from cjm.errors import CJMError
from cjm.spec import FileRef
from cjm.ui import segments, state

DEMO_DIR = Path(__file__).resolve().parents[2] / "data"
DEMO_FILES = (("demo_events.csv.gz", "events"), ("demo_customers.csv", "customers"))
BYTES_PER_CELL = 16  # the estimate of a dataset's size in the engine: rows x columns x this


@st.cache_resource
def _uploads() -> ByteLRU:
    """Uploaded files by digest (bounded by bytes; evicted ones are read back from their snapshot)."""
    return ByteLRU(cache_bytes())


@st.cache_resource
def _loaded() -> ByteLRU:
    """Parsed files, datasets and segmented datasets by their settings (bounded by estimated bytes)."""
    return ByteLRU(cache_bytes())


@st.cache_resource
def _snapshots() -> SnapshotStore:
    return SnapshotStore()


def cache_limit_text() -> str:
    """The cache bound in words, for the Data page."""
    return (f"Uploaded files and loaded datasets are each kept in a server cache of at most "
            f"{cache_bytes() / 2**20:,.0f} MB (least recently used first out; set CJM_CACHE_MB to change it).")


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


def parsed_data() -> ParsedData:
    spec = state.spec()
    if spec.source == "snapshot" and spec.files:  # a saved dashboard: its data comes from its snapshot
        from cjm.ui import snapshots

        return snapshots.parsed(spec.files[0].digest)
    sources = current_sources()
    mappings = dict(spec.mappings)
    key = ("parsed", tuple(s.digest for s in sources),
           json.dumps({k: v.to_dict() for k, v in mappings.items()}, sort_keys=True))
    found = _loaded().get(key)
    if found is None:
        with st.spinner("Reading and mapping the files…"):
            found = parse_files(sources, mappings=mappings)
        _loaded().put(key, found, _estimated_bytes(found.accounting.rows_used, len(found.events.columns)))
    return found


def base_dataset() -> Dataset:
    """The loaded dataset without segments (what segmentation itself works on)."""
    from cjm.ui import connect

    if connect.connection() is not None:  # a warehouse / cluster / big file: the events stay there
        return connect.connected_dataset()
    parsed = parsed_data()
    mapping = state.spec().stage_mapping
    key = ("dataset", parsed.key, json.dumps(mapping.to_dict(), sort_keys=True))
    found = _loaded().get(key)
    if found is None:
        with st.spinner("Mapping events onto journey stages…"):
            found = build_dataset(parsed, stage_mapping=mapping)
        _loaded().put(key, found, int(found.event_counts.memory_usage(deep=True).sum()))
    return found


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
    so every page can break down and filter by it (cjm.data.views.with_segments)."""
    base = base_dataset()
    params = segments.applied_params()
    if params is None:
        return base
    try:
        result = segments.segmentation(base, params)
    except CJMError:
        return base  # the Segments page says why
    key = ("segmented", base.key, segments.params_json(params))
    found = _loaded().get(key)
    if found is None:
        membership = result.membership()
        found = views.with_segments(base, membership, settings=params.to_dict())
        _loaded().put(key, found, int(membership.memory_usage(deep=True).sum()))
    return found


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
