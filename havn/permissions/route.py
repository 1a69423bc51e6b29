"""A service route's permission, as a FastAPI dependency named in the route's signature."""

from __future__ import annotations

from typing import Any

from fastapi import Depends

from havn.auth.dependencies import CurrentPrincipal
from havn.auth.principal import Principal
from havn.permissions.permission import Permission


class Permitted:
    """Resolves to the caller once its permission allows the route's action."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    async def __call__(self, principal: CurrentPrincipal) -> Principal:
        return self.permission.require(principal)


def permitted(permission: Permission) -> Any:
    """`principal: Annotated[Principal, permitted(care.HEALTH_WRITE)]` in a route's signature."""
    return Depends(Permitted(permission))
