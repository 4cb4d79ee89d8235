"""A table read in place counts what an upload counts, on DuckDB and on PostgreSQL: exact duplicate rows are set aside
with the upload's reason (cjm.data.dataset.DUPLICATE), a row of negative money reads 'return', rows named like a
reversal ('refund', 'chargeback') or holding a credit note's number take their money back, an event of money that
never moved ('refund_failed') counts none, and a cancellation invoice's number ('C536379') reads 'cancellation'
(cjm.data.source._statuses, _net_of_statuses, _repeated_rows; the rules of cjm.data.money._mark_returns). Before, in
place, duplicates were used twice and all these rows kept their money as written, with their own names.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import DUPLICATE, SourceFile, build_dataset, parse_files
from cjm.data.source import dataset_from_files, dataset_from_table
from tests.helpers import parsed_text
from tests.postgres import postgres_server, postgres_url  # noqa: F401  (fixtures)
from tests.test_in_place_statuses_and_refunds import _postgres_table

# Line 1 is the header. Line 3 repeats line 2 in every column; line 4 differs in its channel (kept); line 6 repeats
# line 5; lines 7 and 8 have no customer id (that reason first, as on upload, though 8 repeats 7); line 9 repeats
# line 2 again.
DUPLICATES = ("customer_id,timestamp,event,revenue,channel\n"
              "a,2024-03-01 09:00:00,visit,,web\n"
              "a,2024-03-01 09:00:00,visit,,web\n"
              "a,2024-03-01 09:00:00,visit,,app\n"
              "b,2024-03-02 09:00:00,purchase,50,web\n"
              "b,2024-03-02 09:00:00,purchase,50,web\n"
              ",2024-03-03 09:00:00,visit,,web\n"
              ",2024-03-03 09:00:00,visit,,web\n"
              "a,2024-03-01 09:00:00,visit,,web\n")
# 8 rows in: used lines 2, 4, 5 (3); rejected 3 duplicates (lines 3, 6, 9) and 2 missing customer ids (7, 8): 3 + 5 = 8.
# Revenue: b's 50 once (not 100).
DUPLICATE_REASONS = {DUPLICATE: 3, "missing customer id": 2}
DUPLICATE_LINES = [(3, DUPLICATE), (6, DUPLICATE), (7, "missing customer id"), (8, "missing customer id"),
                   (9, DUPLICATE)]

# No status column: a purchase of -30 is a return (a reversal line), as an upload names it. a: 100 - 30 = 70; b: 20.
NEGATIVE = ("customer_id,timestamp,event,revenue\n"
            "a,2024-03-01 09:00:00,purchase,100\n"
            "a,2024-03-04 09:00:00,purchase,-30\n"
            "b,2024-03-02 09:00:00,view,\n"
            "b,2024-03-03 09:00:00,purchase,20\n")
NEGATIVE_MONEY = {"a": 70.0, "b": 20.0}
NEGATIVE_EVENTS = ["purchase", "return", "view", "purchase"]

# Events named like a reversal take their money back whatever its sign: a's refund of +40 counts -40 (100 - 40 = 60), c's
# chargeback of -25 stays -25; b's refund_failed of 50 never moved: 0 (b: 50). Names kept. Revenue 60 + 50 - 25 = 85.
NAMED = ("customer_id,timestamp,event,revenue\n"
         "a,2024-03-01 09:00:00,purchase,100\n"
         "a,2024-03-04 09:00:00,refund,40\n"
         "b,2024-03-02 09:00:00,purchase,50\n"
         "b,2024-03-05 09:00:00,refund_failed,50\n"
         "c,2024-03-03 09:00:00,chargeback,-25\n")
NAMED_MONEY = {"a": 60.0, "b": 50.0, "c": -25.0}
NAMED_EVENTS = ["purchase", "refund", "purchase", "refund_failed", "chargeback"]

# Invoices and credit notes (Chargebee-like): a credit note's 'Refunded' is its own status, the money went back: a's
# 30 counts -30 ('return'; a: 100 - 30 = 70); b's 'Refund Due' has not gone back yet: 0, 'refund pending' (b: 80);
# c's 'Voided' took nothing back: 0, 'cancellation' (c: 60). Revenue 210.
NOTES = ("Customer Id,Date,Type,Total,Credit Note Number,Status\n"
         "a,2024-03-01,invoice,100,,Paid\n"
         "a,2024-03-05,credit_note,30,CN-1,Refunded\n"
         "b,2024-03-02,invoice,80,,Paid\n"
         "b,2024-03-06,credit_note,20,CN-2,Refund Due\n"
         "c,2024-03-03,invoice,60,,Paid\n"
         "c,2024-03-07,credit_note,10,CN-3,Voided\n")
NOTES_MONEY = {"a": 70.0, "b": 80.0, "c": 60.0}
NOTES_EVENTS = ["invoice", "return", "invoice", "refund pending", "invoice", "cancellation"]

# The UCI Online Retail export: 'C536379' (1 of 4 invoice numbers, under half; 3 of 4 plain numbers, over 30%) cancels
# an invoice: 'cancellation' of -15.30. 17850: 15.30 + 22.00 - 15.30 = 22.00; 13047: 54.08.
RETAIL = ("InvoiceNo,CustomerID,InvoiceDate,Description,Amount\n"
          "536365,17850,2010-12-01 08:26,LANTERN,15.30\n"
          "536366,17850,2010-12-01 08:28,MUG,22.00\n"
          "536367,13047,2010-12-01 08:34,CLOCK,54.08\n"
          "C536379,17850,2010-12-01 09:41,LANTERN,-15.30\n")
RETAIL_MONEY = {"17850": 22.0, "13047": 54.08}
RETAIL_EVENTS = ["purchase", "purchase", "purchase", "cancellation"]


def _uploaded(text: str, name: str):
    return build_dataset(parsed_text(text, name))


def _in_place(tmp_path, text: str, name: str, mapping: ColumnMapping | None = None):
    path = tmp_path / name
    path.write_text(text)
    return dataset_from_files(path, mapping=mapping)


def _revenue_by_customer(dataset) -> dict:
    frame = engine.execute(dataset.events.select("customer_id", "revenue"))
    return {str(k): round(float(v), 2) for k, v in frame.groupby("customer_id")["revenue"].sum().items()}


def _events_in_file_order(dataset) -> list[str]:
    frame = engine.execute(dataset.events.select("row_id", "event"))
    return list(frame.sort_values("row_id")["event"])


def _events_by_time(dataset) -> list[str]:
    frame = engine.execute(dataset.events.select("timestamp", "event"))
    return list(frame.sort_values("timestamp")["event"])


def _money_notes(dataset) -> list[str]:
    return [n for n in dataset.files[0].notes if "money figures are net" in n]


def _rejected(dataset) -> list[tuple[int, str]]:
    rejected = dataset.accounting.rejected
    return sorted(zip(rejected["line"].astype(int), rejected["reason"].astype(str)))


def test_exact_duplicate_rows_are_set_aside_in_place_with_the_uploads_reason_and_line(tmp_path):
    in_place = _in_place(tmp_path, DUPLICATES, "visits.csv")
    uploaded = _uploaded(DUPLICATES, "visits.csv")
    for dataset in (in_place, uploaded):
        accounting = dataset.accounting
        assert (accounting.rows_in, accounting.rows_used, accounting.rows_rejected) == (8, 3, 5)
        assert accounting.rows_in == accounting.rows_used + accounting.rows_rejected
        assert accounting.reasons == DUPLICATE_REASONS
        assert _rejected(dataset) == DUPLICATE_LINES
        assert _revenue_by_customer(dataset) == {"a": 0.0, "b": 50.0}


def test_identical_rows_are_kept_in_place_when_the_mapping_keeps_them_as_an_upload_does(tmp_path):
    # keep_identical: the 3 copies are events too; only the 2 rows without a customer id are set aside: 6 used of 8.
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "timestamp", "event": "event",
                                     "revenue": "revenue"}, keep_identical=True)
    in_place = _in_place(tmp_path, DUPLICATES, "visits.csv", mapping)
    assert (in_place.accounting.rows_used, in_place.accounting.reasons) == (6, {"missing customer id": 2})
    # b's 50 twice: 100
    assert _revenue_by_customer(in_place) == {"a": 0.0, "b": 100.0}


def test_a_row_of_negative_money_without_a_status_reads_return_in_place_as_uploaded(tmp_path):
    in_place = _in_place(tmp_path, NEGATIVE, "orders.csv")
    uploaded = _uploaded(NEGATIVE, "orders.csv")
    assert _revenue_by_customer(in_place) == NEGATIVE_MONEY == _revenue_by_customer(uploaded)
    assert _events_in_file_order(in_place) == NEGATIVE_EVENTS == _events_in_file_order(uploaded)
    # the upload's note, word for word: 1 reversal line named 'return'
    assert _money_notes(in_place) == _money_notes(uploaded)
    assert _money_notes(in_place)[0].startswith("1 row of cancellations or returns are events of their own ('return')")


def test_rows_named_like_a_refund_take_their_money_back_in_place_as_uploaded(tmp_path):
    in_place = _in_place(tmp_path, NAMED, "payments.csv")
    uploaded = _uploaded(NAMED, "payments.csv")
    assert _revenue_by_customer(in_place) == NAMED_MONEY == _revenue_by_customer(uploaded)
    assert _events_in_file_order(in_place) == NAMED_EVENTS == _events_in_file_order(uploaded)
    # 2 reversal lines ('chargeback', 'refund') and 1 row of money that never moved
    assert _money_notes(in_place) == _money_notes(uploaded)
    assert _money_notes(in_place)[0].startswith("2 rows of cancellations or returns are events of their own "
                                                "('chargeback', 'refund')")


def test_a_credit_notes_row_takes_its_money_back_by_its_own_status_in_place_as_uploaded(tmp_path):
    in_place = _in_place(tmp_path, NOTES, "invoices.csv")
    uploaded = _uploaded(NOTES, "invoices.csv")
    assert _revenue_by_customer(in_place) == NOTES_MONEY == _revenue_by_customer(uploaded)
    assert _events_in_file_order(in_place) == NOTES_EVENTS == _events_in_file_order(uploaded)
    assert _money_notes(in_place) == _money_notes(uploaded)


def test_a_cancellation_invoices_number_reads_cancellation_in_place_as_uploaded(tmp_path):
    in_place = _in_place(tmp_path, RETAIL, "online_retail.csv")
    uploaded = _uploaded(RETAIL, "online_retail.csv")
    assert _revenue_by_customer(in_place) == RETAIL_MONEY == _revenue_by_customer(uploaded)
    assert _events_in_file_order(in_place) == RETAIL_EVENTS == _events_in_file_order(uploaded)
    assert _money_notes(in_place) == _money_notes(uploaded)


@pytest.mark.postgres
def test_duplicates_and_reversals_of_a_postgresql_table_count_as_uploaded(postgres_url):
    # The files above as PostgreSQL tables of text (no file order: a duplicate's copies are alike, so which one is
    # used does not change a figure): the same counts, money, names and notes as uploaded.
    tables = {"visits": DUPLICATES, "negative": NEGATIVE, "named": NAMED, "credit_notes": NOTES, "retail": RETAIL}
    for name, text in tables.items():
        _postgres_table(postgres_url, name, text)
    backend = engine.connect(postgres_url)
    try:
        visits = dataset_from_table(backend, "visits")
        assert (visits.accounting.rows_in, visits.accounting.rows_used) == (8, 3)
        assert visits.accounting.reasons == DUPLICATE_REASONS
        assert _revenue_by_customer(visits) == {"a": 0.0, "b": 50.0}
        for name, text, money, events in (("negative", NEGATIVE, NEGATIVE_MONEY, NEGATIVE_EVENTS),
                                          ("named", NAMED, NAMED_MONEY, NAMED_EVENTS),
                                          ("credit_notes", NOTES, NOTES_MONEY, NOTES_EVENTS),
                                          ("retail", RETAIL, RETAIL_MONEY, RETAIL_EVENTS)):
            dataset, uploaded = dataset_from_table(backend, name), _uploaded(text, f"{name}.csv")
            assert _revenue_by_customer(dataset) == money, name
            # no file order on PostgreSQL: the events by time (each row at its own time here), as uploaded
            assert _events_by_time(dataset) == _events_by_time(uploaded), name
            assert sorted(_events_by_time(dataset)) == sorted(events), name
            assert _money_notes(dataset) == _money_notes(uploaded), name
    finally:
        backend.close()


# January's file and February's each hold a's view of 1 March 09:00 (an export of overlapping periods); February's
# also repeats c's view on its next line. A duplicate is a row equal to an earlier row OF THE SAME FILE (DESIGN.md
# section 3): a's second view is another file's row, kept, as an upload of both files keeps it; c's repeat is set
# aside. 5 rows in = 4 used + 1 duplicate.
JANUARY = "customer_id,timestamp,event\na,2024-03-01 09:00:00,view\nb,2024-03-01 09:05:00,purchase\n"
FEBRUARY = "customer_id,timestamp,event\na,2024-03-01 09:00:00,view\nc,2024-03-02 09:05:00,view\nc,2024-03-02 09:05:00,view\n"


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_row_repeating_one_of_another_file_read_in_place_is_kept_as_uploaded(tmp_path, kind):
    import io

    import pandas as pd

    for name, text in (("january", JANUARY), ("february", FEBRUARY)):
        if kind == "csv":
            (tmp_path / f"{name}.csv").write_text(text)
        else:
            pd.read_csv(io.StringIO(text), dtype=str).to_parquet(tmp_path / f"{name}.parquet")
    uploaded = build_dataset(parse_files([SourceFile("january.csv", JANUARY.encode()),
                                          SourceFile("february.csv", FEBRUARY.encode())]))
    in_place = dataset_from_files(str(tmp_path / f"*.{kind}"))
    for dataset in (uploaded, in_place):
        accounting = dataset.accounting
        assert (accounting.rows_in, accounting.rows_used, dict(accounting.reasons)) == (5, 4, {DUPLICATE: 1})
        events = engine.execute(dataset.events.select("customer_id"))
        assert events["customer_id"].value_counts().to_dict() == {"a": 2, "b": 1, "c": 1}
    assert "_file" not in in_place.files[0].columns and "_file" not in in_place.attributes
