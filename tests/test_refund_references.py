"""Reversals that name what they take back (cjm.journey.references, the repeat-purchase rate of cjm.journey.kpis) and
credit notes read as money going back (cjm.data.money). Every expected figure is worked out by hand beside it."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.data.source import dataset_from_table
from cjm.journey.kpis import _Inputs, compute_kpis
from cjm.journey.references import reference_candidates
from tests.helpers import parsed_text, report_kpis


def figures(parsed) -> tuple[float, float]:
    """(repeat-purchase rate, revenue) of the report."""
    k = report_kpis(parsed)
    return k["repeat_purchase_rate"], k["revenue"]


def reference_of(parsed):
    dataset = build_dataset(parsed)
    return _Inputs(dataset.events, tuple(dataset.stages)).reference


def test_a_discount_line_inside_a_later_order_with_its_order_number_undoes_no_earlier_purchase():
    # e: order A1 of 5 on 1 Jan; order B2 of 30 on 2 Jan with a discount line of -5 written under B2. The -5 names
    # B2 (5 of its 30: a partial reversal), never A1: e bought twice. f: C3 20 on 1 Jan, C4 20 on 3 Jan: twice.
    # Repeat 2 / 2 = 1.0. Revenue 5 + 30 - 5 + 20 + 20 = 70. (By amount alone the -5 undid A1: 1 / 2.)
    parsed = parsed_text("order_id,customer_id,timestamp,event,revenue\nA1,e,2024-01-01 10:00,purchase,5\n"
                         "B2,e,2024-01-02 10:00,purchase,30\nB2,e,2024-01-02 10:00,discount,-5\n"
                         "C3,f,2024-01-01 10:00,purchase,20\nC4,f,2024-01-03 10:00,purchase,20\n")
    assert reference_of(parsed) == ("order_id", "order_id")
    assert figures(parsed) == (1.0, 70)


STRIPE_SOME_NAMED = ("balance_transaction_id,created_utc,currency,gross,reporting_category,customer_id,charge_id\n"
                     "txn_1,2024-01-01 10:00:00,usd,40.00,charge,cus_A,ch_1\n"
                     "txn_2,2024-01-02 10:00:00,usd,25.00,charge,cus_A,ch_2\n"
                     "txn_3,2024-01-03 10:00:00,usd,30.00,charge,cus_A,ch_3\n"
                     "txn_4,2024-01-04 10:00:00,usd,-25.00,refund,cus_A,ch_2\n"
                     "txn_5,2024-01-05 10:00:00,usd,-40.00,refund,cus_A,\n"
                     "txn_6,2024-01-01 11:00:00,usd,30.00,charge,cus_B,ch_4\n"
                     "txn_7,2024-01-03 11:00:00,usd,50.00,charge,cus_B,ch_5\n"
                     "txn_8,2024-01-04 11:00:00,usd,-20.00,refund,cus_B,ch_5\n"
                     "txn_9,2024-01-05 11:00:00,usd,-50.00,refund,cus_B,\n")


def test_refunds_naming_their_charge_on_some_rows_only_leave_the_others_to_the_amount_rule():
    # cus_A: ch_1 40, ch_2 25, ch_3 30; 25 back naming ch_2 (the whole of it: ch_2 undone by its name); 40 back naming
    # nothing: by amount, a whole reversal of 40 after the 40 of 1 Jan: ch_1 undone. ch_3 kept -> bought once.
    # cus_B: ch_4 30, ch_5 50; 20 back naming ch_5 (partial: ch_5 kept, decided by its name alone); 50 back naming
    # nothing: the purchases no refund names are ch_4 (30) only, and 50 is neither its amount nor a sum of parts
    # meeting it -> nothing undone, bought twice.
    # Repeat 1 / 2. Revenue 40 + 25 + 30 - 25 - 40 + 30 + 50 - 20 - 50 = 40. 9 rows in, 9 used.
    parsed = parsed_text(STRIPE_SOME_NAMED, "balance_change_from_activity.csv")
    assert reference_of(parsed) == ("charge_id", "charge_id")
    assert figures(parsed) == (0.5, 40)
    a = parsed.accounting
    assert (a.rows_in, a.rows_used, a.rows_rejected) == (9, 9, 0)


def test_an_online_retail_cancellation_invoice_names_no_invoice_and_keeps_the_amount_rule():
    # C536367's number names no invoice of 17850 (536365, 536366): no reference; the amount rule decides as before.
    # 17850: 25 (536365) and 10 (536366), 5 back (one line of 536365): both kept. 12000: 19.99 twice, 19.99 back
    # after them: one undone. Repeat 1 / 2. Revenue 25 + 10 - 5 + 19.99 * 2 - 19.99 = 49.99.
    parsed = parsed_text("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
                         "536365,A,2,2010-12-01 08:26,10.00,17850\n536365,B,1,2010-12-01 08:26,5.00,17850\n"
                         "536366,A,1,2010-12-02 09:00,10.00,17850\nC536367,B,-1,2010-12-03 09:00,5.00,17850\n"
                         "536368,A,1,2010-12-01 10:00,19.99,12000\n536369,A,1,2010-12-02 10:00,19.99,12000\n"
                         "C536370,A,-1,2010-12-03 10:00,19.99,12000\n")
    assert reference_of(parsed) is None
    rate, revenue = figures(parsed)
    assert rate == 0.5 and revenue == pytest.approx(49.99)


def test_columns_naming_a_purchase_and_a_reference_to_it_are_recognised_by_their_names():
    # charge_id pairs with itself; "Invoice Number" with itself and with "Reference Invoice Number"; a balance
    # transaction's id, a source id, a credit note's number and a subscription id name no purchase.
    columns = ["customer_id", "revenue", "balance_transaction_id", "source_id", "charge_id", "Invoice Number",
               "Reference Invoice Number", "Credit Note Number", "Subscription Id"]
    assert reference_candidates(columns) == [("charge_id", "charge_id"), ("Invoice Number", "Invoice Number"),
                                             ("Invoice Number", "Reference Invoice Number")]


INVOICES = """Invoice Number,Invoice Date,Customer Id,Status,Amount,Currency
1001,2024-01-01,cust_1,Paid,50.00,USD
1002,2024-02-01,cust_1,Paid,50.00,USD
1003,2024-01-05,cust_2,Paid,30.00,USD
1004,2024-02-05,cust_2,Paid,30.00,USD
"""


def test_a_voided_credit_note_takes_nothing_back_and_a_refunded_one_its_amount():
    # CN-1 (Voided) would have given back 50 of 1002: it never did, no money. CN-2 (Refunded) gives back 30 of 1004:
    # the whole invoice, named by its Reference Invoice Number -> 1004 undone. cust_1 bought twice, cust_2 once.
    # Repeat 1 / 2. Revenue 50 + 50 + 30 + 30 - 30 = 130. 4 + 2 rows in, 6 used.
    notes = ("Credit Note Number,Credit Note Date,Reference Invoice Number,Customer Id,Status,Amount,Currency\n"
             "CN-1,2024-02-03,1002,cust_1,Voided,50.00,USD\nCN-2,2024-02-10,1004,cust_2,Refunded,30.00,USD\n")
    parsed = parse_files([SourceFile("invoices.csv", INVOICES.encode()), SourceFile("credit_notes.csv", notes.encode())])
    assert reference_of(parsed) == ("Invoice Number", "Reference Invoice Number")
    assert figures(parsed) == (0.5, 130)
    a = parsed.accounting
    assert (a.rows_in, a.rows_used, a.rows_rejected) == (6, 6, 0)


def stripe_table() -> pd.DataFrame:
    """Review 15's interleaved Stripe refunds as a warehouse table: ch_1 40 refunded 20 + 20 around 30 of ch_2's 60."""
    return pd.DataFrame({
        "row_id": range(5), "customer": ["cus_A"] * 5,
        "created": pd.to_datetime(["2024-01-01 10:00", "2024-01-02 10:00", "2024-01-03 10:00", "2024-01-04 10:00",
                                   "2024-01-05 10:00"], utc=True).astype("datetime64[us, UTC]"),
        "kind": ["charge", "charge", "refund", "refund", "refund"],
        "amount": [40.0, 60.0, -20.0, -30.0, -20.0], "charge_id": ["ch_1", "ch_2", "ch_1", "ch_2", "ch_1"]})


TABLE_MAPPING = ColumnMapping(columns={"customer_id": "customer", "timestamp": "created", "event": "kind",
                                       "revenue": "amount"})


def repeat_rate_in_place(backend) -> float:
    dataset = dataset_from_table(backend, "events", mapping=TABLE_MAPPING, row_id="row_id")
    return compute_kpis(dataset, period="all").set_index("name").loc["repeat_purchase_rate", "value"]


def test_a_table_read_in_place_matches_refunds_to_their_charge_by_its_id():
    # By charge: ch_1 40 - 40 (undone), ch_2 60 - 30 (kept): cus_A bought once: 0 / 1.
    backend = engine.local()
    backend.register(stripe_table(), name="events")
    assert repeat_rate_in_place(backend) == 0.0


@pytest.mark.postgres
def test_postgresql_matches_refunds_to_their_charge_by_its_id(postgres_url):
    # The same table on a real PostgreSQL server: 0 / 1, as on DuckDB.
    import sqlalchemy

    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        stripe_table().to_sql("events", con, index=False)
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        assert repeat_rate_in_place(backend) == 0.0
    finally:
        backend.close()


# Two months of a Stripe balance report: January (previous period) and February (current period).
STRIPE_TWO_MONTHS = ("balance_transaction_id,created_utc,currency,gross,reporting_category,customer_id,charge_id\n"
                     "txn_1,2024-01-10 10:00:00,usd,40.00,charge,cus_A,ch_1\n"
                     "txn_2,2024-01-20 10:00:00,usd,-40.00,adjustment,cus_A,\n"
                     "txn_3,2024-01-05 10:00:00,usd,30.00,charge,cus_B,ch_6\n"
                     "txn_4,2024-01-25 10:00:00,usd,30.00,charge,cus_B,ch_7\n"
                     "txn_5,2024-02-10 10:00:00,usd,40.00,charge,cus_A,ch_2\n"
                     "txn_6,2024-02-15 10:00:00,usd,-40.00,refund,cus_A,ch_1\n"
                     "txn_7,2024-02-20 10:00:00,usd,25.00,charge,cus_A,ch_3\n"
                     "txn_8,2024-02-05 10:00:00,usd,30.00,charge,cus_B,ch_4\n"
                     "txn_9,2024-02-25 10:00:00,usd,30.00,charge,cus_B,ch_5\n")


def test_a_refund_naming_a_charge_of_the_previous_period_undoes_no_purchase_of_its_amount_in_this_one():
    # February: cus_A pays ch_2 40 (10 Feb) and ch_3 25 (20 Feb); the refund of 40 on 15 Feb names ch_1 of January.
    # It names a purchase of the whole data, so the amount rule never sees it (by amount it undid ch_2: a whole
    # reversal of 40 after the 40 of 10 Feb) and in February it takes back nothing: cus_A bought twice. cus_B: ch_4,
    # ch_5: twice. Repeat 2 / 2 = 1.0 (by amount 1 / 2). Revenue 40 - 40 + 25 + 30 + 30 = 85.
    # January: cus_A pays ch_1 40 (10 Jan); an adjustment of -40 on 20 Jan names no charge. ch_1 is named by
    # February's refund, so it is decided by its name: nothing in January names it, it stays a purchase, and the
    # unnamed 40 (no purchase left to the amount rule) undoes nothing: cus_A bought once (by amount ch_1 was undone
    # and cus_A no buyer: 1 / 1). cus_B: ch_6, ch_7: twice. Repeat 1 / 2 = 0.5. Revenue 40 - 40 + 30 + 30 = 60.
    dataset = build_dataset(parsed_text(STRIPE_TWO_MONTHS, "balance_change_from_activity.csv"))
    kpis = compute_kpis(dataset, period=("2024-02-01", "2024-03-01"),
                        previous=("2024-01-01", "2024-02-01")).set_index("name")
    assert _Inputs(dataset.events, tuple(dataset.stages)).reference == ("charge_id", "charge_id")
    assert kpis.loc["repeat_purchase_rate", ["value", "previous"]].tolist() == [1.0, 0.5]
    assert kpis.loc["revenue", ["value", "previous"]].tolist() == [85, 60]


def test_over_the_whole_data_the_refund_undoes_the_charge_it_names():
    # All of it: ch_1 40 is taken back whole by the refund naming it -> undone. Left to the amount rule: ch_2 40,
    # ch_3 25 and the unnamed -40 of 20 Jan, before any purchase of 40 left (ch_2 is on 10 Feb) and before cus_A's
    # first purchase left: it undoes nothing. cus_A keeps ch_2 and ch_3 (twice); cus_B four charges. Repeat 2 / 2.
    dataset = build_dataset(parsed_text(STRIPE_TWO_MONTHS, "balance_change_from_activity.csv"))
    assert compute_kpis(dataset, period="all").set_index("name").loc["repeat_purchase_rate", "value"] == 1.0


def test_the_repeat_purchase_rate_of_a_period_with_references_is_one_query_that_compiles_for_postgresql():
    # The whole data's reference test is plain joins: the period's expression compiles to PostgreSQL's SQL.
    import ibis

    from cjm.journey import references
    from cjm.journey.kpis import within_period

    dataset = build_dataset(parsed_text(STRIPE_TWO_MONTHS, "balance_change_from_activity.csv"))
    inputs = _Inputs(dataset.events, tuple(dataset.stages))
    period = (pd.Timestamp("2024-02-01", tz="UTC"), pd.Timestamp("2024-03-01", tz="UTC"))
    paying, bought = inputs.paying(within_period(dataset.events, period))
    purchases, reversals, undone = references.split_by_reference(paying, bought, inputs.reference,
                                                                 inputs.paying(dataset.events))
    for expr in (purchases, reversals, undone):
        sql = ibis.to_sql(expr, dialect="postgres")
        assert "SEMI" not in sql.upper() and "ANTI" not in sql.upper()


CREDIT_NOTE_INVOICES = INVOICES + """1005,2024-01-06,cust_3,Paid,20.00,USD
1006,2024-02-06,cust_3,Paid,20.00,USD
1007,2024-01-07,cust_4,Paid,40.00,USD
1008,2024-02-07,cust_4,Paid,40.00,USD
"""
CREDIT_NOTES_BY_STATUS = (
    "Credit Note Number,Credit Note Date,Reference Invoice Number,Customer Id,Status,Amount,Currency\n"
    "CN-1,2024-02-03,1002,cust_1,Refund Due,50.00,USD\nCN-2,2024-02-10,1004,cust_2,Adjusted,30.00,USD\n"
    "CN-3,2024-02-11,1006,cust_3,Pending,20.00,USD\nCN-4,2024-02-12,1005,cust_3,Draft,20.00,USD\n"
    "CN-5,2024-02-13,1008,cust_4,Refunded,40.00,USD\n")


def test_a_credit_note_whose_refund_is_still_due_takes_nothing_back_yet_and_an_adjusted_one_its_amount():
    # cust_1: 1001 and 1002 (50 each); CN-1 "Refund Due" names 1002: the money has not gone back, nothing taken:
    # bought twice. cust_2: 1003, 1004 (30); CN-2 "Adjusted" (applied to 1004) takes its 30 back: 1004 undone, once.
    # cust_3: 1005, 1006 (20); CN-3 "Pending" and CN-4 "Draft" take nothing back: twice. cust_4: 1007, 1008 (40);
    # CN-5 "Refunded": 1008 undone, once. Repeat 2 / 4 = 0.5 (before: the due, pending and draft notes took their
    # invoices back, 0 / 3). Revenue 50 + 50 + 30 + 30 - 30 + 20 + 20 + 40 + 40 - 40 = 210. 8 + 5 rows in, 13 used.
    parsed = parse_files([SourceFile("invoices.csv", CREDIT_NOTE_INVOICES.encode()),
                          SourceFile("credit_notes.csv", CREDIT_NOTES_BY_STATUS.encode())])
    assert figures(parsed) == (0.5, 210)
    notes = engine.execute(parsed.events).set_index("Credit Note Number").loc[["CN-1", "CN-2", "CN-3", "CN-4",
                                                                              "CN-5"]]
    assert notes["event"].tolist() == ["refund pending", "return", "refund pending", "refund pending", "return"]
    assert notes["revenue"].tolist() == [0, -30, 0, 0, -40]
    a = parsed.accounting
    assert (a.rows_in, a.rows_used, a.rows_rejected) == (13, 13, 0)


def test_a_pending_credit_note_written_negative_takes_nothing_back_yet():
    # 1001 of 25; CN-1 of -25 "Pending" names it: not refunded yet, no money. Revenue 25 - 0 = 25.
    parsed = parse_files([
        SourceFile("invoices.csv", b"Invoice Number,Invoice Date,Customer Id,Status,Amount\n"
                                   b"1001,2024-01-01,cust_1,Paid,25.00\n"),
        SourceFile("credit_notes.csv", b"Credit Note Number,Credit Note Date,Reference Invoice Number,Customer Id,"
                                       b"Status,Amount\nCN-1,2024-01-05,1001,cust_1,Pending,-25.00\n")])
    events = engine.execute(parsed.events).sort_values("row_id")
    assert events["event"].tolist() == ["purchase", "refund pending"]
    assert events["revenue"].tolist() == [25, 0]


# Stripe's charges export names each charge in a column called just "id"; a refunds export names the charge it
# refunds in "Charge ID" (refunds written negative here: see the strict xfail below for the export's own sign).
STRIPE_CHARGES = ("id,Created (UTC),Amount,Currency,Status,Customer ID\n"
                  "ch_1,2024-01-01 10:00,40.00,usd,Paid,cus_A\nch_2,2024-01-02 10:00,40.00,usd,Paid,cus_A\n"
                  "ch_3,2024-01-01 11:00,30.00,usd,Paid,cus_B\nch_4,2024-01-03 11:00,45.00,usd,Paid,cus_B\n"
                  "ch_5,2024-01-01 12:00,25.00,usd,Paid,cus_C\nch_6,2024-01-02 12:00,25.00,usd,Paid,cus_C\n")
STRIPE_REFUNDS = ("id,Charge ID,Amount,Currency,Created (UTC),Status,Customer ID\n"
                  "re_1,ch_2,-40.00,usd,2024-01-03 10:00,succeeded,cus_A\n"
                  "re_2,ch_4,-30.00,usd,2024-01-04 11:00,succeeded,cus_B\n")


def test_stripe_refunds_naming_their_charge_match_the_charges_exports_id_column():
    # The refunds' "Charge ID" values are values of the charges' "id" of the same customer (ch_2 of cus_A, ch_4 of
    # cus_B): the pair is (id, Charge ID). cus_A: ch_2 40 taken back whole by re_1 -> undone, once. cus_B: ch_3 30,
    # ch_4 45; re_2 gives back 30 of ch_4 (partial): both kept, twice (by amount alone the 30 undid ch_3: once).
    # cus_C: twice. Repeat 2 / 3 (by amount 1 / 3). Revenue 40 + 40 - 40 + 30 + 45 - 30 + 25 + 25 = 135.
    # 6 + 2 rows in, 8 used.
    parsed = parse_files([SourceFile("unified_payments.csv", STRIPE_CHARGES.encode()),
                          SourceFile("refunds.csv", STRIPE_REFUNDS.encode())])
    assert reference_of(parsed) == ("id", "Charge ID")
    rate, revenue = figures(parsed)
    assert rate == pytest.approx(2 / 3) and revenue == 135
    a = parsed.accounting
    assert (a.rows_in, a.rows_used, a.rows_rejected) == (8, 8, 0)


def test_a_column_named_just_id_is_a_purchase_id_only_beside_a_column_named_for_a_document():
    # "id" pairs with "Charge ID" and with "charge" (each named for a charge), after the pairs by names; never with
    # itself, nor with a balance transaction's "source" or a "Payment Intent ID".
    assert reference_candidates(["id", "Charge ID", "Payment Intent ID", "source"]) == [
        ("Charge ID", "Charge ID"), ("id", "Charge ID")]
    assert reference_candidates(["id", "charge", "Amount"]) == [("id", "charge")]
    assert reference_candidates(["id", "Amount", "Status"]) == []


def test_a_row_id_column_meeting_a_refunds_order_number_by_chance_loses_to_the_order_id_itself():
    # order_id names the orders (A1, B2) and the refund names B2 by it: the pair (order_id, order_id). The row ids
    # 1, 2, 3 of "id" are a generic pair's purchase ids: the refund's order_id "B2" meets none, and even a generic
    # match would come after a pair by names. e: A1 5, B2 30 refunded whole -> undone, once; f: C3, C4: twice.
    # Repeat 1 / 2. Revenue 5 + 30 - 30 + 20 + 20 = 45.
    parsed = parsed_text("id,order_id,customer_id,timestamp,event,revenue\n1,A1,e,2024-01-01 10:00,purchase,5\n"
                         "2,B2,e,2024-01-02 10:00,purchase,30\n3,B2,e,2024-01-03 10:00,refund,-30\n"
                         "4,C3,f,2024-01-01 10:00,purchase,20\n5,C4,f,2024-01-03 10:00,purchase,20\n")
    assert reference_of(parsed) == ("order_id", "order_id")
    assert figures(parsed) == (0.5, 45)


def test_a_stripe_refunds_export_with_positive_amounts_takes_its_refunds_back():
    # As the test above with the export's own positive amounts: 2 / 3 and 135 once each refund is read as one.
    refunds = STRIPE_REFUNDS.replace("-40.00", "40.00").replace("-30.00", "30.00")
    parsed = parse_files([SourceFile("unified_payments.csv", STRIPE_CHARGES.encode()),
                          SourceFile("refunds.csv", refunds.encode())])
    rate, revenue = figures(parsed)
    assert rate == pytest.approx(2 / 3) and revenue == 135


# Stripe's own refunds export: Amount positive, no customer column.
STRIPE_REFUNDS_EXPORT = ("id,Amount,Currency,Created (UTC),Charge ID,Status,Reason\n"
                         "re_1,40.00,usd,2024-01-03 10:00,ch_2,succeeded,requested_by_customer\n"
                         "re_2,30.00,usd,2024-01-04 11:00,ch_4,succeeded,requested_by_customer\n")


def test_a_refunds_export_without_customers_takes_each_refunds_customer_from_the_charge_it_names():
    # re_1 names ch_2 (cus_A's), re_2 ch_4 (cus_B's): the refunds are theirs, -40 and -30. As with the customer
    # column: cus_A once (ch_2 undone), cus_B twice (30 of ch_4's 45), cus_C twice. Repeat 2 / 3. Revenue 40 + 40
    # - 40 + 30 + 45 - 30 + 25 + 25 = 135. 6 + 2 rows in, 8 used.
    parsed = parse_files([SourceFile("unified_payments.csv", STRIPE_CHARGES.encode()),
                          SourceFile("refunds.csv", STRIPE_REFUNDS_EXPORT.encode())])
    refunds = engine.execute(parsed.events).set_index("id").loc[["re_1", "re_2"]]
    assert refunds["customer_id"].tolist() == ["cus_A", "cus_B"]
    assert refunds["event"].tolist() == ["refund", "refund"] and refunds["revenue"].tolist() == [-40, -30]
    assert reference_of(parsed) == ("id", "Charge ID")
    rate, revenue = figures(parsed)
    assert rate == pytest.approx(2 / 3) and revenue == 135
    a = parsed.accounting
    assert (a.rows_in, a.rows_used, a.rows_rejected) == (8, 8, 0)
    note = next(n for n in parsed.files[1].notes if "read as refunds" in n)
    assert "each row takes its 'Amount' back from the charge it names in 'Charge ID'" in note
    assert "change 'Every row is this touchpoint' to 'purchase'" in note


def test_a_refund_whose_charge_is_in_no_uploaded_file_is_rejected_with_the_reason():
    # re_3 names ch_9, in no file: whose refund it is is unknown -> rejected, not dropped. The others as above:
    # 2 / 3 and 135. 6 + 3 rows in, 8 used, 1 rejected.
    refunds = STRIPE_REFUNDS_EXPORT + "re_3,10.00,usd,2024-01-05 10:00,ch_9,succeeded,duplicate\n"
    parsed = parse_files([SourceFile("unified_payments.csv", STRIPE_CHARGES.encode()),
                          SourceFile("refunds.csv", refunds.encode())])
    rate, revenue = figures(parsed)
    assert rate == pytest.approx(2 / 3) and revenue == 135
    a = parsed.accounting
    assert (a.rows_in, a.rows_used, a.rows_rejected) == (9, 8, 1)
    assert a.rejected["reason"].tolist() == [
        "refund of a charge in no uploaded file (its customer is unknown: upload the charges export too)"]
    assert a.rejected["line"].tolist() == [4]


def test_a_refunds_export_read_as_purchases_by_the_mapping_stays_purchases():
    # The user's mapping says every row is a purchase (and its customer column): the undo. Revenue 40 + 40 + 30 +
    # 45 + 25 + 25 + 40 + 30 = 275, as before the refunds export was recognised.
    from dataclasses import replace

    refunds = STRIPE_REFUNDS.replace("-40.00", "40.00").replace("-30.00", "30.00")
    mapping = ColumnMapping(columns={"customer_id": "Customer ID", "timestamp": "Created (UTC)", "revenue": "Amount"},
                            event_constant="purchase")
    parsed = parse_files([SourceFile("unified_payments.csv", STRIPE_CHARGES.encode()),
                          SourceFile("refunds.csv", refunds.encode())], mappings={"refunds.csv": replace(mapping)})
    assert figures(parsed)[1] == 275


def test_a_file_of_charges_naming_an_order_is_not_read_as_refunds():
    # Nothing says refund (no re_ ids, no refund in its name or id column): "Order ID" beside the charge's own id is
    # the order each charge pays. Revenue 40 + 30 = 70, both purchases.
    parsed = parsed_text("id,Order ID,Amount,Created (UTC),Customer ID\nch_1,o_1,40.00,2024-01-01 10:00,cus_A\n"
                         "ch_2,o_2,30.00,2024-01-02 10:00,cus_A\n", "payments.csv")
    assert engine.execute(parsed.events)["event"].tolist() == ["purchase", "purchase"]
    assert figures(parsed)[1] == 70


def test_a_failed_cancelled_or_pending_refund_in_a_refunds_export_takes_nothing_back():
    # re_1 succeeded: -40 of ch_2. re_2 failed, re_3 canceled, re_4 pending: no money went back, 0 each.
    # Revenue 40 + 40 + 30 + 45 + 25 + 25 - 40 = 165.
    refunds = ("id,Amount,Created (UTC),Charge ID,Status\nre_1,40.00,2024-01-03 10:00,ch_2,succeeded\n"
               "re_2,45.00,2024-01-04 11:00,ch_4,failed\nre_3,25.00,2024-01-04 12:00,ch_6,canceled\n"
               "re_4,30.00,2024-01-04 13:00,ch_3,pending\n")
    parsed = parse_files([SourceFile("unified_payments.csv", STRIPE_CHARGES.encode()),
                          SourceFile("refunds.csv", refunds.encode())])
    rows = engine.execute(parsed.events).set_index("id").loc[["re_1", "re_2", "re_3", "re_4"]]
    assert rows["revenue"].tolist() == [-40, 0, 0, 0]
    assert figures(parsed)[1] == 165


STRIPE_CHARGES_NETTED = ("id,Created (UTC),Amount,Amount Refunded,Currency,Status,Customer ID\n"
                         "ch_1,2024-01-01 10:00,40.00,0.00,usd,Paid,cus_A\n"
                         "ch_2,2024-01-02 10:00,40.00,40.00,usd,Refunded,cus_A\n"
                         "ch_3,2024-01-01 11:00,30.00,0.00,usd,Paid,cus_B\n"
                         "ch_4,2024-01-03 11:00,45.00,30.00,usd,Paid,cus_B\n"
                         "ch_5,2024-01-01 12:00,25.00,0.00,usd,Paid,cus_C\n"
                         "ch_6,2024-01-02 12:00,25.00,0.00,usd,Paid,cus_C\n")


def test_a_refund_its_charges_export_already_took_off_is_not_taken_back_twice():
    # The charges export nets its refunds: ch_2 (Refunded) counts 0 and is no purchase, ch_4 45 - 30 = 15.
    # The refunds export names the same two refunds (re_1 of ch_2, re_2 of ch_4): already taken off, 0 each.
    # re_3 of 25 names ch_6, whose own file took nothing off (Amount Refunded 0): it takes its 25 back, and undoes
    # ch_6 by its name. Revenue 40 + 0 + 30 + 15 + 25 + 25 + 0 + 0 - 25 = 110 (taking 40 and 30 back twice: 40).
    # cus_A bought once (ch_1), cus_B twice (ch_3, ch_4), cus_C once (ch_6 undone): repeat 1 / 3.
    # 6 + 3 rows in, 9 used.
    refunds = STRIPE_REFUNDS_EXPORT + "re_3,25.00,usd,2024-01-05 12:00,ch_6,succeeded,requested_by_customer\n"
    parsed = parse_files([SourceFile("unified_payments.csv", STRIPE_CHARGES_NETTED.encode()),
                          SourceFile("refunds.csv", refunds.encode())])
    rows = engine.execute(parsed.events).set_index("id").loc[["re_1", "re_2", "re_3"]]
    assert rows["revenue"].tolist() == [0, 0, -25]
    rate, revenue = figures(parsed)
    assert revenue == 110 and rate == pytest.approx(1 / 3)
    a = parsed.accounting
    assert (a.rows_in, a.rows_used, a.rows_rejected) == (9, 9, 0)
    assert any("nothing is taken back twice" in n for n in parsed.files[1].notes)


def test_a_payments_file_whose_name_also_says_refund_is_not_read_as_refunds(tmp_path):
    # 'payments_refund_report.csv': each payment names its order, nothing in the rows says refund, and the name
    # names payments too: the rows stay purchases, 10 + 20 + 30 = 60 (read as refunds it was -60).
    path = tmp_path / "payments_refund_report.csv"
    path.write_text("Payment ID,Date,Amount,Order ID,Customer Email\np1,2024-01-01,10,o1,a@x.com\n"
                    "p2,2024-01-02,20,o2,b@x.com\np3,2024-01-03,30,o3,a@x.com\n", encoding="utf-8")
    parsed = parse_files([SourceFile.from_path(path)])
    assert report_kpis(parsed)["revenue"] == 60
