"""Journey map page (AppTest): a day in the life of an export whose timestamps are dates without times says
that the hours are unknown instead of putting every interaction in 00–03, and keeps the weekdays."""

from __future__ import annotations

import html
import re

from tests.apptest import open_app

PAGE = "app_pages/journey_map.py"
# 4, 11 and 18 Mar 2024 are Mondays, 9 and 16 Mar Saturdays
ORDERS = (b"customer_id,timestamp,event,channel\n"
          b"a,2024-03-04,purchase,web\na,2024-03-11,purchase,web\nb,2024-03-18,purchase,app\n"
          b"b,2024-03-09,purchase,web\nc,2024-03-16,purchase,app\n")


def no_problem(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def drawn_words(at) -> str:
    srcdoc = "\n".join(f.proto.srcdoc for f in at.get("iframe"))
    # the drawn lines joined by spaces (the map keeps a short last word on its line with a no-break space)
    return " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", srcdoc)).replace("\xa0", " ")


def day_map(at):
    at.segmented_control(key="cjm.maps.template").set_value("day").run()
    no_problem(at)
    return drawn_words(at)


def test_the_day_in_the_life_of_an_order_export_with_dates_only_says_the_hours_are_unknown():
    at = open_app(PAGE, files={"orders.csv": ORDERS})
    no_problem(at)
    words = day_map(at)
    assert "The data has dates without times: every interaction is at midnight UTC" in words
    assert "When interactions happen" not in words  # no weekday x hour strip of made-up hours
    # the first column's header, wrapped over two lines, and its interactions cell (wrapped too)
    assert "Whole day (no times) 00–03" in words and "hour unknown" in words

    # weekdays of the dates: Mon 3 of 5 = 60%, Sat 2 of 5 = 40%; channels web 3, app 2
    assert "Mon (60%), Sat (40%)" in words and "web (60%)" in words and "app (40%)" in words
    assert "100.0%" not in words  # before: 100.0% of the interactions in 00–03
    assert "3 customers, 5 interactions; dates without times: the hours are unknown" in words


def test_an_activity_added_to_a_dates_only_day_lands_in_its_hours():
    at = open_app(PAGE, files={"orders.csv": ORDERS})
    day_map(at)
    next(t for t in at.text_input if t.label == "Activity").set_value("Listens to music on the way to work")
    next(n for n in at.number_input if n.label == "From hour").set_value(7)
    next(n for n in at.number_input if n.label == "To hour").set_value(8)
    next(s for s in at.selectbox if s.label == "Kind").set_value("life")
    next(b for b in at.button if b.label == "Add activity").click().run()
    no_problem(at)
    from cjm.maps import JourneyMap

    day = JourneyMap.from_dict(at.session_state["cjm.spec"].maps["day"].document)
    assert day.cell("life", "h06").value == "07–08 Listens to music on the way to work"
    assert [s.key for s in day.stages][:2] == ["day", "h00"]
    assert "The data has dates without times" in drawn_words(at)


def test_the_day_in_the_life_of_the_demo_data_keeps_its_hours():
    at = open_app(PAGE)
    words = day_map(at)
    assert "When interactions happen" in words and "dates without times" not in words


def test_the_day_in_the_life_of_the_real_cdnow_export_says_its_dates_have_no_times():
    from cjm.data.dataset import SourceFile
    from cjm.spec import DashboardSpec
    from cjm.ui import data
    from tests.helpers import real_file

    ref = data.remember_upload(SourceFile.from_path(real_file("cdnow_master.txt")))
    at = open_app(PAGE, spec=DashboardSpec(source="upload", files=[ref]))
    no_problem(at)
    words = day_map(at)
    # before: "100.0%" in 00–03 and "0.0%" in the seven other blocks
    assert "The data has dates without times: every interaction is at midnight UTC" in words
    assert "Mon (15%), Tue (15%)" in words  # 10,586 and 10,225 of 69,404 purchases
    assert "23,570 customers, 69,404 interactions; dates without times" in words
