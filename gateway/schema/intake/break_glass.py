"""Break the glass: open a child beyond one's reach for a while, with a reason; the admin of the
child's municipality reviews who did, why, and what they read."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from gateway.schema.common import DEFAULT_PAGE_SIZE, Connection, Payload, connection_of, page_size
from gateway.security import Requires, caller, parse_id
from havn import permissions


@strawberry.type(description="A child opened beyond its reader's reach, until it expires.")
class BreakGlassAccess:
    id: strawberry.ID
    child_id: strawberry.ID
    municipality: str = strawberry.field(description="Where the child lives (its access log).")
    opened_in: str = strawberry.field(description="The municipality the user acted in.")
    actor: str
    role: str
    reason: str
    opened_at: datetime
    expires_at: datetime
    active: bool
    reads: int = strawberry.field(description="Access-log entries of reads made under it.")

    @classmethod
    def from_payload(cls, p: Payload) -> BreakGlassAccess:
        return cls(
            id=strawberry.ID(p["id"]),
            child_id=strawberry.ID(p["child_id"]),
            municipality=p["municipality"],
            opened_in=p["opened_in"],
            actor=p["username"],
            role=p["role"],
            reason=p["reason"],
            opened_at=datetime.fromisoformat(p["opened_at"]),
            expires_at=datetime.fromisoformat(p["expires_at"]),
            active=p["active"],
            reads=p["reads"],
        )


@strawberry.type
class BreakGlassMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.intake.BREAK_GLASS)],
        description="Open a child beyond your reach (an emergency; a relocation proposed to "
        "your municipality) for a limited time, saying why. Every read is marked in the "
        "child's access log, and its municipality's admin reviews the access.",
    )
    async def break_the_glass(
        self, info: Info, child_id: strawberry.ID, reason: str
    ) -> BreakGlassAccess:
        principal = caller(info)
        payload = await info.context.services.call(
            principal,
            "intake",
            "POST",
            "/v1/break-glass",
            json={"child_id": str(parse_id(child_id, "childId")), "reason": reason},
        )
        return BreakGlassAccess.from_payload(payload)


@strawberry.type
class BreakGlassQuery:
    @strawberry.field(
        extensions=[Requires(permissions.intake.BREAK_GLASS_REVIEW)],
        description="Municipality admin: who broke the glass to open your municipality's "
        "children, when, why, until when, and how many reads they made; newest first.",
    )
    async def break_glass_accesses(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[BreakGlassAccess]:
        principal = caller(info)
        page = await info.context.services.call(
            principal,
            "intake",
            "GET",
            "/v1/break-glass",
            params={"first": page_size(first), "after": after},
        )
        return connection_of(page, BreakGlassAccess.from_payload)
