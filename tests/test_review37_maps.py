"""Review 37: the journey maps' numbers (future state, day in the life, a segment's map, the CSV export) against an
independent pandas reference (tests/review37_reference.py, from DESIGN.md section 5 and DOMAIN.md alone), on small
hand-made exports (figures worked out by hand in the comments), the seeded demo and the real exports of
../shared/data (skipped when absent)."""

from __future__ import annotations

import csv
import io
import math
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

from cjm import engine
from cjm.data import demo
from cjm.data.dataset import load_dataset
from cjm.maps import build_current_map, build_day_map, build_future_map, compute_projection, compute_target_status
from cjm.maps.render import to_csv
from tests import review37_reference as R
from tests.helpers import dataset as literal_dataset

SHOP = ("customer_id,timestamp,event,channel,revenue\n"
        "a,2024-01-01 09:00,ad_click,social,\n"
        "a,2024-01-01 09:10,product_view,web,\n"
        "a,2024-01-01 09:20,purchase,web,50\n"
        "b,2024-01-01 10:00,ad_click,social,\n"
        "b,2024-01-01 10:10,product_view,web,\n"
        "c,2024-01-01 11:00,ad_click,email,\n"
        "c,2024-01-01 11:30,product_view,web,\n"
        "c,2024-01-01 12:00,purchase,web,30\n"
        "d,2024-01-01 12:00,ad_click,email,\n")
NEWER = "e,2024-01-02 09:00,ad_click,social,\ne,2024-01-02 09:05,product_view,web,\ne,2024-01-02 09:09,purchase,web,60\n"


def _load(folder: Path, text: str, name: str = "export.csv"):
    path = folder / name
    path.write_text(text)
    return load_dataset([path])


def _close(x, y, tol=1e-9) -> bool:
    return abs(float(x) - float(y)) <= tol * max(1.0, abs(float(y)))


# --------------------------------------------------------------------------------------------- future state
def test_the_projection_multiplies_todays_entries_through_the_target_conversions_and_values_them_per_converted_customer(
        tmp_path):
    # funnel awareness -> consideration -> conversion: a, b, c, d enter (4); a, b, c reach consideration (3); a, c buy (2)
    # today: awareness 3/4 = 0.75, consideration 2/3; 4 x 0.75 x 2/3 = 2 conversions; value per converted customer
    # (50 + 30) / 2 = 40, so revenue 80. Targets awareness 80%, consideration 80%: 4 x 0.8 x 0.8 = 2.56 conversions,
    # 2.56 x 40 = 102.40. Gap to today: awareness 80 - 75 = +5.0 pts, consideration 80 - 66.67 = +13.3 pts.
    ds = _load(tmp_path, SHOP)
    future = build_future_map(build_current_map(ds), targets={"awareness": {"conversion": 0.8},
                                                               "consideration": {"conversion": 0.8}})
    p = compute_projection(future)
    assert p["entries"] == 4 and p["goal"] == "conversion"
    assert _close(p["value_per_conversion"], 40)
    assert _close(p["today"]["conversions"], 2) and _close(p["today"]["revenue"], 80)
    assert _close(p["projected"]["conversions"], 2.56) and _close(p["projected"]["revenue"], 102.4)
    ref = R.projection(4, {"awareness": 0.75, "consideration": 2 / 3}, {"awareness": 0.8, "consideration": 0.8},
                       ["awareness", "consideration"], 40)
    assert _close(ref["projected"]["revenue"], p["projected"]["revenue"])
    assert future.cell("gap_to_today", "awareness").value == "conversion +5.0 pts"
    assert future.cell("gap_to_today", "consideration").value == "conversion +13.3 pts"
    assert future.cell("target_conversion", "awareness").provenance == "assumption"


def test_each_target_shows_the_newer_datas_actual_against_it(tmp_path):
    # newer data adds e (ad_click, product_view, purchase): 5 enter, 4 reach consideration (0.8), 3 buy (3/4 = 0.75).
    # Target awareness 0.8: actual 0.8, met; consideration 0.8: actual 0.75, not met; baselines 0.75 and 2/3.
    future = build_future_map(build_current_map(_load(tmp_path, SHOP)),
                              targets={"awareness": {"conversion": 0.8}, "consideration": {"conversion": 0.8}})
    newer = build_current_map(_load(tmp_path, SHOP + NEWER, "newer.csv"))
    status = compute_target_status(future, newer).set_index("stage")
    assert _close(status.loc["awareness", "baseline"], 0.75) and _close(status.loc["awareness", "actual"], 0.8)
    assert bool(status.loc["awareness", "met"]) is True
    assert _close(status.loc["consideration", "baseline"], 2 / 3)
    assert _close(status.loc["consideration", "actual"], 0.75) and bool(status.loc["consideration", "met"]) is False


