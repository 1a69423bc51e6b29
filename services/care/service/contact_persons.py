"""A child's contact person (hovedkontakt): assigned by a caseworker, replaced only when said,
from the municipality's users care would accept as one."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn import permissions
from havn.auth import DataClass, Principal, Role
from havn.events.contracts.care import ContactPersonAssignedV1, ContactPersonUnassignedV1
from havn.pagination import Page
from havn.staff import holders_of, holds_role
from services.care import events, policy, repository
from services.care.domain import children
from services.care.domain.parts import CareRecord
from services.care.models import Child
from services.care.schemas import ContactPersonIn
from services.care.service.children import child_for


async def assign_contact_person(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    body: ContactPersonIn,
    today: date,
) -> CareRecord:
    """Makes a municipality user the child's contact person."""
    act = permissions.care.CONTACT_PERSON_ASSIGN
    child = await child_for(session, principal, child_id, act, for_update=True)
    username = children.check_username(body.username)
    previous = children.assign_contact_person(
        child,
        username=username,
        is_contact_person=await holds_role(session, username=username, role=Role.CONTACT_PERSON),
        replace=body.replace,
        today=today,
    )
    await session.flush()
    assert child.contact_person is not None
    await events.changes.record_change(
        session,
        principal,
        tenant=child.tenant_id,
        child_ids=[child.id],
        data_class=DataClass.PERSONAL,
        operation="contact-person.assign",
        event=ContactPersonAssignedV1(
            child_id=child.id,
            username=child.contact_person,
            previous_username=previous,
            assigned_on=today,
        ),
    )
    return await care_summary(session, principal=principal, child=child)


async def list_contact_persons(
    session: AsyncSession, *, first: int, after: str | None
) -> Page[str]:
    """Whom a child can be given: the municipality's users seen acting as contact persons
    there, the same rule `assign_contact_person` applies."""
    return await holders_of(session, role=Role.CONTACT_PERSON, first=first, after=after)


async def unassign_contact_person(
    session: AsyncSession, *, principal: Principal, child_id: uuid.UUID
) -> CareRecord:
    """Leaves the child without a contact person."""
    act = permissions.care.CONTACT_PERSON_ASSIGN
    child = await child_for(session, principal, child_id, act, for_update=True)
    previous = children.unassign_contact_person(child)
    await session.flush()
    await events.changes.record_change(
        session,
        principal,
        tenant=child.tenant_id,
        child_ids=[child.id],
        data_class=DataClass.PERSONAL,
        operation="contact-person.unassign",
        event=ContactPersonUnassignedV1(child_id=child.id, username=previous),
    )
    return await care_summary(session, principal=principal, child=child)


async def care_summary(session: AsyncSession, *, principal: Principal, child: Child) -> CareRecord:
    """The child's place in a caseload, as the caller sees it after the change."""
    (plan,) = await repository.care_plans_by_child_ids(session, [child.id], with_goals=False)
    return CareRecord(child=child, plan=plan, parts=policy.parts_of(child, principal))
