"""Review 16: channel-switch gaps, path variants, time in stage on the current-state map, A/B experiments.

Every figure below is worked out by hand from DESIGN.md section 4 / 5 and the modules' docstrings, on small
literal event tables (out-of-order files, same-second events, one-event customers, empty values, repeated
stages, customers in two arms). The last part compares cjm with plain-pandas references written from the same
definitions on a real export (rees46_2019-Oct-sample.csv in ../shared/data; skipped when absent).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import Dataset, load_dataset
from cjm.errors import InsufficientDataError
from cjm.journey import gaps
from cjm.journey.experiments import compute_variant_funnel
from cjm.journey.funnel import FunnelParams
from cjm.journey.gaps import GapParams
from cjm.journey.paths import PathParams, compute_variant_coverage, compute_variants
from cjm.maps.current import _stage_counts, _value_per_conversion, compute_time_in_stage
from tests import reference_maps
from tests.helpers import dataset, real_file

STAGES = {"ad": "awareness", "view": "consideration", "buy": "conversion", "invoice": "retention",
          "referral": "loyalty"}  # "misc" is left unmapped (stage index -1)


# ------------------------------------------------------------------------------------------------
# Gaps (channel)

def gap_log():
    """Channel switches; the file is not in time order for a, and a's view and buy share a second."""
    rows = [
        ("a", "2024-01-01T10:00:00", "view", "web"),
        ("a", "2024-01-01T09:00:00", "ad", "social"),      # earlier in time, later in the file
        ("a", "2024-01-01T10:00:00", "buy", "app"),        # same second as a's view, after it in the file
        ("b", "2024-01-01T09:00:00", "ad", "social"),
        ("b", "2024-01-01T09:30:00", "view", "web"),
        ("b", "2024-01-01T09:45:00", "view", "web"),
        ("c", "2024-01-01T09:00:00", "view", "web"),
        ("c", "2024-01-01T09:10:00", "view", None),        # empty channel between web and app: no switch
        ("c", "2024-01-01T09:20:00", "view", "app"),
        ("c", "2024-01-01T09:30:00", "buy", "app"),
        ("d", "2024-01-01T09:00:00", "view", "web"),       # one event
        ("e", "2024-01-01T09:00:00", "view", "app"),
        ("e", "2024-01-01T09:05:00", "view", "web"),
        ("e", "2024-01-01T09:06:00", "misc", "web"),
        ("e", "2024-01-01T09:07:00", "buy", "web"),
        ("f", "2024-01-01T11:00:00", "view", "web"),       # two channels in the same second
        ("f", "2024-01-01T11:00:00", "view", "app"),
        ("f", "2024-01-01T12:00:00", "view", "web"),
        ("g", "2024-01-01T09:00:00", "misc", "email"),     # switch made at an unmapped event
        ("g", "2024-01-01T09:10:00", "view", "web"),
        ("g", "2024-01-01T09:20:00", "buy", "web"),
        ("h", "2024-01-01T09:00:00", "referral", "web"),   # switch at the last stage
        ("h", "2024-01-01T09:01:00", "referral", "app"),
        ("i", "2024-01-01T09:00:00", "view", "web"),       # consideration repeated after conversion
        ("i", "2024-01-01T09:10:00", "buy", "web"),
        ("i", "2024-01-01T09:20:00", "view", "web"),
        ("i", "2024-01-01T09:30:00", "view", "app"),
    ]
    return dataset(rows, columns=("customer_id", "timestamp", "event", "channel"), stages=STAGES)

# Sorted by (time, file order), the switches (stage of the event before; did event i or a later one reach a
# later stage than that?):
#   a: social→web at awareness, 3600 s, yes (buy);   web→app at consideration, 0 s, yes (the buy itself)
#   b: social→web at awareness, 1800 s, yes (view)
#   c: none (web, empty, app)                          d: none (one event)
#   e: app→web at consideration, 300 s, yes (buy)
#   f: web→app at consideration, 0 s, no;             app→web at consideration, 3600 s, no
#   g: email→web at unmapped, 600 s                   h: web→app at loyalty (last stage), 60 s
#   i: web→app at consideration, 600 s, no (only views after it; the earlier buy does not count)
# Stayers (had an event at the stage, no channel switch there; moved on from their first event there):
#   awareness: a, b both switched -> nobody stayed -> no comparison
#   consideration: arrived a b c d e f g i; switched a e f i; stayers b (no) c (yes) d (no) g (yes) -> 2/4 = 0.5


