"""Routes of a child's contact person: assigned, replaced, unassigned."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.care import policy, schemas
from services.care.schemas import CareSummaryOut, ContactPersonIn
from services.care.service import contact_persons

router = APIRouter(prefix="/v1", route_class=IdempotentRoute, dependencies=policy.EVERY_REQUEST)


@router.put("/children/{child_id}/contact-person")
async def assign_contact_person(
    child_id: uuid.UUID,
    body: ContactPersonIn,
    principal: Annotated[Principal, permitted(permissions.care.CONTACT_PERSON_ASSIGN)],
    session: UnitOfWork,
    clock: Today,
) -> CareSummaryOut:
    """Makes a municipality user the child's contact person (hovedkontakt)."""
    today = clock.today()
    record = await contact_persons.assign_contact_person(
        session, principal=principal, child_id=child_id, body=body, today=today
    )
    return schemas.present_summary(record, today)


@router.delete("/children/{child_id}/contact-person")
async def unassign_contact_person(
    child_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.care.CONTACT_PERSON_ASSIGN)],
    session: UnitOfWork,
    clock: Today,
) -> CareSummaryOut:
    record = await contact_persons.unassign_contact_person(
        session, principal=principal, child_id=child_id
    )
    return schemas.present_summary(record, clock.today())
