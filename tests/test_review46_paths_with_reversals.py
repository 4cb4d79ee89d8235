"""Review 46: stage paths with reversal steps, checked against tests/review46_reference.py and hand figures.

Stage mapping (5-stage model): visit -> consideration, purchase -> conversion, invoice -> retention,
refund / chargeback / subscription_cancelled -> retention (as the touchpoint dictionary maps them).
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from cjm.journey import paths
from cjm.journey.paths import PathParams
from cjm.report.sections import paths_section
from tests import review46_reference as ref
from tests.helpers import dataset, real_file

MAPPED = {"ad": "awareness", "visit": "consideration", "purchase": "conversion", "invoice": "retention",
          "refund": "retention", "chargeback": "retention", "subscription_cancelled": "retention",
          "repeat_purchase": "loyalty"}
ALL = PathParams(min_edge_share=0.0)
EVENTS = PathParams(level="event", min_edge_share=0.0)


def day(n: int, hour: int = 0) -> str:
    return f"2024-01-{n:02d}T{hour:02d}:00:00"


def as_log(rows):
    return [{"customer": c, "time": datetime.fromisoformat(t), "event": e} for c, t, e in rows]


def cjm_variants(rows, stages=MAPPED, params=ALL):
    frame = paths.compute_variants(dataset(rows, stages=stages), params=params)
    return {r.path: (r.customers, r.share, r.conversion) for r in frame.itertuples(index=False)}


def ref_variants(rows, stages=MAPPED, level="stage"):
    found = ref.variants(as_log(rows), stages if level == "stage" else None, conversion_map=stages)
    return {" → ".join(v["path"]): (v["customers"], v["share"], v["conversion"]) for v in found}


def agree(rows, stages=MAPPED, level="stage"):
    params = ALL if level == "stage" else EVENTS
    mine, theirs = ref_variants(rows, stages, level), cjm_variants(rows, stages, params)
    assert theirs.keys() == mine.keys()
    for path, (n, share, conversion) in mine.items():
        assert theirs[path] == (n, pytest.approx(share), pytest.approx(conversion)), path
    return theirs


def test_a_refund_after_a_purchase_is_a_step_of_its_own_and_the_buyer_still_converted():
    rows = [("a", day(1), "visit"), ("a", day(2), "purchase"), ("a", day(3), "refund"),
            ("b", day(1), "visit"), ("b", day(2), "purchase"), ("b", day(4), "invoice")]
    found = agree(rows)
    # by hand: a consideration → conversion → refund (reversal), b → retention; both bought: conversion 100%
    assert found == {"consideration → conversion → refund (reversal)": (1, 0.5, 1.0),
                     "consideration → conversion → retention": (1, 0.5, 1.0)}


def test_a_refund_before_any_purchase_is_a_step_and_converts_nobody():
    rows = [("a", day(1), "visit"), ("a", day(2), "refund"), ("a", day(3), "visit")]
    assert agree(rows) == {"consideration → refund (reversal) → consideration": (1, 1.0, 0.0)}


def test_two_refunds_in_a_row_are_one_step():
    rows = [("a", day(1), "purchase"), ("a", day(2), "refund"), ("a", day(3), "refund")]
    assert agree(rows) == {"conversion → refund (reversal)": (1, 1.0, 1.0)}


def test_a_refund_then_a_chargeback_are_two_reversal_steps():
    rows = [("a", day(1), "purchase"), ("a", day(2), "refund"), ("a", day(3), "chargeback")]
    assert agree(rows) == {"conversion → refund (reversal) → chargeback (reversal)": (1, 1.0, 1.0)}


def test_a_refund_then_a_repurchase_goes_back_to_the_conversion_stage():
    rows = [("a", day(1), "visit"), ("a", day(2), "purchase"), ("a", day(3), "refund"), ("a", day(5), "purchase")]
    assert agree(rows) == {"consideration → conversion → refund (reversal) → conversion": (1, 1.0, 1.0)}


def test_a_cancelled_plan_mapped_to_retention_is_a_reversal_step_not_retention():
    rows = [("a", day(1), "purchase"), ("a", day(2), "invoice"), ("a", day(30), "subscription_cancelled"),
            ("b", day(1), "purchase"), ("b", day(30), "subscription_cancelled")]
    # a: conversion → retention → subscription_cancelled (reversal); b never reached retention
    assert agree(rows) == {"conversion → retention → subscription_cancelled (reversal)": (1, 0.5, 1.0),
                           "conversion → subscription_cancelled (reversal)": (1, 0.5, 1.0)}


def test_an_unmapped_reversal_is_no_step_of_a_stage_path_and_keeps_its_name_in_an_event_path():
    stages = {k: v for k, v in MAPPED.items() if k != "refund"}
    rows = [("a", day(1), "visit"), ("a", day(2), "purchase"), ("a", day(3), "refund"), ("a", day(4), "invoice")]
    assert agree(rows, stages) == {"consideration → conversion → retention": (1, 1.0, 1.0)}
    assert agree(rows, stages, level="event") == {"visit → purchase → refund → invoice": (1, 1.0, 1.0)}


def test_event_level_paths_keep_the_reversals_own_name_and_the_same_conversion():
    rows = [("a", day(1), "visit"), ("a", day(2), "purchase"), ("a", day(3), "refund"),
            ("b", day(1), "refund"), ("c", day(1), "visit"), ("c", day(2), "visit")]
    found = agree(rows, level="event")
    assert found == {"visit → purchase → refund": (1, 1 / 3, 1.0), "refund": (1, 1 / 3, 0.0),
                     "visit": (1, 1 / 3, 0.0)}
    assert agree(rows) == {"consideration → conversion → refund (reversal)": (1, 1 / 3, 1.0),
                           "refund (reversal)": (1, 1 / 3, 0.0), "consideration": (1, 1 / 3, 0.0)}


def test_a_customer_with_only_a_refund_has_a_one_step_reversal_journey_that_converts_nobody():
    rows = [("a", day(1), "refund"), ("b", day(1), "refund"), ("b", day(2), "refund"), ("c", day(1), "purchase")]
    assert agree(rows) == {"refund (reversal)": (2, 2 / 3, 0.0), "conversion": (1, 1 / 3, 1.0)}


def test_a_refund_mapped_to_the_conversion_stage_is_still_a_reversal_and_converts_nobody():
    stages = {**MAPPED, "refund": "conversion"}
    rows = [("a", day(1), "visit"), ("a", day(2), "refund"), ("b", day(1), "visit"), ("b", day(2), "purchase")]
    assert agree(rows, stages) == {"consideration → refund (reversal)": (1, 0.5, 0.0),
                                   "consideration → conversion": (1, 0.5, 1.0)}


SHOP = [("a", day(1), "visit"), ("a", day(2), "purchase"), ("a", day(3), "refund"),
        ("b", day(1), "visit"), ("b", day(2), "purchase"), ("b", day(3), "invoice"),
        ("c", day(1), "visit"), ("c", day(2), "purchase"), ("c", day(3), "refund"), ("c", day(4), "purchase"),
        ("d", day(1), "refund"), ("e", day(1), "visit")]


def test_the_flow_shows_the_reversal_as_its_own_node_with_the_reference_counts():
    theirs = paths.compute_transitions(dataset(SHOP, stages=MAPPED), params=ALL)
    found = {(r.position, r.source, r.target): (r.customers, pytest.approx(r.share)) for r in theirs.itertuples()}
    mine = ref.flow(as_log(SHOP), MAPPED)
    assert found == {k: (n, pytest.approx(s)) for k, (n, s) in mine.items()}
    # by hand: position 1 consideration (a, b, c, e) → conversion 3 of 4; position 2 conversion (a, b, c) →
    # refund (reversal) 2 of 3 and retention 1 of 3; position 3 refund (reversal) (a, c) → conversion 1 of 2
    assert mine == {(1, "consideration", "conversion"): (3, 0.75), (2, "conversion", "refund (reversal)"): (2, 2 / 3),
                    (2, "conversion", "retention"): (1, 1 / 3), (3, "refund (reversal)", "conversion"): (1, 0.5)}


def test_the_transition_matrix_shows_the_reversal_as_its_own_row_and_column():
    theirs = paths.compute_transition_matrix(dataset(SHOP, stages=MAPPED), params=ALL)
    found = {(r["from"], r["to"]): (r["customers"], r["from_customers"]) for r in theirs.to_dict("records")}
    mine = ref.transition_matrix(as_log(SHOP), MAPPED)
    assert found == mine
    # d's lone refund is a node with no move: "refund (reversal)" is in a, c and d's journeys
    assert mine[("refund (reversal)", "conversion")] == (1, 3)
    assert ("conversion", "retention") in mine and not any("retention" == a for a, _ in mine)


def test_the_reports_variants_match_the_reference():
    section = paths_section(dataset(SHOP, stages=MAPPED), params=ALL)["variants"]
    found = {v["path"]: (v["customers"], v["share"], v["conversion"]) for v in section}
    assert found == {p: (n, pytest.approx(s), pytest.approx(c)) for p, (n, s, c) in ref_variants(SHOP).items()}
    assert found["consideration → conversion → refund (reversal) → conversion"] == (1, 0.2, 1.0)
    assert found["refund (reversal)"] == (1, 0.2, 0.0)


def test_customers_with_reversals_at_the_same_moment_as_a_purchase_follow_the_row_order():
    # a refund written at the purchase's very time, after it in the file: purchase first, then the refund
    rows = [("a", day(1), "visit"), ("a", day(2), "purchase"), ("a", day(2), "refund")]
    assert agree(rows) == {"consideration → conversion → refund (reversal)": (1, 1.0, 1.0)}


@pytest.fixture(scope="module")
def demo_with_refunds(tmp_path_factory):
    """The demo data (200 customers) with a refund a day after every third purchase."""
    from cjm.data.dataset import SourceFile, build_dataset, parse_files
    from cjm.data.demo import generate_demo
    events, _ = generate_demo(customers=200, seed=3, months=2)
    buys = events[events["event"] == "purchase"].iloc[::3].copy()
    buys["event_time"] = (pd.to_datetime(buys["event_time"]) + pd.Timedelta(days=1)).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    buys["event"], buys["revenue"] = "refund", -buys["revenue"]
    frame = pd.concat([events, buys], ignore_index=True)
    path = tmp_path_factory.mktemp("demo") / "events.csv"
    frame.to_csv(path, index=False)
    return frame, build_dataset(parse_files([SourceFile.from_path(path)]))


def test_the_demo_data_with_refunds_added_matches_the_reference(demo_with_refunds):
    frame, data = demo_with_refunds
    counts = data.event_counts
    stage_of = {e: s for e, s in zip(counts["event"], counts["stage"]) if s != "unmapped"}
    assert stage_of["refund"] == "retention"
    log = [{"customer": c, "time": pd.Timestamp(t), "event": e}
           for c, t, e in zip(frame["customer_id"], frame["event_time"], frame["event"])]
    mine = {" → ".join(v["path"]): (v["customers"], v["conversion"]) for v in ref.variants(log, stage_of)}
    theirs = paths.compute_variants(data, params=ALL)
    found = {r.path: (r.customers, pytest.approx(r.conversion)) for r in theirs.itertuples()}
    assert found == mine
    assert any("refund (reversal)" in p for p in mine)
    flows = paths.compute_transitions(data, params=ALL)
    edges = {(r.position, r.source, r.target): r.customers for r in flows.itertuples()}
    assert edges == {k: n for k, (n, _) in ref.flow(log, stage_of).items()}


def test_a_real_store_export_gives_the_reference_variants_at_stage_and_event_level():
    raw = pd.read_csv(real_file("rees46_2019-Oct-sample.csv"), dtype={"user_id": str})
    rows = list(zip(raw["user_id"], raw["event_time"].str.replace(" UTC", ""), raw["event_type"]))
    stages = {"view": "consideration", "cart": "consideration", "purchase": "conversion"}
    agree(rows, stages)
    agree(rows, stages, level="event")


def test_without_a_conversion_stage_an_order_named_event_converts_but_a_cancelled_order_does_not():
    # no event mapped to "conversion": the rule falls back to event names containing "purchase" or "order"
    stages = {"visit": "consideration", "order_cancelled": "retention"}
    rows = [("a", day(1), "visit"), ("a", day(2), "order_placed"),
            ("b", day(1), "visit"), ("b", day(2), "order_cancelled")]
    variants = paths.compute_variants(dataset(rows, stages=stages), params=ALL)
    found = {r.path: (r.customers, r.conversion) for r in variants.itertuples()}
    # a's order_placed is unmapped (no step); b's cancellation is a reversal step and no order
    assert found == {"consideration": (1, 1.0), "consideration → order_cancelled (reversal)": (1, 0.0)}
    assert variants.attrs["conversion_rule"].startswith('had an event whose name contains "purchase", "order"')


def test_a_loaded_orders_export_with_statuses_reads_settled_orders_as_reversal_steps(tmp_path):
    # a: paid order 1 Jan, an order cancelled 5 Jan; b: an order refunded whole (the order and its reversal at
    # once: 'return', no purchase); c: paid 3 Jan, a -40 line 4 Jan ('return')
    from cjm.data.dataset import SourceFile, build_dataset, parse_files
    path = tmp_path / "orders.csv"
    path.write_text("customer_id,order_date,total,status\na,2024-01-01 10:00,50,paid\n"
                    "a,2024-01-05 10:00,30,cancelled\nb,2024-01-02 10:00,20,refunded\n"
                    "c,2024-01-03 10:00,40,paid\nc,2024-01-04 10:00,-40,\n")
    data = build_dataset(parse_files([SourceFile.from_path(path)]))
    found = {r.path: (r.customers, r.conversion) for r in paths.compute_variants(data, params=ALL).itertuples()}
    assert found == {"return (reversal)": (1, 0.0), "conversion → cancellation (reversal)": (1, 1.0),
                     "conversion → return (reversal)": (1, 1.0)}
