"""Route recording a youth's housing."""

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
from services.transition.schemas import HousingIn, TransitionOut, present_transition
from services.transition.service import housing

router = APIRouter(
    prefix="/v1",
    route_class=IdempotentRoute,
    dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)],
)


@router.put("/transitions/{child_id}/housing")
async def record_housing(
    child_id: uuid.UUID,
    body: HousingIn,
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> TransitionOut:
    today = clock.today()
    transition = await housing.record_housing(
        session, principal=principal, child_id=child_id, body=body, today=today
    )
    return present_transition(transition, today)
