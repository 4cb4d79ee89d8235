"""The clock a dataset's times are written on, and so the time zone its dates are in (DESIGN.md section 8: "dates in
the dataset's time zone").

`data_clock` is the one place that decides it, from what the data names (cjm.data.schema.CLOCK beside each event,
the time zone each file is read in):

- one time zone for every event (the zone chosen on the Data page, a 'Time Zone' column naming one zone on every row,
  a Qualtrics header): that zone, summer time included (America/New_York: UTC-5 in winter, UTC-4 in summer);
- one UTC offset for every time (each written '...-05:00', a zone column naming EST on every row): that offset;
- times written at two or more offsets that one time zone's rules give at every instant (a New York shop's export:
  '-05:00' in winter, '-04:00' in summer, as Shopify and WooCommerce write them): that zone (`zone_of_offsets`), the
  offsets said beside it;
- no zone named anywhere: UTC, the times as written;
- events on several clocks (two zones, a file naming a zone beside one naming none, offsets no one zone gives at
  those instants): mixed; each event keeps its own clock (the day map's hours), and dates stay UTC's.

The day map's hours (cjm.maps.day.clock_used) and the dashboard's date filter (cjm.data.filters: its days, the first
and last day it offers, the end of the chosen range) read it: `dates_clock` is the clock of the loaded data (a
filtered view's days are those of the data it was cut from), looked up once per dataset.
"""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from cjm import engine
from cjm.data.schema import CLOCK

UTC = "UTC"
SHOWN = 4  # zones or offsets named for mixed clocks, then "others"


@dataclass(frozen=True)
class DataClock:
    """The clock the times of a dataset are written on (`data_clock`)."""

    zone: str | None = None  # the one IANA zone of every event
    offset: int | None = None  # else the one offset (seconds east of UTC) of every time
    named: tuple[str, ...] = ()  # else, on mixed clocks, the zones or offsets the data names ("others" after SHOWN)
    unnamed: bool = False  # some event's data names no zone: its time is UTC as written
    written: tuple[str, ...] = ()  # the offsets the times are written at, when the zone is the one they follow

    @property
    def single(self) -> bool:
        """One zone or one offset for every event."""
        return self.zone is not None or self.offset is not None

    @property
    def mixed(self) -> bool:
        return bool(self.named)

    @property
    def tz(self) -> str | dt.tzinfo:
        """What pandas localises the dataset's dates in: the zone, the fixed offset, else UTC."""
        if self.zone is not None:
            return self.zone
        if self.offset is not None:
            return dt.timezone(dt.timedelta(seconds=self.offset))
        return UTC

    @property
    def label(self) -> str:
        """'America/New_York', 'UTC-05:00', else 'UTC'."""
        return self.zone or (offset_label(self.offset) if self.offset is not None else UTC)

    def to_dict(self) -> dict:
        """What a snapshot keeps of it (cjm.store.snapshot: a shared dashboard's data has no files to tell)."""
        return {"zone": self.zone, "offset": self.offset, "named": list(self.named), "unnamed": self.unnamed,
                "written": list(self.written)}

    @classmethod
    def from_dict(cls, data: dict) -> "DataClock":
        offset = data.get("offset")
        return cls(zone=data.get("zone"), offset=None if offset is None else int(offset),
                   named=tuple(data.get("named") or ()), unnamed=bool(data.get("unnamed")),
                   written=tuple(data.get("written") or ()))

    def days(self) -> str:
        """Which days a date of the dataset names, in a sentence (the sidebar's date range)."""
        if self.zone is not None and self.written:
            return f"Days in {self.zone} time: the times are written at its offsets ({', '.join(self.written)})."
        if self.zone is not None:
            return f"Days in {self.zone} time, the data's time zone."
        if self.offset is not None:
            return f"Days at {self.label}, the offset the times are written with."
        if self.mixed:
            return (f"Days in UTC: the events are on several clocks ({', '.join(self.named)}"
                    + ("; UTC as written where no zone is named" if self.unnamed else "") + ").")
        return "Days in UTC: the data names no time zone."


def offset_label(seconds: int) -> str:
    """'UTC-05:00', 'UTC+05:30' (and the seconds of an offset not in whole minutes: 'UTC-00:01:15')."""
    seconds = int(seconds)
    held = abs(seconds)
    return (f"UTC{'+' if seconds >= 0 else '-'}{held // 3600:02d}:{held // 60 % 60:02d}"
            + (f":{held % 60:02d}" if held % 60 else ""))


