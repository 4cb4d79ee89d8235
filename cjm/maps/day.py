"""A day in the life (DESIGN.md section 5): the persona's day, hour by hour and by weekday.

Columns are eight three-hour blocks of the day (00–03, 03–06, ..., 21–24), each event on the clock its time was
written on (`local_time`; DESIGN.md section 8: the dataset's time zone): the zone or UTC offset its data names for it
(the time zone a file is read in, a zone column's zone on its row, an offset written in the time: a New York shop's
09:00 is in 09–12, not in 12–15 where UTC has it), else its time as written, which cjm reads as UTC. Mixed zones,
across files or rows, put each event on its own clock, and the persona's line and the strip's title name the clock
(`clock_used`). The data contract stores UTC instants; the clock is kept beside them (cjm.data.schema.CLOCK). From the
data, per block: the share of the day's
interactions (events) that fall in it (written "18.8%": its lane says of what, so the narrow columns of
the drawn day need no wrapped words), the channels and devices used most in it (by events), and its
busiest weekdays. `heat` is the full weekday (Monday first) x hour count of events. People add
activities (`add_activity`): what they do with the brand, competitors' touchpoints and life outside the
brand; those cells are assumptions.

Dates without times are decided per file: a file whose timestamps are all written at one and the same time of day
(two or more; cjm.data.timestamps: the wall clock as written, so dates read in a time zone with summer time, 23:00
UTC in winter and 22:00 in summer for Berlin, are still one time of day) gave dates without times, and the hour of
each of its interactions is unknown (`untimed_rows`). Data without files (a table read in place, events given as
a table) is one source: it has dates without times when every event falls at one time of day in UTC, or at
two exactly an hour apart and never both on one date (local midnights through summer time: `times_of_day`). The map then puts those interactions in a first column for the whole day (key WHOLE_DAY): their
share of the interactions (or, when every interaction is dated only, "hour unknown"), channels and devices used
most, and the busiest weekdays by the weekday of the date (that of the midnight a time zone from UTC-11 to UTC+13
puts there: 11:00 UTC is New Zealand's, Samoa's and Tonga's midnight at UTC+13:00 the next day, not the midnight of
UTC-11:00, a few thousand people's), and says so (`hours_note`). When every interaction is dated only,
the sentence is drawn instead of the weekday x hour strip and the hour blocks hold only the activities people add;
when files with times are loaded beside them, the hour blocks and the strip hold the interactions with times. One
event alone, or several at the same time of day among real times, cannot tell this apart: the rule needs two events
or more, all at the same time of day to the millisecond. Events without a date (some respondents left it blank) are
left out of the day, and the persona's line says how many; data without any date raises NoDatesError, as the funnel
does.
"""

from __future__ import annotations

import ibis
import pandas as pd

from cjm import engine
from cjm.data.clock import data_clock, event_files
from cjm.data.schema import CLOCK
from cjm.errors import InsufficientDataError, ParameterError
from cjm.journey.funnel.validate import check_dated
from cjm.maps.current import segment_view
from cjm.maps.model import DAY_LANES, WHOLE_DAY, Activity, Cell, Evidence, JourneyMap, Lane, Persona, Stage
from cjm.present.formats import format_percent, format_count

BLOCK_HOURS = 3
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ACTIVITY_KINDS = {"brand": "brand", "competitors": "competitors", "life": "life"}
BLOCK_COLOR = "#4C78A8"
WHOLE_DAY_COLOR = "#7F7F7F"
WHOLE_DAY_NAME = "Whole day (no times)"
DAY_NEEDS_DATES = ("A day in the life", "its columns are the hours of the day and its weekdays those of the dates")
HOUR_MS, DAY_MS = 3_600_000, 86_400_000
# A date's midnight at UTC-11:00 .. UTC+13:00 is 11:00 UTC the same day .. 11:00 UTC the day before: 13 hours
# after any of them is on the date's own day.
DATE_SHIFT_HOURS = 13


