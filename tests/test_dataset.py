
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.errors import CJMError, MappingError
from cjm.data.stages import StageMapping
from tests.helpers import real_file


def source(text: str, name="events.csv", **options) -> SourceFile:
    return SourceFile(name=name, data=text.encode("utf-8"), **options)


EVENTS = """user_id,event_time,event_type,price
00017,2024-01-01T10:00:00Z,page_view,
00017,2024-01-01T10:05:00Z,purchase,"1.234,50"
00018,not a date,page_view,
,2024-01-02T09:00:00Z,page_view,
00019,2024-01-03T09:00:00Z,,
00017,2024-01-01T10:05:00Z,purchase,"1.234,50"
"""


def test_every_row_is_either_used_or_rejected_with_a_reason():
    parsed = parse_files([source(EVENTS)], mappings={"events.csv": ColumnMapping(
        columns={"customer_id": "user_id", "timestamp": "event_time", "event": "event_type", "revenue": "price"})})
    acc = parsed.accounting
    assert (acc.rows_in, acc.rows_used, acc.rows_rejected) == (6, 2, 4)
    assert acc.reasons == {"unparseable timestamp": 1, "missing customer id": 1, "missing event": 1,
                           "duplicate row (every column equals an earlier row)": 1}
    assert sorted(acc.rejected["line"].tolist()) == [4, 5, 6, 7]


def test_a_row_rejected_below_a_note_of_two_lines_and_a_blank_line_is_reported_on_its_own_line():
    # Line 1 the header, 2-3 C1's purchase (its note runs over two lines), 4 blank, 5 C2 without a date, 6 C3 too
    # wide (rejected by the reader, which numbered it right), 7 C4 with a date that is none. Numbered by position
    # (rows C1, C2, C4 from line 2) C2 and C4 were lines 3 and 4: the user opens the file at lines 5 and 7.
    text = ('customer_id,timestamp,event,note\r\nC1,2024-01-01 10:00,purchase,"gift\r\nwrap"\r\n\r\n'
            "C2,,view,\r\nC3,2024-01-01 11:00,view,x,EXTRA\r\nC4,soon,view,\r\n")
    parsed = parse_files([source(text)])
    rejected = parsed.accounting.rejected.sort_values("line")
    assert rejected["line"].tolist() == [5, 6, 7]
    assert rejected["raw"].str.slice(0, 2).tolist() == ["C2", "C3", "C4"]
    assert (parsed.accounting.rows_in, parsed.accounting.rows_used) == (4, 1)


def test_ids_stay_strings_and_decimal_commas_become_numbers():
    parsed = parse_files([source(EVENTS)], mappings={"events.csv": ColumnMapping(
        columns={"customer_id": "user_id", "timestamp": "event_time", "event": "event_type", "revenue": "price"})})
    events = engine.execute(parsed.events)
    assert set(events["customer_id"]) == {"00017"}
    assert events["revenue"].dropna().tolist() == [1234.5]
    assert str(events["timestamp"].dt.tz) == "UTC"


def test_events_get_their_stage_and_stage_index_from_the_stage_model():
    dataset = build_dataset(parse_files([source(EVENTS)]), stage_mapping=StageMapping(model="5"))
    frame = engine.execute(dataset.events.order_by("row_id"))
    assert frame[["event", "stage", "stage_index"]].values.tolist() == [
        ["page_view", "consideration", 1], ["purchase", "conversion", 2]]
    assert dataset.stages == ("awareness", "consideration", "conversion", "retention", "loyalty")


def test_a_customers_file_joins_on_customer_id_and_its_attributes_become_typed():
    customers = "customer_id,age,city\n00017,34,Tehran\n00017,35,Tehran\n00099,51,Kazan\n"
    parsed = parse_files([source(EVENTS), source(customers, name="customers.csv", role="customers")])
    assert parsed.customers["customer_id"].tolist() == ["00017", "00099"]
    assert parsed.customers["age"].tolist() == [34.0, 51.0]
    assert parsed.accounting.reasons["duplicate customer (first row kept)"] == 1
    acc = parsed.accounting
    assert acc.rows_in == acc.rows_used + acc.rows_rejected == 9


def test_feedback_rows_become_events_on_the_timeline():
    feedback = "customer,date,rating,comment\n00017,2024-01-05,2,late delivery\n"
    parsed = parse_files([source(EVENTS), source(feedback, name="survey.csv")])
    events = engine.execute(parsed.events)
    row = events[events["event"] == "feedback"].iloc[0]
    assert (row["customer_id"], row["score"], row["text"]) == ("00017", 2.0, "late delivery")
    assert [f.role for f in parsed.files] == ["events", "feedback"]


def test_a_file_with_one_row_per_customer_also_gives_customer_attributes():
    text = "ID;Year_Birth;Income;Dt_Customer\n1;1957;58138;2012-09-04\n2;1954;46344;2014-03-08\n"
    parsed = parse_files([source(text, name="campaign.csv")])
    assert engine.execute(parsed.events)["event"].unique().tolist() == ["customer"]
    assert parsed.customers.set_index("customer_id")["Income"].to_dict() == {"1": 58138.0, "2": 46344.0}


def test_a_file_without_ids_or_dates_is_refused_with_the_closest_candidates():
    text = "Month;VisitorType;Revenue\nFeb;Returning_Visitor;FALSE\n"
    with pytest.raises(MappingError, match="customer id"):
        parse_files([source(text)])


