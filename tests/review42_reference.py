"""Review 42's reference: which clock the dashboard's days are on, and which events a date range keeps.

Written from README (sidebar date range, reading dates with offsets) and DESIGN ("dates in the dataset's time
zone") before reading cjm's implementation; plain Python / pandas with zoneinfo, one value at a time (the
reference may loop, cjm may not).

The rule, as read:
- every event's time is an instant and a clock: a time written with an offset ('+0200', '+02:00', 'Z') is on that
  offset; a time without one in a file read in a named zone (the mapping's zone) is on that zone (summer time
  included); a time without one and no zone named is read as UTC and names no clock;
- the days are a named zone's when every file is read in that one zone and it gives every time its clock (a time
  written with its own offset in such a file names two clocks unless the offset is the zone's at that instant: so
  cjm's existing rule, '9:00 AM +01:00' read in New York is on mixed clocks); one offset's when every event is written
  at that one offset; a zone's when every event is written at the offset that zone's rules give at its instant
  (any of the zones that agree); else UTC's (some event names no clock, or no zone agrees with all offsets);
- a date range [start, end] keeps the events whose date on that clock is start..end, both included (start's
  00:00 to the day after end's 00:00 on that clock).
"""
from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

_OFFSET = re.compile(r"(?<=:\d{2})\s*(Z|[+-]\d{2}(?::?\d{2})?)$")  # after the time: +02, +0200, +02:00, Z
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$")
_DM = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$")


def split_offset(text: str) -> tuple[str, int | None]:
    """('2024-03-10 01:30:00', -300) from '2024-03-10 01:30:00-0500'; offsets in minutes east of UTC."""
    text = text.strip()
    m = _OFFSET.search(text)
    if not m:
        return text, None
    raw = m.group(1)
    if raw == "Z":
        return text[: m.start()], 0
    digits = raw[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:] or 0)
    return text[: m.start()], (-minutes if raw[0] == "-" else minutes)


def day_first_of(texts: list[str]) -> bool | None:
    """README's order for dates such as 03/04/2024 written day or month first (None: none written so).

    Month-first when one of them can only be (03/15), day-first when one can only be (15/03); else month-first
    when slashed, day-first when dotted."""
    firsts, seconds, seps = [], [], set()
    for t in texts:
        m = _DM.match(split_offset(t)[0])
        if m:
            firsts.append(int(m.group(1)))
            seconds.append(int(m.group(3)))
            seps.add(m.group(2))
    if not firsts:
        return None
    if any(s > 12 for s in seconds):
        return False
    if any(f > 12 for f in firsts):
        return True
    return "." in seps and "/" not in seps


def wall_time(text: str, day_first: bool | None) -> dt.datetime:
    m = _ISO.match(text)
    if m:
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
        return dt.datetime(y, mo, d, h, mi, s)
    m = _DM.match(text)
    if m:
        a, _, b, y, h, mi, s = m.groups()
        day, month = (int(a), int(b)) if day_first else (int(b), int(a))
        return dt.datetime(int(y), month, day, int(h), int(mi), int(s or 0))
    raise ValueError(f"reference cannot read {text!r}")


@dataclass
class Event:
    customer: str
    text: str
    event: str
    instant: pd.Timestamp  # UTC
    offset: int | None  # minutes east of UTC on the event's own clock; None: no clock named
    zone: str | None = None  # the named zone the time was read in, if any


