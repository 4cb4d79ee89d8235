"""Square point-of-sale exports (Dashboard -> Sales -> Items / Transactions -> Export CSV), tried on a public file in
Square's Items Detail shape and here on a few invented rows in the shapes of both exports.

File tried: a café's item sales in Square's "Items Detail" columns, 8,755 item rows of 5,000 transactions
(github amralyticsteam/analytics_demo, data/square_transactions.csv, a demo data set written in the export's
shape: Date 11/11/2024, Time 11:28 AM, Item, Qty, "Gross Sales" $4.55, Discounts, "Net Sales", Tax, Transaction ID,
Customer ID, mostly empty for walk-in buyers). Wrong before: refused, "this file does not supply event" (no column
was read as revenue: 'Net Sales' was not known as money, so no row was a purchase). After: 'Net Sales' the revenue,
each row a purchase; 6,126 rows without a customer id rejected as such, 2,629 kept: 475 customers, revenue
17,139.81 in 1,501 transactions (AOV 11.42), repeat buyers 397 of 475 (0.836), as plain pandas gives them.
Square's full exports also carry a "Time Zone" column ("Pacific Time (US & Canada)"): its wall times were read as
UTC, 7-8 hours off; now in the zone the column names (the file tried has no such column).

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import parsed_rows, parsed_text, report_kpis

# Items Detail: one row per item sold. Ann (C1) buys a latte and a muffin at 09:15 (one transaction T1, the muffin
# discounted 0.50) and a bagel on 8 Mar (T2); a walk-in with no customer id buys a tea (T3); Bo (C2) buys a latte.
ITEMS = (
    "Date,Time,Time Zone,Category,Item,Qty,Price Point Name,SKU,Modifiers Applied,Gross Sales,Discounts,Net Sales,Tax,"
    "Transaction ID,Payment ID,Device Name,Notes,Details,Event Type,Location,Dining Option,Customer ID,Customer Name,"
    "Customer Reference ID,Unit,Count,Itemization Type,Commission,Employee,Fulfillment Note,Channel,Token\n"
    '2024-03-01,09:15:02,Pacific Time (US & Canada),Coffee,Latte,1,Regular,,,"$4.50","$0.00","$4.50","$0.40",'
    "T1,P1,iPad,,,Payment,Main St,For Here,C1,Ann Lee,,each,1,Physical Item,,Mai,,Point of Sale,t1\n"
    '2024-03-01,09:15:02,Pacific Time (US & Canada),Bakery,Muffin,1,Regular,,,"$3.00","-$0.50","$2.50","$0.22",'
    "T1,P1,iPad,,,Payment,Main St,For Here,C1,Ann Lee,,each,1,Physical Item,,Mai,,Point of Sale,t2\n"
    '2024-03-02,11:00:00,Pacific Time (US & Canada),Tea,Tea,1,Regular,,,"$3.25","$0.00","$3.25","$0.29",'
    "T3,P3,iPad,,,Payment,Main St,To Go,,,,each,1,Physical Item,,Mai,,Point of Sale,t3\n"
    '2024-03-08,08:05:00,Pacific Time (US & Canada),Bakery,Bagel,2,Regular,,,"$7.00","$0.00","$7.00","$0.63",'
    "T2,P2,iPad,,,Payment,Main St,To Go,C1,Ann Lee,,each,2,Physical Item,,Mai,,Point of Sale,t4\n"
    '2024-03-09,14:30:00,Pacific Time (US & Canada),Coffee,Latte,1,Large,,,"$5.00","$0.00","$5.00","$0.45",'
    "T4,P4,iPad,,,Payment,Main St,For Here,C2,Bo Ray,,each,1,Physical Item,,Mai,,Point of Sale,t5\n"
)

# Transactions: one row per payment or refund. Ann pays 10 (net of a 2.00 discount; 12.90 collected with tax and tip)
# and 7; Bo pays 5 and is refunded the 5 three days later.
TRANSACTIONS = (
    "Date,Time,Time Zone,Gross Sales,Discounts,Service Charges,Net Sales,Gift Card Sales,Tax,Tip,Partial Refunds,"
    "Total Collected,Source,Card,Card Entry Methods,Cash,Fees,Net Total,Transaction ID,Payment ID,Description,"
    "Event Type,Location,Customer ID,Customer Name,Channel\n"
    "2024-03-01,09:15:02,Pacific Time (US & Canada),$12.00,-$2.00,$0.00,$10.00,$0.00,$0.90,$2.00,$0.00,$12.90,"
    "Point of Sale,$12.90,Dipped,$0.00,-$0.38,$12.52,T1,P1,Latte x 2,Payment,Main St,C1,Ann Lee,Point of Sale\n"
    "2024-03-02,10:00:00,Pacific Time (US & Canada),$5.00,$0.00,$0.00,$5.00,$0.00,$0.45,$0.00,$0.00,$5.45,"
    "Point of Sale,$0.00,,$5.45,$0.00,$5.45,T2,P2,Muffin,Payment,Main St,C2,Bo Ray,Point of Sale\n"
    "2024-03-05,16:30:00,Pacific Time (US & Canada),-$5.00,$0.00,$0.00,-$5.00,$0.00,-$0.45,$0.00,$0.00,-$5.45,"
    "Point of Sale,$0.00,,-$5.45,$0.00,-$5.45,T3,P3,Muffin,Refund,Main St,C2,Bo Ray,Point of Sale\n"
    "2024-03-08,08:05:00,Pacific Time (US & Canada),$7.00,$0.00,$0.00,$7.00,$0.00,$0.63,$1.00,$0.00,$8.63,"
    "Point of Sale,$8.63,Tapped,$0.00,-$0.27,$8.36,T4,P4,Bagel,Payment,Main St,C1,Ann Lee,Point of Sale\n"
)


def test_a_square_items_export_reads_net_sales_as_the_revenue_of_purchases():
    # 5 item rows; the walk-in's tea (no customer id) rejected as such: 4 purchases of 2 customers. Revenue: net of
    # discounts, before tax: 4.50 + 2.50 + 7.00 + 5.00 = 19.00. Orders: Ann's T1 (09:15, two lines) and T2, Bo's
    # T4 = 3; AOV 19 / 3 = 6.333; repeat buyers: Ann of Ann and Bo = 0.5. 'Event Type' (all Payment) is the event.
    # Before: no revenue at all.
    parsed = parsed_text(ITEMS, "items-2024-03-01-2024-03-31.csv")
    mapping = parsed.files[0].mapping
    assert (mapping.columns["revenue"], mapping.columns["event"]) == ("Net Sales", "Event Type")
    assert (parsed.files[0].rows_in, parsed.files[0].rows_used) == (5, 4)
    rows = parsed_rows(parsed)
    assert rows["revenue"].tolist() == [4.5, 2.5, 7.0, 5.0]
    assert rows["customer_id"].nunique() == 2
    kpis = report_kpis(parsed)
    assert kpis["revenue"] == pytest.approx(19.0)
    assert kpis["average_order_value"] == pytest.approx(19.0 / 3)
    assert kpis["repeat_purchase_rate"] == pytest.approx(0.5)


def test_square_item_rows_without_an_event_type_column_are_each_a_purchase():
    # The columns of the file tried (no 'Event Type'): each item row is a purchase. Revenue 4.50 + 2.50 + 7.00 = 14.00
    # of Ann's two transactions T1 (two lines) and T2; the walk-in's tea rejected. Before: refused ("this file does not
    # supply event").
    text = (
        "Date,Time,Item,Qty,Price Point Name,Gross Sales,Discounts,Net Sales,Tax,Transaction ID,Payment ID,Customer ID,"
        "Customer Name,Customer Reference ID,Unit,Count,Employee,PAN Suffix\n"
        "03/01/2024,09:15 AM,Latte,1,,$4.50,$0.00,$4.50,$0.40,T1,P1,C1,Ann Lee,C1,each,1,Employee 3,2899\n"
        "03/01/2024,09:15 AM,Muffin,1,,$3.00,$0.50,$2.50,$0.22,T1,P1,C1,Ann Lee,C1,each,1,Employee 3,2899\n"
        "03/02/2024,11:00 AM,Tea,1,,$3.25,$0.00,$3.25,$0.29,T3,P3,,,,each,1,Employee 6,7873\n"
        "03/08/2024,08:05 AM,Bagel,2,,$7.00,$0.00,$7.00,$0.63,T2,P2,C1,Ann Lee,C1,each,2,Employee 3,2899\n")
    parsed = parsed_text(text, "square_transactions.csv")
    assert parsed.files[0].mapping.event_constant == "purchase"
    assert parsed_rows(parsed)["timestamp"].iloc[0] == pd.Timestamp("2024-03-01 09:15", tz="UTC")
    kpis = report_kpis(parsed)
    assert kpis["revenue"] == pytest.approx(14.0)
    assert kpis["average_order_value"] == pytest.approx(7.0)  # 14 / 2 transactions


def test_a_square_transactions_export_reads_net_sales_not_the_amount_collected_with_tax_and_tips():
    # Net Sales 10 + 5 - 5 + 7 = 17 (Total Collected, 12.90 + 5.45 - 5.45 + 8.63 = 21.53, holds tax and tips).
    # Bo's 5 is refunded whole, so he bought nothing: orders are Ann's two, AOV 17 / 2 = 8.5, repeat buyers 1 of 1.
    # 'Event Type' (Payment / Refund) is the event. Before: no revenue at all.
    parsed = parsed_text(TRANSACTIONS, "transactions-2024-03-01-2024-03-31.csv")
    mapping = parsed.files[0].mapping
    assert (mapping.columns["revenue"], mapping.columns["event"]) == ("Net Sales", "Event Type")
    kpis = report_kpis(parsed)
    assert kpis["revenue"] == pytest.approx(17.0)
    assert kpis["average_order_value"] == pytest.approx(8.5)
    assert kpis["repeat_purchase_rate"] == pytest.approx(1.0)


def test_square_wall_times_are_read_in_the_time_zone_its_time_zone_column_names():
    # "Pacific Time (US & Canada)" is America/Los_Angeles: 1 Mar 2024 09:15:02 there is PST (UTC-8), 17:15:02 UTC;
    # 8 Mar 08:05 is still PST (summer time starts 10 Mar), 16:05 UTC. Before: read as 09:15:02 and 08:05 UTC.
    parsed = parsed_text(TRANSACTIONS, "transactions-2024-03-01-2024-03-31.csv")
    assert parsed.files[0].mapping.timezone == "America/Los_Angeles"
    stamps = parsed_rows(parsed)["timestamp"]
    assert stamps.iloc[0] == pd.Timestamp("2024-03-01 17:15:02", tz="UTC")
    assert stamps.iloc[3] == pd.Timestamp("2024-03-08 16:05:00", tz="UTC")
    assert any("America/Los_Angeles" in note and "'Time Zone'" in note for note in parsed.files[0].notes)


@pytest.mark.parametrize("zones, read_in", [
    (["Eastern Time (US & Canada)"] * 2, "America/New_York"),
    (["Europe/Berlin"] * 2, "Europe/Berlin"),
    (["PST", "PDT"], "UTC"),  # abbreviations, changing with summer time: no zone read
    (["Eastern Time (US & Canada)", "Pacific Time (US & Canada)"], "UTC"),  # two zones: no one zone for the file
])
def test_only_one_named_zone_in_a_time_zone_column_sets_the_files_zone(zones, read_in):
    text = ("Customer ID,Date,Time,Time Zone,Event Type,Net Sales\n"
            f"C1,2024-03-01,09:00:00,{zones[0]},Payment,$5.00\n"
            f"C2,2024-07-01,10:00:00,{zones[1]},Payment,$6.00\n")
    assert parsed_text(text, "transactions.csv").files[0].mapping.timezone == read_in
