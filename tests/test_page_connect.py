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