def test_a_switch_type_is_compared_with_the_stayers_at_the_stage_where_it_was_made():
    found = gaps.compute_gaps(gap_log(), params=GapParams(dimension="channel", min_customers=1)).set_index("switch")
    row = found.loc["web → app"]
    assert row["customers"] == 4                      # a, f, h, i
    assert row["seconds"] == pytest.approx(30.0)      # every occurrence: 0, 0, 60, 600 -> (0 + 60) / 2
    assert row["customers_compared"] == 3             # a, f, i at consideration (h switched at the last stage)
    assert row["conversion_after"] == pytest.approx(1 / 3)             # only a moved on
    assert row["conversion_without_switch"] == pytest.approx(0.5)      # stayers at consideration
    assert row["difference_points"] == pytest.approx(-50 / 3)          # (1/3 - 1/2) x 100
    assert row["customers_lost"] == pytest.approx(0.5)                 # 3 x (1/2 - 1/3)
    assert (row["stage"], row["next_stage"]) == ("consideration", "conversion")  # 3 there, 1 at loyalty


def test_a_switch_back_the_same_second_counts_and_its_customers_are_compared_once():
    found = gaps.compute_gaps(gap_log(), params=GapParams(dimension="channel", min_customers=1)).set_index("switch")
    row = found.loc["app → web"]
    assert row["customers"] == 2                      # e, f
    assert row["seconds"] == pytest.approx(1950.0)    # 300 and 3600 -> 1950
    assert row["customers_compared"] == 2
    assert row["conversion_after"] == pytest.approx(0.5)               # e moved on, f did not
    assert row["conversion_without_switch"] == pytest.approx(0.5)
    assert row["customers_lost"] == 0.0 and not row["route_forward"]


def test_a_switch_where_nobody_stayed_is_listed_but_not_compared():
    found = gaps.compute_gaps(gap_log(), params=GapParams(dimension="channel", min_customers=1)).set_index("switch")
    row = found.loc["social → web"]
    assert row["customers"] == 2                      # a, b
    assert row["seconds"] == pytest.approx(2700.0)    # 3600 and 1800
    assert row["customers_compared"] == 0             # nobody stayed at awareness
    assert math.isnan(row["conversion_after"]) and math.isnan(row["conversion_without_switch"])
    assert row["customers_lost"] == 0.0
    assert (row["stage"], row["next_stage"]) == ("awareness", "consideration")


def test_an_empty_channel_between_two_values_is_no_switch_and_the_order_is_by_time_then_file():
    found = gaps.compute_gaps(gap_log(), params=GapParams(dimension="channel", min_customers=1))
    # ranked by customers lost (web→app 0.5), then customers (2, 2, 1), then name
    assert list(found["switch"]) == ["web → app", "app → web", "social → web", "email → web"]
    assert list(found["customers"]) == [4, 2, 2, 1]   # c (web, empty, app) made none; a's order is ad, view, buy


def test_the_default_minimum_of_five_customers_hides_every_switch_here():
    found = gaps.compute_gaps(gap_log(), params=GapParams(dimension="channel"))
    assert found.empty  # the largest switch type was made by 4 customers


def test_each_switch_is_counted_at_the_stage_where_it_was_made():
    stages = gaps.compute_gap_stages(gap_log(), params=GapParams(dimension="channel", min_customers=1))
    got = {(r.switch, r.stage): (r.customers, r.customers_compared) for r in stages.itertuples()}
    assert got == {
        ("app → web", "consideration"): (2, 2),
        ("email → web", "unmapped"): (1, 0),          # g, at an event mapped to no stage
        ("social → web", "awareness"): (2, 0),
        ("web → app", "consideration"): (3, 3),
        ("web → app", "loyalty"): (1, 0),             # h: the last stage has no next stage
    }


def test_a_tie_between_an_unmapped_event_and_a_stage_names_the_stage_where_the_switchers_are_compared():
    rows = [("u", "2024-01-01T09:00:00", "misc", "web"), ("u", "2024-01-01T09:01:00", "view", "app"),
            ("u", "2024-01-01T09:02:00", "buy", "app"),
            ("v", "2024-01-01T09:00:00", "view", "web"), ("v", "2024-01-01T09:01:00", "view", "app"),
            ("w", "2024-01-01T09:00:00", "view", "web"), ("w", "2024-01-01T09:01:00", "buy", "web")]
    log = dataset(rows, columns=("customer_id", "timestamp", "event", "channel"), stages=STAGES)
    row = gaps.compute_gaps(log, params=GapParams(dimension="channel", min_customers=1)).iloc[0]
    # web→app: u at an unmapped event, v at consideration (1 customer each); only v is compared, with w
    # (stayed at consideration, bought): 0% vs 100%, so the row is about consideration -> conversion
    assert (row["switch"], row["customers"], row["customers_compared"]) == ("web → app", 2, 1)
    assert (row["conversion_after"], row["conversion_without_switch"]) == (0.0, 1.0)
    assert (row["stage"], row["next_stage"]) == ("consideration", "conversion")


