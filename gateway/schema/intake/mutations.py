"""Intake's mutations: the referral lifecycle, the checklist and the child's arrival."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from gateway.schema.common import CareArrangement
from gateway.schema.intake.types import Child, PreparationTaskKind, Referral
from gateway.security import parse_id


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


async def _referral_action(
    info: Info, referral_id: strawberry.ID, action: str, body: dict[str, Any] | None = None
) -> Referral:
    payload = await info.context.services.call(
        info.context.principal,
        "intake",
        "POST",
        f"/v1/referrals/{parse_id(referral_id, 'id')}/{action}",
        json=body or {},
    )
    return Referral.from_payload(payload)


@strawberry.type
class IntakeMutation:
    @strawberry.mutation(description="Directorate allocator: ask a municipality to settle a minor.")
    async def create_referral(self, info: Info, input: CreateReferralInput) -> Referral:
        payload = await info.context.services.call(
            info.context.principal,
            "intake",
            "POST",
            "/v1/referrals",
            json={
                "municipality": input.municipality,
                "full_name": input.full_name,
                "date_of_birth": input.date_of_birth.isoformat(),
                "sex": input.sex,
                "nationality": input.nationality,
                "languages": input.languages,
                "needs_summary": input.needs_summary,
                "respond_by": input.respond_by.isoformat(),
                "proposed_arrival": input.proposed_arrival.isoformat()
                if input.proposed_arrival
                else None,
            },
        )
        return Referral.from_payload(payload)

    @strawberry.mutation
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

    @strawberry.mutation
    async def decline_referral(self, info: Info, id: strawberry.ID, reason: str) -> Referral:
        return await _referral_action(info, id, "decline", {"reason": reason})

    @strawberry.mutation
    async def complete_preparation_task(
        self, info: Info, referral_id: strawberry.ID, task: PreparationTaskKind
    ) -> Referral:
        return await _referral_action(info, referral_id, f"preparation/{task.value}/complete")

    @strawberry.mutation(description="Settles the child; every service follows (child.settled).")
    async def register_arrival(
        self, info: Info, referral_id: strawberry.ID, arrived_on: date
    ) -> Child:
        payload = await info.context.services.call(
            info.context.principal,
            "intake",
            "POST",
            f"/v1/referrals/{parse_id(referral_id, 'referralId')}/arrival",
            json={"arrived_on": arrived_on.isoformat()},
        )
        return Child.from_payload(payload)
