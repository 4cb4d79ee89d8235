"""Data page -> Connect: a table named by an environment variable's URL becomes the dataset of every page."""

from __future__ import annotations

import duckdb
import sqlalchemy

from tests.apptest import open_app
from tests.backends_helpers import events_with_row_id
from tests.postgres import text_table


def test_connecting_to_a_duckdb_file_through_an_environment_variable_analyses_its_table(tmp_path, monkeypatch):
    path = tmp_path / "shop.duckdb"
    con = duckdb.connect(str(path))
    con.register("frame", events_with_row_id())
    con.execute("CREATE TABLE events AS SELECT * FROM frame")
    con.close()
    monkeypatch.setenv("CJM_TEST_WAREHOUSE", f"duckdb://{path}")
    at = open_app("app_pages/data.py")
    at.text_input(key="cjm.connect.source").input("CJM_TEST_WAREHOUSE")
    at.text_input(key="cjm.connect.table").input("events")
    at.button(key="cjm.connect.go").click().run()
    assert not at.exception
    shown = " ".join(s.value for s in at.success)
    assert f"{len(events_with_row_id()):,} events are analysed there" in shown
    assert "duckdb" in shown
    at.switch_page("app_pages/funnel.py")
    at.run()
    assert not at.exception and not at.error


def test_a_url_typed_into_connect_is_refused_so_its_password_never_shows():
    at = open_app("app_pages/data.py")
    at.text_input(key="cjm.connect.source").input("postgresql://ana:s3cret@db/shop")
    at.text_input(key="cjm.connect.table").input("events")
    at.button(key="cjm.connect.go").click().run()
    assert any("NAME of the environment variable" in e.value for e in at.error)


def test_a_file_read_in_place_shows_its_rows_rejected_with_their_reasons_and_its_notes(tmp_path):
    # 4 rows: c has no customer id and d's time is no date: 2 used, 2 set aside; written in Windows-1252 ('Müller')
    text = ("customer_id,timestamp,event\nMüller,2024-03-01 09:00:00,view\nb,2024-03-01 09:05:00,purchase\n"
            ",2024-03-01 09:06:00,view\nd,soon,view\n")
    path = tmp_path / "shop.csv"
    path.write_bytes(text.encode("cp1252"))
    at = open_app("app_pages/data.py")
    at.text_input(key="cjm.connect.source").input(str(path))
    at.button(key="cjm.connect.go").click().run()
    assert not at.exception and not at.error
    assert [(m.label, m.value) for m in at.metric][:3] == [("Rows in", "4"), ("Rows used", "2"), ("Rows rejected", "2")]
    warning = " ".join(w.value for w in at.warning)
    assert "2 rows were set aside" in warning
    assert "1 × missing customer id" in warning and "1 × unparseable timestamp" in warning
    rejected = at.dataframe[0].value
    assert sorted(rejected["line"].tolist()) == [4, 5]
    assert "d,soon,view" in rejected["raw"].tolist()  # the time as written, to fix it in the export
    assert any("Read as cp1252 text" in c.value for c in at.caption)


def _rows_used(at) -> str:
    return dict((m.label, m.value) for m in at.metric)["Rows used"]


def test_a_connected_table_that_gets_new_rows_shows_them_after_read_the_table_again(postgres_url, monkeypatch):
    # 3 events read at connect; 2 more arrive in the warehouse: the figures stay those of the reading the page
    # states until the user reads the table again, then count 5
    text_table(postgres_url, "live_events", "customer_id,event_time,event\na,2024-03-01 09:00:00,view\n"
               "a,2024-03-01 09:05:00,purchase\nb,2024-03-01 10:00:00,view\n")
    monkeypatch.setenv("CJM_TEST_LIVE", postgres_url)
    at = open_app("app_pages/data.py")
    at.text_input(key="cjm.connect.source").input("CJM_TEST_LIVE")
    at.text_input(key="cjm.connect.table").input("live_events")
    at.button(key="cjm.connect.go").click().run()
    assert not at.exception and not at.error
    assert "3 events are analysed there" in " ".join(s.value for s in at.success)
    assert any(c.value.startswith("Read at 20") and "once you read it again" in c.value for c in at.caption)

    sa = sqlalchemy.create_engine(postgres_url)
    with sa.begin() as connection:
        connection.exec_driver_sql("INSERT INTO live_events VALUES ('c', '2024-03-02 09:00:00', 'view'), "
                                   "('c', '2024-03-02 09:01:00', 'purchase')")
    sa.dispose()
    at.run()
    assert "3 events are analysed there" in " ".join(s.value for s in at.success)  # the reading stated

    at.button(key="cjm.connect.again").click().run()
    assert not at.exception and not at.error
    assert "5 events are analysed there" in " ".join(s.value for s in at.success)
    assert _rows_used(at) == "5"
    assert any(c.value.startswith("Read at 20") for c in at.sidebar.caption)  # what a viewer sees, on every page


def test_a_file_read_in_place_is_read_again_by_itself_when_it_is_replaced(tmp_path):
    path = tmp_path / "shop.csv"
    path.write_text("customer_id,timestamp,event\na,2024-03-01 09:00:00,view\nb,2024-03-01 09:05:00,purchase\n")
    at = open_app("app_pages/data.py")
    at.text_input(key="cjm.connect.source").input(str(path))
    at.button(key="cjm.connect.go").click().run()
    assert not at.exception and not at.error and _rows_used(at) == "2"
    assert any("read again by themselves" in c.value for c in at.caption)
    path.write_text("customer_id,timestamp,event\na,2024-03-01 09:00:00,view\nb,2024-03-01 09:05:00,purchase\n"
                    "c,2024-03-01 09:07:00,view\n")  # a new export over the old one (size and time of change differ)
    at.run()
    assert not at.exception and not at.error and _rows_used(at) == "3"
