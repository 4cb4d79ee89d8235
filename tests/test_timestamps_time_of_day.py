"""A column of dates without times is told by the time of day its values are WRITTEN at (the wall clock before the
conversion to UTC): read in a time zone with summer time, its dates are two times of day in UTC (23:00 in winter,
22:00 in summer for Berlin) but one as written. Expected figures are worked out by hand beside each assertion."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm.data.timestamps import parse_timestamps


def utc(parsed) -> list[str]:
    return parsed.values.dt.strftime("%Y-%m-%d %H:%M").tolist()


def test_dates_read_in_berlin_across_summer_time_are_one_time_of_day_as_written():
    parsed = parse_timestamps(pd.Series(["2024-01-05", "2024-07-05", "2024-03-31"]), timezone="Europe/Berlin")
    # midnight in Berlin: UTC+1 in January and on 31 March before 02:00 (23:00 UTC the day before), UTC+2 in July
    assert utc(parsed) == ["2024-01-04 23:00", "2024-07-04 22:00", "2024-03-30 23:00"]
    assert parsed.time_of_day == 0  # all at midnight as written


def test_dates_written_at_midnight_with_the_offset_of_the_day_are_one_time_of_day():
    parsed = parse_timestamps(pd.Series(["2024-01-05T00:00+01:00", "2024-07-05T00:00+02:00", "2024-02-01T00:00Z",
                                         "2024-02-02 00:00 UTC"]))
    assert utc(parsed) == ["2024-01-04 23:00", "2024-07-04 22:00", "2024-02-01 00:00", "2024-02-02 00:00"]
    assert parsed.time_of_day == 0


def test_times_that_fall_at_one_utc_time_of_day_through_summer_time_are_times():
    # 10:00 in January (UTC+1) and 11:00 in July (UTC+2) are both 09:00 UTC: one time of day in UTC, two as written
    parsed = parse_timestamps(pd.Series(["2024-01-05 10:00", "2024-07-05 11:00"]), timezone="Europe/Berlin")
    assert utc(parsed) == ["2024-01-05 09:00", "2024-07-05 09:00"]
    assert parsed.time_of_day is None


def test_a_midnight_that_summer_time_skips_is_still_read_as_a_date():
    # Sao Paulo's summer time began at 00:00 on 4 Nov 2018 (clocks to 01:00): that midnight is read as 01:00 local
    # (UTC-2) = 03:00 UTC; 5 Nov at 00:00 UTC-2 is 02:00 UTC. Both were written as dates
    parsed = parse_timestamps(pd.Series(["2018-11-04", "2018-11-05"]), timezone="America/Sao_Paulo")
    assert utc(parsed) == ["2018-11-04 03:00", "2018-11-05 02:00"]
    assert parsed.time_of_day == 0


@pytest.mark.parametrize("values, timezone", [
    (pd.Series([20240105, 20240705]), "America/New_York"),  # YYYYMMDD numbers: 05:00 and 04:00 UTC
    (pd.Series(["05/01/2024", "25/07/2024"]), "Europe/Berlin"),  # day-first: 23:00 and 22:00 UTC
    (pd.Series(["Jan 5, 2024", "Jul 25, 2024"]), "Europe/Berlin"),  # written with month names
    (pd.Series(pd.to_datetime(["2024-01-05", "2024-07-05"]).tz_localize("Europe/Berlin")), "UTC"),  # typed, zoned
])
def test_dates_in_every_style_are_one_time_of_day_as_written(values, timezone):
    parsed = parse_timestamps(values, timezone=timezone)
    assert len(set(parsed.values.dt.hour)) == 2  # two hours in UTC (winter and summer)
    assert parsed.time_of_day == 0


def test_noon_dates_and_one_value_alone():
    noon = parse_timestamps(pd.Series(["2024-01-05 12:00", "2024-07-05 12:00"]), timezone="Europe/Berlin")
    assert noon.time_of_day == 12 * 3_600_000  # 12:00 as written (11:00 and 10:00 UTC)
    assert parse_timestamps(pd.Series(["2024-01-05"])).time_of_day is None  # one date or one event at midnight?
    epoch = parse_timestamps(pd.Series([1704412800, 1720137600]), timezone="Europe/Berlin")
    # epoch seconds are instants: 2024-01-05 and 2024-07-05 00:00 UTC, whatever the zone for wall times
    assert utc(epoch) == ["2024-01-05 00:00", "2024-07-05 00:00"] and epoch.time_of_day == 0


def test_a_date_alone_among_values_with_offsets_is_read_in_the_columns_time_zone():
    parsed = parse_timestamps(pd.Series(["2024-01-05T00:00+01:00", "2024-07-05", "2024-07-06 10:00"]),
                              timezone="Europe/Berlin")
    # 2024-07-05 ends like an offset (-05) but is a date: midnight in Berlin (UTC+2) is 22:00 UTC on 4 July
    # (it was read as 00:00 UTC on 5 July); 10:00 in Berlin is 08:00 UTC
    assert utc(parsed) == ["2024-01-04 23:00", "2024-07-04 22:00", "2024-07-06 08:00"]
    assert parsed.time_of_day is None  # 10:00 is a time of day
