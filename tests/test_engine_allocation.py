"""The engine sets how the process allocates: Arrow through malloc, NumPy without transparent huge pages,
unless ARROW_DEFAULT_MEMORY_POOL / NUMPY_MADVISE_HUGEPAGE say otherwise."""

import os
import subprocess
import sys

SETTINGS = ("ARROW_DEFAULT_MEMORY_POOL", "NUMPY_MADVISE_HUGEPAGE")


def _run(code: str, **env_values: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(env_values)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


POOL = "import cjm.engine, pyarrow as pa; print(pa.default_memory_pool().backend_name)"
HUGE = "import cjm.engine; from cjm.engine.allocation import numpy_uses_huge_pages; print(numpy_uses_huge_pages())"


def test_the_engine_puts_arrow_buffers_on_the_system_allocator():
    assert _run(POOL) == "system"


def test_an_explicit_arrow_memory_pool_setting_is_respected():
    assert _run(POOL, ARROW_DEFAULT_MEMORY_POOL="mimalloc") == "mimalloc"


def test_the_engine_turns_numpy_huge_pages_off():
    assert _run(HUGE) == "False"


def test_an_explicit_numpy_huge_page_setting_is_respected():
    assert _run(HUGE, NUMPY_MADVISE_HUGEPAGE="1") == "True"


def test_numpy_asks_for_huge_pages_by_default_so_the_setting_matters():
    without_cjm = "from numpy._core.multiarray import _set_madvise_hugepage as switch; print(switch(True))"
    assert _run(without_cjm) == "True"
