"""The time zone an export's own "Time Zone" column states for its dates.

Square's sales exports write each payment's wall time ("Date" 2024-03-01, "Time" 09:15:02) beside a "Time Zone" column
naming the seller's zone as Rails does ("Pacific Time (US & Canada)"); other exports name it the IANA way
("America/New_York"). Read as UTC, every event was off by the zone's offset (7-8 hours for Pacific time), and so were
its hour and, near midnight, its day. Rule: a column named for the time zone (`ZONE_NAMES`) whose filled cells all name
one zone, as an IANA name or one of Rails' names below, is the zone the file's wall times are read in (the mapping's
time zone, as a Qualtrics header's import ids set it). Abbreviations (PST, MEZ, CEST) name no zone unambiguously and
change with summer time: a column of them is left an attribute, and so is a column naming several zones.
"""

from __future__ import annotations

import zoneinfo

import pandas as pd

from cjm.data.columns import TIME_ZONE_COLUMNS, normalise

ZONE_NAMES = TIME_ZONE_COLUMNS

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


def stated_zone(frame: pd.DataFrame, taken: set[str]) -> tuple[str, str] | None:
    """(the column, its IANA zone) when a column named for the time zone, not mapped to anything else, names one zone
    in all its filled cells; None otherwise."""
    for column in frame.columns:
        if column in taken or normalise(column) not in ZONE_NAMES:
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
