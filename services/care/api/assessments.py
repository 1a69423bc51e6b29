"""Routes of assessments and the municipality's assessment schedule."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.care import policy
from services.care.schemas import (
    AssessmentIn,
    AssessmentOut,
    AssessmentScheduleIn,
    AssessmentScheduleOut,
)
from services.care.service import assessments

router = APIRouter(prefix="/v1", route_class=IdempotentRoute, dependencies=policy.EVERY_REQUEST)


@router.post("/children/{child_id}/assessments", status_code=201)
async def record_assessment(
    child_id: uuid.UUID,
    body: AssessmentIn,
    principal: Annotated[Principal, permitted(permissions.care.ASSESSMENT_RECORD)],
    session: UnitOfWork,
    clock: Today,
) -> AssessmentOut:
    """Today's assessment; the next falls due one municipal interval later."""
    assessment = await assessments.record_assessment(
        session, principal=principal, child_id=child_id, body=body, today=clock.today()
    )
    return AssessmentOut.model_validate(assessment)


@router.get("/assessment-schedule")
async def read_assessment_schedule(
    principal: Annotated[Principal, permitted(permissions.care.ASSESSMENT_SCHEDULE_READ)],
    session: UnitOfWork,
) -> AssessmentScheduleOut:
    months = await assessments.read_assessment_schedule(session)
    return AssessmentScheduleOut(interval_months=months)


@router.put("/assessment-schedule")
async def set_assessment_schedule(
    body: AssessmentScheduleIn,
    principal: Annotated[Principal, permitted(permissions.care.ASSESSMENT_SCHEDULE_WRITE)],
    session: UnitOfWork,
) -> AssessmentScheduleOut:
    """The municipality's months between assessments, for assessments recorded from now on."""
    months = await assessments.set_assessment_schedule(session, principal=principal, body=body)
    return AssessmentScheduleOut(interval_months=months)