def test_the_time_of_a_switch_keeps_its_fractions_of_a_second():
    rows = [("x", "2024-01-01T12:00:00", "view", "web"), ("x", "2024-01-01T12:00:01.500", "view", "app"),
            ("y", "2024-01-01T12:00:00", "view", "web"), ("y", "2024-01-01T12:00:00.250", "view", "app")]
    log = dataset(rows, columns=("customer_id", "timestamp", "event", "channel"), stages=STAGES)
    found = gaps.compute_gaps(log, params=GapParams(dimension="channel", min_customers=1)).set_index("switch")
    assert found.loc["web → app", "seconds"] == pytest.approx(0.875)  # 1.5 and 0.25 -> (1.5 + 0.25) / 2


# ------------------------------------------------------------------------------------------------
# Path variants

def path_rows():
    return [
        ("p1", "2024-01-01T09:00:00", "ad"), ("p1", "2024-01-01T09:10:00", "view"),
        ("p1", "2024-01-01T09:20:00", "view"), ("p1", "2024-01-01T09:40:00", "buy"),
        ("p2", "2024-01-01T10:30:00", "buy"), ("p2", "2024-01-01T10:05:00", "view"),   # file in reverse order
        ("p2", "2024-01-01T10:00:00", "ad"),
        ("p3", "2024-01-01T09:00:00", "view"), ("p3", "2024-01-01T09:30:00", "misc"),  # unmapped in between
        ("p3", "2024-01-01T09:50:00", "view"), ("p3", "2024-01-01T10:30:00", "misc"),
        ("p4", "2024-01-01T09:00:00", "view"),                                          # one event
        ("p5", "2024-01-01T10:00:00", "view"), ("p5", "2024-01-01T10:00:00", "buy"),   # same second: file order
        ("p6", "2024-01-01T10:00:00", "buy"), ("p6", "2024-01-01T10:00:00", "view"),
        ("p7", "2024-01-01T09:00:00", "misc"),                                          # unmapped only
        ("p8", "2024-01-01T08:00:00", "view"), ("p8", "2024-01-01T08:30:00", "buy"),   # stage repeated
        ("p8", "2024-01-01T09:00:00", "view"),
    ]


def path_log():
    return dataset(path_rows(), stages=STAGES)


def variants_table(frame):
    return [(r.rank, r.path, r.steps, r.customers, r.converted) for r in frame.itertuples()]


def test_stage_variants_collapse_repeats_skip_unmapped_events_and_rank_ties_by_steps_then_name():
    found = compute_variants(path_log())
    # p3: consideration, (misc), consideration -> one step; p7 has no mapped event and is left out: 7 customers
    assert variants_table(found) == [
        (1, "consideration", 1, 2, 0),                                    # p3, p4
        (2, "awareness → consideration → conversion", 3, 2, 2),           # p1, p2 (p2 sorted by time)
        (3, "consideration → conversion", 2, 1, 1),                       # p5 (view, buy in one second)
        (4, "conversion → consideration", 2, 1, 1),                       # p6 (buy, view in one second)
        (5, "consideration → conversion → consideration", 3, 1, 1),       # p8
    ]
    assert list(found["share"]) == pytest.approx([2 / 7, 2 / 7, 1 / 7, 1 / 7, 1 / 7])
    assert list(found["cumulative_share"]) == pytest.approx([2 / 7, 4 / 7, 5 / 7, 6 / 7, 1.0])
    # first to last event of the stage journey: p3 09:00-09:50 = 3000, p4 0 -> 1500; p1 2400, p2 1800 -> 2100
    assert list(found["median_seconds"]) == pytest.approx([1500.0, 2100.0, 0.0, 0.0, 3600.0])
    assert found.attrs["conversion_rule"] == 'reached the "conversion" stage'


def test_the_variants_covering_80_95_and_99_percent_are_counted_in_rank_order():
    coverage = compute_variant_coverage(compute_variants(path_log()))
    # cumulative 0.286, 0.571, 0.714, 0.857, 1.0: 80% needs 4 variants, 95% and 99% need all 5
    assert list(coverage["variants"]) == [4, 5, 5]
    assert set(coverage["customers_total"]) == {7} and set(coverage["variants_total"]) == {5}


def test_event_variants_keep_unmapped_events_and_customers():
    found = compute_variants(path_log(), params=PathParams(level="event"))
    assert variants_table(found) == [
        (1, "ad → view → buy", 3, 2, 2),
        (2, "misc", 1, 1, 0),
        (3, "view", 1, 1, 0),
        (4, "buy → view", 2, 1, 1),
        (5, "view → buy", 2, 1, 1),
        (6, "view → buy → view", 3, 1, 1),
        (7, "view → misc → view → misc", 4, 1, 0),   # p3 with both of its misc events
    ]
    # p3's journey now runs 09:00 to the misc at 10:30: 5400 s
    assert found.set_index("path").loc["view → misc → view → misc", "median_seconds"] == pytest.approx(5400.0)


