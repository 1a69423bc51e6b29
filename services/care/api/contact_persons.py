"""Routes of a child's contact person: assigned, replaced, unassigned, and whom to assign."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.care import policy, schemas
from services.care.schemas import CareSummaryOut, ContactPersonIn, ContactPersonOut
from services.care.service import contact_persons

router = APIRouter(prefix="/v1", route_class=IdempotentRoute, dependencies=policy.EVERY_REQUEST)


@router.get("/contact-persons")
async def list_contact_persons(
    principal: Annotated[Principal, permitted(permissions.care.CONTACT_PERSON_ASSIGN)],
    session: UnitOfWork,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[ContactPersonOut]:
    """The municipality's users a child can be given as contact person, by username."""
    page = await contact_persons.list_contact_persons(session, first=first, after=after)
    return page.map(schemas.present_contact_person)


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
