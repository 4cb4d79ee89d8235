"""Numbers as people read them (DESIGN.md section 8): durations like "2 h 05 min"."""

from __future__ import annotations

import math

_UNITS = (("d", 86400), ("h", 3600), ("min", 60), ("s", 1))


def format_duration(seconds) -> str:
    """Seconds as the two largest units, the second zero-padded: "45 s", "12 min 05 s", "2 h 05 min", "3 d 04 h".

    Rounded to the nearest second, then the second unit truncated (7529 s is "2 h 05 min"); a missing
    value (None, NaN) is shown as "–".
    """
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(value):
        return "–"
    total = int(round(abs(value)))
    sign = "-" if value < 0 and total else ""
    for (unit, size), (minor_unit, minor_size) in zip(_UNITS, _UNITS[1:]):
        if total >= size:
            major, rest = divmod(total, size)
            return f"{sign}{major} {unit} {rest // minor_size:02d} {minor_unit}"
    return f"{sign}{total} s"
