"""Mixpanel raw event exports (the Export API's JSON lines: {"event": ..., "properties": {"time": ..., "distinct_id":
...}}), tried on a real public export and here on a few invented events in its real shape.

Real export tried: 1,164 events of a Korean pet-photo site over 2.4 days in October 2022, saved as "mixpanel.csv"
though it is JSON lines (github dohyun-ko/Automation, mixpanel.csv): 877 'data-event', 242 'PaymentPage', 45
'$identify'; properties.distinct_id, properties.time in epoch seconds, $device, utm_source, and once signed in
$user_id. Right: read as JSON lines whatever its name; 217 customers (distinct_id), 1,164 events, device and channel,
as plain pandas counts them. Wrong before: 'PaymentPage' (a view of the page where one pays, 14 visitors) was read
as the payment itself, the conversion stage: a conversion rate of 14 / 217 = 6.5% though nobody paid. After: a
checkout step (consideration), no conversion.
Stop 28: a signed-in person's events on two devices are one customer (3 of the 47 $user_id values have two
distinct_ids): tested below.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import json

import pytest

from cjm import report
from cjm.data.dataset import build_dataset
from cjm.data.stages import suggest_stage
from tests.helpers import parsed_rows, parsed_text


def _event(name, time, distinct_id, **extra):
    return json.dumps({"event": name, "properties": {"time": time, "distinct_id": distinct_id, "$device": "iPhone",
                                                     "mp_lib": "web", **extra}})


# Phone a1 browses (1665583835 = 2022-10-12 14:10:35 UTC), signs in as u1, opens the payment page and leaves; on
# laptop a2 the same u1 comes back the next day; b1 only browses, three times. $user_id is on 3 of the 7 events, as
# on 511 of the real export's 1,164: most events are anonymous.
EXPORT = "\n".join([
    _event("data-event", 1665583835, "a1"),
    _event("data-event", 1665589000, "b1"),
    _event("data-event", 1665589500, "b1"),
    _event("$identify", 1665583840, "a1", **{"$user_id": "u1", "$identified_id": "u1"}),
    _event("PaymentPage", 1665583900, "a1", **{"$user_id": "u1"}),
    _event("data-event", 1665670000, "a2", **{"$user_id": "u1"}),
    _event("data-event", 1665590000, "b1"),
]) + "\n"


@pytest.mark.parametrize("name", ["PaymentPage", "Payment Page Viewed", "payment_screen", "Payment Form"])
def test_the_page_where_one_pays_is_a_checkout_step_not_the_payment(name):
    # Before: 'payment' in the name put each at the conversion stage.
    assert suggest_stage(name, "5") == "consideration"
    assert suggest_stage(name, "7") == "evaluation"


@pytest.mark.parametrize("name", ["payment", "Payment Completed", "payment_succeeded"])
def test_a_payment_itself_stays_a_conversion(name):
    assert suggest_stage(name, "5") == "conversion"


def test_a_mixpanel_export_where_nobody_paid_has_no_conversions():
    # 7 events, 3 distinct_ids (a1, a2, b1). The only purchase-like event is a1's PaymentPage: a checkout step, so no
    # customer reached the conversion stage. Before: a1 converted, a conversion rate of 1 / 3.
    parsed = parsed_text(EXPORT, "mixpanel.csv")
    mapping = parsed.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.columns["timestamp"], mapping.columns["event"]) == \
        ("properties.distinct_id", "properties.time", "event")
    rows = parsed_rows(parsed)
    assert len(rows) == 7
    assert str(rows["timestamp"].iloc[0]) == "2022-10-12 14:10:35+00:00"
    result = report.build_report(build_dataset(parsed))
    assert result["stages"]["conversion"] == 0
    assert not result["kpis"].get("conversion_rate")


def test_a_signed_in_person_on_two_devices_is_one_customer():
    # a1 and a2 both carry $user_id u1 once signed in: one person. Customers: u1 and b1 = 2 (before stop 28: a1, a2,
    # b1 = 3, as distinct_id was the only id read). a1's first event, before signing in, is u1's too.
    parsed = parsed_text(EXPORT, "mixpanel.csv")
    rows = parsed_rows(parsed)
    assert rows["customer_id"].tolist() == ["u1", "b1", "b1", "u1", "u1", "u1", "b1"]
    assert parsed.files[0].mapping.signed_in_id == "properties.$user_id"


def test_a_mostly_signed_in_export_keeps_its_anonymous_visitors():
    # Before stop 28: $user_id (filled on 4 of 6 events, over half) was the customer id and the 2 anonymous events
    # (a1's first, b1's) were rejected as 'missing customer id'.
    # Here 4 of 6 events are signed in (a1's sign-in and payment page, a2's visit, a1's later one): $user_id is
    # filled on most rows, distinct_id on all. a1's first event (before signing in) and the anonymous b1's are
    # visits all the same: 6 events kept.
    export = "\n".join([
        _event("data-event", 1665583835, "a1"),
        _event("$identify", 1665583840, "a1", **{"$user_id": "u1", "$identified_id": "u1"}),
        _event("PaymentPage", 1665583900, "a1", **{"$user_id": "u1"}),
        _event("data-event", 1665670000, "a2", **{"$user_id": "u1"}),
        _event("data-event", 1665680000, "a1", **{"$user_id": "u1"}),
        _event("data-event", 1665589000, "b1"),
    ]) + "\n"
    rows = parsed_rows(parsed_text(export, "mixpanel.csv"))
    assert len(rows) == 6
    assert sorted(rows["customer_id"].value_counts().items()) == [("b1", 1), ("u1", 5)]
