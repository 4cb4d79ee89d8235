"""Timestamp parsing: every supported style, day/month order, time zones, bad input, real exports."""

import datetime as dt

import hypothesis.strategies as st
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from cjm.data import timestamps as ts
from cjm.errors import ParameterError, TimestampError
from cjm.data.timestamps import STYLES, looks_like_timestamps, parse_timestamps
from tests.helpers import real_file


def utc(*texts):
    """Expected UTC values, written by hand."""
    return [pd.Timestamp(t, tz="UTC") if t is not None else pd.NaT for t in texts]


def parsed_list(result):
    return [pd.NaT if pd.isna(v) else v for v in result.values]


# ISO 8601 ------------------------------------------------------------------------------------------


def test_naive_iso_wall_times_are_read_as_utc_by_default():
    result = parse_timestamps(pd.Series(["2024-03-01 10:00:00", "2024-03-01T23:59:59", "2024-03-02"]))
    assert parsed_list(result) == utc("2024-03-01 10:00:00", "2024-03-01 23:59:59", "2024-03-02 00:00")
    assert result.style == ts.ISO and result.day_first is None and not result.ambiguous
    assert str(result.values.dtype) == "datetime64[us, UTC]"


def test_mixed_utc_offsets_in_one_column_are_each_converted_to_utc():
    result = parse_timestamps(pd.Series(["2015-02-24 11:35:52 -0800", "2024-03-01T10:00:00Z",
                                         "2024-03-01T10:00:00+03:30"]))
    assert parsed_list(result) == utc("2015-02-24 19:35:52", "2024-03-01 10:00:00", "2024-03-01 06:30:00")
    assert result.style == ts.ISO_OFFSET


def test_a_trailing_utc_zone_name_is_understood():
    result = parse_timestamps(pd.Series(["2019-10-01 00:00:00 UTC", "2019-10-01 00:17:26 UTC"]))
    assert parsed_list(result) == utc("2019-10-01 00:00:00", "2019-10-01 00:17:26")
    assert not result.unparsed.any()


def test_naive_wall_times_are_read_in_the_given_time_zone_including_daylight_saving():
    result = parse_timestamps(pd.Series(["2024-07-01 12:00", "2024-01-15 12:00"]), timezone="Europe/Berlin")
    assert parsed_list(result) == utc("2024-07-01 10:00", "2024-01-15 11:00")  # CEST +2, CET +1


def test_values_with_an_offset_ignore_the_time_zone_while_naive_neighbours_use_it():
    result = parse_timestamps(pd.Series(["2024-03-01T10:00:00Z", "2024-03-01 10:00:00"]),
                              timezone="America/New_York")
    assert parsed_list(result) == utc("2024-03-01 10:00", "2024-03-01 15:00")  # EST is UTC-5


def test_year_first_dates_with_slashes_read_as_iso():
    result = parse_timestamps(pd.Series(["2024/03/01 10:00", "2024/12/31"]))
    assert parsed_list(result) == utc("2024-03-01 10:00", "2024-12-31 00:00")


# Numbers ---------------------------------------------------------------------------------------------


def test_epoch_seconds_as_numbers_and_as_text():
    # 1_700_000_000 s = 19_675 days (2023-11-14) + 80_000 s (22:13:20)
    for column in (pd.Series([1_700_000_000, 1_700_000_060]), pd.Series(["1700000000", "1700000060"])):
        result = parse_timestamps(column)
        assert parsed_list(result) == utc("2023-11-14 22:13:20", "2023-11-14 22:14:20")
        assert result.style == ts.EPOCH_SECONDS


def test_fractional_epoch_seconds_keep_their_fraction():
    result = parse_timestamps(pd.Series([1_700_000_000.5]))
    assert parsed_list(result) == utc("2023-11-14 22:13:20.5")


def test_epoch_milliseconds_are_told_apart_from_seconds_by_magnitude():
    for column in (pd.Series([1_700_000_000_123]), pd.Series(["1700000000123"])):
        result = parse_timestamps(column)
        assert parsed_list(result) == utc("2023-11-14 22:13:20.123")
        assert result.style == ts.EPOCH_MILLISECONDS


