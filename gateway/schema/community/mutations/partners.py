"""Community's partner mutation: a partner organisation, shared by municipalities."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.community.mutations.calls import community_post
from gateway.schema.community.types import Partner
from gateway.security import Requires
from havn import permissions


@strawberry.input
class PartnerInput:
    slug: str
    name: str
    kind: str = strawberry.field(
        description="NGO, SPORTS_CLUB, EMPLOYER, FAITH, LIBRARY, VOLUNTEER_CENTRE or OTHER"
    )


@strawberry.type
class PartnerMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.community.PARTNER_REGISTER)],
        description="Registers a partner (or returns it: partners are shared).",
    )
    async def register_partner(self, info: Info, input: PartnerInput) -> Partner:
        payload = await community_post(
            info, "/v1/partners", {"slug": input.slug, "name": input.name, "kind": input.kind}
        )
        return Partner.from_payload(payload)
