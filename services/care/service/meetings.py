"""Meetings with the child: read a page at a time, recorded by a caseworker or the contact
person, flagged when the child needs an interpreter and has none."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from havn import permissions
from havn.auth import DataClass, Principal
from havn.pagination import Page
from services.care import events, repository
from services.care.domain import meetings
from services.care.domain.checks import child_pages_of
from services.care.domain.parts import CarePart
from services.care.models import Meeting
from services.care.schemas import ChildPagesIn, MeetingIn
from services.care.service.children import child_for, readable_children


async def read_meetings(
    session: AsyncSession, *, principal: Principal, body: ChildPagesIn
) -> dict[uuid.UUID, Page[Meeting]]:
    """A page of meetings per child, the latest first."""
    children = await readable_children(session, principal, body.child_ids, CarePart.MEETINGS)
    ids = child_pages_of(child_ids=[c.id for c in children], after=body.after)
    pages = await repository.meeting_pages(session, ids, first=body.first, after=body.after)
    await events.changes.record_read(
        session,
        principal,
        child_ids=pages,
        data_class=DataClass.PERSONAL,
        operation="meetings.read",
    )
    return pages


async def record_meeting(
    session: AsyncSession, *, principal: Principal, child_id: uuid.UUID, body: MeetingIn
) -> Meeting:
    """A meeting with the child; flagged when the child needs an interpreter and has none."""
    act = permissions.care.MEETING_RECORD
    child = await child_for(session, principal, child_id, act)
    interpreter = (
        meetings.InterpreterInput(name=body.interpreter.name, qualified=body.interpreter.qualified)
        if body.interpreter
        else None
    )
    meeting = meetings.record_meeting(
        child,
        held_on=body.held_on,
        purpose=body.purpose,
        language=body.language,
        interpreter=interpreter,
        interpreter_is_a_child=(
            await repository.is_a_childs_name(session, interpreter.name) if interpreter else False
        ),
        by=principal.username,
    )
    await repository.add_all(session, [meeting])
    await events.changes.record_change(
        session,
        principal,
        tenant=child.tenant_id,
        child_ids=[child.id],
        data_class=DataClass.PERSONAL,
        operation="meeting.record",
    )
    return meeting
