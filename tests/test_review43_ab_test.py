"""Review 43: the Funnel page's A/B test (compute_variant_funnel: the funnel per variant against the control) against
tests/review43_reference.py, on hand-made exports (figures worked out by hand beside them) and the demo."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cjm.data.dataset import SourceFile, load_dataset
from cjm.data.stages import StageMapping
from cjm.journey.experiments import compute_variant_funnel
from cjm.journey.funnel import FunnelParams
from tests import review43_reference as ref

STEPS = ("view", "cart", "purchase")
PARAMS = FunnelParams(steps=STEPS, step_kind="event", window_seconds=7 * 86400)


def dataset(text: str):
    return load_dataset([SourceFile(name="test.csv", data=text.encode())],
                        stage_mapping=StageMapping(model="5", events={"view": "consideration", "cart": "consideration",
                                                                      "purchase": "conversion"}))


def same_arms(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    """cjm's rows and the reference's: one per arm and step, the same counts, rates, intervals and tests."""
    key = ["variant", "step_number"]
    ours = ours.assign(variant=ours["variant"].astype(str)).sort_values(key).reset_index(drop=True)
    theirs = theirs.sort_values(key).reset_index(drop=True)
    assert list(zip(ours["variant"], ours["step_number"])) == list(zip(theirs["variant"], theirs["step_number"]))
    assert list(ours["step"]) == list(theirs["step"])
    assert list(ours["is_control"].astype(bool)) == list(theirs["is_control"])
    assert list(ours["entered"].astype(int)) == list(theirs["entered"])
    assert list(ours["customers"].astype(int)) == list(theirs["customers"])
    for column in ("conversion_from_first", "conversion_low", "conversion_high"):
        assert np.allclose(ours[column].astype(float), theirs[column].astype(float), equal_nan=True), column
    compared = theirs["difference_points"].notna()  # steps 2..n of the arms compared with the control
    for column in ("difference_points", "difference_low_points", "difference_high_points", "p_value"):
        assert np.allclose(ours[column].astype(float), theirs[column].astype(float), equal_nan=True), column
    assert list(ours["significant"].astype(bool)) == list(theirs["significant"])
    too_few = [isinstance(w, str) and "too few" in w.lower() for w in ours.loc[compared, "warning"]]
    assert too_few == list(theirs.loc[compared, "too_few"])
    # a verdict for every comparison, saying a difference only when the test finds one
    for verdict, significant in zip(ours.loc[compared, "verdict"], theirs.loc[compared, "significant"]):
        assert isinstance(verdict, str) and verdict.startswith("No significant difference") != significant


# Steps view -> cart -> purchase, window 7 days, control A.
# A: a1 view, cart, purchase (3 steps); a2 view, cart (2); a3 view (1); a4 view, purchase without cart (1);
#    a5 cart alone (never entered).  -> entered 4, cart 2, purchase 1: 100%, 50%, 25%.
# B: b1 and b2 view, cart, purchase (3); b3 view 1 Mar, cart 10 Mar, 9 days later, outside the window (1);
#    b4 saw B first (view, cart: 2), later an A event: counted in B.  -> entered 4, cart 3, purchase 2: 100%, 75%, 50%.
# C: c1 cart alone: C is listed with 0 entered and not compared.
# n1 saw no variant: left out (view, cart, purchase would have added to no arm), counted in the warning.
# Cart, B against A: 75% - 50% = +25 points; Wilson 2/4 = [15.0%, 85.0%], 3/4 = [30.1%, 95.4%];
#   pooled 5/8 = 0.625, se = sqrt(0.625 x 0.375 x (1/4 + 1/4)) = 0.3423, z = 0.25 / 0.3423 = 0.730, p = 0.465;
#   Newcombe: 25 - sqrt((75 - 30.06)^2 + (85.0 - 50)^2) = -31.96, 25 + sqrt((95.44 - 75)^2 + (50 - 15.0)^2) = 65.53.
# Purchase: 50% - 25% = +25 points, p = 0.465 as well (1/4 against 2/4: the same pooled 3/8 and se).
# Fewer than 100 customers at entry: every comparison carries the "too few customers to tell" warning.
ARMS = """customer_id,timestamp,event,variant
a1,2025-03-01 10:00,view,A
a1,2025-03-02 10:00,cart,A
a1,2025-03-03 10:00,purchase,A
a2,2025-03-01 10:00,view,A
a2,2025-03-02 10:00,cart,A
a3,2025-03-01 10:00,view,A
a4,2025-03-01 10:00,view,A
a4,2025-03-02 10:00,purchase,A
a5,2025-03-01 10:00,cart,A
b1,2025-03-01 11:00,view,B
b1,2025-03-01 12:00,cart,B
b1,2025-03-01 13:00,purchase,B
b2,2025-03-02 11:00,view,B
b2,2025-03-03 12:00,cart,B
b2,2025-03-04 13:00,purchase,B
b3,2025-03-01 11:00,view,B
b3,2025-03-10 11:00,cart,B
b4,2025-03-01 11:00,view,B
b4,2025-03-02 11:00,cart,
b4,2025-03-05 11:00,view,A
c1,2025-03-01 11:00,cart,C
n1,2025-03-01 11:00,view,
n1,2025-03-01 12:00,cart,
n1,2025-03-01 13:00,purchase,
"""


def test_each_arm_counts_its_customers_at_each_step_as_worked_by_hand():
    arms = compute_variant_funnel(dataset(ARMS), params=PARAMS, control="A")
    table = arms.assign(variant=arms["variant"].astype(str)).set_index(["variant", "step_number"])
    assert [table.loc[("A", i), "customers"] for i in (1, 2, 3)] == [4, 2, 1]
    assert [table.loc[("B", i), "customers"] for i in (1, 2, 3)] == [4, 3, 2]
    assert table.loc[("C", 1), "entered"] == 0 and table.loc[("C", 2), "customers"] == 0
    assert table.loc[("B", 2), "difference_points"] == pytest.approx(25.0)
    assert table.loc[("B", 2), "p_value"] == pytest.approx(0.465, abs=0.001)
    assert table.loc[("B", 2), "conversion_low"] == pytest.approx(0.3006, abs=1e-4)
    assert table.loc[("B", 2), "difference_low_points"] == pytest.approx(-31.96, abs=0.01)
    assert table.loc[("B", 2), "difference_high_points"] == pytest.approx(65.53, abs=0.01)
    assert table.loc[("B", 3), "p_value"] == pytest.approx(0.465, abs=0.001)
    assert pd.isna(table.loc[("C", 2), "p_value"]) and pd.isna(table.loc[("C", 2), "verdict"])  # not compared


def test_the_arms_are_the_references():
    data = dataset(ARMS)
    same_arms(compute_variant_funnel(data, params=PARAMS, control="A"),
              ref.variant_funnel(data.events.to_pandas(), list(STEPS), "A"))


def test_the_warnings_count_the_customer_who_saw_two_variants_and_the_one_who_saw_none():
    arms = compute_variant_funnel(dataset(ARMS), params=PARAMS, control="A")
    words = " ".join(arms["warning"].dropna().unique())
    assigned, several, none = ref.arms(dataset(ARMS).events.to_pandas())
    assert (several, none) == (1, 1)  # b4; n1
    assert "1 customer saw no variant" in words and "1 customer saw more than one variant" in words, words


def test_b_against_a_reads_the_same_whichever_arm_is_named_first_in_the_file():
    # The file's rows in another order (B's first): the arms, their counts and the tests are unchanged.
    lines = ARMS.strip().split("\n")
    shuffled = "\n".join([lines[0]] + sorted(lines[1:], key=lambda l: (l.split(",")[3], l))) + "\n"
    first = compute_variant_funnel(dataset(ARMS), params=PARAMS, control="A")
    again = compute_variant_funnel(dataset(shuffled), params=PARAMS, control="A")
    same_arms(again, ref.variant_funnel(dataset(shuffled).events.to_pandas(), list(STEPS), "A"))
    key = ["variant", "step_number"]
    a = first.assign(variant=first["variant"].astype(str)).sort_values(key).reset_index(drop=True)
    b = again.assign(variant=again["variant"].astype(str)).sort_values(key).reset_index(drop=True)
    assert list(a["customers"]) == list(b["customers"])


# A customer's arm is the first variant in time, not in the file: d1's B row comes first in the file but on 2 Mar,
# its A row is on 1 Mar -> d1 is in A. d2: one arm, B. Both: view then cart.
# A: entered 1, cart 1; B: entered 1, cart 1.
LATE_ROW_FIRST = """customer_id,timestamp,event,variant
d1,2025-03-02 10:00,cart,B
d1,2025-03-01 10:00,view,A
d2,2025-03-01 10:00,view,B
d2,2025-03-01 11:00,cart,B
"""


def test_a_customers_arm_is_the_first_variant_they_saw_in_time_not_in_the_file():
    data = dataset(LATE_ROW_FIRST)
    arms = compute_variant_funnel(data, params=FunnelParams(steps=("view", "cart"), step_kind="event"), control="A")
    table = arms.assign(variant=arms["variant"].astype(str)).set_index(["variant", "step_number"])
    assert table.loc[("A", 1), "entered"] == 1 and table.loc[("B", 1), "entered"] == 1
    same_arms(arms, ref.variant_funnel(data.events.to_pandas(), ["view", "cart"], "A"))


# --- a test big enough to tell ---------------------------------------------------------------------------------------

def big_test(n: int, converted: dict[str, int]) -> str:
    """n customers per arm, each a view; `converted[arm]` of them a purchase an hour later."""
    rows = ["customer_id,timestamp,event,variant"]
    for arm, buyers in converted.items():
        for i in range(n):
            rows.append(f"{arm}{i},2025-03-01 10:00,view,{arm}")
            if i < buyers:
                rows.append(f"{arm}{i},2025-03-01 11:00,purchase,{arm}")
    return "\n".join(rows) + "\n"


def test_120_customers_an_arm_converting_30_against_50_is_a_significant_difference_without_warning():
    # control: 30 / 120 = 25%, treatment: 50 / 120 = 41.67%: +16.67 points. Pooled 80 / 240 = 1/3,
    # se = sqrt(1/3 x 2/3 x (2 / 120)) = 0.06086, z = 0.16667 / 0.06086 = 2.739, p = 0.0062: significant.
    # Expected conversions 40 an arm, non-conversions 80, 120 at entry: no warning.
    data = dataset(big_test(120, {"control": 30, "treatment": 50}))
    params = FunnelParams(steps=("view", "purchase"), step_kind="event")
    arms = compute_variant_funnel(data, params=params)  # the control found by its name
    row = arms[(arms["variant"].astype(str) == "treatment") & (arms["step_number"] == 2)].iloc[0]
    assert row["difference_points"] == pytest.approx(100 * (50 - 30) / 120)
    assert row["p_value"] == pytest.approx(0.0062, abs=0.0001) and row["significant"] and pd.isna(row["warning"])
    assert "better" in row["verdict"] and "treatment" in row["verdict"] and "control" in row["verdict"]
    same_arms(arms, ref.variant_funnel(data.events.to_pandas(), ["view", "purchase"], "control"))


def test_120_customers_an_arm_with_3_conversions_each_carries_the_too_few_warning():
    # 3 / 120 against 3 / 120: expected conversions 3 an arm, below 5: "too few customers to tell"; p = 1.
    data = dataset(big_test(120, {"A": 3, "B": 3}))
    params = FunnelParams(steps=("view", "purchase"), step_kind="event")
    arms = compute_variant_funnel(data, params=params, control="A")
    row = arms[(arms["variant"].astype(str) == "B") & (arms["step_number"] == 2)].iloc[0]
    assert row["difference_points"] == 0 and not row["significant"] and isinstance(row["warning"], str)
    same_arms(arms, ref.variant_funnel(data.events.to_pandas(), ["view", "purchase"], "A"))


# --- the demo ------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo():
    return load_dataset(["data/demo_events.csv.gz", "data/demo_customers.csv"])


@pytest.mark.parametrize("steps", [("product_view", "add_to_cart", "checkout_started", "purchase"),
                                   ("add_to_cart", "checkout_started", "purchase"),
                                   ("product_view", "product_view", "purchase")])
def test_the_demos_ab_test_is_the_references(demo, steps):
    params = FunnelParams(steps=steps, step_kind="event")
    arms = compute_variant_funnel(demo, params=params, control="A")
    same_arms(arms, ref.variant_funnel(demo.events.to_pandas(), list(steps), "A"))


def test_the_demos_arms_hold_every_customer_who_saw_a_variant_once(demo):
    params = FunnelParams(steps=("product_view", "purchase"), step_kind="event")
    arms = compute_variant_funnel(demo, params=params, control="A")
    events = demo.events.to_pandas()
    assigned, several, none = ref.arms(events)
    # nothing lost: the customers at entry of the arms are those with a variant who viewed a product
    viewers = set(events.loc[events["event"] == "product_view", "customer_id"])
    first = arms[arms["step_number"] == 1]
    entered = dict(zip(first["variant"].astype(str), first["entered"]))
    for arm in set(assigned.values()):
        assert entered[arm] == len({c for c, a in assigned.items() if a == arm} & viewers)
    # every customer is in one arm or in the count of those who saw none (those who saw several are in their first)
    assert none + len(assigned) == events["customer_id"].nunique() and several <= len(assigned)


# The arm is the customer's, not the event's: f1 viewed and carted with no variant written, then bought with B
# -> f1 is in B with all three steps. g1 viewed with "Control", carted, no purchase. Control found by its name in
# capitals. B: entered 1, cart 1, purchase 1; Control: entered 1, cart 1, purchase 0.
LATE_VARIANT = """customer_id,timestamp,event,variant
f1,2025-03-01 10:00,view,
f1,2025-03-02 10:00,cart,
f1,2025-03-03 10:00,purchase,B
g1,2025-03-01 10:00,view,Control
g1,2025-03-01 11:00,cart,
"""


def test_a_variant_written_on_a_later_event_puts_all_the_customers_steps_in_that_arm():
    data = dataset(LATE_VARIANT)
    arms = compute_variant_funnel(data, params=PARAMS)
    table = arms.assign(variant=arms["variant"].astype(str)).set_index(["variant", "step_number"])
    assert [table.loc[("B", i), "customers"] for i in (1, 2, 3)] == [1, 1, 1]
    assert [table.loc[("Control", i), "customers"] for i in (1, 2, 3)] == [1, 1, 0]
    assert bool(table.loc[("Control", 1), "is_control"]) and table.loc[("B", 3), "difference_points"] == 100
    same_arms(arms, ref.variant_funnel(data.events.to_pandas(), list(STEPS), "Control"))


def test_the_demos_ab_test_by_stages_is_the_references(demo):
    # Steps that are stages: an event counts as its stage (the demo has no cancellation, return or refund, which
    # would lift nobody to its stage); an event mapped to no stage is no step.
    steps = ("awareness", "consideration", "conversion", "retention")
    arms = compute_variant_funnel(demo, params=FunnelParams(steps=steps, step_kind="stage"), control="A")
    events = demo.events.to_pandas()
    by_stage = events.assign(event=events["stage"].astype("object").where(events["stage"].notna(), None))
    same_arms(arms, ref.variant_funnel(by_stage, list(steps), "A"))
