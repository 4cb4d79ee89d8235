"""Review 10: real exports nobody had tried (a GA4 items export flattened from BigQuery, a CRM deals pipeline).
Every expected value is worked out by hand from the literal CSV above it; the values are made up."""

import pytest

from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis

# GA4's BigQuery export flattened to one row per purchased item: user_pseudo_id looks like a decimal number,
# event_timestamp is in microseconds, and item_revenue is after discounts, so it is not quantity x price.
GA4_ITEMS = ("user_pseudo_id,item_id,item_name,price_in_usd,price,quantity,item_revenue_in_usd,item_revenue,"
             "event_date,event_timestamp,country\n"
             "1234567.8901234567,900001,Sticker,2,2,2,3,3,20201121,1605933286874902,Germany\n"
             "1234567.8901234567,900002,Mug,7,7,1,7,7,20201121,1605933286874902,Germany\n"
             "1234567.8901234568,900003,Tee,20,20,1,18,18,20201122,1606000568841883,Macao\n")


def test_a_ga4_items_exports_item_revenue_is_the_revenue_not_quantity_times_price():
    # Item revenue 3 + 7 + 18 = 28 (quantity x price would say 4 + 7 + 20 = 31).
    parsed = load(GA4_ITEMS)
    assert parsed.files[0].mapping.columns["revenue"] == "item_revenue_in_usd"
    assert rows(parsed)["revenue"].tolist() == [3, 7, 18]
    assert kpis(parsed)["revenue"] == 28


def test_a_ga4_pseudo_id_that_looks_like_a_decimal_number_keeps_every_digit():
    # The two ids differ in their 17th significant digit only: read as floats they would be one customer.
    parsed = load(GA4_ITEMS)
    assert sorted(set(rows(parsed)["customer_id"])) == ["1234567.8901234567", "1234567.8901234568"]
    assert kpis(parsed)["customers"] == 2


# A CRM deals pipeline (Maven Analytics' CRM Sales Opportunities shape; HubSpot and Pipedrive deal exports are
# alike): one row per deal, the account is the customer, engage and close dates, the deal's stage (Won / Lost /
# Engaging / Prospecting) and its close value (0 when lost, empty while open).
DEALS = ("opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
         "O1,Ann,GTX Basic,Acme,Won,2017-01-02,2017-03-01,1000\n"
         "O2,Ann,GTX Pro,Acme,Lost,2017-01-05,2017-02-01,0\n"
         "O3,Bob,MG Special,Beta,Won,2017-02-01,2017-04-10,500\n"
         "O4,Bob,MG Special,Beta,Engaging,2017-03-01,,\n"
         "O5,Cy,GTX Basic,Delta,Lost,2017-02-02,2017-02-20,0\n"
         "O6,Cy,GTX Basic,,Prospecting,,,\n"
         "O7,Cy,GTX Pro,Gamma,Prospecting,,,\n")


def test_a_deals_pipelines_close_value_is_its_revenue_and_each_deal_counts_once():
    # Won deals 1000 + 500 = 1500; lost deals 0; open deals nothing. O6 has no account (missing customer id),
    # O7 no date at all: 7 rows in, 5 used, 2 rejected. Customers Acme, Beta, Delta.
    parsed = load(DEALS)
    assert parsed.files[0].mapping.columns["revenue"] == "close_value"
    assert (parsed.accounting.rows_in, parsed.accounting.rows_used) == (7, 5)
    assert parsed.accounting.reasons == {"missing customer id": 1, "no filled timestamp": 1}
    assert kpis(parsed)["revenue"] == 1500
    assert kpis(parsed)["customers"] == 3


def test_a_won_deals_value_is_booked_on_its_close_date_not_when_it_was_engaged():
    # Acme won 1000 on 2017-03-01, Beta 500 on 2017-04-10; no engage event carries money.
    frame = rows(load(DEALS))
    money = frame[frame["revenue"] > 0]
    assert sorted(zip(money["customer_id"], money["event"], money["timestamp"].dt.strftime("%Y-%m-%d"),
                      money["revenue"])) == [("Acme", "deal won", "2017-03-01", 1000), ("Beta", "deal won", "2017-04-10", 500)]


def test_only_accounts_with_a_won_deal_reach_conversion_in_a_deals_pipeline():
    # Acme and Beta won a deal; Delta only lost one.
    from cjm import report
    from cjm.data.dataset import build_dataset

    stages = report.build_report(build_dataset(load(DEALS)))["stages"]
    assert stages["conversion"] == 2
