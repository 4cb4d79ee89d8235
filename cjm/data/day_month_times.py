"""Dates written day and month first (26-02-2018 19:58, 03/15/2024 2:30 PM, 31.12.2024), read in the engine as an
upload reads them (cjm.data.timestamps): a column of text read in place (a CSV column DuckDB's sniffer left as text,
a PostgreSQL text column).

The upload's rule, not a second copy of it: the layouts (separator, two- or four-digit year, time of day) come from
cjm.data.timestamps' detection on an evenly spread sample of 1000 filled cells, as an upload takes it; the order tried
first from its `first_order`; the order kept from its `settled_order`, told by the whole column (a day above 12 read
in either order), counted in one query. Each value is then read in that order by the layouts it fits, as Arrow's
strptime reads it for the upload: one or two digits for a day, a month, an hour or a minute; a four-digit year from
1000 on, or a two-digit one (69..99 the 1900s, 00..68 the 2000s); a space in the layout matching any spaces; a
12-hour clock with AM or PM in any case; seconds up to 61 carried over to the next minute. A date that does not exist
(31-04-2024, 29-02-2023), or a value no layout fits ('soon'), reads as no time: its row is rejected as an unparseable
timestamp.

Plain regular expressions, integer arithmetic and intervals: no cast that can fail a query, so PostgreSQL (whose
CAST has no 'try') runs it too. The time is a wall time (naive), read in the mapping's time zone like any time
written without one.
"""

from __future__ import annotations

import functools
import re

import ibis
import numpy as np

from cjm.data import timestamps as ts

SAMPLE = ts.SAMPLE_SIZE

