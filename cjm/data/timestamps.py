"""Read a column of timestamps, in whatever style an export wrote them, as UTC.

The style is detected on an evenly spread sample of the column; the whole column is then parsed with
one explicit vectorised method (pandas' ISO 8601 parser, Arrow's strptime, numpy arithmetic), never value
by value, so a million values take a fraction of a second. Solar Hijri dates are converted once per
distinct date. Day/month order is decided from the whole column whenever any value settles it.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field

import jdatetime
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cjm.data import wall_times, zone_abbreviations
from cjm.data.date_names import names_a_date
from cjm.errors import ParameterError, TimestampError

ISO = "ISO 8601"
ISO_OFFSET = "ISO 8601 with UTC offset"
EPOCH_SECONDS = "epoch seconds"
EPOCH_MILLISECONDS = "epoch milliseconds"
EPOCH_MICROSECONDS = "epoch microseconds"  # GA4's BigQuery export: event_timestamp 1704103260123456
YYYYMMDD = "YYYYMMDD"
DAY_FIRST = "day-first (DD/MM/YYYY)"
MONTH_FIRST = "month-first (MM/DD/YYYY)"
EXCEL = "Excel serial date"
JALALI = "Solar Hijri (Jalali)"
DATETIME = "already datetime"
WRITTEN = "written dates (31-Jul-18, Jul 31, 2018, 31 de julho de 2018, ۳۱ ژوئیه ۱۳۹۷)"

STYLES: tuple[str, ...] = (ISO, ISO_OFFSET, EPOCH_SECONDS, EPOCH_MILLISECONDS, YYYYMMDD, DAY_FIRST,
                           MONTH_FIRST, EXCEL, JALALI, DATETIME, WRITTEN, EPOCH_MICROSECONDS)

SAMPLE_SIZE = 1000
_NUMERIC_STYLES = (EPOCH_SECONDS, EPOCH_MILLISECONDS, YYYYMMDD, EXCEL, EPOCH_MICROSECONDS)
_SUPPORTED = ("ISO 8601 (2024-03-01 10:00:00, with or without a UTC offset such as -0800 or Z), "
              "day-first or month-first dates (26/02/2018, 03/15/2024 2:30 PM), YYYYMMDD (19970101), "
              "epoch seconds, milliseconds or microseconds, Excel serial dates (45292.5), Solar Hijri dates "
              "(1402/10/25) and dates written with month names in English, Portuguese, Spanish, Russian, "
              "Arabic or Persian (31-Jul-18, Jul 31, 2018, 31 de julho de 2018)")

_EXCEL_EPOCH = np.datetime64("1899-12-30", "us")
_US_PER_DAY = 86_400_000_000
_NAT = np.datetime64("NaT", "us")

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

_LOCAL_DIGIT_RE = re.compile(f"[{_PERSIAN_DIGITS}{_ARABIC_DIGITS}]")
_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?)?"
_ZONE = r"\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)"
_YEAR_FIRST_RE = re.compile(rf"^(\d{{4}})([-/.])\d{{1,2}}\2\d{{1,2}}{_TIME}(?P<zone>{_ZONE})?$", re.I)
_DAY_MONTH_RE = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})"
                           r"(?:([ T])(\d{1,2}):(\d{2})(:\d{2})?(\s?)([AaPp][Mm])?)?$")
_ARROW_NAIVE_RE = re.compile(r"^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?)?$")
_ARROW_OFFSET_RE = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?"
                             r"(?:Z|[+-]\d\d(?::?\d\d)?)$")
_NUMBER_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_JALALI_ARROW = (r"^(?P<y>1[34]\d\d)[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})"
                 r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$")
_OFFSET_AT_END = r"(?i)(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"

_TIME_FORMATS = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", " %I:%M%p", " %I:%M:%S%p",
                 "T%H:%M", "T%H:%M:%S")


@dataclass(frozen=True, eq=False)
class ParsedTimestamps:
    """A parsed timestamp column and how it was read."""

    values: pd.Series  # datetime64[us, UTC], same index as the input, NaT where empty or unparsed
    style: str  # one of STYLES
    day_first: bool | None  # day/month order used; None when the style has no such choice
    ambiguous: bool  # the data fits both day-first and month-first: `day_first` is an assumption
    unparsed: pd.Series  # True for non-empty values that did not parse
    # The one time of day (milliseconds after midnight) at which every value is written, when the column holds two
    # values or more, all at that time of day to the microsecond as written (the wall clock before any conversion to
    # UTC): a column of dates without times (2024-03-04, 19970101, 2024-07-01T00:00+02:00), at midnight whatever
    # time zone or summer time they are read in. None when the values have times of day (one value cannot tell).
    time_of_day: int | None = None
    # The zone abbreviation written after each value whose zone cjm does not read (ambiguous, such as IST, or unknown:
    # cjm.data.zone_abbreviations): those values are unparsed, never read as UTC. None when there is none.
    unread_zones: pd.Series | None = None
    # Seconds east of UTC each value's zone abbreviation names, when dates of day and month are written with one
    # ('22/06/2022 11:07:29 AM EST': -18000; Int32, <NA> for values written without): the clock they were written on
    # (clock_offsets). None otherwise.
    written_offsets: pd.Series | None = None
    # Written dates (WRITTEN, dateparser's reading): each value's time as written (datetime64[us], NaT where it did not
    # parse), before any move to UTC: on the clock of the offset written after it ('03/15/2024 2:30 PM -05:00': 14:30),
    # else of the time zone it was read in. None for the other styles (their wall clock is read again: _wall_clock).
    wall_clock: np.ndarray | None = field(default=None, repr=False)

    @property
    def description(self) -> str:
        """The style in a sentence, saying when the day/month order was assumed rather than read."""
        if not self.ambiguous:
            return self.style
        other = "month-first" if self.day_first else "day-first"
        return f"{self.style}, assumed: every date in the column also reads {other}"


def parse_timestamps(values: pd.Series, *, day_first: bool | None = None, style: str | None = None,
                     timezone: str = "UTC") -> ParsedTimestamps:
    """Parse a column of timestamps in any supported style into UTC.

    `style` forces one of STYLES instead of detecting it. `day_first` is the order used when the data
    cannot decide it (month-first when not given). Naive wall times are read in `timezone`.
    Raises TimestampError when no value parses.
    """
    _check_parameters(day_first, style, timezone)
    values = pd.Series(values) if not isinstance(values, pd.Series) else values
    unread = None  # the zone abbreviation of each value whose zone is not read (cjm.data.zone_abbreviations)
    wall = None  # written dates: each one's time as written (ParsedTimestamps.wall_clock)
    offsets = None  # seconds east of UTC of dates of day and month written with a zone's abbreviation, else None
    abbreviated = None  # the text with each zone's abbreviation written as its offset, when one was
    name = str(values.name) if values.name is not None else "timestamp"
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(values.dtype.categories.dtype if values.dtype.categories.size else object)
    wall_values = values  # the values as written, their zones' abbreviations as offsets

    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        parsed, found_style, order, ambiguous = _from_datetimes(values, timezone), DATETIME, None, False
        nonempty = values.notna().to_numpy()
    elif values.dtype == object and _mostly_datetime_objects(values):
        parsed, nonempty = _from_datetime_objects(values, day_first=day_first, timezone=timezone)
        found_style, order, ambiguous = DATETIME, None, False
    elif style == DATETIME:
        raise TimestampError(f'The column "{name}" holds {_describe_dtype(values)}, not datetimes. '
                             "Choose the date style that matches its values, or let cjm detect it.")
    elif _is_number_column(values):
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        nonempty = values.notna().to_numpy()
        found_style = style or _numeric_style(numbers[_sample_positions(nonempty)])
        if found_style not in _NUMERIC_STYLES:
            _raise_nothing_parsed(name, values[nonempty], style)
        parsed, order, ambiguous = _localise(*_from_numbers(numbers, found_style), timezone), None, False
    else:
        text = _as_text(values)
        nonempty = text.is_valid().to_numpy(zero_copy_only=False)
        positions = pa.array(_sample_positions(nonempty))
        sample = text.take(positions)
        if any(_LOCAL_DIGIT_RE.search(value) for value in sample.to_pylist()):
            text, sample = _ascii_digits(text), _ascii_digits(sample)
        if any(_ABBREVIATED_RE.match(value) for value in sample.to_pylist()):  # '11:07:29 AM EST'
            zoned, unread = _abbreviations_as_offsets(text, timezone)
            # ' UTC' or ' GMT' alone is read as written (READ_ALREADY): the text is the same, and a column of written
            # dates with offsets ('03/15/2024 2:30 PM -05:00') beside one '03/16/2024 10:00 AM UTC' stays one, read
            # as in place (cjm.data.day_month_times.written_as_iso), not by `_day_month_offsets`, which read no UTC
            if zoned is not text or unread is not None:
                text = zoned
                if unread is not None and not pc.any(text.is_valid()).as_py():
                    raise TimestampError(_unread_message(name, unread))
                sample = pc.drop_null(text.take(positions))
                wall_values = pd.Series(text.to_pandas(), index=values.index, dtype="string")
                abbreviated = text
                text, sample, offsets = _day_month_offsets(text, sample)
        if any(_NAMED_OFFSET_RE.search(value) for value in sample.to_pylist()):
            text, sample = _named_offsets(text), _named_offsets(sample)
        if any(_YEAR_FIRST_MERIDIEM_RE.match(value) for value in sample.to_pylist()):
            text, sample = _meridiem_as_24h(text), _meridiem_as_24h(sample)
        detected = _detect_text_style(sample.to_pylist())
        if style == WRITTEN or (style is None and detected.style is None):
            written = _from_ctime(text, sample, timezone=timezone)
            written_first, written_open = written_reading(sample.to_pylist(), day_first)
            if written is None:
                written, unread_written, wall = _from_written(text, sample, day_first=written_first,
                                                              timezone=timezone)
                # the abbreviations cjm cannot tell are kept when dateparser finds none of its own
                unread = unread if unread_written is None else unread_written if unread is None else \
                    pc.coalesce(unread, unread_written)
            if written is None:
                if unread is not None:
                    raise TimestampError(_unread_message(name, unread))
                _raise_nothing_parsed(name, values[nonempty], None)
            parsed, found_style, order, ambiguous = written, WRITTEN, None, False
            if wall is not None:  # dateparser's, in the order of the day-month rule (written_reading)
                order, ambiguous = written_first, written_open
        else:
            parsed, found_style, order, ambiguous = _from_text(text, style=style, detected=detected,
                                                               day_first=day_first, timezone=timezone)
            if offsets is not None:  # each written with its zone: the time as written less its offset
                as_written = parsed if timezone == "UTC" else _from_text(text, style=style, detected=detected,
                                                                         day_first=day_first, timezone="UTC")[0]
                has = ~np.isnan(offsets)
                moved = as_written - (np.nan_to_num(offsets) * 1_000_000).astype("timedelta64[us]")
                parsed = np.where(has, moved, parsed)

    if nonempty.any() and np.isnat(parsed).all():
        if unread is not None and pc.any(unread.is_valid()).as_py():
            raise TimestampError(_unread_message(name, unread))
        _raise_nothing_parsed(name, values[nonempty], style)
    if not nonempty.any():
        raise TimestampError(f'The timestamp column "{name}" is empty: every value is blank. '
                             "Map a column that holds the date and time of each interaction.")
    result = pd.Series(pd.DatetimeIndex(parsed).tz_localize("UTC"), index=values.index, name=values.name)
    unparsed = pd.Series(nonempty & np.isnat(parsed), index=values.index, name=values.name)
    zones = None
    if unread is not None and pc.any(unread.is_valid()).as_py():
        zones = pd.Series(unread.to_pandas(), index=values.index, name=values.name, dtype="string")
    written_offsets = None
    if offsets is not None and found_style in (DAY_FIRST, MONTH_FIRST):
        written_offsets = pd.Series(offsets, index=values.index).round().astype("Int32")
    elif abbreviated is not None and found_style == ISO_OFFSET:
        # ISO dates with an abbreviation (Recurly's '2012-01-19 11:16:41 PST'): each on its zone's clock too, as the
        # same times written '-08:00' are (clock_offsets reads those from the text; the abbreviation is no offset there)
        written_offsets = _trailing_offsets(abbreviated, values.index)
    return ParsedTimestamps(result.astype("datetime64[us, UTC]"), found_style, order, ambiguous, unparsed,
                            _one_time_of_day(wall_values, parsed, found_style, order, timezone, wall=wall), zones,
                            written_offsets=written_offsets, wall_clock=wall)


# a date of day and month with its time, then an offset as `_abbreviations_as_offsets` writes it ('... AM -05:00')
_DAY_MONTH_OFFSET = r"^(\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}[ T].*\d(?:\s*[AaPp]\.?[Mm]\.?)?)\s+([+-])(\d{2}):(\d{2})$"
_DAY_MONTH_UTC = _DAY_MONTH_OFFSET.replace(r"\s+([+-])(\d{2}):(\d{2})$", r"\s+(?:UTC|GMT)$", 1)  # UTC's name
_DAY_MONTH_OFFSET_NAMED = _DAY_MONTH_OFFSET.replace("^(", "^(?P<wall>", 1).replace(
    r"\s+([+-])(\d{2}):(\d{2})$", r"\s+(?P<sign>[+-])(?P<h>\d{2}):(?P<m>\d{2})$", 1)


_TRAILING_OFFSET = r"\s(?P<sign>[+-])(?P<h>\d{2}):(?P<m>\d{2})$"


def _trailing_offsets(text: pa.Array, index: pd.Index) -> pd.Series:
    """Seconds east of UTC of the offset ' -08:00' that `_abbreviations_as_offsets` wrote at the end of each value (Int32,
    <NA> where none is written)."""
    parts = pc.extract_regex(text, _TRAILING_OFFSET)
    found = parts.is_valid().to_numpy(zero_copy_only=False)
    hours = pc.cast(pc.struct_field(parts, "h"), pa.float64()).to_numpy(zero_copy_only=False)
    minutes = pc.cast(pc.struct_field(parts, "m"), pa.float64()).to_numpy(zero_copy_only=False)
    sign = np.where(pc.equal(pc.struct_field(parts, "sign"), "-").to_numpy(zero_copy_only=False), -1.0, 1.0)
    seconds = np.where(found, sign * (hours * 3600 + minutes * 60), np.nan)
    return pd.Series(seconds, index=index).round().astype("Int32")


def _day_month_offsets(text: pa.Array, sample: pa.Array) -> tuple[pa.Array, pa.Array, np.ndarray | None]:
    """(text, sample, seconds east of UTC) of dates of day and month whose zone abbreviation `_abbreviations_as_offsets`
    wrote as an offset ('22/06/2022 11:07:29 AM -05:00', '22.06.2022 11:07 +02:00'): the times as written without
    it, read by the day-month rule as any such column (the order from the whole column, not value by value), and
    each value's offset (NaN where none); one written with ' UTC' or ' GMT' ('03/16/2024 10:00 AM UTC') at +00:00, as
    written (it was read by no layout: an unparseable timestamp). The arguments unchanged, and None, for other text."""
    if not any(re.match(_DAY_MONTH_OFFSET, v) for v in sample.to_pylist()):
        return text, sample, None
    given = text, sample
    text, sample = (pc.replace_substring_regex(a, _DAY_MONTH_UTC, r"\1 +00:00") for a in given)
    parts = pc.extract_regex(text, _DAY_MONTH_OFFSET_NAMED)
    found = parts.is_valid()
    wall = pc.if_else(found, pc.struct_field(parts, "wall"), text)
    if _detect_text_style(pc.drop_null(pc.if_else(pc.match_substring_regex(sample, _DAY_MONTH_OFFSET),
                                                  pc.replace_substring_regex(sample, r"\s+[+-]\d{2}:\d{2}$", ""),
                                                  sample)).to_pylist()).style != _DAY_MONTH:
        return *given, None
    hours = pc.cast(pc.struct_field(parts, "h"), pa.float64()).to_numpy(zero_copy_only=False)
    minutes = pc.cast(pc.struct_field(parts, "m"), pa.float64()).to_numpy(zero_copy_only=False)
    sign = np.where(pc.equal(pc.struct_field(parts, "sign"), "-").to_numpy(zero_copy_only=False), -1.0, 1.0)
    seconds = np.where(found.to_numpy(zero_copy_only=False), sign * (hours * 3600 + minutes * 60), np.nan)
    stripped = pc.replace_substring_regex(sample, r"\s+[+-]\d{2}:\d{2}$", "")
    return wall.cast(text.type), pc.drop_null(stripped), seconds


# More different times of day in UTC than this, and the values cannot all be written at one time of day: the world's
# UTC offsets, summer times included, are fewer (a date column written with each customer's offset has one UTC time
# of day per offset).
_OFFSETS = 64


def _one_time_of_day(values: pd.Series, parsed: np.ndarray, style: str, order: bool | None,
                     timezone: str, *, wall: np.ndarray | None = None) -> int | None:
    """ParsedTimestamps.time_of_day: the values' one time of day as written (milliseconds), or None. Values with times
    are told at once from their many times of day in UTC; only values at a few of them are read as written."""
    valid = ~np.isnat(parsed)
    if valid.sum() < 2:
        return None
    utc = parsed[valid].astype(np.int64) % _US_PER_DAY
    spread = utc[np.linspace(0, len(utc) - 1, min(len(utc), SAMPLE_SIZE)).astype(np.int64)]
    if len(np.unique(spread)) > _OFFSETS or len(np.unique(utc)) > _OFFSETS:
        return None
    wall = (_wall_clock(values, parsed, style, order, timezone) if wall is None else wall)[valid]
    if np.isnat(wall).any():  # pragma: no cover - read once already
        return None
    micros = wall.astype("datetime64[us]").astype(np.int64) % _US_PER_DAY
    return int(micros[0]) // 1000 if (micros == micros[0]).all() else None


_WRITTEN_OFFSET = r"\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$"  # a UTC offset at the end of an ISO date and time


def _wall_clock(values: pd.Series, parsed: np.ndarray, style: str, order: bool | None, timezone: str) -> np.ndarray:
    """The values' times as written (datetime64[us]), before the conversion to UTC that `parsed` holds: the wall clock
    of each one's own UTC offset, or of `timezone` for those written without one. So dates without times read in a
    zone with summer time (00:00 in Berlin: 23:00 UTC in winter, 22:00 in summer), or written at midnight with the
    offset of the day (2024-01-05T00:00+01:00, 2024-07-05T00:00+02:00), are all at midnight. Epoch numbers are UTC
    instants: their wall clock is UTC's."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        stamps = pd.DatetimeIndex(values)
        return (stamps.tz_localize(None) if stamps.tz is not None else stamps).as_unit("us").to_numpy()
    if style in (EPOCH_SECONDS, EPOCH_MILLISECONDS, EPOCH_MICROSECONDS) or (timezone == "UTC" and style != ISO_OFFSET):
        return parsed
    if style in (ISO, ISO_OFFSET, JALALI, DAY_FIRST, MONTH_FIRST, YYYYMMDD, EXCEL) and not (
            values.dtype == object and _mostly_datetime_objects(values)):
        if _is_number_column(values):
            numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            return _from_numbers(numbers, style)[0]
        text = _as_text(values)
        positions = pa.array(_sample_positions(text.is_valid().to_numpy(zero_copy_only=False)))
        if any(_LOCAL_DIGIT_RE.search(value) for value in text.take(positions).to_pylist()):
            text = _ascii_digits(text)
        if style == ISO_OFFSET:  # the time as written, without its offset (a date alone, 10 characters, has none)
            names = _detect_text_style(text.take(positions).to_pylist()).zone_names
            text = _zone_names_as_offsets(text, names) if names else text
            text = pc.if_else(pc.greater(pc.utf8_length(text), 10),
                              pc.replace_substring_regex(text, _WRITTEN_OFFSET, ""), text)
            style = ISO
        detected = _detect_text_style(text.take(positions).to_pylist())
        try:
            return _from_text(text, style=style, detected=detected, day_first=order, timezone="UTC")[0]
        except (ValueError, TimestampError, pa.ArrowInvalid):  # pragma: no cover - parsed once already
            pass
    # datetime objects, written dates: back from UTC to the wall clock of `timezone`
    return pd.DatetimeIndex(parsed).tz_localize("UTC").tz_convert(timezone).tz_localize(None).as_unit("us").to_numpy()


