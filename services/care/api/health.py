"""Routes of a child's health (special category data: caseworkers only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter

from havn import permissions
from havn.auth import Principal
from havn.http import ChildIdsIn, ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.care import policy, schemas
from services.care.schemas import (
    GeneralPractitionerIn,
    HealthOut,
    MentalHealthReferralIn,
    ScreeningIn,
)
from services.care.service import health

router = APIRouter(prefix="/v1", route_class=IdempotentRoute, dependencies=policy.EVERY_REQUEST)


@router.post("/health/batch")
async def health_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.care.HEALTH_READ)],
    session: UnitOfWork,
) -> ItemsOut[HealthOut]:
    """Health of many children, for caseworkers; a read of sensitive data, logged as such."""
    records = await health.read_health(session, principal=principal, body=body)
    return schemas.present_health_of_children(records)


@router.put("/children/{child_id}/health/general-practitioner")
async def set_general_practitioner(
    child_id: uuid.UUID,
    body: GeneralPractitionerIn,
    principal: Annotated[Principal, permitted(permissions.care.HEALTH_RECORD)],
    session: UnitOfWork,
) -> HealthOut:
    records = await health.set_general_practitioner(
        session, principal=principal, child_id=child_id, body=body
    )
    return schemas.present_health(child_id, records)


@router.post("/children/{child_id}/health/screenings", status_code=201)
async def record_screening(
    child_id: uuid.UUID,
    body: ScreeningIn,
    principal: Annotated[Principal, permitted(permissions.care.HEALTH_RECORD)],
    session: UnitOfWork,
    clock: Today,
) -> HealthOut:
    records = await health.record_screening(
        session, principal=principal, child_id=child_id, body=body, today=clock.today()
    )
    return schemas.present_health(child_id, records)


@router.post("/children/{child_id}/health/mental-health-referrals", status_code=201)
async def refer_to_mental_health(
    child_id: uuid.UUID,
    body: MentalHealthReferralIn,
    principal: Annotated[Principal, permitted(permissions.care.HEALTH_RECORD)],
    session: UnitOfWork,
    clock: Today,
) -> HealthOut:
    records = await health.refer_to_mental_health(
        session, principal=principal, child_id=child_id, body=body, today=clock.today()
    )
    return schemas.present_health(child_id, records)
