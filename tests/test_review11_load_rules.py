"""Review 11: an adversarial review of four loading rules (a CRM deals pipeline's outcomes, score answers outside
their range, a help desk's ticket opening, app stores' hidden reviewers) on small exports shaped like real ones.
Every expected value is worked out by hand in the comment beside it."""

import pandas as pd
import pytest

from cjm import report
from cjm.data.dataset import build_dataset
from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis


def report_of(parsed) -> dict:
    return report.build_report(build_dataset(parsed))


# --- 1. Deals pipeline -----------------------------------------------------------------------------------------

# Salesforce's opportunities report: the stage column is called plain "Stage", with a probability beside it.
SALESFORCE = ("Opportunity ID,Account ID,Opportunity Name,Stage,Amount,Probability (%),Created Date,Close Date\n"
              "006A,001A,Acme renewal,Closed Won,1000,100,2024-01-05,2024-02-10\n"
              "006B,001B,Beta new,Closed Lost,500,0,2024-01-10,2024-02-20\n"
              "006C,001A,Acme upsell,Negotiation/Review,700,90,2024-02-01,2024-05-30\n"
              "006D,001C,Gamma new,Closed Won,200,100,2024-02-02,2024-03-01\n")


def test_a_salesforce_opportunities_report_with_a_plain_stage_column_builds_its_report():
    # "Stage" is kept as an attribute beside the derived "stage"; DuckDB reads both names alike, so the report
    # stopped with "Column with name Stage already exists".
    # By hand: accounts 001A, 001B, 001C = 3 customers; won 1000 (001A) + 200 (001C) = 1200 revenue;
    # 2 of 3 accounts won a deal; 1200 / 2 won deals = 600 a deal; no account won twice.
    figures = kpis(load(SALESFORCE))
    assert figures["customers"] == 3 and figures["revenue"] == 1200
    assert figures["conversion_rate"] == pytest.approx(2 / 3)
    assert figures["average_order_value"] == 600 and figures["repeat_purchase_rate"] == 0


def test_an_event_log_with_an_unmapped_stage_column_builds_its_report():
    # a CRM activity log whose lifecycle stage is an attribute: 1 customer, who purchased
    figures = kpis(load("customer_id,timestamp,event,Stage\na,2024-01-01,page_view,lead\n"
                        "a,2024-01-02,purchase,customer\n"))
    assert figures["customers"] == 1 and figures["conversion_rate"] == 1