_EPOCHS = (EPOCH_SECONDS, EPOCH_MILLISECONDS, EPOCH_MICROSECONDS)
# A time written with an offset other than UTC's ('09:00:00-05:00', '09:00+0530', '09:00 GMT+3'; not 'Z', '+00:00',
# ' UTC'), at the end of the value: RE2 (Arrow, DuckDB) and Python read it alike.
NON_UTC_OFFSET = (r"(?i)\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:(?:UTC|GMT)\s*)?[+-]"
                  r"(?:0?[1-9]|1\d|2[0-4]|00:?(?:0[1-9]|[1-5]\d))(?::?\d\d)?$")


def clock_offsets(values: pd.Series, parsed: ParsedTimestamps, timezone: str = "UTC") -> pd.Series | None:
    """Seconds east of UTC of the clock each of `values` was written on (Int32; <NA> where it did not parse), as
    `parsed` (parse_timestamps(values, timezone=timezone)) read them: a time written with its own offset
    ('2024-01-01T09:00:00-05:00': -18000) on that offset's clock, one written without in `timezone` on that zone's
    clock of its day (summer time included), and epoch numbers, UTC instants, on `timezone`'s clock too. None when
    every value is on UTC's clock as read (no offset written, `timezone` UTC): nothing to add."""
    utc = pd.DatetimeIndex(parsed.values).tz_localize(None).as_unit("us")
    if parsed.written_offsets is not None:  # dates of day and month with zone abbreviations: each on its zone's clock
        local = pd.DatetimeIndex(parsed.values).tz_convert(timezone).tz_localize(None).as_unit("us")
        seconds = pd.Series((local - utc).total_seconds(), index=values.index).round()
        written = parsed.written_offsets.astype("Float64")
        seconds = written.where(written.notna(), seconds).where(parsed.values.notna().to_numpy())
        if not (seconds.fillna(0) != 0).any():
            return None
        return seconds.round().astype("Int32")
    if parsed.style == WRITTEN and parsed.wall_clock is not None:  # '03/15/2024 2:30 PM -05:00': 14:30 as written
        wall = pd.DatetimeIndex(parsed.wall_clock).as_unit("us")
    elif parsed.style in _EPOCHS or (parsed.style == WRITTEN and timezone != "UTC"):
        if timezone == "UTC":
            return None
        wall = pd.DatetimeIndex(parsed.values).tz_convert(timezone).tz_localize(None).as_unit("us")
    elif timezone == "UTC" and parsed.style not in (ISO_OFFSET, DATETIME):
        return None
    elif timezone == "UTC" and parsed.style == ISO_OFFSET and not pc.any(
            pc.match_substring_regex(_as_text(values), NON_UTC_OFFSET)).as_py():
        return None  # every offset is UTC's ('2019-10-01 00:00:00 UTC', 'Z'): no second reading of the times
    else:
        wall = pd.DatetimeIndex(_wall_clock(values, utc.to_numpy(), parsed.style, parsed.day_first, timezone))
    seconds = pd.Series((wall - utc).total_seconds(), index=values.index).round()
    if timezone != "UTC":  # a time in the hour summer time skips, moved to the gap's end: on the zone's clock there
        moved = wall_times.moved_to_gap_end(wall, utc, timezone)
        if moved.any():
            at = utc[moved]
            seconds[moved] = (at.tz_localize("UTC").tz_convert(timezone).tz_localize(None) - at).total_seconds()
    if not (seconds.fillna(0) != 0).any():
        return None
    return seconds.astype("Int32")


