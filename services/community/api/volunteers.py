"""Routes for volunteers of partner organisations and their police certificates."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.community import policy
from services.community.schemas.volunteers import (
    PoliceCertificateIn,
    VolunteerIn,
    VolunteerOut,
)
from services.community.service import volunteers

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.get("/volunteers")
async def list_volunteers(
    principal: Annotated[Principal, permitted(permissions.community.VOLUNTEERS_READ)],
    session: UnitOfWork,
    clock: Today,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[VolunteerOut]:
    """The municipality's volunteers; a partner sees its own organisation's."""
    page, limit = await volunteers.list_volunteers(
        session, principal=principal, first=first, after=after
    )
    today = clock.today()
    return page.map(lambda v: VolunteerOut.of(v, today=today, limit_months=limit))


@router.post("/volunteers", status_code=201)
async def register_volunteer(
    body: VolunteerIn,
    principal: Annotated[Principal, permitted(permissions.community.VOLUNTEER_REGISTER)],
    session: UnitOfWork,
    clock: Today,
) -> VolunteerOut:
    today = clock.today()
    volunteer, limit = await volunteers.register_volunteer(
        session, principal=principal, body=body, today=today
    )
    return VolunteerOut.of(volunteer, today=today, limit_months=limit)


@router.post("/volunteers/{volunteer_id}/police-certificate")
async def record_police_certificate(
    volunteer_id: uuid.UUID,
    body: PoliceCertificateIn,
    principal: Annotated[Principal, permitted(permissions.community.POLICE_CERTIFICATE_RECORD)],
    session: UnitOfWork,
    clock: Today,
) -> VolunteerOut:
    """Records the day a volunteer's police certificate (politiattest) was checked."""
    today = clock.today()
    volunteer, limit = await volunteers.record_police_certificate(
        session, principal=principal, volunteer_id=volunteer_id, body=body, today=today
    )
    return VolunteerOut.of(volunteer, today=today, limit_months=limit)
