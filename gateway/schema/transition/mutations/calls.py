"""How transition's mutations call transition about one child."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from gateway.security import caller, parse_id


async def change_transition(
    info: Info, child_id: strawberry.ID, method: str, action: str, body: dict[str, Any]
) -> Any:
    principal = caller(info)
    return await info.context.services.call(
        principal,
        "transition",
        method,
        f"/v1/transitions/{parse_id(child_id, 'childId')}/{action}",
        json=body,
    )
