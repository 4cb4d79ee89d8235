"""Reading uploaded files into a table: CSV/TSV/;/|/whitespace text, Excel, Parquet, JSON, JSON Lines,
plain or inside .gz/.zip. The format is recognised by content first (magic bytes), then by name.
Bad input raises cjm.errors.FileFormatError with a message that names the problem and the fix."""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

import pandas as pd

from cjm.errors import FileFormatError, ParameterError
from cjm.data.io.archive import gunzip, inner_name, open_zip, unzip
from cjm.data.io.limits import Deadline, LimitExceeded, Limits, current_limits, describe_limits, human_size
from cjm.data.io.encoding import (WINDOWS_CODE_PAGES, decode, encoding_name, is_utf8, mixed_utf8, sniff_encoding,
                                  wide_encoding)
from cjm.data.io.excel import damaged_xlsx_message, is_xlsx, read_xlsx
from cjm.data.io.jsonfile import is_json_lines, read_json, read_json_lines
from cjm.data.io.spreadsheetml import is_spreadsheetml, read_spreadsheetml
from cjm.data.io.sniff import (
    DELIMITERS, WHITESPACE, binary_kind, first_row_is_header, looks_binary, sample_records, sniff_delimiter,
)
from cjm.data.io.surveys import extra_header_rows, header_note, surveymonkey_subheader, timezones
from cjm.data.io.table import LineNumbers, Parsed, RawTable, check_has_rows, column_names
from cjm.data.io.text import read_delimited

__all__ = ["MAX_UPLOAD_BYTES", "RawTable", "check_input_path", "current_limits", "describe_limits", "load_path",
           "load_table", "read_path_bytes", "sniff_encoding"]

MAX_UPLOAD_BYTES = 1024 * 1024 * 1024  # also server.maxUploadSize = 1024 (MB) in .streamlit/config.toml

_SAMPLE = 64 * 1024
_TEXT_TABLE_SUFFIXES = {".csv", ".tsv", ".tab", ".txt", ".dat", ".psv"}
_WHITESPACE_NAMES = {" ", "whitespace", r"\s+", "space", "spaces"}


@dataclass(frozen=True)
class _Options:
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    has_header: bool | None
    limits: Limits


@dataclass(frozen=True)
class _Source:
    name: str  # the upload's name
    shown: str  # how messages name the data: "events.csv", "events.csv (in export.zip)"
    compression: str | None = None
    member: str | None = None
    other_lines: tuple[str, tuple[int, ...]] | None = None  # see RawTable.other_encoding_lines

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.member or inner_name(self.name)).suffix.lower()


def load_table(
    data: bytes,
    *,
    name: str,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    has_header: bool | None = None,
    max_bytes: int | None = None,
) -> RawTable:
    """Read one uploaded file. `encoding`, `delimiter`, `sheet` and `has_header` override the guesses.

    `delimiter` is one character, or "whitespace" for columns separated by runs of spaces."""
    data = bytes(data)
    limits = current_limits(upload_bytes=max_bytes)
    _check_size(len(data), limits.upload_bytes, name=name)
    options = _Options(
        encoding=encoding_name(encoding) if encoding else None,
        delimiter=_normalise_delimiter(delimiter),
        sheet=sheet,
        has_header=has_header,
        limits=limits,
    )
    return _load(data, _Source(name=name, shown=name), options)


def load_path(path, **kwargs) -> RawTable:
    """Read a file from disk (checking what it is and its size before reading it) and call load_table."""
    path = Path(path)
    name = kwargs.pop("name", path.name)
    data = read_path_bytes(path, max_bytes=kwargs.get("max_bytes"), name=name)
    return load_table(data, name=name, **kwargs)


def check_input_path(path, *, max_bytes: int | None = None, name: str | None = None) -> os.stat_result:
    """The path's status when it is a regular file within the size limit; a plain FileFormatError when it
    is missing, unreadable, a folder, a named pipe, a device (/dev/zero) or a socket: reading those would
    fail with a traceback, wait forever for a writer, or never end."""
    path = Path(path)
    shown = name or str(path)
    try:
        status = path.stat()
    except FileNotFoundError:
        raise FileFormatError(f"cjm cannot open {str(path)!r}: there is no file at that path. Check the path and try again.") from None
    except OSError as error:
        raise FileFormatError(f"cjm cannot open {str(path)!r}: {error.strerror}. Check the path.") from None
    mode = status.st_mode
    if not stat.S_ISREG(mode):
        what = ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        raise FileFormatError(
            f"{str(path)!r} is {what}, not a file: cjm reads exported files only. Give the path of a CSV, "
            "TSV, Excel (.xlsx), Parquet or JSON file (for a folder, one of the files in it)."
        )
    _check_size(status.st_size, current_limits(upload_bytes=max_bytes).upload_bytes, name=shown)
    return status