def test_start_at_cuts_each_journey_and_a_purchase_before_the_start_is_not_a_conversion():
    found = compute_variants(path_log(), params=PathParams(start_at="consideration"))
    assert variants_table(found) == [
        (1, "consideration", 1, 3, 0),                   # p3, p4, p6 (p6's buy came before its view)
        (2, "consideration → conversion", 2, 3, 3),      # p1, p2, p5
        (3, "consideration → conversion → consideration", 3, 1, 1),  # p8
    ]


def test_end_at_cuts_at_the_first_occurrence_and_leaves_out_journeys_that_never_get_there():
    found = compute_variants(path_log(), params=PathParams(end_at="conversion"))
    assert variants_table(found) == [
        (1, "consideration → conversion", 2, 2, 2),                # p5, p8 (cut at 08:30)
        (2, "awareness → consideration → conversion", 3, 2, 2),    # p1, p2
        (3, "conversion", 1, 1, 1),                                # p6 (its same-second view comes after)
    ]
    assert list(found["median_seconds"]) == pytest.approx([900.0, 2100.0, 0.0])  # p5 0, p8 1800


# ------------------------------------------------------------------------------------------------
# Time in stage, stage counts and value per conversion on the current-state map

def stage_time_log():
    rows = [
        ("t1", "2024-01-01T09:00:00", "ad", "web", None), ("t1", "2024-01-01T09:10:00", "view", "web", None),
        ("t1", "2024-01-01T09:15:00", "view", "app", None), ("t1", "2024-01-01T10:00:00", "invoice", None, 20.0),
        ("t1", "2024-01-01T10:30:00", "buy", "web", 50.0),
        ("t2", "2024-01-01T09:00:00", "view", "web", None), ("t2", "2024-01-01T08:00:00", "buy", "web", 30.0),
        ("t2", "2024-01-01T09:30:00", "buy", "web", -10.0),
        ("t3", "2024-01-01T12:00:00", "view", "app", None), ("t3", "2024-01-01T12:00:01.500", "buy", "app", None),
        ("t4", "2024-01-01T09:00:00", "ad", "social", None),
        ("t5", "2024-01-01T08:00:00", "misc", "web", None), ("t5", "2024-01-01T09:00:00", "view", None, None),
        ("t5", "2024-01-01T09:30:00", "misc", "web", None), ("t5", "2024-01-01T11:00:00", "referral", "web", 100.0),
        ("t6", "2024-01-01T10:00:00", "view", "web", None), ("t6", "2024-01-01T10:00:00", "buy", "web", 40.0),
        ("t7", "2024-01-01T13:00:00", "view", "web", None), ("t7", "2024-01-01T13:20:00", "buy", "web", 0.0),
    ]
    return dataset(rows, columns=("customer_id", "timestamp", "event", "channel", "revenue"), stages=STAGES)


def test_time_in_stage_runs_from_the_first_event_in_a_stage_to_the_first_later_stage_event_after_it():
    times = compute_time_in_stage(stage_time_log()).set_index("stage")
    # awareness: t1 09:00 -> view 09:10 = 600; t4 never leaves -> 1 customer, 600
    assert (times.loc["awareness", "customers"], times.loc["awareness", "median_seconds"]) == (1, 600.0)
    # consideration: t1 09:10 -> invoice 10:00 (a skipped stage counts) 3000; t2 09:00 -> buy 09:30 1800 (not
    # the 08:00 buy, before it); t3 1.5; t5 09:00 -> referral 11:00 7200; t6 0 (same second); t7 1200
    # sorted 0, 1.5, 1200, 1800, 3000, 7200 -> (1200 + 1800) / 2 = 1500
    assert times.loc["consideration", "customers"] == 6
    assert times.loc["consideration", "median_seconds"] == pytest.approx(1500.0)
    # conversion: t1's buy 10:30 comes after its invoice; t2 t3 t6 t7 never reach a later stage: nobody
    # retention: t1's invoice, nothing later; loyalty is the last stage
    for stage in ("conversion", "retention", "loyalty"):
        assert times.loc[stage, "customers"] == 0 and math.isnan(times.loc[stage, "median_seconds"])
    assert list(times["stage_index"]) == [0, 1, 2, 3, 4]


