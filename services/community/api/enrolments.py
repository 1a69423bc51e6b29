"""Routes for enrolments of children in partners' offers."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from havn import permissions
from havn.auth import Principal
from havn.http import ChildIdsIn, ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions.route import permitted
from services.community import policy
from services.community.schemas.children import ChildCommunityOut
from services.community.schemas.enrolments import EnrolIn, EnrolmentOut
from services.community.service import children, enrolments

router = APIRouter(
    prefix="/v1", route_class=IdempotentRoute, dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)]
)


@router.post("/enrolments", status_code=201)
async def enrol(
    body: EnrolIn,
    principal: Annotated[Principal, permitted(permissions.community.ENROL)],
    session: UnitOfWork,
    clock: Today,
) -> EnrolmentOut:
    """Enrols a child who consented; the offer's partner is granted the basic profile."""
    today = clock.today()
    enrolment, enrolled = await enrolments.enrol(
        session, principal=principal, body=body, today=today, now=clock.now()
    )
    return EnrolmentOut.of(enrolment, today, enrolled)


@router.post("/enrolments/{enrolment_id}/end")
async def end_enrolment(
    enrolment_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.community.ENROLMENT_END)],
    session: UnitOfWork,
    clock: Today,
) -> EnrolmentOut:
    """Ends the enrolment today; the partner's grant closes with it."""
    today = clock.today()
    enrolment, enrolled = await enrolments.end_enrolment(
        session, principal=principal, enrolment_id=enrolment_id, today=today, now=clock.now()
    )
    return EnrolmentOut.of(enrolment, today, enrolled)


@router.get("/enrolments")
async def list_enrolments(
    principal: Annotated[Principal, permitted(permissions.community.ENROLMENTS_READ)],
    session: UnitOfWork,
    clock: Today,
    offer_id: uuid.UUID | None = None,
    active: bool = False,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[EnrolmentOut]:
    """The municipality's enrolments, newest first; a partner sees its own offers' only.

    A partner sees which child an enrolment is for only while its grant is in force.
    """
    today = clock.today()
    page, enrolled, visible = await enrolments.list_enrolments(
        session,
        principal=principal,
        offer_id=offer_id,
        active=active,
        first=first,
        after=after,
        today=today,
    )
    return page.map(lambda e: EnrolmentOut.of(e, today, enrolled, visible))


@router.post("/enrolments/batch")
async def enrolments_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.community.CHILD_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[ChildCommunityOut]:
    """Many children's interests and enrolments in one call; unseen children are absent.

    A partner gets only children its grants let it see, with its own offers' enrolments.
    """
    today = clock.today()
    found = await children.children_in_community(
        session, principal=principal, child_ids=body.child_ids, today=today
    )
    return ItemsOut[ChildCommunityOut](
        items=[
            ChildCommunityOut.of(child, today, found.enrolled, found.partner, found.visible)
            for child in found.children
        ]
    )
