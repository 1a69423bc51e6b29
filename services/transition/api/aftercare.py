"""Route recording an aftercare decision."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.transition import policy
from services.transition.schemas import AftercareDecisionIn, TransitionOut, present_transition
from services.transition.service import aftercare

router = APIRouter(
    prefix="/v1",
    route_class=IdempotentRoute,
    dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)],
)


@router.post("/transitions/{child_id}/aftercare-decisions", status_code=201)
async def decide_aftercare(
    child_id: uuid.UUID,
    body: AftercareDecisionIn,
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> TransitionOut:
    """Records an aftercare offer, acceptance or decline (from the 18th birthday)."""
    transition = await aftercare.decide_aftercare(
        session, principal=principal, child_id=child_id, body=body, clock=clock
    )
    return present_transition(transition, clock.today())