def test_a_saved_future_map_opened_again_still_shows_the_gap_to_today_against_todays_data(tmp_path):
    # the page opens a saved map as refresh(saved, fresh). On the same data the gaps stay +5.0 and +13.3 pts (above);
    # on the newer data (awareness 4/5 = 80%, consideration 3/4 = 75%) they read 80 - 80 = +0.0 pts and
    # 80 - 75 = +5.0 pts. Before, the gap lane (cells from the data) was dropped and came back only when a target
    # changed, so any rerun of the page after saving lost it
    from cjm.maps import refresh
    targets = {"awareness": {"conversion": 0.8}, "consideration": {"conversion": 0.8}}
    saved = build_future_map(build_current_map(_load(tmp_path, SHOP)), targets=targets)
    again = refresh(saved, build_current_map(_load(tmp_path, SHOP)))
    assert again.cell("gap_to_today", "awareness").value == "conversion +5.0 pts"
    assert again.cell("gap_to_today", "consideration").value == "conversion +13.3 pts"
    newer = refresh(saved, build_current_map(_load(tmp_path, SHOP + NEWER, "newer.csv")))
    assert newer.cell("gap_to_today", "awareness").value == "conversion +0.0 pts"
    assert newer.cell("gap_to_today", "consideration").value == "conversion +5.0 pts"
    assert newer.cell("target_conversion", "consideration").value == "80.0%"


# ------------------------------------------------------------------------------------------ a segment's map
def test_a_segment_written_on_a_customers_first_row_only_puts_their_whole_journey_on_the_segments_map(tmp_path):
    # a CRM export names the segment on a customer's first row and leaves it blank after. gold = a and c; a's
    # product_view and purchase are a's (a gold customer's) too: consideration reached by 2 of 2, conversion by 1
    # (a, revenue 50); before the fix the map kept only the rows saying "gold" (1 of 2 at consideration, no purchase)
    ds = _load(tmp_path, "customer_id,timestamp,event,channel,revenue,segment\n"
                         "a,2024-01-01 09:00,ad_click,social,,gold\n"
                         "a,2024-01-01 09:10,product_view,web,,\n"
                         "a,2024-01-01 09:20,purchase,web,50,\n"
                         "b,2024-01-01 10:00,ad_click,social,,silver\n"
                         "b,2024-01-01 10:10,product_view,web,,silver\n"
                         "c,2024-01-01 11:00,ad_click,email,,gold\n"
                         "c,2024-01-01 11:30,product_view,web,,gold\n")
    gold = build_current_map(ds, segment="gold")
    assert gold.baseline["funnel_customers"] == [2, 2, 1]
    assert gold.cell("reached", "conversion").number == 1 and gold.baseline["value_per_conversion"] == 50
    silver = build_current_map(ds, segment="silver")
    assert silver.baseline["customers"] == 1 and silver.cell("reached", "consideration").evidence.customers == 1
    day = build_day_map(ds, segment="gold")
    # gold's 5 events: 09:00, 09:10, 09:20, 11:00, 11:30, all in 09-12
    assert day.cell("interactions", "h09").evidence.events == 5


def test_the_sidebars_segment_filter_keeps_the_whole_journeys_of_a_segment_named_on_a_customers_first_row(tmp_path):
    # the same export through the dashboard's segment filter (the Journey map page draws the filtered data): gold = a
    # and c with all 5 of their events; a's purchase (50) stays, so the map's funnel reads 2, 2, 1 as above
    from cjm.data.filters import Filters
    ds = _load(tmp_path, "customer_id,timestamp,event,channel,revenue,segment\n"
                         "a,2024-01-01 09:00,ad_click,social,,gold\n"
                         "a,2024-01-01 09:10,product_view,web,,\n"
                         "a,2024-01-01 09:20,purchase,web,50,\n"
                         "b,2024-01-01 10:00,ad_click,social,,silver\n"
                         "c,2024-01-01 11:00,ad_click,email,,gold\n"
                         "c,2024-01-01 11:30,product_view,web,,gold\n")
    gold = ds.filtered(Filters(segments=("gold",)))
    assert len(engine.execute(gold.events)) == 5
    jm = build_current_map(gold)
    assert jm.baseline["funnel_customers"] == [2, 2, 1] and jm.baseline["value_per_conversion"] == 50


