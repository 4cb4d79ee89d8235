"""Which text encoding a file uses, and decoding it with a plain-language error when it does not fit.

Order of evidence: a byte-order mark; the NUL pattern of UTF-16 without a mark; strict UTF-8 (checked
over the whole file, quickly, by pyarrow); otherwise one of the Windows code pages that spreadsheet
exports use (1252 Western, 1251 Cyrillic, 1256 Arabic/Persian). Those three are told apart by a
script check: decoded with the right one, the non-ASCII letters form words of one alphabet (see
`script_score`). charset-normalizer, restricted to the three, settles close calls; alone it is
unreliable on short samples (it reads the Arabic "شراء" as Cyrillic "ФСЗБ" and "José" as "Josй").
With no letters to go by (only symbols such as € or curly quotes), cp1252 is assumed.
"""

from __future__ import annotations

import codecs
import re

import numpy as np
import pyarrow as pa

from cjm.errors import FileFormatError, ParameterError

WINDOWS_CODE_PAGES = ("cp1252", "cp1251", "cp1256")

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE mark
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes a code page leaves undefined: a file containing one cannot be in that code page.
_UNDEFINED = {"cp1252": b"\x81\x8d\x8f\x90\x9d", "cp1251": b"\x98", "cp1256": b""}
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_SAMPLE_BYTES = 64 * 1024


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def sniff_encoding(data: bytes) -> str:
    """The encoding of `data`: "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", ..."""
    wide = wide_encoding(data)
    if wide:
        return wide
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if is_utf8(data):
        return "utf-8"
    return _windows_code_page(data)


def wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (by byte-order mark, or UTF-16 by its NUL pattern): text that has NUL bytes."""
    by_bom = bom_encoding(data)
    if by_bom and by_bom != "utf-8-sig":
        return by_bom
    return _utf16_without_bom(data[:_SAMPLE_BYTES])


def is_utf8(data: bytes) -> bool:
    """Strict UTF-8 check of the whole buffer without decoding it into a Python string."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    array = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        array.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text has NULs in the high byte of every ASCII character (digits, commas, newlines), so
    only at odd (little-endian) or only at even (big-endian) positions; binary files have them anywhere."""
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    for nuls, other, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls.count(0) >= 0.1 * len(nuls) and other.count(0) == 0:
            try:
                sample.decode(name)
            except UnicodeDecodeError:
                continue
            return name
    return None


def _windows_code_page(data: bytes) -> str:
    return _code_page(_lines_with_high_bytes(data), lambda byte: byte in data)


def _code_page(sample: bytes, present) -> str:
    """The Windows code page of text whose lines with non-ASCII bytes include `sample`; `present(byte)` says whether
    the whole text has that byte (one a code page leaves undefined rules that code page out)."""
    possible = [c for c in WINDOWS_CODE_PAGES if not any(present(bytes([b])) for b in _UNDEFINED[c])]
    if not possible:  # every code page has an undefined byte: report it through the decode error
        return "cp1252"
    scores = {c: script_score(sample.decode(c, errors="replace"))[c] for c in possible}
    top = max(scores.values())
    if top == 0:
        return possible[0]
    close = [c for c in possible if scores[c] >= top - 0.2]
    if len(close) == 1:
        return close[0]
    return next(c for c in _charset_normalizer_ranking(sample, possible) if c in close)


def _lines_with_high_bytes(data: bytes) -> bytes:
    """Up to 64 KB of the lines that contain non-ASCII bytes: the evidence, wherever it sits in the file."""
    parts, size, pos = [], 0, 0
    while size < _SAMPLE_BYTES:
        hit = _HIGH_BYTE.search(data, pos)
        if hit is None:
            break
        start = data.rfind(b"\n", 0, hit.start()) + 1
        end = data.find(b"\n", hit.end())
        end = len(data) if end == -1 else end
        parts.append(data[start:end])
        size += end - start
        pos = end + 1
    return b"\n".join(parts)


def _charset_normalizer_ranking(sample: bytes, possible: list[str]) -> list[str]:
    from charset_normalizer import from_bytes

    found = [m.encoding for m in from_bytes(sample, cp_isolation=possible)]
    return [c for c in found if c in possible] + [c for c in possible if c not in found]


def script_score(text: str) -> dict[str, float]:
    """How well the non-ASCII letters of `text` read as words of each code page's alphabet (0..1).

    Counted over the letters of words of 2+ letters that contain a non-ASCII letter:
    cp1251: lowercase Cyrillic in words without Latin letters (capitals count half: Arabic bytes read
    as cp1251 come out as all-capital Cyrillic); cp1256: Arabic-script letters in words without Latin
    letters; cp1252: accented Latin letters in words that also have plain ASCII letters ("José"),
    half when the word has none (Russian bytes read as cp1252 give words like "ïîêóïêà").
    """
    good = {c: 0.0 for c in WINDOWS_CODE_PAGES}
    total = 0
    for word in _LETTER_RUN.findall(text):
        if word.isascii() or len(word) < 2:
            continue
        high = [ch for ch in word if not ch.isascii()]
        total += len(high)
        has_ascii = len(high) < len(word)
        scripts = {_script(ch) for ch in high}
        if scripts == {"cyrillic"} and not has_ascii:
            good["cp1251"] += sum(1.0 if ch.islower() else 0.5 for ch in high)
        elif scripts == {"arabic"} and not has_ascii:
            good["cp1256"] += len(high)
        elif scripts == {"latin"}:
            good["cp1252"] += len(high) * (1.0 if has_ascii else 0.5)
    return {c: (good[c] / total if total else 0.0) for c in WINDOWS_CODE_PAGES}


def _script(ch: str) -> str:
    code = ord(ch)
    if 0x0400 <= code <= 0x052F:
        return "cyrillic"
    if 0x0600 <= code <= 0x06FF or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if 0x00C0 <= code <= 0x024F:
        return "latin"
    return "other"


_CHUNK = 1 << 24
# a run of non-ASCII bytes that is all UTF-8 letters (a cp1251 "Сёмга" has the pair D1 B8 inside a longer run)
_UTF8_SEQUENCE = re.compile(rb"(?<![\x80-\xff])(?:[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                            rb"|[\xf0-\xf4][\x80-\xbf]{3})+(?![\x80-\xff])")


def file_encoding(path) -> tuple[str, bool]:
    """(the encoding `sniff_encoding` gives the bytes of the file at `path`, whether the file also has UTF-8 letters),
    read in chunks of 16 MB rather than whole (a file read in place may be larger than memory). The second is True
    only for a file that is not UTF-8 yet has a UTF-8 sequence in it: two encodings mixed, which only an upload reads
    (it decodes each line in its own: `mixed_utf8`)."""
    undefined = {bytes([b]) for page in _UNDEFINED.values() for b in page}
    seen, parts, size, utf8, utf8_letters = set(), [], 0, True, False
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as file:
        head = file.read(_SAMPLE_BYTES)
        wide = wide_encoding(head)
        if wide:
            return wide, False
        carry, chunk = b"", head
        while chunk:
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            seen |= {b for b in undefined if b in chunk}
            utf8_letters = utf8_letters or _UTF8_SEQUENCE.search(chunk) is not None
            whole, _, carry = (carry + chunk).rpartition(b"\n")  # lines split between chunks are kept whole
            if size < _SAMPLE_BYTES:
                lines = _lines_with_high_bytes(whole)
                parts.append(lines)
                size += len(lines)
            chunk = file.read(_CHUNK)
        if size < _SAMPLE_BYTES:
            parts.append(_lines_with_high_bytes(carry))
    if utf8:
        try:
            decoder.decode(b"", final=True)
            return ("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"), False
        except UnicodeDecodeError:
            pass
    sample = b"\n".join(p for p in parts if p)[:_SAMPLE_BYTES]
    return _code_page(sample, lambda byte: byte in seen), utf8_letters


def encoding_name(encoding: str) -> str:
    """The standard name of an encoding ("UTF8" -> "utf-8", "windows-1251" -> "cp1251")."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ParameterError(
            f"The encoding {encoding!r} is not one Python knows. Use a name such as 'utf-8', "
            "'utf-16', 'cp1252' (Western European), 'cp1251' (Cyrillic) or 'cp1256' (Arabic, Persian)."
        ) from None


