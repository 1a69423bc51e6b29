"""Follow-up notes: who writes them, editing within 24 hours and correcting after."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from havn import permissions
from havn.clock import Clock
from havn.errors import Conflict, Forbidden, InvalidInput
from services.care.models import FollowUpNote
from services.care.schemas import ChildPagesIn, FollowUpNoteEditIn, FollowUpNoteIn
from services.care.service import follow_up_notes
from tests.care.routes_support import (
    CASEWORKER,
    CLOCK,
    CONTACT,
    assigned_child,
    call,
    count,
    settled_child,
    writes_logged,
)

pytestmark = pytest.mark.usefixtures("contact_persons_have_signed_in")


async def test_a_contact_person_writes_notes_for_their_own_child(app_sessionmaker):
    # given
    own = await assigned_child(app_sessionmaker)

    # when
    note = await call(
        app_sessionmaker,
        permissions.care.NOTE_WRITE,
        follow_up_notes.add_follow_up_note,
        principal=CONTACT,
        child_id=own,
        body=FollowUpNoteIn(text="Football on Monday"),
        clock=CLOCK,
    )

    # then
    assert (note.author, note.text, note.child_id) == ("bergen-contact", "Football on Monday", own)
    assert await writes_logged(app_sessionmaker, own) == [
        ("personal", "contact-person.assign"),
        ("confidential", "follow-up-note.add"),
    ]


async def test_a_contact_person_may_not_write_a_note_about_a_child_not_assigned_to_them(
    app_sessionmaker,
):
    # given a child assigned to someone else
    child_id = await assigned_child(app_sessionmaker, "bergen-contact-2")

    # when
    with pytest.raises(Forbidden, match="contact person"):
        await call(
            app_sessionmaker,
            permissions.care.NOTE_WRITE,
            follow_up_notes.add_follow_up_note,
            principal=CONTACT,
            child_id=child_id,
            body=FollowUpNoteIn(text="Hello"),
            clock=CLOCK,
        )

    # then nothing is written
    assert await count(app_sessionmaker, FollowUpNote, child_id) == 0


async def test_a_note_is_edited_within_24_hours_and_after_that_corrected_by_a_new_note(
    app_sessionmaker,
):
    # given a note written now
    own = await assigned_child(app_sessionmaker)
    clock = Clock()
    note = await call(
        app_sessionmaker,
        permissions.care.NOTE_WRITE,
        follow_up_notes.add_follow_up_note,
        principal=CONTACT,
        child_id=own,
        body=FollowUpNoteIn(text="Visit on Monday"),
        clock=clock,
    )

    # when it is edited 23 hours later, and again 25 hours after writing
    clock.advance(timedelta(hours=23))
    edited = await call(
        app_sessionmaker,
        permissions.care.NOTE_WRITE,
        follow_up_notes.edit_follow_up_note,
        principal=CONTACT,
        note_id=note.id,
        body=FollowUpNoteEditIn(text="Visit on Tuesday"),
        clock=clock,
    )
    clock.advance(timedelta(hours=2))
    with pytest.raises(Conflict, match="24 hours"):
        await call(
            app_sessionmaker,
            permissions.care.NOTE_WRITE,
            follow_up_notes.edit_follow_up_note,
            principal=CONTACT,
            note_id=note.id,
            body=FollowUpNoteEditIn(text="Visit on Wednesday"),
            clock=clock,
        )
    correction = await call(
        app_sessionmaker,
        permissions.care.NOTE_WRITE,
        follow_up_notes.add_follow_up_note,
        principal=CONTACT,
        child_id=own,
        body=FollowUpNoteIn(text="It was Wednesday", corrects=note.id),
        clock=clock,
    )

    # then the first edit holds, the late one changed nothing, and the correction points back
    assert edited.text == "Visit on Tuesday" and edited.edited_at is not None
    pages = await call(
        app_sessionmaker,
        permissions.care.CONFIDENTIAL_READ,
        follow_up_notes.read_follow_up_notes,
        principal=CASEWORKER,
        body=ChildPagesIn(child_ids=[own]),
    )
    texts = [(n.text, n.corrects_id) for n in pages[own].items]
    assert texts == [("It was Wednesday", note.id), ("Visit on Tuesday", None)]
    assert correction.corrects_id == note.id


async def test_a_caseworker_may_not_edit_a_note_someone_else_wrote(app_sessionmaker):
    # given
    own = await assigned_child(app_sessionmaker)
    note = await call(
        app_sessionmaker,
        permissions.care.NOTE_WRITE,
        follow_up_notes.add_follow_up_note,
        principal=CONTACT,
        child_id=own,
        body=FollowUpNoteIn(text="Mine"),
        clock=CLOCK,
    )

    # when / then
    with pytest.raises(Forbidden, match="author"):
        await call(
            app_sessionmaker,
            permissions.care.NOTE_WRITE,
            follow_up_notes.edit_follow_up_note,
            principal=CASEWORKER,
            note_id=note.id,
            body=FollowUpNoteEditIn(text="Ours"),
            clock=CLOCK,
        )


async def test_a_correction_of_an_unknown_note_is_bad_input(app_sessionmaker):
    # given
    child_id = await settled_child(app_sessionmaker)

    # when
    with pytest.raises(InvalidInput) as refused:
        await call(
            app_sessionmaker,
            permissions.care.NOTE_WRITE,
            follow_up_notes.add_follow_up_note,
            principal=CASEWORKER,
            child_id=child_id,
            body=FollowUpNoteIn(text="Fix", corrects=uuid.uuid4()),
            clock=CLOCK,
        )

    # then
    assert refused.value.field == "corrects"
    assert await count(app_sessionmaker, FollowUpNote, child_id) == 0
