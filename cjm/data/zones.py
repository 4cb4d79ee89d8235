"""Times written beside a column naming their time zone: every event lands at its true moment in UTC (DESIGN.md
section 3: times are UTC). Two rules, by what the column holds:

- One zone on every row, named as Rails does or the IANA way (Square's "Time Zone": "Pacific Time (US & Canada)",
  "America/New_York"): it is the zone the file's wall times are read in (`stated_zone`: the mapping's time zone, as a
  Qualtrics header's import ids set it), summer time included.
- Abbreviations or offsets that say each row's own offset (PayPal's 'TimeZone' / 'Zeitzone': PST and PDT, CET and
  CEST): each row's wall time is moved by its own offset (`zone_column`), below.

The column is found by its name (ZONE_COLUMNS, normalised) when it is not mapped to anything else and at least
90% of its filled cells name a zone cjm knows: an abbreviation with one UTC offset (OFFSETS; CST only beside CDT,
as US Central: cjm.data.zone_abbreviations, the table times written with their abbreviation are read by too), or an
offset written out ('+01:00', 'UTC-5', 'GMT+0530'). The timestamps must not carry offsets of their own. A row whose zone is empty (or 'NA', 'N/A': cjm.data.cells.MISSING_TOKENS) or unknown keeps the file's
zone (UTC unless the mapping says otherwise), and the note counts it. Dates without times (no column of times of day,
and every value at midnight as written: cjm.data.timestamps.ParsedTimestamps.time_of_day 0) are not moved: a date names a day, not a moment, and
moved to UTC a date east of UTC would fall on the day before (1 March CET: 29 February 23:00 UTC); `dates_note`
says so. Data read in place (cjm.data.source) follows the same rule in the engine. Each moved row keeps its clock, the
offset it was written in, beside its UTC time (cjm.data.schema.CLOCK, `clock_offsets`): the day map's hours are on it.
"""

from __future__ import annotations

import re
import zoneinfo

import numpy as np
import pandas as pd

from cjm.data.cells import missing_tokens
from cjm.data.io.table import shortened
from cjm.data.columns import TIME_ZONE_COLUMNS as ZONE_COLUMNS, normalise
from cjm.data.zone_abbreviations import OFFSETS, hours as abbreviation_hours  # noqa: F401 (OFFSETS public here)

