"""Intake's mutations: capacity, the referral lifecycle, the checklist, the child's arrival,
its profile and its relocation."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from gateway.schema.child import Child
from gateway.schema.common import CareArrangement, sent_fields
from gateway.schema.intake.types import (
    MunicipalityCapacity,
    PreparationTaskKind,
    Referral,
    Relocation,
)
from gateway.security import Requires, parse_id
from havn import permissions


@strawberry.input
class CreateReferralInput:
    municipality: str = strawberry.field(description="kommunenummer")
    full_name: str
    date_of_birth: date
    sex: str = strawberry.field(description='"F" | "M" | "X"')
    nationality: str = strawberry.field(description="ISO 3166-1 alpha-2")
    languages: list[str] = strawberry.field(description="ISO 639 codes")
    respond_by: date
    needs_summary: str | None = None
    proposed_arrival: date | None = None


@strawberry.input
class AcceptReferralInput:
    planned_arrival: date
    care_arrangement: CareArrangement


@strawberry.input(description="Leave a field out to keep it; send null to empty it.")
class PreparationTaskInput:
    owner: str | None = strawberry.field(
        default=strawberry.UNSET, description="Username of one of the municipality's staff."
    )
    notes: str | None = strawberry.UNSET


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


@strawberry.input
class AcceptRelocationInput:
    care_arrangement: CareArrangement
    relocated_on: date | None = strawberry.field(default=None, description="Defaults to today.")


def _wire(value: Any) -> Any:
    """An input value as the service's JSON expects it."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, CareArrangement):
        return value.value
    if isinstance(value, AppointmentInput):
        return {"name": value.name, "appointed_on": value.appointed_on.isoformat()}
    return value


def _sent(input: object, names: list[str]) -> dict[str, Any]:
    """The fields the caller sent (null included), as the service's JSON expects them."""
    return {name: _wire(value) for name, value in sent_fields(input, *names).items()}


