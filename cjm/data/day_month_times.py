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


def _parts(raw, text, pattern: str):
    """`raw` with the numbers each value of `text` writes, where a layout of `pattern` reads it (each step a
    projection of its own, so the engine's SQL names a part rather than repeating how it is found)."""
    table = raw.mutate(_dm_text=text)
    table = table.mutate(_dm_read=table._dm_text.re_search(pattern).fill_null(False))
    # one rewrite of each value read into its parts, split on commas: a regular expression per part ran 7 times
    written = ibis.ifelse(table._dm_read, table._dm_text.re_replace(_PARTS, r"\1,\2,\3,\4,\5,\6,\7"),
                          ibis.null("string"))
    table = table.mutate(_dm_parts=written.split(","))
    fields = [table._dm_parts[i].nullif("") for i in range(7)]
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
