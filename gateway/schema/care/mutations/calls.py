"""How care's mutations call care about one child."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from gateway.security import caller, parse_id


async def call_care_on_child(
    info: Info,
    child_id: strawberry.ID,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
) -> Any:
    """Calls care about one child (the mutation has declared who may)."""
    return await info.context.services.call(
        caller(info),
        "care",
        method,
        f"/v1/children/{parse_id(child_id, 'childId')}/{path}",
        json=body,
    )
