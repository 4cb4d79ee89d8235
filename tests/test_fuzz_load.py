"""Fuzzing the loader (hypothesis): generated and real export files, mutated (truncated, random bytes,
wrong delimiters, mixed encodings, giant fields and widths, extreme dates and numbers, deep nesting,
packed in .gz/.zip), are each either a dataset whose row accounting adds up, or a typed CJMError with
a plain one-paragraph message, within a time bound enforced per case.

A short run is part of `make test`; `make fuzz` runs many more cases (CJM_FUZZ_EXAMPLES) and prints
the number of cases run and failures. CJM_FUZZ_TIMEOUT sets the per-case bound (seconds)."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import signal
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.errors import CJMError
from tests import fixtures_io as fx
from tests.helpers import REAL_DATA

EXAMPLES = int(os.environ.get("CJM_FUZZ_EXAMPLES", "25"))
TIMEOUT = int(os.environ.get("CJM_FUZZ_TIMEOUT", "30"))
STATS = {"cases": 0, "datasets": 0, "refused": 0, "failures": 0}


class CaseTimeout(Exception):
    pass


@contextmanager
def time_bound(seconds: int):
    """Interrupt a case that runs longer than `seconds` (SIGALRM: the test runs in the main thread)."""
    def expire(signum, frame):
        raise CaseTimeout(f"the case ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- seed files ----------------------------------------------------------------------------------

def _events(n: int = 30) -> list[list[str]]:
    rows = [["customer_id", "timestamp", "event", "channel", "revenue", "comment"]]
    for i in range(n):
        rows.append([f"c{i % 7:03d}", f"2024-0{i % 9 + 1}-1{i % 10} 1{i % 10}:00:00",
                     ["ad_click", "product_view", "add_to_cart", "purchase"][i % 4], ["web", "app", "email"][i % 3],
                     f"{i * 3.5:.2f}", ["great", "too slow, refund please", ""][i % 3]])
    return rows


def _seeds() -> dict[str, bytes]:
    rows = _events()
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    seeds = {
        "events.csv": fx.delimited(rows),
        "events.tsv": fx.delimited(rows, delimiter="\t"),
        "events_semicolon.csv": fx.delimited(rows, delimiter=";", encoding="cp1252"),
        "events.json": fx.json_bytes(frame.to_dict(orient="records")),
        "events.jsonl": "\n".join(json.dumps(r) for r in frame.to_dict(orient="records")).encode(),
        "events.xlsx": fx.xlsx({"S": rows}),
        "events.parquet": fx.parquet(frame),
        "events.csv.gz": gzip.compress(fx.delimited(rows)),
        "events.zip": fx.zipped({"events.csv": fx.delimited(rows)}),
    }
    real = Path(os.environ.get("CJM_REAL_DATA") or REAL_DATA)
    if real.is_dir():  # the first 64 KB of each real export (cut at a line end) joins the corpus
        for path in sorted(real.rglob("*.csv"))[:6] + sorted(real.rglob("*.txt"))[:1]:
            with open(path, "rb") as f:
                head = f.read(1 << 16)
            seeds[path.name] = head[: head.rfind(b"\n") + 1]
    return seeds


SEEDS = _seeds()
NAMES = sorted(SEEDS)

# --- mutations -----------------------------------------------------------------------------------

EXTREMES = ["0001-01-01", "9999-12-31 23:59:59", "1970-01-01T00:00:00Z", "2024-02-30", "-1", "1e308", "-1e308",
            "inf", "NaN", "99999999999999999999999", "0x1F", "1,234,567.89", "1.234.567,89", "٣٤٥", "13/13/2024",
            "", "NULL", "\u202e=cmd", "=HYPERLINK(\"http://127.0.0.1\")", "'\"", "\x00", "<script>x</script>"]


def _truncate(data: bytes, draw) -> bytes:
    return data[: draw(st.integers(0, max(len(data) - 1, 0)))]


def _random_bytes(data: bytes, draw) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, max(len(out), 1) - 1)) if out else 0
        blob = draw(st.binary(min_size=1, max_size=16))
        if draw(st.booleans()) and out:
            out[at:at + len(blob)] = blob
        else:
            out[at:at] = blob
    return bytes(out)


def _wrong_delimiter(data: bytes, draw) -> bytes:
    a, b = draw(st.sampled_from([(b",", b";"), (b",", b"|"), (b"\t", b","), (b",", b" "), (b"\n", b"\r"),
                                 (b"\n", b","), (b'"', b"")]))
    return data.replace(a, b)


def _mixed_encoding(data: bytes, draw) -> bytes:
    text = data.decode("utf-8", "replace")
    cut = draw(st.integers(0, len(text)))
    encoding = draw(st.sampled_from(["latin-1", "utf-16", "cp1256", "shift_jis", "koi8-r"]))
    extra = draw(st.sampled_from(["é ü ñ", "مرحبا", "Привет", "日本語", "😀"]))
    return text[:cut].encode("utf-8") + (extra + text[cut:]).encode(encoding, "replace")


def _giant_field(data: bytes, draw) -> bytes:
    size = draw(st.sampled_from([10_000, 200_000, 2_000_000]))
    quoted = draw(st.booleans())
    field = (b'"' + b"x, " * (size // 3) + b'"') if quoted else b"y" * size
    lines = data.split(b"\n")
    at = draw(st.integers(0, max(len(lines) - 1, 0)))
    lines[at] = lines[at] + b"," + field
    return b"\n".join(lines)


def _giant_width(data: bytes, draw) -> bytes:
    width = draw(st.sampled_from([300, 3_000, 25_000]))
    lines = data.split(b"\n")
    at = draw(st.integers(0, min(2, len(lines) - 1)))
    lines[at] = lines[at] + b"," * width
    return b"\n".join(lines)


def _extreme_values(data: bytes, draw) -> bytes:
    rows = data.split(b"\n")
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(1, max(len(rows) - 1, 1))) if len(rows) > 1 else 0
        cells = rows[at].split(b",")
        cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(EXTREMES)).encode("utf-8")
        rows[at] = b",".join(cells)
    return b"\n".join(rows)


def _deep_nesting(data: bytes, draw) -> bytes:
    depth = draw(st.sampled_from([10, 70, 2_000, 100_000]))
    kind = draw(st.sampled_from(["list", "object", "inside"]))
    if kind == "list":
        return b"[" * depth + b"]" * depth
    if kind == "object":
        return b'{"a":' * depth + b"1" + b"}" * depth
    return (b'[{"customer_id": "1", "timestamp": "2024-01-01", "event": "view", "x": ' + b'{"a":' * depth + b"1"
            + b"}" * depth + b"}]")


def _repack(data: bytes, draw) -> bytes:
    kind = draw(st.sampled_from(["gzip", "zip", "double"]))
    if kind == "gzip":
        return gzip.compress(data)
    if kind == "zip":
        return fx.zipped({draw(st.sampled_from(["e.csv", "../e.csv", "e.json", "e.bin"])): data})
    return gzip.compress(gzip.compress(data))


MUTATIONS = {f.__name__.strip("_"): f for f in (_truncate, _random_bytes, _wrong_delimiter, _mixed_encoding,
                                                _giant_field, _giant_width, _extreme_values, _deep_nesting,
                                                _repack)}


@st.composite
def hostile_files(draw):
    name = draw(st.sampled_from(NAMES))
    data = SEEDS[name]
    applied = draw(st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=3))
    for mutation in applied:
        data = MUTATIONS[mutation](data, draw)
    return name, data, applied


def _check_one(name: str, data: bytes) -> str:
    """'dataset' or 'refused'; any other outcome fails the case."""
    try:
        with time_bound(TIMEOUT):
            dataset = build_dataset(parse_files([SourceFile(name=name, data=data)]))
    except CJMError as exc:
        message = str(exc)
        assert message.strip() and "Traceback" not in message and len(message) < 4000, message
        return "refused"
    accounting = dataset.accounting
    assert accounting.rows_in == accounting.rows_used + accounting.rows_rejected, accounting
    assert len(accounting.rejected) == accounting.rows_rejected
    assert accounting.rejected["reason"].notna().all()
    return "dataset"


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    print(f"\nfuzz: {STATS['cases']} cases run, {STATS['datasets']} datasets, {STATS['refused']} refused with a "
          f"message, {STATS['failures']} failures")


@settings(max_examples=EXAMPLES, deadline=None, derandomize=os.environ.get("CJM_FUZZ_RANDOM") is None,
          suppress_health_check=list(HealthCheck), database=None)
@given(hostile_files())
def test_a_mutated_file_is_a_dataset_whose_rows_add_up_or_a_plain_cjm_error(case):
    name, data, applied = case
    STATS["cases"] += 1
    try:
        outcome = _check_one(name, data)
    except BaseException:
        STATS["failures"] += 1
        raise
    STATS[{"dataset": "datasets", "refused": "refused"}[outcome]] += 1


@pytest.mark.parametrize("seed", NAMES)
def test_every_unmutated_seed_file_loads(seed):
    if seed not in ("events.csv", "events.tsv", "events_semicolon.csv", "events.json", "events.jsonl",
                    "events.xlsx", "events.parquet", "events.csv.gz", "events.zip"):
        pytest.skip("real exports are mutated, not required to load as events")
    assert _check_one(seed, SEEDS[seed]) == "dataset"