def test_when_every_row_is_rejected_the_message_says_why_and_what_to_check():
    text = "user_id,event_time,event_type\n1,yesterday-ish,view\n2,2024-01-01,view\n"
    mapping = ColumnMapping(columns={"customer_id": "user_id", "timestamp": "event_time", "event": "event_type"})
    parsed = parse_files([source(text)], mappings={"events.csv": mapping})
    assert parsed.accounting.rows_used == 1
    with pytest.raises(CJMError):
        parse_files([source("user_id,event_time,event_type\n,2024-01-01,view\n")])


def test_the_same_content_gets_the_same_key_and_other_content_another():
    a = parse_files([source(EVENTS)])
    b = parse_files([source(EVENTS)])
    c = parse_files([source(EVENTS + "00020,2024-01-04T00:00:00Z,page_view,\n")])
    assert a.key == b.key != c.key


@pytest.mark.parametrize("name, rows, mapping", [
    ("rees46_2019-Oct-sample.csv", 1000, {"customer_id": "user_id", "timestamp": "event_time",
                                          "event": "event_type", "session_id": "user_session"}),
    ("airline_tweets.csv", 14640, {"customer_id": "name", "timestamp": "tweet_created", "text": "text"}),
    ("cdnow_master.txt", 69659, {"customer_id": "customer_id", "timestamp": "date", "revenue": "dollar_value"}),
    ("olist_marketing_funnel/olist_marketing_qualified_leads_dataset.csv", 8000,
     {"customer_id": "mql_id", "timestamp": "first_contact_date", "channel": "origin"}),
    ("marketing_campaign.csv", 2240, {"customer_id": "ID", "timestamp": "Dt_Customer"}),
])
def test_real_exports_map_automatically_and_account_for_every_row(name, rows, mapping):
    parsed = parse_files([SourceFile.from_path(real_file(name))])
    report = parsed.files[0]
    assert {k: v for k, v in report.mapping.columns.items() if k in mapping} == mapping
    acc = parsed.accounting
    assert acc.rows_in == rows == acc.rows_used + acc.rows_rejected
    assert acc.rows_used > 0.9 * rows


def test_cdnow_ids_keep_their_zero_padding():
    parsed = parse_files([SourceFile.from_path(real_file("cdnow_master.txt"))])
    events = engine.execute(parsed.events.order_by("row_id"))
    assert events["customer_id"].iloc[0] == "00001"
    assert events["customer_id"].nunique() == 23570


def test_online_shoppers_sessions_without_ids_or_dates_load_as_one_session_per_row_and_say_so():
    # Issue 9: a session export with neither id nor date loads (each row one session) instead of failing.
    parsed = parse_files([SourceFile.from_path(real_file("online_shoppers_intention.csv"))])
    acc = parsed.accounting
    # 125 rows repeat an earlier row in every one of the 18 columns (pandas' DataFrame.duplicated agrees), but
    # each row is one session of an anonymous visitor: two visitors can bounce alike, so all are kept
    assert (acc.rows_in, acc.rows_used, acc.reasons) == (12330, 12330, {})
    assert parsed.files[0].mapping.shape == "anonymous"
    assert any("No customer id column" in n for n in parsed.files[0].notes)
    assert any("No date column" in n for n in parsed.files[0].notes)


def test_leads_and_closed_deals_load_together_as_one_journey():
    leads = real_file("olist_marketing_funnel/olist_marketing_qualified_leads_dataset.csv")
    deals = real_file("olist_marketing_funnel/olist_closed_deals_dataset.csv")
    parsed = parse_files([SourceFile.from_path(leads), SourceFile.from_path(deals)])
    counts = engine.execute(parsed.events)["event"].value_counts().to_dict()
    assert counts["first contact"] == 8000 and counts["won"] == 842


def test_duplicate_rows_are_found_exactly_as_pandas_finds_them():
    import pandas as pd

    from cjm.data.dataset import duplicated_rows

    text = pd.DataFrame({"id": ["a", "b", "a", "a", None, None, "b"],
                         "event": ["x", "x", "x", "y", None, None, "x"]}, dtype="string")
    assert duplicated_rows(text).tolist() == [False, False, True, False, False, True, True]
    typed = pd.DataFrame({"id": [1, 1, 2], "amount": [0.0, -0.0, 0.0]})  # -0.0 equals 0.0
    assert duplicated_rows(typed).tolist() == typed.duplicated().tolist() == [False, True, False]


def test_events_of_several_files_keep_the_file_they_came_from_for_out_of_order_counts():
    early = SourceFile("a.csv", b"customer_id,timestamp,event\nc1,2024-01-02,view\nc1,2024-01-01,cart\n")
    late = SourceFile("b.csv", b"customer_id,timestamp,event\nc2,2024-01-01,view\nc2,2024-01-02,cart\n")
    parsed = parse_files([early, late])
    assert [f.out_of_order for f in parsed.files] == [1, 0]


def test_two_uploads_with_the_same_file_name_each_count_their_own_rows_out_of_time_order():
    # first export.csv: c1 goes back a day (1 row out of order), c2 goes back a day (1) -> 2;
    # a customers file between them counts none; the second export.csv: c3 goes back once -> 1
    first = SourceFile("export.csv", b"customer_id,timestamp,event\nc1,2024-01-02,view\nc1,2024-01-01,cart\n"
                                     b"c2,2024-01-05,view\nc2,2024-01-04,cart\n")
    people = SourceFile("people.csv", b"customer_id,age\nc1,30\nc2,40\nc3,50\n", role="customers")
    second = SourceFile("export.csv", b"customer_id,timestamp,event\nc3,2024-01-02,view\nc3,2024-01-01,cart\n")
    parsed = parse_files([first, people, second])
    assert [(f.name, f.role, f.out_of_order) for f in parsed.files] == [
        ("export.csv", "events", 2), ("people.csv", "customers", 0), ("export.csv", "events", 1)]
