"""Routes for what a child, asked, says it would like to do."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.community import policy
from services.community.schemas.children import ChildCommunityOut, InterestsIn
from services.community.service import interests

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.put("/children/{child_id}/interests")
async def set_child_interests(
    child_id: uuid.UUID,
    body: InterestsIn,
    principal: Annotated[Principal, permitted(permissions.community.INTERESTS_RECORD)],
    session: UnitOfWork,
    clock: Today,
) -> ChildCommunityOut:
    """What the child, asked, says it would like to do (seed 002: ask the youth)."""
    today = clock.today()
    found = await interests.set_child_interests(
        session, principal=principal, child_id=child_id, body=body, today=today
    )
    (child,) = found.children
    return ChildCommunityOut.of(child, today, found.enrolled, None, None)