async def _call(info: Info, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return await info.context.services.call(
        info.context.principal, "intake", method, path, json=body or {}
    )


async def _referral_action(
    info: Info, referral_id: strawberry.ID, action: str, body: dict[str, Any] | None = None
) -> Referral:
    path = f"/v1/referrals/{parse_id(referral_id, 'id')}/{action}"
    return Referral.from_payload(await _call(info, "POST", path, body))


async def _relocation_action(
    info: Info, relocation_id: strawberry.ID, action: str, body: dict[str, Any] | None = None
) -> Relocation:
    path = f"/v1/relocations/{parse_id(relocation_id, 'id')}/{action}"
    return Relocation.from_payload(await _call(info, "POST", path, body))


@strawberry.type
class IntakeMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.intake.CAPACITY_WRITE)],
        description="Settlement decision: how many minors you settle in a year.",
    )
    async def record_settlement_decision(
        self, info: Info, year: int, minors: int
    ) -> MunicipalityCapacity:
        payload = await _call(info, "PUT", f"/v1/capacity/decisions/{year}", {"minors": minors})
        return MunicipalityCapacity.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.CAPACITY_WRITE)],
        description="Care places of one arrangement type, and how many are free.",
    )
    async def record_care_places(
        self, info: Info, care_arrangement: CareArrangement, places: int, free: int
    ) -> MunicipalityCapacity:
        payload = await _call(
            info,
            "PUT",
            f"/v1/capacity/care-places/{care_arrangement.value}",
            {"places": places, "free": free},
        )
        return MunicipalityCapacity.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.REFERRAL_CREATE)],
        description="Directorate allocator: ask a municipality to settle a minor.",
    )
    async def create_referral(self, info: Info, input: CreateReferralInput) -> Referral:
        payload = await _call(
            info,
            "POST",
            "/v1/referrals",
            {
                "municipality": input.municipality,
                "full_name": input.full_name,
                "date_of_birth": input.date_of_birth.isoformat(),
                "sex": input.sex,
                "nationality": input.nationality,
                "languages": input.languages,
                "needs_summary": input.needs_summary,
                "respond_by": input.respond_by.isoformat(),
                "proposed_arrival": _wire(input.proposed_arrival),
            },
        )
        return Referral.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.REFERRAL_DECIDE)],
        description="Accepts a referral and reserves a free care place.",
    )
    async def accept_referral(
        self, info: Info, id: strawberry.ID, input: AcceptReferralInput
    ) -> Referral:
        return await _referral_action(
            info,
            id,
            "accept",
            {
                "planned_arrival": input.planned_arrival.isoformat(),
                "care_arrangement": input.care_arrangement.value,
            },
        )

    @strawberry.mutation(extensions=[Requires(permissions.intake.REFERRAL_DECIDE)])
    async def decline_referral(self, info: Info, id: strawberry.ID, reason: str) -> Referral:
        return await _referral_action(info, id, "decline", {"reason": reason})

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.REFERRAL_WITHDRAW)],
        description="Directorate allocator: take back a referral still pending.",
    )
    async def withdraw_referral(self, info: Info, id: strawberry.ID, reason: str) -> Referral:
        return await _referral_action(info, id, "withdraw", {"reason": reason})

    @strawberry.mutation(extensions=[Requires(permissions.intake.PREPARATION)])
    async def complete_preparation_task(
        self, info: Info, referral_id: strawberry.ID, task: PreparationTaskKind
    ) -> Referral:
        return await _referral_action(info, referral_id, f"preparation/{task.value}/complete")

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.PREPARATION)],
        description="Marks a checklist task not done again.",
    )
    async def reopen_preparation_task(
        self, info: Info, referral_id: strawberry.ID, task: PreparationTaskKind
    ) -> Referral:
        return await _referral_action(info, referral_id, f"preparation/{task.value}/reopen")

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.PREPARATION)],
        description="Gives a checklist task an owner and notes.",
    )
    async def update_preparation_task(
        self,
        info: Info,
        referral_id: strawberry.ID,
        task: PreparationTaskKind,
        input: PreparationTaskInput,
    ) -> Referral:
        path = f"/v1/referrals/{parse_id(referral_id, 'referralId')}/preparation/{task.value}"
        payload = await _call(info, "PATCH", path, _sent(input, ["owner", "notes"]))
        return Referral.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.PREPARATION)],
        description="Settles the child; every service follows (child.settled). Open checklist "
        "tasks do not hold it back: they come back as openPreparationTasks.",
    )
    async def register_arrival(
        self, info: Info, referral_id: strawberry.ID, arrived_on: date
    ) -> Child:
        payload = await _call(
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
        body = _sent(
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
        payload = await _call(info, "PATCH", f"/v1/children/{parse_id(id)}", body)
        return Child.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.RELOCATIONS)],
        description="Proposes that another municipality take the child over.",
    )
    async def propose_relocation(
        self,
        info: Info,
        child_id: strawberry.ID,
        to_municipality: str,
        note: str | None = None,
    ) -> Relocation:
        payload = await _call(
            info,
            "POST",
            "/v1/relocations",
            {
                "child_id": str(parse_id(child_id, "childId")),
                "to_municipality": to_municipality,
                "note": note,
            },
        )
        return Relocation.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.RELOCATIONS)],
        description="The receiving municipality takes the child over; emits child.relocated.",
    )
    async def accept_relocation(
        self, info: Info, id: strawberry.ID, input: AcceptRelocationInput
    ) -> Relocation:
        return await _relocation_action(
            info,
            id,
            "accept",
            {
                "care_arrangement": input.care_arrangement.value,
                "relocated_on": _wire(input.relocated_on),
            },
        )

    @strawberry.mutation(extensions=[Requires(permissions.intake.RELOCATIONS)])
    async def decline_relocation(self, info: Info, id: strawberry.ID, reason: str) -> Relocation:
        return await _relocation_action(info, id, "decline", {"reason": reason})

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.RELOCATIONS)],
        description="The sending municipality takes back its proposal.",
    )
    async def cancel_relocation(self, info: Info, id: strawberry.ID) -> Relocation:
        return await _relocation_action(info, id, "cancel")
