"""Follow-up notes: by a caseworker or the contact person, corrected rather than rewritten."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from havn.errors import Conflict, Forbidden, InvalidInput
from havn.text import required_text
from services.care.models import Child, FollowUpNote

# A note is a record of what happened: after a day it is corrected by a new note, not edited.
NOTE_EDIT_WINDOW = timedelta(hours=24)


def write_follow_up_note(
    child: Child, *, text: str, corrects: FollowUpNote | None, author: str, now: datetime
) -> FollowUpNote:
    """A new note; a correction names the note it corrects, which must be the same child's."""
    if corrects is not None and corrects.child_id != child.id:
        raise InvalidInput("a correction corrects a note about the same child", field="corrects")
    return FollowUpNote(
        id=uuid.uuid4(),
        tenant_id=child.tenant_id,
        child_id=child.id,
        written_at=now,
        author=author,
        text=required_text(text, field="text", message="a note's text is required"),
        corrects_id=corrects.id if corrects else None,
    )


def edit_follow_up_note(note: FollowUpNote, *, text: str, editor: str, now: datetime) -> None:
    """Rewrites a note within a day of writing it, by its author only."""
    if note.author != editor:
        raise Forbidden("only the note's author may edit it; add a correction instead")
    if now - note.written_at > NOTE_EDIT_WINDOW:
        raise Conflict(
            "a note cannot be edited more than 24 hours after it was written; "
            "add a new note that corrects it"
        )
    note.text = required_text(text, field="text", message="a note's text is required")
    note.edited_at = now