def block_key(start: int) -> str:
    return f"h{start:02d}"


def _blocks():
    return [(h, h + BLOCK_HOURS) for h in range(0, 24, BLOCK_HOURS)]


def compute_hour_counts(dataset) -> pd.DataFrame:
    """weekday (0 = Monday), hour, events, customers: the events of `dataset` (the Dataset or a view of it)
    by weekday and hour of day."""
    return _hour_counts(dataset.events)


def local_time(events):
    """Each event's time on the clock it was written on (schema.CLOCK: the time zone or offset the data names for
    it; an event whose data names none keeps its time as written, which cjm reads as UTC), as an Ibis expression."""
    if CLOCK not in events.columns:
        return events.timestamp
    return events.timestamp + events[CLOCK].fill_null(0).cast("int64").as_interval("s")


def _hour_counts(events) -> pd.DataFrame:
    events = events.filter(events.timestamp.notnull())  # an undated event has no hour and no weekday
    local = local_time(events)  # each event on its own clock: a New York shop's 09:00 in 09-12
    t = events.mutate(_hour=local.hour(), _weekday=local.day_of_week.index())
    return engine.execute(t.group_by(["_weekday", "_hour"]).aggregate(
        events=t.count(), customers=t.customer_id.nunique())).rename(columns={"_weekday": "weekday", "_hour": "hour"})


def _ms_of_day(t):
    return (t.hour().cast("int64") * HOUR_MS + t.minute().cast("int64") * 60_000
            + t.second().cast("int64") * 1_000 + t.millisecond().cast("int64"))


