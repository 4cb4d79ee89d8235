"""Journey maps: cells computed by hand from a literal log, edits and provenance, versions, comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cjm.errors import CJMError, ParameterError
from cjm.maps import (Activity, JourneyMap, add_activity, build_current_map, build_day_map, build_future_map,
                      compare_maps, compute_projection, compute_target_status, refresh, set_target)
from cjm.maps.current import compute_time_in_stage
from cjm.maps.future import load_targets
from tests.helpers import dataset

STAGES = ("awareness", "consideration", "conversion", "retention", "loyalty")
MAPPED = {"ad_click": "awareness", "product_view": "consideration", "purchase": "conversion",
          "invoice": "retention"}
COLUMNS = ("customer_id", "timestamp", "event", "channel", "revenue", "score", "text", "segment")
ARABIC = "التوصيل كان متأخرا"
N = None

# a: 00:00 ad (web), 01:00 view, 03:00 purchase (100, score 1), 04:00 invoice with an Arabic comment
# b: 00:00 ad (social), 02:00 view, next day 02:00 purchase (50, score 5)
# c: 00:00 view, 01:00 ad, 03:00 view          d: 00:00 ad (social) only
LOG = [
    ("a", "2024-01-01 00:00", "ad_click", "web", N, N, N, "gold"),
    ("a", "2024-01-01 01:00", "product_view", "web", N, N, N, "gold"),
    ("a", "2024-01-01 03:00", "purchase", "web", 100.0, 1.0, N, "gold"),
    ("a", "2024-01-01 04:00", "invoice", "web", N, N, ARABIC, "gold"),
    ("b", "2024-01-01 00:00", "ad_click", "social", N, N, N, "gold"),
    ("b", "2024-01-01 02:00", "product_view", "web", N, N, N, "gold"),
    ("b", "2024-01-02 02:00", "purchase", "web", 50.0, 5.0, N, "gold"),
    ("c", "2024-01-01 00:00", "product_view", "web", N, N, N, "silver"),
    ("c", "2024-01-01 01:00", "ad_click", "web", N, N, N, "silver"),
    ("c", "2024-01-01 03:00", "product_view", "web", N, N, N, "silver"),
    ("d", "2024-01-01 00:00", "ad_click", "social", N, N, N, "silver"),
]


@pytest.fixture(scope="module")
def log():
    return dataset(LOG, COLUMNS, stages=MAPPED)


def without_d():
    return dataset([row for row in LOG if row[0] != "d"], COLUMNS, stages=MAPPED)


@pytest.fixture(scope="module")
def current(log):
    return build_current_map(log)


def test_time_in_stage_runs_from_the_first_event_in_the_stage_to_the_first_later_stage_event(log):
    times = compute_time_in_stage(log).set_index("stage")
    # awareness: a 1 h, b 2 h, c 2 h (its ad at 01:00 to its view at 03:00), d never leaves -> median 2 h
    assert times.loc["awareness", "customers"] == 3
    assert times.loc["awareness", "median_seconds"] == 7200
    # consideration: a 2 h, b 24 h; c never reaches a later stage -> median of two = 13 h
    assert times.loc["consideration", "customers"] == 2
    assert times.loc["consideration", "median_seconds"] == 13 * 3600
    # conversion: a 1 h to its invoice; b never leaves
    assert times.loc["conversion", "median_seconds"] == 3600
    assert times.loc["retention", "customers"] == 0


def test_the_current_map_fills_kpis_from_the_log_as_computed_by_hand(current):
    c = current.cell
    assert [c("reached", s).number for s in STAGES[:4]] == [4, 3, 2, 1]
    assert c("reached", "awareness").value == "4 (100.0%)"
    # the ordered stage funnel counts 4, 3, 2, 1 customers
    assert c("conversion", "awareness").value == "75.0% of 4 to consideration"
    assert c("conversion", "consideration").number == pytest.approx(2 / 3)
    assert c("conversion", "conversion").value == "50.0% of 2 to retention"
    assert c("conversion", "retention").value == ""  # the last stage has no next stage
    assert [c("dropoff", s).number for s in STAGES[:3]] == [1, 1, 1]
    assert c("time_in_stage", "awareness").value == "2 h 00 min"
    assert c("time_in_stage", "consideration").value == "13 h 00 min"
    assert c("time_in_stage", "consideration").evidence.customers == 2
    assert c("actions", "awareness").value == "ad_click (100.0%)"
    assert c("touchpoints", "awareness").value == "social (50.0%)\nweb (50.0%)"
    assert c("emotions", "conversion").number == 0.0 and c("emotions", "conversion").evidence.comments == 2
    assert c("thoughts", "retention").value == f"“{ARABIC}”"
    assert c("gaps", "awareness").value.startswith("social → web (channel): 1 customer;")
    assert all(c(lane, s).provenance == "data" for lane in ("reached", "conversion") for s in STAGES[:3])
    assert current.stage("loyalty").hidden  # nobody reached it
    assert current.baseline["entries"] == 4 and current.baseline["conversions"] == 2
    assert current.baseline["value_per_conversion"] == 75.0  # (100 + 50) / 2 customers who purchased


def test_the_projection_multiplies_stage_conversions_through_from_todays_entries(current):
    future = build_future_map(current, targets={"consideration": {"conversion": 1.0}})
    p = compute_projection(future)
    # today: 4 x 3/4 x 2/3 = 2 conversions x 75 = 150; target: 4 x 3/4 x 1 = 3 conversions x 75 = 225
    assert p["today"]["conversions"] == pytest.approx(2) and p["today"]["revenue"] == pytest.approx(150)
    assert p["projected"]["conversions"] == pytest.approx(3) and p["projected"]["revenue"] == pytest.approx(225)
    set_target(future, "awareness", conversion=0.5)
    p = compute_projection(future)
    assert p["projected"]["conversions"] == pytest.approx(4 * 0.5 * 1.0)
    set_target(future, "retention", conversion=0.9)  # after the goal stage: no effect
    assert compute_projection(future)["projected"]["conversions"] == pytest.approx(2)
    assert future.cell("target_conversion", "awareness").provenance == "assumption"
    assert future.cell("gap_to_today", "awareness").value == "conversion -25.0 pts"


def test_targets_show_actual_against_target_on_newer_data(current, log):
    future = build_future_map(current, targets={"awareness": {"conversion": 0.8}, "consideration": {"seconds": 36000}})
    newer = build_current_map(without_d())  # a, b, c: 3 of 3 move on
    status = compute_target_status(future, newer).set_index(["stage", "measure"])
    assert status.loc[("awareness", "conversion"), "baseline"] == 0.75
    assert status.loc[("awareness", "conversion"), "actual"] == 1.0
    assert bool(status.loc[("awareness", "conversion"), "met"])
    assert status.loc[("consideration", "seconds"), "actual"] == 13 * 3600
    assert not bool(status.loc[("consideration", "seconds"), "met"])


def test_an_edit_turns_a_data_cell_into_edited_and_keeps_the_data_value(current):
    jm = current.copy()
    jm.set_cell("actions", "awareness", "sees our ad on the bus")
    cell = jm.cell("actions", "awareness")
    assert (cell.provenance, cell.data_value) == ("edited", "ad_click (100.0%)")
    jm.set_cell("actions", "awareness", "ad_click (100.0%)")
    assert jm.cell("actions", "awareness").provenance == "data"
    jm.set_cell("owner", "awareness", "Head of marketing")
    assert jm.cell("owner", "awareness").provenance == "assumption"


def test_stages_and_lanes_can_be_renamed_reordered_added_and_hidden(current):
    jm = current.copy()
    jm.rename_stage("awareness", "Discover")
    jm.move_stage("retention", 0)
    added = jm.add_stage("Onboarding", after="conversion")
    jm.hide_lane("gaps")
    jm.add_lane("Moments of truth")
    assert [s.name for s in jm.visible_stages()] == ["retention", "Discover", "consideration", "conversion", "Onboarding"]
    assert added.key not in STAGES
    assert "gaps" not in [lane.key for lane in jm.visible_lanes()]
    assert jm.visible_lanes()[-1].name == "Moments of truth"
    with pytest.raises(ParameterError, match="no stage"):
        jm.rename_stage("nowhere", "x")


def test_a_map_survives_a_json_round_trip(current):
    jm = build_future_map(current, targets={"awareness": {"conversion": 0.9, "sentiment": 0.2}})
    jm.set_cell("actions", "awareness", "edited text")
    jm.pin_quote("conversion", "Great checkout")
    again = JourneyMap.from_json(jm.to_json())
    assert again.to_dict() == jm.to_dict()
    assert again.cell("actions", "awareness").data_value == "ad_click (100.0%)"
    assert again.targets["awareness"].conversion == 0.9


def test_a_map_saved_by_version_1_still_loads():
    text = (Path(__file__).parent / "test_maps_v1_fixture.json").read_text(encoding="utf-8")
    jm = JourneyMap.from_json(text)
    assert jm.version == 3 and jm.template == "current"  # migrated 1 -> 2 -> 3
    assert [s.key for s in jm.stages] == ["awareness", "consideration", "conversion"]
    assert jm.persona.name == "Busy parent"
    assert jm.cell("thoughts", "consideration").value == "“Too many options”"  # v1 called the lane "quotes"
    assert jm.cell("actions", "awareness").provenance == "data"
    assert jm.cell("owner", "conversion").provenance == "assumption"
    assert JourneyMap.from_json(jm.to_json()).to_dict() == jm.to_dict()


def test_a_newer_or_broken_map_file_gets_a_plain_message():
    with pytest.raises(CJMError, match="newer cjm"):
        JourneyMap.from_json(json.dumps({"version": 99}))
    with pytest.raises(CJMError, match="not valid JSON"):
        JourneyMap.from_json("{nope")


def test_a_pinned_quote_lands_in_the_thoughts_lane_once(current):
    jm = current.copy()
    jm.pin_quote("conversion", "Checkout was quick", customer_id="b")
    jm.pin_quote("conversion", "Checkout was quick", customer_id="b")
    cell = jm.cell("thoughts", "conversion")
    assert cell.value == "“Checkout was quick”" and cell.evidence.comments == 1


def test_two_segments_side_by_side_mark_where_their_journeys_differ(log):
    gold = build_current_map(log, segment="gold")
    silver = build_current_map(log, segment="silver")
    diff = compare_maps(gold, silver).set_index(["lane", "stage"])
    # gold (a, b): 2 of 2 reach consideration; silver (c, d): c's ad comes after its view -> 1 of 2
    assert gold.cell("conversion", "awareness").number == 1.0
    assert silver.cell("conversion", "awareness").number == 0.5
    assert diff.loc[("conversion", "awareness"), "difference"] == -0.5
    assert bool(diff.loc[("conversion", "awareness"), "marked"])
    assert not bool(diff.loc[("actions", "awareness"), "marked"])  # ad_click tops both
    with pytest.raises(ParameterError, match="No customer is in segment 'bronze'"):
        build_current_map(log, segment="bronze")


def test_a_saved_map_opened_on_newer_data_keeps_what_people_typed(current, log):
    saved = build_future_map(current, targets={"awareness": {"conversion": 0.8}})
    saved.set_cell("actions", "awareness", "sees an ad")
    saved.set_cell("owner", "conversion", "Sales lead")
    saved.rename_stage("awareness", "Discover")
    fresh = build_current_map(without_d())
    out = refresh(saved, fresh)
    assert out.template == "future" and out.stage("awareness").name == "Discover"
    assert out.cell("owner", "conversion").value == "Sales lead"
    assert out.cell("actions", "awareness").value == "sees an ad"
    assert out.cell("reached", "awareness").number == 3  # the data cells are today's
    assert out.targets["awareness"].conversion == 0.8


def test_a_day_in_the_life_counts_interactions_by_hour_and_weekday(log):
    day = build_day_map(log)
    # 2024-01-01 is a Monday: 4 events at 00:00, 2 at 01:00, 1 at 02:00, 2 at 03:00, 1 at 04:00; b's purchase
    # is on Tuesday at 02:00
    assert day.heat[0][:5] == [4, 2, 1, 2, 1] and day.heat[1][2] == 1 and sum(map(sum, day.heat)) == 11
    assert day.cell("interactions", "h00").value == "72.7%"  # 8 of 11 events in 00-03 (the lane: share of the day)
    assert day.cell("channels", "h00").value == "web (75%)\nsocial (25%)"  # 6 web, 2 social
    # 7 of 8 and 1 of 8: 87.5% and 12.5%, each rounded half up as a spreadsheet shows them
    assert day.cell("busiest_days", "h00").value == "Mon (88%), Tue (13%)"
    add_activity(day, Activity(start=7, end=10, text="compares prices on a rival's app", kind="competitors"))
    assert day.cell("competitors", "h06").value == "07–10 compares prices on a rival's app"
    assert day.cell("competitors", "h09").provenance == "assumption"
    with pytest.raises(ParameterError, match="start < end"):
        add_activity(day, Activity(start=9, end=9, text="x"))


def test_targets_from_a_file_are_checked():
    assert load_targets({"awareness": {"conversion": "40%"}})["awareness"].conversion == pytest.approx(0.4)
    with pytest.raises(ParameterError, match="from 0.0 to 1.0"):
        load_targets({"awareness": {"conversion": 4}})
    with pytest.raises(ParameterError, match="unknown keys"):
        load_targets({"awareness": {"speed": 1}})


def test_a_dashboard_spec_stores_maps_and_gives_them_back(current):
    from cjm.spec import DashboardSpec, MapSpec

    spec = DashboardSpec(maps={"journey map": MapSpec(template="future", segment="gold",
                                                      document=build_future_map(current).to_dict())})
    again = DashboardSpec.from_json(spec.to_json())
    assert again == spec
    assert JourneyMap.from_dict(again.maps["journey map"].document).template == "future"
    assert DashboardSpec.from_dict({"title": "old, no maps"}).maps == {}


def test_a_spec_read_leniently_keeps_its_maps_and_reports_a_broken_one(current):
    from cjm.spec import DashboardSpec, MapSpec

    data = DashboardSpec(maps={"current": MapSpec(document=current.to_dict())}).to_dict()
    data["maps"]["broken"] = {"template": "someday"}
    spec, problems = DashboardSpec.read(data)
    assert list(spec.maps) == ["current"] and spec.maps["current"].document == current.to_dict()
    assert any("journey map 'broken'" in p for p in problems)


def test_the_drop_off_cell_says_how_many_of_those_who_dropped_are_still_in_progress():
    # a: ad then view (went on); b: ad on 1 Jan, nothing after (its 7-day window closed: abandoned);
    # c: ad on 19 Jan, two days before the data ends (window open: in progress); z ends the data on 21 Jan
    rows = [("a", "2024-01-01 00:00", "ad_click"), ("a", "2024-01-02 00:00", "product_view"),
            ("b", "2024-01-01 00:00", "ad_click"), ("c", "2024-01-19 00:00", "ad_click"),
            ("z", "2024-01-21 00:00", "invoice")]
    jm = build_current_map(dataset(rows, stages=MAPPED))
    assert jm.cell("dropoff", "awareness").value == "2 of 3 (66.7%)\n1 of them still in progress"
    assert jm.cell("dropoff", "awareness").number == 2


def test_the_day_in_the_life_is_drawn_narrow_enough_to_read_at_the_pages_width(log):
    import xml.etree.ElementTree as ET

    from cjm.maps.render import to_svg

    root = ET.fromstring(to_svg(build_day_map(log)))
    # 112 px of lane labels + 8 three-hour columns of 106 px + 8 px margin (it was 170 + 8 x 195 + 8 = 1,738,
    # which the page's ~940 px column shrank to text about 6 px high)
    assert root.get("width") == "968"
    texts = {t.text: t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text}
    assert texts["72.7%"].get("font-size") == "12.5"
    # the weekday x hour strip says what its colours mean: 4 events at Monday 00:00 is the busiest hour
    assert "no events" in texts and "4 events (busiest hour)" in texts
    assert [texts[d].get("font-size") for d in ("Mon", "Sun", "00:00", "21:00")] == ["11.5"] * 4


SVG_NS = "{http://www.w3.org/2000/svg}"


def _stage_map(stages, value="checkout_started (55.0%)"):
    from cjm.maps.model import Lane, Stage

    jm = JourneyMap(stages=[Stage(s, s) for s in stages], lanes=[Lane("actions", "Actions")])
    for s in stages:
        jm.set_cell("actions", s, value)
    return jm


def test_a_seven_stage_map_is_drawn_as_wide_as_the_page_with_text_of_twelve_and_a_half_px():
    import xml.etree.ElementTree as ET

    from cjm.data.schema import STAGE_MODELS
    from cjm.maps.render import to_svg
    from cjm.maps.text import text_width

    root = ET.fromstring(to_svg(_stage_map(STAGE_MODELS["7"])))
    # 120 px of lane labels + 7 columns of (940 - 120 - 8) / 7 = 116 px + 8 px margin = 940 (it was
    # 170 + 7 x 195 + 8 = 1,543 px, which the page's 940 px column shrank to 61%: 11.5 px text shown 7 px high)
    assert root.get("width") == "940"
    headers = [g.find(f"{SVG_NS}rect") for g in root.iter(f"{SVG_NS}g") if g.get("class") == "stage"]
    assert [float(r.get("x")) for r in headers] == [122 + 116 * i for i in range(7)]
    assert {r.get("width") for r in headers} == {"112"} and {r.get("height") for r in headers} == {"34"}
    cell = next(g for g in root.iter(f"{SVG_NS}g") if (g.get("class") or "").startswith("cell "))
    lines = [t.text for t in cell.iter(f"{SVG_NS}text")]
    # the text is 116 - 2 x 8 - 4 = 96 px wide. In DejaVu Sans at 12.5 px "checkout_started" is 115.6 px:
    # it breaks after "_" ("checkout_" 63.3 px), and "started (55.0%)" is 44.7 + 4.0 + 49.5 = 98.2 px
    assert lines == ["checkout_", "started", "(55.0%)"]
    assert {t.get("font-size") for t in cell.iter(f"{SVG_NS}text")} == {"12.5"}
    assert max(text_width(line, 12.5) for line in lines) <= 96


def test_five_stages_get_162_px_columns_and_more_than_eight_stages_a_wider_map_of_100_px_columns():
    import xml.etree.ElementTree as ET

    from cjm.data.schema import STAGE_MODELS
    from cjm.maps.render import stage_grid, to_svg

    five = ET.fromstring(to_svg(_stage_map(STAGE_MODELS["5"], "web (75.5%)")))
    # 120 + 5 x 162 + 8 = 938: the map keeps the page's 940 px (room for the header and legend)
    assert five.get("width") == "940"
    assert [float(g.find(f"{SVG_NS}rect").get("x")) for g in five.iter(f"{SVG_NS}g") if g.get("class") == "stage"] == [
        122, 284, 446, 608, 770]
    # 12 stages: 100 px columns (no narrower): 120 + 12 x 100 + 8 = 1,328 px, which the page scrolls
    twelve = ET.fromstring(to_svg(_stage_map([f"s{i}" for i in range(12)], "web (75.5%)")))
    assert twelve.get("width") == "1328"
    # 12 lines of 175 px at 11.5 px are 182.6 em. Two stages keep 195 px columns, whose 175 px lines at
    # 12.5 px hold 14 em: 13.04, so 14 lines; a 116 px column's 96 px lines hold 7.68 em: 23.8 lines, and a
    # quarter more for the words that move to the next line: 30 lines
    assert (stage_grid(2).col_w, stage_grid(2).max_lines) == (195, 14) and stage_grid(7).max_lines == 30


def test_a_stage_name_too_long_for_its_column_takes_more_lines_and_nothing_is_cut():
    import xml.etree.ElementTree as ET

    from cjm.maps.render import to_svg

    root = ET.fromstring(to_svg(_stage_map(["awareness", "post-purchase onboarding", "c", "d", "e", "f", "g"])))
    stage = [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "stage"][1]
    # bold 13 px in 116 - 20 = 96 px: "post-purchase" is 104.8 px, so the name breaks after its hyphen;
    # "purchase onboarding" is 67.3 + 4.5 + 83.9 px: three lines, and the header grows from 34 to 34 + 2 x 16 px
    assert [t.text for t in stage.iter(f"{SVG_NS}text")] == ["post-", "purchase", "onboarding"]
    assert stage.find(f"{SVG_NS}rect").get("height") == "66"
    assert stage.find(f"{SVG_NS}title").text == "post-purchase onboarding"


def test_text_widths_are_those_of_the_installed_dejavu_sans():
    from cjm.maps.text import text_width

    fonts = Path("/usr/share/fonts/truetype/dejavu")
    if not (fonts / "DejaVuSans.ttf").exists():
        pytest.skip("DejaVu Sans is not installed")
    from fontTools.ttLib import TTFont

    for name, bold in (("DejaVuSans.ttf", False), ("DejaVuSans-Bold.ttf", True)):
        font = TTFont(fonts / name)
        cmap, advance, em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
        for ch in [chr(c) for c in range(32, 127)] + list("→“”·…–×"):
            assert text_width(ch, 1000, bold=bold) == pytest.approx(advance[cmap[ord(ch)]][0] * 1000 / em, abs=0.51), ch
