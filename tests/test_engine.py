"""The engine: a Backend per data source, tables on the right backend, lifetimes, portable twins, URLs."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm import engine
from cjm.errors import CJMError


def table_names(backend) -> set[str]:
    return {row[0] for row in backend.con.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def small_events():
    return engine.events_table(pd.DataFrame({
        "customer_id": ["a", "a", "a", "b", "b"],
        "timestamp": ["2024-01-03", "2024-01-01", "2024-01-02", "2024-01-01", "2024-01-01"],
        "event": ["x", "y", "z", "p", "q"]}))


def test_each_local_backend_is_its_own_duckdb_with_the_configured_memory_limit_and_spill_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CJM_DUCKDB_MEMORY_LIMIT", "300MB")
    monkeypatch.setenv("CJM_DUCKDB_SPILL_DIR", str(tmp_path))
    first, second = engine.local(), engine.local()
    assert first.con is not second.con
    assert first.spill_dir.parent == tmp_path and first.spill_dir != second.spill_dir
    limit = first.con.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert limit.replace(" ", "") in ("286.1MiB", "300.0MB", "286MiB")
    spill = first.con.con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0]
    assert spill == str(first.spill_dir)
    first.register(pd.DataFrame({"x": [1]}), name="only_here")
    assert "only_here" in table_names(first) and "only_here" not in table_names(second)


def test_closing_a_backend_drops_its_tables_and_removes_its_spill_folder():
    backend = engine.local()
    table = backend.register(pd.DataFrame({"x": [1, 2]}))
    assert backend.spill_dir.exists() and table.get_name() in backend.tables
    names_before = table_names(backend)
    backend.close()
    assert table.get_name() in names_before
    assert not backend.spill_dir.exists() and backend.tables == () and backend.closed


def test_a_frame_registered_like_the_events_lands_on_their_backend_and_joins_with_them():
    events = small_events()
    side = engine.register(pd.DataFrame({"customer_id": ["a"], "tier": ["gold"]}), like=events)
    assert engine.backend_of(side) is engine.backend_of(events)
    joined = events.join(side, "customer_id")
    assert engine.execute(joined.aggregate(n=joined.count()))["n"].iloc[0] == 3


def test_a_side_table_on_another_backend_is_copied_next_to_the_events_for_a_join():
    events = small_events()
    elsewhere = engine.register(pd.DataFrame({"customer_id": ["b"], "tier": ["new"]}))
    assert engine.backend_of(elsewhere).con is not engine.backend_of(events).con
    moved = engine.colocate(elsewhere, like=events)
    assert engine.backend_of(moved) is engine.backend_of(events)
    assert engine.execute(moved)["tier"].tolist() == ["new"]


def test_ordered_string_aggregation_and_its_portable_twin_agree():
    t = small_events()
    results = []
    for twin in (False, True):
        expr = t.group_by("customer_id").aggregate(path=engine.ordered_concat(
            t, t.event, " > ", order_by=[t.timestamp, t.row_id], where=t.event != "z", twin=twin))
        results.append(engine.execute(expr.order_by("customer_id"))["path"].tolist())
    # a: y (1 Jan), z (2 Jan, left out), x (3 Jan); b: p then q at the same moment, file order decides
    assert results[0] == results[1] == ["y > x", "p > q"]


def test_a_median_with_a_condition_is_the_median_of_the_rows_where_it_holds():
    t = engine.register(pd.DataFrame({"g": ["a"] * 5, "x": [1.0, 2.0, 10.0, 20.0, 30.0]}))
    got = engine.execute(t.group_by("g").aggregate(m=engine.median_where(t.x, t.x < 15)))["m"].iloc[0]
    assert got == 2.0  # median of 1, 2, 10


def test_a_url_is_shown_with_its_password_masked():
    assert engine.masked("postgresql://ana:s3cret@db.example.com:5432/shop") == "postgresql://ana:***@db.example.com:5432/shop"
    assert engine.masked("snowflake://ana@acct/db?password=s3cret&warehouse=w") == "snowflake://ana@acct/db?password=***&warehouse=w"
    assert engine.masked("spark://local[2]") == "spark://local[2]"


def test_a_url_comes_from_an_environment_variable_or_a_placeholder_never_typed(monkeypatch):
    monkeypatch.setenv("CJM_TEST_URL", "postgresql://ana:s3cret@h/db")
    monkeypatch.setenv("CJM_TEST_PASSWORD", "s3cret")
    assert engine.resolve_url("CJM_TEST_URL") == "postgresql://ana:s3cret@h/db"
    assert engine.resolve_url("postgresql://ana:${CJM_TEST_PASSWORD}@h/db") == "postgresql://ana:s3cret@h/db"
    assert engine.resolve_url("MY_URL", secrets={"MY_URL": "duckdb://x"}) == "duckdb://x"
    with pytest.raises(CJMError, match="CJM_NOT_SET"):
        engine.resolve_url("CJM_NOT_SET")


def test_a_failed_connection_names_the_server_but_never_the_password():
    with pytest.raises(CJMError) as caught:
        engine.connect("postgresql://ana:s3cret@127.0.0.1:1/shop")
    assert "s3cret" not in str(caught.value) and "ana:***@127.0.0.1:1/shop" in str(caught.value)


def test_an_unknown_source_kind_is_explained():
    with pytest.raises(CJMError, match="does not know the source kind 'ftp'"):
        engine.connect("ftp://example.com/events")


def test_a_warehouse_without_its_ibis_extra_says_what_to_install():
    pytest.importorskip  # noqa: B018 - documents intent: these extras are not installed here
    try:
        import snowflake.connector  # noqa: F401
        pytest.skip("the snowflake extra is installed here")
    except ImportError:
        pass
    with pytest.raises(CJMError, match=r"pip install 'ibis-framework\[snowflake\]'"):
        engine.connect("snowflake://ana:s3cret@account/db/schema?warehouse=w")


def test_a_customer_sample_keeps_every_kth_customer_by_id_and_says_how_many():
    frame = pd.DataFrame({"customer_id": [f"c{i:02d}" for i in range(10) for _ in range(2)],
                          "timestamp": "2024-01-01", "event": "view"})
    events = engine.events_table(frame)
    sampled, sample = engine.sample_customers(events, 4)
    # 10 customers, at most 4: every 3rd by id (positions 0, 3, 6, 9)
    assert sample == {"customers": 10, "sampled": 4}
    kept = sorted(engine.execute(sampled.select("customer_id").distinct())["customer_id"])
    assert kept == ["c00", "c03", "c06", "c09"]
    assert engine.sample_customers(events, 10) == (events, None)
