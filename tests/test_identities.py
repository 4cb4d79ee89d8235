"""One person on several devices (cjm.data.identities): an analytics export's anonymous id (Mixpanel's distinct_id,
Segment's anonymousId, GA4's user_pseudo_id) joined to the id of who signed in there. Uploads, DuckDB reading files
in place and PostgreSQL give the same customers. Every expected figure is worked out by hand beside it."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cjm import engine
from cjm.data.columns import ColumnMapping
from cjm.data.dataset import load_dataset
from cjm.data.identities import stitched
from cjm.data.source import dataset_from_files, dataset_from_table
from cjm.errors import MappingError
from tests.helpers import parsed_rows, parsed_text, report_kpis

# Phone a1: a visit before signing in, then signed in as u1 twice. Laptop a2: u1 again. Browser b1: never signs in.
# Shared tablet s1: x signs in, then y, then a visit without signing in. Row 10: a signed-in event with no anonymous id.
EVENTS = ("anonymous_id,user_id,event_time,event\n"
          "a1,,2024-03-01 09:00,page_view\n"
          "a1,u1,2024-03-01 09:05,login\n"
          "a1,u1,2024-03-01 09:10,purchase\n"
          "a2,u1,2024-03-02 20:00,page_view\n"
          "b1,,2024-03-01 10:00,page_view\n"
          "b1,,2024-03-01 10:01,page_view\n"
          "s1,x,2024-03-03 08:00,login\n"
          "s1,y,2024-03-03 18:00,login\n"
          "s1,,2024-03-03 19:00,page_view\n"
          ",z,2024-03-04 12:00,page_view\n")
# By the rule: a1's 3 rows -> u1 (its unsigned visit: the one person who signed in on a1), a2 -> u1, b1 -> b1 twice,
# s1 -> x, y, and its unsigned visit stays s1 (two people signed in there), row 10 -> z.
CUSTOMERS = ["u1", "u1", "u1", "u1", "b1", "b1", "x", "y", "s1", "z"]
IN_TIME_ORDER = ["u1", "u1", "u1", "b1", "b1", "u1", "x", "y", "s1", "z"]  # a2's visit (2 March) after b1's (1 March)
MAPPING = ColumnMapping(columns={"customer_id": "anonymous_id", "timestamp": "event_time", "event": "event"},
                        signed_in_id="user_id")
# a1 and a2 had one person (u1) signing in: 2 browsers or devices; 1 event there without signing in (a1's first).
# u1 used a1 and a2. s1 is shared: its 1 unsigned event stays with it.
NOTE = ("'user_id' names who signed in, 'anonymous_id' the browser or device: an event is the person's who signed in "
        "on its browser or device. 2 browsers or devices had one person signing in: 1 event there without signing in "
        "is that person's. 1 person used several (such as 'u1' on 'a1' and 'a2'): one customer, not one per browser "
        "or device. 1 browser or device had several people signing in (shared): 1 event there without signing in "
        "stays with it. To count browsers and devices instead, choose none as the signed-in id on the Data page.")


def test_each_event_is_the_persons_who_signed_in_on_its_device():
    frame = pd.read_csv(pd.io.common.StringIO(EVENTS), dtype="string")
    customers, joined = stitched(frame["anonymous_id"], frame["user_id"])
    assert customers.tolist() == CUSTOMERS
    assert (joined.devices, joined.events, joined.people_on_several, joined.shared, joined.shared_events) == (2, 1, 1, 1, 1)
    assert joined.example == ("u1", ("a1", "a2"))


def test_an_upload_names_the_anonymous_and_the_signed_in_columns_and_counts_people_not_devices():
    parsed = parsed_text(EVENTS, "segment.csv")
    mapping = parsed.files[0].mapping
    assert (mapping.columns["customer_id"], mapping.signed_in_id) == ("anonymous_id", "user_id")
    assert parsed_rows(parsed)["customer_id"].tolist() == CUSTOMERS
    # u1, b1, x, y, s1, z: 6 customers (by anonymous id: a1, a2, b1, s1 and row 10 rejected = 4; by user_id: u1,
    # x, y, z and the 4 anonymous rows rejected)
    assert report_kpis(parsed)["customers"] == 6
    assert (parsed.accounting.rows_in, parsed.accounting.rows_used, parsed.accounting.rows_rejected) == (10, 10, 0)
    assert NOTE in parsed.files[0].notes
    assert parsed.files[0].mapping.describe()["customer_id"] == "anonymous_id, or user_id of who signed in there"


def test_choosing_no_signed_in_column_counts_browsers_and_devices(tmp_path):
    path = tmp_path / "segment.csv"
    path.write_text(EVENTS)
    unjoined = ColumnMapping(columns=dict(MAPPING.columns))
    dataset = load_dataset([path], mappings={"segment.csv": unjoined})
    # a1, a2, b1, s1: 4 customers; row 10 has no anonymous id and is rejected (10 in = 9 used + 1 rejected)
    rows = engine.execute(dataset.events.select("customer_id"))
    assert sorted(rows["customer_id"].unique()) == ["a1", "a2", "b1", "s1"]
    assert dataset.accounting.reasons == {"missing customer id": 1}


def test_files_read_in_place_by_duckdb_join_the_same_people(tmp_path):
    path = tmp_path / "segment.csv"
    path.write_text(EVENTS)
    dataset = dataset_from_files(path, mapping=MAPPING)
    rows = engine.execute(dataset.events.select("customer_id", "timestamp", "event")).sort_values("timestamp")
    assert rows["customer_id"].tolist() == IN_TIME_ORDER
    assert NOTE in dataset.files[0].notes
    assert "anonymous_id" not in dataset.attributes and "_person" not in dataset.attributes


@pytest.mark.parametrize("header", ["anonymousId,userId", "user_pseudo_id,user_id", "properties.distinct_id,properties.$user_id",
                                    "device_id,user_id", "cookie_id,customer_id"])
def test_the_pair_is_found_in_the_shapes_of_segment_ga4_mixpanel_amplitude_and_shops(header):
    anonymous, signed = header.split(",")
    text = f"{header},event_time,event\n" + "".join(line.split(",", 2)[0] + "," + line.split(",", 2)[1] + ","
                                                    + line.split(",", 2)[2] + "\n" for line in EVENTS.splitlines()[1:])
    mapping = parsed_text(text, "export.csv").files[0].mapping
    assert (mapping.columns["customer_id"], mapping.signed_in_id) == (anonymous, signed)


def test_a_file_with_one_id_is_left_as_it_was():
    parsed = parsed_text("user_id,event_time,event\nu1,2024-03-01 09:00,login\nu2,2024-03-01 09:05,login\n")
    assert parsed.files[0].mapping.signed_in_id is None


def test_a_signed_in_column_filled_on_more_rows_than_the_anonymous_one_is_not_paired():
    # user_id on 3 rows, anonymous_id on 1: the anonymous column is no id written on every event
    parsed = parsed_text("anonymous_id,user_id,event_time,event\n,u1,2024-03-01 09:00,login\n"
                         ",u2,2024-03-01 09:05,login\na9,u3,2024-03-01 09:06,login\n")
    assert parsed.files[0].mapping.signed_in_id is None
    assert parsed.files[0].mapping.columns["customer_id"] == "user_id"


def test_the_mapping_keeps_its_signed_in_column_through_json_and_rejects_a_bad_one():
    again = ColumnMapping.from_dict(json.loads(json.dumps(MAPPING.to_dict())))
    assert again.signed_in_id == "user_id"
    with pytest.raises(MappingError, match="'signed_in_id' must be the name of the column of who signed in or null; got 3"):
        ColumnMapping.from_dict({**MAPPING.to_dict(), "signed_in_id": 3})


@pytest.mark.postgres
def test_postgresql_joins_the_same_people(postgres_url):
    import sqlalchemy

    frame = pd.read_csv(pd.io.common.StringIO(EVENTS), dtype=str, keep_default_na=False).replace({"": None})
    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as con:
        con.exec_driver_sql("CREATE TABLE visits (anonymous_id text, user_id text, event_time timestamp, event text)")
        for row in frame.itertuples(index=False):
            con.exec_driver_sql("INSERT INTO visits VALUES (%s, %s, %s, %s)", tuple(row))
    sa.dispose()
    backend = engine.connect(postgres_url)
    try:
        dataset = dataset_from_table(backend, "visits", mapping=MAPPING)
        rows = backend.execute(dataset.events.select("customer_id", "timestamp")).sort_values("timestamp")
        assert rows["customer_id"].tolist() == IN_TIME_ORDER
        assert NOTE in dataset.files[0].notes
    finally:
        backend.close()


def test_the_data_page_shows_the_signed_in_column_and_choosing_none_counts_devices():
    from tests.apptest import open_app

    at = open_app("app_pages/data.py", files={"segment.csv": EVENTS.encode()})
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.selectbox(key="cjm.map.segment.csv.signed_in").value == "user_id"
    assert any("names who signed in" in c.value for c in at.caption)
    at.selectbox(key="cjm.map.segment.csv.signed_in").set_value("— none —").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state["cjm.spec"].mappings["segment.csv"].signed_in_id is None
    assert not any("names who signed in" in c.value for c in at.caption)


def test_a_file_read_in_place_without_a_mapping_finds_the_pair_as_an_upload_does(tmp_path):
    # no mapping given: the guess names anonymous_id and user_id, as the upload's does, and the same customers follow
    path = tmp_path / "segment.csv"
    path.write_text(EVENTS)
    dataset = dataset_from_files(path)
    assert (dataset.files[0].mapping.columns["customer_id"], dataset.files[0].mapping.signed_in_id) == (
        "anonymous_id", "user_id")
    rows = engine.execute(dataset.events.select("customer_id", "timestamp")).sort_values("timestamp")
    assert rows["customer_id"].tolist() == IN_TIME_ORDER
    assert (dataset.accounting.rows_in, dataset.accounting.rows_used, dataset.accounting.rows_rejected) == (10, 10, 0)
