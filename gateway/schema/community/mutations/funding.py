"""Community's funding mutations: applications to foundations, and their decisions."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from gateway.schema.community.mutations.calls import community_post
from gateway.schema.community.types import FundingApplication
from gateway.security import Requires, parse_id
from havn import permissions


@strawberry.input
class FundingApplicationInput:
    foundation: str
    purpose: str
    amount_nok: int
    applied_on: date


@strawberry.input
class FundingDecisionInput:
    status: str = strawberry.field(description="GRANTED or REJECTED")
    decision_on: date
    granted_nok: int | None = None


@strawberry.type
class FundingMutation:
    @strawberry.mutation(extensions=[Requires(permissions.community.FUNDING_WRITE)])
    async def apply_for_funding(
        self, info: Info, input: FundingApplicationInput
    ) -> FundingApplication:
        payload = await community_post(
            info,
            "/v1/funding-applications",
            {
                "foundation": input.foundation,
                "purpose": input.purpose,
                "amount_nok": input.amount_nok,
                "applied_on": input.applied_on.isoformat(),
            },
        )
        return FundingApplication.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.community.FUNDING_DECIDE)],
        description="Records a foundation's decision on an application.",
    )
    async def decide_funding(
        self, info: Info, id: strawberry.ID, input: FundingDecisionInput
    ) -> FundingApplication:
        payload = await community_post(
            info,
            f"/v1/funding-applications/{parse_id(id)}/decision",
            {
                "status": input.status,
                "decision_on": input.decision_on.isoformat(),
                "granted_nok": input.granted_nok,
            },
        )
        return FundingApplication.from_payload(payload)