def test_a_segment_map_of_the_demo_counts_exactly_that_segments_customers(tmp_path):
    # the demo's customers split by the reference into two made-up segments on the events (constant per customer);
    # each map's reach, funnel and evidence equal the reference on that segment's customers only
    ds, ev = _demo(str(tmp_path), 300, 5)
    ids = sorted(ev["customer_id"].unique())
    seg = {c: ("even" if i % 2 == 0 else "odd") for i, c in enumerate(ids)}
    frame = ev.assign(segment=ev["customer_id"].map(seg))
    from cjm.data.dataset import Dataset
    both = Dataset.from_events(frame.drop(columns=["row_id"]), stages=ds.stages)
    for name in ("even", "odd"):
        mine = ev[ev["customer_id"].map(seg) == name]
        jm = build_current_map(both, segment=name)
        stages = R.present_stages(mine, ds.stages)
        assert jm.baseline["customers"] == mine["customer_id"].nunique()
        assert jm.baseline["funnel_customers"] == R.funnel_counts(mine, stages)
        for s in stages:
            assert jm.cell("reached", s).evidence.customers == mine.loc[mine["stage"] == s, "customer_id"].nunique()
        day = build_day_map(both, segment=name)
        assert day.heat == R.heat(mine)
        assert day.persona.description.startswith(f"{mine['customer_id'].nunique()} customers, {len(mine):,} interactions")


# --------------------------------------------------------------------------------------------------- exports
def test_the_maps_csv_writes_text_from_the_files_that_starts_like_a_formula_as_text():
    # an event named "=1+2" and channels "@web", "-web", "+web" are text from the files: in the CSV each starts
    # with an apostrophe so a spreadsheet shows it and never runs it; a typed owner '=HYPERLINK("x")' likewise
    ds = literal_dataset([("a", "2024-01-01 09:00", "=1+2", "@web"), ("b", "2024-01-01 10:00", "=1+2", "-web"),
                          ("b", "2024-01-01 10:30", "purchase", "+web")], ("customer_id", "timestamp", "event", "channel"),
                         stages={"=1+2": "awareness", "purchase": "conversion"})
    jm = build_current_map(ds)
    jm.set_cell("owner", "awareness", '=HYPERLINK("x")')
    rows = list(csv.DictReader(io.StringIO(to_csv(jm))))
    texts = [r[k] for r in rows for k in ("lane_name", "stage_name", "value", "data_value", "analysis")]
    assert not [t for t in texts if t[:1] in ("=", "+", "-", "@")]
    values = {(r["lane"], r["stage"]): r["value"] for r in rows}
    assert values[("actions", "awareness")] == "'=1+2 (100.0%)"
    assert values[("owner", "awareness")] == "'=HYPERLINK(\"x\")"


def test_the_csv_and_json_carry_the_same_numbers_and_evidence_as_the_cells(tmp_path):
    ds, _ = _demo(str(tmp_path), 300, 5)
    jm = build_future_map(build_current_map(ds), targets={"awareness": {"conversion": 0.8}})
    was = jm.cell("reached", "awareness")
    jm.set_cell("reached", "awareness", "about 250", number=250)
    rows = {(r["lane"], r["stage"]): r for r in csv.DictReader(io.StringIO(to_csv(jm)))}
    back = type(jm).from_json(jm.to_json())
    for lane in jm.visible_lanes():
        for s in jm.visible_stages():
            cell = jm.cell(lane.key, s.key)
            assert back.cell(lane.key, s.key) == cell
            if not cell.value:
                continue
            row = rows[(lane.key, s.key)]
            assert row["value"].lstrip("'") == cell.value and row["provenance"] == cell.provenance
            assert (row["number"] == "") == (cell.number is None)
            if cell.number is not None:
                assert float(row["number"]) == cell.number
            ev = cell.evidence
            for k in ("customers", "events", "comments"):
                assert row[k] == ("" if ev is None or getattr(ev, k) is None else str(getattr(ev, k)))
    # the data's value kept beside the edit, in the CSV and in the JSON
    edited = rows[("reached", "awareness")]
    assert edited["provenance"] == "edited" and edited["value"] == "about 250" and edited["number"] == "250"
    assert edited["data_value"] == was.value and back.cell("reached", "awareness").data_number == was.number


# ------------------------------------------------------------------------------------------- the seeded demo
@lru_cache(maxsize=None)
def _demo(folder: str, customers: int, seed: int):
    ds = load_dataset(demo.write_demo(Path(folder) / f"demo{customers}-{seed}", customers=customers, seed=seed))
    return ds, engine.execute(ds.events)


