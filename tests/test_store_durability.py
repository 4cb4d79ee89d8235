"""The store survives what happens to real servers: a save killed midway (SIGKILL), an app restart, and
a database made by the first schema that must open after migration. On SQLite and real PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from cjm.spec import DashboardSpec
from cjm.store import Store, read_snapshot, take_snapshot, tokens
from cjm.store.store import make_engine, migrate
from tests.test_store import CSV, tiny

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    return f"sqlite:///{tmp_path / 'cjm.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")


def run_python(code: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE, **kwargs)


KILLED_SAVE = """
    import sys, time
    from sqlalchemy import event
    from sqlalchemy.orm import Session
    from cjm.data.dataset import SourceFile, load_dataset
    from cjm.store import Store, models, take_snapshot

    url, dashboard_id, owner = sys.argv[1:4]
    store = Store(url)
    csv = open(sys.argv[4], "rb").read()
    snapshot = take_snapshot(load_dataset([SourceFile(name="events.csv", data=csv)]))

    @event.listens_for(Session, "after_flush")
    def stall(session, context):  # the new snapshot and version rows are written, not committed
        if any(isinstance(o, models.Version) for o in session.new):
            print("written, not committed", flush=True)
            time.sleep(600)

    store.save_version(int(dashboard_id), owner, snapshot=snapshot, spec={"title": "never committed"})
    print("committed", flush=True)
"""


def test_a_save_killed_midway_leaves_every_earlier_version_intact(url, tmp_path):
    store = Store(url)
    saved = store.create(title="Checkout", snapshot=take_snapshot(tiny()), spec=DashboardSpec(title="v1").to_dict())
    store.save_version(saved.dashboard_id, saved.owner_token, snapshot=take_snapshot(tiny()),
                       spec=DashboardSpec(title="v2").to_dict())
    store.close()
    bigger = tmp_path / "bigger.csv"
    bigger.write_bytes(CSV + b"".join(b"n%d,2024-02-01 08:00,page_view,web\n" % i for i in range(2000)))

    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(KILLED_SAVE), url, str(saved.dashboard_id),
                             saved.owner_token, str(bigger)], cwd=ROOT, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == "written, not committed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    reopened = Store(url)
    try:
        info = reopened.dashboards([saved.owner_token])[0]
        assert [v.number for v in info.versions] == [1, 2]
        assert reopened.snapshot_count() == 1  # the killed save's snapshot was never committed
        assert reopened.open_version(saved.dashboard_id, saved.owner_token, 1).spec["title"] == "v1"
        latest = reopened.open_shared(saved.share_token)
        assert (latest.version, latest.spec["title"]) == (2, "v2")
        assert latest.snapshot.meta["events"] == 6
        # and the database takes the next save as usual
        assert reopened.save_version(saved.dashboard_id, saved.owner_token, snapshot=take_snapshot(tiny()),
                                     spec={"title": "v3"}).version == 3
    finally:
        reopened.close()


def test_a_dashboard_saved_by_one_process_opens_in_a_fresh_one(url):
    """An app restart: the saving process is gone; a new process finds the dashboard by its links."""
    saver = run_python("""
        import json, sys
        from cjm.data.dataset import load_dataset
        from cjm.spec import DashboardSpec
        from cjm.store import Store, take_snapshot
        store = Store(sys.argv[1])
        spec = DashboardSpec(title="Board")
        spec.pages["funnel"] = {"steps": ["page_view", "purchase"], "step_kind": "event"}
        saved = store.create(title="Board", owner_name="Ann", spec=spec.to_dict(),
                             snapshot=take_snapshot(load_dataset(["data/demo_events.csv.gz"])))
        print(json.dumps({"share": saved.share_token, "owner": saved.owner_token}))
    """.replace("sys.argv[1]", repr(url)))
    out, _ = proc_out(saver)
    links = json.loads(out)
    store = Store(url)
    try:
        opened = store.open_shared(links["share"])
        assert opened.dashboard.owner_name == "Ann"
        assert opened.spec["pages"]["funnel"]["steps"] == ["page_view", "purchase"]
        parsed = read_snapshot(opened.snapshot, key="restart")
        assert parsed.accounting.rows_used == opened.snapshot.meta["rows_used"]
        assert [d.title for d in store.dashboards([links["owner"]])] == ["Board"]
    finally:
        store.close()


def proc_out(proc):
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return out, err


def test_a_database_made_by_the_first_schema_opens_after_migration(url):
    engine = make_engine(url)
    migrate(engine, "0001")
    snapshot = take_snapshot(tiny())
    owner, share = "owner-token-from-an-old-cjm-0001", "share-token-from-an-old-cjm-0001"
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO snapshots (hash, events, customers, rows, created_at) "
                                "VALUES (:h, :e, NULL, 6, '2024-05-01 10:00:00+00')"),
                           {"h": snapshot.hash, "e": snapshot.events})
        connection.execute(text(
            "INSERT INTO dashboards (title, description, owner_name, owner_token_hash, share_token_hash, created_at, "
            "updated_at) VALUES ('Old board', 'saved by the first schema', 'Ann', :o, :s, '2024-05-01 10:00:00+00', "
            "'2024-05-01 10:00:00+00')"), {"o": tokens.hash_token(owner), "s": tokens.hash_token(share)})
        connection.execute(text(
            "INSERT INTO versions (dashboard_id, number, spec, mappings, maps, snapshot_hash, created_at) "
            "VALUES (1, 1, :spec, '{}', '[]', :h, '2024-05-01 10:00:00+00')"),
            {"spec": json.dumps({"title": "Old board", "pages": {"funnel": {"steps": ["page_view", "purchase"]}}}),
             "h": snapshot.hash})
    engine.dispose()

    store = Store(url)  # opening migrates to the head revision
    try:
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
        opened = store.open_shared(share)  # the old share token moved into the shares table
        assert (opened.dashboard.title, opened.dashboard.owner_name) == ("Old board", "Ann")
        assert opened.spec["pages"]["funnel"]["steps"] == ["page_view", "purchase"]
        assert opened.snapshot.rejected is None and opened.snapshot.meta["events"] == 6
        parsed = read_snapshot(opened.snapshot, key="migrated")
        assert parsed.accounting.rows_used == 6
        assert store.save_version(1, owner, snapshot=take_snapshot(tiny()), spec={"title": "new"}).version == 2
    finally:
        store.close()
