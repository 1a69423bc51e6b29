"""Care's health mutations: GP, screenings, referrals to mental health care."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from gateway.schema.care.mutations.calls import call_care_on_child
from gateway.schema.care.types import Health
from gateway.security import Requires
from havn import permissions


@strawberry.input
class GeneralPractitionerInput:
    name: str
    practice: str | None = None


@strawberry.input
class HealthScreeningInput:
    kind: str
    screened_on: date
    findings: str | None = None


@strawberry.input
class MentalHealthReferralInput:
    service: str
    referred_on: date
    reason: str


@strawberry.type
class HealthMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.care.HEALTH_RECORD)],
        description="Caseworker: the child's GP (fastlege).",
    )
    async def set_general_practitioner(
        self, info: Info, child_id: strawberry.ID, input: GeneralPractitionerInput
    ) -> Health:
        payload = await call_care_on_child(
            info,
            child_id,
            "PUT",
            "health/general-practitioner",
            {"name": input.name, "practice": input.practice},
        )
        return Health.from_payload(payload)

    @strawberry.mutation(extensions=[Requires(permissions.care.HEALTH_RECORD)])
    async def record_health_screening(
        self, info: Info, child_id: strawberry.ID, input: HealthScreeningInput
    ) -> Health:
        payload = await call_care_on_child(
            info,
            child_id,
            "POST",
            "health/screenings",
            {
                "kind": input.kind,
                "screened_on": input.screened_on.isoformat(),
                "findings": input.findings,
            },
        )
        return Health.from_payload(payload)

    @strawberry.mutation(extensions=[Requires(permissions.care.HEALTH_RECORD)])
    async def refer_to_mental_health(
        self, info: Info, child_id: strawberry.ID, input: MentalHealthReferralInput
    ) -> Health:
        payload = await call_care_on_child(
            info,
            child_id,
            "POST",
            "health/mental-health-referrals",
            {
                "service": input.service,
                "referred_on": input.referred_on.isoformat(),
                "reason": input.reason,
            },
        )
        return Health.from_payload(payload)
