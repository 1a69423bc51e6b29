"""Intake's child mutations: the child's arrival (settlement) and its profile."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from gateway.schema.child import Child
from gateway.schema.intake.mutations.calls import call_intake, sent
from gateway.security import Requires, parse_id
from havn import permissions
from havn.vocabulary import CareArrangement


@strawberry.input
class AppointmentInput:
    name: str
    appointed_on: date


@strawberry.input(
    description="Leave a field out to keep it. interpreterLanguage, representative and "
    "guardian can be emptied with null; the others cannot."
)
class ChildProfileInput:
    full_name: str | None = strawberry.UNSET
    first_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to the first word of fullName."
    )
    date_of_birth: date | None = strawberry.UNSET
    date_of_birth_estimated: bool | None = strawberry.UNSET
    sex: str | None = strawberry.field(default=strawberry.UNSET, description='"F" | "M" | "X"')
    nationality: str | None = strawberry.field(
        default=strawberry.UNSET, description="ISO 3166-1 alpha-2"
    )
    languages: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="ISO 639 codes"
    )
    interpreter_needed: bool | None = strawberry.UNSET
    interpreter_language: str | None = strawberry.field(
        default=strawberry.UNSET, description="ISO 639 code"
    )
    care_arrangement: CareArrangement | None = strawberry.UNSET
    representative: AppointmentInput | None = strawberry.UNSET
    guardian: AppointmentInput | None = strawberry.UNSET


@strawberry.type
class ChildMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.intake.PREPARATION)],
        description="Settles the child; every service follows (child.settled). Open checklist "
        "tasks do not hold it back: they come back as openPreparationTasks.",
    )
    async def register_arrival(
        self, info: Info, referral_id: strawberry.ID, arrived_on: date
    ) -> Child:
        payload = await call_intake(
            info,
            "POST",
            f"/v1/referrals/{parse_id(referral_id, 'referralId')}/arrival",
            {"arrived_on": arrived_on.isoformat()},
        )
        return Child.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.PROFILE_WRITE)],
        description="Edits the child's profile; emits child.updated.",
    )
    async def update_child(self, info: Info, id: strawberry.ID, input: ChildProfileInput) -> Child:
        body = sent(
            input,
            [
                "full_name",
                "first_name",
                "date_of_birth",
                "date_of_birth_estimated",
                "sex",
                "nationality",
                "languages",
                "interpreter_needed",
                "interpreter_language",
                "care_arrangement",
                "representative",
                "guardian",
            ],
        )
        payload = await call_intake(info, "PATCH", f"/v1/children/{parse_id(id)}", body)
        return Child.from_payload(payload)
