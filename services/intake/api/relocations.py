"""Relocation routes (/v1/relocations): propose, list, read, accept, decline, cancel."""

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
from havn.vocabulary import RelocationDirection, RelocationStatus
from services.intake import policy
from services.intake.schemas import AcceptRelocationIn, ProposeRelocationIn, ReasonIn, RelocationOut
from services.intake.service import relocations

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.post("/relocations", status_code=201)
async def propose_relocation(
    body: ProposeRelocationIn,
    principal: Annotated[Principal, permitted(permissions.intake.RELOCATIONS)],
    session: UnitOfWork,
    clock: Today,
) -> RelocationOut:
    """The municipality the child lives in proposes that another take the child over."""
    relocation = await relocations.propose_relocation(
        session, principal=principal, body=body, clock=clock
    )
    return RelocationOut.of(relocation, clock.today())


@router.get("/relocations")
async def list_relocations(
    principal: Annotated[Principal, permitted(permissions.intake.RELOCATIONS)],
    session: UnitOfWork,
    clock: Today,
    direction: RelocationDirection | None = None,
    status: RelocationStatus | None = None,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[RelocationOut]:
    """Relocations the municipality sends or receives, newest first."""
    page = await relocations.list_relocations(
        session, principal=principal, direction=direction, status=status, first=first, after=after
    )
    today = clock.today()
    return page.map(lambda relocation: RelocationOut.of(relocation, today))


@router.get("/relocations/{relocation_id}")
async def read_relocation(
    relocation_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.intake.RELOCATIONS)],
    session: UnitOfWork,
    clock: Today,
) -> RelocationOut:
    relocation = await relocations.read_relocation(
        session, principal=principal, relocation_id=relocation_id
    )
    return RelocationOut.of(relocation, clock.today())


@router.post("/relocations/{relocation_id}/accept")
async def accept_relocation(
    relocation_id: uuid.UUID,
    body: AcceptRelocationIn,
    principal: Annotated[Principal, permitted(permissions.intake.RELOCATIONS)],
    session: UnitOfWork,
    clock: Today,
) -> RelocationOut:
    """The receiving municipality takes the child over: its records move here, in one go."""
    relocation = await relocations.accept_relocation(
        session, principal=principal, relocation_id=relocation_id, body=body, clock=clock
    )
    return RelocationOut.of(relocation, clock.today())


@router.post("/relocations/{relocation_id}/decline")
async def decline_relocation(
    relocation_id: uuid.UUID,
    body: ReasonIn,
    principal: Annotated[Principal, permitted(permissions.intake.RELOCATIONS)],
    session: UnitOfWork,
    clock: Today,
) -> RelocationOut:
    relocation = await relocations.decline_relocation(
        session, principal=principal, relocation_id=relocation_id, body=body, clock=clock
    )
    return RelocationOut.of(relocation, clock.today())


@router.post("/relocations/{relocation_id}/cancel")
async def cancel_relocation(
    relocation_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.intake.RELOCATIONS)],
    session: UnitOfWork,
    clock: Today,
) -> RelocationOut:
    relocation = await relocations.cancel_relocation(
        session, principal=principal, relocation_id=relocation_id, clock=clock
    )
    return RelocationOut.of(relocation, clock.today())
