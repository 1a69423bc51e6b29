"""Routes of the care plan: revised, approved, and its approved versions read."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter

from havn import permissions
from havn.auth import Principal
from havn.http import ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.care import policy, schemas
from services.care.schemas import (
    CarePlanIn,
    CarePlanOut,
    CarePlanVersionOut,
    ChildPageOut,
    ChildPagesIn,
)
from services.care.service import care_plans

router = APIRouter(prefix="/v1", route_class=IdempotentRoute, dependencies=policy.EVERY_REQUEST)


@router.put("/children/{child_id}/care-plan")
async def revise_care_plan(
    child_id: uuid.UUID,
    body: CarePlanIn,
    principal: Annotated[Principal, permitted(permissions.care.PLAN_REVISE)],
    session: UnitOfWork,
    clock: Today,
) -> CarePlanOut:
    """Sets the plan's goals and the child's words; an approved plan becomes REVISED."""
    record = await care_plans.revise_care_plan(
        session, principal=principal, child_id=child_id, body=body, today=clock.today()
    )
    return schemas.present_plan(record.plan, record.parts)


@router.post("/children/{child_id}/care-plan/approve")
async def approve_care_plan(
    child_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.care.PLAN_APPROVE)],
    session: UnitOfWork,
    clock: Today,
) -> CarePlanOut:
    """Approves the plan as it stands and keeps the approved version."""
    record = await care_plans.approve_care_plan(
        session, principal=principal, child_id=child_id, clock=clock
    )
    return schemas.present_plan(record.plan, record.parts)


@router.post("/care-plan-versions/batch")
async def care_plan_versions_by_child_ids(
    body: ChildPagesIn,
    principal: Annotated[Principal, permitted(permissions.care.DETAILS_READ)],
    session: UnitOfWork,
) -> ItemsOut[ChildPageOut[CarePlanVersionOut]]:
    """Each child's approved versions, newest first: who approved, when, what changed."""
    pages = await care_plans.read_care_plan_versions(session, principal=principal, body=body)
    return schemas.present_child_pages(pages, schemas.present_version)
