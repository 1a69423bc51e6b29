"""The access log as the public schema shows it."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from gateway.schema.common import DEFAULT_PAGE_SIZE, Connection, Payload, connection_of, page_size
from gateway.security import Requires, parse_id
from havn import permissions


@strawberry.type
class AccessLogEntry:
    at: datetime
    actor: str
    role: str
    org: str | None
    action: str
    data_class: str
    operation: str | None
    service: str
    break_glass_access_id: strawberry.ID | None = strawberry.field(
        description="Set when the entry was made under a break-the-glass access (its id)."
    )

    @strawberry.field(description="Whether the actor had broken the glass to reach the child.")
    def break_glass(self) -> bool:
        return self.break_glass_access_id is not None

    @classmethod
    def from_payload(cls, p: Payload) -> AccessLogEntry:
        return cls(
            at=datetime.fromisoformat(p["at"]),
            actor=p["actor"],
            role=p["role"],
            org=p["org"],
            action=p["action"],
            data_class=p["data_class"],
            operation=p["operation"],
            service=p["service"],
            break_glass_access_id=strawberry.ID(p["break_glass_access_id"])
            if p["break_glass_access_id"]
            else None,
        )


@strawberry.type
class AuditQuery:
    @strawberry.field(
        extensions=[Requires(permissions.intake.ACCESS_LOG_READ)],
        description="Municipality admin: everything read or written about a child.",
    )
    async def access_log(
        self,
        info: Info,
        child_id: strawberry.ID,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[AccessLogEntry]:
        page = await info.context.services.call(
            info.context.principal,
            "intake",
            "GET",
            "/v1/access-log",
            params={
                "child_id": str(parse_id(child_id, "childId")),
                "first": page_size(first),
                "after": after,
            },
        )
        return connection_of(page, AccessLogEntry.from_payload)