# dateparser returns a value written with a zone or an offset with that zone (its own reading of an abbreviation is
# checked against cjm's: `_written_offsets`), a value without one without a zone
_WRITTEN_SETTINGS = {"PARSERS": ["custom-formats", "absolute-time"], "REQUIRE_PARTS": ["day", "month", "year"],
                     "PREFER_DAY_OF_MONTH": "first"}
_WRITTEN_LANGUAGES = ["en", "pt", "es", "ru", "ar", "fa", "fr", "de", "it", "tr"]
_WRITTEN_MAX_DISTINCT = 20_000


def _parse_written(value: str, day_first: bool | None):
    import dateparser  # a maintained multilingual parser; imported only when a column needs it

    settings = dict(_WRITTEN_SETTINGS, DATE_ORDER="DMY" if day_first is not False else "MDY")
    try:
        found = dateparser.parse(value, languages=_WRITTEN_LANGUAGES, settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return None if found is None or not 1900 <= found.year <= 2100 else found


# Twitter's API and its archives, and C's ctime(): "Tue Oct 31 22:10:47 +0000 2017", "Tue Oct 31 22:10:47 2017"
# (the year after the time, which dateparser does not read).
_CTIME_FORMATS = ("%a %b %d %H:%M:%S %z %Y", "%a %b %d %H:%M:%S %Y")


def _from_ctime(text: pa.Array, sample: pa.Array, *, timezone: str) -> np.ndarray | None:
    """Weekday-first dates with the year last, in one vectorised step; None when the sample is not in them."""
    probe = pd.Series([v for v in sample.to_pylist() if v], dtype=object)
    for fmt in _CTIME_FORMATS:
        zoned = "%z" in fmt
        if probe.empty or pd.to_datetime(probe, format=fmt, errors="coerce", utc=zoned).notna().mean() < 0.5:
            continue
        values = pd.to_datetime(pd.Series(text.to_pandas(), dtype=object), format=fmt, errors="coerce", utc=zoned)
        if zoned:
            return values.dt.tz_localize(None).to_numpy(dtype="datetime64[us]")
        return _localise(values.to_numpy(dtype="datetime64[us]"), False, timezone)
    return None


_NUMBERED_DAY_MONTH_RE = re.compile(r"^\s*(\d{1,2})([-/.])(\d{1,2})[-/.]\d{2,4}(?!\d)")


def written_order(cells: list) -> bool | None:
    """The order the column's own numbered dates show, for written dates read by dateparser ('03/15/2024 2:30 PM
    -05:00'): month-first (False) when some date can only be month-first (03/15) and none only day-first (15/03),
    day-first (True) for the reverse, None when none tells or both do. Without it dateparser read each value day-first
    where both orders name a date: a US column's 03/09 was 3 September beside its 03/15, 15 March."""
    pairs = [(int(m.group(1)), int(m.group(3))) for m in _numbered(cells)]
    day_first = any(a > 12 and b <= 12 for a, b in pairs)
    month_first = any(b > 12 and a <= 12 for a, b in pairs)
    return None if day_first == month_first else day_first


def order_note(column: str, day_first: bool) -> str:
    """What an upload and a table read in place say when a column's dates fit both orders."""
    return (f"Dates in {column!r} could be day-first or month-first; cjm read them as "
            f"{'day-first' if day_first else 'month-first'}. Change it in the mapping if wrong.")


def _numbered(cells: list) -> list[re.Match]:
    return [m for m in map(_NUMBERED_DAY_MONTH_RE.match, (c for c in cells if c)) if m is not None]


def written_reading(cells: list, day_first: bool | None) -> tuple[bool | None, bool]:
    """(the order dateparser reads a column of written dates in, True day-first, None its own for a column without
    numbered dates; whether the data left the order open), from the column's sample `cells` and the mapping's
    `day_first`, by the rule of dates of day and month written without an offset (first_order, settled_order): the
    order the column's dates tell (written_order); where none tells or both do, the mapping's `day_first`, else the
    order more of them tell, else day-first when dotted (03.09.2024) and month-first when slashed or dashed
    (03/09/2024, the commonest separator), and the order was assumed: the upload's note says so. Before, such a column
    was read day-first (dateparser's own default) where the same dates without an offset were read month-first."""
    found = _numbered(cells)
    if not found:
        return day_first, False
    told = written_order(cells)
    if told is not None:
        return told, False
    if day_first is not None:
        return bool(day_first), True
    day_only = sum(int(m.group(1)) > 12 >= int(m.group(3)) for m in found)
    month_only = sum(int(m.group(3)) > 12 >= int(m.group(1)) for m in found)
    if day_only != month_only:
        return day_only > month_only, True
    separators = collections.Counter(m.group(2) for m in found)
    return separators.most_common(1)[0][0] == ".", True


def _from_written(text: pa.Array, sample: pa.Array, *, day_first,
                  timezone) -> tuple[np.ndarray | None, pa.Array | None]:
    """Dates written with month names or in other scripts, parsed by dateparser once per DISTINCT value
    (a column repeats its dates), then mapped back to every row in one vectorised step. Full dates only
    (day, month and year): "Feb" alone never becomes a date in the current year. A value written with an offset
    ('Jul 31, 2018 10:00 AM -05:00') is that moment; with a zone's abbreviation, as `_written_offsets` reads it; else
    a wall time in `timezone`. (None, None, None) when the sample does not read as dates; else (UTC times, the unread
    abbreviation of each row or None, each row's time as written: ParsedTimestamps.wall_clock)."""
    probe = [v for v in dict.fromkeys(sample.to_pylist()) if v][:40]
    if not probe or sum(_parse_written(v, day_first) is not None for v in probe) < 0.5 * len(probe):
        return None, None, None
    distinct = pc.unique(text).drop_null()
    if len(distinct) > _WRITTEN_MAX_DISTINCT:
        return None, None, None
    found = [_parse_written(v, day_first) for v in distinct.to_pylist()]
    minutes, unread = _written_offsets(found, timezone)
    walls = np.array([np.datetime64(f.replace(tzinfo=None), "us") if f is not None else _NAT for f in found],
                     dtype="datetime64[us]")
    walls[unread.is_valid().to_numpy(zero_copy_only=False)] = _NAT
    at = pc.index_in(text, value_set=distinct)
    rows = at.to_numpy(zero_copy_only=False)
    valid = ~np.isnan(rows.astype("float64")) if at.null_count else np.ones(len(rows), dtype=bool)
    index = np.where(valid, np.nan_to_num(rows.astype("float64")), 0).astype(np.int64)
    naive = np.where(valid, walls[index] if len(walls) else _NAT, _NAT)
    offset = np.where(valid, minutes[index] if len(minutes) else np.nan, np.nan)
    stated = ~np.isnan(offset)
    utc = _localise(naive, False, timezone)
    if stated.any():
        utc = utc.copy()
        utc[stated] = naive[stated] - offset[stated].astype(np.int64).astype("timedelta64[m]")
    row_unread = unread.take(at) if unread.null_count < len(unread) else None
    return utc, row_unread, naive


def _written_offsets(found: list, timezone: str) -> tuple[np.ndarray, pa.Array]:
    """For dateparser's values: each one's offset in minutes east of UTC (NaN: a wall time, read in `timezone`), and
    the abbreviation of those whose zone is not read (null elsewhere). An offset written out ('-05:00', 'UTC',
    'GMT') is read as written. An abbreviation is read by cjm's table (cjm.data.zone_abbreviations: the mapping's
    `timezone` first, for the abbreviations it writes), not by dateparser's (which reads IST as Israel's)."""
    names = [f.tzname() if f is not None and f.tzinfo is not None else None for f in found]
    abbreviations = zone_abbreviations.hours_of({n for n in names if n and _LETTERS_RE.fullmatch(n)}, timezone)
    minutes = np.full(len(found), np.nan)
    unread = [None] * len(found)
    for i, (f, name) in enumerate(zip(found, names)):
        if name is None:
            continue
        if not _LETTERS_RE.fullmatch(name):  # an offset written out
            minutes[i] = f.utcoffset().total_seconds() / 60
        elif abbreviations[name] is not None:
            minutes[i] = abbreviations[name] * 60
        else:
            unread[i] = name
    return minutes, pa.array(unread, type=pa.string())


_LETTERS_RE = re.compile(r"[A-Za-z]{1,6}")


# A zone's abbreviation after a time ('2022/06/22 11:07:29 AM EST', Java's 'Tue Oct 31 22:10:47 EST 2017'): groups 1
# the date and time, 2 the abbreviation, 3 a year after it; Python, RE2 (Arrow, DuckDB) and PostgreSQL read it alike
ABBREVIATED = (r"^(.*\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)\s+([A-Z]{2,5})"
               r"(\s+\d{4})?$")
_ABBREVIATED_NAMED = ABBREVIATED.replace("^(", "^(?P<head>", 1).replace(r"\s+([A-Z]", r"\s+(?P<zone>[A-Z]", 1) \
    .replace(r"(\s+\d{4})?$", r"(?P<tail>\s+\d{4})?$", 1)  # Arrow's extract_regex names its groups
_ABBREVIATED_RE = re.compile(ABBREVIATED)
READ_ALREADY = {"UTC", "GMT"}  # read by the parsers as written (and by a cast in place)


def _abbreviations_as_offsets(text: pa.Array, timezone: str) -> tuple[pa.Array, pa.Array | None]:
    """(`text` with each zone abbreviation after a time written as its offset ('11:07:29 AM -05:00'; the mapping's
    `timezone` reads those it writes itself), or the value null when cjm cannot tell its offset;
    the abbreviation of each value so made null, or None when there is none). Vectorised: the table is looked up once
    per distinct abbreviation."""
    parts = pc.extract_regex(text, _ABBREVIATED_NAMED)
    zone = pc.struct_field(parts, "zone")
    names = [z for z in pc.unique(zone).drop_null().to_pylist()
             if zone_abbreviations.is_abbreviation(z) and z not in READ_ALREADY]
    if not names:
        return text, None
    table = zone_abbreviations.hours_of(names, timezone)
    known = {z: " " + zone_abbreviations.offset_text(h) for z, h in table.items() if h is not None}
    unknown = [z for z, h in table.items() if h is None]
    keys = pa.array(list(known) + unknown, type=pa.string())
    middle = pa.array(list(known.values()) + [None] * len(unknown), type=text.type)
    at = pc.index_in(zone, value_set=keys)
    rewritten = pc.binary_join_element_wise(pc.struct_field(parts, "head"), pc.take(middle, at),
                                            pc.fill_null(pc.struct_field(parts, "tail"), ""), pa.scalar("", text.type))
    text = pc.if_else(pc.is_valid(at), rewritten, text)
    if not unknown:
        return text, None
    unread = pc.if_else(pc.is_in(zone, value_set=pa.array(unknown, type=pa.string())), pc.cast(zone, pa.string()),
                        pa.scalar(None, pa.string()))
    return text, unread


def _unread_message(name: str, unread: pa.Array) -> str:
    counts = pc.value_counts(unread.drop_null()).to_pylist()
    listed = "; ".join(f"{c['counts']:,} values: {zone_abbreviations.reason(c['values'])}" for c in counts[:5])
    return f'No time in the timestamp column "{name}" is read, each ending in a time zone abbreviation: {listed}.'



# Numbers read as dates that span more than this are amounts that happen to fall in a date style's range (an
# income of 46,000 to 71,000 is Excel's 2025 to 2094): one export's events span years, not generations. Unless the
# column's name says it holds dates ("Customer Since": a CRM's customers of 1990 and of 2024). Measured from the 5th
# to the 95th percentile, so a few mistyped years (2093 for 2023) do not make a column of dates amounts.
NUMBERS_SPAN = pd.Timedelta(days=30 * 366)


def looks_like_timestamps(values: pd.Series) -> float:
    """Share (0..1) of a sample of the non-empty values that parse as timestamps.

    Numbers count only when they read as dates from 1990 to 2100 and, unless the Series' name says it holds dates
    (cjm.data.date_names.names_a_date: "Customer Since", "signup_date"), span at most 30 years from their 5th to their
    95th percentile, so ids and amounts rarely pass for epoch seconds or Excel dates. Cheap on big columns: only
    about 200 values are looked at.
    """
    values = pd.Series(values) if not isinstance(values, pd.Series) else values
    sample = values.iloc[_sample_positions(values.notna().to_numpy(), size=400)]
    if not (pd.api.types.is_numeric_dtype(sample.dtype) or pd.api.types.is_datetime64_any_dtype(sample.dtype)):
        sample = sample[sample.astype("str").str.strip() != ""]
    if sample.empty:
        return 0.0
    try:
        parsed = parse_timestamps(sample.iloc[:200].reset_index(drop=True))
    except TimestampError:
        return 0.0
    good = parsed.values.notna()
    if parsed.style in _NUMERIC_STYLES:
        good &= parsed.values.between(pd.Timestamp("1990-01-01", tz="UTC"),
                                      pd.Timestamp("2100-01-01", tz="UTC"))
        named_a_date = values.name is not None and names_a_date(values.name)
        if not named_a_date and _numbers_span(parsed.values[good]) > NUMBERS_SPAN:
            return 0.0  # incomes 46000..71000: "Excel dates" 2025..2094
    return float(good.mean())


def _numbers_span(dates: pd.Series) -> pd.Timedelta:
    """How far apart the dates are from their 5th to their 95th percentile (linear between neighbours), so a year
    mistyped on a few rows (2093 for 2023) does not stretch a column of 2023's dates to 70 years."""
    if dates.empty:
        return pd.Timedelta(0)
    micros = dates.to_numpy(dtype="datetime64[us]").astype(np.int64)
    low, high = np.percentile(micros, [5, 95])
    return pd.Timedelta(microseconds=float(high - low))


# ----------------------------------------------------------------------------------------------
# Parameters, input kinds, samples


def _check_parameters(day_first, style, timezone) -> None:
    if day_first is not None and not isinstance(day_first, (bool, np.bool_)):
        raise ParameterError(f"day_first must be True, False or None; got {day_first!r}.")
    if style is not None and style not in STYLES:
        raise ParameterError(f"Unknown date style {style!r}. Choose one of: {', '.join(STYLES)}.")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ParameterError(f"Unknown time zone {timezone!r}. Use an IANA name such as "
                             "'UTC', 'Europe/Berlin' or 'America/New_York'.") from None


def _sample_positions(nonempty: np.ndarray, size: int = SAMPLE_SIZE) -> np.ndarray:
    """Positions of up to `size` non-empty values spread evenly over the column."""
    positions = np.flatnonzero(nonempty)
    if len(positions) > size:
        positions = positions[np.linspace(0, len(positions) - 1, size).astype(np.int64)]
    return positions


def _is_number_column(values: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(values.dtype):
        return True
    if values.dtype != object:
        return False
    sample = values.dropna().iloc[:SAMPLE_SIZE]
    return len(sample) > 0 and all(isinstance(v, (int, float, np.number)) for v in sample)


def _mostly_datetime_objects(values: pd.Series) -> bool:
    sample = values.dropna().iloc[:SAMPLE_SIZE]
    hits = sum(isinstance(v, (dt.date, np.datetime64)) for v in sample)
    return len(sample) > 0 and hits * 2 > len(sample)


def _describe_dtype(values: pd.Series) -> str:
    return "numbers" if pd.api.types.is_numeric_dtype(values.dtype) else "text"


def _as_text(values: pd.Series) -> pa.Array:
    """The column as an Arrow string array, trimmed, with blanks as nulls."""
    if not pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
        values = values.astype("str")
    text = pa.array(values, from_pandas=True)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    text = pc.utf8_trim_whitespace(text)
    blank = pc.equal(text, "")
    if pc.any(blank).as_py():  # no copy of a column without blank cells
        text = pc.if_else(blank, pa.scalar(None, text.type), text)
    return text


def _ascii_digits(text: pa.Array) -> pa.Array:
    for index, digit in enumerate(_PERSIAN_DIGITS + _ARABIC_DIGITS):
        text = pc.replace_substring(text, digit, str(index % 10))
    return text


def _localise(naive: np.ndarray, is_utc: bool, timezone: str) -> np.ndarray:
    """Wall times in `timezone` to UTC (datetime64[us] without zone)."""
    if is_utc or timezone == "UTC":
        return naive
    walls = pd.DatetimeIndex(naive)
    local = walls.tz_localize(timezone, ambiguous=np.ones(len(naive), dtype=bool), nonexistent="NaT")
    utc = local.tz_convert("UTC").tz_localize(None).to_numpy().astype("datetime64[us]")
    skipped = np.isnat(utc) & ~np.isnat(naive)  # in the hour summer time skips: the end of the gap, as read in place
    if skipped.any():
        utc[skipped] = wall_times.gap_ends(walls[skipped], timezone).to_numpy().astype("datetime64[us]")
    return utc


def _raise_nothing_parsed(name: str, present: pd.Series, style: str | None):
    distinct = pd.unique(present.iloc[:SAMPLE_SIZE].astype("str").str.strip())
    examples = ", ".join(f'"{v}"' for v in distinct[:3])
    if present.empty:
        raise TimestampError(f'The timestamp column "{name}" is empty: every value is blank. '
                             "Map a column that holds the date and time of each interaction.")
    if style is not None:
        raise TimestampError(f'No value in the timestamp column "{name}" reads as {style} '
                             f"(for example {examples}). Choose another date style, or let cjm detect it.")
    raise TimestampError(f'No value in the timestamp column "{name}" reads as a date and time '
                         f"(for example {examples}). cjm reads {_SUPPORTED}. Check that the right column "
                         "is mapped as the timestamp, or choose its date style from the list.")


# ----------------------------------------------------------------------------------------------
# Values that are already datetimes


def _from_datetimes(values: pd.Series, timezone: str) -> np.ndarray:
    stamps = pd.DatetimeIndex(values)
    if stamps.tz is None:
        return _localise(stamps.as_unit("us").to_numpy(), False, timezone)
    return stamps.tz_convert("UTC").tz_localize(None).as_unit("us").to_numpy()


def _from_datetime_objects(values: pd.Series, *, day_first, timezone) -> tuple[np.ndarray, np.ndarray]:
    """Python datetimes (as openpyxl gives them); other cells are parsed as text."""
    objects = values.to_numpy(dtype=object)
    nonempty = values.notna().to_numpy()
    is_datetime = np.fromiter((isinstance(v, (dt.date, np.datetime64)) for v in objects), bool, len(objects))
    aware = is_datetime & np.fromiter((getattr(v, "tzinfo", None) is not None for v in objects), bool,
                                      len(objects))
    parsed = np.full(len(objects), _NAT)
    if aware.any():
        parsed[aware] = _from_datetimes(pd.Series(pd.to_datetime(objects[aware], utc=True)), timezone)
    naive = is_datetime & ~aware
    if naive.any():
        parsed[naive] = _from_datetimes(pd.Series(pd.to_datetime(objects[naive])), timezone)
    rest = nonempty & ~is_datetime
    if rest.any():
        try:
            others = parse_timestamps(pd.Series(objects[rest]).astype("str"), day_first=day_first,
                                      timezone=timezone)
            parsed[rest] = others.values.dt.tz_localize(None).to_numpy()
        except TimestampError:
            pass
    return parsed, nonempty


# ----------------------------------------------------------------------------------------------
# Numbers: epoch seconds / milliseconds, Excel serials, YYYYMMDD

# The magnitudes each numeric style accepts (also how the style is recognised).
_NUMERIC_RANGES = {
    YYYYMMDD: (19000101, 21001231),
    EXCEL: (20_000, 80_000),  # 1954 .. 2119
    EPOCH_SECONDS: (1e8, 1e10),  # 1973 .. 2286
    EPOCH_MILLISECONDS: (1e11, 1e13),  # 1973 .. 2286
    EPOCH_MICROSECONDS: (9.4e14, 4.2e15),  # 1999 .. 2103: narrower, 15-16 digit ids (IMEI 3.5e14) are no dates
}


def _numeric_kind(number: float) -> str | None:
    if not np.isfinite(number):
        return None
    if number == int(number) and 19000101 <= number <= 21001231:
        month, day = int(number) // 100 % 100, int(number) % 100
        if 1 <= month <= 12 and 1 <= day <= 31:
            return YYYYMMDD
    for style in (EXCEL, EPOCH_SECONDS, EPOCH_MILLISECONDS, EPOCH_MICROSECONDS):
        low, high = _NUMERIC_RANGES[style]
        if low <= number < high:
            return style
    return None


def _numeric_style(sample: np.ndarray) -> str | None:
    kinds = pd.Series([_numeric_kind(v) for v in sample], dtype=object).dropna()
    return None if kinds.empty else kinds.value_counts().index[0]


def _from_numbers(numbers: np.ndarray, style: str) -> tuple[np.ndarray, bool]:
    """(datetime64[us] values, whether they are already UTC) for a numeric style."""
    low, high = _NUMERIC_RANGES[style]
    with np.errstate(invalid="ignore"):
        ok = (numbers >= low) & (numbers < high)
        safe = np.where(ok, numbers, 0)
    if style == YYYYMMDD:
        whole = np.where(ok & (safe == np.floor(safe)), safe, 0).astype(np.int64)
        return _from_parts(whole // 10000, whole // 100 % 100, whole % 100), False
    if style == EXCEL:  # days since 1899-12-30, wall time, rounded to the millisecond
        micros = (np.rint(safe * 86_400_000) * 1000).astype(np.int64)
        return np.where(ok, _EXCEL_EPOCH + micros.astype("timedelta64[us]"), _NAT), False
    scale = {EPOCH_SECONDS: 1e6, EPOCH_MILLISECONDS: 1e3, EPOCH_MICROSECONDS: 1.0}[style]
    micros = np.rint(safe * scale).astype(np.int64)
    return np.where(ok, micros.astype("datetime64[us]"), _NAT), True


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _from_parts(year, month, day) -> np.ndarray:
    """Calendar dates from integer parts; NaT where the date does not exist.

    Integer arithmetic (days_from_civil, H. Hinnant): numpy's month-unit conversions are ~10x slower.
    """
    ok = (year >= 1000) & (year <= 9999) & (month >= 1) & (month <= 12) & (day >= 1)
    month = np.where(ok, month, 1)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    ok &= day <= _MONTH_DAYS[month] + (leap & (month == 2))
    shifted = year - (month <= 2)
    era = shifted // 400
    year_of_era = shifted - era * 400
    day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days = era * 146_097 + day_of_era - 719_468
    return np.where(ok, (days * _US_PER_DAY).astype("datetime64[us]"), _NAT)


# ----------------------------------------------------------------------------------------------
# Text

_DAY_MONTH = "day/month"  # detected family; the order is settled by _from_day_month


@dataclass(frozen=True)
class _Detected:
    style: str | None  # most common style in the sample (_DAY_MONTH for either day/month order)
    has_offsets: bool = False
    zone_names: tuple[str, ...] = ()  # zone names ending sample values (" UTC", " GMT")
    arrow_zone: str | None | bool = False  # None/"UTC": Arrow can cast every sample value naive/with offset
    year_separator: str = "-"
    first_over_12: int = 0  # sample values whose first field can only be a day
    second_over_12: int = 0  # sample values whose second field can only be a day
    layouts: tuple[tuple[str, str, str], ...] = ()  # (separator, year, time) of day/month values, by frequency


def _detect_text_style(sample: list[str]) -> _Detected:
    counts: dict[str, int] = {}
    separators: dict[str, int] = {}
    offsets = first_over = second_over = 0
    zone_names: set[str] = set()
    arrow_naive = arrow_offset = 0
    layouts: dict[tuple[str, str, str], int] = {}
    for value in sample:
        kind = None
        if (match := _YEAR_FIRST_RE.match(value)) is not None:
            if not 1300 <= int(match.group(1)) <= 1500:
                kind = ISO
                offsets += match.group("zone") is not None
                zone = match.group("zone") or ""
                if zone.strip().upper() in ("UTC", "GMT"):
                    zone_names.update((" " + zone.strip(), zone.strip()))
                arrow_naive += _ARROW_NAIVE_RE.match(value) is not None
                arrow_offset += bool(_ARROW_OFFSET_RE.match(value)) or zone.strip().upper() in ("UTC", "GMT")
                separators[match.group(2)] = separators.get(match.group(2), 0) + 1
            elif match.group("zone") is None and match.group(2) != ".":
                kind = JALALI
        elif (match := _DAY_MONTH_RE.match(value)) is not None:
            kind = _DAY_MONTH
            first_over += int(match.group(1)) > 12
            second_over += int(match.group(3)) > 12
            layout = _day_month_layout(match)
            layouts[layout] = layouts.get(layout, 0) + 1
        elif _NUMBER_RE.match(value):
            kind = _numeric_kind(float(value))
        if kind is not None:
            counts[kind] = counts.get(kind, 0) + 1
    if not counts:
        return _Detected(None)
    style = max(counts, key=counts.get)
    separator = max(separators, key=separators.get) if separators else "-"
    iso_count = counts.get(ISO, 0)
    arrow_zone = None if arrow_naive == iso_count else "UTC" if arrow_offset == iso_count else False
    return _Detected(style, offsets > 0, tuple(sorted(zone_names, key=len, reverse=True)), arrow_zone,
                     separator, first_over, second_over, tuple(sorted(layouts, key=layouts.get, reverse=True)))


def _day_month_layout(match: re.Match) -> tuple[str, str, str]:
    """(separator, year directive, time format) of a value matched by _DAY_MONTH_RE."""
    _, separator, _, year, joint, _, _, seconds, space, meridiem = match.groups()
    time = ""
    if joint is not None:
        time = joint + ("%I:%M" if meridiem else "%H:%M") + (":%S" if seconds else "")
        time += space + "%p" if meridiem else ""
    return separator, "%Y" if len(year) == 4 else "%y", time


def _from_text(text: pa.Array, *, style: str | None, detected: _Detected,
               day_first: bool | None, timezone: str):
    """(UTC datetime64[us] values, style, day_first used, ambiguous) for a text column."""
    chosen = style or detected.style
    if chosen in _NUMERIC_STYLES:
        values, is_utc = _from_numbers(_text_as_numbers(text), chosen)
        return _localise(values, is_utc, timezone), chosen, None, False
    if chosen in (ISO, ISO_OFFSET):
        values, has_offsets = _from_iso(text, detected, timezone)
        return values, ISO_OFFSET if has_offsets else ISO, None, False
    if chosen == JALALI:
        return _localise(_from_jalali(text), False, timezone), JALALI, None, False
    forced = {DAY_FIRST: True, MONTH_FIRST: False}.get(style)
    values, order, ambiguous = _from_day_month(text, detected, day_first=day_first, forced=forced)
    return _localise(values, False, timezone), DAY_FIRST if order else MONTH_FIRST, order, ambiguous


def _text_as_numbers(text: pa.Array) -> np.ndarray:
    try:
        return pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:  # some values are not numbers: leave those empty
        is_number = pc.match_substring_regex(text, _NUMBER_RE.pattern)
        numbers = pc.if_else(is_number, text, pa.scalar(None, text.type))
        return pc.cast(numbers, pa.float64()).to_numpy(zero_copy_only=False)


def _from_iso(text: pa.Array, detected: _Detected, timezone: str) -> tuple[np.ndarray, bool]:
    """ISO 8601 values in UTC (naive ones read in `timezone`), and whether any carried an offset."""
    if detected.year_separator != "-":
        text = pc.replace_substring_regex(text, r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})", r"\1-\2-\3")
    if detected.zone_names:
        text = _zone_names_as_offsets(text, detected.zone_names)
    if detected.arrow_zone is not False:  # the sample fits Arrow's strict (and fast) ISO 8601 cast
        try:
            values = pc.cast(text, pa.timestamp("us", detected.arrow_zone)).to_numpy(zero_copy_only=False)
            values = values.astype("datetime64[us]")
            return (values, True) if detected.arrow_zone else (_localise(values, False, timezone), False)
        except pa.ArrowInvalid:  # a value the sample did not show (slow to find out, rare)
            pass
    values = _pandas_iso(text)
    retry = np.flatnonzero(np.isnat(values) & text.is_valid().to_numpy(zero_copy_only=False))
    if len(retry):
        values[retry] = _pandas_iso(_zone_names_as_offsets(text.take(pa.array(retry))))
    has_offsets = detected.has_offsets
    if timezone != "UTC":  # values without an offset were read as UTC: read them in `timezone`
        # a date alone (10 characters) has no offset: 2024-07-05 ends like one (-05)
        with_offset = pc.fill_null(pc.and_(pc.match_substring_regex(_zone_names_as_offsets(text), _OFFSET_AT_END),
                                           pc.greater(pc.utf8_length(text), 10)), False).to_numpy(zero_copy_only=False)
        values[~with_offset] = _localise(values[~with_offset], False, timezone)
        has_offsets = has_offsets or bool(with_offset.any())
    return values, has_offsets


def _pandas_iso(text: pa.Array) -> np.ndarray:
    """pandas' ISO 8601 parser (mixed offsets, nanoseconds, unpadded fields); naive values read as UTC."""
    strings = pd.Series(text, dtype=pd.StringDtype("pyarrow", na_value=np.nan), copy=False)
    parsed = pd.to_datetime(strings, format="ISO8601", utc=True, errors="coerce")
    return parsed.dt.tz_localize(None).astype("datetime64[us]").to_numpy(copy=True)


# '09:00:00 GMT+01:00', '09:00 UTC-05:00': an offset from UTC written after the zone's name (08:00 and 14:00 UTC); Google
# Forms writes its hours without a leading zero ('3:00:00 PM GMT+3', '1:28:19 PM GMT+5:30')
_NAMED_OFFSET = r"\s*(?:GMT|UTC)\s*([+-]\d{2}(?::?\d{2})?)$"
_NAMED_OFFSET_RE = re.compile(r"\s*(?:GMT|UTC)\s*[+-]\d{1,2}(?::?\d{2})?$", re.I)


def _named_offsets(text: pa.Array) -> pa.Array:
    """'GMT+01:00', 'UTC-05:00' and 'GMT+3' at the end of a time as the offset alone ('+01:00', '+03'), which ISO
    8601 reads."""
    text = pc.replace_substring_regex(text, r"(?i)(\s*(?:GMT|UTC)\s*[+-])(\d(?::?\d{2})?)$", r"\10\2")  # RE2: group 1, '0', group 2
    return pc.replace_substring_regex(text, "(?i)" + _NAMED_OFFSET, r"\1")


# A year-first date with a time on the 12-hour clock (Google Forms' responses: '2026/09/20 10:00:00 AM', '2023/06/04
# 1:28:19 PM GMT+5:30'), which ISO 8601 parsers refuse: the whole column was refused as no date.
_YEAR_FIRST_MERIDIEM = (r"^(?P<date>\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]+)(?P<hour>\d{1,2})"
                        r"(?P<rest>:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?P<half>[AaPp])\.?[Mm]\.?"
                        r"(?P<zone>\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)$")
_YEAR_FIRST_MERIDIEM_RE = re.compile(_YEAR_FIRST_MERIDIEM)


def _meridiem_as_24h(text: pa.Array) -> pa.Array:
    """Year-first values on the 12-hour clock written on the 24-hour clock ('2026/09/20 1:05:00 PM +03' as
    '2026/09/20 13:05:00 +03', 12 AM as 00); other values as they are. Vectorised (Arrow)."""
    parts = pc.extract_regex(text, _YEAR_FIRST_MERIDIEM)
    fields = {name: pc.struct_field(parts, name) for name in ("date", "hour", "rest", "half", "zone")}
    matched = pc.fill_null(pc.is_valid(parts), False)
    hour = pc.cast(pc.if_else(matched, fields["hour"], pa.scalar("0")), pa.int64())
    pm = pc.fill_null(pc.equal(pc.utf8_upper(fields["half"]), "P"), False)
    hour = pc.add(pc.subtract(hour, pc.multiply(pc.divide(hour, 12), 12)), pc.if_else(pm, 12, 0))
    hour = pc.utf8_lpad(pc.cast(hour, text.type), 2, "0")
    rewritten = pc.binary_join_element_wise(fields["date"], hour, fields["rest"], fields["zone"],
                                            pa.scalar("", text.type))
    return pc.if_else(matched, rewritten, text)


def _zone_names_as_offsets(text: pa.Array, suffixes=(" UTC", " GMT", "UTC", "GMT")) -> pa.Array:
    """A trailing " UTC" or " GMT" (which ISO 8601 parsers refuse) as "+00:00"."""
    for suffix in suffixes:
        ends = pc.fill_null(pc.ends_with(text, suffix, ignore_case=True), False)
        if not pc.any(ends).as_py():
            continue
        trimmed = pc.utf8_slice_codeunits(text, 0, -len(suffix))
        with_offset = pc.binary_join_element_wise(trimmed, pa.scalar("+00:00", text.type),
                                                  pa.scalar("", text.type))
        text = with_offset if pc.all(ends).as_py() else pc.if_else(ends, with_offset, text)
    return text


def _from_jalali(text: pa.Array) -> np.ndarray:
    """Solar Hijri wall times, converted with jdatetime once per distinct date."""
    encoded = pc.dictionary_encode(text)
    fields = pc.extract_regex(encoded.dictionary, _JALALI_ARROW)
    valid = fields.is_valid().to_numpy(zero_copy_only=False)

    def number(name: str) -> np.ndarray:
        digits = pc.fill_null(fields.field(name), "0")
        digits = pc.if_else(pc.equal(digits, ""), "0", digits)
        return pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)

    year, month, day = number("y"), number("m"), number("d")
    keys, inverse = np.unique(np.where(valid, year * 10_000 + month * 100 + day, 0), return_inverse=True)
    dates = np.array([_jalali_to_gregorian(int(key)) for key in keys], dtype="datetime64[us]")[inverse]
    hours, minutes, seconds = number("H"), number("M"), number("S")
    valid &= (hours < 24) & (minutes < 60) & (seconds < 60)
    micros = ((hours * 60 + minutes) * 60 + seconds) * 1_000_000
    per_distinct = np.where(valid, dates + micros.astype("timedelta64[us]"), _NAT)
    present = encoded.indices.is_valid().to_numpy(zero_copy_only=False)
    indices = pc.fill_null(encoded.indices, 0).to_numpy(zero_copy_only=False)
    if len(per_distinct) == 0:
        return np.full(len(text), _NAT)
    return np.where(present, per_distinct[indices], _NAT)


def _jalali_to_gregorian(key: int) -> np.datetime64:
    try:
        return np.datetime64(jdatetime.date(key // 10_000, key // 100 % 100, key % 100).togregorian(), "us")
    except ValueError:
        return _NAT


def _from_day_month(text: pa.Array, detected: _Detected, *, day_first: bool | None,
                    forced: bool | None) -> tuple[np.ndarray, bool, bool]:
    """Day-first or month-first wall times, the order used, and whether the data left it open.

    A value whose day is above 12 reads in one order only, so one such value settles the column.
    `forced` (a style the user chose) always wins; `day_first` is only the default for open cases.
    """
    first = first_order(detected, day_first=day_first, forced=forced)
    layouts = _rank_layouts(detected)
    values = _strptime_cascade(text, first, layouts)
    failed = np.flatnonzero(text.is_valid().to_numpy(zero_copy_only=False) & np.isnat(values))
    swapped = _strptime_cascade(text.take(pa.array(failed)), not first, layouts) if len(failed) else values[:0]
    order, ambiguous = settled_order(first, bool(_day_over_12(values).any()), bool(_day_over_12(swapped).any()),
                                     day_first=day_first, forced=forced)
    if order == first:
        return values, first, ambiguous
    return _strptime_cascade(text, order, layouts), order, ambiguous


def first_order(detected: _Detected, *, day_first: bool | None, forced: bool | None = None) -> bool:
    """The day/month order tried first (True: day-first): `forced` (a style the user chose), else the order the
    sample's days above 12 say, else `day_first`, else day-first when dotted (31.12.2024, wherever it is written) and
    month-first when slashed or dashed. Also how a column read in place is decided (cjm.data.day_month_times)."""
    if forced is not None:
        return forced
    if detected.first_over_12 != detected.second_over_12:
        return detected.first_over_12 > detected.second_over_12
    if day_first is not None:
        return bool(day_first)
    return bool(detected.layouts) and next(iter(detected.layouts))[0] == "."


def settled_order(first: bool, settles_first: bool, settles_swapped: bool, *, day_first: bool | None,
                  forced: bool | None = None) -> tuple[bool, bool]:
    """(the order the column is read in, whether the data left it open), from the whole column: `settles_first`,
    whether a value read in the `first` order has a day above 12 (so reads in that order only); `settles_swapped`,
    whether a value that order cannot read has one in the other order. A value of the other order alone settles it;
    when nothing or both settle it, the mapping's `day_first` wins over the sample's guess."""
    ambiguous = settles_first == settles_swapped
    if forced is None and settles_swapped and not settles_first:
        return not first, False
    if forced is None and ambiguous and day_first is not None and first != day_first:
        return bool(day_first), True
    return first, ambiguous


def _day_over_12(values: np.ndarray) -> np.ndarray:
    return pd.DatetimeIndex(values[~np.isnat(values)]).day.to_numpy() > 12


def _rank_layouts(detected: _Detected) -> list[tuple[str, str, str]]:
    """Layouts seen in the sample, commonest first, then relatives with the same separator and year."""
    candidates = [(sep, year, time) for year in ("%Y", "%y") for sep in "-/." for time in _TIME_FORMATS]
    if not detected.layouts:
        return candidates
    seen = list(detected.layouts)
    sep, year, _ = seen[0]
    return seen + [c for c in candidates if c not in seen and c[0] == sep and c[1] == year]


def _layout_format(layout: tuple[str, str, str], day_first: bool) -> str:
    sep, year, time = layout
    date = f"%d{sep}%m{sep}{year}" if day_first else f"%m{sep}%d{sep}{year}"
    return date + time


def _strptime_cascade(text: pa.Array, day_first: bool, layouts) -> np.ndarray:
    """Parse with Arrow's strptime, trying each layout only on the values still unparsed."""
    result = np.full(len(text), _NAT)
    pending = np.flatnonzero(text.is_valid().to_numpy(zero_copy_only=False))
    for layout in layouts:
        if not len(pending):
            break
        subset = text if len(pending) == len(text) else text.take(pa.array(pending))
        parsed = _strptime(subset, _layout_format(layout, day_first), day_first)
        ok = ~np.isnat(parsed)
        result[pending[ok]] = parsed[ok]
        pending = pending[~ok]
    return result


def _strptime(text: pa.Array, layout: str, day_first: bool) -> np.ndarray:
    parsed = pc.strptime(text, format=layout, unit="us", error_is_null=True)
    # Arrow rolls impossible dates over (31/04 becomes 01/05): keep a value only when its first
    # field survived unchanged, and reject two-digit years read by %Y.
    head = pc.utf8_rtrim(pc.utf8_slice_codeunits(text, 0, 2), characters="-/.")
    head = pc.cast(pc.if_else(parsed.is_valid(), head, pa.scalar(None, head.type)), pa.int64())
    kept = pc.equal(pc.day(parsed) if day_first else pc.month(parsed), head)
    if "%Y" in layout:
        kept = pc.and_(kept, pc.greater_equal(pc.year(parsed), 1000))
    parsed = pc.if_else(pc.fill_null(kept, False), parsed, pa.scalar(None, parsed.type))
    return parsed.to_numpy(zero_copy_only=False).astype("datetime64[us]")


def with_time_of_day(dates: pd.Series, times: pd.Series) -> pd.Series:
    """Dates completed by a column of times of day (ColumnMapping.time_of_day): '03.01.2024' and '09:15:02' read
    as '03.01.2024 09:15:02'. A row without a time keeps its date alone; a date read as a datetime (Excel) gives its
    day."""
    if pd.api.types.is_datetime64_any_dtype(dates):
        dates = dates.dt.strftime("%Y-%m-%d")
    else:  # 20240301 or Excel's 45352 (numbers or text) and '09:30': the date the number writes, then its time
        written = dates.astype("string").str.strip()
        filled = written[written.notna() & (written != "")]
        sample = filled.iloc[_sample_positions(np.ones(len(filled), dtype=bool))].tolist()
        style = _detect_text_style(sample).style if sample else None
        if style in (YYYYMMDD, EXCEL):  # a number that is no date (20240230) stays as written: unparseable
            numbers = pd.to_numeric(written.where(written.str.fullmatch(_NUMBER_RE.pattern).fillna(False)),
                                    errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            days = pd.Series(_from_numbers(numbers, style)[0], index=dates.index)
            dates = days.dt.strftime("%Y-%m-%d").where(days.notna(), written)
    days = dates.astype("string").str.strip()
    clock = times.astype("string").str.strip()
    # each distinct time once (a day has at most 86,400): 9:30 PM as 21:30:00, so every row reads in one style
    distinct = pd.Series(clock.dropna().unique())
    read = pd.to_datetime(distinct, format="mixed", errors="coerce")
    plain = pd.Series(read.dt.strftime("%H:%M:%S").where(read.notna(), distinct).to_numpy(), index=distinct.to_numpy())
    clock = clock.map(plain).astype("string")
    timed = days.notna() & clock.notna() & (clock != "") & (days != "")
    return days.where(~timed, days + " " + clock)