def test_yyyymmdd_numbers_and_text_are_dates_not_epoch_seconds():
    for column in (pd.Series([19970101, 19970112]), pd.Series(["19970101", "19970112"])):
        result = parse_timestamps(column)
        assert parsed_list(result) == utc("1997-01-01", "1997-01-12")
        assert result.style == ts.YYYYMMDD


def test_an_impossible_yyyymmdd_date_is_unparsed_not_rolled_over():
    result = parse_timestamps(pd.Series(["19970101", "19970230", "20240229", "20230229"]))
    assert parsed_list(result) == utc("1997-01-01", None, "2024-02-29", None)
    assert result.unparsed.tolist() == [False, True, False, True]


def test_excel_serial_dates_count_days_from_1899_12_30_with_the_fraction_as_time():
    result = parse_timestamps(pd.Series([45292.5, 45292.0, 45351.75, np.nan]))
    assert parsed_list(result) == utc("2024-01-01 12:00", "2024-01-01 00:00", "2024-02-29 18:00", None)
    assert result.style == ts.EXCEL
    assert not result.unparsed.any()


def test_numbers_outside_the_detected_style_are_marked_unparsed():
    result = parse_timestamps(pd.Series([1_700_000_000, 1_700_000_001, 0]))
    assert result.unparsed.tolist() == [False, False, True]


# Day-first and month-first ------------------------------------------------------------------------------


def test_day_first_dates_with_times_are_decided_from_a_day_above_twelve():
    result = parse_timestamps(pd.Series(["26-02-2018 19:58", "01-02-2018 07:05", "08-05-2018 20:17"]))
    assert parsed_list(result) == utc("2018-02-26 19:58", "2018-02-01 07:05", "2018-05-08 20:17")
    assert result.style == ts.DAY_FIRST and result.day_first is True and not result.ambiguous


def test_month_first_dates_with_am_pm_times_are_decided_from_a_day_above_twelve():
    result = parse_timestamps(pd.Series(["03/15/2024 2:30 PM", "03/01/2024 9:00 AM", "12/01/2024 12:05 AM"]))
    assert parsed_list(result) == utc("2024-03-15 14:30", "2024-03-01 09:00", "2024-12-01 00:05")
    assert result.style == ts.MONTH_FIRST and result.day_first is False and not result.ambiguous


def test_dotted_day_first_dates_and_two_digit_years():
    assert parsed_list(parse_timestamps(pd.Series(["15.03.2024", "01.04.2024"]))) == utc("2024-03-15",
                                                                                        "2024-04-01")
    two_digit_years = parse_timestamps(pd.Series(["26/02/18", "01/03/18"]))
    assert parsed_list(two_digit_years) == utc("2018-02-26", "2018-03-01")


def test_dates_that_read_both_ways_are_ambiguous_and_default_to_month_first():
    result = parse_timestamps(pd.Series(["01-02-2018", "02-03-2018"]))
    assert parsed_list(result) == utc("2018-01-02", "2018-02-03")
    assert result.ambiguous and result.day_first is False and result.style == ts.MONTH_FIRST
    assert "assumed" in result.description and "day-first" in result.description


def test_the_callers_day_first_is_used_when_the_data_cannot_decide():
    result = parse_timestamps(pd.Series(["01-02-2018", "02-03-2018"]), day_first=True)
    assert parsed_list(result) == utc("2018-02-01", "2018-03-02")
    assert result.ambiguous and result.day_first is True and result.style == ts.DAY_FIRST


def test_the_data_overrules_the_callers_default_when_it_settles_the_order():
    result = parse_timestamps(pd.Series(["03/15/2024", "03/01/2024"]), day_first=True)
    assert parsed_list(result) == utc("2024-03-15", "2024-03-01")
    assert result.day_first is False and not result.ambiguous


def test_a_chosen_style_overrules_the_detected_order():
    result = parse_timestamps(pd.Series(["01-02-2018", "02-03-2018"]), style=ts.DAY_FIRST)
    assert parsed_list(result) == utc("2018-02-01", "2018-03-02")
    assert result.style == ts.DAY_FIRST and result.day_first is True