def test_stage_counts_count_distinct_customers_and_events_per_value_and_skip_empty_and_unmapped():
    counted = _stage_counts(stage_time_log().events, ["channel"])["channel"]
    got = {(int(r.stage_index), r.channel): (int(r.customers), int(r.events)) for r in counted.itertuples()}
    assert got == {
        (0, "web"): (1, 1), (0, "social"): (1, 1),            # t1 ad, t4 ad
        (1, "web"): (4, 4),                                    # t1 t2 t6 t7 (t5's view has no channel)
        (1, "app"): (2, 2),                                    # t1, t3
        (2, "web"): (4, 5),                                    # t1, t2 (2 buys), t6, t7
        (2, "app"): (1, 1),                                    # t3
        (4, "web"): (1, 1),                                    # t5 referral; misc rows are unmapped
    }                                                          # t1's invoice has no channel


def test_value_per_conversion_is_the_whole_revenue_of_the_customers_the_funnel_counts_at_the_goal_per_customer():
    # the stage funnel awareness > ... > loyalty (7 days): only t1 and t4 enter (the others have no awareness event);
    # t1 reaches conversion (ad 09:00, view 09:10, buy 10:30), t4 stops at awareness. Converted: t1 alone, its whole
    # revenue 20 + 50 = 70 / 1 = 70. (Read over every customer with a conversion event, t1 (70), t2 (30 - 10), t3
    # (none), t6 (40), t7 (0), it was 130 / 5 = 26, while the funnel's conversions are 1.)
    ds = stage_time_log()
    assert _value_per_conversion(ds, tuple(ds.stages), "conversion", 604800) == pytest.approx(70.0)


# ------------------------------------------------------------------------------------------------
# A/B experiments

def ab_rows():
    return [
        ("a1", "2024-01-01T10:00:00", "view", "A"), ("a1", "2024-01-01T11:00:00", "buy", "A"),
        ("a2", "2024-01-01T10:00:00", "view", "A"),
        ("a3", "2024-01-01T10:00:00", "view", "A"), ("a3", "2024-01-01T10:00:00", "view", "B"),  # same second
        ("a4", "2024-01-01T11:00:00", "buy", None), ("a4", "2024-01-01T10:00:00", "view", " A "),  # out of order
        ("b1", "2024-01-01T10:00:00", "view", "B"), ("b1", "2024-01-01T10:30:00", "buy", "B"),
        ("b2", "2024-01-01T10:00:00", "view", ""), ("b2", "2024-01-01T10:10:00", "view", "B"),
        ("b2", "2024-01-01T10:30:00", "buy", "B"),
        ("b3", "2024-01-01T10:00:00", "view", "B"), ("b3", "2024-01-01T10:30:00", "buy", "A"),  # two arms
        ("b4", "2024-01-01T10:00:00", "view", "B"),
        ("b5", "2024-01-01T10:00:00", "buy", "B"),                                              # never viewed
        ("n1", "2024-01-01T10:00:00", "view", None), ("n1", "2024-01-01T10:30:00", "buy", None),  # in no arm
    ]


def ab_log(rows=None):
    return dataset(rows or ab_rows(), columns=("customer_id", "timestamp", "event", "variant"))


VIEW_BUY = FunnelParams(steps=("view", "buy"), step_kind="event")


def test_each_customer_is_counted_in_the_first_arm_they_saw_and_compared_with_the_control():
    result = compute_variant_funnel(ab_log(), params=VIEW_BUY).set_index(["variant", "step"])
    # A: a1 (buys), a2, a3 (A then B in one second: A, first in the file), a4 (" A " is A) -> 4 entered, 2 buy
    # B: b1, b2 (its first view has an empty variant), b3 (B then A), b4 -> 4 entered, 3 buy; b5 never views
    a, b = result.loc[("A", "buy")], result.loc[("B", "buy")]
    assert (a["entered"], a["customers"], b["entered"], b["customers"]) == (4, 2, 4, 3)
    assert bool(a["is_control"]) and not bool(b["is_control"])          # "A" is a control name
    assert b["conversion_from_first"] == pytest.approx(0.75)
    assert b["difference_points"] == pytest.approx(25.0)
    # Wilson 95% (z = 1.959964): 3/4 -> centre (0.75 + z^2/8) / (1 + z^2/4) = 0.627523,
    # half z sqrt(0.75*0.25/4 + z^2/64) / (1 + z^2/4) = 0.326881 -> 0.300642 .. 0.954413
    assert (b["conversion_low"], b["conversion_high"]) == pytest.approx((0.300642, 0.954413), abs=1e-5)
    # 2/4 -> 0.5 -/+ 0.349961 -> 0.150039 .. 0.849961
    assert (a["conversion_low"], a["conversion_high"]) == pytest.approx((0.150039, 0.849961), abs=1e-5)
    # Newcombe: 0.25 - sqrt((0.75 - 0.300642)^2 + (0.849961 - 0.5)^2) = -0.319557;
    #           0.25 + sqrt((0.954413 - 0.75)^2 + (0.5 - 0.150039)^2) = 0.655287
    assert (b["difference_low_points"], b["difference_high_points"]) == pytest.approx((-31.9557, 65.5287), abs=1e-3)
    # pooled 5/8; se = sqrt(0.625 x 0.375 x (1/4 + 1/4)) = 0.342327; z = 0.25 / 0.342327 = 0.730297;
    # p = erfc(0.730297 / sqrt 2) = 0.465209
    assert b["p_value"] == pytest.approx(0.465209, abs=1e-5)
    assert not b["significant"]
    assert b["verdict"] == "No significant difference between B and A (control) at buy (p=0.47)"
    assert "2 customers saw more than one variant" in b["warning"]      # a3 and b3
    assert b["warning"].startswith("Too few customers to tell: B has 4 and A 4 customers at entry")