# the value's numbers in order: two date fields, the year, then hour, minute, second and AM/PM (a layout's pattern
# first says which values are read at all)
_PARTS = (r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{1,4})\s*T?\s*(?:(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?\s*([AaPp][Mm])?$")
_DIRECTIVES = {"%d": r"\d{1,2}", "%m": r"\d{1,2}", "%Y": r"\d{4}", "%y": r"\d{1,2}", "%H": r"\d{1,2}",
               "%I": r"\d{1,2}", "%M": r"\d{1,2}", "%S": r"\d{1,2}", "%p": "[AaPp][Mm]"}


def layout_pattern(layout: tuple[str, str, str]) -> str:
    """A regular expression for the values one of cjm.data.timestamps' layouts reads (as Arrow's strptime: a space
    matches any spaces; a four-digit year from 1000 on is checked with the numbers)."""
    written = ts._layout_format(layout, True)
    pieces = []
    for token in re.split(r"(%[a-zA-Z])", written):
        if token in _DIRECTIVES:
            pieces.append(_DIRECTIVES[token])
        else:
            pieces.append("".join(r"\s*" if c == " " else re.escape(c) for c in token))
    return "".join(pieces)


def layouts_pattern(layouts) -> str:
    """One regular expression for the values any of `layouts` reads."""
    return "^(?:" + "|".join(layout_pattern(layout) for layout in layouts) + ")$"


def days_in_month(year, month):
    """The days of `month` in `year` (Gregorian), as integers in the engine."""
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return ibis.cases((month == 2, ibis.ifelse(leap, 29, 28)), (month.isin([4, 6, 9, 11]), 30), else_=31)


def _split_parts(raw, text, pattern: str, parts: str, n: int, prefix: str):
    """(`raw` with {prefix}_text, {prefix}_read: whether `pattern` reads the value, and {prefix}_parts; the first `n`
    groups of `parts` of each value read, null where empty). One rewrite of each value into its parts, split on
    commas: a regular expression per part ran once per part."""
    table = raw.mutate(**{f"{prefix}_text": text})
    table = table.mutate(**{f"{prefix}_read": table[f"{prefix}_text"].re_search(pattern).fill_null(False)})
    groups = ",".join(f"\\{i}" for i in range(1, n + 1))
    written = ibis.ifelse(table[f"{prefix}_read"], table[f"{prefix}_text"].re_replace(parts, groups),
                          ibis.null("string"))
    table = table.mutate(**{f"{prefix}_parts": written.split(",")})
    return table, [table[f"{prefix}_parts"][i].nullif("") for i in range(n)]


def _parts(raw, text, pattern: str):
    """`raw` with the numbers each value of `text` writes, where a layout of `pattern` reads it (each step a
    projection of its own, so the engine's SQL names a part rather than repeating how it is found)."""
    table, fields = _split_parts(raw, text, pattern, _PARTS, 7, "_dm")
    table = table.mutate(_dm_1=fields[0].cast("int64"), _dm_2=fields[1].cast("int64"), _dm_3=fields[2].cast("int64"),
                         _dm_h=fields[3].cast("int64"), _dm_mi=fields[4].cast("int64"), _dm_s=fields[5].cast("int64"),
                         _dm_four=fields[2].length() == 4, _dm_pm=fields[6].upper())
    return table.drop("_dm_parts")


def _time(table, day_first: bool):
    """The wall time (a naive timestamp) the parts of `table` (_parts) write read `day_first` or month first; null
    where they write none."""
    day, month = (table._dm_1, table._dm_2) if day_first else (table._dm_2, table._dm_1)
    written = table._dm_3
    year = ibis.ifelse(table._dm_four, written, ibis.ifelse(written < 69, 2000, 1900) + written)
    hour, minute, second = table._dm_h.fill_null(0), table._dm_mi.fill_null(0), table._dm_s.fill_null(0)
    twelve = table._dm_pm.notnull()
    clock = ibis.ifelse(twelve, hour % 12 + ibis.ifelse(table._dm_pm == "PM", 12, 0), hour)
    ok = (table._dm_read & (year >= 1000) & month.between(1, 12) & (day >= 1) & (day <= days_in_month(year, month))
          & ibis.ifelse(twelve, hour.between(1, 12), hour.between(0, 23)) & minute.between(0, 59)
          & second.between(0, 61)).fill_null(False)
    checked = table.mutate(_dm_ok=ok, _dm_y=year, _dm_mo=month, _dm_d=day,
                           _dm_sec=clock * 3600 + minute * 60 + second)
    # a date that always exists where the value writes none, so no engine is asked for 30 February
    date = ibis.date(ibis.ifelse(checked._dm_ok, checked._dm_y, 2000), ibis.ifelse(checked._dm_ok, checked._dm_mo, 1),
                     1) + (ibis.ifelse(checked._dm_ok, checked._dm_d, 1) - 1).as_interval("D")
    stamp = date.cast("timestamp") + ibis.ifelse(checked._dm_ok, checked._dm_sec, 0).as_interval("s")
    return checked, ibis.ifelse(checked._dm_ok, stamp, ibis.null("timestamp"))


def with_time(raw, text, day_first: bool, pattern: str, name: str):
    """`raw` with `name`: the wall time (a naive timestamp) each value of `text` (trimmed, blanks null) writes, read
    `day_first` or month first by the layouts of `pattern` (layouts_pattern); null where it writes none."""
    checked, stamp = _time(_parts(raw, text, pattern), day_first)
    return checked.mutate(**{name: stamp}).select(*raw.columns, name)


def sample(backend, raw, text, order=None) -> list[str]:
    """Up to SAMPLE filled values of `text` spread evenly over the column, as an upload takes its sample
    (cjm.data.timestamps._sample_positions), in the order of `order` (the file's lines) when given."""
    filled = raw.filter(text.notnull())
    n = int(backend.execute(filled.aggregate(n=filled.count()))["n"].iloc[0] or 0)
    if not n:
        return []
    picked = filled.select(v=text, **({"_o": order} if order is not None else {}))
    if n <= SAMPLE:
        return [str(v) for v in backend.execute(picked.order_by("_o") if order is not None else picked)["v"]]
    positions = ts._sample_positions(np.ones(n, dtype=bool)).tolist()
    window = ibis.window(order_by=picked._o) if order is not None else ibis.window()
    numbered = picked.mutate(_k=ibis.row_number().over(window))
    rows = backend.execute(numbered.filter(numbered._k.isin(positions)).order_by("_k").select("v"))
    return [str(v) for v in rows["v"]]


def reading(backend, raw, text, *, day_first: bool | None, name: str, order=None):
    """(`raw` with `name`, the wall time of each row (with_time), the order read (True: day-first), whether the data
    left the order open) when the upload reads `text` (an expression over `raw`, trimmed, blanks null) as dates of day
    and month; else None."""
    cells = sample(backend, raw, text, order)
    detected = ts._detect_text_style(cells)
    if detected.style != ts._DAY_MONTH:
        return None
    pattern = layouts_pattern(ts._rank_layouts(detected))
    first = ts.first_order(detected, day_first=day_first)
    parts = _parts(raw, text, pattern)
    checked, read_first = _time(parts, first)
    both = checked.mutate(_dm_first=read_first)
    both, read_other = _time(both.select(*parts.columns, "_dm_first"), not first)
    counts = backend.execute(both.aggregate(
        first=(both._dm_first.day() > 12).fill_null(False).cast("int64").sum(),
        other=(both._dm_first.isnull() & (read_other.day() > 12).fill_null(False)).cast("int64").sum())).iloc[0]
    chosen, ambiguous = ts.settled_order(first, int(counts["first"] or 0) > 0, int(counts["other"] or 0) > 0,
                                         day_first=day_first)
    return with_time(raw, text, chosen, pattern, name), chosen, ambiguous


# --- dates of day and month an upload reads as written dates (cjm.data.timestamps._from_written: dateparser) ---------
# '03/15/2024 2:30 PM -05:00': the offset after the time keeps cjm.data.timestamps' detection from reading the column
# as dates of day and month, so an upload reads each value with dateparser (a value at a time, in the column's order:
# cjm.data.timestamps.written_reading, the rule of dates without an offset; the other order where that one names no
# date). Its rule, read in
# the engine: groups 1-3 the two date fields and the year (two digits: 69..99 the 1900s, 00..68 the 2000s), 4-7 the
# hour, minute, second and its fraction (to the microsecond), 8 AM/PM's letter, 9 the zone: 'Z', 'UTC', 'GMT' or an
# offset ('-05:00', '-0500', '-05', 'GMT-05:00'), none for a wall time. Nine groups: RE2 and PostgreSQL write \1-\9.
WRITTEN = (r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:(?:\s+|\s*[T,]\s*)(\d{1,2}):(\d{2})"
           r"(?::(\d{2})(?:(\.\d{1,6})\d*)?)?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
           r"\s*([Zz]|[Uu][Tt][Cc]|[Gg][Mm][Tt]|(?:[Uu][Tt][Cc]|[Gg][Mm][Tt])?[+-]\d{2}(?::?\d{2})?)?$")
_WRITTEN_RE = re.compile(WRITTEN)
_PROBE = 40  # the upload's probe: the first distinct values of its sample (cjm.data.timestamps._from_written)


@functools.lru_cache(maxsize=1)
def written_offsets() -> frozenset[str]:
    """The offsets ('+05:30', '-05:00') dateparser reads after a time: those of its table of zones, not any ('-05:30'
    names no date on upload), asked of dateparser itself once."""
    found = set()
    for minutes in range(-14 * 60, 14 * 60 + 1, 15):
        text = f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        if ts._parse_written(f"01/01/2024 12:00 {text}", True) is not None:
            found.add(text)
    return frozenset(found)


def reads_written(cells: list[str]) -> bool:
    """Whether an upload reads the column whose sample is `cells` (cjm.data.timestamps' sample, in its order) as
    written dates of day and month this module reads: no other text style is detected, and at least half the first
    distinct values are of WRITTEN's form (as dateparser must read half of them)."""
    if ts._detect_text_style(cells).style is not None:
        return False
    probe = [v for v in dict.fromkeys(cells) if v][:_PROBE]
    return bool(probe) and sum(_WRITTEN_RE.match(v.strip()) is not None for v in probe) >= 0.5 * len(probe)


def written_as_iso(raw, text, *, day_first: bool | None, name: str, fence: str | None = None):
    """`raw` with `name`: each value of `text` of WRITTEN's form as the ISO text a cast reads ('2024-03-15 14:30:00
    -05:00', its offset kept: the time's own clock; without one a wall time, read in the mapping's zone), read as an
    upload's dateparser reads it; null where it names no date (30 February, 24:00, an offset dateparser does not
    read, a year outside 1900-2100: unparseable, as on upload); other values as written. `fence`: the name of a
    column of row numbers added at each step (PostgreSQL: a window function keeps it from folding a step's columns
    back into every expression that reads them, as cjm.data.source._with_wall says)."""
    def fenced() -> dict:
        return {fence: ibis.row_number().over()} if fence else {}

    table, fields = _split_parts(raw, text, WRITTEN, WRITTEN, 9, "_wd")
    table = table.mutate(_wd_1=fields[0].cast("int64"), _wd_2=fields[1].cast("int64"), _wd_y=fields[2].cast("int64"),
                         _wd_four=fields[2].length() == 4, _wd_h=fields[3].cast("int64"),
                         _wd_mi=fields[4].cast("int64"), _wd_s=fields[5].cast("int64"), _wd_f=fields[6],
                         _wd_pm=fields[7].upper(), _wd_zone=fields[8].upper(), **fenced()).drop("_wd_parts")
    table = table.mutate(_wd_year=ibis.ifelse(table._wd_four, table._wd_y,
                                              ibis.ifelse(table._wd_y < 69, 2000, 1900) + table._wd_y), **fenced())
    year = table._wd_year

    def exists(day, month):
        return (month.between(1, 12) & (day >= 1) & (day <= days_in_month(year, month))).fill_null(False)

    preferred = (table._wd_1, table._wd_2) if day_first is not False else (table._wd_2, table._wd_1)
    swap = ~exists(*preferred)
    hour = table._wd_h.fill_null(0)
    # dateparser's clock: PM adds 12 to an hour before noon, 12 AM is midnight, any other hour stays (13:30 PM: 13:30)
    clock = ibis.cases(((table._wd_pm == "P") & (hour < 12), hour + 12), ((table._wd_pm == "A") & (hour == 12), 0),
                       else_=hour)
    zone = table._wd_zone
    offset = ibis.ifelse(zone.isin(["Z", "UTC", "GMT"]), "+00:00",
                         zone.re_extract(r"([+-]\d{2})", 1).concat(
                             ":", zone.re_extract(r"[+-]\d{2}:?(\d{2})$", 1).nullif("").fill_null("00")))
    table = table.mutate(_wd_day=ibis.ifelse(swap, preferred[1], preferred[0]),
                         _wd_month=ibis.ifelse(swap, preferred[0], preferred[1]), _wd_clock=clock, _wd_offset=offset,
                         **fenced())
    year, day, month, clock = table._wd_year, table._wd_day, table._wd_month, table._wd_clock
    offset, zone = table._wd_offset, table._wd_zone
    minute, second = table._wd_mi.fill_null(0), table._wd_s.fill_null(0)
    ok = (exists(day, month) & year.between(1900, 2100) & clock.between(0, 23) & minute.between(0, 59)
          & second.between(0, 59) & (zone.isnull() | offset.isin(sorted(written_offsets())))).fill_null(False)

    def two(number):
        return number.cast("string").lpad(2, "0")

    iso = year.cast("string").concat("-", two(month), "-", two(day), " ", two(clock), ":", two(minute), ":",
                                     two(second), table._wd_f.fill_null(""), ibis.ifelse(zone.isnull(), "", offset))
    value = ibis.ifelse(table._wd_read, ibis.ifelse(ok, iso, ibis.null("string")), table._wd_text)
    table = table.mutate(**{name: value})
    return table.select(*[c for c in raw.columns if c != fence], name, **fenced())