def decode(data: bytes, encoding: str, *, name: str) -> str:
    """`data` as text; a FileFormatError naming the first byte that does not fit `encoding`."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bad = data[error.start : error.start + 1].hex()
        raise FileFormatError(
            f"'{name}' cannot be read as {encoding} text: byte 0x{bad} on line {line} does not exist in "
            f"that encoding. Choose another encoding (Excel exports are often cp1252 for Western "
            f"European, cp1251 for Cyrillic, cp1256 for Arabic or Persian), or save the file as "
            f"UTF-8 and upload it again."
        ) from None


def mixed_utf8(data: bytes, *, max_share: float = 0.2) -> tuple[str, str, list[int]] | None:
    """A UTF-8 file with some lines in a Windows code page (two exports pasted together): (text with every
    line in its own encoding, that code page, 1-based numbers of the lines that were not UTF-8).
    None unless the file has non-ASCII UTF-8 lines and at most `max_share` of lines are not UTF-8."""
    if not re.search(rb"[\xc2-\xf4][\x80-\xbf]", data[: 1 << 20]):
        return None  # no UTF-8 sequence near the top: a plain code-page file (the common case, decided fast)
    lines = data.split(b"\n")
    bad, limit = [], max_share * len(lines)
    for i, line in enumerate(lines):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(i)
            if len(bad) > limit:
                return None
    if not bad:
        return None
    bad_set = set(bad)
    if not any(b > 0x7F for i, line in enumerate(lines) if i not in bad_set for b in line[:4096]):
        return None  # no UTF-8 beyond ASCII: a plain code-page file
    other = _windows_code_page(b"\n".join(lines[i] for i in bad))
    text = "\n".join(line.decode(other, errors="replace") if i in bad_set else line.decode("utf-8")
                     for i, line in enumerate(lines))
    return text, other, [i + 1 for i in bad]
