"""Intake's queries: referrals, and the children a municipality follows."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.common import DEFAULT_PAGE_SIZE, Connection, connection_of, page_size
from gateway.schema.intake.types import Child, Referral, ReferralStatus
from gateway.security import parse_id
from havn.errors import NotFound


@strawberry.type
class IntakeQuery:
    @strawberry.field
    async def referral(self, info: Info, id: strawberry.ID) -> Referral | None:
        info.context.principal  # noqa: B018 - refuse unauthenticated callers before any call
        payload = await info.context.loaders.referral.load(parse_id(id))
        if payload is None:
            raise NotFound("no such referral")
        return Referral.from_payload(payload)

    @strawberry.field
    async def referrals(
        self,
        info: Info,
        status: ReferralStatus | None = None,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[Referral]:
        page = await info.context.services.call(
            info.context.principal,
            "intake",
            "GET",
            "/v1/referrals",
            params={
                "status": status.value if status else None,
                "first": page_size(first),
                "after": after,
            },
        )
        return connection_of(page, Referral.from_payload)

    @strawberry.field
    async def child(self, info: Info, id: strawberry.ID) -> Child | None:
        info.context.principal  # noqa: B018 - refuse unauthenticated callers before any call
        payload = await info.context.loaders.child.load(parse_id(id))
        if payload is None:
            raise NotFound("no such child")
        return Child.from_payload(payload)

    @strawberry.field(description="The caller's caseload in its municipality.")
    async def children(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Child]:
        page = await info.context.services.call(
            info.context.principal,
            "intake",
            "GET",
            "/v1/children",
            params={"first": page_size(first), "after": after},
        )
        for item in page["items"]:
            info.context.loaders.child.prime(parse_id(item["id"]), item)
        return connection_of(page, Child.from_payload)
