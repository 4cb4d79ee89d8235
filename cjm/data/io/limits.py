"""The budgets of one load, in one place: how big, how wide, how deep and how long a file may be.

Every limit has a default, can be changed with an environment variable (read on every load, so a
restart is not needed for the command line; the app reads them when a file is loaded) and is named,
with the variable that raises it, in the message a user gets when a file is beyond it. The Data page
and the README state them (`describe_limits`).

| limit | default | variable |
|---|---|---|
| file size | 1024 MB | CJM_MAX_UPLOAD_MB (the app also needs server.maxUploadSize) |
| unpacked size of a .gz/.zip | the smaller of 4x the file size limit and a quarter of the memory available when the file is loaded | CJM_MAX_UNPACKED_MB |
| columns | 20,000 | CJM_MAX_COLUMNS |
| Excel cells in a sheet's used range | 20 million (and at most 1/128 of available memory in bytes) | CJM_MAX_EXCEL_CELLS |
| JSON nesting depth | 64 | CJM_MAX_JSON_DEPTH |
| characters per text field read by text analysis | 5,000 | CJM_MAX_TEXT_CHARS |
| time per load step (unpack, decode, parse, flatten) | 120 s | CJM_LOAD_SECONDS |
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from cjm.errors import CJMError, FileFormatError

MB = 1 << 20
DEFAULT_UPLOAD_MB = 1024
UNPACK_FACTOR = 4  # an archive may unpack to at most this many times the file size limit...
MEMORY_SHARE = 4  # ...and to at most this share (1/4) of the memory available when it is read
EXCEL_BYTES_PER_CELL = 128  # what a cell costs while read (the reader's grid, Python objects, pandas)


class LimitExceeded(FileFormatError):
    """A file beyond one of the load budgets: refused as it is, never re-read as another format."""


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    unpacked_bytes: int
    max_columns: int
    excel_cells: int
    json_depth: int
    text_chars: int
    load_seconds: float


def available_memory() -> int:
    """Bytes this process can still allocate: the machine's available memory, or the container's
    (cgroup) limit minus its usage when that is smaller."""
    available = None
    try:
        import psutil

        available = int(psutil.virtual_memory().available)
    except Exception:  # psutil missing or unsupported platform: fall back to the page counts
        try:
            available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):
            available = 8 << 30
    for limit_file, usage_file in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                                   ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
                                    "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        try:
            with open(limit_file) as f:
                raw = f.read().strip()
            if raw == "max":
                continue
            with open(usage_file) as f:
                usage = int(f.read().strip())
            available = min(available, max(int(raw) - usage, 0))
        except (OSError, ValueError):
            continue
    return available


def _number(variable: str, default, cast=int, *, minimum=1):
    raw = os.environ.get(variable)
    if raw is None or not raw.strip():
        return default
    try:
        value = cast(raw.strip())
    except ValueError:
        raise CJMError(f"The setting {variable}={raw!r} is not a number. Set it to a whole number such as "
                       f"{default} (or remove it to use the default).") from None
    if value < minimum:
        raise CJMError(f"The setting {variable}={raw!r} must be at least {minimum}. Set a larger value "
                       "(or remove it to use the default).")
    return value


def current_limits(*, upload_bytes: int | None = None) -> Limits:
    """The limits in force now (environment variables over defaults)."""
    upload = upload_bytes if upload_bytes is not None else _number("CJM_MAX_UPLOAD_MB", DEFAULT_UPLOAD_MB) * MB
    unpacked_mb = _number("CJM_MAX_UNPACKED_MB", None)
    if unpacked_mb is not None:
        unpacked = unpacked_mb * MB
    else:
        unpacked = min(UNPACK_FACTOR * upload, max(available_memory() // MEMORY_SHARE, 64 * MB))
    cells = _number("CJM_MAX_EXCEL_CELLS", None)
    if cells is None:
        cells = min(20_000_000, max(available_memory() // EXCEL_BYTES_PER_CELL, 1_000_000))
    return Limits(
        upload_bytes=upload,
        unpacked_bytes=unpacked,
        max_columns=_number("CJM_MAX_COLUMNS", 20_000),
        excel_cells=cells,
        json_depth=_number("CJM_MAX_JSON_DEPTH", 64),
        text_chars=_number("CJM_MAX_TEXT_CHARS", 5_000),
        load_seconds=_number("CJM_LOAD_SECONDS", 120.0, float),
    )


def describe_limits(limits: Limits | None = None) -> str:
    """One plain sentence for the Data page and the README."""
    lim = limits or current_limits()
    return (
        f"Limits per file: {human_size(lim.upload_bytes)} as uploaded, {human_size(lim.unpacked_bytes)} "
        f"once unpacked (.gz/.zip), {lim.max_columns:,} columns, {lim.excel_cells:,} Excel cells, JSON "
        f"nested {lim.json_depth} levels deep, {lim.load_seconds:g} s per load step; text analysis reads "
        f"the first {lim.text_chars:,} characters of each comment. Change them with the CJM_MAX_* and "
        "CJM_LOAD_SECONDS settings (see the README)."
    )


class Deadline:
    """The time budget of one load step, checked between steps and inside the readers' own loops
    (a single call into pyarrow or DuckDB is not interrupted; the size limits bound those)."""

    def __init__(self, step: str, *, name: str, seconds: float | None = None):
        self.step, self.name = step, name
        self.seconds = seconds if seconds is not None else current_limits().load_seconds
        self.start = time.monotonic()

    def check(self) -> None:
        if time.monotonic() - self.start > self.seconds:
            raise LimitExceeded(
                f"Reading '{self.name}' took longer than the {self.seconds:g} s allowed for one load step "
                f"({self.step}). The file is too big or too unusual to read in that time: split it into "
                "smaller files, save it as CSV or Parquet, or raise the budget with the CJM_LOAD_SECONDS "
                "setting."
            )


def human_size(size: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            value = size / factor
            return f"{value:.1f} {unit}".replace(".0 ", " ")
    return f"{size} bytes"