def read(files: list[tuple[list[tuple[str, str, str]], str | None]]) -> list[Event]:
    """Events of files given as (rows, zone the file is read in or None)."""
    out: list[Event] = []
    for rows, zone in files:
        order = day_first_of([t for _, t, _ in rows])
        for customer, text, event in rows:
            wall_text, offset = split_offset(text)
            wall = wall_time(wall_text, order)
            if offset is not None:
                instant = pd.Timestamp(wall - dt.timedelta(minutes=offset), tz="UTC")
                out.append(Event(customer, text, event, instant, offset, zone))  # the file's zone is named too
            elif zone is not None:
                # summer time's repeated hour read in summer time (fold=0), its skipped hour moved to the gap's end
                local = pd.Timestamp(wall).tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
                instant = pd.Timestamp(local).tz_convert("UTC")
                off = int(pd.Timestamp(local).utcoffset().total_seconds() // 60)
                out.append(Event(customer, text, event, instant, off, zone))
            else:
                out.append(Event(customer, text, event, pd.Timestamp(wall, tz="UTC"), None))
    return out


@lru_cache(maxsize=None)
def _zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC"))


def agreeing_zones(events: list[Event]) -> set[str]:
    """The zones whose rules give every event's written offset at its instant."""
    if not events or any(e.offset is None for e in events):
        return set()
    instants = pd.DatetimeIndex([e.instant for e in events])
    written = pd.Series([e.offset for e in events], dtype="int64")
    naive = instants.tz_localize(None)
    out = set()
    for z in _zones():
        try:
            local = instants.tz_convert(z).tz_localize(None)
        except Exception:  # pragma: no cover
            continue
        got = pd.Series(((local - naive) / pd.Timedelta(minutes=1)).astype("int64"))
        if (got.values == written.values).all():
            out.add(z)
    return out


def _fits(zone: str, events: list[Event]) -> bool:
    z = zoneinfo.ZoneInfo(zone)
    return all(e.instant.to_pydatetime().astimezone(z).utcoffset() == dt.timedelta(minutes=e.offset) for e in events)


@dataclass
class Clock:
    kind: str  # 'zone' (named or agreeing), 'offset', 'utc'
    zones: set[str] = field(default_factory=set)  # any of these is right when kind == 'zone' (or 'offset')
    offset: int | None = None  # minutes, when kind == 'offset'
    named: str | None = None  # the zone the data names (mapping / zone column)


def clock(events: list[Event]) -> Clock:
    if not events or any(e.offset is None for e in events):
        return Clock("utc")
    named = {e.zone for e in events}
    if len(named) == 1 and None not in named:
        # the zone every file is read in: its days when it gives every time the clock it is on (a time written with
        # an offset of its own names that offset too: the zone's at its instant, or two clocks, UTC's days)
        z = named.pop()
        if not _fits(z, events):
            return Clock("utc")
        return Clock("zone", {z} | agreeing_zones(events), named=z)
    offsets = {e.offset for e in events}
    zones = agreeing_zones(events)
    if offsets == {0}:
        return Clock("utc", zones, 0)
    if len(offsets) == 1:
        return Clock("offset", zones, offsets.pop())
    if zones:
        return Clock("zone", zones)
    return Clock("utc")


def local_dates(events: list[Event], c: Clock) -> list[dt.date]:
    """Each event's date on the days' clock: when a zone agrees, the written offset is that zone's offset at the
    instant, so instant + written offset; a named zone's offset is the one its time was read at."""
    if c.kind == "utc":
        return [e.instant.date() for e in events]
    return [(e.instant + pd.Timedelta(minutes=e.offset)).date() for e in events]


def kept(events: list[Event], start: str, end: str, c: Clock | None = None) -> list[int]:
    """Indexes of the events a date range [start, end] keeps (both days included)."""
    c = c or clock(events)
    lo, hi = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return [i for i, d in enumerate(local_dates(events, c)) if lo <= d <= hi]


def first_last_day(events: list[Event], c: Clock | None = None) -> tuple[dt.date, dt.date]:
    days = local_dates(events, c or clock(events))
    return min(days), max(days)


def write_at_zone(instants: list[pd.Timestamp], zone: str, style: str) -> list[str]:
    """Each UTC instant written at the offset `zone` gives it: style 'colon' (+02:00), 'plain' (+0200), 'T'
    (ISO 'T' and colon, 'Z' for zero)."""
    out = []
    for t in instants:
        local = t.tz_convert(zone)
        minutes = int(local.utcoffset().total_seconds() // 60)
        sign = "-" if minutes < 0 else "+"
        h, m = divmod(abs(minutes), 60)
        wall = local.strftime("%Y-%m-%d %H:%M:%S")
        if style == "plain":
            out.append(f"{wall}{sign}{h:02d}{m:02d}")
        elif style == "T":
            out.append(wall.replace(" ", "T") + ("Z" if minutes == 0 else f"{sign}{h:02d}:{m:02d}"))
        else:
            out.append(f"{wall}{sign}{h:02d}:{m:02d}")
    return out
