"""Review 19, the day-in-the-life map of dates without times (cjm/maps/day.py: WHOLE_DAY, hours_note) and its
weekdays; data without dates and data with some rows undated. Every expected figure is worked out by hand."""

from __future__ import annotations

import pytest

from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.errors import NoDatesError
from cjm.maps import build_day_map
from cjm.maps.day import time_of_day
from tests.helpers import parsed_text

# Mon 1 Jan 2024 and Mon 8 Jan (winter), Sat 6 Jul and Wed 10 Jul (summer): Mon 2 of 4 = 50%, Sat and Wed 25% each.
# Channels: web (1 Jan, 8 Jan, 10 Jul) 3 of 4 = 75%, app (6 Jul) 25%.
DAYS = [("a", "2024-01-01", "web"), ("a", "2024-01-08", "web"), ("b", "2024-07-06", "app"), ("c", "2024-07-10", "web")]
WEEKDAYS = "Mon 50%, Tue 0%, Wed 25%, Thu 0%, Fri 0%, Sat 25%, Sun 0%"


def orders(days=DAYS, *, winter: str = "", summer: str = "", timezone: str | None = None):
    """DAYS as an orders export (customer, date, purchase, channel); each January date written with `winter` after
    it and each July date with `summer` (a time zone offset); `timezone`: the mapping's zone for wall times."""
    text = "customer_id,date,event,channel\n" + "".join(
        f"{c},{d}{winter if d[5:7] == '01' else summer},purchase,{ch}\n" for c, d, ch in days)
    mappings = None
    if timezone:
        first = parse_files([SourceFile("orders.csv", text.encode())]).files[0].mapping
        mappings = {"orders.csv": ColumnMapping.from_dict({**first.to_dict(), "timezone": timezone})}
    return build_dataset(parse_files([SourceFile("orders.csv", text.encode())], mappings=mappings))


def whole_day(jm) -> dict:
    return {lane: {key: cell.value for key, cell in jm.cells.get(lane, {}).items()}
            for lane in ("interactions", "busiest_days", "channels")}


EXPECTED = {"interactions": {"day": "hour unknown"}, "busiest_days": {"day": "Mon (50%), Wed (25%)"},
            "channels": {"day": "web (75%)\napp (25%)"}}


def test_dates_in_utc_give_the_whole_day_column_with_the_weekdays_of_the_dates():
    jm = build_day_map(orders())
    assert [s.key for s in jm.stages][:2] == ["day", "h00"]
    # Mon 50%, then the tie Wed / Sat at 25% shown in weekday order (Wed first)
    assert whole_day(jm) == EXPECTED
    assert jm.hours_note.startswith("The data has dates without times: every interaction is at midnight UTC,")
    assert jm.hours_note.endswith(f"Interactions by weekday of the date: {WEEKDAYS}.")


@pytest.mark.parametrize("winter, summer, where", [
    ("T00:00:00+01:00", "T00:00:00+02:00", "Berlin"),          # 23:00 UTC in winter, 22:00 UTC in summer
    ("T00:00:00-05:00", "T00:00:00-04:00", "New York"),        # 05:00 UTC in winter, 04:00 UTC in summer
    ("T00:00:00+00:00", "T00:00:00+01:00", "London"),          # 00:00 UTC in winter, 23:00 UTC (the day before)
])
def test_dates_written_at_local_midnight_through_summer_time_are_still_dates_without_times(winter, summer, where):
    # each date is midnight where it was written; summer time moves that midnight one hour in UTC, so the data has
    # two times of day an hour apart, and still no hour of any interaction: the same whole-day column and weekdays
    # (was: Berlin 100.0% in 21-24 and 'Sun (50%), Tue (25%)', New York 100.0% in 03-06, London 50% in 00-03 and
    # 50% in 21-24)
    jm = build_day_map(orders(winter=winter, summer=summer))
    assert whole_day(jm) == EXPECTED, where
    assert jm.hours_note.endswith(f"Interactions by weekday of the date: {WEEKDAYS}."), where
    assert "summer time" in jm.hours_note, where


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Pacific/Auckland"])
def test_dates_read_in_a_local_time_zone_of_the_mapping_keep_their_weekdays(zone):
    # the mapping's zone puts each date at its local midnight (Auckland: 11:00 UTC the day before in January, summer
    # time +13:00, and 12:00 UTC the day before in July, +12:00)
    # (was: Berlin 100.0% in 21-24 with 'Sun (50%), Tue (25%)', New York 100.0% in 03-06, Auckland 50% in 09-12 and
    # 50% in 12-15: two times of day were read as hours; and 11:00 UTC as midnight at UTC-11:00, the day before)
    jm = build_day_map(orders(timezone=zone))
    assert whole_day(jm) == EXPECTED, zone