def read_path_bytes(path, *, max_bytes: int | None = None, name: str | None = None) -> bytes:
    """The bytes of a regular file, after check_input_path."""
    check_input_path(path, max_bytes=max_bytes, name=name)
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise FileFormatError(f"cjm cannot open {str(path)!r}: {error.strerror}. Check the path.") from None


def _load(data: bytes, source: _Source, options: _Options) -> RawTable:
    if not data[:_SAMPLE].strip() and not data.strip():
        _empty(source)
    kind = binary_kind(data)
    if kind == "gzip":
        _refuse_double_packing(source)
        inner = gunzip(data, name=source.shown, limit=options.limits.unpacked_bytes)
        return _load(inner, replace(source, shown=inner_name(source.shown), compression="gzip"), options)
    if kind == "zip":
        return _load_zip(data, source, options)
    if kind == "parquet":
        return _finish(_read_parquet(data, source), "parquet", source)
    if kind == "xls":
        raise FileFormatError(
            f"'{source.shown}' is an old-style Excel 97-2003 workbook (.xls). Open it in Excel and save it "
            "as an Excel workbook (.xlsx) or as CSV, then upload that file."
        )
    if kind != "text":
        raise FileFormatError(
            f"'{source.shown}' is {kind}, not a table. Upload a CSV, TSV, Excel (.xlsx), Parquet or "
            "JSON file."
        )
    return _load_text(data, source, options)


def _load_zip(data: bytes, source: _Source, options: _Options) -> RawTable:
    try:
        archive = open_zip(data, name=source.shown)
    except FileFormatError:
        if b"[Content_Types].xml" in data[:_SAMPLE] or source.suffix in (".xlsx", ".xlsm"):
            raise FileFormatError(damaged_xlsx_message(source.shown)) from None
        raise
    with archive:
        if is_xlsx(archive):
            parsed, sheet, sheets = read_xlsx(
                data, name=source.shown, sheet=options.sheet, has_header=options.has_header,
                max_cells=options.limits.excel_cells,
            )
            return _finish(parsed, "xlsx", source, sheet=sheet, sheets=sheets)
        if "mimetype" in archive.namelist() and b"opendocument" in archive.read("mimetype"):
            raise FileFormatError(
                f"'{source.shown}' is an OpenDocument file (LibreOffice). Save it as Excel (.xlsx) or CSV "
                "and upload that file."
            )
        _refuse_double_packing(source)
        inner, member = unzip(archive, name=source.shown, limit=options.limits.unpacked_bytes)
    shown = f"{member} (in {source.shown})"
    return _load(inner, replace(source, shown=shown, compression="zip", member=member), options)


def _load_text(data: bytes, source: _Source, options: _Options) -> RawTable:
    try:
        return _load_text_as(data, source, options)
    except UnicodeDecodeError as error:  # the sample read as UTF-8, a later part does not (mixed encodings)
        raise FileFormatError(
            f"'{source.shown}' mixes text encodings: it reads as {error.encoding.upper()} at first, but byte "
            f"{error.start:,} ({error.object[error.start:error.start + 1].hex()}) and perhaps others are not "
            f"{error.encoding.upper()}. Save the file again in one encoding (in Excel: 'CSV UTF-8'), or choose "
            "its encoding under Reading options."
        ) from None


