import pandas as pd
import pytest

from cjm.data.columns import ColumnMapping, check_mapping, names_a_date, normalise, suggest_mapping
from cjm.errors import MappingError


def frame(columns, rows=None):
    rows = rows or [["x"] * len(columns)]
    return pd.DataFrame(rows, columns=columns).astype("string")


@pytest.mark.parametrize("raw, expected", [
    ("Customer ID", "customer_id"), ("customerId", "customer_id"), (" event-time ", "event_time"),
    ("EVENT_TYPE", "event_type"), ("utm_source", "utm_source"),
])
def test_column_names_are_normalised_in_any_case_and_spacing(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize("name, says_date", [
    ("Customer Since", True), ("signup_date", True), ("created_at", True), ("Sale Date", True), ("InvoiceDate", True),
    ("Updated On", True), ("Datum", True), ("Fecha de alta", True), ("date_key", True),
    ("Created By", False), ("Income", False), ("zip", False), ("logged", False), ("Data Usage", False),
    ("First reply time in minutes", False), ("days_since_last_order", False),
])
def test_a_column_name_says_it_holds_dates_by_a_date_word_unless_it_names_a_duration(name, says_date):
    assert names_a_date(name) is says_date


def test_common_export_names_map_onto_canonical_columns():
    f = frame(["user_id", "event_time", "event_type", "utm_source", "rating", "comment", "user_session"],
              [["1", "2024-01-01", "view", "google", "5", "nice", "s1"]])
    mapping = suggest_mapping(f)
    assert mapping.columns == {"customer_id": "user_id", "timestamp": "event_time", "event": "event_type",
                               "channel": "utm_source", "score": "rating", "text": "comment",
                               "session_id": "user_session"}


def test_spaced_and_capitalised_names_are_recognised():
    f = frame(["Customer ID", "Event Time", "Event Name"])
    assert suggest_mapping(f).columns == {"customer_id": "Customer ID", "timestamp": "Event Time",
                                          "event": "Event Name"}


def test_a_text_column_is_not_taken_as_revenue():
    f = frame(["user_id", "date", "event", "amount"], [["1", "2024-01-01", "buy", "n/a"]] * 3)
    assert "revenue" not in suggest_mapping(f).columns


def test_the_timestamp_is_found_by_content_when_the_name_is_unknown():
    f = frame(["cust", "when_it_happened", "event"], [["1", "2024-01-01", "a"], ["2", "2024-01-02", "b"]])
    score = lambda s: s.str.match(r"\d{4}-\d\d-\d\d").mean()  # noqa: E731
    assert suggest_mapping(f, timestamp_score=score).columns["timestamp"] == "when_it_happened"


def test_found_by_content_a_column_of_text_dates_comes_before_one_of_numbers_in_a_date_range():
    # Neither name is a date name. 'Batch' holds 45001, 45100, 45200: Excel's 2023-03-16, 2023-06-23, 2023-10-01 (under
    # a year apart, so they read as dates); 'Placed' holds ISO dates. Numbers that read as dates are more often
    # something else: the text dates are the timestamp, though 'Batch' comes first.
    from cjm.data.timestamps import looks_like_timestamps

    f = pd.DataFrame({"Customer": ["a", "b", "c"], "Batch": [45001, 45100, 45200],
                      "Placed": ["2024-01-05", "2024-02-06", "2024-03-07"]})
    assert looks_like_timestamps(f["Batch"]) == 1.0
    assert suggest_mapping(f, timestamp_score=looks_like_timestamps).columns["timestamp"] == "Placed"


def test_found_by_content_a_column_named_with_a_date_word_comes_first():
    # 'Signup Date' (Excel serials 45296, 45300, 45320: 2024-01-05, 2024-01-09, 2024-01-29) comes before the text dates
    # of 'Placed', though both read as dates and 'Placed' comes first; neither is a timestamp alias.
    from cjm.data.timestamps import looks_like_timestamps

    f = pd.DataFrame({"Customer": ["a", "b", "c"], "Placed": ["2024-01-05", "2024-02-06", "2024-03-07"],
                      "Signup Date": [45296, 45300, 45320]})
    assert suggest_mapping(f, timestamp_score=looks_like_timestamps).columns["timestamp"] == "Signup Date"


@pytest.mark.parametrize("name", ["Price", "InvoiceNo", "Postal Code", "zip", "Unit Cost", "Salary", "Order Number",
                                  "Qty", "Age", "Precio"])
def test_numbers_whose_name_says_what_else_they_are_are_never_the_timestamp_by_content(name):
    # 43215, 44101, 45202 read as Excel serials are 2018-04-25, 2020-09-27, 2023-10-03: 5 years apart, dates by content
    # (3 / 3 = 1.0). Named 'logged' they are this file's timestamp; named as a price, an invoice or order number, a ZIP
    # code, a cost, a salary, a quantity, an age or a price (Spanish 'Precio') they are that, and the file has no
    # timestamp (it is a customers file).
    from cjm.data.timestamps import looks_like_timestamps

    values = [43215, 44101, 45202]
    assert looks_like_timestamps(pd.Series(values, name=name)) == 1.0
    logged = pd.DataFrame({"Customer": ["a", "b", "c"], "logged": values})
    assert suggest_mapping(logged, timestamp_score=looks_like_timestamps).columns["timestamp"] == "logged"
    named = pd.DataFrame({"Customer": ["a", "b", "c"], name: values})
    assert "timestamp" not in suggest_mapping(named, timestamp_score=looks_like_timestamps).columns


def test_a_file_without_an_event_column_gets_a_constant_touchpoint_named_after_what_it_records():
    purchases = frame(["customer_id", "date", "dollar_value"], [["1", "19970101", "11.77"]])
    assert suggest_mapping(purchases).event_constant == "purchase"
    leads = frame(["mql_id", "first_contact_date", "origin"], [["a", "01-02-2018", "social"]])
    assert suggest_mapping(leads).event_constant == "first contact"


def test_a_file_that_cannot_supply_a_customer_id_gets_a_message_listing_the_closest_columns():
    f = frame(["Month", "VisitorType", "Revenue"])
    mapping = suggest_mapping(f)
    with pytest.raises(MappingError) as err:
        check_mapping(mapping, f)
    message = str(err.value)
    assert "customer id" in message and "timestamp" in message
    assert "closest columns" in message and "Data page" in message


def test_a_mapping_round_trips_through_json_and_rejects_unknown_columns():
    mapping = ColumnMapping(columns={"customer_id": "id", "timestamp": "t"}, event_constant="visit", day_first=True)
    assert ColumnMapping.from_dict(mapping.to_dict()) == mapping
    with pytest.raises(MappingError, match="not cjm columns"):
        ColumnMapping.from_dict({"columns": {"colour": "x"}})


def test_a_column_with_no_value_at_all_yields_to_a_filled_one_named_less_like_the_column():
    # 'order channel' (rank of "order" + "channel") is empty on both rows; 'utm_source' holds ads and email.
    f = pd.DataFrame({"customer_id": ["a", "b"], "timestamp": ["2024-01-01", "2024-01-02"],
                      "channel": [None, None], "utm_source": ["ads", "email"]})
    assert suggest_mapping(f).columns["channel"] == "utm_source"


def test_an_empty_column_is_still_mapped_when_nothing_else_could_be():
    # Nothing else names a channel: the empty one is mapped, so the Data page shows it and the pages say it is empty.
    f = pd.DataFrame({"customer_id": ["a", "b"], "timestamp": ["2024-01-01", "2024-01-02"], "channel": [None, None]})
    assert suggest_mapping(f).columns["channel"] == "channel"
