"""The modules' objects are set aside from the cyclic garbage collector once they are imported."""

import gc
import sys
import types

from cjm.engine import settle_imports


def test_objects_alive_after_an_import_are_frozen_once_and_again_only_after_another_import():
    settle_imports()  # whatever the test session imported so far
    assert settle_imports() is False  # nothing imported since: nothing to do
    sys.modules["cjm_test_fresh_module"] = types.ModuleType("cjm_test_fresh_module")
    try:
        kept = [object(), {}]  # alive now: frozen with the rest
        assert any(o is kept for o in gc.get_objects())  # walked by every collection
        assert settle_imports() is True
        assert not any(o is kept for o in gc.get_objects())  # set aside (the permanent generation)
        assert gc.get_freeze_count() > 0
        assert settle_imports() is False
    finally:
        del sys.modules["cjm_test_fresh_module"]


def test_a_cycle_made_after_the_freeze_is_still_collected():
    settle_imports()

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a reference cycle: only the cyclic collector frees it
    marker = []
    import weakref
    ref = weakref.ref(a, lambda _: marker.append("freed"))
    del a, b
    gc.collect()
    assert ref() is None and marker == ["freed"]


def test_a_frozen_object_is_freed_by_reference_counting_when_nothing_refers_to_it():
    class Held:
        pass

    held = Held()
    import weakref
    ref = weakref.ref(held)
    sys.modules["cjm_test_other_module"] = types.ModuleType("cjm_test_other_module")
    try:
        assert settle_imports() is True  # `held` is alive: frozen
    finally:
        del sys.modules["cjm_test_other_module"]
    del held
    assert ref() is None


def test_a_cycle_frozen_while_alive_is_freed_by_the_eviction_collection():
    from cjm.data.snapshots import free_memory
    import weakref

    class Backendish:
        pass

    backend, connection = Backendish(), Backendish()
    backend.con, connection.owner = connection, backend  # as a DuckDBBackend and its Ibis connection
    ref = weakref.ref(backend)
    sys.modules["cjm_test_third_module"] = types.ModuleType("cjm_test_third_module")
    try:
        assert settle_imports() is True  # the pair is alive: frozen
    finally:
        del sys.modules["cjm_test_third_module"]
    del backend, connection
    gc.collect()
    assert ref() is not None  # the usual collections do not walk frozen objects
    free_memory()
    assert ref() is None
    assert gc.get_freeze_count() > 0  # what is still alive is set aside again


def test_the_command_line_ends_without_warnings_about_objects_left_frozen(tmp_path):
    import subprocess
    from pathlib import Path

    events = tmp_path / "events.csv"
    events.write_text("customer_id,timestamp,event\na,2024-01-01 10:00,visit\na,2024-01-02 10:00,purchase\n"
                      "b,2024-01-01 11:00,visit\n")
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-m", "cjm", "report", str(events), "--out", str(tmp_path / "r.json")],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "leaked" not in done.stderr and "nanobind" not in done.stderr
    assert (tmp_path / "r.json").exists()
