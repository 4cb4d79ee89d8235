"""Journey map page (AppTest): the demo map, edits kept as "edited", future state targets and projection,
a day in the life, pinned quotes, and the map kept in the dashboard spec."""

from __future__ import annotations

from cjm.maps import JourneyMap
from tests.apptest import open_app

PAGE = "app_pages/journey_map.py"


def no_problem(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def drawn(at) -> str:
    return "\n".join(f.proto.srcdoc for f in at.get("iframe"))


def drawn_words(at) -> str:
    """The drawn lines joined by spaces: a cell's text wrapped over lines in its stage column reads whole."""
    import html
    import re

    return " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", drawn(at)))


def test_the_journey_map_opens_on_the_demo_data_with_every_stage_and_lane():
    at = open_app(PAGE)
    no_problem(at)
    svg, words = drawn(at), drawn_words(at)
    for text in ("Customer journey map", "awareness", "loyalty", "KPI · customers", "2,346 (78.2%)",
                 "70.7% of 2,346 to", "Emotions", "+0.52 (n=367)", "ad_impression (38.5%)"):
        assert text in words, text
    assert "<script" not in svg
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"PNG", "SVG", "PDF", "HTML", "JSON", "CSV"} <= set(labels)


def _saved(template: str, change) -> object:
    """A dashboard spec whose saved map (built on the demo data) a person has changed with `change`."""
    from cjm.data.dataset import load_dataset
    from cjm.maps import build_current_map, build_future_map
    from cjm.spec import DashboardSpec, MapSpec
    from cjm.ui.data import DEMO_DIR, DEMO_FILES
    from cjm.data.dataset import SourceFile

    dataset = load_dataset([SourceFile.from_path(DEMO_DIR / name, role=role) for name, role in DEMO_FILES])
    jm = build_current_map(dataset)
    if template == "future":
        jm = build_future_map(jm)
    change(jm)
    return DashboardSpec(maps={template: MapSpec(template=template, document=jm.to_dict())},
                         pages={"journey_map": {"template": template}})


def test_a_saved_edit_is_drawn_as_edited_with_the_data_value_beside_it():
    at = open_app(PAGE, spec=_saved("current", lambda jm: jm.set_cell("actions", "awareness", "Sees our ad on the bus")))
    no_problem(at)
    svg = drawn(at)
    assert 'class="cell edited"' in svg and "Sees our ad on the bus" in drawn_words(at)
    assert "The data said: ad_impression (38.5%)" in svg


def test_the_future_state_projects_conversions_from_the_targets():
    at = open_app(PAGE)
    at.segmented_control(key="cjm.maps.template").set_value("future").run()
    no_problem(at)
    label = "Customers reaching conversion if the targets were met"
    assert {m.label: m.value for m in at.metric}[label] == "422"  # no target yet: today's count at the goal
    from cjm.maps import set_target

    at = open_app(PAGE, spec=_saved("future", lambda jm: set_target(jm, "consideration", conversion=0.5)))
    no_problem(at)
    assert {m.label: m.value for m in at.metric}[label] == "830"  # 2,346 entries x 70.7% x 50% = 829.5
    assert "If the targets were met: 830 conversions (+408)" in drawn(at)
    assert "targets against actuals" in " ".join(b.proto.label for b in at.get("download_button"))


def test_a_day_in_the_life_shows_hours_and_takes_activities():
    at = open_app(PAGE)
    at.segmented_control(key="cjm.maps.template").set_value("day").run()
    no_problem(at)
    svg = drawn(at)
    assert "A day in the life" in svg and "09–12" in svg and "When interactions happen" in svg


def test_a_quote_pinned_on_the_sentiment_page_lands_in_the_thoughts_lane():
    at = open_app("app_pages/sentiment.py")
    no_problem(at)
    pins = [b for b in at.button if b.label == "Pin to map"]
    assert pins
    pins[0].click().run()
    pinned = at.session_state["cjm.spec"].pages["journey_map"]["pins"][0]
    at.switch_page(PAGE).run()
    no_problem(at)
    import html
    import re

    words = " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", drawn(at)))
    assert f"“{pinned['text']}”" in words  # wrapped over lines, in the thoughts lane


def test_two_segments_side_by_side_mark_where_their_journeys_differ():
    from cjm.spec import DashboardSpec

    at = open_app(PAGE, spec=DashboardSpec(pages={"segments": {"k": 3, "applied": True}}))
    no_problem(at)
    segments = at.selectbox(key="cjm.maps.segment").options
    assert len(segments) == 4 and segments[0] == "All customers"
    at.selectbox(key="cjm.maps.segment").set_value(segments[1]).run()
    at.selectbox(key="cjm.maps.compare").set_value(segments[2]).run()
    no_problem(at)
    frames = at.get("iframe")
    assert len(frames) == 2
    assert f"persona: {segments[1]}" in frames[0].proto.srcdoc and f"persona: {segments[2]}" in frames[1].proto.srcdoc
    assert 'stroke="#d62728"' in frames[0].proto.srcdoc  # differing cells have red edges
    assert any("cells differ" in c.value for c in at.caption)


def test_a_stage_added_by_hand_and_a_day_activity_are_drawn_as_assumptions():
    at = open_app(PAGE)
    next(t for t in at.text_input if t.label == "New stage").set_value("Onboarding")
    next(b for b in at.button if b.label == "Add stage").click().run()
    no_problem(at)
    jm = JourneyMap.from_dict(at.session_state["cjm.spec"].maps["current"].document)
    assert [s.name for s in jm.stages][-1] == "Onboarding"
    assert "Onboarding" in drawn(at)

    at.segmented_control(key="cjm.maps.template").set_value("day").run()
    next(t for t in at.text_input if t.label == "Activity").set_value("Checks a rival's app on the train")
    next(n for n in at.number_input if n.label == "From hour").set_value(7)
    next(n for n in at.number_input if n.label == "To hour").set_value(8)
    next(s for s in at.selectbox if s.label == "Kind").set_value("competitors")
    next(b for b in at.button if b.label == "Add activity").click().run()
    no_problem(at)
    day = JourneyMap.from_dict(at.session_state["cjm.spec"].maps["day"].document)
    assert day.cell("competitors", "h06").value == "07–08 Checks a rival's app on the train"
    assert day.cell("competitors", "h06").provenance == "assumption"
    # drawn in the day's narrow three-hour column: wrapped over several lines ("07–08", "Checks a", ...)
    assert all(f">{line}<" in drawn(at) for line in ("07–08", "Checks a", "the train"))


def test_the_target_table_shows_a_dash_for_a_missing_figure_and_no_rise_before_any_target():
    # Seen on the demo: "None" in the loyalty row's conversion and in stages without feedback, and a green
    # "↑ +0 vs today's 422" under the projection although nothing had been set.
    at = open_app(PAGE)
    at.segmented_control(key="cjm.maps.template").set_value("future").run()
    no_problem(at)
    rows = next(d.value for d in at.dataframe if "conversion today %" in d.value.columns).set_index("stage")
    assert rows.loc["loyalty", "conversion today %"] == "–"
    assert rows.loc["awareness", "sentiment today"] == "–"
    assert rows.loc["awareness", "conversion today %"] == "70.7"  # 1,659 of 2,346
    assert rows.loc["loyalty", "sentiment today"] == "+0.52"
    tile = next(m for m in at.metric if m.label == "Customers reaching conversion if the targets were met")
    assert tile.value == "422" and tile.proto.delta == "same as today's 422"
