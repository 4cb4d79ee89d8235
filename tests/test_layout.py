"""The layout of DESIGN.md section 2, checked on the source: app_pages -> cjm.ui -> cjm core, never back and never in
a circle, imports inside functions counted; cjm core never imports streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _modules() -> dict[str, Path]:
    found = {}
    for path in (ROOT / "cjm").rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every module named by an import anywhere in the file (inside functions too), absolute."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            out |= {base} | {f"{base}.{a.name}" for a in node.names}
    return out


def _cjm_module(target: str) -> str | None:
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        targets = {_cjm_module(t) for t in _imports(name, path) if t.split(".")[0] == "cjm"}
        # a module importing its own package (its __init__) is no cycle
        graph[name] = {t for t in targets if t and t != name and not name.startswith(t + ".")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = counter[0]
                    counter[0] += 1
                    stack.append(step)
                    on.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_of_cjm_imports_another_that_imports_it_back_even_inside_a_function():
    assert _cycles(_graph()) == []


@pytest.mark.parametrize("name", sorted(n for n in MODULES if not n.startswith("cjm.ui")))
def test_the_core_never_imports_streamlit_nor_the_ui(name):
    targets = _imports(name, MODULES[name])
    assert not {t for t in targets if t.split(".")[0] == "streamlit"}, f"{name} imports streamlit"
    assert not {t for t in targets if t == "cjm.ui" or t.startswith("cjm.ui.")}, f"{name} imports cjm.ui"


def test_the_pages_import_the_core_and_the_ui_and_nothing_imports_the_pages():
    for path in (ROOT / "cjm").rglob("*.py"):
        assert "app_pages" not in {t.split(".")[0] for t in _imports("cjm.x", path)}, path
