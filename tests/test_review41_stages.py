"""Review 41: how far customers get when some of their events are reversals, against tests/review41_reference.py
(written from DESIGN.md, README.md and the words cjm shows, before reading the code): the Overview's stage reach,
the customer features' furthest stage, the at-risk 'stalled' rule, the journey map's stage funnel, action shares,
time in stage and the future map's value per converted customer.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from cjm.customers.features import compute_customer_features
from cjm.data.dataset import SourceFile, load_dataset
from cjm.data.filters import Filters
from cjm.data.stages import StageMapping
from cjm.data.views import filtered
from cjm.journey.funnel import FunnelParams, compute_funnel
from cjm.journey.gaps import GapParams, compute_gap_stages, compute_gaps
from cjm.journey.kpis import compute_kpis
from cjm.journey.reach import compute_stage_reach
from cjm.maps.current import build_current_map
from cjm.maps.future import build_future_map, compute_projection
from cjm.voice.risk import compute_at_risk
from tests import review41_reference as ref

TABLE = {"page_view": "awareness", "product_view": "consideration", "purchase": "conversion",
         "order_cancelled": "conversion", "refund": "retention", "return": "retention", "chargeback": "retention",
         "support_ticket": "retention", "referral": "loyalty"}
STAGES = ref.FIVE

# a: viewed, bought 100, refunded 40. b: only a cancellation (-30). c: viewed, a ticket 9 days later. d: viewed,
# bought 50, a ticket, a chargeback of the 50. e: viewed, bought 80, cancelled it. f: a product view and a return
# (-20). g: viewed, referred someone 19 days later.
SHOP = """customer_id,timestamp,event,revenue,channel
a,2025-03-01 09:00,page_view,,web
a,2025-03-01 10:00,product_view,,web
a,2025-03-02 10:00,purchase,100,web
a,2025-03-05 09:00,refund,-40,email
b,2025-03-03 12:00,order_cancelled,-30,web
c,2025-03-01 08:00,page_view,,app
c,2025-03-10 08:00,support_ticket,,email
d,2025-03-02 08:00,page_view,,web
d,2025-03-02 09:00,product_view,,app
d,2025-03-03 10:00,purchase,50,app
d,2025-03-04 10:00,support_ticket,,email
d,2025-03-06 10:00,chargeback,-50,app
e,2025-03-04 08:00,page_view,,web
e,2025-03-04 09:00,product_view,,web
e,2025-03-05 10:00,purchase,80,web
e,2025-03-05 12:00,order_cancelled,-80,web
f,2025-03-06 08:00,product_view,,app
f,2025-03-07 08:00,return,-20,app
g,2025-03-01 07:00,page_view,,email
g,2025-03-20 07:00,referral,,email
"""


def dataset(text: str, name: str = "events.csv"):
    return load_dataset([SourceFile(name=name, data=text.encode())],
                        stage_mapping=StageMapping(model="5", events=dict(TABLE)))


def events(text: str) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), dtype={"customer_id": str})
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    return ref.with_stages(frame, TABLE)


def reach_of(ds) -> pd.DataFrame:
    return compute_stage_reach(ds).set_index("stage")[["customers", "reversals_only"]]


def map_funnel(jm) -> list[int]:
    """The map's stage funnel: customers counted at each stage (the baseline the conversion lane's 'of N' reads)."""
    counts = jm.baseline["funnel_customers"]
    steps = [s.key for s in jm.stages]
    assert [jm.cells["conversion"][s].evidence.customers for s in steps[:-1]] == counts[:-1]
    return counts


# ---------------------------------------------------------------------------------------------------------------
# Hand example
# ---------------------------------------------------------------------------------------------------------------
def test_a_stage_reached_only_by_reversals_lifts_nobody_and_is_counted_apart():
    # awareness a c d e g: 5; consideration a d e f: 4; conversion a d e by a purchase (e's purchase counts, its
    # cancellation is beside it), b by a cancellation only: 3 + 1 apart; retention c d by a ticket, a (refund) and
    # f (return) only by reversals: 2 + 2 apart; loyalty g: 1
    got = reach_of(dataset(SHOP))
    assert got["customers"].tolist() == [5, 4, 3, 2, 1]
    assert got["reversals_only"].tolist() == [0, 0, 1, 2, 0]
    want = ref.stage_reach(events(SHOP)).set_index("stage")
    assert got["customers"].tolist() == want["reached"].tolist()
    assert got["reversals_only"].tolist() == want["reversals_only"].tolist()


def test_the_furthest_stage_is_the_latest_stage_reached_by_an_event_that_is_no_reversal():
    # a conversion (its refund lifts it to nothing), b none (-1), c retention, d retention (a ticket), e
    # conversion, f consideration (its return lifts nothing), g loyalty
    features = compute_customer_features(dataset(SHOP)).set_index("customer_id")["furthest_stage"]
    assert features.to_dict() == {"a": 2, "b": -1, "c": 3, "d": 3, "e": 2, "f": 1, "g": 4}
    want = {c: (STAGES.index(s) if s else -1) for c, s in ref.furthest_stage(events(SHOP)).items()}
    assert features.to_dict() == want


def test_a_stall_is_counted_from_the_first_event_at_the_furthest_stage_that_is_no_reversal():
    # as of 3 Apr 12:00: a's progress was its purchase 2 Mar 10:00: 32.08 days, stalled (its refund on 5 Mar,
    # 29.1 days, is no progress); b reached no stage: not stalled; c ticket 10 Mar 08:00: 24.17 days; d ticket
    # 4 Mar 10:00: 30.08 days, stalled; e purchase 5 Mar 10:00: 29.08; f product view 6 Mar 08:00: 28.17; g at the
    # final stage: never stalled
    as_of = pd.Timestamp("2025-04-03 12:00", tz="UTC")
    risk = compute_at_risk(dataset(SHOP), as_of=as_of)[0].set_index("customer_id")
    want = ref.stalled(events(SHOP), as_of)
    assert risk["stalled"].to_dict() == {c: w[2] for c, w in want.items()}
    assert risk["stalled"].to_dict() == {"a": True, "b": False, "c": False, "d": True, "e": False, "f": False,
                                         "g": False}
    for c, (_, since, _) in want.items():
        if since is not None:
            assert risk.loc[c, "days_since_progress"] == pytest.approx(since)
    assert risk.loc["a", "days_since_progress"] == pytest.approx(32 + 2 / 24)


def test_the_maps_stage_funnel_is_not_lifted_by_reversals_and_never_increases():
    # entries by awareness: a c d e g (5); consideration within 7 days: a d e (3); conversion a d e (3); retention
    # by a non-reversal: d's ticket (1; a's refund lifts nobody); loyalty: g's referral is 19 days after its
    # entry: 0
    jm = build_current_map(dataset(SHOP))
    got = map_funnel(jm)
    assert got == [5, 3, 3, 1, 0]
    assert got == [n for _, n in ref.stage_funnel(events(SHOP))]
    assert all(x >= y for x, y in zip(got, got[1:]))


def test_the_maps_action_shares_are_of_the_customers_with_any_event_at_the_stage():
    # conversion: a b d e have an event there (4): purchase a d e 3/4 = 75%, order_cancelled b e 2/4 = 50%;
    # retention: a c d f (4): support_ticket c d 50%, chargeback d 25%, refund a 25% (return f 25% is the 4th)
    jm = build_current_map(dataset(SHOP))
    conversion = jm.cells["actions"]["conversion"]
    assert conversion.evidence.customers == 4
    assert conversion.value.splitlines() == ["purchase (75.0%)", "order_cancelled (50.0%)"]
    retention = jm.cells["actions"]["retention"]
    assert retention.evidence.customers == 4
    assert retention.value.splitlines()[0] == "support_ticket (50.0%)"


def test_time_in_stage_ends_at_the_first_later_stage_event_that_is_no_reversal():
    # consideration: a 1 Mar 10:00 -> purchase 2 Mar 10:00 (1 d), d 2 Mar 09:00 -> 3 Mar 10:00 (1 d 1 h), e the
    # same 1 d 1 h; f's return is no later stage: median 1 d 1 h of 3 customers. conversion: d's purchase -> ticket
    # 1 d; a's refund and e's cancellation end nothing: 1 customer
    jm = build_current_map(dataset(SHOP))
    cells = jm.cells["time_in_stage"]
    assert (cells["consideration"].number, cells["consideration"].evidence.customers) == (90000.0, 3)
    assert (cells["conversion"].number, cells["conversion"].evidence.customers) == (86400.0, 1)


def test_value_per_converted_customer_is_the_net_money_of_the_funnels_converters():
    # goal conversion: a d e converted; their money 100 - 40, 50 - 50, 80 - 80 = 60; 60 / 3 = 20 (b's -30
    # cancellation is no converter's: with it, 30 / 4 = 7.5)
    projection = compute_projection(build_future_map(build_current_map(dataset(SHOP))))
    assert projection["goal"] == "conversion"
    value, n = ref.value_per_converted(events(SHOP), "conversion")
    assert (value, n) == (20.0, 3)
    assert projection["value_per_conversion"] == pytest.approx(value)
    assert projection["today"]["conversions"] == pytest.approx(n)
    assert projection["today"]["revenue"] == pytest.approx(60.0)


def stage_funnel_of(ds, mode: str = "ordered") -> list[int]:
    return compute_funnel(ds, params=FunnelParams(steps=STAGES, mode=mode))["customers"].tolist()


def test_the_funnel_by_stages_counts_a_customer_at_a_stage_as_the_reach_and_the_map_do():
    # The report's default funnel and the Funnel page's stage steps (the five stages, 7 days, ordered): a reached
    # retention only by its refund of 5 Mar (3 days after its purchase), which lifts nobody to its stage. Before:
    # 5, 3, 3, 2, 0 beside the map's 5, 3, 3, 1, 0 for the same stages and window. h viewed, looked and cancelled
    # (no purchase): not at conversion either (before: 6, 4, 4, 2, 0).
    assert stage_funnel_of(dataset(SHOP)) == [5, 3, 3, 1, 0]
    with_h = SHOP + ("h,2025-03-01 09:00,page_view,,web\nh,2025-03-01 10:00,product_view,,web\n"
                     "h,2025-03-01 11:00,order_cancelled,-10,web\n")
    assert stage_funnel_of(dataset(with_h)) == [6, 4, 3, 1, 0]
    assert build_current_map(dataset(with_h)).baseline["funnel_customers"] == [6, 4, 3, 1, 0]


def test_the_funnel_by_stages_in_strict_and_any_order_modes_reads_a_reversal_as_no_step():
    # strict: a (view, product, purchase, refund): the refund is no retention step: 3 deep (before 4); d (view,
    # product, purchase, ticket, chargeback) 4; e (view, product, purchase, cancellation) 3; c 1; g 1.
    # any order: a 3 distinct stages in 7 days (awareness, consideration, conversion), not 4 with its refund; b
    # (only a cancellation) enters nothing (before: 1); c 1 (its ticket is 9 days after its view); d 4; e 3; f 1
    # (its product view; before 2 with its return); g 1: 6, 3, 3, 1, 0 (before 7, 4, 3, 2, 0).
    ds = dataset(SHOP)
    assert stage_funnel_of(ds, "strict") == [5, 3, 3, 1, 0]
    assert stage_funnel_of(ds, "any") == [6, 3, 3, 1, 0]


def test_a_customer_whose_only_conversion_event_is_a_cancellation_did_not_convert():
    # b's only event is an order_cancelled, mapped to conversion here: its furthest stage is none, so it did not
    # convert (before: 'converted' True beside furthest stage -1 on the same row). Converted: a, d, e (each by a
    # purchase, whatever came after). The Overview's conversion rate over all the data: 3 of 7 = 42.9%, as the
    # reach's conversion 3 of 7 (before 4 of 7 = 57.1%).
    ds = dataset(SHOP)
    converted = compute_customer_features(ds).set_index("customer_id")["converted"]
    assert sorted(converted.index[converted]) == ["a", "d", "e"]
    kpis = compute_kpis(ds, period="all").set_index("name")
    assert kpis.loc["conversion_rate", "value"] == pytest.approx(3 / 7)
    reach = compute_stage_reach(ds).set_index("stage")
    assert kpis.loc["conversion_rate", "value"] == pytest.approx(reach.loc["conversion", "share"])


# k1 and k4 bought in the app and were refunded by e-mail (a channel switch app -> email at conversion); k2 bought on
# the web and opened a ticket there (moved on to retention, no switch); k3 bought on the web, nothing after.
SWITCHERS = """customer_id,timestamp,event,revenue,channel
k1,2025-03-01 09:00,page_view,,web
k1,2025-03-01 10:00,product_view,,web
k1,2025-03-02 10:00,purchase,40,app
k1,2025-03-03 10:00,refund,-40,email
k2,2025-03-01 09:00,page_view,,web
k2,2025-03-02 10:00,purchase,30,web
k2,2025-03-03 10:00,support_ticket,,web
k3,2025-03-01 09:00,page_view,,web
k3,2025-03-02 10:00,purchase,30,web
k4,2025-03-02 10:00,purchase,20,app
k4,2025-03-04 10:00,refund,-20,email
"""


def test_a_refund_after_a_switch_is_no_move_to_the_next_stage():
    # DESIGN 4 Gaps: "the share who still reached the next stage afterwards". app -> email at conversion: k1 and k4
    # (2 compared); their refunds lift nobody to retention: 0 moved on. Those who stayed at conversion: k2 (moved on
    # by its ticket) and k3 (did not): 50%. Difference -50 points, 2 x 0.5 = 1 customer lost. Before: the refunds
    # read as reaching retention, 100% against 50%: +50 points, a switch that seemed to help.
    params = GapParams(dimension="channel", min_customers=1)
    gaps = compute_gaps(dataset(SWITCHERS), params=params).set_index("switch")
    row = gaps.loc["app → email"]
    assert (row["stage"], row["customers_compared"]) == ("conversion", 2)
    assert row["conversion_after"] == 0.0
    assert row["conversion_without_switch"] == 0.5
    assert row["difference_points"] == pytest.approx(-50.0)
    assert row["customers_lost"] == pytest.approx(1.0)
    stages = compute_gap_stages(dataset(SWITCHERS), params=params).set_index(["switch", "stage"])
    assert stages.loc[("app → email", "conversion"), "conversion_after"] == 0.0
    # the journey map's gap lane at conversion names the costly switch
    jm = build_current_map(dataset(SWITCHERS))
    assert "app → email" in jm.cells["gaps"]["conversion"].value


def test_a_journey_variant_of_a_cancellation_alone_did_not_convert():
    # Journeys: b's variant 'conversion' (its only event, an order_cancelled mapped there) converted nobody (before:
    # 1 of 1); a (view, product, purchase, refund) and d did convert. Converted in all: a, d, e = 3 (was 4).
    # The cancellation is a step of its own, no stage (helper-122: it read 'conversion', and e's purchase then
    # cancellation collapsed into one 'conversion' step).
    from cjm.journey.paths import compute_variants
    variants = compute_variants(dataset(SHOP)).set_index("path")
    assert variants.loc["order_cancelled (reversal)", "converted"] == 0
    assert variants.loc["awareness → consideration → conversion → order_cancelled (reversal)", "converted"] == 1
    assert variants["converted"].sum() == 3
    # without the conversion stage the rule reads names containing 'purchase' or 'order': an order_cancelled is none
    plain = load_dataset([SourceFile(name="events.csv", data=SHOP.encode())],
                         stage_mapping=StageMapping(model="5", events={**TABLE, "purchase": "retention",
                                                                       "order_cancelled": "retention"}))
    assert compute_variants(plain)["converted"].sum() == 3  # a, d, e by their purchases; b and e's cancellations none


# ---------------------------------------------------------------------------------------------------------------
# Invariants, filters and breakdowns
# ---------------------------------------------------------------------------------------------------------------
def test_reach_counts_add_up_to_the_customers_with_an_event_at_each_stage():
    reach = compute_stage_reach(dataset(SHOP))
    want = ref.stage_reach(events(SHOP))
    assert (reach["customers"] + reach["reversals_only"]).tolist() == want["any_event"].tolist()
    assert ((reach["share"] >= 0) & (reach["share"] <= 1)).all()
    assert (reach["customers"] + reach["reversals_only"] <= reach["total_customers"]).all()


def test_reach_under_a_channel_filter_is_the_reach_of_that_channels_events():
    # DESIGN 8 / views: a channel filter keeps EVENTS. web: a (view, product, purchase), b (cancellation), d
    # (view), e (all): awareness a d e, consideration a e, conversion a e + b apart; no channel's reach exceeds
    # the whole, and the channels' customers at a stage add up to at least the whole's (a customer may be in two)
    ds = dataset(SHOP)
    whole = reach_of(ds)
    total = pd.Series(0, index=whole.index)
    for channel in ("web", "app", "email"):
        got = reach_of(filtered(ds, Filters(channels=(channel,))))
        frame = events(SHOP)
        want = ref.stage_reach(frame[frame["channel"] == channel]).set_index("stage")
        assert got["customers"].reindex(want.index, fill_value=0).tolist() == want["reached"].tolist(), channel
        assert got["reversals_only"].reindex(want.index, fill_value=0).tolist() == want["reversals_only"].tolist()
        assert (got["customers"].reindex(whole.index, fill_value=0) <= whole["customers"]).all()
        total = total + got["customers"].reindex(whole.index, fill_value=0)
    assert (total >= whole["customers"]).all()


@pytest.mark.parametrize("attribution", ["first", "last"])
def test_the_stage_funnels_channel_breakdown_adds_up_to_the_whole_funnel(attribution):
    # DESIGN 4: a breakdown puts each customer in the group of their first (or last) touch's channel, so the groups
    # add up to the whole funnel, step by step: 5, 3, 3, 1, 0 (reversals lifting nobody in every group too)
    ds = dataset(SHOP)
    params = FunnelParams(steps=STAGES, breakdown="channel", attribution=attribution)
    groups = compute_funnel(ds, params=params)
    totals = groups.groupby("step", sort=False)["customers"].sum().tolist()
    assert totals == stage_funnel_of(ds) == [5, 3, 3, 1, 0]


# ---------------------------------------------------------------------------------------------------------------
# Randomised logs (fixed seeds)
# ---------------------------------------------------------------------------------------------------------------
NAMES = list(TABLE)


def random_log(seed: int, customers: int = 40) -> str:
    rng = np.random.default_rng(seed)
    rows = ["customer_id,timestamp,event,revenue,channel"]
    start = pd.Timestamp("2025-01-01")
    for i in range(customers):
        n = int(rng.integers(1, 8))
        times = sorted(start + pd.Timedelta(minutes=int(m)) for m in rng.choice(60 * 24 * 8, n, replace=False))
        paid = []
        names = [NAMES[int(k)] for k in rng.integers(len(NAMES), size=n)]
        if rng.random() < 0.7:  # most journeys run forward through the stages
            names.sort(key=lambda e: STAGES.index(TABLE[e]))
        for t, e in zip(times, names):
            money = ""
            if e == "purchase":
                paid.append(int(rng.integers(1, 20)) * 5)
                money = str(paid[-1])
            elif ref.is_reversal(e) and paid:
                money = str(-paid.pop())
            rows.append(f"c{i},{t:%Y-%m-%d %H:%M},{e},{money},{rng.choice(['web', 'app'])}")
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_random_logs_agree_with_the_reference_on_reach_furthest_stage_and_stalls(seed):
    text = random_log(seed)
    ds, frame = dataset(text), events(text)
    got = reach_of(ds)
    want = ref.stage_reach(frame).set_index("stage")
    assert got["customers"].reindex(want.index, fill_value=0).tolist() == want["reached"].tolist()
    assert got["reversals_only"].reindex(want.index, fill_value=0).tolist() == want["reversals_only"].tolist()
    furthest = compute_customer_features(ds).set_index("customer_id")["furthest_stage"].to_dict()
    assert furthest == {c: (STAGES.index(s) if s else -1) for c, s in ref.furthest_stage(frame).items()}
    as_of = pd.Timestamp("2025-03-01 00:00", tz="UTC")
    risk = compute_at_risk(ds, as_of=as_of)[0].set_index("customer_id")
    want_stall = ref.stalled(frame, as_of)
    assert risk["stalled"].to_dict() == {c: w[2] for c, w in want_stall.items()}


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_random_logs_agree_with_the_reference_on_the_maps_funnel_and_value(seed):
    text = random_log(seed)
    frame = events(text)
    jm = build_current_map(dataset(text))
    steps = [s.key for s in jm.stages]
    assert steps == ref.map_steps(frame)
    got = map_funnel(jm)
    assert got == [n for _, n in ref.stage_funnel(frame)]
    assert all(x >= y for x, y in zip(got, got[1:]))
    assert stage_funnel_of(dataset(text)) == got  # the funnel of the stages = the map's stage funnel
    projection = compute_projection(build_future_map(jm))
    value, n = ref.value_per_converted(frame, projection["goal"])
    assert projection["today"]["conversions"] == pytest.approx(n)
    if n:
        assert projection["value_per_conversion"] == pytest.approx(value)
