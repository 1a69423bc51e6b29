"""Care's follow-up note mutations: a note, and its correction."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.care.mutations.calls import call_care_on_child
from gateway.schema.care.types import FollowUpNote
from gateway.security import (
    Requires,
    caller,
    parse_id,
)
from havn import permissions


@strawberry.type
class FollowUpNoteMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.care.NOTE_WRITE)],
        description="A caseworker, or the child's contact person; `corrects` names the note "
        "a correction corrects.",
    )
    async def add_follow_up_note(
        self,
        info: Info,
        child_id: strawberry.ID,
        text: str,
        corrects: strawberry.ID | None = None,
    ) -> FollowUpNote:
        payload = await call_care_on_child(
            info,
            child_id,
            "POST",
            "follow-up-notes",
            {"text": text, "corrects": str(parse_id(corrects, "corrects")) if corrects else None},
        )
        return FollowUpNote.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.care.NOTE_WRITE)],
        description="The author, within 24 hours of writing the note.",
    )
    async def edit_follow_up_note(self, info: Info, id: strawberry.ID, text: str) -> FollowUpNote:
        principal = caller(info)
        payload = await info.context.services.call(
            principal, "care", "PATCH", f"/v1/follow-up-notes/{parse_id(id)}", json={"text": text}
        )
        return FollowUpNote.from_payload(payload)
