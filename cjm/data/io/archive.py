"""Unpacking .gz and .zip uploads, with a size cap so a small archive cannot fill the memory."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import PurePosixPath

from cjm.errors import FileFormatError

DATA_SUFFIXES = {
    ".csv", ".tsv", ".tab", ".txt", ".dat", ".psv", ".xlsx", ".parquet", ".pq",
    ".json", ".jsonl", ".ndjson", ".gz",
}
UNPACK_FACTOR = 4  # an archive may unpack to at most this many times the upload limit


def gunzip(data: bytes, *, name: str, limit: int) -> bytes:
    """All members of a gzip stream, stopping (with a message) once more than `limit` bytes come out."""
    parts, size, rest = [], 0, data
    while rest:
        stream = zlib.decompressobj(wbits=31)
        try:
            part = stream.decompress(rest, limit + 1 - size)
        except zlib.error as error:
            raise FileFormatError(
                f"'{name}' starts like a gzip-compressed file but cannot be unpacked ({error}). Compress "
                "the original file again (or upload it uncompressed)."
            ) from None
        parts.append(part)
        size += len(part)
        _check_unpacked(size, limit, name=name)
        if not stream.eof:
            raise FileFormatError(
                f"'{name}' is a gzip-compressed file that is incomplete: it ends before the compressed "
                "data does (an interrupted download or copy). Compress or download the file again and "
                "upload it."
            )
        rest = stream.unused_data.lstrip(b"\x00")  # members may follow; some tools pad with NULs
    return b"".join(parts)


def inner_name(name: str) -> str:
    """'events.csv.gz' -> 'events.csv'."""
    return name[:-3] if name.lower().endswith(".gz") else name


def unzip(archive: zipfile.ZipFile, *, name: str, limit: int) -> tuple[bytes, str]:
    """(content, member name) of the data file in the archive: the only one, or else the largest."""
    files = [i for i in archive.infolist() if not i.is_dir() and not _is_clutter(i.filename)]
    data_files = [i for i in files if PurePosixPath(i.filename).suffix.lower() in DATA_SUFFIXES]
    if not data_files:
        found = ", ".join(i.filename for i in files[:6]) or "nothing"
        raise FileFormatError(
            f"'{name}' is a zip archive without a data file (it contains: {found}). Put a CSV, TSV, "
            "Excel (.xlsx), Parquet or JSON file in the archive, or upload that file directly."
        )
    member = max(data_files, key=lambda i: i.file_size)
    _check_unpacked(member.file_size, limit, name=name)
    try:
        return archive.read(member), member.filename
    except RuntimeError:  # the member is encrypted
        raise FileFormatError(
            f"'{name}' is a password-protected zip archive. Unpack it yourself and upload the data "
            f"file ({member.filename}) instead."
        ) from None
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError) as error:
        raise FileFormatError(
            f"The file {member.filename} inside '{name}' cannot be unpacked ({error}). Create the zip "
            "archive again, or upload the data file directly."
        ) from None


def open_zip(data: bytes, *, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError):
        raise FileFormatError(
            f"'{name}' is a zip archive that is damaged or incomplete (it ends too early, as after an "
            "interrupted download or copy). Create or download the archive again and upload it."
        ) from None


def _is_clutter(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return any(p == "__MACOSX" or p.startswith(".") for p in parts)


def _check_unpacked(size: int, limit: int, *, name: str) -> None:
    if size > limit:
        raise FileFormatError(
            f"'{name}' unpacks to more than {human_size(limit)}, the most cjm reads from one archive. "
            "Split the data into smaller files (for example one per month) and upload them one at a time."
        )


def human_size(size: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            value = size / factor
            return f"{value:.1f} {unit}".replace(".0 ", " ")
    return f"{size} bytes"
