"""Each enum is defined once across services, gateway and kernel (havn/vocabulary.py holds those
the layers share): no Enum class name, and no set of members, appears in two modules.

Every module is parsed with `ast`, so an enum defined inside a function counts too. The gateway
shows a shared enum to GraphQL by wrapping it (`strawberry.enum(vocabulary.X, ...)`), which
defines no class and so is no second definition.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("services", "gateway", "havn")
ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum", "Flag", "IntFlag"})
Members = frozenset[tuple[str, object]]


def _base_name(base: ast.expr) -> str | None:
    if isinstance(base, ast.Name):
        return base.id
    if isinstance(base, ast.Attribute):  # enum.Enum
        return base.attr
    return None


def _members(enum: ast.ClassDef) -> Members:
    """The enum's members as (name, value) pairs; a value that is no literal counts by name."""
    members: set[tuple[str, object]] = set()
    for statement in enum.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name) and not target.id.startswith("_"):
                value = statement.value
                literal = value.value if isinstance(value, ast.Constant) else ast.dump(value)
                members.add((target.id, literal))
    return frozenset(members)


def enums_in(source: str) -> Iterator[tuple[str, Members]]:
    """Every Enum class `source` defines, anywhere in it: its name and its members."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and any(
            _base_name(base) in ENUM_BASES for base in node.bases
        ):
            yield node.name, _members(node)


def _definitions() -> tuple[dict[str, set[str]], dict[Members, set[str]]]:
    """Which modules define each enum name, and each set of members."""
    by_name: dict[str, set[str]] = defaultdict(set)
    by_members: dict[Members, set[str]] = defaultdict(set)
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            module = str(path.relative_to(ROOT))
            for name, members in enums_in(path.read_text()):
                by_name[name].add(module)
                by_members[members].add(f"{module}:{name}")
    return by_name, by_members


def test_the_enum_finder_sees_every_way_of_defining_an_enum() -> None:
    source = (
        "import enum\n"
        "from enum import Enum, StrEnum\n"
        "class A(StrEnum):\n    X = 'X'\n"
        "class B(enum.Enum):\n    Y = 1\n"
        "class C(str, Enum):\n    Z = 'Z'\n"
        "class NotAnEnum(Base):\n    X = 'X'\n"
        "def f():\n    class D(Enum):\n        W = 'W'\n"
    )

    assert dict(enums_in(source)) == {
        "A": frozenset({("X", "X")}),
        "B": frozenset({("Y", 1)}),
        "C": frozenset({("Z", "Z")}),
        "D": frozenset({("W", "W")}),
    }


def test_no_enum_name_is_defined_in_two_modules() -> None:
    by_name, _ = _definitions()

    twice = {name: sorted(modules) for name, modules in by_name.items() if len(modules) > 1}

    assert twice == {}, f"define each in havn/vocabulary.py (or where one layer keeps it): {twice}"


def test_no_enum_members_are_defined_twice() -> None:
    _, by_members = _definitions()

    twice = [sorted(enums) for members, enums in by_members.items() if len(enums) > 1]

    assert twice == [], f"one vocabulary under two names; define it once: {twice}"
