"""What an area of the client brings: its routes, its nav entries, its templates and operations.

Adding a page for a role is one module (routes), one template folder, its `.graphql`
operations and a `NavItem` here: `web/app.py` lists the areas, nothing else changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter

WEB_DIR = Path(__file__).parent


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation, shown only to the roles that can use it."""

    label: str  # a msgid, marked with N_() and translated when rendered
    path: str
    roles: frozenset[str]

    def shown_to(self, roles: Iterable[str]) -> bool:
        return not self.roles.isdisjoint(roles)


@dataclass(frozen=True)
class Area:
    """An area of the client: `web/<name>/` with `templates/` and `operations/*.graphql`."""

    name: str
    router: APIRouter
    nav: tuple[NavItem, ...] = field(default_factory=tuple)

    @property
    def templates_dir(self) -> Path:
        return WEB_DIR / self.name / "templates"

    @property
    def operations_dir(self) -> Path:
        return WEB_DIR / self.name / "operations"