def _load_text_as(data: bytes, source: _Source, options: _Options) -> RawTable:
    raw_sample = data[:_SAMPLE].decode("latin-1")  # one character per byte
    if options.encoding is None and not wide_encoding(data) and looks_binary(raw_sample):
        _binary(source)  # checked before guessing an encoding for bytes that are not text at all
    encoding = options.encoding or sniff_encoding(data)
    if encoding == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    mixed = mixed_utf8(data) if options.encoding is None and encoding in WINDOWS_CODE_PAGES else None
    if mixed is not None:  # mostly UTF-8: read it as UTF-8, and the other lines in their own code page
        text, sample, encoding = mixed[0].lstrip("\ufeff"), mixed[0][:_SAMPLE], "utf-8"
        source = replace(source, other_lines=(mixed[1], tuple(mixed[2])))
    elif encoding in ("utf-8", "utf-8-sig") and (options.encoding is None or is_utf8(data)):
        text = None  # pyarrow reads UTF-8 bytes as they are: no decoded copy of a big file
        sample = data[:_SAMPLE].decode("utf-8-sig", errors="ignore")
    else:
        text = decode(data, encoding, name=source.shown).lstrip("\ufeff")
        sample = text[:_SAMPLE]
    if looks_binary(sample):
        _binary(source)
    if not sample.strip():
        _empty(source)
    if options.delimiter is None and is_spreadsheetml(sample):  # Excel 2003 XML, often named .xls (Freshdesk)
        parsed, sheet, sheets = read_spreadsheetml(
            text if text is not None else data.decode(encoding), name=source.shown, sheet=options.sheet,
            has_header=options.has_header, max_cells=options.limits.excel_cells)
        return _finish(parsed, "Excel 2003 XML", source, encoding=encoding, sheet=sheet, sheets=sheets)
    if sample.lstrip()[:1] in ("{", "[") and options.delimiter is None:
        full_text = text if text is not None else data.decode(encoding)
        if source.suffix in (".jsonl", ".ndjson") or is_json_lines(sample):
            parsed = read_json_lines(full_text, name=source.shown, limits=options.limits)
            return _finish(parsed, "jsonl", source, encoding=encoding, limits=options.limits)
        try:
            parsed = read_json(full_text, name=source.shown, has_header=options.has_header, limits=options.limits)
            return _finish(parsed, "json", source, encoding=encoding, limits=options.limits)
        except FileFormatError as error:
            if source.suffix not in _TEXT_TABLE_SUFFIXES or isinstance(error, LimitExceeded):
                raise  # a .csv or .txt that merely starts with a bracket is read as delimited text
    delimiter = options.delimiter or sniff_delimiter(sample)
    has_header = options.has_header
    if has_header is None:
        has_header = first_row_is_header(sample_records(sample, delimiter))
    buf = data if text is None else text.encode("utf-8")
    _check_width(sample, delimiter, source, options.limits)
    parsed = read_delimited(buf, delimiter, name=source.shown, has_header=has_header)
    fmt = WHITESPACE if delimiter == WHITESPACE else DELIMITERS.get(delimiter, "csv")
    return _finish(parsed, fmt, source, encoding=encoding, delimiter=delimiter, limits=options.limits)


def _read_parquet(data: bytes, source: _Source) -> Parsed:
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as error:  # pyarrow reports damage with several exception types
        raise FileFormatError(
            f"'{source.shown}' is a Parquet file that cannot be read ({str(error)[:120]}); it is probably "
            "damaged or incomplete. Export or copy it again and upload the new file."
        ) from None
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()  # an index written by pandas is data (often the customer id)
    return Parsed(_nested_as_json(frame), named=True)


def _nested_as_json(frame: pd.DataFrame) -> pd.DataFrame:
    """Map, struct and list columns (pandas: dicts, lists, arrays, lists of key-value tuples) as JSON text:
    one attribute a person can read, and a type every later step (DuckDB, Arrow, the tables) accepts."""
    import json

    import numpy as np

    def plain(value):
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if isinstance(value, list) and value and all(isinstance(v, tuple) and len(v) == 2 for v in value):
            return {str(k): plain(v) for k, v in value}  # a Parquet map
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    for column in frame.columns:
        series = frame[column]
        if series.dtype != object:
            continue
        sample = series.dropna().head(100)
        if len(sample) and sample.map(lambda v: isinstance(v, (dict, list, tuple, np.ndarray))).any():
            frame[column] = series.map(lambda v: json.dumps(plain(v), ensure_ascii=False, default=str)
                                       if isinstance(v, (dict, list, tuple, np.ndarray)) else v).astype("string")
    return frame


def _finish(parsed: Parsed, fmt: str, source: _Source, *, encoding=None, delimiter=None, sheet=None,
            sheets=(), limits: Limits | None = None) -> RawTable:
    _refuse_too_wide(parsed.frame.shape[1], source, limits or current_limits())
    above = _lines_of_bare_delimiters(parsed)
    names, renamed = column_names(parsed, name=source.shown)
    frame = parsed.frame
    frame.columns = names
    if delimiter:  # a set-aside row is quoted as its file writes it (dataset._raw_text)
        frame.attrs.update(delimiter=delimiter)
    if above:
        frame.attrs.update(first_line=2 + above)
    notes = (*parsed.notes, *(() if renamed is None else (renamed,)))
    extra = extra_header_rows(frame) if parsed.header is not None else 0
    if extra:  # a survey tool's further header lines (cjm.data.io.surveys): not responses
        monkey = surveymonkey_subheader(frame.iloc[0])
        zones = {} if monkey else timezones(frame.iloc[extra - 1])
        frame = frame.iloc[extra:].reset_index(drop=True)
        if fmt not in DELIMITERS.values() and fmt != WHITESPACE:
            frame = frame.infer_objects()  # Excel: a column of numbers below two lines of text
        frame.attrs.update(first_line=2 + above + extra, timezones=zones)
        notes = (*notes, header_note(extra, zones, surveymonkey=monkey))
    if parsed.lines is not None:  # rows not one a line (blank lines, cells of several lines): each row's own
        frame.attrs.update(lines=LineNumbers(parsed.lines[extra:]))
    check_has_rows(frame, names, parsed.rejected, name=source.shown)
    return RawTable(
        frame=frame,
        format=fmt,
        encoding=encoding,
        compression=source.compression,
        delimiter=delimiter,
        has_header=parsed.named or parsed.header is not None,
        sheet=sheet,
        sheets=tuple(sheets),
        rows_in=len(frame) + len(parsed.rejected),
        rejected=parsed.rejected,
        name=source.name,
        member=source.member,
        other_encoding_lines=source.other_lines,
        notes=notes,
    )


