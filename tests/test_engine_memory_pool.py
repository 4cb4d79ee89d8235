"""Arrow's buffers come from the C library's malloc unless ARROW_DEFAULT_MEMORY_POOL says otherwise."""

import os
import subprocess
import sys


def _pool(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if env_value:
        env["ARROW_DEFAULT_MEMORY_POOL"] = env_value
    code = "import cjm.engine, pyarrow as pa; print(pa.default_memory_pool().backend_name)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_the_engine_puts_arrow_buffers_on_the_system_allocator():
    assert _pool(None) == "system"


def test_an_explicit_arrow_memory_pool_setting_is_respected():
    assert _pool("mimalloc") == "mimalloc"
