"""A day in the life decides per file whether its dates have times: a file of dates without times loaded beside a file
with times puts its interactions in the 'Whole day (no times)' column while the timed ones keep their hours, and a
file of dates read in a time zone with summer time (23:00 UTC in winter, 22:00 in summer for Berlin) is still dates
without times. Expected figures are worked out by hand beside each assertion."""

from __future__ import annotations

import html
import re

import pytest

from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.maps import build_day_map
from cjm.maps.render import to_svg

# Three orders dated without a time: a on Mon 4 and Mon 11 Mar 2024 (web), b on Sat 9 Mar (app)
ORDERS = ("customer_id,date,event,channel\n"
          "a,2024-03-04,purchase,web\n"
          "a,2024-03-11,purchase,web\n"
          "b,2024-03-09,purchase,app\n")
# Four visits with times (UTC): a Mon 4 Mar 10:15 (09-12), b Tue 5 Mar 14:00 (12-15), c Wed 6 Mar 00:30 and 01:00
# (00-03)
VISITS = ("customer_id,timestamp,event,channel\n"
          "a,2024-03-04 10:15,page_view,web\n"
          "b,2024-03-05 14:00,page_view,app\n"
          "c,2024-03-06 00:30,page_view,web\n"
          "c,2024-03-06 01:00,page_view,web\n")


def load(*files, mappings=None):
    return build_dataset(parse_files([SourceFile(name, text.encode()) for name, text in files], mappings=mappings))


def words(svg: str) -> str:
    return " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


@pytest.mark.parametrize("order", ["orders first", "visits first"])
def test_dates_without_times_beside_a_file_with_times_go_to_the_whole_day_column(order):
    files = [("orders.csv", ORDERS), ("visits.csv", VISITS)]
    jm = build_day_map(load(*(files if order == "orders first" else files[::-1])))
    assert [s.key for s in jm.stages] == ["day", "h00", "h03", "h06", "h09", "h12", "h15", "h18", "h21"]
    # 7 interactions: the 3 orders have no hour (3 / 7 = 42.9%); the 4 visits keep theirs
    whole = jm.cell("interactions", "day")
    assert whole.value == "42.9%, hour unknown" and whole.number == pytest.approx(3 / 7) and whole.evidence.events == 3
    # 00-03 holds c's two visits only, 2 / 7 (before: the 3 orders' midnights too, 5 / 7 = 71.4%)
    assert jm.cell("interactions", "h00").number == pytest.approx(2 / 7)
    assert jm.cell("interactions", "h09").number == pytest.approx(1 / 7)  # a's 10:15
    assert jm.cell("interactions", "h12").number == pytest.approx(1 / 7)  # b's 14:00
    assert sum(c.number for c in jm.cells["interactions"].values()) == pytest.approx(1)  # 3 + 2 + 1 + 1 = 7
    assert jm.cell("busiest_days", "h00").value == "Wed (100%)"  # c's visits; no Monday or Saturday order
    # the orders by weekday of their date: Mon 2 of 3 (67%), Sat 1 of 3 (33%); channels web 2, app 1
    assert jm.cell("busiest_days", "day").value == "Mon (67%), Sat (33%)"
    assert jm.cell("channels", "day").value == "web (67%)\napp (33%)"
    assert jm.cell("channels", "h00").value == "web (100%)"  # c's two visits
    # the weekday x hour strip holds the 4 visits: Mon 10, Tue 14, Wed 0 and 1; no order at Monday midnight
    assert [(d, h) for d in range(7) for h in range(24) if jm.heat[d][h]] == [(0, 10), (1, 14), (2, 0), (2, 1)]
    assert sum(map(sum, jm.heat)) == 4
    assert jm.persona.description == ("3 customers, 7 interactions; hours in UTC, the times as written (no time zone "
                                      "named); 3 dated without a time")
    assert jm.hours_note == (
        "Part of the data has dates without times: 3 of the 7 interactions (42.9%) come from 'orders.csv', dated "
        "without a time of day, so their hour is unknown and no three-hour block can claim them. They are in the "
        "column 'Whole day (no times)'; the hour columns and the weekday x hour strip hold the 4 interactions with "
        "times (UTC). Those interactions by weekday of the date: Mon 67%, Tue 0%, Wed 0%, Thu 0%, Fri 0%, Sat 33%, "
        "Sun 0%.")
    text = words(to_svg(jm))
    assert "Part of the data has dates without times" in text and "When interactions with times happen" in text


def test_each_file_says_whether_its_dates_have_times_and_where_its_events_are():
    dataset = load(("orders.csv", ORDERS), ("visits.csv", VISITS))
    from cjm.maps.day import untimed_rows

    # orders.csv is the first file: its 3 events are row_id 0, 1, 2; visits.csv's 3 .. 6
    assert untimed_rows(dataset) == [(0, 3)]
    assert [f.time_of_day for f in dataset.files] == [0, None]


