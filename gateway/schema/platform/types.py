"""The platform administrator's view: each service's health, its dead letters (list, replay,
discard) and the municipalities on the platform. No child's data: an operator is cleared
for none, so their permissions name roles alone."""

from __future__ import annotations

import asyncio
from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from gateway.schema.common import DEFAULT_PAGE_SIZE, Connection, Payload, connection_of, page_size
from gateway.security import Requires, parse_id
from gateway.services import ServiceUnavailable
from havn import permissions
from havn.auth import Principal


@strawberry.enum(description="The services behind the gateway.")
class HavnService(Enum):
    INTAKE = "intake"
    CARE = "care"
    COMMUNITY = "community"
    TRANSITION = "transition"


@strawberry.type(description="One durable consumer's backlog (null while NATS is away).")
class ConsumerBacklog:
    name: str
    pending: int | None
    ack_pending: int | None


@strawberry.type(description="How a service and its event plumbing are doing (GET /v1/status).")
class ServiceHealth:
    service: HavnService
    reachable: bool = strawberry.field(description="Whether the service answered at all.")
    database: bool | None = strawberry.field(description="Whether its database answers.")
    nats: bool | None = strawberry.field(description="Whether NATS answers it in time.")
    outbox_unsent: int | None = strawberry.field(description="Events not yet sent to NATS.")
    outbox_lag_seconds: float | None = strawberry.field(
        description="Age of the oldest unsent event, in seconds."
    )
    consumers: list[ConsumerBacklog]
    dead_letters: int | None = strawberry.field(description="Dead letters waiting for you.")

    @classmethod
    def from_payload(cls, service: HavnService, p: Payload) -> ServiceHealth:
        return cls(
            service=service,
            reachable=True,
            database=p["database"] == "ok",
            nats=p["nats"] == "ok",
            outbox_unsent=p["outbox_unsent"],
            outbox_lag_seconds=p["outbox_lag_seconds"],
            consumers=[
                ConsumerBacklog(name=c["name"], pending=c["pending"], ack_pending=c["ack_pending"])
                for c in p["consumers"]
            ],
            dead_letters=p["dead_letters"],
        )

    @classmethod
    def unreachable(cls, service: HavnService) -> ServiceHealth:
        return cls(
            service=service,
            reachable=False,
            database=None,
            nats=None,
            outbox_unsent=None,
            outbox_lag_seconds=None,
            consumers=[],
            dead_letters=None,
        )


@strawberry.type(
    description="An event a consumer gave up on: where it failed, never what it carried."
)
class DeadLetter:
    id: strawberry.ID
    service: HavnService
    consumer: str
    event_id: strawberry.ID | None = strawberry.field(description="Null: not an event at all.")
    event_type: str | None
    subject: str
    municipality: str | None
    error_type: str
    deliveries: int
    parked_at: datetime
    replayed_at: datetime | None

    @classmethod
    def from_payload(cls, service: HavnService, p: Payload) -> DeadLetter:
        return cls(
            id=strawberry.ID(p["id"]),
            service=service,
            consumer=p["consumer"],
            event_id=strawberry.ID(p["event_id"]) if p["event_id"] else None,
            event_type=p["event_type"],
            subject=p["subject"],
            municipality=p["tenant"],
            error_type=p["error_type"],
            deliveries=p["deliveries"],
            parked_at=datetime.fromisoformat(p["parked_at"]),
            replayed_at=datetime.fromisoformat(p["replayed_at"]) if p["replayed_at"] else None,
        )


@strawberry.type
class Municipality:
    number: str
    name: str


async def _health(info: Info, principal: Principal, service: HavnService) -> ServiceHealth:
    try:
        payload = await info.context.services.call(principal, service.value, "GET", "/v1/status")
    except ServiceUnavailable:  # one service down must not hide the others' health
        return ServiceHealth.unreachable(service)
    return ServiceHealth.from_payload(service, payload)


@strawberry.type
class PlatformQuery:
    @strawberry.field(
        extensions=[Requires(permissions.platform.STATUS_READ)],
        description="Platform admin: each service's health, one call each.",
    )
    async def service_health(self, info: Info) -> list[ServiceHealth]:
        principal = info.context.principal
        return list(
            await asyncio.gather(*(_health(info, principal, service) for service in HavnService))
        )

    @strawberry.field(
        extensions=[Requires(permissions.platform.DEAD_LETTERS_READ)],
        description="Platform admin: a service's dead letters, newest first.",
    )
    async def dead_letters(
        self,
        info: Info,
        service: HavnService,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Connection[DeadLetter]:
        principal = info.context.principal
        page = await info.context.services.call(
            principal,
            service.value,
            "GET",
            "/v1/dead-letters",
            params={"first": page_size(first), "after": after},
        )
        return connection_of(page, lambda p: DeadLetter.from_payload(service, p))

    @strawberry.field(
        extensions=[Requires(permissions.intake.MUNICIPALITIES_READ)],
        description="Platform admin: the municipalities on the platform.",
    )
    async def municipalities(self, info: Info) -> list[Municipality]:
        principal = info.context.principal
        answer = await info.context.services.call(principal, "intake", "GET", "/v1/municipalities")
        return [Municipality(number=m["number"], name=m["name"]) for m in answer["items"]]


@strawberry.type
class PlatformMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.platform.DEAD_LETTER_REPLAY)],
        description="Platform admin: runs a dead letter's event through its consumer again.",
    )
    async def replay_dead_letter(
        self, info: Info, service: HavnService, id: strawberry.ID
    ) -> DeadLetter:
        principal = info.context.principal
        payload = await info.context.services.call(
            principal, service.value, "POST", f"/v1/dead-letters/{parse_id(id)}/replay"
        )
        return DeadLetter.from_payload(service, payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.platform.DEAD_LETTER_DISCARD)],
        description="Platform admin: deletes a dead letter for good (logged).",
    )
    async def discard_dead_letter(
        self, info: Info, service: HavnService, id: strawberry.ID
    ) -> DeadLetter:
        principal = info.context.principal
        payload = await info.context.services.call(
            principal, service.value, "DELETE", f"/v1/dead-letters/{parse_id(id)}"
        )
        return DeadLetter.from_payload(service, payload)
