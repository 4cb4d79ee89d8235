"""A day in the life (DESIGN.md section 5): the persona's day, hour by hour and by weekday.

Columns are eight three-hour blocks of the day (00–03, 03–06, ..., 21–24), in the timestamps' time
zone (UTC, as the data contract stores them). From the data, per block: the share of the day's
interactions (events) that fall in it (written "18.8%": its lane says of what, so the narrow columns of
the drawn day need no wrapped words), the channels and devices used most in it (by events), and its
busiest weekdays. `heat` is the full weekday (Monday first) x hour count of events. People add
activities (`add_activity`): what they do with the brand, competitors' touchpoints and life outside the
brand; those cells are assumptions.
"""

from __future__ import annotations

import pandas as pd

from cjm import engine
from cjm.errors import InsufficientDataError, ParameterError
from cjm.maps.current import segment_view
from cjm.maps.model import DAY_LANES, Activity, Cell, Evidence, JourneyMap, Lane, Persona, Stage
from cjm.present.formats import format_percent, format_count

BLOCK_HOURS = 3
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ACTIVITY_KINDS = {"brand": "brand", "competitors": "competitors", "life": "life"}
BLOCK_COLOR = "#4C78A8"


def block_key(start: int) -> str:
    return f"h{start:02d}"


def _blocks():
    return [(h, h + BLOCK_HOURS) for h in range(0, 24, BLOCK_HOURS)]


def compute_hour_counts(dataset) -> pd.DataFrame:
    """weekday (0 = Monday), hour, events, customers: the events of `dataset` (the Dataset or a view of it)
    by weekday and hour of day."""
    return _hour_counts(dataset.events)


def _hour_counts(events) -> pd.DataFrame:
    t = events.mutate(_hour=events.timestamp.hour(), _weekday=events.timestamp.day_of_week.index())
    return engine.execute(t.group_by(["_weekday", "_hour"]).aggregate(
        events=t.count(), customers=t.customer_id.nunique())).rename(columns={"_weekday": "weekday", "_hour": "hour"})


def _by(events, column: str) -> pd.DataFrame:
    t = events.filter(events[column].notnull()).mutate(_hour=events.timestamp.hour())
    return engine.execute(t.group_by(["_hour", column]).aggregate(events=t.count())).rename(columns={"_hour": "hour"})


def _has(events, column) -> bool:
    return column in events.columns and len(engine.execute(
        events.filter(events[column].notnull()).select(column).limit(1))) > 0


def build_day_map(dataset, *, segment: str | None = None, persona: Persona | None = None,
                  title: str | None = None) -> JourneyMap:
    """A day in the life of the customers of `dataset` (the Dataset or a view of it), or of one `segment`."""
    events = segment_view(dataset, segment).events
    counts = _hour_counts(events)
    total = int(counts["events"].sum()) if len(counts) else 0
    if not total:
        raise InsufficientDataError("A day in the life needs events with timestamps; the data (or segment) has none.")
    n_customers = int(engine.execute(events.aggregate(n=events.customer_id.nunique()))["n"].iloc[0])
    jm = JourneyMap(
        template="day", title=title or ("A day in the life" + (f" · {segment}" if segment else "")),
        persona=persona or Persona(name=segment or "All customers", segment=segment, provenance="data",
                                   description=f"{format_count(n_customers, 'customer')}, {total:,} interactions; hours in UTC"),
        stages=[Stage(key=block_key(a), name=f"{a:02d}–{b:02d}", color=BLOCK_COLOR) for a, b in _blocks()],
        lanes=[Lane(key=k, name=name, kind=kind) for k, (name, kind) in DAY_LANES.items()],
    )
    heat = [[0] * 24 for _ in range(7)]
    for row in counts.itertuples(index=False):
        heat[int(row.weekday)][int(row.hour)] = int(row.events)
    jm.heat = heat
    extra = {c: _by(events, c) for c in ("channel", "device") if _has(events, c)}
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
                top = block.sort_values(ascending=False).head(2)
                cell("channels" if column == "channel" else "devices",
                     "\n".join(f"{name} ({format_percent(v / block.sum(), 0)})" for name, v in top.items()),
                     events=int(block.sum()), analysis=f"events by {column} and hour of day")
    return jm


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
