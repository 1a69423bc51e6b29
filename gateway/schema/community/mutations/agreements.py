"""Community's agreement mutation: a partnership agreement (samarbeidsavtale)."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from gateway.schema.community.mutations.calls import community_post
from gateway.schema.community.types import Agreement
from gateway.security import Requires
from havn import permissions


@strawberry.input
class AgreementInput:
    partner_slug: str
    scope: str
    valid_from: date
    valid_to: date | None = None


@strawberry.type
class AgreementMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.community.AGREEMENT_MAKE)],
        description="A partnership agreement between your municipality and one.",
    )
    async def create_agreement(self, info: Info, input: AgreementInput) -> Agreement:
        payload = await community_post(
            info,
            "/v1/agreements",
            {
                "partner_slug": input.partner_slug,
                "scope": input.scope,
                "valid_from": input.valid_from.isoformat(),
                "valid_to": input.valid_to.isoformat() if input.valid_to else None,
            },
        )
        return Agreement.from_payload(payload)
