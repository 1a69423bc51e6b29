"""Intake (phases 1-2) as the public schema shows it, and the Child every phase hangs off."""

from __future__ import annotations

import uuid
from datetime import date
from enum import Enum

import strawberry
from strawberry.types import Info

from gateway.schema.care.types import Assessment, CarePlan, FollowUpNote
from gateway.schema.common import (
    DEFAULT_PAGE_SIZE,
    CareArrangement,
    Connection,
    Payload,
    Phase,
    connection_of,
    optional_date,
    page_size,
)
from gateway.schema.community.types import Enrolment
from gateway.schema.transition.types import Transition
from gateway.security import CARE_PLAN, COMMUNITY, CONFIDENTIAL, PERSONAL, TRANSITION, guard


@strawberry.enum
class ReferralStatus(Enum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    ARRIVED = "ARRIVED"
    WITHDRAWN = "WITHDRAWN"


@strawberry.enum
class PreparationTaskKind(Enum):
    HOUSING = "HOUSING"
    GUARDIAN = "GUARDIAN"
    SCHOOL = "SCHOOL"
    GP = "GP"
    HEALTH_CHECK = "HEALTH_CHECK"
    INTERPRETER = "INTERPRETER"
    BANK_ACCOUNT = "BANK_ACCOUNT"


@strawberry.type
class Child:
    """A settled child. Basic fields resolve from the intake payload; the rest as declared."""

    id: strawberry.ID
    municipality: str
    phase: Phase
    first_name: str
    age: int
    languages: list[str]
    payload: strawberry.Private[Payload]

    @classmethod
    def from_payload(cls, p: Payload) -> Child:
        return cls(
            id=strawberry.ID(p["id"]),
            municipality=p["municipality"],
            phase=Phase(p["phase"]),
            first_name=p["first_name"],
            age=p["age"],
            languages=p["languages"],
            payload=p,
        )

    @property
    def uuid(self) -> uuid.UUID:
        return uuid.UUID(self.id)

    @strawberry.field
    async def interests(self, info: Info) -> list[str]:
        community = await info.context.loaders.community.load(self.uuid)
        return list(community["interests"]) if community else []

    @strawberry.field
    def full_name(self, info: Info) -> str | None:
        guard(info, PERSONAL)
        return str(self.payload["full_name"])

    @strawberry.field
    def date_of_birth(self, info: Info) -> date | None:
        guard(info, PERSONAL)
        return optional_date(self.payload["date_of_birth"])

    @strawberry.field
    def nationality(self, info: Info) -> str | None:
        guard(info, PERSONAL)
        return str(self.payload["nationality"])

    @strawberry.field
    def sex(self, info: Info) -> str | None:
        guard(info, PERSONAL)
        return str(self.payload["sex"])

    @strawberry.field
    def care_arrangement(self, info: Info) -> CareArrangement | None:
        guard(info, PERSONAL)
        return CareArrangement(self.payload["care_arrangement"])

    @strawberry.field
    def settled_on(self, info: Info) -> date | None:
        guard(info, PERSONAL)
        return optional_date(self.payload["settled_on"])

    @strawberry.field
    async def care_plan(self, info: Info) -> CarePlan | None:
        guard(info, CARE_PLAN)
        care = await info.context.loaders.care.load(self.uuid)
        return CarePlan.from_payload(care["care_plan"]) if care and care["care_plan"] else None

    @strawberry.field(description="Confidential: null with FORBIDDEN for roles not cleared.")
    async def assessments(self, info: Info) -> list[Assessment] | None:
        guard(info, CONFIDENTIAL)
        care = await info.context.loaders.care.load(self.uuid)
        return [Assessment.from_payload(a) for a in (care or {}).get("assessments") or []]

    @strawberry.field(description="Confidential: null with FORBIDDEN for roles not cleared.")
    async def follow_up_notes(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[FollowUpNote] | None:
        guard(info, CONFIDENTIAL)
        page = await info.context.loaders.notes.load((self.uuid, page_size(first), after))
        return connection_of(page, FollowUpNote.from_payload)

    @strawberry.field
    async def enrolments(self, info: Info) -> list[Enrolment] | None:
        guard(info, COMMUNITY)
        community = await info.context.loaders.community.load(self.uuid)
        return [Enrolment.from_payload(e) for e in (community or {}).get("enrolments", [])]

    @strawberry.field
    async def transition(self, info: Info) -> Transition | None:
        guard(info, TRANSITION)
        transition = await info.context.loaders.transition.load(self.uuid)
        return Transition.from_payload(transition) if transition else None


@strawberry.type
class PreparationTask:
    kind: PreparationTaskKind
    done: bool
    due_on: date | None


@strawberry.type
class Referral:
    id: strawberry.ID
    municipality: str
    status: ReferralStatus
    respond_by: date
    overdue: bool
    planned_arrival: date | None
    care_arrangement: CareArrangement | None
    decline_reason: str | None
    preparation: list[PreparationTask]
    ready_for_arrival: bool
    child_id: strawberry.Private[str | None]

    @classmethod
    def from_payload(cls, p: Payload) -> Referral:
        arrangement = p["care_arrangement"]
        return cls(
            id=strawberry.ID(p["id"]),
            municipality=p["municipality"],
            status=ReferralStatus(p["status"]),
            respond_by=date.fromisoformat(p["respond_by"]),
            overdue=p["overdue"],
            planned_arrival=optional_date(p["planned_arrival"]),
            care_arrangement=CareArrangement(arrangement) if arrangement else None,
            decline_reason=p["decline_reason"],
            preparation=[
                PreparationTask(
                    kind=PreparationTaskKind(t["kind"]),
                    done=t["done"],
                    due_on=optional_date(t["due_on"]),
                )
                for t in p["preparation"]
            ],
            ready_for_arrival=p["ready_for_arrival"],
            child_id=p["child_id"],
        )

    @strawberry.field(description="The settled child, once ARRIVED and if you may see it.")
    async def child(self, info: Info) -> Child | None:
        if self.child_id is None:
            return None
        payload = await info.context.loaders.child.load(uuid.UUID(self.child_id))
        return Child.from_payload(payload) if payload else None
