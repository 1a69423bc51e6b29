"""The gateway's modules import one another in one direction: no cycle, so no import hidden in
a function to break one."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GATEWAY = ROOT / "gateway"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(GATEWAY.rglob("*.py"))}


def imported_modules(name: str, tree: ast.AST) -> set[str]:
    """The gateway modules a module imports (a package's own __init__ left aside: it runs
    before any of its modules, whoever imports them)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {module for module in found & MODULES.keys() if not name.startswith(f"{module}.")}


def imports_in_functions(tree: ast.AST) -> list[int]:
    return [
        inner.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Import | ast.ImportFrom)
    ]


TREES = {name: ast.parse(path.read_text()) for name, path in MODULES.items()}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_gateway_module_imports_inside_a_function(name: str) -> None:
    assert imports_in_functions(TREES[name]) == [], f"{name} imports at these lines"


def test_no_two_gateway_modules_import_each_other_even_through_others() -> None:
    graph = {name: imported_modules(name, tree) for name, tree in TREES.items()}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as cycle:
        pytest.fail(f"import cycle: {' -> '.join(cycle.args[1])}")
    assert set(order) == set(MODULES)