def _lines_of_bare_delimiters(parsed: Parsed) -> int:
    """How many lines of nothing but delimiters (",,,,") stand above the column names, taken off `parsed`: its
    header becomes the first line with a filled cell. eBay's orders report starts with such a line (then its
    header, then another one); read as the header, every column was column_N and the file was refused for want of
    a customer id. Those lines are no rows, as a blank line is none. 0 when the header has a filled cell."""
    header, frame = parsed.header, parsed.frame
    if header is None or len(header) < 2 or not all(_blank(cell) for cell in header):
        return 0
    filled = frame.notna() & frame.astype("string").apply(lambda c: c.str.strip().ne("")).fillna(False)
    rows = filled.any(axis=1).to_numpy().nonzero()[0]
    if not len(rows):
        return 0
    first = int(rows[0])
    parsed.header = frame.iloc[first].tolist()
    parsed.frame = frame.iloc[first + 1:].reset_index(drop=True)
    if parsed.lines is not None:
        parsed.lines = parsed.lines[first + 1:]
    return first + 1


def _blank(cell) -> bool:
    return cell is None or cell is pd.NA or (isinstance(cell, float) and cell != cell) or not str(cell).strip()


def _check_width(sample: str, delimiter: str, source: _Source, limits: Limits) -> None:
    """Refuse a file wider than the column limit from its first line, before parsing it."""
    first_line = sample.split("\n", 1)[0]
    if delimiter != WHITESPACE and first_line.count(delimiter) + 1 > limits.max_columns:
        _refuse_too_wide(first_line.count(delimiter) + 1, source, limits)


def _refuse_too_wide(width: int, source: _Source, limits: Limits) -> None:
    if width > limits.max_columns:
        raise LimitExceeded(
            f"'{source.shown}' has {width:,} columns, more than the {limits.max_columns:,} cjm reads (the "
            "column limit). Export only the columns you need (an id, a timestamp, an event and the "
            "attributes to analyse), or raise the limit with the CJM_MAX_COLUMNS setting."
        )


def _normalise_delimiter(delimiter: str | None) -> str | None:
    if delimiter is None:
        return None
    if delimiter in _WHITESPACE_NAMES:
        return WHITESPACE
    if delimiter in ("tab", "\\t"):
        return "\t"
    if len(delimiter) != 1 or delimiter in "\r\n\"":
        raise ParameterError(
            f"The delimiter {delimiter!r} cannot be used: give one character such as ',', ';', '|' or "
            "a tab, or 'whitespace' for columns separated by runs of spaces."
        )
    return delimiter


def _check_size(size: int, max_bytes: int, *, name: str) -> None:
    if size > max_bytes:
        raise FileFormatError(
            f"'{name}' is {human_size(size)}, larger than the upload limit of {human_size(max_bytes)} "
            f"({max_bytes // (1 << 20)} MB). Split it into smaller files (for example one per month), or "
            "compress it as .gz or .zip, or raise the limit: set CJM_MAX_UPLOAD_MB and maxUploadSize (in "
            "MB) under [server] in .streamlit/config.toml (the server.maxUploadSize option), then restart "
            "the app."
        )


def _refuse_double_packing(source: _Source) -> None:
    if source.compression:
        raise FileFormatError(
            f"'{source.name}' is packed twice (an archive inside an archive); unpack it once and upload "
            "the inner file."
        )


def _empty(source: _Source):
    raise no_text(source.shown)


def no_text(shown: str, *, again: str = "upload it again") -> FileFormatError:
    """The error for a file without text (`again`: how the user reads it next)."""
    return FileFormatError(
        f"'{shown}' is empty: it has no text at all. Check that you exported the right file and "
        f"that the export finished, then {again}."
    )


def _binary(source: _Source):
    raise FileFormatError(
        f"'{source.shown}' is not a text table: it contains binary data (NUL bytes or control "
        "characters), so it is probably an image, a program or a damaged file with a table's name. "
        "Upload the CSV, TSV, Excel (.xlsx), Parquet or JSON file itself."
    )
