"""Route recording an outcome after settlement."""

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
from services.transition.schemas import OutcomeIn, OutcomeOut
from services.transition.service import outcomes

router = APIRouter(
    prefix="/v1",
    route_class=IdempotentRoute,
    dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)],
)


@router.post("/transitions/{child_id}/outcomes", status_code=201)
async def record_outcome(
    child_id: uuid.UUID,
    body: OutcomeIn,
    principal: Annotated[Principal, permitted(permissions.transition.TRANSITION_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> OutcomeOut:
    """Records where the child stands 1, 2, 4 or 5 years after settlement (or corrects it)."""
    outcome = await outcomes.record_outcome(
        session, principal=principal, child_id=child_id, body=body, today=clock.today()
    )
    return OutcomeOut.model_validate(outcome)
