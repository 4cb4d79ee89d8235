"""Saved dashboards on SQLite and on a real PostgreSQL server: save, open, version, restore, delete;
owner versus viewer rights; wrong, expired, revoked and deleted links; the snapshot stored once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, text

from cjm.data.dataset import SourceFile, build_dataset, load_dataset
from cjm.journey.funnel import FunnelParams, compute_funnel
from cjm.spec import DashboardSpec
from cjm.store import LinkError, Store, StoreError, read_snapshot, take_snapshot, tokens
from tests.helpers import SMALL_EXPORT

CSV = SMALL_EXPORT


def tiny(csv: bytes = CSV):
    return load_dataset([SourceFile(name="events.csv", data=csv)])


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    url = (f"sqlite:///{tmp_path / 'cjm.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    opened = Store(url)
    yield opened
    opened.close()


def spec_with(title="Checkout", steps=("page_view", "add_to_cart", "purchase")) -> dict:
    spec = DashboardSpec(title=title)
    spec.pages["funnel"] = {"steps": list(steps), "step_kind": "event"}
    spec.pages["_views"] = {"cjm.funnel.tab": "Breakdown"}
    return spec.to_dict()


def test_a_saved_dashboard_opens_by_its_share_link_with_the_same_spec_and_data(store):
    saved = store.create(title="Checkout", description="Q1 funnel", owner_name="Ann", snapshot=take_snapshot(tiny()),
                         spec=spec_with())
    assert saved.version == 1 and len(saved.share_token) >= 22 and saved.owner_token != saved.share_token
    opened = store.open_shared(saved.share_token)
    assert opened.read_only and opened.dashboard.title == "Checkout" and opened.dashboard.owner_name == "Ann"
    assert opened.spec["pages"]["funnel"]["steps"] == ["page_view", "add_to_cart", "purchase"]
    assert opened.spec["pages"]["_views"] == {"cjm.funnel.tab": "Breakdown"}
    meta = opened.snapshot.meta
    assert meta["first"].startswith("2024-01-01") and meta["last"].startswith("2024-01-03")
    dataset = build_dataset(read_snapshot(opened.snapshot, key=f"t{saved.dashboard_id}{id(store)}"))
    funnel = compute_funnel(dataset, params=FunnelParams(steps=("page_view", "add_to_cart", "purchase"),
                                                         step_kind="event"))
    assert funnel["customers"].tolist() == [3, 2, 1]  # a, b, c viewed; a, b carted; a bought


def test_saving_again_makes_a_new_version_and_old_versions_still_open(store):
    first = store.create(title="Checkout", snapshot=take_snapshot(tiny()), spec=spec_with(title="v1"))
    owner = first.owner_token
    second = store.save_version(first.dashboard_id, owner, snapshot=take_snapshot(tiny()), spec=spec_with(title="v2"))
    assert second.version == 2
    assert store.open_shared(first.share_token).spec["title"] == "v2"  # links show the latest version
    assert store.open_version(first.dashboard_id, owner, 1).spec["title"] == "v1"
    assert [v.number for v in store.dashboards([owner])[0].versions] == [1, 2]


def test_the_same_data_is_stored_once_however_many_versions_use_it(store):
    saved = store.create(title="A", snapshot=take_snapshot(tiny()), spec=spec_with())
    store.save_version(saved.dashboard_id, saved.owner_token, snapshot=take_snapshot(tiny()), spec=spec_with())
    store.create(title="B", owner_token=saved.owner_token, snapshot=take_snapshot(tiny()), spec=spec_with())
    assert store.snapshot_count() == 1
    other = take_snapshot(tiny(CSV + b"d,2024-01-04 08:00,page_view,web\n"))
    store.save_version(saved.dashboard_id, saved.owner_token, snapshot=other, spec=spec_with())
    assert store.snapshot_count() == 2


def test_restoring_an_old_version_makes_it_the_latest_and_keeps_every_version(store):
    saved = store.create(title="Checkout", snapshot=take_snapshot(tiny()), spec=spec_with(title="v1"))
    store.save_version(saved.dashboard_id, saved.owner_token, snapshot=take_snapshot(tiny()),
                       spec=spec_with(title="v2"))
    restored = store.restore(saved.dashboard_id, saved.owner_token, 1)
    assert restored.version == 3
    info = store.dashboards([saved.owner_token])[0]
    assert [v.number for v in info.versions] == [1, 2, 3] and info.versions[-1].note == "restored from version 1"
    assert store.open_shared(saved.share_token).spec["title"] == "v1"


def test_renaming_changes_the_title_viewers_see(store):
    saved = store.create(title="Draft", snapshot=take_snapshot(tiny()), spec=spec_with())
    store.rename(saved.dashboard_id, saved.owner_token, title="Board view", description="for the board")
    opened = store.open_shared(saved.share_token)
    assert (opened.dashboard.title, opened.dashboard.description) == ("Board view", "for the board")
    with pytest.raises(StoreError, match="needs a title"):
        store.rename(saved.dashboard_id, saved.owner_token, title="  ")


def test_an_owner_lists_only_their_own_dashboards(store):
    ann = store.create(title="Ann's", snapshot=take_snapshot(tiny()), spec=spec_with())
    store.create(title="Ann's second", owner_token=ann.owner_token, snapshot=take_snapshot(tiny()), spec=spec_with())
    bob = store.create(title="Bob's", snapshot=take_snapshot(tiny()), spec=spec_with())
    assert sorted(d.title for d in store.dashboards([ann.owner_token])) == ["Ann's", "Ann's second"]
    assert [d.title for d in store.dashboards([bob.owner_token])] == ["Bob's"]
    both = store.dashboards([ann.owner_token, bob.owner_token])
    assert sorted(d.title for d in both) == ["Ann's", "Ann's second", "Bob's"]
    assert store.dashboards(["not-a-token"]) == [] and store.dashboards([]) == []


def test_a_share_token_cannot_change_or_delete_the_dashboard(store):
    saved = store.create(title="Checkout", snapshot=take_snapshot(tiny()), spec=spec_with(title="v1"))
    viewer = saved.share_token
    other = store.create(title="Other", snapshot=take_snapshot(tiny()), spec=spec_with())
    attempts = [
        lambda t: store.save_version(saved.dashboard_id, t, snapshot=take_snapshot(tiny()), spec=spec_with()),
        lambda t: store.rename(saved.dashboard_id, t, title="hacked"),
        lambda t: store.restore(saved.dashboard_id, t, 1),
        lambda t: store.delete(saved.dashboard_id, t),
        lambda t: store.share(saved.dashboard_id, t),
        lambda t: store.revoke(saved.dashboard_id, t, 1),
        lambda t: store.open_version(saved.dashboard_id, t, 1),
    ]
    for attempt in attempts:
        for token in (viewer, other.owner_token, "", "x" * 32):  # a share link, another owner's key, junk
            with pytest.raises(LinkError, match="Only its owner can change it"):
                attempt(token)
    assert store.dashboards([viewer]) == []
    opened = store.open_shared(viewer)
    assert (opened.dashboard.title, opened.version, opened.spec["title"]) == ("Checkout", 1, "v1")


@pytest.mark.parametrize("token", ["", "nonsense", "A" * 32, "' OR 1=1 --"])
def test_a_wrong_token_gets_a_plain_message_and_no_dashboard(store, token):
    store.create(title="Secret numbers", snapshot=take_snapshot(tiny()), spec=spec_with())
    with pytest.raises(LinkError) as caught:
        store.open_shared(token)
    assert "not valid" in str(caught.value) and "Secret" not in str(caught.value)


def test_an_expired_link_says_when_it_expired_and_a_new_expiry_reopens_it(store):
    past = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
    saved = store.create(title="Checkout", snapshot=take_snapshot(tiny()), spec=spec_with(), expires_at=past)
    with pytest.raises(LinkError, match="expired on 01 Mar 2024, 12:00 UTC"):
        store.open_shared(saved.share_token)
    share_id = store.dashboards([saved.owner_token])[0].shares[0].id
    future = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)
    store.set_share(saved.dashboard_id, saved.owner_token, share_id, expires_at=future)
    assert store.open_shared(saved.share_token).share.expires_at == future


def test_a_revoked_link_stops_working_while_another_link_keeps_working(store):
    saved = store.create(title="Checkout", snapshot=take_snapshot(tiny()), spec=spec_with())
    second = store.share(saved.dashboard_id, saved.owner_token, lock_filters=True)
    first_id = store.dashboards([saved.owner_token])[0].shares[0].id
    store.revoke(saved.dashboard_id, saved.owner_token, first_id)
    with pytest.raises(LinkError, match="revoked"):
        store.open_shared(saved.share_token)
    opened = store.open_shared(second)
    assert opened.share.lock_filters and opened.dashboard.title == "Checkout"


def test_a_deleted_dashboard_is_gone_with_its_data_and_its_links_say_so(store):
    saved = store.create(title="Checkout", snapshot=take_snapshot(tiny()), spec=spec_with())
    kept = store.create(title="Kept", owner_token=saved.owner_token,
                        snapshot=take_snapshot(tiny(CSV + b"z,2024-02-01 08:00,page_view,web\n")), spec=spec_with())
    store.delete(saved.dashboard_id, saved.owner_token)
    with pytest.raises(LinkError, match="deleted"):
        store.open_shared(saved.share_token)
    with pytest.raises(LinkError):
        store.open_version(saved.dashboard_id, saved.owner_token, 1)
    assert [d.title for d in store.dashboards([saved.owner_token])] == ["Kept"]
    assert store.snapshot_count() == 1  # the deleted dashboard's data went; the other's stayed
    assert store.open_shared(kept.share_token).dashboard.title == "Kept"


def test_an_unknown_version_is_a_plain_error(store):
    saved = store.create(title="Checkout", snapshot=take_snapshot(tiny()), spec=spec_with())
    with pytest.raises(StoreError, match="has no version 7; it has versions 1 to 1"):
        store.open_version(saved.dashboard_id, saved.owner_token, 7)


def test_only_hashes_of_tokens_reach_the_database(store):
    saved = store.create(title="Checkout", snapshot=take_snapshot(tiny()), spec=spec_with())
    with store.engine.connect() as connection:
        dumped = " ".join(str(row) for table in ("dashboards", "shares", "versions")
                          for row in connection.execute(text(f"SELECT * FROM {table}")))
    assert saved.owner_token not in dumped and saved.share_token not in dumped
    assert tokens.hash_token(saved.share_token) in dumped and tokens.hash_token(saved.owner_token) in dumped


def test_tokens_carry_at_least_128_bits_and_compare_by_hash():
    token = tokens.new_token()
    assert len(token) >= 22 and token != tokens.new_token()  # 24 bytes -> 32 url-safe characters
    assert tokens.matches(token, tokens.hash_token(token))
    assert not tokens.matches(token + "x", tokens.hash_token(token)) and not tokens.matches("", tokens.hash_token(""))


def test_the_default_database_is_a_sqlite_file_created_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("CJM_DATABASE_URL", raising=False)
    monkeypatch.setenv("CJM_DATA_DIR", str(tmp_path / "store"))
    opened = Store()
    try:
        assert opened.url.endswith("store/cjm.db") and (tmp_path / "store" / "cjm.db").exists()
    finally:
        opened.close()


def test_checking_a_link_reads_its_latest_version_and_fails_like_opening_it(store):
    saved = store.create(title="Checkout", snapshot=take_snapshot(tiny()), spec=spec_with())
    assert store.check_shared(saved.share_token) == 1
    store.save_version(saved.dashboard_id, saved.owner_token, snapshot=take_snapshot(tiny()), spec=spec_with())
    assert store.check_shared(saved.share_token) == 2
    store.revoke(saved.dashboard_id, saved.owner_token, store.dashboards([saved.owner_token])[0].shares[0].id)
    with pytest.raises(LinkError, match="revoked"):
        store.check_shared(saved.share_token)
    with pytest.raises(LinkError, match="not valid"):
        store.check_shared("nonsense")