def test_customers_in_no_arm_are_left_out_of_the_experiment():
    result = compute_variant_funnel(ab_log(), params=VIEW_BUY)
    # n1 has no variant anywhere: 4 + 4 entered, not 9
    assert result[result["step_number"] == 1]["customers"].sum() == 8


def test_an_arm_whose_customers_never_enter_the_funnel_is_still_listed_with_zero_entered():
    rows = [("a1", "2024-01-01T10:00:00", "view", "A"), ("a1", "2024-01-01T11:00:00", "buy", "A"),
            ("a2", "2024-01-01T10:00:00", "view", "A"), ("b1", "2024-01-01T10:00:00", "view", "B"),
            ("c1", "2024-01-01T10:00:00", "buy", "C")]
    result = compute_variant_funnel(ab_log(rows), params=VIEW_BUY)
    # A: 2 entered, 1 buys; B: 1 entered, 0 buy; C: c1 never viewed -> 0 entered
    assert sorted(result["variant"].unique()) == ["A", "B", "C"]
    assert result[(result["variant"] == "C") & (result["step_number"] == 1)]["entered"].tolist() == [0]


def test_a_single_arm_is_not_an_experiment():
    rows = [r for r in ab_rows() if r[0].startswith("a") and r[0] != "a3"]
    with pytest.raises(InsufficientDataError, match="at least two variants"):
        compute_variant_funnel(ab_log(rows), params=VIEW_BUY)


# ------------------------------------------------------------------------------------------------
# Plain-pandas references from DESIGN.md / the docstrings, compared with cjm on a real export

REES46 = "rees46_2019-Oct-sample.csv"


@pytest.fixture(scope="module")
def rees46():
    """1,000 real events (view / cart / purchase) of 330 shoppers; the brand is mapped as the channel (a
    real column with many values and many empty cells) and the price as revenue, to exercise gaps and value."""
    mapping = ColumnMapping(columns={"customer_id": "user_id", "timestamp": "event_time", "event": "event_type",
                                     "channel": "brand", "session_id": "user_session", "revenue": "price"})
    data = load_dataset([real_file(REES46)], mappings={REES46: mapping})
    frame = engine.execute(data.events).sort_values(["customer_id", "timestamp", "row_id"]).reset_index(drop=True)
    return data, frame


def ref_gaps(ev: pd.DataFrame, dimension: str, n_stages: int) -> pd.DataFrame:
    ev = ev.copy()
    by = ev.groupby("customer_id", sort=False)
    ev["prev_value"] = by[dimension].shift()
    ev["prev_stage"] = by["stage_index"].shift()
    ev["seconds"] = (ev["timestamp"] - by["timestamp"].shift()).dt.total_seconds()
    ev["seq"] = by.cumcount()
    # furthest stage from this event on (the event itself included)
    ev["later_max"] = ev[::-1].groupby("customer_id", sort=False)["stage_index"].cummax()[::-1]
    switches = ev[ev["prev_value"].notna() & ev[dimension].notna() & (ev["prev_value"] != ev[dimension])].copy()
    switches["switch"] = switches["prev_value"].astype(str) + " → " + switches[dimension].astype(str)
    switches["moved_on"] = switches["later_max"] > switches["prev_stage"]
    has_next = lambda s: (s >= 0) & (s < n_stages - 1)  # noqa: E731
    firsts = ev[has_next(ev["stage_index"])].groupby(["customer_id", "stage_index"]).head(1)
    firsts = firsts.assign(moved_on=firsts["later_max"] > firsts["stage_index"])
    switched_at = set(zip(switches["customer_id"], switches["prev_stage"]))
    stayers = firsts[[(c, s) not in switched_at for c, s in zip(firsts["customer_id"], firsts["stage_index"])]]
    rate = stayers.groupby("stage_index")["moved_on"].mean()
    rows = []
    for switch, part in switches.groupby("switch"):
        comparable = part[has_next(part["prev_stage"])].sort_values("seq").groupby("customer_id").head(1)
        compared = comparable[comparable["prev_stage"].isin(rate.index)]
        after = compared["moved_on"].mean() if len(compared) else np.nan
        without = compared["prev_stage"].map(rate).mean() if len(compared) else np.nan
        per_stage = part.groupby("prev_stage")["customer_id"].nunique()
        tied = per_stage[per_stage == per_stage.max()].index
        busiest = min(tied, key=lambda s: (s < 0, s))  # ties: the earlier stage of the model, then unmapped
        rows.append({"switch": switch, "customers": part["customer_id"].nunique(), "seconds": part["seconds"].median(),
                     "customers_compared": len(compared), "conversion_after": after,
                     "conversion_without_switch": without,
                     "customers_lost": len(compared) * max(0.0, without - after) if len(compared) else 0.0,
                     "stage_index": busiest})
    return pd.DataFrame(rows).set_index("switch").sort_index()


