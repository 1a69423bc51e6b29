"""Intake's referral mutations: the directorate's referral, and the municipality's answer."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from gateway.schema.intake.mutations.calls import call_intake, referral_action, wire
from gateway.schema.intake.types import Referral
from gateway.security import Requires
from havn import permissions
from havn.vocabulary import CareArrangement


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


@strawberry.type
class ReferralMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.intake.REFERRAL_CREATE)],
        description="Directorate allocator: ask a municipality to settle a minor.",
    )
    async def create_referral(self, info: Info, input: CreateReferralInput) -> Referral:
        payload = await call_intake(
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
                "proposed_arrival": wire(input.proposed_arrival),
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
        return await referral_action(
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
        return await referral_action(info, id, "decline", {"reason": reason})

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.REFERRAL_WITHDRAW)],
        description="Directorate allocator: take back a referral still pending.",
    )
    async def withdraw_referral(self, info: Info, id: strawberry.ID, reason: str) -> Referral:
        return await referral_action(info, id, "withdraw", {"reason": reason})
