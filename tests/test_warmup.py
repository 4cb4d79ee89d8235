"""A fresh server imports the pages' modules in the background (cjm.ui.warmup)."""

import subprocess
import sys
import textwrap

from cjm.ui import warmup


def test_the_modules_of_every_page_are_named_and_objects_imported_from_them_are_not():
    names = warmup.page_modules()
    assert {"cjm.journey.experiments", "cjm.ui.funnel", "cjm.ui.data", "cjm.customers.segments",
            "cjm.journey.funnel", "streamlit"} <= set(names)
    assert "cjm.journey.funnel.compute_funnel" not in names  # a function, imported from its module
    assert len(names) == len(set(names))


def test_page_modules_reads_a_folder_of_pages(tmp_path):
    (tmp_path / "a.py").write_text("import json\nfrom cjm.ui import data, widgets\nfrom cjm.stats import wilson_interval\n")
    (tmp_path / "b.py").write_text("from . import sibling\nimport json\n")
    assert warmup.page_modules(tmp_path) == ["json", "cjm.ui", "cjm.ui.data", "cjm.ui.widgets", "cjm.stats"]


def test_start_imports_what_the_funnel_page_needs_once_per_process():
    code = textwrap.dedent("""
        import sys, threading
        from cjm.ui import warmup
        assert "scipy.stats" not in sys.modules and "cjm.journey.experiments" not in sys.modules
        print(warmup.start(), warmup.start())
        next(t for t in threading.enumerate() if t.name == "cjm-warmup").join(120)
        print("scipy.stats" in sys.modules, "cjm.journey.experiments" in sys.modules, "cjm.ui.funnel" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False", "True", "True", "True"]


def test_the_imports_start_when_the_page_ends_with_st_stop(monkeypatch):
    class Stop(Exception):  # what st.stop() raises to end a page's script
        pass

    started = []
    monkeypatch.setattr(warmup, "start", lambda: started.append(True))
    try:
        with warmup.after_this_run():
            raise Stop
    except Stop:
        pass
    assert started == [True]