def test_gaps_on_a_real_export_match_a_plain_pandas_reference(rees46):
    data, frame = rees46
    got = gaps.compute_gaps(data, params=GapParams(dimension="channel", min_customers=1)).set_index("switch")
    want = ref_gaps(frame, "channel", len(data.stages))
    assert len(want) > 20 and want["customers_compared"].sum() > 0  # the comparison is not vacuous
    assert sorted(got.index) == list(want.index)
    got = got.loc[want.index]
    for column in ("customers", "customers_compared"):
        assert got[column].tolist() == want[column].tolist(), column
    for column in ("seconds", "conversion_after", "conversion_without_switch", "customers_lost"):
        assert np.allclose(got[column].astype(float), want[column].astype(float), equal_nan=True), column
    assert got["stage"].tolist() == [data.stages[int(i)] if i >= 0 else "unmapped" for i in want["stage_index"]]


def ref_variants(ev: pd.DataFrame, label: str) -> pd.DataFrame:
    ev = ev[ev["stage_index"] >= 0] if label == "stage" else ev
    ev = ev.assign(label=ev[label].astype(str))
    new_run = ev["label"] != ev.groupby("customer_id")["label"].shift()
    runs = ev[new_run]
    per = pd.DataFrame({
        "path": runs.groupby("customer_id")["label"].agg(" → ".join),
        "steps": runs.groupby("customer_id").size(),
        "seconds": ev.groupby("customer_id")["timestamp"].agg(lambda t: (t.max() - t.min()).total_seconds()),
        "converted": ev.groupby("customer_id")["stage"].agg(lambda s: (s == "conversion").any()),
    })
    out = per.groupby("path").agg(steps=("steps", "max"), customers=("steps", "size"),
                                  converted=("converted", "sum"), median_seconds=("seconds", "median"))
    out = out.reset_index().sort_values(["customers", "steps", "path"], ascending=[False, True, True])
    out["rank"] = range(1, len(out) + 1)
    out["share"] = out["customers"] / out["customers"].sum()
    out["cumulative_share"] = out["customers"].cumsum() / out["customers"].sum()
    return out.reset_index(drop=True)


@pytest.mark.parametrize("level", ["stage", "event"])
def test_variants_on_a_real_export_match_a_plain_pandas_reference(rees46, level):
    data, frame = rees46
    got = compute_variants(data, params=PathParams(level=level))
    want = ref_variants(frame, level)
    assert len(want) > 3
    assert got["path"].tolist() == want["path"].tolist()
    for column in ("rank", "steps", "customers", "converted"):
        assert got[column].tolist() == want[column].tolist(), column
    for column in ("share", "cumulative_share", "median_seconds"):
        assert np.allclose(got[column], want[column]), column


def ref_time_in_stage(ev: pd.DataFrame, n_stages: int) -> pd.DataFrame:
    mapped = ev[ev["stage_index"] >= 0]
    entered = mapped.groupby(["customer_id", "stage_index"])["timestamp"].min().reset_index(name="entered")
    pairs = entered.merge(mapped[["customer_id", "stage_index", "timestamp"]], on="customer_id",
                          suffixes=("", "_later"))
    pairs = pairs[(pairs["stage_index_later"] > pairs["stage_index"]) & (pairs["timestamp"] >= pairs["entered"])]
    left = pairs.groupby(["customer_id", "stage_index"]).agg(entered=("entered", "first"), left=("timestamp", "min"))
    left["seconds"] = (left["left"] - left["entered"]).dt.total_seconds()
    per = left.groupby("stage_index")["seconds"].agg(["median", "size"])
    return per.reindex(range(n_stages))