def test_dates_read_in_berlin_across_summer_time_are_dates_without_times():
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "date", "event": "event",
                                     "channel": "channel"}, timezone="Europe/Berlin")
    text = ("customer_id,date,event,channel\n"
            "a,2024-01-08,purchase,web\n"   # Mon; midnight in Berlin (UTC+1) is Sun 7 Jan 23:00 UTC
            "b,2024-07-06,purchase,app\n"   # Sat; midnight in summer (UTC+2) is Fri 5 Jul 22:00 UTC
            "a,2024-07-08,purchase,web\n")  # Mon; Sun 7 Jul 22:00 UTC
    jm = build_day_map(load(("orders.csv", text), mappings={"orders.csv": mapping}))
    # before: two times of day in UTC read as hours, all 3 purchases 100% in 21-24
    assert [s.key for s in jm.stages][0] == "day" and set(jm.cells["interactions"]) == {"day"}
    assert jm.cell("interactions", "day").value == "hour unknown" and jm.cell("interactions", "day").evidence.events == 3
    # the weekday of the date (the nearest midnight): Mon 2 of 3, Sat 1 of 3
    assert jm.cell("busiest_days", "day").value == "Mon (67%), Sat (33%)"
    assert jm.persona.description == "2 customers, 3 interactions; dates without times: the hours are unknown"
    assert jm.hours_note == (
        "The data has dates without times: every interaction is at midnight as written (22:00 or 23:00 UTC: summer "
        "time moves it), so the hour of the day is unknown and no three-hour block can claim any of them. The data's "
        "figures are in the column 'Whole day (no times)'; the hour columns hold only the activities people add. "
        "Interactions by weekday of the date: Mon 67%, Tue 0%, Wed 0%, Thu 0%, Fri 0%, Sat 33%, Sun 0%.")
    assert "When interactions happen" not in words(to_svg(jm))  # no strip of made-up hours


def test_berlin_dates_beside_berlin_times_keep_the_times_hours():
    dates = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "date", "event": "event"},
                          timezone="Europe/Berlin")
    times = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event"},
                          timezone="Europe/Berlin")
    orders = "customer_id,date,event\na,2024-01-08,purchase\nb,2024-07-06,purchase\n"
    # 10:00 in Berlin: 09:00 UTC in January, 08:00 UTC in July; 10:30 in July 08:30 UTC. The day map keeps them on
    # Berlin's clock, the zone the mapping reads the file in: 10:00, 10:00 and 10:30, all three in 09-12
    visits = "customer_id,timestamp,event\na,2024-01-08 10:00,page_view\nb,2024-07-06 10:00,page_view\n" \
             "b,2024-07-06 10:30,page_view\n"
    jm = build_day_map(load(("orders.csv", orders), ("visits.csv", visits),
                            mappings={"orders.csv": dates, "visits.csv": times}))
    assert jm.cell("interactions", "day").value == "40.0%, hour unknown"  # the 2 orders of 5 interactions
    assert jm.cell("interactions", "h06").number == 0  # 08:00 and 08:30 UTC are 10:00 and 10:30 in Berlin
    assert jm.cell("interactions", "h09").number == pytest.approx(3 / 5)  # 10:00, 10:00 and 10:30 in Berlin
    assert jm.persona.description.endswith("hours in Europe/Berlin time, the data's time zone; 2 dated without a time")
    assert jm.cell("interactions", "h21").number == 0  # the orders' 23:00 and 22:00 UTC are no hours


def test_a_file_without_dates_beside_dated_files_adds_nothing_to_the_day():
    survey = ("survey.csv", "Rating,Comment\n5,good\n3,ok\n")  # two anonymous answers, no date column
    # before: the undated answers reached the weekday x hour counts as a null hour (ValueError: cannot convert
    # float NaN to integer)
    timed = build_day_map(load(("visits.csv", VISITS), survey))
    # the 4 visits of a, b, c; the survey's 2 answers have no date: left out of the day, and said
    assert timed.persona.description == ("3 customers, 4 interactions; hours in UTC, the times as written (no time "
                                         "zone named); 2 interactions without a date are left out")
    assert timed.cell("interactions", "h00").number == pytest.approx(2 / 4) and timed.hours_note == ""
    dated = build_day_map(load(("orders.csv", ORDERS), survey))
    # the 3 orders are every dated interaction: dates without times, not a mix with the survey
    assert dated.cell("interactions", "day").value == "hour unknown"
    assert dated.hours_note.startswith("The data has dates without times: every interaction is at midnight UTC")
