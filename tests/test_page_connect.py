"""Data page -> Connect: a table named by an environment variable's URL becomes the dataset of every page."""

from __future__ import annotations

import duckdb

from tests.apptest import open_app
from tests.backends_helpers import events_with_row_id


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
