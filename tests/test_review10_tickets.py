"""Review 10: help-desk ticket exports (one row per ticket: created and resolved dates, channel, team, status,
CSAT; a Zendesk export with Requester, Via, Created at, Solved at). Every expected value is worked out by hand
from the literal CSV above it; the values are made up."""

import pytest

from cjm.customers.features import compute_customer_features
from cjm.data.dataset import build_dataset
from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis

# A ticket export with no requester column: each ticket is one respondent. Its "week" column holds ISO week
# ranges ("2024-10-28/2024-11-03"), which pandas' mixed-format date guess reads as dates with odd time zones.
TICKETS = ("ticket_id,created_date,channel,category,priority,team,first_response_minutes,status,resolved_date,"
           "csat_score,week\n"
           "TKT-1,2024-10-29 22:00:00,Chat,Account Access,Low,Team_Beta,261.3,Resolved,2024-10-30 15:15:11.744884,"
           "2.0,2024-10-28/2024-11-03\n"
           "TKT-2,2024-02-05 20:00:00,Self-Service,Booking,High,Team_Gamma,15.2,In Progress,,,2024-02-05/2024-02-11\n"
           "TKT-3,2024-08-12 14:00:00,Phone,Cancellation,Medium,Team_Delta,137.8,Resolved,2024-08-14 02:18:39.750128,"
           "5.0,2024-08-12/2024-08-18\n")


def test_a_ticket_exports_csat_score_and_channel_are_mapped():
    parsed = load(TICKETS)
    columns = parsed.files[0].mapping.columns
    assert columns["score"] == "csat_score" and columns["channel"] == "channel" and columns["department"] == "team"


def test_an_iso_week_range_column_does_not_stop_the_customer_features():
    # Three respondents (one per ticket); the week column is an attribute, never a crash.
    features = compute_customer_features(build_dataset(load(TICKETS)))
    assert len(features) == 3


# Zendesk's ticket export: the requester is the customer, "Via" the channel, one date column per step.
ZENDESK = ("Id,Requester,Requester id,Group,Subject,Status,Priority,Via,Created at,Initially assigned at,Solved at\n"
           "101,Ann Lee,9001,Support,Login fails,Solved,High,Email,2024-03-01 09:00,2024-03-01 09:30,2024-03-02 10:00\n"
           "102,Bo Chan,9002,Billing,Double charge,Open,Normal,Chat,2024-03-03 11:00,2024-03-03 11:10,\n"
           "103,Ann Lee,9001,Support,App crash,Solved,Normal,Web form,2024-03-05 08:00,2024-03-05 08:20,"
           "2024-03-06 09:00\n")


def test_a_zendesk_exports_requester_is_the_customer_and_via_the_channel():
    parsed = load(ZENDESK)
    mapping = parsed.files[0].mapping
    assert mapping.columns["customer_id"] == "Requester id" and mapping.columns["channel"] == "Via"
    assert mapping.shape == "wide" and mapping.wide_events == ["Created at", "Initially assigned at", "Solved at"]


def test_each_ticket_of_a_help_desk_export_is_one_support_contact():
    # Ann opened 2 tickets, Bo 1: 3 support contacts / 2 customers = 1.5.
    parsed = load(ZENDESK)
    assert kpis(parsed)["support_contacts_per_customer"] == pytest.approx(1.5)
    assert set(rows(parsed)["event"]) == {"ticket created", "initially assigned", "solved"}


def test_a_ticket_export_whose_survey_follows_the_solution_still_counts_one_contact_per_ticket():
    # t1 and t2 by r1, t3 by r2: one contact per ticket (created), not per step: 3 contacts / 2 customers = 1.5
    parsed = load("ticket_id,customer_id,created_at,first_answered_at,resolved_at,survey_answered_at,csat\n"
                  "t1,r1,2024-03-01 09:00,2024-03-01 10:00,2024-03-02 09:00,2024-03-03 09:00,5\n"
                  "t2,r1,2024-03-05 09:00,2024-03-05 10:00,2024-03-06 09:00,,\n"
                  "t3,r2,2024-03-01 10:00,2024-03-01 11:00,2024-03-04 10:00,2024-03-05 10:00,2\n")
    assert kpis(parsed)["support_contacts_per_customer"] == pytest.approx(1.5)
    assert (rows(parsed)["event"] == "ticket created").sum() == 3


def test_a_zendesk_satisfaction_score_of_good_and_bad_is_read_and_offered_is_no_answer():
    # Good +1, Bad -1, Offered / Unoffered: no answer. Mean of the 3 answers (1 + 1 - 1) / 3 = 1/3.
    from cjm import report
    from cjm.data.dataset import build_dataset

    parsed = load("Id,Requester id,Satisfaction Score,Created at,Solved at\n"
                  "101,9001,Good,2024-03-01 09:00,2024-03-02 10:00\n102,9002,Bad,2024-03-03 11:00,2024-03-04 10:00\n"
                  "103,9001,Offered,2024-03-05 08:00,2024-03-06 09:00\n104,9003,Unoffered,2024-03-05 09:00,\n"
                  "105,9003,Good,2024-03-06 08:00,2024-03-07 09:00\n")
    assert parsed.files[0].mapping.columns["score"] == "Satisfaction Score"
    overall = report.build_report(build_dataset(parsed))["sentiment"]["overall"]
    assert overall["n"] == 3 and overall["mean"] == pytest.approx(1 / 3)


def test_a_tickets_updated_at_is_bookkeeping_not_a_step_of_the_journey():
    parsed = load("Id,Requester id,Created at,Updated at,Solved at\n"
                  "101,9001,2024-03-01 09:00,2024-03-09 12:00,2024-03-02 10:00\n"
                  "102,9002,2024-03-03 11:00,2024-03-09 12:00,2024-03-04 10:00\n")
    mapping = parsed.files[0].mapping
    assert mapping.wide_events == ["Created at", "Solved at"]
    assert set(rows(parsed)["event"]) == {"ticket created", "solved"}
    assert list(rows(parsed)["Updated at"].unique()) == ["2024-03-09 12:00"]  # kept as an attribute
