"""Review 10: help-desk ticket exports (one row per ticket: created and resolved dates, channel, team, status,
CSAT; a Zendesk export with Requester, Via, Created at, Solved at). Every expected value is worked out by hand
from the literal CSV above it; the values are made up."""

import pytest

from cjm.customers.features import compute_customer_features
from cjm.data.dataset import build_dataset
from tests.helpers import parsed_text as load, report_kpis as kpis

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
