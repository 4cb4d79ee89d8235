"""A day in the life (DESIGN.md section 5): the persona's day, hour by hour and by weekday.

Columns are eight three-hour blocks of the day (00–03, 03–06, ..., 21–24), in the timestamps' time
zone (UTC, as the data contract stores them). From the data, per block: the share of the day's
interactions (events) that fall in it (written "18.8%": its lane says of what, so the narrow columns of
the drawn day need no wrapped words), the channels and devices used most in it (by events), and its
busiest weekdays. `heat` is the full weekday (Monday first) x hour count of events. People add
activities (`add_activity`): what they do with the brand, competitors' touchpoints and life outside the
brand; those cells are assumptions.

Dates without times: when every event of the data (the whole data given, not the segment drawn) falls at
one and the same time of day, the file gave dates without times (read as midnight UTC, or as 23:00 UTC for
dates written in UTC+01:00) and the hour of each interaction is unknown (`time_of_day`). Dates written at
local midnight through summer time (+01:00 in winter, +02:00 in summer; or read in a mapping's time zone
such as Europe/Berlin) fall at two times of day exactly an hour apart, 23:00 and 22:00 UTC, never both on
one date: they are dates without times too (`times_of_day`). The map then
says so (`hours_note`, drawn instead of the weekday x hour strip) and puts its data in a first column
for the whole day (key WHOLE_DAY): share of interactions unknown, channels and devices used most, and the
busiest weekdays by the weekday of the date (that of the midnight a time zone from UTC-11 to UTC+13 puts
there: 11:00 UTC is New Zealand's, Samoa's and Tonga's midnight at UTC+13:00 the next day, not the
midnight of UTC-11:00, a few thousand people's). The hour blocks then hold only the activities people add.
One event alone, or several at the same time of day among real times, cannot tell this apart: the rule
needs two events or more, all at the same time of day to the millisecond (or at two an hour apart, as above).
Events without a date (some respondents left it blank) are left out of the day, and the persona's line says
how many; data without any date raises NoDatesError, as the funnel does.
"""

from __future__ import annotations

import ibis
import pandas as pd

from cjm import engine
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


def _hour_counts(events) -> pd.DataFrame:
    events = events.filter(events.timestamp.notnull())  # an undated event has no hour and no weekday
    t = events.mutate(_hour=events.timestamp.hour(), _weekday=events.timestamp.day_of_week.index())
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
        standard, summer = (int(row["last_turned"]) + DAY_MS // 2) % DAY_MS, (int(row["first_turned"]) + DAY_MS // 2) % DAY_MS
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


def _clock(ms: int) -> str:
    seconds, rest = divmod(ms, 1000)
    text = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}"
    return text + (f":{seconds % 60:02d}" if seconds % 60 or rest else "") + (f".{rest:03d}" if rest else "")


def _midnight(ms: int) -> str:
    """'midnight at UTC+01:00' for 23:00 UTC (UTC-11:00 .. UTC+13:00, see DATE_SHIFT_HOURS); '' for no zone's."""
    if ms % (15 * 60_000):
        return ""
    offset = -ms if ms < (24 - DATE_SHIFT_HOURS) * HOUR_MS else DAY_MS - ms
    return f"midnight at UTC{'+' if offset >= 0 else '-'}{_clock(abs(offset))}"


def hours_note(ms, weekdays: pd.Series) -> str:
    """The sentence a day map of dates without times shows instead of its hours. `ms`: their one time of
    day, or (standard time, summer time) as times_of_day gives them; `weekdays`: events by weekday of the
    date (0 = Monday)."""
    times = (ms,) if isinstance(ms, int) else tuple(ms)
    if times == (0,):
        when = "midnight UTC"
    elif len(times) == 1:
        when = f"{_clock(times[0])} UTC" + (f", {_midnight(times[0])}" if _midnight(times[0]) else "")
    else:
        standard, summer = times
        when = f"{_clock(standard)} UTC, or {_clock(summer)} UTC in summer time"
        if _midnight(standard):
            when += f" ({_midnight(standard)} and UTC{_midnight(summer).rsplit('UTC', 1)[1]})"
    total = int(weekdays.sum())
    shares = ", ".join(f"{WEEKDAYS[d]} {format_percent(weekdays.get(d, 0) / total, 0)}" for d in range(7))
    return (f"The data has dates without times: every interaction is at {when}, so the hour of the day is unknown "
            f"and no three-hour block can claim any of them. The data's figures are in the column "
            f"'{WHOLE_DAY_NAME}'; the hour columns hold only the activities people add. Interactions by weekday "
            f"of the date: {shares}.")


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
    t = events.filter(events[column].notnull() & events.timestamp.notnull()).mutate(_hour=events.timestamp.hour())
    return engine.execute(t.group_by(["_hour", column]).aggregate(events=t.count())).rename(columns={"_hour": "hour"})


