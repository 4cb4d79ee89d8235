"""Time zone abbreviations as exports write them: after a time ('2022/06/22 11:07:29 AM EST', Google Forms) or in a
column of their own (PayPal's 'TimeZone': PST, PDT; cjm.data.zones). One table for both, on upload and in place.

An abbreviation is read only when it names one UTC offset. OFFSETS lists those exports write; the test
tests/test_zone_abbreviations.py checks each against the IANA time zone database (tzdata, through zoneinfo): every
abbreviation it lists that the database writes has the database's offset there, and none that the database writes
with two offsets (CST, IST) is listed. The database alone is not the table: it writes no abbreviation for many zones
that people do abbreviate ('+03' for Riyadh, where people write AST, which is also Atlantic time), so an abbreviation
it does not know is not safe to read. dateutil has no table of its own (its tzinfos is the caller's), and
dateparser's reads IST as Israel and CST as US Central without a word. AMBIGUOUS names the zones an abbreviation
stands for in common use; CST beside CDT in one column is US Central (`hours_of`). An abbreviation neither table
knows, or an ambiguous one, is not read as UTC: its rows are rejected with `reason`, which names it and the fix. The
mapping's time zone reads the abbreviations it writes itself, first (`in_zone`: IST with Asia/Kolkata is +05:30, PST
with Asia/Manila +08:00, where the database writes PST for the Philippines' time too).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

# Hours east of UTC. Left out: IST (India, Ireland, Israel), AST (Atlantic, Arabia), and CST alone (US Central -6,
# China +8, Cuba -5); CST beside CDT is US Central.
OFFSETS = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2,
    "EET": 2, "EEST": 3, "MSK": 3, "EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AWST": 8, "ACST": 9.5,
    "ACDT": 10.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
}
AMBIGUOUS = {
    "CST": "US Central -06:00, China +08:00 or Cuba -05:00",
    "IST": "India +05:30, Ireland +01:00 or Israel +02:00",
    "AST": "Atlantic -04:00 or Arabia +03:00",
    "GST": "Gulf +04:00 or South Georgia -02:00",
    "SST": "Samoa -11:00 or Singapore +08:00",
    "BT": "Baghdad +03:00 or Bhutan +06:00",
}
# A word after a time that is no zone: the 12-hour clock's halves
_NOT_ZONES = {"AM", "PM"}
_ABBREVIATION = re.compile(r"[A-Z]{2,5}")


def is_abbreviation(word: str) -> bool:
    """Whether `word` as written after a time reads as a zone's abbreviation (2 to 5 capitals, not AM or PM)."""
    return bool(_ABBREVIATION.fullmatch(word)) and word not in _NOT_ZONES


def hours(abbreviation: str, *, central: bool = False) -> float | None:
    """Hours east of UTC of an abbreviation (any case, trimmed), None when it names no one offset. `central`: CDT is
    written in the same column, so CST is US Central."""
    zone = abbreviation.strip().upper()
    if zone in OFFSETS:
        return float(OFFSETS[zone])
    if zone == "CST" and central:
        return -6.0
    return None


def hours_of(abbreviations, timezone: str = "UTC") -> dict[str, float | None]:
    """Each distinct abbreviation as written (trimmed) -> its hours east of UTC, None when cjm cannot tell; CST is US
    Central when CDT is among them. The mapping's `timezone` reads the abbreviations it writes itself first (IST in
    Asia/Kolkata +5.5, CST in Asia/Shanghai +8, PST in Asia/Manila +8: `in_zone`)."""
    written = [str(z).strip() for z in abbreviations]
    central = any(z.upper() == "CDT" for z in written)
    own = {z: in_zone(z, timezone) for z in written}
    return {z: own[z] if own[z] is not None else hours(z, central=central) for z in written}


def offset_text(hours_east: float) -> str:
    """'+05:30', '-05:00': an offset ISO 8601 parsers and SQL casts read."""
    minutes = round(abs(hours_east) * 60)
    return f"{'-' if hours_east < 0 else '+'}{minutes // 60:02d}:{minutes % 60:02d}"


def in_zone(abbreviation: str, timezone: str) -> float | None:
    """The hours east of UTC the IANA zone `timezone` writes `abbreviation` with, in winter or summer of recent years
    (IST: Asia/Kolkata +5.5, Europe/Dublin +1, Asia/Jerusalem +2), None when it does not write it (or is UTC)."""
    if timezone == "UTC":
        return None
    try:
        zone = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    year = dt.date.today().year
    for moment in (dt.datetime(y, m, 15, 12, tzinfo=zone) for y in (year, year - 1) for m in (1, 7)):
        if moment.tzname() == abbreviation.upper():
            return moment.utcoffset().total_seconds() / 3600
    return None


def reason(abbreviation: str) -> str:
    """A rejected row's reason: the abbreviation, why it is not read, and the fix."""
    zone = abbreviation.upper()
    if zone in AMBIGUOUS:
        return (f"time zone {abbreviation!r} after the time names several zones ({AMBIGUOUS[zone]}): choose the one "
                "it means as the file's time zone in the mapping, or write the UTC offset (such as +05:30) in its place")
    return (f"time zone {abbreviation!r} after the time is none cjm knows: write the UTC offset (such as -03:00) in "
            "its place, or choose the zone it means as the file's time zone in the mapping if that zone writes it")
