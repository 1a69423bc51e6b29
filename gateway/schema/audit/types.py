"""The access log as the public schema shows it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from gateway.schema.common import DEFAULT_PAGE_SIZE, Connection, Payload, connection_of, page_size
from gateway.security import Requires, parse_id
from havn import permissions
from havn.auth import DataClass


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
        description="Municipality admin: everything read or written about a child, newest "
        "first; `from`, `to`, `actor` and `dataClass` narrow it.",
    )
    async def access_log(
        self,
        info: Info,
        child_id: strawberry.ID,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
        since: Annotated[
            date | None,
            strawberry.argument(name="from", description="The first day (Norwegian time)."),
        ] = None,
        until: Annotated[
            date | None,
            strawberry.argument(name="to", description="The last day, included."),
        ] = None,
        actor: Annotated[
            str | None, strawberry.argument(description="Only this user's entries.")
        ] = None,
        data_class: DataClass | None = None,
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
                "since": since.isoformat() if since else None,
                "until": until.isoformat() if until else None,
                "actor": actor,
                "data_class": data_class.value if data_class else None,
            },
            renamed={"since": "from", "until": "to"},
        )
        return connection_of(page, AccessLogEntry.from_payload)