def test_one_deciding_value_outside_the_sample_still_settles_the_order_for_the_whole_column():
    values = ["01/02/2023"] * 5000 + ["25/12/2023"]
    values[1], values[-1] = values[-1], values[1]  # position 1 is not among the evenly spread sample
    result = parse_timestamps(pd.Series(values))
    assert result.day_first is True and not result.ambiguous
    assert result.values.iloc[0] == pd.Timestamp("2023-02-01", tz="UTC")
    assert result.values.iloc[1] == pd.Timestamp("2023-12-25", tz="UTC")


def test_impossible_calendar_dates_are_unparsed_not_rolled_into_the_next_month():
    result = parse_timestamps(pd.Series(["31/04/2019", "15/04/2019", "29/02/2019", "29/02/2020"]))
    assert parsed_list(result) == utc(None, "2019-04-15", None, "2020-02-29")
    assert result.unparsed.tolist() == [True, False, True, False]


def test_a_column_mixing_dates_with_and_without_times_parses_both():
    result = parse_timestamps(pd.Series(["26-02-2018 19:58", "27-02-2018", "28-02-2018 07:05:09"]))
    assert parsed_list(result) == utc("2018-02-26 19:58", "2018-02-27", "2018-02-28 07:05:09")


# Solar Hijri ----------------------------------------------------------------------------------------------


def test_solar_hijri_dates_convert_to_gregorian():
    result = parse_timestamps(pd.Series(["1402/10/25", "1402-10-25 14:30", "1403/01/01", None]))
    assert parsed_list(result) == utc("2024-01-15", "2024-01-15 14:30", "2024-03-20", None)
    assert result.style == ts.JALALI


def test_solar_hijri_dates_in_persian_digits_convert_to_gregorian():
    result = parse_timestamps(pd.Series(["۱۴۰۲/۱۰/۲۵", "۱۴۰۳/۰۱/۰۱ ۰۸:۱۵"]))
    assert parsed_list(result) == utc("2024-01-15", "2024-03-20 08:15")


def test_a_day_missing_from_the_solar_hijri_calendar_is_unparsed():
    result = parse_timestamps(pd.Series(["1402/12/30", "1403/12/30"]))  # 1402 is not a leap year, 1403 is
    assert parsed_list(result) == utc(None, "2025-03-20")
    assert result.unparsed.tolist() == [True, False]


def test_solar_hijri_wall_times_are_read_in_the_given_time_zone():
    result = parse_timestamps(pd.Series(["1402/10/25 14:30"]), timezone="Asia/Tehran")
    assert parsed_list(result) == utc("2024-01-15 11:00")  # Tehran is UTC+03:30


# Already datetimes -----------------------------------------------------------------------------------------


def test_naive_datetimes_are_read_in_the_time_zone_and_aware_ones_converted():
    naive = pd.Series(pd.to_datetime(["2024-03-01 10:00", None]))
    result = parse_timestamps(naive, timezone="America/New_York")
    assert parsed_list(result) == utc("2024-03-01 15:00", None)
    assert result.style == ts.DATETIME and not result.unparsed.any()
    aware = naive.dt.tz_localize("Asia/Tokyo")
    assert parsed_list(parse_timestamps(aware)) == utc("2024-03-01 01:00", None)


def test_python_datetimes_from_excel_are_accepted():
    cells = pd.Series([dt.datetime(2024, 1, 1, 12, 30), dt.date(2024, 1, 2), None], dtype=object)
    result = parse_timestamps(cells)
    assert parsed_list(result) == utc("2024-01-01 12:30", "2024-01-02", None)
    assert result.style == ts.DATETIME


def test_excel_cells_mixing_datetimes_and_serial_numbers_read_both():
    cells = pd.Series([dt.datetime(2024, 1, 1, 8), 45293.25, dt.datetime(2024, 1, 3)], dtype=object)
    assert parsed_list(parse_timestamps(cells)) == utc("2024-01-01 08:00", "2024-01-02 06:00", "2024-01-03")


# Empty and bad values ---------------------------------------------------------------------------------------


def test_empty_values_are_nat_but_not_counted_as_unparsed():
    column = pd.Series(["2024-03-01", None, "", "   ", pd.NA], dtype="string")
    result = parse_timestamps(column)
    assert parsed_list(result) == utc("2024-03-01", None, None, None, None)
    assert not result.unparsed.any()


