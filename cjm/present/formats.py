"""One vocabulary for numbers, labels and titles (DESIGN.md section 8), used by charts, tables, the report
and the app: every page shows a percentage, a duration or a missing value the same way.

- NO_VALUE "–" (en dash) wherever there is no value: no data, not enough data, not computable.
- format_percent(0.1234) "12.3%"; format_points(0.021) "+2.1 pts" (a change of a share).
- format_count(1234) "1,234"; format_money(1234.5) "1,234.50"; format_number(0.4213) "0.42";
  format_signed(0.42) "+0.42" (differences, z-scores, sentiment).
- format_duration(7529) "2 h 05 min" (the two largest units, the second zero-padded).
- format_value(value, unit): a value by its unit ("share", "count", "money", else a number).
- COLUMN_TITLES: the column titles of result tables, in practitioners' words (DOMAIN.md).

May import: nothing of cjm (a leaf: analyses that must return display text may import it).
"""

from __future__ import annotations

import math

NO_VALUE = "–"

_UNITS = (("d", 86400), ("h", 3600), ("min", 60), ("s", 1))

COLUMN_TITLES = {
    "step": "Step",
    "stage": "Stage",
    "event": "Event",
    "customers": "Customers",
    "events": "Events",
    "share": "Share",
    "conversion": "Conversion",
    "conversion_from_previous": "From previous step",
    "conversion_from_first": "From first step",
    "median_seconds_from_previous": "Median time from previous",
    "mean_seconds_from_previous": "Mean time from previous",
    "dropped": "Dropped here",
    "abandonment_rate": "Abandonment",
    "revenue": "Revenue",
    "segment": "Segment",
    "size": "Customers",
    "value_mean": "Mean spend",
    "value_total": "Total spend",
    "sentiment": "Sentiment",
    "channel": "Channel",
    "device": "Device",
    "department": "Department",
}


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def format_percent(value, digits: int = 1) -> str:
    """A share (0..1) as a percentage: 0.1234 -> "12.3%"; no value -> "–"."""
    return NO_VALUE if _missing(value) else f"{float(value) * 100:.{digits}f}%"


def format_points(change, digits: int = 1) -> str:
    """A change of a share in percentage points: 0.021 -> "+2.1 pts"; no value -> "–"."""
    return NO_VALUE if _missing(change) else f"{float(change) * 100:+.{digits}f} pts"


def format_count(value) -> str:
    """A whole number with thousands separators: 1234 -> "1,234"; no value -> "–"."""
    return NO_VALUE if _missing(value) else f"{float(value):,.0f}"


def format_money(value) -> str:
    """An amount with two decimals: 1234.5 -> "1,234.50"; no value -> "–"."""
    return NO_VALUE if _missing(value) else f"{float(value):,.2f}"


def format_number(value, digits: int = 2) -> str:
    """Any other number: 0.4213 -> "0.42"; no value -> "–"."""
    return NO_VALUE if _missing(value) else f"{float(value):,.{digits}f}"


def format_signed(value, digits: int = 2) -> str:
    """A difference with its sign: 0.42 -> "+0.42"; no value -> "–"."""
    return NO_VALUE if _missing(value) else f"{float(value):+.{digits}f}"


def format_value(value, unit: str) -> str:
    """A value by its unit: "share" 12.3%, "count" 1,234, "money" 1,234.50, anything else 0.42."""
    if unit == "share":
        return format_percent(value)
    if unit == "count":
        return format_count(value)
    if unit == "money":
        return format_money(value)
    return format_number(value)


def format_duration(seconds) -> str:
    """Seconds as the two largest units, the second zero-padded: "45 s", "12 min 05 s", "2 h 05 min", "3 d 04 h".

    Rounded to the nearest second, then the second unit truncated (7529 s is "2 h 05 min"); a missing
    value (None, NaN) is shown as "–".
    """
    if _missing(seconds):
        return NO_VALUE
    value = float(seconds)
    total = int(round(abs(value)))
    sign = "-" if value < 0 and total else ""
    for (unit, size), (minor_unit, minor_size) in zip(_UNITS, _UNITS[1:]):
        if total >= size:
            major, rest = divmod(total, size)
            return f"{sign}{major} {unit} {rest // minor_size:02d} {minor_unit}"
    return f"{sign}{total} s"
