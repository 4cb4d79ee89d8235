"""Two deal rules (cjm.data.deals): a won or lost deal without a close date is closed on its latest known date, and a
deal stage history (one row per stage a deal entered) reads its stage as the event and counts a deal's amount once,
on its first won row. Expected values worked out by hand in the comment beside each."""

import pytest

from tests.helpers import parsed_rows as rows, parsed_text as load, report_kpis as kpis

PIPELINE = ("deal_id,account,deal_stage,amount,created,proposal_sent,close_date\n"
            "1,a,Won,1000,2024-01-05,2024-01-20,\n"        # won, no close date: won on 20 Jan (its latest date)
            "2,b,Lost,500,2024-01-10,,\n"                   # lost, no close date: lost on 10 Jan (its only date)
            "3,c,Negotiation,700,2024-02-01,,2024-05-30\n"  # open: its close date is a forecast
            "4,d,Won,300,2024-01-12,2024-01-15,2024-03-01\n"  # won on its close date
            "5,e,Qualified,200,2024-02-02,,\n")             # open, no close date: nothing ends


def test_a_won_or_lost_deal_without_a_close_date_ends_on_its_latest_known_date():
    parsed = load(PIPELINE)
    frame = rows(parsed)
    ends = frame[frame["event"].isin(["deal won", "deal lost"])]
    assert sorted(zip(ends["customer_id"], ends["event"], ends["timestamp"].dt.strftime("%Y-%m-%d"))) == [
        ("a", "deal won", "2024-01-20"), ("b", "deal lost", "2024-01-10"), ("d", "deal won", "2024-03-01")]
    # the events the deals had stay: a's created and proposal sent, b's created; e has only its created
    assert frame.groupby("customer_id")["event"].apply(list).to_dict() == {
        "a": ["created", "proposal sent", "deal won"], "b": ["created", "deal lost"],
        "c": ["created", "expected close"], "d": ["created", "proposal sent", "deal won"], "e": ["created"]}


def test_a_won_deal_without_a_close_date_counts_its_value_on_the_day_it_ended():
    # money only on the won deals' ends: a 1000 on 20 Jan, d 300 on 1 Mar; revenue 1300, 2 orders, AOV 650;
    # a and d converted of 5 accounts: 2 / 5
    parsed = load(PIPELINE)
    frame = rows(parsed)
    money = frame[frame["revenue"] > 0]
    assert sorted(zip(money["customer_id"], money["timestamp"].dt.strftime("%Y-%m-%d"), money["revenue"])) == [
        ("a", "2024-01-20", 1000), ("d", "2024-03-01", 300)]
    figures = kpis(parsed)
    assert figures["revenue"] == 1300 and figures["average_order_value"] == 650
    assert figures["conversion_rate"] == pytest.approx(2 / 5)


def test_the_note_names_the_deals_without_a_close_date_and_the_date_used():
    notes = load(PIPELINE).files[0].notes
    assert ("1 won deal and 1 lost deal have no 'close_date' ('deal_id' 1, 2): a deal that ended is closed on its "
            "latest known date instead, 'created' for 1 deal, 'proposal_sent' for 1 deal, where a won deal's value "
            "counts.") in notes


def test_a_deal_stage_history_reads_its_stage_as_the_event():
    # one row per stage a deal entered: the stage is the event, no row is a 'purchase'
    parsed = load("deal_id,account_id,stage,date_entered,amount\n"
                  "1,a,Qualified,2024-01-05,1000\n1,a,Closed Won,2024-02-10,1000\n"
                  "2,b,Qualified,2024-01-10,500\n2,b,Closed Lost,2024-02-20,500\n")
    assert parsed.files[0].mapping.columns["event"] == "stage"
    assert rows(parsed)["event"].tolist() == ["Qualified", "Closed Won", "Qualified", "Closed Lost"]
    # a's deal won: 1 of 2 accounts converted; revenue 1000 (b's lost 500 and the Qualified rows count none)
    figures = kpis(parsed)
    assert figures["revenue"] == 1000 and figures["conversion_rate"] == pytest.approx(1 / 2)
    assert any(n.startswith("Deal stages: 'stage' is each row's event") and "(1 won deal)" in n
               and "other 3 rows" in n for n in parsed.files[0].notes)


def test_a_deal_won_again_after_being_reopened_counts_its_amount_once_on_its_first_win():
    # deal 1: won 10 Feb, reopened (Negotiation) 1 Mar, won again 15 Mar: 1000 once, on 10 Feb; deal 2 won: 400.
    # Revenue 1400, 2 orders, AOV 700.
    parsed = load("deal_id,account_id,stage,date_entered,amount\n"
                  "1,a,Closed Won,2024-02-10,1000\n1,a,Negotiation,2024-03-01,1000\n1,a,Closed Won,2024-03-15,1000\n"
                  "2,b,Closed Won,2024-02-12,400\n")
    frame = rows(parsed)
    money = frame[frame["revenue"] > 0]
    assert sorted(zip(money["customer_id"], money["timestamp"].dt.strftime("%Y-%m-%d"), money["revenue"])) == [
        ("a", "2024-02-10", 1000), ("b", "2024-02-12", 400)]
    figures = kpis(parsed)
    assert figures["revenue"] == 1400 and figures["average_order_value"] == 700


def test_a_deal_list_without_a_deal_id_counts_each_won_row():
    # no deal id: each row is a deal of its own. Won rows: a 100 and b 50 = 150; a's Qualified row and c's lost 80
    # count none
    parsed = load("account_id,stage,date,amount\na,Qualified,2024-01-01,100\na,Closed Won,2024-01-20,100\n"
                  "b,Won,2024-01-21,50\nc,Lost,2024-01-22,80\n")
    assert kpis(parsed)["revenue"] == 150


def test_an_orders_export_whose_status_names_a_lost_parcel_keeps_its_purchases():
    # a status of delivered / lost (a parcel) is an order status, not a deal stage: every row is a purchase,
    # 100 + 70 = 170
    parsed = load("order_id,customer_id,status,created_at,total\n1,a,delivered,2024-01-05,100\n"
                  "2,b,lost,2024-01-06,70\n")
    assert "event" not in parsed.files[0].mapping.columns
    assert kpis(parsed)["revenue"] == 170


def test_an_accounts_list_with_a_won_or_lost_status_and_no_date_stays_a_customers_file():
    # no date: each row describes an account, not a stage it entered; the status is its attribute
    from cjm.data.dataset import SourceFile, parse_files

    parsed = parse_files([SourceFile("events.csv", b"customer_id,timestamp,event\na,2024-01-01,page_view\n"
                                                   b"b,2024-01-02,page_view\n"),
                          SourceFile("accounts.csv", b"account_id,industry,status\na,Retail,Won\nb,Tech,Lost\n")])
    assert [f.role for f in parsed.files] == ["events", "customers"]
    assert "event" not in parsed.files[1].mapping.columns
