"""The Data page's "Join ids written another way" switch of a customers file (ColumnMapping.inferred_joins): on by
default; off, only ids written exactly alike join, so two unrelated files whose numeric ids overlap by chance (CDNOW's
00001.. beside a marketing file's 1..) stay apart, and so does a second id column. Figures worked out by hand."""

import json

import pytest

from cjm.data.columns import ColumnMapping
from cjm.errors import MappingError
from tests.test_review12_customer_ids import PAYMENTS, customers_table, parse, per_customer, report_of

PURCHASES = ("customer_id,date,event,amount\n00001,1997-01-01,purchase,10\n00002,1997-01-02,purchase,20\n"
             "00003,1997-01-03,purchase,30\n")
# A marketing file of other people, numbered 1, 2 and 9 by another system.
MARKETING = "ID,Income,Kidhome\n1,58000,0\n2,46000,1\n9,71000,0\n"
NO_INFERENCE = ColumnMapping(columns={"customer_id": "ID"}, inferred_joins=False)


def test_by_default_ids_that_lost_their_zeros_join_and_the_note_says_how_to_undo_it():
    # 1 and 2 are read as 00001 and 00002 (their zeros lost in a spreadsheet): 2 of the 3 customers get an income.
    parsed = parse(("purchases.csv", PURCHASES), ("marketing.csv", MARKETING))
    table = customers_table(parsed)
    assert table.loc["00001", "Income"] == 58000 and table.loc["00002", "Income"] == 46000
    note = next(n for n in report_of(parsed, "marketing.csv").notes if "leading zeros" in n)
    assert note.startswith("2 ids in 'ID' had lost the leading zeros")
    assert any("Join ids written another way" in n for n in report_of(parsed, "marketing.csv").notes)


def test_with_the_switch_off_no_zeros_are_restored_and_the_files_stay_apart():
    # Only exact spellings join: 00001..00003 have no attributes; 1, 2 and 9 are customers without events. The
    # events keep 3 customers; the customers table holds 6 rows (3 with events, 3 from the file).
    parsed = parse(("purchases.csv", PURCHASES), ("marketing.csv", MARKETING), mappings={"marketing.csv": NO_INFERENCE})
    assert set(per_customer(parsed)) == {"00001", "00002", "00003"}
    table = customers_table(parsed)
    assert set(table.index) >= {"1", "2", "9"}
    assert "00001" not in table.index or table["Income"].get("00001") != table["Income"].get("00001")  # NaN
    assert not any("had lost the leading zeros" in n for n in report_of(parsed, "marketing.csv").notes)
    a = parsed.accounting
    assert (a.rows_in, a.rows_used, a.rows_rejected) == (6, 6, 0)


STRIPE = "id,Email\ncus_1,a@x.com\ncus_2,b@x.com\ncus_3,c@x.com\n"
OPENS = "Email Address,Action,Timestamp\nb@x.com,open,2024-02-01 10:00\n"


def test_with_the_switch_off_a_second_id_column_bridges_no_one():
    # On: b@x.com's open is cus_2's (3 people with events). Off: b@x.com stays its own customer (4 people).
    on = parse(("payments.csv", PAYMENTS), ("mailchimp.csv", OPENS), ("customers.csv", STRIPE))
    assert per_customer(on)["cus_2"] == ["open", "purchase"] and len(per_customer(on)) == 3
    off = parse(("payments.csv", PAYMENTS), ("mailchimp.csv", OPENS), ("customers.csv", STRIPE),
                mappings={"customers.csv": ColumnMapping(columns={"customer_id": "id"}, inferred_joins=False)})
    assert per_customer(off) == {"cus_1": ["purchase"], "cus_2": ["purchase"], "cus_3": ["purchase"],
                                 "b@x.com": ["open"]}
    assert not any("also names this file's customers" in n for n in report_of(off, "customers.csv").notes)


def test_the_switch_is_saved_with_the_mapping_and_a_bad_value_is_refused_naming_it():
    saved = json.loads(json.dumps(NO_INFERENCE.to_dict()))
    assert saved["inferred_joins"] is False and ColumnMapping.from_dict(saved) == NO_INFERENCE
    assert ColumnMapping.from_dict({"columns": {"customer_id": "ID"}}).inferred_joins is True  # older saved mappings
    with pytest.raises(MappingError, match="'inferred_joins' must be true or false; got 'no'"):
        ColumnMapping.from_dict({"columns": {"customer_id": "ID"}, "inferred_joins": "no"})


def test_with_the_switch_off_a_key_that_joins_only_without_its_zeros_is_said_to_join_no_one():
    # 1, 2 and 9 are none of 00001..00003 as written: the note says no customer of the file has an event.
    parsed = parse(("purchases.csv", PURCHASES), ("marketing.csv", MARKETING), mappings={"marketing.csv": NO_INFERENCE})
    assert any(n.startswith("No customer of this file has an event") for n in report_of(parsed, "marketing.csv").notes)
