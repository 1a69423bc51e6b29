"""Helpers for transition tests: callers, a clock on a day, settling, events, what was written."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.audit import access_log
from havn.auth import Principal, Role
from havn.clock import NORWAY, Clock
from havn.db import scoped_transaction
from havn.reach import EVERY_CHILD
from services.transition import repository
from services.transition.events import open_transition_for_settled_child
from services.transition.models import events
from services.transition.schemas import present_transition
from tests.factories import BERGEN, child_settled

Sessionmaker = async_sessionmaker[AsyncSession]


def caller(role: Role, tenant: str = BERGEN) -> Principal:
    return Principal(
        subject=f"{role}-subject",
        username=f"{tenant}-{role}",
        roles=frozenset({role}),
        tenants=(tenant,),
        tenant=tenant,
    )


def clock_on(day: date) -> Clock:
    """A clock whose today is `day` (noon in Norway, far from either midnight)."""
    clock = Clock()
    set_day(clock, day)
    return clock


def set_day(clock: Clock, day: date) -> None:
    noon = datetime.combine(day, time(12), tzinfo=NORWAY).astimezone(UTC)
    clock.offset = noon - datetime.now(UTC)


async def settle(
    sessionmaker: Sessionmaker,
    *,
    tenant: str = BERGEN,
    date_of_birth: date = date(2010, 5, 17),
    settled_on: date = date(2026, 11, 2),
) -> uuid.UUID:
    """Delivers child.settled as the consumer does: in a transaction bound to its tenant."""
    envelope = child_settled(tenant=tenant, date_of_birth=date_of_birth, settled_on=settled_on)
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        await open_transition_for_settled_child(session, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def transition_as_shown(
    sessionmaker: Sessionmaker, child_id: uuid.UUID, *, tenant: str, today: date
) -> Any:
    """The child's transition as the batch route presents it on `today`."""
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        (transition,) = await repository.transitions_by_child_ids(
            session, [child_id], reach=EVERY_CHILD
        )
        return present_transition(transition, today)


async def published(
    sessionmaker: Sessionmaker, child_id: uuid.UUID, *, tenant: str, event_type: str
) -> list[dict[str, Any]]:
    """The data of every event of a type written to transition's outbox for one child."""
    outbox = events.outbox
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        rows = (
            await session.scalars(
                select(outbox.c.payload)
                .where(
                    outbox.c.event_type == event_type,
                    outbox.c.payload["data"]["child_id"].astext == str(child_id),
                )
                .order_by(outbox.c.created_at)
            )
        ).all()
    return [row["data"] for row in rows]


CHILD_BORN = date(2008, 3, 10)
CHILD_SETTLED = date(2024, 1, 15)


async def written(sessionmaker, child_id: uuid.UUID, tenant: str) -> dict[str, object]:
    """What a failed write must not have touched: the record, its events and its log."""
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        (transition,) = await repository.transitions_by_child_ids(
            session, [child_id], reach=EVERY_CHILD
        )
        writes = (
            await session.scalars(
                select(access_log.c.operation).where(
                    access_log.c.child_id == child_id, access_log.c.action == "write"
                )
            )
        ).all()
    outbox_events = []
    for event_type in (
        "transition.aftercare.decided",
        "transition.outcome.recorded",
    ):
        outbox_events += await published(
            sessionmaker, child_id, tenant=tenant, event_type=event_type
        )
    return {
        "decision": transition.aftercare_decision,
        "decisions": len(transition.decisions),
        "outcomes": len(transition.outcomes),
        "goals": len(transition.goals),
        "words": transition.youths_own_words,
        "writes": list(writes),
        "events": outbox_events,
    }
