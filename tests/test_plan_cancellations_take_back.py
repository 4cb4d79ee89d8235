"""A cancelled subscription, membership, plan, trial or account is taken back like a cancelled order: it lifts nobody
to its journey stage, on every page that reads how far a customer got (cjm.data.reversals.reversal_names: the stage
reach, the funnels by stage, the conversion-rate KPI, the customer features, the at-risk readings, the journey map).
Before, 'account_cancelled' lifted nobody but 'subscription_cancelled' (and 'membership_cancelled', 'plan_cancelled',
the US 'subscription_canceled') lifted its customer to retention.

The money of such a row is none, in or out, unless a refund word says money went back (DESIGN section 3: a
subscription ending without a refund moves no money): an 'account_cancelled' row repeating the plan's price took
that price off the revenue before, as a refund would; a 'subscription_cancelled' row never did.

Not a reversal: an e-mail unsubscribe ('unsubscribed', 'newsletter_subscription_cancelled': the customer stops the
messages, not a purchase), a cancellation only asked for or scheduled ('subscription_cancel_requested'), a plan that
ran out ('expired_subscription': the customer had it; nothing was taken back).

Figures worked out by hand in the comments."""

from __future__ import annotations

import pytest

from cjm.customers.features import compute_customer_features
from cjm.data.dataset import load_dataset
from cjm.data.reversals import reversal_names
from cjm.journey.funnel import FunnelParams, compute_funnel
from cjm.journey.kpis import compute_kpis
from cjm.journey.reach import compute_stage_reach
from cjm.maps import build_current_map
from cjm.voice.risk import compute_risk_features
from tests.helpers import dataset


@pytest.mark.parametrize("name", ["account_cancelled", "subscription_cancelled", "subscription_canceled",
                                  "Subscription Cancelled", "membership_cancelled", "plan_cancelled", "trial_cancelled",
                                  "order_cancelled", "cancel_subscription", "customer.subscription.deleted",
                                  "Suscripción cancelada", "Abonnement annulé", "Abo gekündigt"])
def test_a_cancelled_order_subscription_membership_plan_or_account_is_a_reversal_in_any_spelling(name):
    assert reversal_names([name, "page_view"]) == [name]


@pytest.mark.parametrize("name", ["unsubscribed", "email_unsubscribe", "newsletter_subscription_cancelled",
                                  "Email subscription cancelled", "subscription_cancel_requested",
                                  "subscription_cancellation_scheduled", "expired_subscription", "subscription_started",
                                  "account_created"])
def test_an_email_unsubscribe_a_cancellation_only_asked_for_or_a_plan_that_ran_out_is_no_reversal(name):
    assert reversal_names([name]) == []


# The built-in 5-stage mapping: page_view consideration (1), subscription_started conversion (2), every cancellation
# and unsubscribed retention (3, "matched 'cancel'" / "matched 'unsubscri'").
PLANS = """customer_id,timestamp,event,revenue
a,2024-03-01 10:00,page_view,
a,2024-03-01 10:05,subscription_started,30
a,2024-03-05 09:00,subscription_cancelled,
b,2024-03-02 11:00,subscription_cancelled,
c,2024-03-01 09:00,subscription_started,15
c,2024-03-03 12:00,account_cancelled,15
d,2024-03-03 12:00,page_view,
d,2024-03-04 12:00,unsubscribed,
"""


def _load(tmp_path, text=PLANS):
    path = tmp_path / "plans.csv"
    path.write_text(text)
    return load_dataset([path])


def test_a_cancelled_subscription_lifts_nobody_to_retention_as_a_cancelled_account_does(tmp_path):
    # consideration: a, d = 2; conversion: a, c = 2; retention: d alone (unsubscribed: an e-mail choice, not a
    # reversal) = 1 of 4; a's and b's subscription_cancelled and c's account_cancelled lift nobody there: 3 left out.
    # Before: retention a, b, d = 3 (b's only row a cancelled subscription), left out c alone = 1.
    ds = _load(tmp_path)
    reach = compute_stage_reach(ds).set_index("stage")
    assert reach["customers"].tolist() == [0, 2, 2, 1, 0]
    assert reach["reversals_only"].tolist() == [0, 0, 0, 3, 0]
    # the journey map's "customers reached" lane reads the same rule: retention 1 (before 3)
    assert build_current_map(ds).cell("reached", "retention").number == 1.0


