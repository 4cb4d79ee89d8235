"""Times written as numbers, read in place (cjm.data.numeric_times), give the rows an upload of the same file gives.

Every expected time is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.source import dataset_from_files
from cjm.errors import MappingError
from tests.helpers import parsed_rows, parsed_text


def _in_place(tmp_path, text: str, mapping=None):
    path = tmp_path / "export.csv"
    path.write_text(text)
    dataset = dataset_from_files(path, mapping=mapping)
    rows = engine.execute(dataset.events.select("customer_id", "timestamp", "event")).sort_values(["timestamp", "event"])
    return dataset, rows


def _times(rows) -> list[str]:
    return [str(t.tz_convert("UTC").tz_localize(None)) if t.tzinfo else str(t) for t in rows["timestamp"]]


def _upload_times(text: str) -> list[str]:
    rows = parsed_rows(parsed_text(text)).sort_values(["timestamp", "event"])
    return [str(pd.Timestamp(t).tz_localize(None)) if pd.Timestamp(t).tzinfo else str(pd.Timestamp(t))
            for t in rows["timestamp"]]


def test_epoch_seconds_read_in_place_are_the_uploads_utc_times(tmp_path):
    # 1709283600 = 2024-03-01 09:00:00 UTC; 1709370000 = 2024-03-02 09:00:00 UTC
    text = "customer_id,created,event\nc1,1709283600,view\nc2,1709370000,buy\n"
    _, rows = _in_place(tmp_path, text)
    assert _times(rows) == ["2024-03-01 09:00:00", "2024-03-02 09:00:00"] == _upload_times(text)


def test_epoch_milliseconds_keep_their_milliseconds(tmp_path):
    # 1709283600123 ms = 2024-03-01 09:00:00.123 UTC
    text = "customer_id,ts_ms,event\nc1,1709283600123,view\nc1,1709283601000,buy\n"
    _, rows = _in_place(tmp_path, text, parsed_text(text).files[0].mapping)
    assert _times(rows) == ["2024-03-01 09:00:00.123000", "2024-03-01 09:00:01"] == _upload_times(text)


def test_yyyymmdd_numbers_are_dates_and_a_day_that_does_not_exist_is_rejected_as_unparseable(tmp_path):
    # 20240301 = 1 March 2024; 20241231 = 31 December; 20240230 is no date: its row is rejected, as uploaded
    text = "customer_id,date,event\nc1,20240301,view\nc2,20241231,buy\nc3,20240230,view\n"
    mapping = parsed_text(text).files[0].mapping
    assert mapping.columns["timestamp"] == "date"
    dataset, rows = _in_place(tmp_path, text, mapping)
    assert _times(rows) == ["2024-03-01 00:00:00", "2024-12-31 00:00:00"] == _upload_times(text)
    assert dataset.accounting.reasons == {"unparseable timestamp": 1}
    assert parsed_text(text).accounting.reasons == {"unparseable timestamp": 1}


def test_excel_serial_dates_read_in_place_are_the_uploads_wall_times(tmp_path):
    # 45292 = 2024-01-01 (days since 1899-12-30); .5 of a day = 12:00; .25 = 06:00
    text = "customer_id,date,event\nc1,45292.5,view\nc2,45293.25,buy\n"
    mapping = parsed_text(text).files[0].mapping
    _, rows = _in_place(tmp_path, text, mapping)
    assert _times(rows) == ["2024-01-01 12:00:00", "2024-01-02 06:00:00"] == _upload_times(text)


def test_numbers_that_are_no_times_stop_the_load_with_the_styles_cjm_reads(tmp_path):
    text = "customer_id,amount,event\nc1,12,view\nc2,30,buy\n"
    mapping = ColumnMapping(columns={"customer_id": "customer_id", "timestamp": "amount", "event": "event"})
    with pytest.raises(MappingError, match="'amount' holds numbers that are no dates or times.*YYYYMMDD"):
        _in_place(tmp_path, text, mapping)


def test_customer_ids_that_look_like_decimals_stay_two_customers_read_in_place(tmp_path):
    # DuckDB's sniffer reads 10.50 and 10.5 as the one number 10.5, merging two customers; an upload keeps both
    text = "customer_id,timestamp,event\n10.50,2024-03-01 09:00:00,view\n10.5,2024-03-01 10:00:00,buy\n"
    _, rows = _in_place(tmp_path, text)
    assert rows["customer_id"].tolist() == ["10.50", "10.5"] == parsed_rows(parsed_text(text))["customer_id"].tolist()
