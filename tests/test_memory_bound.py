"""The loaded-data cache frees an evicted upload's in-process DuckDB, but never under a page still using
it, and a session whose upload was evicted gets the same numbers again (cjm.ui.data)."""

from __future__ import annotations

import weakref

import pytest

from cjm.data.dataset import SourceFile, build_dataset, parse_files
from cjm.data.filters import Filters
from cjm.ui import data
from tests.apptest import open_app


def upload(prefix: str, customers: int):
    rows = ["customer_id,timestamp,event"]
    rows += [f"{prefix}{i},2024-01-0{i % 9 + 1} 10:00:00,page_view" for i in range(customers)]
    rows += [f"{prefix}{i},2024-01-0{i % 9 + 1} 11:00:00,purchase" for i in range(customers // 2)]
    return SourceFile(name=f"{prefix}.csv", data=("\n".join(rows) + "\n").encode())


@pytest.fixture
def tiny_cache():
    """The server's loaded-data cache, emptied and bounded to 1 byte (it keeps only the newest upload)."""
    cache = data._loaded()
    bound = cache.max_bytes
    cache.remove_where(lambda key, value: True)
    cache.max_bytes = 1
    yield cache
    cache.max_bytes = bound
    cache.remove_where(lambda key, value: True)


def keep(name: str, customers: int):
    entry = data._Upload(parse_files([upload(name, customers)]))
    data._keep(("parsed", name), entry)
    return entry


def test_an_evicted_upload_frees_its_duckdb_and_spill_folder_once_no_page_uses_it(tiny_cache):
    first = keep("a", 20)
    backend = weakref.ref(first.backend)
    spill = first.backend.spill_dir
    assert spill.exists() and ("parsed", "a") in tiny_cache
    del first
    keep("b", 30)  # the bound holds one upload: "a" is evicted and, used by nobody, freed at once
    assert ("parsed", "a") not in tiny_cache and len(tiny_cache) == 1
    assert backend() is None and not spill.exists()
    assert "1 set of files" in data.memory_text() and "freed when" not in data.memory_text()


def test_an_evicted_upload_a_page_still_uses_stays_usable_until_that_page_lets_go(tiny_cache):
    first = keep("a", 20)
    # A page mid-run holds a view of it (filtered: it shares the upload's DuckDB).
    view = build_dataset(first.parsed).filtered(Filters())
    backend = weakref.ref(first.backend)
    del first
    keep("b", 30)
    assert ("parsed", "a") not in tiny_cache
    assert backend() is not None and not backend().closed  # not closed under the page using it
    counts = data.engine.execute(view.events.group_by("event").agg(n=view.events.count()))
    assert dict(zip(counts["event"], counts["n"])) == {"page_view": 20, "purchase": 10}
    assert "1 evicted upload is freed when the page using it finishes" in data.memory_text()
    del view, counts
    keep("c", 40)  # the next load collects what the finished page let go of
    assert backend() is None
    assert "freed when" not in data.memory_text()


def test_a_session_whose_upload_was_evicted_gets_the_same_figures_again_from_its_upload(tiny_cache):
    tiny_cache.max_bytes = 1024**3
    source = upload("z", 60)  # 60 customers: 60 page views + 30 purchases = 90 rows
    at = open_app("app_pages/data.py", files={source.name: source.data})
    figures = {m.label: m.value for m in at.metric}
    assert figures["Rows in"] == "90" and figures["Customers"] == "60"
    assert not at.exception
    tiny_cache.remove_where(lambda key, value: True)  # evicted, as if 50 other uploads came after it
    data.free_memory()
    at.run()
    assert not at.exception and not at.error
    assert {m.label: m.value for m in at.metric} == figures