def test_only_the_values_that_fail_are_marked_unparsed():
    result = parse_timestamps(pd.Series(["2024-03-01", "not a date", "2024-03-02"]))
    assert parsed_list(result) == utc("2024-03-01", None, "2024-03-02")
    assert result.unparsed.tolist() == [False, True, False]


def test_the_result_keeps_the_input_index_and_name():
    column = pd.Series(["2024-03-01", "oops"], index=[10, 20], name="created_at")
    result = parse_timestamps(column)
    assert result.values.index.tolist() == [10, 20] and result.unparsed.index.tolist() == [10, 20]
    assert result.values.name == "created_at"


def test_a_column_where_nothing_parses_raises_a_plain_message_quoting_examples():
    with pytest.raises(TimestampError) as caught:
        parse_timestamps(pd.Series(["hello", "world", "again", "more"], name="comment"))
    message = str(caught.value)
    assert '"comment"' in message and '"hello", "world", "again"' in message
    assert "ISO 8601" in message and "day-first" in message and "Solar Hijri" in message
    assert "mapped as the timestamp" in message and "date style" in message


def test_a_blank_column_raises_saying_it_is_empty():
    with pytest.raises(TimestampError, match="empty"):
        parse_timestamps(pd.Series([None, "", " "], name="when"))


def test_numbers_that_are_no_date_style_raise():
    with pytest.raises(TimestampError, match='"1", "2", "3"'):
        parse_timestamps(pd.Series([1, 2, 3]))


def test_a_chosen_style_that_fits_no_value_raises_naming_that_style():
    with pytest.raises(TimestampError, match="Solar Hijri"):
        parse_timestamps(pd.Series(["2024-03-01"]), style=ts.JALALI)


@pytest.mark.parametrize("arguments", [{"style": "dd/mm"}, {"timezone": "Mars/Olympus"},
                                       {"day_first": "yes"}])
def test_bad_parameters_raise_parameter_errors_quoting_the_value(arguments):
    with pytest.raises(ParameterError) as caught:
        parse_timestamps(pd.Series(["2024-03-01"]), **arguments)
    assert repr(next(iter(arguments.values()))) in str(caught.value)


def test_styles_lists_every_style_name_once():
    assert len(STYLES) == len(set(STYLES)) == 12  # review 5: + epoch microseconds (GA4)
    assert {"ISO 8601", "epoch milliseconds", "Solar Hijri (Jalali)", "already datetime"} <= set(STYLES)


# Round trips ------------------------------------------------------------------------------------------------

FORMATS = {
    "%Y-%m-%d %H:%M:%S": ts.ISO,
    "%Y-%m-%dT%H:%M:%S+02:00": ts.ISO_OFFSET,
    "%d/%m/%Y %H:%M": ts.DAY_FIRST,
    "%m-%d-%Y %I:%M %p": ts.MONTH_FIRST,
    "%Y%m%d": ts.YYYYMMDD,
}


@settings(max_examples=40, deadline=None)
@given(stamps=st.lists(st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2099, 12, 31)),
                       min_size=1, max_size=30),
       layout=st.sampled_from(sorted(FORMATS)))
def test_formatted_timestamps_parse_back_to_the_same_instant(stamps, layout):
    truth = pd.Series(stamps).dt.floor("min" if "%S" not in layout else "s")
    if layout == "%Y%m%d":
        truth = truth.dt.floor("D")
    text = truth.dt.strftime(layout)
    result = parse_timestamps(text, day_first=FORMATS[layout] == ts.DAY_FIRST)  # the default for open cases
    expected = truth.dt.tz_localize("UTC")
    if "+02:00" in layout:
        expected = expected - pd.Timedelta(hours=2)
    assert not result.unparsed.any()
    assert (result.values == expected.astype("datetime64[us, UTC]")).all()
    assert result.style == FORMATS[layout]


# looks_like_timestamps --------------------------------------------------------------------------------------


def test_a_text_column_does_not_look_like_timestamps_and_a_date_column_does():
    assert looks_like_timestamps(pd.Series(["great service", "late again", "thanks!"])) == 0.0
    assert looks_like_timestamps(pd.Series(["2024-03-01 10:00", "2024-03-02 11:00", None, ""])) == 1.0
    assert looks_like_timestamps(pd.Series(["26/02/2018", "hello", "27/02/2018", "x"])) == 0.5