def _has(events, column) -> bool:
    return column in events.columns and len(engine.execute(
        events.filter(events[column].notnull()).select(column).limit(1))) > 0


def build_day_map(dataset, *, segment: str | None = None, persona: Persona | None = None,
                  title: str | None = None) -> JourneyMap:
    """A day in the life of the customers of `dataset` (the Dataset or a view of it), or of one `segment`."""
    check_dated(dataset.events, DAY_NEEDS_DATES)  # no event of the data has a date: say so, as the funnel does
    events = segment_view(dataset, segment).events
    counts = _hour_counts(events)
    total = int(counts["events"].sum()) if len(counts) else 0
    if not total:
        raise InsufficientDataError("A day in the life needs events with timestamps; the data (or segment) has none.")
    dated = events.timestamp.notnull()
    sizes = engine.execute(events.aggregate(n=events.customer_id.nunique(where=dated), rows=events.count())).iloc[0]
    n_customers, undated = int(sizes["n"]), int(sizes["rows"]) - total
    left_out = ("" if not undated else
                f"; {undated:,} interaction{'s' if undated != 1 else ''} without a date "
                f"{'are' if undated != 1 else 'is'} left out")
    dated_only = times_of_day(dataset)  # the whole data tells whether it has times, not one segment of it
    stages = [Stage(key=block_key(a), name=f"{a:02d}–{b:02d}", color=BLOCK_COLOR) for a, b in _blocks()]
    if dated_only is not None:
        stages.insert(0, Stage(key=WHOLE_DAY, name=WHOLE_DAY_NAME, color=WHOLE_DAY_COLOR))
    jm = JourneyMap(
        template="day", title=title or ("A day in the life" + (f" · {segment}" if segment else "")),
        persona=persona or Persona(name=segment or "All customers", segment=segment, provenance="data",
                                   description=f"{format_count(n_customers, 'customer')}, {total:,} interactions; "
                                               + ("hours in UTC" if dated_only is None
                                                  else "dates without times: the hours are unknown") + left_out),
        stages=stages, lanes=[Lane(key=k, name=name, kind=kind) for k, (name, kind) in DAY_LANES.items()],
    )
    heat = [[0] * 24 for _ in range(7)]
    for row in counts.itertuples(index=False):
        heat[int(row.weekday)][int(row.hour)] = int(row.events)
    jm.heat = heat
    extra = {c: _by(events, c) for c in ("channel", "device") if _has(events, c)}
    if dated_only is not None:
        _whole_day(jm, events, total, extra, dated_only)
        return jm
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


def _whole_day(jm: JourneyMap, events, total: int, extra: dict, ms: tuple[int, ...]) -> None:
    """The data cells of a day map of dates without times: one column for the whole day."""
    weekdays = _date_weekdays(events)
    jm.hours_note = hours_note(ms, weekdays)

    def cell(lane, value, **ev):
        jm.cells.setdefault(lane, {})[WHOLE_DAY] = Cell(value=value, provenance="data", evidence=Evidence(**ev))

    cell("interactions", "hour unknown", events=total, analysis="the data has dates without times")
    days = weekdays.sort_values(ascending=False, kind="stable").head(2)
    cell("busiest_days", ", ".join(f"{WEEKDAYS[int(d)]} ({format_percent(v / total, 0)})" for d, v in days.items()),
         events=total, analysis="events by weekday of their date")
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