_WRITTEN = re.compile(r"(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
_OWN_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"
SHARE = 0.9
SHOWN = 6  # zones named in the note


def _hours(zone: str, central: bool) -> float | None:
    zone = zone.strip().upper()
    named = abbreviation_hours(zone, central=central)  # one table with the times' own abbreviations
    if named is not None:
        return named
    written = _WRITTEN.fullmatch(zone)
    if written:
        sign, hours, minutes = written.groups()
        value = int(hours) + int(minutes or 0) / 60
        return (-value if sign == "-" else value) if value <= 14 else None
    return None


def zone_column(frame: pd.DataFrame, written: pd.Series, taken: set[str]) -> tuple[str, pd.Series] | None:
    """(the zone column, each row's hours east of UTC: NaN where empty or unknown), or None when the file has no
    such column or its times carry their own offsets."""
    if not written.notna().any() or has_own_offsets(written):
        return None
    for column in frame.columns:
        if column in taken or not is_zone_column(column):
            continue
        cells = frame[column].astype("string").str.strip()
        filled = cells.dropna()
        filled = filled[~missing_tokens(filled)]  # '', 'NA', 'N/A', 'null': no zone, as an empty cell
        if not len(filled):
            continue
        hours = hours_of(filled.unique())
        if filled.map(hours).notna().mean() >= SHARE:
            return column, cells.map(hours).astype("float64")
    return None


def unread_note(frame: pd.DataFrame, written: pd.Series, taken: set[str], timestamp: str, zone: str) -> str | None:
    """The Data page's sentence when a zone column names zones cjm reads on some rows but too few (under SHARE) to
    be read: no time is moved (a column of zones cjm reads on no row, such as CST alone, says nothing)."""
    columns = [c for c in frame.columns if c not in taken and is_zone_column(c)]
    if not columns or not written.notna().any() or has_own_offsets(written):
        return None
    for column in columns:
        filled = frame[column].astype("string").str.strip().dropna()
        filled = filled[~missing_tokens(filled)]
        hours = filled.map(hours_of(filled.unique()))
        if len(filled) and hours.notna().any():
            unknown = filled[hours.isna()]
            return unread_sentence(column, pd.unique(unknown), len(unknown), len(filled), timestamp, zone)
    return None


def unread_sentence(column: str, unknown, n_unknown: int, n_filled: int, timestamp: str, zone: str) -> str:
    shown = ", ".join(repr(shortened(str(v))) for v in sorted(unknown)[:SHOWN])  # a cell may be 200,000 characters
    return (f"{column!r} names a time zone on each row, but {n_unknown:,} of its {n_filled:,} zones are none cjm "
            f"knows ({shown}): too many to read the column (cjm reads it when {SHARE:.0%} are known), so no time is "
            f"moved and the times in {timestamp!r} are read as written, in {zone}.")


def is_zone_column(name: str) -> bool:
    return normalise(name) in ZONE_COLUMNS


def hours_of(zones) -> dict[str, float | None]:
    """Each distinct zone as written (trimmed) -> its hours east of UTC, None when cjm cannot tell."""
    zones = [str(z).strip() for z in zones]
    central = any(z.upper() == "CDT" for z in zones)
    return {zone: _hours(zone, central) for zone in zones}


def has_own_offsets(times: pd.Series) -> bool:
    """True when more than 5% of these written times end in an offset of their own (Z, +01:00)."""
    times = times.dropna().astype("string").str.strip().head(300)
    return bool(len(times)) and times.str.contains(_OWN_OFFSET, regex=True).mean() > 0.05


def to_utc(values: pd.Series, hours: pd.Series) -> pd.Series:
    """UTC times read as wall times in UTC, moved to the moment they are in their zone (NaN hours: unmoved)."""
    shift = pd.to_timedelta(np.round(hours.fillna(0.0).to_numpy() * 3600), unit="s")
    return values - shift


def clock_offsets(hours: pd.Series) -> pd.Series | None:
    """Each row's clock (cjm.data.schema.CLOCK: seconds east of UTC, Int32) from its hours east of UTC (`zone_column`;
    <NA> where the row names no zone cjm knows: its time is read in UTC), or None when every one is UTC's."""
    seconds = np.round(hours * 3600)
    return seconds.astype("Int32") if (seconds.fillna(0) != 0).any() else None


def dates_note(column: str, timestamp: str) -> str:
    """The Data page's sentence when a zone column stands beside dates without times (they are not moved)."""
    return (f"{column!r} names a time zone on each row, but {timestamp!r} holds dates without times: each event "
            "stays on its own date (a date names a day, not a moment to move to UTC).")


def note(column: str, hours: pd.Series, frame_zones: pd.Series, timestamp: str, unmoved: int, zone: str) -> str:
    """The Data page's sentence: which zones were read, and how many rows kept the file's zone."""
    named = sorted(pd.unique(frame_zones[hours.notna()].str.strip()))
    shown = ", ".join(named[:SHOWN]) + (f" and {len(named) - SHOWN:,} more" if len(named) > SHOWN else "")
    text = (f"The times in {timestamp!r} are read in the time zone {column!r} names on each row ({shown}) and "
            "moved to UTC.")
    if unmoved:
        rows = f"{unmoved:,} row names no zone cjm knows and is" if unmoved == 1 else \
            f"{unmoved:,} rows name no zone cjm knows and are"
        text += f" {rows} read in {zone}."
    return text


# Rails' (ActiveSupport::TimeZone) names, as Square writes them, for the zones it sells in.
RAILS = {
    "hawaii": "Pacific/Honolulu", "alaska": "America/Juneau", "pacific time (us & canada)": "America/Los_Angeles",
    "arizona": "America/Phoenix", "mountain time (us & canada)": "America/Denver",
    "central time (us & canada)": "America/Chicago", "eastern time (us & canada)": "America/New_York",
    "indiana (east)": "America/Indiana/Indianapolis", "atlantic time (canada)": "America/Halifax",
    "newfoundland": "America/St_Johns", "saskatchewan": "America/Regina", "puerto rico": "America/Puerto_Rico",
    "london": "Europe/London", "edinburgh": "Europe/London", "dublin": "Europe/Dublin", "paris": "Europe/Paris",
    "madrid": "Europe/Madrid", "berlin": "Europe/Berlin", "amsterdam": "Europe/Amsterdam", "rome": "Europe/Rome",
    "tokyo": "Asia/Tokyo", "osaka": "Asia/Tokyo", "sydney": "Australia/Sydney", "melbourne": "Australia/Melbourne",
    "brisbane": "Australia/Brisbane", "adelaide": "Australia/Adelaide", "perth": "Australia/Perth",
    "canberra": "Australia/Canberra", "hobart": "Australia/Hobart", "darwin": "Australia/Darwin",
    "auckland": "Pacific/Auckland", "utc": "UTC",
}


# Columns placing a person on the map (Mailchimp's audience export: LATITUDE, LONGITUDE, GMTOFF, DSTOFF, beside its
# TIMEZONE "America/Los_Angeles", all guessed from where each contact opened an e-mail).
LOCATION_COLUMNS = frozenset({"latitude", "longitude", "lat", "lng", "lon", "gmtoff", "dstoff"})


def where_people_are(columns) -> bool:
    """Whether the file's zone column sits among columns placing each person (a latitude, a longitude, a GMT offset):
    it says where the person is, not the zone the export writes its times in (Mailchimp writes them in UTC)."""
    return any(normalise(str(c)) in LOCATION_COLUMNS for c in columns)


def stated_zone(frame: pd.DataFrame, taken: set[str]) -> tuple[str, str] | None:
    """(the column, its IANA zone) when a column named for the time zone, not mapped to anything else, names one zone
    in all its filled cells; None otherwise, and when it sits among columns placing each person (`where_people_are`)."""
    if where_people_are(frame.columns):
        return None
    for column in frame.columns:
        if column in taken or normalise(column) not in ZONE_COLUMNS:
            continue
        values = frame[column].dropna().astype("string").str.strip()
        values = values[values != ""]
        distinct = values.unique()
        if len(distinct) != 1:
            continue
        zone = _iana(str(distinct[0]))
        if zone is not None:
            return str(column), zone
    return None


def _iana(name: str) -> str | None:
    rails = RAILS.get(name.lower())
    if rails is not None:
        return rails
    if "/" in name:  # an IANA name as written ("America/New_York"); abbreviations are not read
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None
        return name
    return None
