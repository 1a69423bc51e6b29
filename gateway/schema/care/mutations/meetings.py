"""Care's meeting mutation: a meeting with the child, and its interpreter."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from gateway.schema.care.mutations.calls import call_care_on_child
from gateway.schema.care.types import Meeting
from gateway.security import Requires
from havn import permissions


@strawberry.input
class InterpreterInput:
    name: str
    qualified: bool


@strawberry.input
class MeetingInput:
    held_on: date
    purpose: str
    language: str = strawberry.field(description="ISO 639 code")
    interpreter: InterpreterInput | None = None


@strawberry.type
class MeetingMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.care.MEETING_RECORD)],
        description="A caseworker, or the child's contact person.",
    )
    async def record_meeting(
        self, info: Info, child_id: strawberry.ID, input: MeetingInput
    ) -> Meeting:
        interpreter = input.interpreter
        payload = await call_care_on_child(
            info,
            child_id,
            "POST",
            "meetings",
            {
                "held_on": input.held_on.isoformat(),
                "purpose": input.purpose,
                "language": input.language,
                "interpreter": (
                    {"name": interpreter.name, "qualified": interpreter.qualified}
                    if interpreter
                    else None
                ),
            },
        )
        return Meeting.from_payload(payload)
