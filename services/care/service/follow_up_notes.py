"""Follow-up notes: read and counted (confidential), written by a caseworker or the child's
contact person, edited by their author within a day, corrected after."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from havn import permissions
from havn.auth import DataClass, Principal
from havn.clock import Clock
from havn.errors import InvalidInput, NotFound
from havn.http import ChildIdsIn
from havn.pagination import Page
from services.care import events, repository
from services.care.domain import follow_up_notes
from services.care.domain.checks import child_pages_of
from services.care.domain.parts import CarePart
from services.care.models import FollowUpNote
from services.care.schemas import ChildPagesIn, FollowUpNoteEditIn, FollowUpNoteIn
from services.care.service.children import child_for, readable_children


async def count_notes(
    session: AsyncSession, *, principal: Principal, child_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """How many follow-up notes each child has, logged as a confidential read."""
    counts = await repository.follow_up_note_counts(session, child_ids)
    await events.changes.record_read(
        session,
        principal,
        child_ids=list(counts),
        data_class=DataClass.CONFIDENTIAL,
        operation="follow-up-notes.count",
    )
    return counts


async def read_follow_up_notes(
    session: AsyncSession, *, principal: Principal, body: ChildPagesIn
) -> dict[uuid.UUID, Page[FollowUpNote]]:
    """A page of notes per child, newest first, in the same statements for 1 or 200 children."""
    children = await readable_children(session, principal, body.child_ids, CarePart.NOTES)
    ids = child_pages_of(child_ids=[c.id for c in children], after=body.after)
    pages = await repository.follow_up_note_pages(session, ids, first=body.first, after=body.after)
    await events.changes.record_read(
        session,
        principal,
        child_ids=list(pages),
        data_class=DataClass.CONFIDENTIAL,
        operation="follow-up-notes.read",
    )
    return pages


async def count_follow_up_notes(
    session: AsyncSession, *, principal: Principal, body: ChildIdsIn
) -> dict[uuid.UUID, int]:
    """How many notes each child has, without the notes (a caseload's column): read and
    logged like the notes themselves; children the caller may not see are absent."""
    children = await readable_children(session, principal, body.child_ids, CarePart.NOTES)
    return await count_notes(session, principal=principal, child_ids=[c.id for c in children])


async def add_follow_up_note(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    body: FollowUpNoteIn,
    clock: Clock,
) -> FollowUpNote:
    """A note by a caseworker, or by the child's own contact person; it may correct another."""
    act = permissions.care.NOTE_WRITE
    child = await child_for(session, principal, child_id, act)
    corrects: FollowUpNote | None = None
    if body.corrects is not None:
        corrects = await repository.get_follow_up_note(session, body.corrects)
        if corrects is None:
            raise InvalidInput("there is no such note to correct", field="corrects")
    note = follow_up_notes.write_follow_up_note(
        child, text=body.text, corrects=corrects, author=principal.username, now=clock.now()
    )
    await repository.add_all(session, [note])
    await events.changes.record_change(
        session,
        principal,
        tenant=child.tenant_id,
        child_ids=[child.id],
        data_class=DataClass.CONFIDENTIAL,
        operation="follow-up-note.add",
    )
    return note


async def edit_follow_up_note(
    session: AsyncSession,
    *,
    principal: Principal,
    note_id: uuid.UUID,
    body: FollowUpNoteEditIn,
    clock: Clock,
) -> FollowUpNote:
    """Rewrites a note, by its author, within 24 hours of writing it."""
    act = permissions.care.NOTE_WRITE
    note = await repository.get_follow_up_note(session, note_id, for_update=True)
    if note is None:
        raise NotFound("no such note")
    child = await child_for(session, principal, note.child_id, act)
    follow_up_notes.edit_follow_up_note(
        note, text=body.text, editor=principal.username, now=clock.now()
    )
    await session.flush()
    await events.changes.record_change(
        session,
        principal,
        tenant=child.tenant_id,
        child_ids=[child.id],
        data_class=DataClass.CONFIDENTIAL,
        operation="follow-up-note.edit",
    )
    return note