def test_small_ids_and_blank_columns_do_not_look_like_timestamps():
    assert looks_like_timestamps(pd.Series(range(1, 500))) == 0.0
    assert looks_like_timestamps(pd.Series([541_312_140, 554_748_717])) == 0.0  # ids that would be 1987
    assert looks_like_timestamps(pd.Series([1_700_000_000, 1_700_000_060])) == 1.0
    assert looks_like_timestamps(pd.Series([None, None], dtype=object)) == 0.0


# Real exports ----------------------------------------------------------------------------------------------


def test_airline_tweets_with_minus_eight_hour_offsets_convert_to_utc():
    tweets = pd.read_csv(real_file("airline_tweets.csv"), dtype=str)
    result = parse_timestamps(tweets["tweet_created"])
    assert tweets["tweet_created"].iloc[0] == "2015-02-24 11:35:52 -0800"
    assert result.values.iloc[0] == pd.Timestamp("2015-02-24 19:35:52", tz="UTC")
    assert result.style == ts.ISO_OFFSET and not result.unparsed.any()


def test_rees46_event_times_ending_in_utc_all_parse():
    events = pd.read_csv(real_file("rees46_2019-Oct-sample.csv"), dtype=str)
    result = parse_timestamps(events["event_time"])
    assert result.values.iloc[0] == pd.Timestamp("2019-10-01 00:00:00", tz="UTC")
    assert not result.unparsed.any()
    assert result.values.max() - result.values.min() < pd.Timedelta(minutes=20)  # "only 17 minutes of data"


def test_cdnow_yyyymmdd_dates_are_read_as_1997_and_1998_dates():
    purchases = pd.read_csv(real_file("cdnow_master.txt"), sep=r"\s+", dtype=str)
    result = parse_timestamps(purchases["date"])
    assert result.style == ts.YYYYMMDD and not result.unparsed.any()
    assert result.values.iloc[0] == pd.Timestamp("1997-01-01", tz="UTC")
    assert result.values.min() >= pd.Timestamp("1997-01-01", tz="UTC")
    assert result.values.max() <= pd.Timestamp("1998-06-30", tz="UTC")


def test_olist_first_contact_dates_are_decided_day_first_from_the_data():
    path = real_file("olist_marketing_funnel/olist_marketing_qualified_leads_dataset.csv")
    leads = pd.read_csv(path, dtype=str)
    result = parse_timestamps(leads["first_contact_date"])
    assert result.style == ts.DAY_FIRST and result.day_first is True and not result.ambiguous
    assert leads["first_contact_date"].iloc[0] == "01-02-2018"
    assert result.values.iloc[0] == pd.Timestamp("2018-02-01", tz="UTC")
    assert not result.unparsed.any()


def test_olist_won_dates_with_times_are_day_first():
    deals = pd.read_csv(real_file("olist_marketing_funnel/olist_closed_deals_dataset.csv"), dtype=str)
    result = parse_timestamps(deals["won_date"])
    assert result.values.iloc[0] == pd.Timestamp("2018-02-26 19:58", tz="UTC")
    assert result.day_first is True and not result.unparsed.any()


def test_marketing_campaign_customer_dates_are_iso():
    customers = pd.read_csv(real_file("marketing_campaign.csv"), sep=";", dtype=str)
    result = parse_timestamps(customers["Dt_Customer"])
    assert customers["Dt_Customer"].iloc[0] == "2012-09-04"
    assert result.values.iloc[0] == pd.Timestamp("2012-09-04", tz="UTC")
    assert result.style == ts.ISO and not result.unparsed.any()


def test_real_timestamp_columns_look_like_timestamps_and_their_text_does_not():
    tweets = pd.read_csv(real_file("airline_tweets.csv"), dtype=str)
    assert looks_like_timestamps(tweets["tweet_created"]) == 1.0
    assert looks_like_timestamps(tweets["text"]) == 0.0


