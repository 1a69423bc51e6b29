"""How community's mutations call community."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info


async def community_post(info: Info, path: str, body: dict[str, Any] | None = None) -> Any:
    return await info.context.services.call(
        info.context.principal, "community", "POST", path, json=body or {}
    )
