"""Support contacts: one rule (cjm.data.contacts) read by the segment features, the at-risk customers and
the KPIs, so a customer has the same support contacts on every page."""

import pytest

from cjm.customers.features import compute_customer_features
from cjm.data.contacts import is_support_event, is_support_value, support_values, words
from cjm.journey.kpis import compute_kpis
from cjm.voice.risk import compute_risk_features
from tests.helpers import dataset


@pytest.mark.parametrize("name", [
    "support_ticket", "ticket_created", "Support", "SUPPORT REQUEST", "live_chat_started", "LiveChat", "livechat",
    "chat", "Chat Started", "complaint_filed", "customer_complained", "Complain", "complaints_logged",
    "Help-Desk Visit", "helpdesk_call", "HelpDesk", "call_center_call", "Call Centre", "contact_centre_inbound",
    "customer_service_call", "CustomerCare message", "service desk request",
])
def test_an_event_whose_words_say_the_customer_contacted_support_is_a_support_contact(name):
    assert is_support_event(name)


@pytest.mark.parametrize("name", [
    "callback_requested",  # a call-back request is no call-centre contact: "callback" is not a word of the rule
    "recall_notice",       # "call" inside "recall"
    "phone_call", "sales_call",  # a bare call may be a sales call
    "chatbot_greeting",    # the bot greets every visitor; "chatbot" is not the word "chat"
    "ticketing_page", "supporting_docs_viewed", "complainant_form", "services_viewed", "service_booked",
    "skin_care_viewed",    # "care" alone is no support team
    "page_view", "purchase", "", None,
])
def test_an_event_that_merely_contains_a_support_word_inside_another_word_is_not_a_support_contact(name):
    assert not is_support_event(name)


@pytest.mark.parametrize("value", [
    "support", "Support", " SUPPORT ", "Customer Service", "Customer_Service", "customer-services", "Helpdesk ",
    "help-desk", " HELP_DESK ", "HelpDesk", "Customer Care", "customercare", "after-sales Service",
    "Call Center", "contact centre", "Helpline", "IT Service Desk",
])
def test_a_department_or_stage_naming_a_support_team_in_any_case_or_spacing_is_support(value):
    assert is_support_value(value)


@pytest.mark.parametrize("value", ["Sales", "Supporting", "Personal Care", "Skin care", "Marketing", "billing",
                                   "servicing", "ticket", "chat", "", None, float("nan")])
def test_a_department_or_stage_that_names_no_support_team_is_not_support(value):
    # ticket and chat are contacts in an event name, not the name of a team
    assert not is_support_value(value)


def test_words_split_on_anything_but_letters_and_digits_and_on_camel_case():
    assert words(" Customer_Service ") == ["customer", "service"]
    assert words("LiveChat-started") == ["live", "chat", "started"]
    assert words("ITServiceDesk") == ["it", "service", "desk"]
    assert words(None) == []


def test_support_values_keeps_the_distinct_values_that_mark_a_contact_as_sorted_strings():
    assert support_values(["chat", "visit", "ticket_created", "chat", None], "event") == ["chat", "ticket_created"]
    assert support_values(["Sales", "Customer Service", None], "department") == ["Customer Service"]
    with pytest.raises(ValueError, match="column must be one of event, stage, department"):
        support_values(["x"], "channel")


# Every event within the last 90 days of the data (it ends 2024-03-20), so the at-risk window holds them all.
STAGES = {"__order__": ("Browse", "Buy", "After-Sales Service"), "browse": "Browse", "purchase": "Buy",
          "refund": "After-Sales Service"}
ROWS = [
    ("a", "2024-03-01", "browse", "Customer Service"),     # support: the department is a support team
    ("a", "2024-03-02", "callback_requested", None),       # not support
    ("a", "2024-03-03", "live_chat_started", "Sales"),     # support: the event is a chat
    ("a", "2024-03-04", "refund", None),                   # support: the stage "After-Sales Service"
    ("b", "2024-03-01", "browse", " customer_SERVICE "),   # support: case and spacing aside
    ("b", "2024-03-02", "Help-Desk Visit", None),          # support: help desk
    ("b", "2024-03-03", "chatbot_greeting", None),         # not support
    ("b", "2024-03-04", "recall_notice", "Marketing"),     # not support
    ("c", "2024-03-01", "purchase", "Supporting Docs"),    # not support
    ("c", "2024-03-02", "Complained", None),               # support: a complaint
    ("c", "2024-03-20", "purchase", "Personal Care"),      # not support
]
EXPECTED = {"a": 3, "b": 2, "c": 1}


def _log():
    return dataset(ROWS, ("customer_id", "timestamp", "event", "department"), stages=STAGES)


@pytest.mark.parametrize("listed", [1000, 0])  # 0: the support values are matched against a table of them
def test_segment_features_and_at_risk_customers_count_the_same_support_contacts(monkeypatch, listed):
    monkeypatch.setattr("cjm.data.contacts.MAX_LISTED", listed)
    features = compute_customer_features(_log()).set_index("customer_id")["support_contacts"]
    risk = compute_risk_features(_log()).set_index("customer_id")["support_contacts"]
    assert features.to_dict() == EXPECTED
    assert risk.to_dict() == EXPECTED


def test_the_support_kpi_counts_the_same_support_contacts_per_customer():
    kpis = compute_kpis(_log(), period="all").set_index("name")
    assert kpis.loc["support_contacts_per_customer", "value"] == pytest.approx((3 + 2 + 1) / 3)