def test_dotted_dates_that_fit_both_orders_are_read_day_first_and_slashed_ones_month_first():
    # 01.03.2024 is 1 March in Germany, Russia, Poland, Switzerland ...: nobody writes month-first with dots.
    dotted = parse_timestamps(pd.Series(["01.03.2024 10:15", "02.03.2024 09:00"]))
    assert dotted.values.dt.strftime("%Y-%m-%d").tolist() == ["2024-03-01", "2024-03-02"]
    assert (dotted.day_first, dotted.ambiguous) == (True, True)
    slashed = parse_timestamps(pd.Series(["01/03/2024", "02/03/2024"]))
    assert slashed.values.dt.strftime("%Y-%m-%d").tolist() == ["2024-01-03", "2024-02-03"]
    assert parse_timestamps(pd.Series(["01.03.2024"]), day_first=False).values.dt.month.tolist() == [1]


def test_incomes_that_fall_in_excels_date_range_are_no_dates():
    # 58000, 46000 and 71000 read as Excel serials are 2058, 2025 and 2094: 69 years apart, so amounts, not the moments
    # of one export's events; Excel serials of three days in 2024 (45292..45294) are dates.
    from cjm.data.columns import suggest_mapping
    from cjm.data.timestamps import looks_like_timestamps

    assert looks_like_timestamps(pd.Series([58000, 46000, 71000])) == 0.0
    assert looks_like_timestamps(pd.Series([45292, 45293, 45294])) == 1.0
    mapping = suggest_mapping(pd.DataFrame({"ID": [1, 2, 9], "Income": [58000, 46000, 71000], "Kidhome": [0, 1, 0]}),
                              timestamp_score=looks_like_timestamps)
    assert "timestamp" not in mapping.columns


def test_numbers_in_a_column_named_like_a_date_are_dates_whatever_their_span():
    # 32905, 37043 and 45296 are the Excel serials of 1990-02-01, 2001-06-01 and 2024-01-05: 34 years apart, over the
    # 30-year limit. Unnamed (or named 'Income') they score 0; named 'Customer Since' or 'signup_date' (a date word)
    # all 3 read as dates from 1990 to 2100: 3 / 3 = 1.0.
    from cjm.data.timestamps import looks_like_timestamps

    serials = [32905, 37043, 45296]
    assert looks_like_timestamps(pd.Series(serials)) == 0.0
    assert looks_like_timestamps(pd.Series(serials, name="Income")) == 0.0
    assert looks_like_timestamps(pd.Series(serials, name="Customer Since")) == 1.0
    assert looks_like_timestamps(pd.Series(serials, name="signup_date")) == 1.0
    # a date word beside a duration word names a duration: 'days_since_signup' keeps the 30-year limit
    assert looks_like_timestamps(pd.Series(serials, name="days_since_signup")) == 0.0


def test_a_few_mistyped_years_do_not_stretch_the_span_of_numbers_read_as_dates():
    # 'logged' names no date, so the 30-year limit (30 x 366 = 10,980 days) applies, measured from the 5th to the 95th
    # percentile (linear between neighbours). 19 weekly Excel serials 44931 (2023-01-05) .. 45057 (2023-05-11), and
    # 70204 (2093-03-15, typed for 2023), 20 values sorted at positions 0..19:
    #   5th at 0.05 x 19 = 0.95: 44931 + 0.95 x 7 = 44937.65; 95th at 18.05: 45057 + 0.05 x (70204 - 45057) = 46314.35
    #   span 1,376.7 days (3.8 years) <= 10,980: the 20 values are dates, 20 / 20 = 1.0 (min..max spans 70 years).
    # The last 10 of them (45001 .. 45057 and 70204) are not: 5th at 0.45: 45001 + 0.45 x 7 = 45004.15; 95th at 8.55:
    #   45057 + 0.55 x 25147 = 58887.85; span 13,883.7 days (38 years) > 10,980: one wrong year in 10 is too many.
    from cjm.data.timestamps import looks_like_timestamps

    logged = pd.Series([44931 + 7 * week for week in range(19)] + [70204], name="logged")
    assert looks_like_timestamps(logged) == 1.0
    assert looks_like_timestamps(logged.iloc[10:]) == 0.0
    # incomes 46000, 58000, 71000: 5th 46000 + 0.1 x 12000 = 47200, 95th 58000 + 0.9 x 13000 = 69700, 22,500 days
    assert looks_like_timestamps(pd.Series([58000, 46000, 71000], name="logged")) == 0.0
