"""Review 4, support contacts: one hand-labelled log, counted alike by the segment features (whole history),
the at-risk features (last 90 days: the whole log here) and the KPI (contacts / customers over all data).

The rule (cjm/data/contacts.py): words, not substrings (camelCase split, lower-cased, cut at anything that
is not a letter or a digit and between letters and digits); a department or stage naming a support team, or
an event name saying the customer contacted support (not a bare "service").
"""

import pytest

from cjm.customers.features import compute_customer_features
from cjm.data import schema
from cjm.journey.kpis import compute_kpis
from cjm.voice.risk import compute_risk_features
from tests.helpers import dataset

STAGES = {"__order__": schema.STAGE_MODELS["7"], "page_view": "discovery", "refund_requested": "support"}
COLUMNS = ("customer_id", "timestamp", "event", "department")
LOG = [  # (customer, time, event, department): contact?
    ("a", "2024-03-01", "support_ticket", None),  # yes: support
    ("a", "2024-03-02", "LiveChat", None),  # yes: live chat
    ("a", "2024-03-03", "chatbot_greeting", None),  # no: "chatbot" is not "chat"
    ("a", "2024-03-04", "callback_requested", None),  # no: "callback" is not "call"
    ("a", "2024-03-05", "Ticket#42", None),  # yes: ticket, 42
    ("b", "2024-03-01", "page_view", "Customer Service"),  # yes: the department
    ("b", "2024-03-02", "page_view", "Personal Care"),  # no: care alone
    ("b", "2024-03-03", "services_viewed", None),  # no: a bare "services" in an event name
    ("b", "2024-03-04", "HelpDesk_call", None),  # yes: help desk
    ("c", "2024-03-01", "refund_requested", None),  # yes: mapped to the "support" stage
    ("c", "2024-03-02", "supporting_docs", None),  # no: "supporting"
    ("c", "2024-03-03", "recall_notice", None),  # no
    ("c", "2024-03-04", "customer_complained", None),  # yes: complained
    ("c", "2024-03-05", "phone_call", "sales"),  # no: a bare call
    ("d", "2024-03-01", "Support24", None),  # yes: support, 24
    ("d", "2024-03-02", "CUSTOMERSERVICE_form", None),  # yes: customer service written as one word
    ("d", "2024-03-03", "page_view", "after-sales Service"),  # yes: service (department)
]
EXPECTED = {"a": 3, "b": 2, "c": 2, "d": 3}  # 10 contacts, 4 customers


def test_features_risk_and_kpi_count_the_same_hand_labelled_support_contacts():
    data = dataset(LOG, COLUMNS, stages=STAGES)
    features = compute_customer_features(data).set_index("customer_id")["support_contacts"].astype(int)
    risk = compute_risk_features(data).set_index("customer_id")["support_contacts"].astype(int)
    kpi = compute_kpis(data, period="all").set_index("name").loc["support_contacts_per_customer", "value"]
    assert features.to_dict() == EXPECTED
    assert risk.to_dict() == EXPECTED
    assert kpi == pytest.approx(10 / 4)


def test_a_period_kpi_counts_the_contacts_of_that_period_over_its_customers():
    # 2 Mar .. 4 Mar (end excluded): a LiveChat, chatbot, callback; b Personal Care, services_viewed;
    # c supporting_docs, recall_notice; d CUSTOMERSERVICE_form, after-sales Service -> contacts 1 + 0 + 0 + 2 = 3
    # over 4 customers
    data = dataset(LOG, COLUMNS, stages=STAGES)
    kpis = compute_kpis(data, period=("2024-03-02", "2024-03-04")).set_index("name")
    assert kpis.loc["support_contacts_per_customer", "value"] == pytest.approx(3 / 4)