def test_the_furthest_stage_and_the_at_risk_readings_are_not_lifted_by_a_cancelled_subscription(tmp_path):
    # a 2 (conversion, was 3), b -1 (none, was 3), c 2 (conversion, unchanged: account_cancelled already lifted nobody),
    # d 3 (retention: the unsubscribe, unchanged)
    ds = _load(tmp_path)
    expected = {"a": 2, "b": -1, "c": 2, "d": 3}
    assert compute_customer_features(ds).set_index("customer_id")["furthest_stage"].to_dict() == expected
    assert compute_risk_features(ds, as_of="2024-05-01").set_index("customer_id")["furthest_stage"].to_dict() == expected


def test_a_stage_funnel_does_not_reach_retention_by_a_cancelled_subscription(tmp_path):
    # steps consideration, conversion, retention, window 7 days from entry. a: view 1 Mar 10:00, subscription 10:05,
    # cancelled 5 Mar (within the window): no retention step (was reached: [2, 1, 1]). d: view 3 Mar, unsubscribed
    # 4 Mar, no conversion: stops at consideration. c never was at consideration (no attempt). Customers: 2, 1, 0.
    funnel = compute_funnel(_load(tmp_path), params=FunnelParams(steps=("consideration", "conversion", "retention"),
                                                                 step_kind="stage"))
    assert funnel["customers"].tolist() == [2, 1, 0]


def test_a_cancelled_account_repeating_its_plans_price_takes_no_money_back_as_a_cancelled_subscription_does(tmp_path):
    # subscription_started: a 30 + c 15 = 45; c's account_cancelled repeats the 15 and moves no money (was -15: 30)
    kpis = compute_kpis(_load(tmp_path), period="all").set_index("name")["value"]
    assert kpis["revenue"] == 45


def test_the_conversion_rate_does_not_count_a_cancelled_subscription_mapped_to_the_conversion_stage():
    # an analyst maps every subscription event to conversion: e started one (converted), f's only event there is its
    # cancellation (f did not convert by it: no reversal converts anybody), g only viewed. 1 of 3 (was 2 of 3).
    stages = {"page_view": "awareness", "subscription_started": "conversion", "subscription_canceled": "conversion"}
    rows = [("e", "2024-01-01", "page_view"), ("e", "2024-01-02", "subscription_started"),
            ("f", "2024-01-03", "page_view"), ("f", "2024-01-04", "subscription_canceled"),
            ("g", "2024-01-05", "page_view")]
    kpis = compute_kpis(dataset(rows, stages=stages), period="all").set_index("name")["value"]
    assert kpis["conversion_rate"] == pytest.approx(1 / 3)


@pytest.mark.parametrize("name", ["account_cancelled", "Suscripción cancelada", "Abonnement annulé"])
def test_a_plan_cancelled_in_any_language_repeating_the_price_adds_nothing_as_subscription_cancelled_does(tmp_path,
                                                                                                        name):
    # two payments of 30, then the plan cancelled (the row repeats the 30): revenue 60 (was 30 for each of these:
    # read as a refund of 30; 'subscription_cancelled' gave 60 already, tests/test_review6_returns.py)
    text = f"customer_id,timestamp,event,revenue\nA,2024-01-01,payment,30\nA,2024-02-01,payment,30\nA,2024-02-10,{name},30\n"
    kpis = compute_kpis(_load(tmp_path, text), period="all").set_index("name")["value"]
    assert kpis["revenue"] == 60


@pytest.mark.parametrize("name", ["account_cancelled", "subscription_cancelled", "Suscripción cancelada"])
def test_read_in_place_a_cancelled_plan_moves_no_money_and_lifts_nobody_as_on_upload(tmp_path, name):
    # A paid 30 twice then cancelled (the row repeats 30); B's only row is a cancellation. Revenue 60 on both paths;
    # conversion (payment): A = 1; retention: nobody, A and B left out there as reversals only (2)
    from cjm.data.source import dataset_from_files

    text = (f"customer_id,timestamp,event,revenue\nA,2024-01-01,payment,30\nA,2024-02-01,payment,30\n"
            f"A,2024-02-10,{name},30\nB,2024-02-11,{name},\n")
    path = tmp_path / "plans.csv"
    path.write_text(text)
    for ds in (load_dataset([path]), dataset_from_files(path)):
        assert compute_kpis(ds, period="all").set_index("name").at["revenue", "value"] == 60
        reach = compute_stage_reach(ds).set_index("stage")
        assert reach["customers"].tolist() == [0, 0, 1, 0, 0]
        assert reach["reversals_only"].tolist() == [0, 0, 0, 2, 0]
