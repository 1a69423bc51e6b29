"""Transition's milestone and aftercare envelopes, handled as care does, and the plan read back."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from havn import vocabulary
from havn.db import scoped_transaction
from havn.events.contracts.transition import AftercareDecidedV1, MilestoneReachedV1
from havn.events.envelope import Envelope
from services.care import repository
from services.care.domain import care_plans
from services.care.events import open_care_for_settled_child
from services.care.models import CareGoal, CarePlan, CarePlanVersion
from tests.factories import BERGEN, child_settled

Handler = Callable[[Any, Envelope], Awaitable[None]]
BORN = date(2010, 5, 17)
EIGHTEEN = date(2028, 5, 17)
TWENTY_FIVE = date(2035, 5, 17)
AFTERCARE_ENDS = TWENTY_FIVE


def envelope_of(contract: Any, tenant: str) -> Envelope:
    return Envelope(
        type=contract.event_type,
        version=contract.version,
        tenant=tenant,
        actor="transition-scheduler",
        data=contract.model_dump(mode="json"),
    )


def milestone(
    child_id: uuid.UUID,
    kind: str,
    *,
    due_on: date,
    accepted: bool = False,
    tenant: str = BERGEN,
) -> Envelope:
    reached = MilestoneReachedV1(
        child_id=child_id,
        milestone=kind,
        occurrence=0,
        due_on=due_on,
        reached_on=due_on + timedelta(days=1),
        aftercare_accepted=accepted,
        phase="AFTERCARE" if accepted else "TRANSITION",
    )
    return envelope_of(reached, tenant)


def aftercare(
    child_id: uuid.UUID, status: str, *, decided_on: date, tenant: str = BERGEN
) -> Envelope:
    decided = AftercareDecidedV1(
        child_id=child_id,
        status=status,
        decided_on=decided_on,
        next_offer_on=decided_on + timedelta(days=365) if status == "DECLINED" else None,
        aftercare_ends_on=AFTERCARE_ENDS,
        phase="AFTERCARE" if status == "ACCEPTED" else "TRANSITION",
    )
    return envelope_of(decided, tenant)


async def handle(sessionmaker, handler: Handler, envelope: Envelope) -> None:
    """Runs a consumer's handler as the consumer does: in the event's tenant."""
    async with scoped_transaction(sessionmaker, tenant=envelope.tenant) as session:
        await handler(session, envelope)


async def settle(
    sessionmaker, *, tenant: str = BERGEN, settled_on: date = date(2026, 11, 2)
) -> uuid.UUID:
    envelope = child_settled(tenant=tenant, date_of_birth=BORN, settled_on=settled_on)
    await handle(sessionmaker, open_care_for_settled_child, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def approve(sessionmaker, child_id: uuid.UUID, *, tenant: str = BERGEN) -> None:
    """Gives the child's plan one goal and its approved version 1."""
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        plan = await session.get(CarePlan, child_id)
        assert plan is not None
        plan.childs_own_words = "I want to become an electrician"
        plan.status = vocabulary.CarePlanStatus.APPROVED
        plan.approved_on = date(2027, 1, 10)
        plan.approved_by = "bergen-caseworker"
        goal = CareGoal(
            tenant_id=tenant,
            child_id=child_id,
            domain="education",
            description="Finish lower secondary school",
            measures=["Homework help twice a week"],
            responsible="bergen-caseworker",
            review_on=date(2027, 6, 1),
        )
        session.add(goal)
        session.add(
            CarePlanVersion(
                tenant_id=tenant,
                child_id=child_id,
                version=1,
                approved_by="bergen-caseworker",
                approved_at=datetime(2027, 1, 10, 12, tzinfo=UTC),
                snapshot=care_plans.plan_snapshot([goal], plan.childs_own_words),
                changes=["first approved version"],
            )
        )


async def plan_of(sessionmaker, child_id: uuid.UUID, *, tenant: str = BERGEN) -> CarePlan:
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        plan = await repository.get_care_plan(session, child_id)
    assert plan is not None
    return plan


async def versions_of(sessionmaker, child_id: uuid.UUID, *, tenant: str = BERGEN) -> int:
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        query = select(func.count()).where(CarePlanVersion.child_id == child_id)
        return int(await session.scalar(query) or 0)


def state(plan: CarePlan) -> tuple[str, date | None, str | None]:
    return plan.status, plan.closed_on, plan.closed_reason


OPEN_APPROVED = ("APPROVED", None, None)
CLOSED_AT_18 = ("CLOSED", EIGHTEEN, "turned 18 without aftercare")
