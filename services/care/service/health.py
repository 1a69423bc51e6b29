"""Health (special category data, caseworkers only): the GP, screenings and mental-health
referrals, read and recorded."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn import permissions
from havn.auth import DataClass, Principal
from havn.http import ChildIdsIn
from services.care import events, repository
from services.care.domain import health
from services.care.domain.parts import CarePart
from services.care.models import Child
from services.care.repository import HealthRecords
from services.care.schemas import GeneralPractitionerIn, MentalHealthReferralIn, ScreeningIn
from services.care.service.children import child_for, readable_children

ACT = permissions.care.HEALTH_RECORD


async def read_health(
    session: AsyncSession, *, principal: Principal, body: ChildIdsIn
) -> HealthRecords:
    """Health of many children, for caseworkers; a read of sensitive data, logged as such."""
    children = await readable_children(session, principal, body.child_ids, CarePart.HEALTH)
    ids = [child.id for child in children]
    records = await repository.health_by_child_ids(session, ids)
    await events.changes.record_read(
        session, principal, child_ids=ids, data_class=DataClass.SENSITIVE, operation="health.read"
    )
    return records


async def set_general_practitioner(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    body: GeneralPractitionerIn,
) -> HealthRecords:
    """The child's GP (fastlege)."""
    child = await child_for(session, principal, child_id, ACT)
    profile = health.set_general_practitioner(
        child,
        await repository.get_health_profile(session, child.id),
        name=body.name,
        practice=body.practice,
    )
    return await keep_health_record(session, principal, child, profile, operation="health.gp")


async def record_screening(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    body: ScreeningIn,
    today: date,
) -> HealthRecords:
    """A screening of the child (tuberculosis, say), dated today or earlier."""
    child = await child_for(session, principal, child_id, ACT)
    screening = health.record_screening(
        child,
        kind=body.kind,
        screened_on=body.screened_on,
        findings=body.findings,
        by=principal.username,
        today=today,
    )
    return await keep_health_record(
        session, principal, child, screening, operation="health.screening"
    )


async def refer_to_mental_health(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    body: MentalHealthReferralIn,
    today: date,
) -> HealthRecords:
    """A referral to a mental-health service, dated today or earlier."""
    child = await child_for(session, principal, child_id, ACT)
    referral = health.refer_to_mental_health(
        child,
        service=body.service,
        referred_on=body.referred_on,
        reason=body.reason,
        by=principal.username,
        today=today,
    )
    return await keep_health_record(
        session, principal, child, referral, operation="health.mental-health-referral"
    )


async def keep_health_record(
    session: AsyncSession, principal: Principal, child: Child, row: object, *, operation: str
) -> HealthRecords:
    """Saves one of the child's health records, logged as a write of sensitive data, and
    reads the child's health back as it now is."""
    await repository.add_all(session, [row])
    await events.changes.record_change(
        session,
        principal,
        tenant=child.tenant_id,
        child_ids=[child.id],
        data_class=DataClass.SENSITIVE,
        operation=operation,
    )
    return await repository.health_by_child_ids(session, [child.id])
