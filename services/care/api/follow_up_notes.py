"""Routes of follow-up notes: pages and counts per child, written, edited."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter

from havn import permissions
from havn.auth import Principal
from havn.http import ChildIdsIn, ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.permissions.route import permitted
from services.care import policy, schemas
from services.care.schemas import (
    ChildCountOut,
    ChildPageOut,
    ChildPagesIn,
    FollowUpNoteEditIn,
    FollowUpNoteIn,
    FollowUpNoteOut,
)
from services.care.service import follow_up_notes

router = APIRouter(prefix="/v1", route_class=IdempotentRoute, dependencies=policy.EVERY_REQUEST)


@router.post("/follow-up-notes/batch")
async def follow_up_notes_by_child_ids(
    body: ChildPagesIn,
    principal: Annotated[Principal, permitted(permissions.care.CONFIDENTIAL_READ)],
    session: UnitOfWork,
) -> ItemsOut[ChildPageOut[FollowUpNoteOut]]:
    """A page of notes per child, newest first, in the same statements for 1 or 200 children."""
    pages = await follow_up_notes.read_follow_up_notes(session, principal=principal, body=body)
    return schemas.present_child_pages(pages, FollowUpNoteOut.model_validate)


@router.post("/follow-up-notes/counts/batch")
async def follow_up_note_counts_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.care.CONFIDENTIAL_READ)],
    session: UnitOfWork,
) -> ItemsOut[ChildCountOut]:
    """How many notes each child has, without the notes (a caseload's column)."""
    counts = await follow_up_notes.count_follow_up_notes(session, principal=principal, body=body)
    return schemas.present_note_counts(counts)


@router.post("/children/{child_id}/follow-up-notes", status_code=201)
async def add_follow_up_note(
    child_id: uuid.UUID,
    body: FollowUpNoteIn,
    principal: Annotated[Principal, permitted(permissions.care.NOTE_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> FollowUpNoteOut:
    """A note by a caseworker, or by the child's own contact person; it may correct another."""
    note = await follow_up_notes.add_follow_up_note(
        session, principal=principal, child_id=child_id, body=body, clock=clock
    )
    return FollowUpNoteOut.model_validate(note)


@router.patch("/follow-up-notes/{note_id}")
async def edit_follow_up_note(
    note_id: uuid.UUID,
    body: FollowUpNoteEditIn,
    principal: Annotated[Principal, permitted(permissions.care.NOTE_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> FollowUpNoteOut:
    """Rewrites a note, by its author, within 24 hours of writing it."""
    note = await follow_up_notes.edit_follow_up_note(
        session, principal=principal, note_id=note_id, body=body, clock=clock
    )
    return FollowUpNoteOut.model_validate(note)
