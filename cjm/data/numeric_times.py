"""Times written as numbers, read in the engine as an upload reads them (cjm.data.timestamps): epoch seconds,
milliseconds or microseconds (GA4's BigQuery export: event_timestamp 1709283600000000), Excel serial days
(45292.5) and YYYYMMDD (20240301), in a column of numbers or of text written as numbers (a column with 'NA' cells,
which DuckDB's sniffer reads as VARCHAR).

The style is the one most of the column's numbers fit (the upload's rule, counted over every row rather than the
upload's evenly spread sample of 1000: the first 1000 rows of a file are no sample of it); a value outside that
style's range, or a YYYYMMDD that is no date (20240230), reads as no time, so its row is rejected as an unparseable
timestamp. Epoch numbers are UTC instants (timestamp('UTC')); Excel serials and YYYYMMDD are wall times (a naive
timestamp, read in the mapping's time zone like written dates). Rounding is to the nearest even microsecond or
millisecond on a tie, as numpy's rint in an upload (SQL's round goes away from zero). Interval arithmetic, so
PostgreSQL and Spark run it too.
"""

from __future__ import annotations

import ibis

from cjm.data import timestamps as ts
from cjm.engine.portable import trimmed

SAMPLE = 1000
_SCALE_US = {ts.EPOCH_SECONDS: 1_000_000, ts.EPOCH_MILLISECONDS: 1_000, ts.EPOCH_MICROSECONDS: 1}
_LONGEST = 30  # characters of a number written as text: longer ones are out of every style's range


def numbers_of(value):
    """The numbers `value` writes (float64): its numbers, or for text the cells written as plain numbers (the upload's
    cjm.data.timestamps._NUMBER_RE: '1709283600', '45292.5'), null elsewhere ('NA', '2024-03-01', '1e25')."""
    if not value.type().is_string():
        return value.cast("float64")
    text = trimmed(value)
    plain = (text.length() <= _LONGEST) & text.re_search(ts._NUMBER_RE.pattern)
    return ibis.ifelse(plain, text, ibis.null("string")).cast("float64")


def written_as_numbers(backend, value) -> bool:
    """Whether the upload reads the text column `value` as numbers: the style cjm.data.timestamps detects on its
    first SAMPLE filled cells is a numeric one, or they are all plain numbers."""
    text = trimmed(value).nullif("")
    cells = backend.execute(text.name("v").as_table().filter(ibis._.v.notnull()).limit(SAMPLE))["v"]
    cells = [str(v) for v in cells]
    style = ts._detect_text_style(cells).style
    # numbers that fit no style (12, 30): numbers all the same, which style_of finds no time in
    return style in ts._NUMERIC_STYLES or (style is None and bool(cells) and all(ts._NUMBER_RE.match(c) for c in cells))


def style_of(backend, raw, value) -> str | None:
    """The numeric style most of the numbers of `value` (a column of `raw`) fit, counted over every row as
    cjm.data.timestamps._numeric_kind counts them (None: no style fits any of them)."""
    number = numbers_of(value)
    kinds = _kinds(number)
    counts = backend.execute(raw.aggregate(**{f"n{i}": kind.cast("int64").sum().fill_null(0)
                                              for i, kind in enumerate(kinds.values())})).iloc[0]
    found = {style: int(counts[f"n{i}"] or 0) for i, style in enumerate(kinds)}
    most = max(found.values())
    tied = [style for style, n in found.items() if n == most]
    if not most or len(tied) == 1:
        return tied[0] if most else None
    # as many of two styles: the upload's counts keep the order of the column, so the first number of either wins
    first = backend.execute(raw.select(v=number).filter(ibis.or_(*(kinds[s] for s in tied))).limit(1))["v"]
    return ts._numeric_kind(float(first.iloc[0]))


def _kinds(number) -> dict:
    """Style -> whether each number is of that kind (cjm.data.timestamps._numeric_kind: YYYYMMDD first, then the
    ranges in the upload's order)."""
    low, high = ts._NUMERIC_RANGES[ts.YYYYMMDD]
    in_range = (number >= low) & (number <= high)  # NaN and infinities fall out of every range
    whole = ibis.ifelse(in_range, number, 0.0).floor()
    yyyymmdd = (in_range & (number == whole.cast("float64")) & (whole // 100 % 100).between(1, 12)
                & (whole % 100).between(1, 31))
    kinds = {ts.YYYYMMDD: yyyymmdd.fill_null(False)}
    for style in (ts.EXCEL, ts.EPOCH_SECONDS, ts.EPOCH_MILLISECONDS, ts.EPOCH_MICROSECONDS):
        low, high = ts._NUMERIC_RANGES[style]
        kinds[style] = (~kinds[ts.YYYYMMDD] & (number >= low) & (number < high)).fill_null(False)
    return kinds


def _rint(number):
    """`number` (0 or more) to the nearest whole number, a tie to the even one, as numpy's rint (int64)."""
    whole = number.floor()
    part = number - whole.cast("float64")  # exact: the fraction of a float64 is a float64
    return whole + ((part > 0.5) | ((part == 0.5) & (whole % 2 == 1))).cast("int64")


def as_time(value, style: str):
    """The time each number of `value` writes in `style`, null where it is out of range or no date."""
    low, high = ts._NUMERIC_RANGES[style]
    number = numbers_of(value)
    fits = (number >= low) & (number < high)
    number = ibis.ifelse(fits, number, 0.0)  # a cast of 1e25 to an integer fails the query: out of range reads as 0
    if style in _SCALE_US:
        micros = _rint(number * _SCALE_US[style])
        stamp = (ibis.timestamp("1970-01-01 00:00:00") + micros.as_interval("us")).cast("timestamp('UTC')")
        return ibis.ifelse(fits, stamp, ibis.null("timestamp('UTC')"))
    if style == ts.EXCEL:  # days since 1899-12-30, rounded to the millisecond (as an upload)
        millis = _rint(number * 86_400_000)
        return ibis.ifelse(fits, ibis.timestamp("1899-12-30 00:00:00") + millis.as_interval("ms"), ibis.null("timestamp"))
    whole = number.floor()
    year, month, day = whole // 10_000, whole // 100 % 100, whole % 100
    first = ibis.date(ibis.greatest(year, 1900), ibis.greatest(ibis.least(month, 12), 1), 1)
    date = first + (ibis.greatest(day, 1) - 1).as_interval("D")
    real = fits & (number == whole.cast("float64")) & month.between(1, 12) & day.between(1, 31) & (date.month() == month)
    return ibis.ifelse(real, date.cast("timestamp"), ibis.null("timestamp"))