def test_the_demos_projection_agrees_with_the_reference(tmp_path):
    # demo 300, seed 5: funnel 245, 168, 50, 50, 8 (both); conversions today 245 x 168/245 x 50/168 = 50.
    # value per converted customer: cjm (documented in cjm/maps/current.py) divides the revenue of every customer
    # with an event at the goal stage (79 buyers, 9,313.55) by 79 = 117.89; the reference's first reading (the 50
    # the funnel counts) gives 119.81: a reading of "converted customer", both defensible; here cjm's definition
    ds, ev = _demo(str(tmp_path), 300, 5)
    cur = build_current_map(ds)
    stages = R.present_stages(ev, ds.stages)
    assert cur.baseline["funnel_customers"] == R.funnel_counts(ev, stages) == [245, 168, 50, 50, 8]
    buyers = set(ev.loc[ev["stage"] == "conversion", "customer_id"])
    assert len(buyers) == 79
    assert _close(cur.baseline["value_per_conversion"], R.value_per_converted_customer(ev, buyers))
    targets = {"awareness": 0.8, "consideration": 0.4}
    fut = build_future_map(cur, targets={k: {"conversion": v} for k, v in targets.items()})
    p = compute_projection(fut)
    ref = R.projection(245, cur.baseline["conversion"], targets, ["awareness", "consideration"],
                       cur.baseline["value_per_conversion"])
    # 245 x 0.8 x 0.4 = 78.4 conversions
    assert _close(p["projected"]["conversions"], 78.4) and _close(ref["projected"]["conversions"], 78.4)
    assert _close(p["projected"]["revenue"], ref["projected"]["revenue"])
    assert _close(p["today"]["conversions"], 50)


def test_the_demos_day_in_the_life_agrees_with_the_reference_hour_by_hour_and_by_weekday(tmp_path):
    # demo 300, seed 5 (2,184 events, all with times): heat = weekday x UTC hour counts; each block's share = its
    # events / 2,184 (00-03: 42 = 1.9%, 09-12: 433 = 19.8%, 18-21: 442 = 20.2%); channels and devices per block
    ds, ev = _demo(str(tmp_path), 300, 5)
    day = build_day_map(ds)
    assert day.heat == R.heat(ev)
    shares = R.block_shares(ev)
    assert shares[0][0] == 42 and shares[9][0] == 433 and shares[18][0] == 442
    for start, (n, share) in shares.items():
        cell = day.cell("interactions", f"h{start:02d}")
        assert cell.evidence.events == n and _close(cell.number, share)
        top = R.top_in_block(ev, "channel", start)
        first = day.cell("channels", f"h{start:02d}").value.split("\n")[0]
        assert first.startswith(str(top.index[0])) and f"({round(top.iloc[0] * 100)}%)" in first
        days = R.weekday_shares_in_block(ev, start)
        assert day.cell("busiest_days", f"h{start:02d}").value.split(",")[0].split(" ")[0] in \
            set(days[days == days.iloc[0]].index)


# --------------------------------------------------------------------------------------- the clock of the day
@pytest.mark.xfail(strict=True, reason="the day map reads hours in UTC, not in the zone the file's times are written "
                                       "in (review 37): a New York shop's 09:00 shows in 12-15, its 21:30 Monday as "
                                       "02:30 Tuesday")
def test_a_day_map_of_a_shop_whose_file_names_new_york_time_puts_its_morning_in_the_morning(tmp_path):
    # 2024-01-01 is a Monday. The file's 'Time Zone' column says America/New_York (UTC-5 in January): a at 09:00 and
    # 21:30 Monday, b at 10:15 and 22:45 Tuesday, on the shop's clock. The persona's day: 09-12 holds 2 of 4 (a's and
    # b's mornings), 21-24 the other 2, Mon and Tue; cjm shows 12-15 and 15-18 (Mon, Tue) and 00-03, 03-06 (Tue, Wed)
    ds = _load(tmp_path, "customer_id,timestamp,event,channel,Time Zone\n"
                         "a,2024-01-01 09:00,page_view,web,America/New_York\n"
                         "a,2024-01-01 21:30,purchase,web,America/New_York\n"
                         "b,2024-01-02 10:15,page_view,store,America/New_York\n"
                         "b,2024-01-02 22:45,page_view,store,America/New_York\n")
    day = build_day_map(ds)
    assert day.cell("interactions", "h09").evidence.events == 2
    assert day.cell("interactions", "h21").evidence.events == 2
    assert day.heat[0][9] == 1 and day.heat[0][21] == 1


def test_the_day_map_says_its_hours_are_utc_where_it_shows_them(tmp_path):
    # until the hours follow the files' zone, the persona line says the clock ("hours in UTC")
    ds, _ = _demo(str(tmp_path), 300, 5)
    assert "hours in UTC" in build_day_map(ds).persona.description


# --------------------------------------------------------------------------------------- the real exports
def test_the_real_rees46_days_heat_agrees_with_the_reference(tmp_path):
    from tests.helpers import real_file
    path = real_file("rees46_2019-Oct-sample.csv")
    ds = load_dataset([path])
    ev = engine.execute(ds.events.select("customer_id", "timestamp"))
    ev = ev[ev["timestamp"].notna()]
    day = build_day_map(ds)
    assert day.heat == R.heat(ev)
    for start, (n, share) in R.block_shares(ev).items():
        cell = day.cell("interactions", f"h{start:02d}")
        assert cell.evidence.events == n and math.isclose(cell.number, share)
