"""Care rules for follow-up notes: writing, editing within 24 hours and corrections."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from havn.errors import Conflict, Forbidden, InvalidInput
from services.care.domain import follow_up_notes
from services.care.models import Child, FollowUpNote
from tests.care.domain_support import NOW, a_child


def a_note(
    child: Child, written_at: datetime = NOW, author: str = "bergen-contact"
) -> FollowUpNote:
    return follow_up_notes.write_follow_up_note(
        child, text="Visited", corrects=None, author=author, now=written_at
    )


def test_a_note_can_be_edited_by_its_author_within_24_hours():
    # given
    note = a_note(a_child())

    # when
    follow_up_notes.edit_follow_up_note(
        note, text="Visited at home", editor="bergen-contact", now=NOW + timedelta(hours=24)
    )

    # then
    assert (note.text, note.edited_at) == ("Visited at home", NOW + timedelta(hours=24))


def test_a_note_cannot_be_edited_after_24_hours():
    # given
    note = a_note(a_child())

    # when
    with pytest.raises(Conflict, match="24 hours"):
        follow_up_notes.edit_follow_up_note(
            note,
            text="Rewritten",
            editor="bergen-contact",
            now=NOW + timedelta(hours=24, seconds=1),
        )

    # then
    assert (note.text, note.edited_at) == ("Visited", None)


def test_only_the_author_edits_a_note():
    # when / then
    with pytest.raises(Forbidden):
        follow_up_notes.edit_follow_up_note(
            a_note(a_child()), text="Mine now", editor="bergen-caseworker", now=NOW
        )


def test_a_correction_references_the_note_it_corrects():
    # given
    child = a_child()
    original = a_note(child)

    # when
    correction = follow_up_notes.write_follow_up_note(
        child, text="The visit was on Tuesday", corrects=original, author="cw", now=NOW
    )

    # then
    assert correction.corrects_id == original.id and correction.id != original.id


def test_a_correction_of_another_childs_note_is_bad_input():
    # when
    with pytest.raises(InvalidInput) as refused:
        follow_up_notes.write_follow_up_note(
            a_child(), text="Fix", corrects=a_note(a_child()), author="cw", now=NOW
        )

    # then
    assert refused.value.field == "corrects"


def test_an_empty_note_is_bad_input():
    # when / then
    with pytest.raises(InvalidInput, match="text"):
        follow_up_notes.write_follow_up_note(
            a_child(), text=" \n", corrects=None, author="cw", now=NOW
        )