def test_real_times_an_hour_apart_on_one_date_are_real_times():
    # 09:00 and 10:00 UTC on the same date (and on others): a date has one midnight, so these are hours of the day
    days = [("a", "2024-03-04 09:00"), ("b", "2024-03-04 10:00"), ("c", "2024-03-05 09:00"), ("d", "2024-03-06 10:00")]
    text = "customer_id,date,event\n" + "".join(f"{c},{d},purchase\n" for c, d in days)
    ds = build_dataset(parsed_text(text, "orders.csv"))
    assert time_of_day(ds) is None
    jm = build_day_map(ds)
    # 09:00 and 10:00 are both in the 09-12 block: 4 of 4
    assert "day" not in [s.key for s in jm.stages] and jm.cells["interactions"]["h09"].value == "100.0%"


def test_a_day_in_the_life_of_data_without_any_date_says_it_needs_dates():
    ds = build_dataset(parsed_text("event,score\npage_view,4\npurchase,5\npage_view,3\n", "survey.csv"))
    # was: ValueError 'cannot convert float NaN to integer' (the undated events' hour is null)
    with pytest.raises(NoDatesError, match="^A day in the life needs dates"):
        build_day_map(ds)


# Ten respondents, six of whom wrote a date without a time: 4 Mar (Mon) web, 5 Mar (Tue) app, 4 Mar (Mon) web,
# 9 Mar (Sat) app, 11 Mar (Mon) web twice; four left it blank (two web, two app).
PARTLY = "date,event,score,channel\n" + "".join(f"{d},page_view,{s},{c}\n" for d, s, c in [
    ("2024-03-04", 4, "web"), ("", 5, "web"), ("2024-03-05", 3, "app"), ("", 2, "app"), ("2024-03-04", 1, "web"),
    ("", 4, "app"), ("2024-03-09", 5, "app"), ("", 3, "web"), ("2024-03-11", 2, "web"), ("2024-03-11", 1, "web")])


def test_a_day_in_the_life_of_partly_dated_data_draws_its_dated_interactions_and_says_how_many_had_no_date():
    jm = build_day_map(build_dataset(parsed_text(PARTLY, "survey.csv")))
    # six dated, all at midnight: dates without times. Weekdays Mon 4 of 6 = 67%, Tue 1 = 17%, Sat 1 = 17%;
    # channels of the dated six: web 4 = 67%, app 2 = 33%
    assert whole_day(jm) == {"interactions": {"day": "hour unknown"}, "busiest_days": {"day": "Mon (67%), Tue (17%)"},
                             "channels": {"day": "web (67%)\napp (33%)"}}
    assert jm.cells["interactions"]["day"].evidence.events == 6
    assert jm.hours_note.endswith("Interactions by weekday of the date: Mon 67%, Tue 17%, Wed 0%, Thu 0%, Fri 0%, "
                                  "Sat 17%, Sun 0%.")
    assert sum(map(sum, jm.heat)) == 6
    # the six dated respondents and their six interactions; the four without a date are said, not drawn
    assert jm.persona.description == ("6 customers, 6 interactions; dates without times: the hours are unknown; "
                                      "4 interactions without a date are left out")


def test_a_day_in_the_life_of_partly_dated_data_with_times_puts_the_dated_ones_in_their_hours():
    text = "date,event,score\n2024-03-04 10:00,page_view,4\n,purchase,5\n2024-03-05 11:30,page_view,3\n" \
           "2024-03-06 22:15,page_view,2\n"
    jm = build_day_map(build_dataset(parsed_text(text, "survey.csv")))
    # three dated: 10:00 and 11:30 in 09-12 (2 of 3 = 66.7%), 22:15 in 21-24 (1 of 3 = 33.3%)
    assert jm.cells["interactions"]["h09"].value == "66.7%" and jm.cells["interactions"]["h21"].value == "33.3%"
    assert jm.persona.description == ("3 customers, 3 interactions; hours in UTC, the times as written (no time zone "
                                      "named); 1 interaction without a date is left out")
