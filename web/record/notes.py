"""A child's follow-up notes: written, edited by their author within a day, corrected."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from web.context import Staff, signed_in, web
from web.record.tab import PREFIX, TabForm, form_values, show_tab, submit_on_tab

router = APIRouter(prefix=PREFIX)
NOTES_PAGE = 20
NOTE_EDITABLE_FOR = timedelta(hours=24)  # the service's rule; the client only hides the link
Values = Annotated[dict[str, str], Depends(form_values)]


def editable_until(staff: Staff, request: Request) -> Callable[[Mapping[str, Any]], bool]:
    """Whether the user may still edit a note: their own, written within 24 hours."""
    now = web(request).clock.now()

    def editable(note: Mapping[str, Any]) -> bool:
        written = datetime.fromisoformat(note["writtenAt"])
        return note["author"] == staff.username and now - written < NOTE_EDITABLE_FOR

    return editable


def notes_tab(staff: Staff, request: Request, after: str | None) -> dict[str, Any]:
    """How the notes tab is shown: its page of notes, and which of them the user may edit."""
    return {
        "variables": {"first": NOTES_PAGE, "after": after},
        "extra": {"after": after, "editable": editable_until(staff, request)},
    }


@router.get("/notes")
async def notes(
    request: Request,
    child_id: uuid.UUID,
    after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    return await show_tab(request, staff, child_id, "notes", **notes_tab(staff, request, after))


async def save_note(
    request: Request,
    staff: Staff,
    child_id: uuid.UUID,
    operation: str,
    variables: dict[str, Any],
    values: dict[str, str],
    input_id: str,
) -> Response:
    """Every message goes to the note's one text input; refused, the page the user was on."""
    shown = notes_tab(staff, request, values.get("after") or None)
    form = TabForm("notes", lambda _: input_id, input_id, **shown)
    return await submit_on_tab(request, staff, child_id, form, operation, variables, values)


@router.post("/notes")
async def add_note(
    request: Request, child_id: uuid.UUID, values: Values, staff: Staff = Depends(signed_in)
) -> Response:
    variables = {"childId": str(child_id), "text": values.get("text", "")}
    return await save_note(request, staff, child_id, "AddFollowUpNote", variables, values, "text")


@router.post("/notes/{note_id}/edit")
async def edit_note(
    request: Request,
    child_id: uuid.UUID,
    note_id: uuid.UUID,
    values: Values,
    staff: Staff = Depends(signed_in),
) -> Response:
    input_id = f"edit-{note_id}"
    variables = {"id": str(note_id), "text": values.get(input_id, "")}
    return await save_note(
        request, staff, child_id, "EditFollowUpNote", variables, values, input_id
    )


@router.post("/notes/{note_id}/correct")
async def correct_note(
    request: Request,
    child_id: uuid.UUID,
    note_id: uuid.UUID,
    values: Values,
    staff: Staff = Depends(signed_in),
) -> Response:
    input_id = f"correct-{note_id}"
    variables = {
        "childId": str(child_id),
        "text": values.get(input_id, ""),
        "corrects": str(note_id),
    }
    return await save_note(request, staff, child_id, "AddFollowUpNote", variables, values, input_id)
