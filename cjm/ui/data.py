"""Loading datasets once per content: uploads are parsed once per server, analyses cached by key."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from cjm.data.dataset import Dataset, ParsedData, SourceFile, build_dataset, parse_files
from cjm.data.filters import apply_filters
from cjm.spec import FileRef
from cjm.ui import state

DEMO_DIR = Path(__file__).resolve().parents[2] / "data"
DEMO_FILES = (("demo_events.csv.gz", "events"), ("demo_customers.csv", "customers"))


@st.cache_resource
def _uploads() -> dict[str, SourceFile]:
    """Uploaded files kept server-side by digest, so session state only holds small references."""
    return {}


@st.cache_resource
def _datasets() -> dict[str, Dataset]:
    return {}


def remember_upload(source: SourceFile) -> FileRef:
    _uploads()[source.digest] = source
    return FileRef(name=source.name, digest=source.digest, role=source.role, encoding=source.encoding,
                   delimiter=source.delimiter, sheet=source.sheet)


def uploaded(digest: str) -> SourceFile:
    return _uploads()[digest]


def demo_sources() -> list[SourceFile]:
    return [SourceFile.from_path(DEMO_DIR / name, role=role) for name, role in DEMO_FILES]


def current_sources() -> list[SourceFile]:
    spec = state.spec()
    if spec.source == "demo":
        return demo_sources()
    store = _uploads()
    sources = [store[f.digest] for f in spec.files if f.digest in store]
    return sources or demo_sources()


@st.cache_resource(max_entries=8, show_spinner="Reading and mapping the files…")
def _parsed(digests: tuple[str, ...], mappings_json: str, _sources: tuple[SourceFile, ...]) -> ParsedData:
    from cjm.data.columns import ColumnMapping

    mappings = {k: ColumnMapping.from_dict(v) for k, v in json.loads(mappings_json).items()}
    return parse_files(list(_sources), mappings=mappings)


@st.cache_resource(max_entries=16, show_spinner="Mapping events onto journey stages…")
def _built(parsed_key: str, stage_json: str, _parsed: ParsedData) -> Dataset:
    from cjm.data.stages import StageMapping

    dataset = build_dataset(_parsed, stage_mapping=StageMapping.from_dict(json.loads(stage_json)))
    _datasets()[dataset.key] = dataset
    return dataset


def parsed_data() -> ParsedData:
    spec = state.spec()
    sources = tuple(current_sources())
    mappings = json.dumps({k: v.to_dict() for k, v in spec.mappings.items()}, sort_keys=True)
    return _parsed(tuple(s.digest for s in sources), mappings, sources)


def current_dataset() -> Dataset:
    """The dataset the sidebar points at (the demo until the user uploads files).

    Once the user has applied a segmentation (Segments page, or a saved dashboard that says so), its
    events carry a `segment` column (the segment's plain-language name), also listed in `attributes`,
    so every page can break down and filter by it."""
    return with_segments(base_dataset())


def base_dataset() -> Dataset:
    """The loaded dataset without segments (what segmentation itself works on)."""
    parsed = parsed_data()
    stage_json = json.dumps(state.spec().stage_mapping.to_dict(), sort_keys=True)
    return _built(parsed.key, stage_json, parsed)


SEGMENTED = "+segments-"  # in a dataset key: the base dataset's key, this, then the segment settings' digest


def base_of(dataset: Dataset) -> Dataset:
    """The dataset without segments that `dataset` was made from (itself when it has none)."""
    return _datasets().get(dataset.key.split(SEGMENTED)[0], dataset)


def with_segments(base: Dataset) -> Dataset:
    """`base` with the applied segmentation's `segment` column joined to its events (`base` when none
    is applied, or when it cannot run: the Segments page says why)."""
    from cjm.errors import CJMError
    from cjm.ui import segments

    params = segments.applied_params()
    if params is None:
        return base
    try:
        result = segments.segmentation(base, params)
    except CJMError:
        return base
    return _segmented(base.key, segments.params_json(params), base, result)


@st.cache_resource(max_entries=16, show_spinner=False)
def _segmented(base_key: str, params_json: str, _base: Dataset, _result) -> Dataset:
    import hashlib
    from dataclasses import replace

    import pandas as pd

    from cjm import engine

    membership = _result.membership()
    members = engine.register(pd.DataFrame({"_segment_customer": membership["customer_id"].astype("string"),
                                            "segment": membership["persona"].astype("string")}))
    events = _base.events.drop("segment") if "segment" in _base.events.columns else _base.events
    joined = events.left_join(members, events.customer_id == members._segment_customer)
    joined = joined.select(*events.columns, segment=joined.segment)
    digest = hashlib.sha256(params_json.encode()).hexdigest()[:12]
    attributes = tuple(a for a in _base.attributes if a != "segment") + ("segment",)
    dataset = replace(_base, key=f"{base_key}{SEGMENTED}{digest}", events=joined, attributes=attributes)
    _datasets()[dataset.key] = dataset
    return dataset


def filtered_events(dataset: Dataset):
    return apply_filters(dataset.events, state.spec().filters)


@st.cache_data(max_entries=512, show_spinner=False)
def _run(function: str, dataset_key: str, filters_json: str, params_json: str):
    from cjm.data.filters import Filters

    module, _, name = function.rpartition(".")
    fn = getattr(__import__(module, fromlist=[name]), name)
    dataset = _datasets()[dataset_key]
    from cjm.journey.funnel.validate import names_known_from

    events = apply_filters(dataset.events, Filters.from_dict(json.loads(filters_json)))
    with names_known_from(dataset.events):  # a step the filtered view never reaches is 0, not an error
        return fn(events, **decode_params(json.loads(params_json), dataset))


def run(fn, dataset: Dataset, **params):
    """Call a pure core function on the filtered events, cached by (dataset, filters, parameters)."""
    filters_json = json.dumps(state.spec().filters.to_dict(), sort_keys=True)
    from cjm.ui.safe import edge_values

    with edge_values():  # values at the edge of a type: a message, not a traceback
        return _run(f"{fn.__module__}.{fn.__name__}", dataset.key, filters_json,
                    json.dumps(encode_params(params), sort_keys=True, default=str))


def encode_params(params: dict) -> dict:
    from dataclasses import asdict, is_dataclass

    out = {}
    for key, value in params.items():
        if is_dataclass(value):
            out[key] = {"__dataclass__": f"{type(value).__module__}.{type(value).__name__}", **asdict(value)}
        elif value is DATASET_CUSTOMERS:
            out[key] = "__customers__"
        else:
            out[key] = value
    return out


def decode_params(params: dict, dataset: Dataset) -> dict:
    out = {}
    for key, value in params.items():
        if isinstance(value, dict) and "__dataclass__" in value:
            module, _, name = value.pop("__dataclass__").rpartition(".")
            cls = getattr(__import__(module, fromlist=[name]), name)
            out[key] = cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in value.items()})
        elif value == "__customers__":
            out[key] = dataset.customers
        elif isinstance(value, list):
            out[key] = tuple(value)
        else:
            out[key] = value
    return out


DATASET_CUSTOMERS = object()  # pass as a parameter value to give the function the customers table


@st.cache_data(max_entries=16, show_spinner=False)
def _preview(dataset_key: str):
    from cjm import engine

    events = _datasets()[dataset_key].events
    return engine.execute(events.order_by(["row_id"]).limit(200))


def preview(dataset: Dataset):
    return _preview(dataset.key)
