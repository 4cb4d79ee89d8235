"""One vocabulary for numbers, labels and titles (DESIGN.md section 8), used by charts, tables, the report
and the app: every page shows a percentage, a duration or a missing value the same way.

- NO_VALUE "–" (en dash) wherever there is no value: no data, not enough data, not computable.
- format_percent(0.1234) "12.3%"; format_points(0.021) "+2.1 pts" (a change of a share).
- format_count(1234) "1,234"; format_money(1234.5) "1,234.50"; format_number(0.4213) "0.42";
  format_signed(0.42) "+0.42" (differences, z-scores, sentiment).
- format_duration(7529) "2 h 05 min" (the two largest units, the second zero-padded).
- Rounding is half away from zero (3.75 -> "3.8", 0.125 -> "0.13"), after the value is read to 12
  significant digits: DuckDB's parallel float sums differ in the last bits from run to run, and a mean of
  3.75 that arrives as 3.7499999999999996 must still read "3.8", the same on every run.
- format_value(value, unit): a value by its unit ("share", "count", "money", else a number).
- COLUMN_TITLES: the column titles of result tables, in practitioners' words (DOMAIN.md).

May import: nothing of cjm (a leaf: analyses that must return display text may import it).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

NO_VALUE = "–"
NEVER_BOUGHT = "Never bought"  # the RFM group beside the grid (cjm.customers.rfm), drawn grey by its chart

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
        return not math.isfinite(float(value))  # NaN, and infinities (a share of nothing) have no value to show
    except (TypeError, ValueError):
        return True


def _fixed(value, digits: int, *, sign: bool = False, grouping: bool = False) -> str:
    """`value` with `digits` decimals, rounded half away from zero after snapping to 12 significant digits
    (more when the shown digits need them, up to a float's 15); never "-0.0" (a value that rounds to zero
    has no sign, or "+" when `sign`)."""
    value = float(value)
    spec = ("+" if sign else "") + ("," if grouping else "") + f".{digits}f"
    scaled = abs(value) * 10.0 ** digits
    if abs(scaled - math.floor(scaled) - 0.5) > 1e-6 and scaled < 1e12:
        shown = format(value, spec)  # not near a half: the float's own rounding is the same, and 8x faster
        return shown if any(c in "123456789" for c in shown) else format(0.0, spec)
    whole = len(str(int(abs(value)))) if abs(value) >= 1 else 0
    significant = min(15, max(12, whole + digits + 1))
    context = Context(prec=whole + digits + 2)
    rounded = Decimal(f"{value:.{significant}g}").quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP,
                                                           context=context)
    if rounded.is_zero():
        rounded = abs(rounded)
    return format(rounded, spec)


def format_percent(value, digits: int = 1) -> str:
    """A share (0..1) as a percentage: 0.1234 -> "12.3%"; no value -> "–"."""
    return NO_VALUE if _missing(value) else _fixed(float(value) * 100, digits) + "%"


def format_points(change, digits: int = 1) -> str:
    """A change of a share in percentage points: 0.021 -> "+2.1 pts"; no value -> "–"."""
    return NO_VALUE if _missing(change) else _fixed(float(change) * 100, digits, sign=True) + " pts"


def format_count(value, noun: str | None = None) -> str:
    """A whole number with thousands separators: 1234 -> "1,234"; no value -> "–". With a noun, counted:
    (1, "customer") -> "1 customer", (1234, "customer") -> "1,234 customers"."""
    text = NO_VALUE if _missing(value) else _fixed(value, 0, grouping=True)
    if noun is None:
        return text
    return f"{text} {noun}" if not _missing(value) and float(value) == 1 else f"{text} {noun}s"


def format_money(value) -> str:
    """An amount with two decimals: 1234.5 -> "1,234.50"; no value -> "–"."""
    return NO_VALUE if _missing(value) else _fixed(value, 2, grouping=True)


def format_number(value, digits: int = 2) -> str:
    """Any other number: 0.4213 -> "0.42"; no value -> "–"."""
    return NO_VALUE if _missing(value) else _fixed(value, digits, grouping=True)


def format_signed(value, digits: int = 2) -> str:
    """A difference with its sign: 0.42 -> "+0.42"; no value -> "–"."""
    return NO_VALUE if _missing(value) else _fixed(value, digits, sign=True)


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

    Rounded to the nearest second (half up), then the second unit truncated (7529 s is "2 h 05 min"); a missing
    value (None, NaN) is shown as "–".
    """
    if _missing(seconds):
        return NO_VALUE
    value = float(seconds)
    total = int(_fixed(abs(value), 0))
    sign = "-" if value < 0 and total else ""
    for (unit, size), (minor_unit, minor_size) in zip(_UNITS, _UNITS[1:]):
        if total >= size:
            major, rest = divmod(total, size)
            return f"{sign}{major} {unit} {rest // minor_size:02d} {minor_unit}"
    return f"{sign}{total} s"