@pytest.mark.postgres
@pytest.mark.parametrize("listed", [1000, 0])
def test_on_postgresql_features_and_at_risk_customers_count_the_same_support_contacts(monkeypatch, postgres_url,
                                                                                     listed):
    from cjm import engine
    from cjm.data.dataset import Dataset
    from tests.helpers import event_frame

    monkeypatch.setattr("cjm.data.contacts.MAX_LISTED", listed)
    backend = engine.connect(postgres_url)
    try:
        frame = event_frame(ROWS, ("customer_id", "timestamp", "event", "department"), stages=STAGES)
        log = Dataset.from_events(backend.register(frame, name="events"), stages=STAGES["__order__"])
        features = compute_customer_features(log).set_index("customer_id")["support_contacts"]
        risk = compute_risk_features(log).set_index("customer_id")["support_contacts"]
    finally:
        backend.close()
    assert features.to_dict() == EXPECTED
    assert risk.to_dict() == EXPECTED


def test_a_number_stuck_to_a_word_is_read_apart_from_it():
    from cjm.data.contacts import is_support_event, is_support_value, words

    assert words("ticket123") == ["ticket", "123"]
    assert is_support_event("ticket123") and is_support_event("Ticket#42") and is_support_event("complaint2")
    assert is_support_value("Support24")
    assert not is_support_event("page2view") and not is_support_event("callback2")


@pytest.mark.parametrize("name, contact", [
    ("ticket_opened", True), ("ticket_created", True), ("Ticket Submitted", True), ("complaint_filed", True),
    ("live_chat_started", True),
    ("ticket_updated", False), ("TicketAssigned", False), ("ticket_escalated", False), ("ticket_replied", False),
    ("ticket_status_changed", False), ("Ticket On Hold", False), ("ticket_solved", False), ("ticket_closed", False),
    ("ticket_reopened", False), ("ticket re-opened", False), ("complaint_resolved", False), ("chat_ended", False),
])
def test_the_event_opening_a_ticket_is_a_support_contact_and_its_updates_closes_and_reopens_are_not(name, contact):
    assert is_support_event(name) == contact


def test_a_follow_up_event_is_no_contact_even_in_a_support_department_or_stage():
    from cjm.data.contacts import is_follow_up, is_support_contact

    assert is_follow_up("ticket_closed") and not is_follow_up("ticket_opened")
    assert is_support_contact("ticket_opened", "support", "Customer Service")
    assert is_support_contact("refund", "support", None)  # the support stage counts whatever the name
    assert not is_support_contact("ticket_closed", "support", "Customer Service")
    assert not is_support_contact("email_replied", None, "Customer Service")
    assert support_values(["ticket_opened", "ticket_closed", "page_view", None], "follow_up") == ["ticket_closed"]


# One ticket's lifecycle in a help-desk export, every event logged by the support department and mapped to
# the support stage of the 7-stage model: one contact per ticket opened, chat started or refund asked for.
LIFECYCLE = [
    ("a", "2024-03-01", "ticket_opened", "Support"),     # contact 1 of a
    ("a", "2024-03-01", "ticket_assigned", "Support"),
    ("a", "2024-03-02", "ticket_updated", "Support"),
    ("a", "2024-03-03", "ticket_closed", "Support"),
    ("a", "2024-03-05", "ticket_reopened", "Support"),  # the same ticket again: no new contact
    ("a", "2024-03-06", "ticket_closed", "Support"),
    ("a", "2024-03-10", "ticket_opened", "Support"),     # contact 2 of a: a second ticket
    ("a", "2024-03-11", "ticket_closed", "Support"),
    ("b", "2024-03-02", "live_chat_started", "Sales"),   # contact 1 of b
    ("b", "2024-03-02", "chat_ended", "Sales"),
    ("b", "2024-03-04", "refund", None),                 # contact 2 of b: the support stage
    ("c", "2024-03-01", "page_view", "Web"),
    ("c", "2024-03-02", "ticket_created", "Support"),    # contact 1 of c
    ("c", "2024-03-03", "ticket_solved", "Support"),
    ("c", "2024-03-20", "page_view", "Web"),
]
LIFECYCLE_STAGES = {"__order__": ("discovery", "support"), "page_view": "discovery",
                    **{e: "support" for _, _, e, _ in LIFECYCLE if e != "page_view"}}


def test_one_ticket_with_its_updates_closes_and_reopening_counts_as_one_support_contact_on_every_page():
    def log():
        return dataset(LIFECYCLE, ("customer_id", "timestamp", "event", "department"), stages=LIFECYCLE_STAGES)

    expected = {"a": 2, "b": 2, "c": 1}
    features = compute_customer_features(log()).set_index("customer_id")["support_contacts"]
    risk = compute_risk_features(log()).set_index("customer_id")["support_contacts"]
    kpis = compute_kpis(log(), period="all").set_index("name")
    assert features.to_dict() == expected
    assert risk.to_dict() == expected
    assert kpis.loc["support_contacts_per_customer", "value"] == pytest.approx(5 / 3)


def test_a_log_whose_only_support_events_follow_contacts_up_offers_no_support_kpi_rather_than_zero():
    log = dataset([("a", "2024-03-01", "page_view"), ("a", "2024-03-02", "ticket_closed")])
    kpis = compute_kpis(log, period="all").set_index("name")
    assert not kpis.loc["support_contacts_per_customer", "available"]
