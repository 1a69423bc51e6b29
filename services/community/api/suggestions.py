"""Routes for the offers and volunteers suggested for a child."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.community import policy
from services.community.schemas.suggestions import SuggestionsOut
from services.community.service import suggestions

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)

MAX_SUGGESTIONS = 50


@router.get("/children/{child_id}/suggestions")
async def suggestions_for_child(
    child_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.community.SUGGESTIONS_READ)],
    session: UnitOfWork,
    clock: Today,
    first: Annotated[int, Query(ge=1, le=MAX_SUGGESTIONS)] = 10,
) -> SuggestionsOut:
    """Offers and volunteers ranked by the interests and languages they share with the child."""
    today = clock.today()
    found = await suggestions.suggestions_for_child(
        session, principal=principal, child_id=child_id, first=first, today=today
    )
    return SuggestionsOut.of(
        found.child,
        found.offers,
        found.volunteers,
        enrolled=found.enrolled,
        today=today,
        limit_months=found.limit_months,
    )
