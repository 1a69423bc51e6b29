"""Routes for partners' grants to children (the municipality admin's oversight)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.community import policy
from services.community.schemas.grants import GrantOut
from services.community.service import grants

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.get("/grants")
async def list_grants(
    principal: Annotated[Principal, permitted(permissions.community.GRANTS_READ)],
    session: UnitOfWork,
    clock: Today,
    child_id: uuid.UUID | None = None,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[GrantOut]:
    """Partners' grants in the municipality, newest first (the admin's oversight)."""
    page = await grants.list_grants(
        session, principal=principal, child_id=child_id, first=first, after=after
    )
    today = clock.today()
    return page.map(lambda grant: GrantOut.of(grant, today))