def event_files(dataset) -> list:
    """The files whose events have dates (a file without a date column, such as a survey, adds none to the day)."""
    return [f for f in dataset.files if f.role != "customers" and (f.row_ids is None or f.timestamp_style)]


def data_clock(dataset) -> DataClock:
    """The clock of the dated events of `dataset` (the Dataset or a view of it): the one zone every file is read in,
    when every event is on it (a time written with an offset of its own: the zone's offset at its instant,
    `zone_gives`); the one offset every time is on;
    UTC when the data names no zone; else mixed, naming the zones (or offsets) and whether some event names none.
    One small aggregate on the engine (the distinct clocks, at most six), none when the events have no clock. A
    dataset opened from a snapshot (a saved dashboard: no files, so no zone they were read in) has the clock its data
    had when saved (Dataset.clock)."""
    saved = _saved(dataset)
    if saved is not None:
        return DataClock.from_dict(saved)
    events = dataset.events.filter(dataset.events.timestamp.notnull())
    files = event_files(dataset)
    named = {f.mapping.timezone for f in files}
    stated = sorted(named - {UTC})
    offsets, unnamed = [], UTC in named or not files
    if CLOCK in events.columns:
        frame = engine.execute(events.group_by(_offset=events[CLOCK]).aggregate(n=events.count())
                               .order_by("_offset").limit(6))
        offsets = [int(v) for v in frame["_offset"] if not pd.isna(v)]
        unnamed = bool(frame["_offset"].isna().any()) or (not offsets and unnamed)
    if not stated and not offsets:
        return DataClock()
    if len(stated) == 1 and not unnamed and set(offsets) <= zone_offsets(stated[0]) and (
            not offsets or zone_gives(events, stated[0])):
        return DataClock(zone=stated[0])
    if not stated and len(offsets) == 1 and not unnamed:
        return DataClock(offset=offsets[0])
    if not stated and not unnamed and (zone := zone_of_offsets(events, offsets)) is not None:
        return DataClock(zone=zone, written=tuple(offset_label(o) for o in offsets))
    names = stated or [offset_label(o) for o in offsets[:SHOWN]] + (["others"] if len(offsets) > SHOWN else [])
    if stated:  # times written at offsets none of the zones uses ('9:00 AM +01:00' read in New York): named too
        foreign = [o for o in offsets if not any(o in zone_offsets(z) for z in stated)]
        if not foreign and len(stated) == 1 and not unnamed:  # the zone's offsets, at instants it has others
            foreign = offsets
        names = stated + [offset_label(o) for o in foreign[:SHOWN]]
    return DataClock(named=tuple(names), unnamed=unnamed)


# The zone named for offsets several zones follow alike (America/New_York and America/Toronto): the first of these
# that fits, else the first of the others by name. Any of them gives the data's instants the same dates.
PREFERRED = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Anchorage",
             "America/Halifax", "America/St_Johns", "America/Mexico_City", "America/Sao_Paulo", "America/Santiago",
             "America/Asuncion", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin",
             "Europe/Athens", "Europe/Helsinki", "Europe/Kyiv", "Asia/Jerusalem", "Asia/Beirut", "Africa/Cairo",
             "Asia/Tehran", "Australia/Sydney", "Australia/Melbourne", "Australia/Adelaide", "Australia/Hobart",
             "Pacific/Auckland", "Pacific/Chatham")


def zone_of_offsets(events, offsets: list[int]) -> str | None:
    """The time zone whose rules give every event of `events` (an Ibis table with timestamp and CLOCK, the offset its
    time is written at) the offset it is written at, when its times are written at two or more `offsets`; None when
    no zone does (two places' clocks: Chicago's -05:00 beside New York's -04:00 in July), or when they are more than
    five (Apia's four of 2011-2012, -11:00, -10:00, +14:00, +13:00, are one zone's). Each day's first and last
    time at each offset are checked (summer time changes a zone's offset at most once a day): one small aggregate."""
    if len(offsets) < 2 or len(offsets) > 5:  # data_clock fetches six: more than five may be more than six
        return None
    spans = _spans(events)
    if spans is None:
        return None
    instants, written = spans
    # a time at each offset rules out most zones at once
    few = [(instants[i].to_pydatetime(), int(written[i])) for i in pd.Series(written).drop_duplicates().index]
    fitting = [name for name, zone in _zones()
               if all(t.astimezone(zone).utcoffset().total_seconds() == o for t, o in few)
               and _fits(name, instants, written)]
    preferred = [z for z in PREFERRED if z in fitting]
    return (preferred or sorted(fitting) or [None])[0]


