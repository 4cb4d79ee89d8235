"""A CRM's deals pipeline, one row per deal (cjm.data.deals): the deal stage says how its close date ended, and
only won deals' values are revenue, on the day they were won. Expected values worked out by hand."""

from cjm.data.deals import outcomes
from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis

# HubSpot's deals export: the amount stays filled on lost and open deals; an open deal's close date is a forecast.
HUBSPOT = ("Record ID,Deal Name,Deal Stage,Amount,Create Date,Close Date\n"
           "1,Acme renewal,Closed Won,1200,2024-01-05,2024-02-10\n"
           "2,Acme upsell,Closed Lost,5000,2024-01-20,2024-03-01\n"
           "3,Beta new,Appointment Scheduled,800,2024-02-01,2024-06-30\n"
           "4,Gamma new,closedwon,300,2024-02-03,2024-02-28\n")


def test_only_won_deals_are_revenue_on_the_day_they_were_won():
    # won: 1200 on 10 Feb and 300 on 28 Feb = 1500; the lost deal's 5000 and the open deal's 800 are no revenue
    parsed = load(HUBSPOT)
    frame = rows(parsed)
    money = frame[frame["revenue"] > 0]
    assert sorted(zip(money["event"], money["timestamp"].dt.strftime("%Y-%m-%d"), money["revenue"])) == [
        ("deal won", "2024-02-10", 1200), ("deal won", "2024-02-28", 300)]
    assert kpis(parsed)["revenue"] == 1500


def test_each_close_is_named_after_how_the_deal_ended_and_an_open_deals_is_expected():
    parsed = load(HUBSPOT)
    closes = rows(parsed).set_index("customer_id")["event"]
    assert closes[closes != "create"].to_dict() == {"1": "deal won", "2": "deal lost", "3": "expected close",
                                                    "4": "deal won"}
    assert any(n.startswith("Deals pipeline: each deal's 'Close Date'") and "'deal won' (2 deals)" in n
               and "'deal lost' (1 deal)" in n for n in parsed.files[0].notes)


def test_an_orders_export_with_a_status_but_no_won_or_lost_deal_is_left_as_it_was():
    # Shopify-like: 'Closed at' and a status of paid / refunded: no deal stage, so no deal events
    parsed = load("Name,Email,Financial Status,Created at,Closed at,Total\n"
                  "#1,a@x.com,paid,2024-01-01 10:00,2024-01-03 10:00,100\n"
                  "#2,b@x.com,paid,2024-01-02 10:00,,60\n")
    assert "deal won" not in set(rows(parsed)["event"])
    assert kpis(parsed)["revenue"] == 160


def test_deal_stages_are_read_in_several_spellings_and_languages():
    import pandas as pd

    frame = pd.DataFrame({"Stage": ["Closed Won", "closedlost", "Won", "Lost", "Gewonnen", "Perdu", "Negotiation", None]})
    assert outcomes(frame, set()).tolist() == ["won", "lost", "won", "lost", "won", "lost", pd.NA, pd.NA]
