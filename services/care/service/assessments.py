"""Assessments of a child's life domains, and the municipality's schedule for them."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn import permissions
from havn.auth import DataClass, Principal
from havn.events.contracts.care import AssessmentRecordedV1
from havn.permissions import require_tenant
from services.care import events, repository
from services.care.domain import assessments
from services.care.models import Assessment
from services.care.schemas import AssessmentIn, AssessmentScheduleIn
from services.care.service.care_plans import plan_for_change
from services.care.service.children import child_for


async def record_assessment(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    body: AssessmentIn,
    today: date,
) -> Assessment:
    """Today's assessment; the next falls due one municipal interval later."""
    act = permissions.care.ASSESSMENT_RECORD
    child = await child_for(session, principal, child_id, act)
    plan = await plan_for_change(session, child)
    assessment = assessments.record_assessment(
        plan,
        scores=[assessments.ScoreInput(domain=s.domain, score=s.score) for s in body.scores],
        childs_own_words=body.childs_own_words,
        notes=body.notes,
        interval_months=await repository.assessment_interval(session),
        by=principal.username,
        today=today,
    )
    await repository.add_all(session, [assessment])
    await events.changes.record_change(
        session,
        principal,
        tenant=child.tenant_id,
        child_ids=[child.id],
        data_class=DataClass.CONFIDENTIAL,
        operation="assessment.record",
        event=AssessmentRecordedV1(
            child_id=child.id,
            assessment_id=assessment.id,
            assessed_on=assessment.assessed_on,
            next_due_on=assessment.next_due_on,
        ),
    )
    return assessment


async def read_assessment_schedule(session: AsyncSession) -> int:
    """The municipality's months between assessments."""
    return await repository.assessment_interval(session)


async def set_assessment_schedule(
    session: AsyncSession, *, principal: Principal, body: AssessmentScheduleIn
) -> int:
    """The municipality's months between assessments, for assessments recorded from now on."""
    tenant = require_tenant(principal)
    months = assessments.check_interval(body.interval_months)
    await repository.set_assessment_interval(session, tenant=tenant, months=months)
    return months