def test_time_in_stage_on_a_real_export_matches_a_plain_pandas_reference(rees46):
    data, frame = rees46
    got = compute_time_in_stage(data).set_index("stage_index")
    want = ref_time_in_stage(frame, len(data.stages))
    assert want["size"].fillna(0).sum() > 0
    assert got["customers"].tolist() == want["size"].fillna(0).astype(int).tolist()
    assert np.allclose(got["median_seconds"], want["median"], equal_nan=True)


def test_value_per_conversion_on_a_real_export_matches_a_plain_pandas_reference(rees46):
    data, frame = rees46
    steps = [s for s in data.stages if s in set(frame["stage"])]
    depth = reference_maps.best_attempts(frame, steps)
    buyers = [c for c, (d, _) in depth.items() if d >= steps.index("conversion") + 1]
    want = frame.loc[frame["customer_id"].isin(buyers), "revenue"].sum() / len(buyers)
    assert len(buyers) > 1
    assert _value_per_conversion(data, steps, "conversion", 604800) == pytest.approx(want)


def test_stage_counts_on_a_real_export_match_a_plain_pandas_reference(rees46):
    data, frame = rees46
    counted = _stage_counts(data.events, ["event", "channel"])
    for column in ("event", "channel"):
        rows = frame[(frame["stage_index"] >= 0) & frame[column].notna()]
        want = rows.groupby(["stage_index", column]).agg(customers=("customer_id", "nunique"),
                                                         events=("customer_id", "size"))
        got = counted[column].set_index(["stage_index", column]).sort_index()[["customers", "events"]]
        assert got.astype(int).equals(want.sort_index().astype(int)), column


def test_an_ab_split_of_a_real_export_matches_a_plain_pandas_reference(rees46):
    data, frame = rees46
    # a made-up split of real journeys: even ids saw A, odd ids B (a fixed rule, so both arms are real shoppers)
    arm = ibis_arm(data.events)
    split = replace(data, events=arm, key=f"{data.key}+ab")
    got = compute_variant_funnel(split, params=FunnelParams(steps=("view", "purchase"), step_kind="event"))
    got = got.set_index(["variant", "step"])
    frame = frame.assign(variant=np.where(frame["customer_id"].astype(int) % 2 == 0, "A", "B"))
    # 17 minutes of data, 7-day window: a viewer converts when a purchase comes at or after their first view
    first_view = frame[frame["event"] == "view"].groupby("customer_id").head(1)
    buys = frame[frame["event"] == "purchase"][["customer_id", "timestamp", "row_id"]]
    later = first_view.merge(buys, on="customer_id", suffixes=("", "_buy"))
    later = later[later["timestamp_buy"] >= later["timestamp"]]
    entered = first_view.groupby("variant")["customer_id"].nunique()
    bought = later.groupby("variant")["customer_id"].nunique().reindex(entered.index, fill_value=0)
    assert entered.sum() > 200 and bought.sum() > 0
    for variant in ("A", "B"):
        assert got.loc[(variant, "view"), "entered"] == entered[variant]
        assert got.loc[(variant, "purchase"), "customers"] == bought[variant]
    pa, pb = bought["A"] / entered["A"], bought["B"] / entered["B"]
    pooled = bought.sum() / entered.sum()
    z = (pb - pa) / math.sqrt(pooled * (1 - pooled) * (1 / entered["A"] + 1 / entered["B"]))
    row = got.loc[("B", "purchase")]
    assert row["difference_points"] == pytest.approx((pb - pa) * 100)
    assert row["p_value"] == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))


def ibis_arm(events):
    import ibis
    return events.mutate(variant=ibis.ifelse(events.customer_id.cast("int64") % 2 == 0, "A", "B"))


def test_an_arm_with_no_entries_is_not_compared_and_says_why():
    rows = [("a1", "2024-01-01T10:00:00", "view", "A"), ("a1", "2024-01-01T11:00:00", "buy", "A"),
            ("c1", "2024-01-01T10:00:00", "buy", "C")]
    result = compute_variant_funnel(ab_log(rows), params=VIEW_BUY)
    c = result[result["variant"] == "C"]
    # C: 0 entered, so no conversion (not 0%), no difference, no verdict; the warning names the arm
    assert c["customers"].tolist() == [0, 0] and c["conversion_from_first"].isna().all()
    assert c["difference_points"].isna().all() and c["verdict"].isna().all()
    assert c["warning"].str.contains("No customer of C entered the funnel").all()


def test_customers_in_no_arm_are_counted_in_the_warning():
    result = compute_variant_funnel(ab_log(), params=VIEW_BUY)
    # n1 has no variant anywhere: 1 customer left out, said on every row of the comparison
    assert result["warning"].str.contains("1 customer saw no variant and is left out of the comparison").all()
