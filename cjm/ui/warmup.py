"""A fresh server imports every page's modules in the background once its first page is drawn.

Streamlit imports a page's modules the first time someone opens it. On a fresh server that import sat
between a user's first upload and their first chart: the Funnel page's scipy.stats alone took 0.7 s
(benchmarks/first_chart.py, run 1). Imported by a thread after the first page is drawn, while the user
reads it, no page waits for them later. The import system's per-module locks make a page that asks for a
module the thread is importing wait for it, never import it twice.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import logging
import threading
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

PAGES = Path(__file__).resolve().parents[2] / "app_pages"
_started = False
_lock = threading.Lock()


def page_modules(folder: Path = PAGES) -> list[str]:
    """The modules the page scripts in `folder` import (`from a.b import c` names a.b, and a.b.c when c is a
    module), in the order they are first named."""
    names: list[str] = []
    for page in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
                names.extend(f"{node.module}.{alias.name}" for alias in node.names if _is_module(f"{node.module}.{alias.name}"))
    return list(dict.fromkeys(names))


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # the parent is a module, not a package: `name` is one of its objects
        return False


def _import_all() -> None:
    for name in page_modules():
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the page itself will report it when opened
            log.warning("Importing %s ahead of its page failed", name, exc_info=True)


def start() -> bool:
    """Import every page's modules on a background thread, once per process; True if this call started it."""
    global _started
    with _lock:
        if _started:
            return False
        _started = True
    threading.Thread(target=_import_all, name="cjm-warmup", daemon=True).start()
    return True


@contextmanager
def after_this_run():
    """Start the imports when the page drawn inside the block is done, however it ends (a page's st.stop()
    ends the script with an exception)."""
    try:
        yield
    finally:
        start()
