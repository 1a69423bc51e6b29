"""Routes of the settled child's record (/v1/children): look-ups, the caseload, the profile."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import IdsIn, ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.intake import policy
from services.intake.schemas import ChildOut, ProfileIn
from services.intake.service import children

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.post("/children/batch")
async def children_by_ids(
    body: IdsIn,
    principal: Annotated[Principal, permitted(permissions.intake.CHILD_LOOKUP)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[ChildOut]:
    """Loads many children in one call; ones the caller may not see are simply absent. A
    child the caller opened by breaking the glass in another municipality is read there."""
    found = await children.children_by_ids(session, principal=principal, ids=body.ids)
    today = clock.today()
    return ItemsOut[ChildOut](items=[ChildOut.of(r, principal, today) for r in found])


@router.get("/children")
async def list_children(
    principal: Annotated[Principal, permitted(permissions.intake.CHILD_LOOKUP)],
    session: UnitOfWork,
    clock: Today,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
    name: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[ChildOut]:
    """The caller's caseload in its tenant; `name` finds children by name, accents ignored."""
    page = await children.list_children(
        session, principal=principal, name=name, first=first, after=after
    )
    today = clock.today()
    return page.map(lambda record: ChildOut.of(record, principal, today))


@router.patch("/children/{child_id}")
async def edit_child_profile(
    child_id: uuid.UUID,
    body: ProfileIn,
    principal: Annotated[Principal, permitted(permissions.intake.PROFILE_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> ChildOut:
    """Edits the child's profile; a change is published as child.updated to every service."""
    record = await children.edit_child_profile(
        session, principal=principal, child_id=child_id, body=body, clock=clock
    )
    return ChildOut.of(record, principal, clock.today())
