"""Routes of meetings with the child."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter

from havn import permissions
from havn.auth import Principal
from havn.http import ItemsOut, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.care import policy, schemas
from services.care.schemas import ChildPageOut, ChildPagesIn, MeetingIn, MeetingOut
from services.care.service import meetings

router = APIRouter(prefix="/v1", route_class=IdempotentRoute, dependencies=policy.EVERY_REQUEST)


@router.post("/meetings/batch")
async def meetings_by_child_ids(
    body: ChildPagesIn,
    principal: Annotated[Principal, permitted(permissions.care.DETAILS_READ)],
    session: UnitOfWork,
) -> ItemsOut[ChildPageOut[MeetingOut]]:
    """A page of meetings per child, the latest first."""
    pages = await meetings.read_meetings(session, principal=principal, body=body)
    return schemas.present_child_pages(pages, MeetingOut.model_validate)


@router.post("/children/{child_id}/meetings", status_code=201)
async def record_meeting(
    child_id: uuid.UUID,
    body: MeetingIn,
    principal: Annotated[Principal, permitted(permissions.care.MEETING_RECORD)],
    session: UnitOfWork,
) -> MeetingOut:
    """A meeting with the child; flagged when the child needs an interpreter and has none."""
    meeting = await meetings.record_meeting(
        session, principal=principal, child_id=child_id, body=body
    )
    return MeetingOut.model_validate(meeting)
