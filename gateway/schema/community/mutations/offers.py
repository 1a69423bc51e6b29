"""Community's offer mutation: a partner's offer in the municipality."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.community.mutations.calls import community_post
from gateway.schema.community.types import Offer
from gateway.security import Requires
from havn import permissions


@strawberry.input
class OfferInput:
    partner_slug: str
    title: str
    tags: list[str]
    capacity: int
    languages: list[str] | None = None
    kind: str = strawberry.field(
        default="LEISURE", description="LEISURE, LANGUAGE_CAFE, WORK_TRAINING or SUMMER_JOB"
    )
    schedule: str | None = None


@strawberry.type
class OfferMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.community.OFFER_CREATE)],
        description="An offer by a partner with an agreement in force.",
    )
    async def create_offer(self, info: Info, input: OfferInput) -> Offer:
        payload = await community_post(
            info,
            "/v1/offers",
            {
                "partner_slug": input.partner_slug,
                "title": input.title,
                "kind": input.kind,
                "tags": input.tags,
                "languages": input.languages or [],
                "capacity": input.capacity,
                "schedule": input.schedule,
            },
        )
        return Offer.from_payload(payload)
