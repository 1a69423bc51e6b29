"""Care's use cases called as a route calls them, and what they wrote, logged and published."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn import permissions
from havn.audit import access_log
from havn.auth import Principal, Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.permissions import Permission
from services.care import policy
from services.care.events import open_care_for_settled_child
from services.care.models import events
from services.care.schemas import CareGoalIn, CarePlanIn, ContactPersonIn
from services.care.service import contact_persons
from tests.factories import BERGEN, child_settled

Sessionmaker = async_sessionmaker[AsyncSession]
CLOCK = Clock()


def person(role: Role, username: str, tenant: str = BERGEN) -> Principal:
    return Principal(
        subject=f"{username}-subject",
        username=username,
        roles=frozenset({role}),
        tenants=(tenant,),
        tenant=tenant,
    )


CASEWORKER = person(Role.CASEWORKER, "bergen-caseworker")
CONTACT = person(Role.CONTACT_PERSON, "bergen-contact")
OTHER_CONTACT = person(Role.CONTACT_PERSON, "bergen-contact-2")
COORDINATOR = person(Role.SETTLEMENT_COORDINATOR, "bergen-coordinator")
ADMIN = person(Role.MUNICIPALITY_ADMIN, "bergen-admin")


async def settled_child(sessionmaker: Sessionmaker, tenant: str = BERGEN, **kw: Any) -> uuid.UUID:
    kw.setdefault("settled_on", CLOCK.today())
    envelope = child_settled(tenant=tenant, **kw)
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        await open_care_for_settled_child(session, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def call(
    sessionmaker: Sessionmaker,
    permission: Permission,
    use_case: Any,
    *,
    principal: Principal,
    **arguments: Any,
) -> Any:
    """Runs a use case as its route does: every care route notes who acts, the route's
    permission admits the caller, then the use case runs in the request's transaction."""
    async with scoped_transaction(sessionmaker, tenant=principal.tenant) as session:
        await policy.note_staff_member(principal, session)
        permission.require(principal)
        return await use_case(session, principal=principal, **arguments)


async def assigned_child(sessionmaker: Sessionmaker, username: str = "bergen-contact") -> uuid.UUID:
    child_id = await settled_child(sessionmaker)
    await call(
        sessionmaker,
        permissions.care.CONTACT_PERSON_ASSIGN,
        contact_persons.assign_contact_person,
        principal=CASEWORKER,
        child_id=child_id,
        body=ContactPersonIn(username=username),
        today=CLOCK.today(),
    )
    return child_id


async def count(
    sessionmaker: Sessionmaker, table: Any, child_id: uuid.UUID, tenant: str = BERGEN
) -> int:
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(table).where(table.child_id == child_id)
            )
            or 0
        )


async def writes_logged(sessionmaker: Sessionmaker, child_id: uuid.UUID) -> list[tuple[str, str]]:
    async with scoped_transaction(sessionmaker, tenant=BERGEN) as session:
        rows = await session.execute(
            select(access_log.c.data_class, access_log.c.operation)
            .where(access_log.c.child_id == child_id, access_log.c.action == "write")
            .order_by(access_log.c.id)
        )
        return [tuple(row) for row in rows]


async def reads_logged(
    sessionmaker: Sessionmaker, child_id: uuid.UUID, actor: str
) -> list[tuple[str, str]]:
    async with scoped_transaction(sessionmaker, tenant=BERGEN) as session:
        rows = await session.execute(
            select(access_log.c.data_class, access_log.c.operation)
            .where(
                access_log.c.child_id == child_id,
                access_log.c.action == "read",
                access_log.c.actor == actor,
            )
            .order_by(access_log.c.id)
        )
        return [tuple(row) for row in rows]


async def published(
    sessionmaker: Sessionmaker, child_id: uuid.UUID, tenant: str = BERGEN
) -> list[tuple[str, dict[str, Any]]]:
    outbox = events.outbox
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        rows = await session.execute(
            select(outbox.c.event_type, outbox.c.payload)
            .where(outbox.c.payload["data"]["child_id"].astext == str(child_id))
            .order_by(outbox.c.created_at)
        )
        return [(event_type, payload["data"]) for event_type, payload in rows]


def plan_input(words: str | None = "I want to play football", **goal: Any) -> CarePlanIn:
    values: dict[str, Any] = {
        "domain": "education",
        "description": "Starts at the introduction school",
        "measures": ["Enrol at Nygård school"],
        "responsible": "bergen-caseworker",
        "review_on": CLOCK.today() + timedelta(days=90),
    }
    values.update(goal)
    return CarePlanIn(goals=[CareGoalIn(**values)], childs_own_words=words)
