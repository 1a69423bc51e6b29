"""Route writing a child's transition plan."""

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
from services.transition.schemas import PlanIn, TransitionOut, present_transition
from services.transition.service import plans

router = APIRouter(
    prefix="/v1",
    route_class=IdempotentRoute,
    dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)],
)


@router.put("/transitions/{child_id}/plan")
async def write_transition_plan(
    child_id: uuid.UUID,
    body: PlanIn,
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> TransitionOut:
    """Replaces the plan's goals (housing, education, work, finances, health) and own words."""
    today = clock.today()
    transition = await plans.write_plan(
        session, principal=principal, child_id=child_id, body=body, today=today
    )
    return present_transition(transition, today)
