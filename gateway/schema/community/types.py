"""Community (phase 4) as the public schema shows it: partners, offers, enrolments."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from gateway.schema.common import Payload, optional_date
from gateway.security import parse_id

if TYPE_CHECKING:
    from gateway.schema.intake.types import Child


@strawberry.type
class Partner:
    id: strawberry.ID
    slug: str
    name: str
    kind: str


@strawberry.type
class Offer:
    id: strawberry.ID
    title: str
    partner: Partner
    tags: list[str]
    capacity: int
    enrolled: int


@strawberry.type
class Enrolment:
    id: strawberry.ID
    offer: Offer
    started_on: date
    ended_on: date | None
    active: bool
    child_id: strawberry.Private[str]

    @strawberry.field
    async def child(
        self, info: Info
    ) -> Annotated[Child, strawberry.lazy("gateway.schema.intake.types")] | None:
        from gateway.schema.intake.types import Child

        payload = await info.context.loaders.child.load(parse_id(self.child_id))
        return Child.from_payload(payload) if payload else None

    @classmethod
    def from_payload(cls, p: Payload) -> Enrolment:
        offer, partner = p["offer"], p["offer"]["partner"]
        return cls(
            id=strawberry.ID(p["id"]),
            offer=Offer(
                id=strawberry.ID(offer["id"]),
                title=offer["title"],
                tags=offer["tags"],
                capacity=offer["capacity"],
                enrolled=offer["enrolled"],
                partner=Partner(
                    id=strawberry.ID(partner["id"]),
                    slug=partner["slug"],
                    name=partner["name"],
                    kind=partner["kind"],
                ),
            ),
            started_on=date.fromisoformat(p["started_on"]),
            ended_on=optional_date(p["ended_on"]),
            active=p["active"],
            child_id=p["child_id"],
        )