def time_of_day_expr(events):
    """One Ibis aggregate over `events`: n (events with a timestamp) and the earliest and latest time of
    day among them (first_ms, last_ms: milliseconds after midnight UTC); the same of the times of day turned
    half a day (first_turned, last_turned: 23:00 and 00:00 are 11:00 and 12:00 there, an hour apart) and of
    the times within their hour (first_in_hour, last_in_hour: equal when all are whole hours apart)."""
    ms = _ms_of_day(events.timestamp)
    turned, in_hour = (ms + DAY_MS // 2) % DAY_MS, ms % HOUR_MS
    return events.aggregate(n=ms.count(), first_ms=ms.min(), last_ms=ms.max(), first_turned=turned.min(),
                            last_turned=turned.max(), first_in_hour=in_hour.min(), last_in_hour=in_hour.max())


def times_of_day(dataset) -> tuple[int, ...] | None:
    """The times of day (milliseconds after midnight UTC) of the events of `dataset` (the Dataset or a view of
    it) when the data has dates without times: (the one time,) when two events or more all fall at it, or (the
    standard time, the summer time) when they fall at two times exactly an hour apart (23:00 and 22:00 UTC:
    local midnights through summer time) and no date has both; None when the hours of the day are known."""
    row = engine.execute(time_of_day_expr(dataset.events)).iloc[0]
    if pd.isna(row["n"]) or int(row["n"]) < 2 or pd.isna(row["first_ms"]):
        return None
    first, last = int(row["first_ms"]), int(row["last_ms"])
    if first == last:
        return (first,)
    if row["first_in_hour"] != row["last_in_hour"]:
        return None
    if last - first == HOUR_MS:  # 22:00 and 23:00: summer time is the earlier in UTC
        standard, summer = last, first
    elif int(row["last_turned"]) - int(row["first_turned"]) == HOUR_MS:  # 23:00 and 00:00, across midnight
        standard = (int(row["last_turned"]) + DAY_MS // 2) % DAY_MS
        summer = (int(row["first_turned"]) + DAY_MS // 2) % DAY_MS
    else:
        return None
    return (standard, summer) if not _both_on_one_date(dataset.events) else None


def _both_on_one_date(events) -> bool:
    """Whether some date has events at two times of day (then they are real hours, not two local midnights)."""
    t = events.filter(events.timestamp.notnull())
    t = t.mutate(_date=(t.timestamp + ibis.interval(hours=DATE_SHIFT_HOURS)).date(), _ms=_ms_of_day(t.timestamp))
    times = t.group_by("_date").aggregate(k=t._ms.nunique())
    return bool(int(engine.execute(times.aggregate(most=times.k.max()))["most"].iloc[0]) > 1)


def time_of_day(dataset) -> int | None:
    """The one time of day (milliseconds after midnight UTC) of every event of `dataset` (the Dataset or a
    view of it) when the data has dates without times (two events or more, all at that time of day; through
    summer time, the standard time: see times_of_day); None when the hours of the day are known (see the
    module docstring)."""
    times = times_of_day(dataset)
    return None if times is None else times[0]


def _event_files(dataset) -> list:
    """The files whose events have dates (a file without a date column, such as a survey, adds none to the day)."""
    return event_files(dataset)


def untimed_rows(dataset):
    """Which events of `dataset` (the Dataset or a view of it) are dated without a time of day: None when every
    event has its time, True when every event is dated only, else the row_id ranges [start, stop) of the files that
    gave dates without times (their events, beside files with times). Decided per file when the load numbered the
    files' events (an upload: FileReport.time_of_day and row_ids), else on the whole data (`time_of_day`)."""
    files = _event_files(dataset)
    if files and all(f.row_ids is not None for f in files):
        dated = [f for f in files if f.time_of_day is not None]
        if not dated:
            return None
        return True if len(dated) == len(files) else [f.row_ids for f in dated]
    return True if time_of_day(dataset) is not None else None


def untimed_expr(events, ranges):
    """The Ibis condition of the events of the files in `ranges` (untimed_rows): row_id in one of them."""
    return ibis.or_(*(events.row_id.between(start, stop - 1) for start, stop in ranges))


def _utc_times(dataset) -> list[int]:
    """The times of day (milliseconds after midnight UTC) of the events of the whole data, when they are a few (a
    date without time read in a zone with summer time is at two of them); at most three and one more."""
    t = dataset.events.filter(dataset.events.timestamp.notnull())
    t = t.mutate(_ms=_ms_of_day(t.timestamp))
    frame = engine.execute(t.select("_ms").distinct().order_by("_ms").limit(4))
    return [int(v) for v in frame["_ms"]]


def _clock(ms: int) -> str:
    seconds, rest = divmod(ms, 1000)
    text = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}"
    return text + (f":{seconds % 60:02d}" if seconds % 60 or rest else "") + (f".{rest:03d}" if rest else "")


def hours_note(ms: int | list[int], weekdays: pd.Series, *, written: int | None = None) -> str:
    """The sentence a day map of dates without times shows instead of its hours. `ms`: their one time of
    day in UTC, or their few times of day in UTC when summer time moves them (then `written`: their one time of
    day as written, if one); `weekdays`: events by weekday of the date (0 = Monday)."""
    times = [ms] if isinstance(ms, int) else list(ms)
    if len(times) == 1:
        when = _utc_clock(times[0])
    else:
        at = ("midnight" if written == 0 else _clock(written)) + " as written" if written is not None else \
            "one time of day as written in each file"
        shown = " or ".join(_clock(t) for t in times[:3]) + (" or others" if len(times) > 3 else "")
        when = f"{at} ({shown} UTC: summer time moves it)"
    return (f"The data has dates without times: every interaction is at {when}, so the hour of the day is unknown "
            f"and no three-hour block can claim any of them. The data's figures are in the column "
            f"'{WHOLE_DAY_NAME}'; the hour columns hold only the activities people add. Interactions by weekday "
            f"of the date: {_weekday_shares(weekdays)}.")


def _utc_clock(ms: int) -> str:
    if ms == 0:
        return "midnight UTC"
    when = f"{_clock(ms)} UTC"
    if ms % (15 * 60_000) == 0:  # midnight in a time zone: UTC-11:00 .. UTC+13:00 (see DATE_SHIFT_HOURS)
        offset = -ms if ms < (24 - DATE_SHIFT_HOURS) * HOUR_MS else DAY_MS - ms
        when += f", midnight at UTC{'+' if offset >= 0 else '-'}{_clock(abs(offset))}"
    return when


def _weekday_shares(weekdays: pd.Series) -> str:
    total = int(weekdays.sum())
    return ", ".join(f"{WEEKDAYS[d]} {format_percent(weekdays.get(d, 0) / total, 0)}" for d in range(7))


def mixed_hours_note(dated: int, total: int, files: list[str], weekdays: pd.Series, *, clock: str = "UTC") -> str:
    """The sentence of a day map whose data holds files of dates without times beside files with times: `dated` of
    the `total` interactions come from `files` (their names) and have no hour; `weekdays`: those interactions by
    weekday of the date (0 = Monday); `clock`: the clock of the hours (clock_used)."""
    named = ", ".join(f"'{name}'" for name in files[:3]) + (f" and {len(files) - 3:,} other files" if len(files) > 3
                                                              else "")
    by_day = (f" Those interactions by weekday of the date: {_weekday_shares(weekdays)}." if dated
              else " None of them is among the interactions shown here.")
    return (f"Part of the data has dates without times: {dated:,} of the {total:,} interactions "
            f"({format_percent(dated / total if total else 0)}) come from {named}, dated without a time of day, so "
            f"their hour is unknown and no three-hour block can claim them. They are in the column "
            f"'{WHOLE_DAY_NAME}'; the hour columns and the weekday x hour strip hold the {total - dated:,} "
            f"interactions with times ({clock}).{by_day}")


def date_weekdays_expr(events):
    """Events by weekday of their date (_weekday, 0 = Monday; events) when the data has dates without
    times: the weekday of the midnight of UTC-11:00 .. UTC+13:00 they are (a date written at UTC+01:00 is 23:00
    UTC the day before, one at UTC+13:00 11:00 UTC the day before)."""
    t = events.filter(events.timestamp.notnull())
    t = t.mutate(_weekday=(t.timestamp + ibis.interval(hours=DATE_SHIFT_HOURS)).day_of_week.index())
    return t.group_by("_weekday").aggregate(events=t.count())


def _date_weekdays(events) -> pd.Series:
    frame = engine.execute(date_weekdays_expr(events))
    return frame.set_index("_weekday")["events"].astype("int64").sort_index()


def _by(events, column: str) -> pd.DataFrame:
    t = events.filter(events[column].notnull() & events.timestamp.notnull())
    t = t.mutate(_hour=local_time(t).hour())
    return engine.execute(t.group_by(["_hour", column]).aggregate(events=t.count())).rename(columns={"_hour": "hour"})


def _has(events, column) -> bool:
    return column in events.columns and len(engine.execute(
        events.filter(events[column].notnull()).select(column).limit(1))) > 0


UTC_CLOCK = "hours in UTC, the times as written (no time zone named)"


def clock_used(dataset) -> tuple[str, str]:
    """The clock the day map's hours and weekdays are on, for the persona's line and the strip's title: UTC as written
    when the data names no time zone; the one zone every file is read in ('America/New_York time'); the one offset
    every time is written with ('UTC-05:00'); else each interaction's own clock, the zones named (mixed zones across
    files or rows: each event on the clock its data names, UTC as written where none). cjm.data.clock.data_clock
    decides, as it does the days of the date filter."""
    clock = data_clock(dataset)
    if clock.zone is not None and clock.written:
        return (f"hours in {clock.zone} time, whose offsets the times are written at ({', '.join(clock.written)})",
                f"{clock.zone} time")
    if clock.zone is not None:
        return f"hours in {clock.zone} time, the data's time zone", f"{clock.zone} time"
    if clock.offset is not None:
        return f"hours at {clock.label}, the offset the times are written with", clock.label
    if not clock.mixed:
        return UTC_CLOCK, "UTC"
    return (f"hours on each interaction's own clock (mixed time zones: {', '.join(clock.named)}"
            + ("; UTC as written where no zone is named" if clock.unnamed else "") + ")", "each interaction's own clock")


def build_day_map(dataset, *, segment: str | None = None, persona: Persona | None = None,
                  title: str | None = None) -> JourneyMap:
    """A day in the life of the customers of `dataset` (the Dataset or a view of it), or of one `segment`."""
    check_dated(dataset.events, DAY_NEEDS_DATES)  # no event of the data has a date: say so, as the funnel does
    every = segment_view(dataset, segment).events
    events = every.filter(every.timestamp.notnull())  # an event without a date has no place in the day
    untimed = untimed_rows(dataset)  # the whole data tells whether it has times, not one segment of it
    mixed = untimed not in (None, True)
    timed_events = events.filter(~untimed_expr(events, untimed)) if mixed else events
    dated_events = events.filter(untimed_expr(events, untimed)) if mixed else events
    counts = _hour_counts(timed_events)
    dated = int(engine.execute(dated_events.aggregate(n=dated_events.count()))["n"].iloc[0]) if mixed else 0
    total = (int(counts["events"].sum()) if len(counts) else 0) + dated
    if not total:
        raise InsufficientDataError("A day in the life needs events with timestamps; the data (or segment) has none.")
    sizes = engine.execute(every.aggregate(n=every.customer_id.nunique(where=every.timestamp.notnull()),
                                           rows=every.count())).iloc[0]
    n_customers, undated = int(sizes["n"]), int(sizes["rows"]) - total
    left_out = ("" if not undated else
                f"; {undated:,} interaction{'s' if undated != 1 else ''} without a date "
                f"{'are' if undated != 1 else 'is'} left out")
    stages = [Stage(key=block_key(a), name=f"{a:02d}–{b:02d}", color=BLOCK_COLOR) for a, b in _blocks()]
    if untimed is not None:
        stages.insert(0, Stage(key=WHOLE_DAY, name=WHOLE_DAY_NAME, color=WHOLE_DAY_COLOR))
    clock, strip = clock_used(dataset) if untimed is not True else ("", "UTC")
    hours = (clock if untimed is None else "dates without times: the hours are unknown" if untimed is True
             else f"{clock}; {dated:,} dated without a time")
    jm = JourneyMap(
        template="day", title=title or ("A day in the life" + (f" · {segment}" if segment else "")),
        persona=persona or Persona(name=segment or "All customers", segment=segment, provenance="data",
                                   description=f"{format_count(n_customers, 'customer')}, {total:,} interactions; "
                                               f"{hours}{left_out}"),
        stages=stages, lanes=[Lane(key=k, name=name, kind=kind) for k, (name, kind) in DAY_LANES.items()],
    )
    jm.clock = strip
    heat = [[0] * 24 for _ in range(7)]
    for row in counts.itertuples(index=False):
        heat[int(row.weekday)][int(row.hour)] = int(row.events)
    jm.heat = heat
    if untimed is True:
        extra = {c: _by(events, c) for c in ("channel", "device") if _has(events, c)}
        weekdays = _date_weekdays(events)
        times = _utc_times(dataset)
        written = {f.time_of_day for f in _event_files(dataset)}
        jm.hours_note = hours_note(times[0] if len(times) == 1 else times, weekdays,
                                   written=written.pop() if len(written) == 1 else None)
        _whole_day(jm, events, total, total, extra, weekdays)
        return jm
    extra = {c: _by(timed_events, c) for c in ("channel", "device") if _has(timed_events, c)}
    if mixed:
        weekdays = _date_weekdays(dated_events)
        names = [f.name for f in _event_files(dataset) if f.time_of_day is not None]
        jm.hours_note = mixed_hours_note(dated, total, names, weekdays, clock=strip)
        _whole_day(jm, dated_events, dated, total,
                   {c: _by(dated_events, c) for c in ("channel", "device") if _has(dated_events, c)}, weekdays)
    for a, b in _blocks():
        key = block_key(a)
        part = counts[(counts["hour"] >= a) & (counts["hour"] < b)]
        n = int(part["events"].sum())
        cell = lambda lane, value, number=None, **ev: jm.cells.setdefault(lane, {}).__setitem__(  # noqa: E731
            key, Cell(value=value, number=number, provenance="data", evidence=Evidence(**ev)))
        cell("interactions", format_percent(n / total), n / total, events=n,
             analysis="events by hour of day")
        if n:
            days = part.groupby("weekday")["events"].sum().sort_values(ascending=False).head(2)
            cell("busiest_days", ", ".join(f"{WEEKDAYS[int(d)]} ({format_percent(v / n, 0)})" for d, v in days.items()),
                 events=n, analysis="events by weekday in these hours")
        for column, frame in extra.items():
            block = frame[(frame["hour"] >= a) & (frame["hour"] < b)].groupby(column)["events"].sum()
            if block.sum():
                cell("channels" if column == "channel" else "devices", _top(block), events=int(block.sum()),
                     analysis=f"events by {column} and hour of day")
    return jm


def _top(counts: pd.Series) -> str:
    top = counts.sort_values(ascending=False).head(2)
    return "\n".join(f"{name} ({format_percent(v / counts.sum(), 0)})" for name, v in top.items())


def _whole_day(jm: JourneyMap, events, n: int, total: int, extra: dict, weekdays: pd.Series) -> None:
    """The data cells of the whole-day column: the `n` interactions of `events` dated without times, of `total`
    (when they are all of them, their share is "hour unknown"); `weekdays`: their events by weekday of the date."""

    def cell(lane, value, number=None, **ev):
        jm.cells.setdefault(lane, {})[WHOLE_DAY] = Cell(value=value, number=number, provenance="data",
                                                        evidence=Evidence(**ev))

    if n == total:
        cell("interactions", "hour unknown", events=total, analysis="the data has dates without times")
    else:
        cell("interactions", f"{format_percent(n / total)}, hour unknown", n / total, events=n,
             analysis="events of the files with dates without times")
    if n:
        days = weekdays.sort_values(ascending=False, kind="stable").head(2)
        cell("busiest_days", ", ".join(f"{WEEKDAYS[int(d)]} ({format_percent(v / n, 0)})" for d, v in days.items()),
             events=n, analysis="events by weekday of their date")
    for column, frame in extra.items():
        used = frame.groupby(column)["events"].sum()
        if used.sum():
            cell("channels" if column == "channel" else "devices", _top(used), events=int(used.sum()),
                 analysis=f"events by {column}, the whole day")


def add_activity(jm: JourneyMap, activity: Activity) -> None:
    """Add a person's activity to the day: its text lands in the blocks its hours overlap."""
    if jm.template != "day":
        raise ParameterError("Activities belong on a day-in-the-life map; switch the template to 'day'.")
    if activity.kind not in ACTIVITY_KINDS:
        raise ParameterError(f"activity kind must be one of {', '.join(ACTIVITY_KINDS)}; got {activity.kind!r}.")
    if not (0 <= activity.start < activity.end <= 24):
        raise ParameterError(f"activity hours must satisfy 0 <= start < end <= 24; got {activity.start}–{activity.end}.")
    if not str(activity.text).strip():
        raise ParameterError("An activity needs a description; got an empty one.")
    jm.activities.append(activity)
    _activity_cells(jm)


def _activity_cells(jm: JourneyMap) -> None:
    for lane in ACTIVITY_KINDS.values():
        jm.cells.pop(lane, None)
    for a, b in _blocks():
        for activity in jm.activities:
            if activity.start < b and activity.end > a:
                row = jm.cells.setdefault(ACTIVITY_KINDS[activity.kind], {})
                line = f"{activity.start:02d}–{activity.end:02d} {activity.text}" + (
                    f" ({activity.weekdays})" if activity.weekdays and activity.weekdays != "every day" else "")
                old = row.get(block_key(a))
                row[block_key(a)] = Cell(value=f"{old.value}\n{line}" if old else line, provenance="assumption")
