"""National statistics: suppressed aggregates only, never a person."""

from __future__ import annotations

from havn.auth.policy import DataClass, Role
from havn.permissions.permission import Permission

STATISTICS_READ = Permission(
    frozenset({Role.DIRECTORATE_ANALYST, Role.MUNICIPALITY_ADMIN}),
    DataClass.AGGREGATE,
    "read statistics",
    national=True,
)
