"""Times written as numbers, read in the engine as an upload reads them (cjm.data.timestamps): epoch seconds,
milliseconds or microseconds (GA4's BigQuery export: event_timestamp 1709283600000000), Excel serial days
(45292.5) and YYYYMMDD (20240301).

The style is the one most of a sample of the column fits (the upload's rule); a value outside that style's range,
or a YYYYMMDD that is no date (20240230), reads as no time, so its row is rejected as an unparseable timestamp.
Epoch numbers are UTC instants (timestamp('UTC')); Excel serials and YYYYMMDD are wall times (a naive timestamp,
read in the mapping's time zone like written dates). Interval arithmetic, so PostgreSQL and Spark run it too.
"""

from __future__ import annotations

import ibis
import numpy as np

from cjm.data import timestamps as ts

SAMPLE = 1000
_SCALE_US = {ts.EPOCH_SECONDS: 1_000_000, ts.EPOCH_MILLISECONDS: 1_000, ts.EPOCH_MICROSECONDS: 1}


def style_of(backend, value) -> str | None:
    """The numeric style of most of the first SAMPLE filled values of `value` (None: no style fits them)."""
    numbers = backend.execute(value.name("v").as_table().filter(ibis._.v.notnull()).limit(SAMPLE))["v"]
    return ts._numeric_style(numbers.to_numpy(dtype="float64", na_value=np.nan))


def as_time(value, style: str):
    """The time each number of `value` writes in `style`, null where it is out of range or no date."""
    low, high = ts._NUMERIC_RANGES[style]
    number = value.cast("float64")
    fits = (number >= low) & (number < high)
    number = ibis.ifelse(fits, number, 0.0)  # a cast of 1e25 to an integer fails the query: out of range reads as 0
    if style in _SCALE_US:
        micros = (number * _SCALE_US[style]).round().cast("int64")
        stamp = (ibis.timestamp("1970-01-01 00:00:00") + micros.as_interval("us")).cast("timestamp('UTC')")
        return ibis.ifelse(fits, stamp, ibis.null("timestamp('UTC')"))
    if style == ts.EXCEL:  # days since 1899-12-30, rounded to the millisecond (as an upload)
        millis = (number * 86_400_000).round().cast("int64")
        return ibis.ifelse(fits, ibis.timestamp("1899-12-30 00:00:00") + millis.as_interval("ms"), ibis.null("timestamp"))
    whole = number.cast("int64")
    year, month, day = whole // 10_000, whole // 100 % 100, whole % 100
    first = ibis.date(ibis.greatest(year, 1900), ibis.greatest(ibis.least(month, 12), 1), 1)
    date = first + (day - 1).as_interval("D")
    real = fits & (number == whole.cast("float64")) & month.between(1, 12) & day.between(1, 31) & (date.month() == month)
    return ibis.ifelse(real, date.cast("timestamp"), ibis.null("timestamp"))
