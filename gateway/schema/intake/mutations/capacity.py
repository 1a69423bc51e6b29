"""Intake's capacity mutations: the settlement decision and the care places."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.intake.mutations.calls import call_intake
from gateway.schema.intake.types import MunicipalityCapacity
from gateway.security import Requires
from havn import permissions
from havn.vocabulary import CareArrangement


@strawberry.type
class CapacityMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.intake.CAPACITY_WRITE)],
        description="Settlement decision: how many minors you settle in a year.",
    )
    async def record_settlement_decision(
        self, info: Info, year: int, minors: int
    ) -> MunicipalityCapacity:
        payload = await call_intake(
            info, "PUT", f"/v1/capacity/decisions/{year}", {"minors": minors}
        )
        return MunicipalityCapacity.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.intake.CAPACITY_WRITE)],
        description="Care places of one arrangement type, and how many are free.",
    )
    async def record_care_places(
        self, info: Info, care_arrangement: CareArrangement, places: int, free: int
    ) -> MunicipalityCapacity:
        payload = await call_intake(
            info,
            "PUT",
            f"/v1/capacity/care-places/{care_arrangement.value}",
            {"places": places, "free": free},
        )
        return MunicipalityCapacity.from_payload(payload)
