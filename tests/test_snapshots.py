"""Server caches bounded by bytes, and uploaded files kept under their content hash (cjm.data.snapshots)."""

import hashlib

from cjm.data.snapshots import ByteLRU, SnapshotStore, cache_bytes


def test_the_cache_evicts_the_least_recently_used_values_once_their_bytes_exceed_the_bound():
    evicted = []
    cache = ByteLRU(100, on_evict=lambda key, value: evicted.append(key))
    cache.put("a", "A", 40)
    cache.put("b", "B", 40)
    assert cache.get("a") == "A"  # a is now the most recently used
    cache.put("c", "C", 40)  # 120 bytes > 100: b (least recently used) goes
    assert evicted == ["b"] and "b" not in cache and cache.total_bytes == 80


def test_putting_a_new_value_under_a_held_key_returns_the_old_one_and_re_putting_the_same_one_returns_nothing():
    cache = ByteLRU(100)
    first, second = ["first"], ["second"]
    assert cache.put("k", first, 10) == []
    assert cache.put("k", first, 30) == [] and cache.total_bytes == 30  # the same value, measured again
    assert cache.put("k", second, 20) == [("k", first)] and cache.get("k") is second and cache.total_bytes == 20


def test_one_value_larger_than_the_bound_is_still_kept_alone():
    cache = ByteLRU(10)
    cache.put("a", "A", 5)
    cache.put("big", "B", 50)
    assert "big" in cache and "a" not in cache and len(cache) == 1


def test_the_bound_comes_from_CJM_CACHE_MB(monkeypatch):
    monkeypatch.setenv("CJM_CACHE_MB", "2")
    assert cache_bytes() == 2 * 1024 * 1024
    monkeypatch.setenv("CJM_CACHE_MB", "not a number")
    assert cache_bytes() == 1024 * 1024 * 1024  # the default, 1024 MB


def test_a_snapshot_is_named_by_the_sha256_of_its_bytes_and_read_back(tmp_path):
    store = SnapshotStore(tmp_path)
    name = store.save(b"customer_id,timestamp,event\n")
    assert name == hashlib.sha256(b"customer_id,timestamp,event\n").hexdigest()
    assert SnapshotStore(tmp_path).load(name) == b"customer_id,timestamp,event\n"  # another server, same folder
    assert store.load("0" * 64) is None


def test_a_file_reference_opens_from_its_snapshot_once_the_server_forgot_the_upload():
    from cjm.data.dataset import SourceFile
    from cjm.spec import FileRef
    from cjm.ui import data

    source = SourceFile(name="visits.csv", data=b"customer_id,timestamp,event\n1,2024-01-01,view\n", role="events")
    ref = data.remember_upload(source)
    assert ref.content == hashlib.sha256(source.data).hexdigest()
    data._uploads.clear()  # a restarted server: nothing in memory
    again = data.resolve(ref)
    assert again == source and again.digest == ref.digest
    gone = FileRef(name="old.csv", digest="d" * 64, content="0" * 64)
    assert data.resolve(gone) is None  # reported on the sidebar by data.missing_files(), not silently replaced
