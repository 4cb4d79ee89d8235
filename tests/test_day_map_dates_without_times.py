"""A day in the life of data whose timestamps are dates without times (CDNOW's purchases, an order export
with a date column): the hour of each interaction is unknown, so the map says so instead of putting every
interaction in 00–03, and keeps what the dates do tell (the weekday, the channels). Expected figures are
worked out by hand beside each assertion."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import ibis
import pandas as pd
import pytest

from cjm.maps import Activity, add_activity, build_day_map, refresh
from cjm.maps.day import date_weekdays_expr, time_of_day, time_of_day_expr
from cjm.maps.render import to_svg
from tests.helpers import dataset, real_file

COLUMNS = ("customer_id", "timestamp", "event", "channel")
# 4, 11 and 18 Mar 2024 are Mondays, 9 and 16 Mar Saturdays: three purchases on Mondays, two on Saturdays
DATES = [("a", "2024-03-04", "web"), ("a", "2024-03-11", "web"), ("b", "2024-03-18", "app"),
         ("b", "2024-03-09", "web"), ("c", "2024-03-16", "app")]


def orders(suffix: str = ""):
    """The five purchases of DATES, each date written with `suffix` after it (a time or an offset)."""
    return dataset([(c, day + suffix, "purchase", channel) for c, day, channel in DATES], columns=COLUMNS)


def words(svg: str) -> str:
    """The drawn text lines of a map joined by spaces (a wrapped sentence reads whole)."""
    return " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def test_dates_without_times_put_the_data_in_a_whole_day_column_and_no_hour_block():
    jm = build_day_map(orders())
    # every purchase at midnight UTC: the hours are unknown; the map gets a first column for the whole day
    assert [s.key for s in jm.stages] == ["day", "h00", "h03", "h06", "h09", "h12", "h15", "h18", "h21"]
    assert jm.stage("day").name == "Whole day (no times)"
    for lane in ("interactions", "busiest_days", "channels"):
        assert set(jm.cells[lane]) == {"day"}, lane  # no three-hour block holds a figure from the data
    assert jm.cell("interactions", "day").value == "hour unknown" and jm.cell("interactions", "day").number is None
    assert jm.cell("interactions", "day").evidence.events == 5
    # weekdays of the dates: Mon 3 of 5 = 60%, Sat 2 of 5 = 40%
    assert jm.cell("busiest_days", "day").value == "Mon (60%), Sat (40%)"
    # channels over the whole day: web 3 of 5 (a, a, b), app 2 of 5 (b, c)
    assert jm.cell("channels", "day").value == "web (60%)\napp (40%)"
    assert jm.persona.description == "3 customers, 5 interactions; dates without times: the hours are unknown"
    # the sentence lists every weekday: Tue to Fri and Sun 0 of 5
    assert jm.hours_note == (
        "The data has dates without times: every interaction is at midnight UTC, so the hour of the day is unknown "
        "and no three-hour block can claim any of them. The data's figures are in the column 'Whole day (no "
        "times)'; the hour columns hold only the activities people add. Interactions by weekday of the date: "
        "Mon 60%, Tue 0%, Wed 0%, Thu 0%, Fri 0%, Sat 40%, Sun 0%.")
    # the weekday x hour counts stay what the timestamps say (Monday 00:00 UTC 3, Saturday 00:00 UTC 2)
    assert jm.heat[0][0] == 3 and jm.heat[5][0] == 2 and sum(map(sum, jm.heat)) == 5


def test_dates_written_at_utc_plus_one_keep_their_weekday():
    jm = build_day_map(orders("T00:00+01:00"))
    # midnight at +01:00 is 23:00 UTC the day before: Monday's dates are Sunday 23:00 UTC, Saturday's Friday 23:00
    assert jm.heat[6][23] == 3 and jm.heat[4][23] == 2
    assert time_of_day(orders("T00:00+01:00")) == 23 * 3_600_000
    # the weekday of the date is that of the nearest midnight: Mon 3, Sat 2, as written
    assert jm.cell("busiest_days", "day").value == "Mon (60%), Sat (40%)"
    assert "every interaction is at 23:00 UTC, midnight at UTC+01:00, so the hour of the day is unknown" in jm.hours_note
    assert "Interactions by weekday of the date: Mon 60%, Tue 0%, Wed 0%, Thu 0%, Fri 0%, Sat 40%, Sun 0%." in jm.hours_note


def test_dates_written_at_utc_minus_five_keep_their_weekday():
    jm = build_day_map(orders("T00:00-05:00"))
    # midnight at -05:00 is 05:00 UTC the same day
    assert jm.heat[0][5] == 3 and jm.heat[5][5] == 2
    assert jm.cell("busiest_days", "day").value == "Mon (60%), Sat (40%)"
    assert "every interaction is at 05:00 UTC, midnight at UTC-05:00," in jm.hours_note


def test_real_times_mostly_at_midnight_keep_their_hours():
    rows = [("a", "2024-03-04 00:00", "purchase"), ("b", "2024-03-05 00:00", "purchase"),
            ("c", "2024-03-06 00:00", "purchase"), ("d", "2024-03-07 00:00", "purchase"),
            ("e", "2024-03-07 14:30", "purchase")]
    jm = build_day_map(dataset(rows))
    assert jm.hours_note == "" and "day" not in [s.key for s in jm.stages]
    assert jm.cell("interactions", "h00").number == pytest.approx(4 / 5)  # four at midnight
    assert jm.cell("interactions", "h12").number == pytest.approx(1 / 5)  # 14:30 is in 12–15
    assert jm.persona.description.endswith("hours in UTC, the times as written (no time zone named)")


def test_times_a_quarter_of_a_second_apart_are_two_times_of_day():
    rows = [("a", "2024-03-04 00:00:00", "view"), ("a", "2024-03-05 00:00:00.250", "view")]
    # 0 ms and 250 ms after midnight: two times of day, so the hours are known (both in 00–03)
    assert time_of_day(dataset(rows)) is None
    assert build_day_map(dataset(rows)).cell("interactions", "h00").number == 1.0


def test_one_event_alone_cannot_tell_a_date_from_a_time():
    # one purchase at midnight: a date, or a purchase at 00:00? The rule needs two events or more
    assert time_of_day(dataset([("a", "2024-03-04", "purchase")])) is None
    assert time_of_day(dataset([("a", "2024-03-04", "purchase"), ("b", "2024-03-05", "purchase")])) == 0


def test_the_drawn_map_says_why_the_hours_are_missing_instead_of_shading_them():
    svg = to_svg(build_day_map(orders()))
    ET.fromstring(svg)  # well-formed
    text = words(svg)
    assert "The data has dates without times: every interaction is at midnight UTC" in text
    assert "When interactions happen" not in text  # the weekday x hour strip is not drawn
    assert "Whole day" in text and "Mon (60%), Sat (40%)" in text
    # with times, the strip is drawn as before
    with_times = dataset([("a", "2024-03-04 10:00", "v"), ("b", "2024-03-05 11:30", "v")])
    assert "When interactions happen" in words(to_svg(build_day_map(with_times)))


def test_a_saved_day_map_follows_whether_the_data_has_times():
    with_times = build_day_map(dataset([("a", "2024-03-04 10:00", "v"), ("b", "2024-03-05 11:30", "v")]))
    add_activity(with_times, Activity(start=7, end=8, text="commutes", kind="life"))
    dated = refresh(with_times, build_day_map(orders()))
    # opened on dates without times: the whole day comes first, the saved hour blocks and activity stay
    assert [s.key for s in dated.stages][:2] == ["day", "h00"] and len(dated.stages) == 9
    assert dated.cell("life", "h06").value == "07–08 commutes" and dated.hours_note
    back = refresh(dated, build_day_map(dataset([("a", "2024-03-04 10:00", "v"), ("b", "2024-03-05 11:30", "v")])))
    # opened again on data with times: the whole-day column goes, the hours come back
    assert "day" not in [s.key for s in back.stages] and back.hours_note == ""
    assert back.cell("interactions", "h09").number == 1.0  # 10:00 and 11:30 are both in 09–12: 2 of 2


def test_the_test_for_dates_without_times_is_one_aggregate_any_sql_engine_runs():
    table = ibis.table({"customer_id": "string", "timestamp": "timestamp('UTC')", "event": "string"}, name="events")
    for dialect in ("postgres", "pyspark", "snowflake"):
        sql = ibis.to_sql(time_of_day_expr(table), dialect=dialect)
        assert sql.upper().count("SELECT") == 1  # one aggregate, no per-row Python
        ibis.to_sql(date_weekdays_expr(table), dialect=dialect)


def test_real_cdnow_day_map_says_its_dates_have_no_times():
    from cjm.data.dataset import load_dataset

    path = real_file("cdnow_master.txt")
    raw = pd.read_csv(path, sep=r"\s+", dtype={"customer_id": str, "date": str})
    assert raw["date"].str.fullmatch(r"\d{8}").all()  # YYYYMMDD: dates without times
    rows = raw[~raw.duplicated()]  # DESIGN section 3: a row equal in every column to an earlier one is set aside
    jm = build_day_map(load_dataset([path]))
    assert jm.hours_note.startswith("The data has dates without times: every interaction is at midnight UTC")
    # before: all 69,404 purchases, 100.0%, in 00–03
    assert "h00" not in jm.cells["interactions"] and jm.cell("interactions", "day").value == "hour unknown"
    assert jm.cell("interactions", "day").evidence.events == len(rows) == 69_404
    # the weekdays of the dates in plain pandas
    shares = pd.to_datetime(rows["date"], format="%Y%m%d").dt.day_of_week.value_counts(normalize=True)
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    listed = ", ".join(f"{names[d]} {round(shares.get(d, 0) * 100)}%" for d in range(7))
    assert listed == "Mon 15%, Tue 15%, Wed 14%, Thu 14%, Fri 13%, Sat 14%, Sun 14%"
    assert f"Interactions by weekday of the date: {listed}." in jm.hours_note
