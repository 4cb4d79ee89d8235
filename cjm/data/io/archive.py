"""Unpacking .gz and .zip uploads, with a size cap so a small archive cannot fill the memory."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import PurePosixPath

from cjm.errors import FileFormatError
from cjm.data.io.limits import UNPACK_FACTOR, Deadline, LimitExceeded, human_size

DATA_SUFFIXES = {
    ".csv", ".tsv", ".tab", ".txt", ".dat", ".psv", ".xlsx", ".parquet", ".pq",
    ".json", ".jsonl", ".ndjson", ".gz",
}
_CHUNK = 1 << 20  # bytes decompressed per step
__all__ = ["UNPACK_FACTOR", "gunzip", "human_size", "inner_name", "open_zip", "unzip"]


def gunzip(data: bytes, *, name: str, limit: int) -> bytes:
    """All members of a gzip stream, decompressed a chunk at a time; the bytes of every member count
    towards `limit`, and unpacking stops (with a message) as soon as they pass it."""
    out, size, rest = bytearray(), 0, data
    deadline = Deadline("unpacking", name=name)
    while rest:
        stream = zlib.decompressobj(wbits=31)
        pending = rest
        while True:
            try:
                part = stream.decompress(pending, _CHUNK)
            except zlib.error as error:
                raise FileFormatError(
                    f"'{name}' starts like a gzip-compressed file but cannot be unpacked ({error}). Compress "
                    "the original file again (or upload it uncompressed)."
                ) from None
            size += len(part)
            _check_unpacked(size, limit, name=name)
            out += part
            deadline.check()
            pending = stream.unconsumed_tail
            if stream.eof or (not pending and not part):
                break
        if not stream.eof:
            raise FileFormatError(
                f"'{name}' is a gzip-compressed file that is incomplete: it ends before the compressed "
                "data does (an interrupted download or copy). Compress or download the file again and "
                "upload it."
            )
        rest = stream.unused_data.lstrip(b"\x00")  # members may follow; some tools pad with NULs
    return bytes(out)


def inner_name(name: str) -> str:
    """'events.csv.gz' -> 'events.csv'."""
    return name[:-3] if name.lower().endswith(".gz") else name


def unzip(archive: zipfile.ZipFile, *, name: str, limit: int) -> tuple[bytes, str]:
    """(content, member name) of the data file in the archive: the only one, or else the largest."""
    unsafe = [i.filename for i in archive.infolist() if _is_unsafe(i.filename)]
    if unsafe:
        raise FileFormatError(
            f"'{name}' is a zip archive with a file whose path leads outside the archive "
            f"({unsafe[0]!r}{f' and {len(unsafe) - 1} more' if len(unsafe) > 1 else ''}), as crafted archives "
            "do to overwrite files when unpacked. cjm does not read such archives: unpack the data file "
            "yourself and upload it directly."
        )
    files = [i for i in archive.infolist() if not i.is_dir() and not _is_clutter(i.filename)]
    data_files = [i for i in files if PurePosixPath(i.filename).suffix.lower() in DATA_SUFFIXES]
    if not data_files:
        found = ", ".join(i.filename for i in files[:6]) or "nothing"
        raise FileFormatError(
            f"'{name}' is a zip archive without a data file (it contains: {found}). Put a CSV, TSV, "
            "Excel (.xlsx), Parquet or JSON file in the archive, or upload that file directly."
        )
    member = max(data_files, key=lambda i: i.file_size)
    _check_unpacked(member.file_size, limit, name=name)  # what the archive says; the bytes are counted too
    try:
        return _read_member(archive, member, name=name, limit=limit), member.filename
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


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, name: str, limit: int) -> bytes:
    out, deadline = bytearray(), Deadline("unpacking", name=name)
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            out += chunk
            _check_unpacked(len(out), limit, name=name)
            deadline.check()
    return bytes(out)


def _is_unsafe(path: str) -> bool:
    """An absolute path, a drive letter or a '..' part: the member would land outside the folder."""
    normal = path.replace("\\", "/")
    return normal.startswith("/") or (len(normal) > 1 and normal[1] == ":") or ".." in normal.split("/")


def _is_clutter(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return any(p == "__MACOSX" or p.startswith(".") for p in parts)


def _check_unpacked(size: int, limit: int, *, name: str) -> None:
    if size > limit:
        raise LimitExceeded(
            f"'{name}' unpacks to more than {human_size(limit)}, the most cjm reads from one archive (the "
            "unpacked-size limit, set from the memory available). Split the data into smaller files (for "
            "example one per month) and upload them one at a time, or raise the limit with the "
            "CJM_MAX_UNPACKED_MB setting if the machine has the memory."
        )
