"""The kernel (havn/) never imports the applications: services, gateway, web, cli.

Every module under havn/ is parsed with `ast`, so an import inside a function counts as much
as one at the top, and so do `__import__`/`import_module` calls and `module:attribute` import
strings (what uvicorn is handed) whose module is spelled out in the source.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KERNEL = ROOT / "havn"
APPLICATIONS = frozenset({"services", "gateway", "web", "cli"})
# `package.module:attribute`, as uvicorn and entry points take a factory.
IMPORT_STRING = re.compile(r"^([A-Za-z_][\w.]*):[A-Za-z_]\w*$")
DYNAMIC_IMPORTS = frozenset({"__import__", "import_module"})


def _text(node: ast.expr) -> str | None:
    """A string literal's text; an f-string's with each placeholder as `x`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):  # its literal parts are never empty
        return "".join(_text(part) or "x" for part in node.values)
    return None


def imported_modules(source: str) -> Iterator[tuple[int, str]]:
    """Every module `source` imports, anywhere in it, with the line that imports it."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module is not None:  # relative: within havn
                yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args:
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else None
            if isinstance(function, ast.Name):
                name = function.id
            module = _text(node.args[0])
            if name in DYNAMIC_IMPORTS and module is not None:
                yield node.lineno, module
        elif isinstance(node, ast.expr):
            text = _text(node)
            match = IMPORT_STRING.match(text) if text is not None else None
            if match is not None:
                yield node.lineno, match.group(1)


def kernel_modules() -> list[Path]:
    return sorted(KERNEL.rglob("*.py"))


def test_the_import_finder_sees_every_way_of_importing() -> None:
    source = """
import services.intake.app
from gateway.app import create_app
import importlib

def late(name: str) -> None:
    from web.app import create_app
    importlib.import_module("cli.stack")
    __import__(f"services.{name}.app", fromlist=["SPEC"])
    start("gateway.app:create_app")
    start(f"services.{name}.app:create_app")
"""
    assert sorted({module.split(".")[0] for _, module in imported_modules(source)}) == [
        "cli",
        "gateway",
        "importlib",
        "services",
        "web",
    ]


def test_the_kernel_never_imports_services_gateway_web_or_the_composition_root() -> None:
    modules = kernel_modules()
    assert KERNEL / "events" / "credentials.py" in modules  # subpackages are walked too
    offences = sorted(
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in modules
        for line, module in imported_modules(path.read_text())
        if module.split(".")[0] in APPLICATIONS
    )
    assert offences == [], "the kernel imports an application:\n" + "\n".join(offences)