def zone_gives(events, zone: str) -> bool:
    """Whether `zone`'s rules give every event of `events` (timestamp and CLOCK) the clock it is on at its instant: a
    file read in the zone whose times carry offsets of their own is on the zone's clock only if each is the zone's
    offset then ('...T10:00:00-04:00' in January is not New York's, though New York uses -04:00 in summer). Checked as
    `zone_of_offsets` checks them: each day's first and last time at each offset, one small aggregate."""
    if CLOCK not in events.columns:
        return True
    spans = _spans(events)
    return spans is None or _fits(zone, *spans)


def _spans(events):
    """(the instants, the offsets they are written at) of each UTC day's first and last time at each offset of
    `events` (summer time changes a zone's offset at most once a day), or None when no event has a clock."""
    day = events.timestamp.truncate("D")
    frame = engine.execute(events.filter(events[CLOCK].notnull()).group_by(_day=day, _offset=events[CLOCK])
                           .aggregate(_first=events.timestamp.min(), _last=events.timestamp.max()))
    if frame.empty:
        return None
    instants = pd.DatetimeIndex(pd.concat([frame["_first"], frame["_last"]], ignore_index=True))
    instants = instants.tz_localize(UTC) if instants.tz is None else instants.tz_convert(UTC)
    written = pd.concat([frame["_offset"], frame["_offset"]], ignore_index=True).astype("int64").to_numpy()
    return instants, written


def _fits(zone: str, instants: pd.DatetimeIndex, written) -> bool:
    local = instants.tz_convert(zone).tz_localize(None)
    return bool(((local - instants.tz_localize(None)).total_seconds().astype("int64") == written).all())


@lru_cache(maxsize=1)
def _zones() -> tuple[tuple[str, zoneinfo.ZoneInfo], ...]:
    """The IANA zones of places ('Area/City'), not the old aliases (US/Eastern, EST5EDT, Etc/GMT+5), loaded once."""
    old = ("Etc/", "SystemV/", "US/", "Canada/", "Mexico/", "Brazil/", "Chile/")
    return tuple((z, zoneinfo.ZoneInfo(z)) for z in sorted(zoneinfo.available_timezones())
                 if "/" in z and not z.startswith(old) and z[0].isupper())


def _saved(dataset) -> dict | None:
    while dataset is not None:
        if getattr(dataset, "clock", None) is not None:
            return dataset.clock
        dataset = getattr(dataset, "base", None)
    return None


@lru_cache(maxsize=64)
def zone_offsets(zone: str) -> frozenset[int]:
    """The offsets (seconds east of UTC) `zone` has used since 1970, and plans to 2040, sampled every week: a clock
    off them is not that zone's (a time written '2:30 PM +01:00' in a file read in America/New_York)."""
    utc = pd.date_range("1970-01-01", "2040-12-31", freq="7D", tz=UTC)
    try:
        local = utc.tz_convert(zone).tz_localize(None)
    except (KeyError, ValueError, TypeError):
        return frozenset()
    return frozenset(int(v) for v in (local - utc.tz_localize(None)).total_seconds())


_CACHE: OrderedDict[str, DataClock] = OrderedDict()
_CACHED = 64
_LOCK = threading.Lock()


def dates_clock(dataset) -> DataClock:
    """The clock whose days the dashboard's dates are (the date filter, its first and last day, the end of the chosen
    range): data_clock of the data as loaded (a view's days are those of the data it was cut from), once per loaded
    dataset. Dates are that zone's (or offset's) when the data has one, else UTC's (`DataClock.tz`)."""
    while getattr(dataset, "base", None) is not None:
        dataset = dataset.base
    with _LOCK:  # the app's sessions run in threads of one process
        found = _CACHE.get(dataset.key)
    if found is None:
        found = data_clock(dataset)
        with _LOCK:
            _CACHE[dataset.key] = found
            while len(_CACHE) > _CACHED:
                _CACHE.popitem(last=False)
    return found


def midnight(day, tz) -> pd.Timestamp:
    """The first instant (UTC) of the date `day` in `tz`: its midnight, or the first time after it where summer time
    skips midnight (America/Santiago), the earlier of two midnights where it repeats it."""
    return pd.Timestamp(pd.Timestamp(day).date()).tz_localize(tz, ambiguous=True, nonexistent="shift_forward") \
        .tz_convert(UTC)


def date_in(value, tz):
    """The date of the instant `value` (a UTC time, or naive read as UTC) in `tz`."""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize(UTC) if stamp.tzinfo is None else stamp
    return stamp.tz_convert(tz).date()
