"""Reach: which of a municipality's children a list, search or batch route returns.

One rule for every service: a contact person reaches only the children assigned to them;
every other municipal role a route admits reaches every child of its municipality (row-level
security keeps the other municipalities out). Care owns the assignment; the other services
keep a copy of it (`ContactAssignmentColumns`), following care's events.

Plus, when read by id, the children the caller opened by breaking the glass: a contact person
in an emergency (a child of the municipality not assigned to them), a municipality a relocation
is proposed to (the child still lives in the sending one); lists show them not
(`Reach.listed`). Intake owns these accesses; every service keeps a copy (`BreakGlassColumns`),
and each request looks up the caller's open ones by the service's clock (expiry is checked
when read, never swept). A child of another municipality is read there
(`in_childs_municipalities`), so that its access log records the read.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    DateTime,
    Index,
    String,
    Text,
    Uuid,
    delete,
    false,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, Mapped, declared_attr, mapped_column

from havn.audit import OPENED_BY_GLASS, OpenedChild
from havn.auth import Principal, Role
from havn.auth.dependencies import CurrentPrincipal
from havn.db import act_in_tenant, enable_tenant_rls
from havn.events.consumer import Subscription
from havn.events.contracts.care import ContactPersonAssignedV1, ContactPersonUnassignedV1
from havn.events.contracts.intake import BreakGlassOpenedV1
from havn.events.envelope import Envelope
from havn.http import Today, UnitOfWork

T = TypeVar("T")

# Roles that reach a child only while it is assigned to the user (DOMAIN.md: the contact
# person sees the children assigned to them).
ASSIGNMENT_BOUND = frozenset({Role.CONTACT_PERSON})
# The municipal staff who follow children and may break the glass to reach one beyond their
# reach; never partners, directorates, volunteer coordinators or admins.
BREAKS_GLASS = frozenset({Role.CONTACT_PERSON, Role.CASEWORKER, Role.SETTLEMENT_COORDINATOR})


@dataclass(frozen=True, slots=True)
class Reach:
    """The children of the tenant one caller reaches through one route."""

    every_child: bool = False
    # Set when the caller reaches only the children assigned to this user.
    assigned_to: str | None = None
    # The children of the tenant the caller opened by breaking the glass.
    opened: frozenset[uuid.UUID] = frozenset()

    @property
    def nobody(self) -> bool:
        return not self.every_child and self.assigned_to is None and not self.opened

    @property
    def listed(self) -> Reach:
        """The reach of a list, a search or a caseload: breaking the glass opens one child to
        be read, it does not put it among the children one follows."""
        return dataclasses.replace(self, opened=frozenset())

    def where(
        self,
        child_id: ColumnElement[uuid.UUID] | InstrumentedAttribute[uuid.UUID],
        assigned: Callable[[str], ColumnElement[bool]],
    ) -> ColumnElement[bool]:
        """The condition a query's children (`child_id`) must meet; `assigned(user)`: the
        child is assigned to user."""
        if self.every_child:
            return true()
        conditions = []
        if self.assigned_to is not None:
            conditions.append(assigned(self.assigned_to))
        if self.opened:
            conditions.append(child_id.in_(self.opened))
        return or_(*conditions) if conditions else false()


NOBODY = Reach()
EVERY_CHILD = Reach(every_child=True)


def reach_of(principal: Principal, readers: Collection[Role]) -> Reach:
    """A route's reach for the caller, given the roles the route admits.

    A role of the caller's among `readers` that is not assignment-bound reaches every child;
    holding only assignment-bound ones reaches the children assigned to the caller; no
    tenant, or no such role, reaches none. A role that may break the glass also reaches the
    children it opened; bound to a municipality not its own (`in_childs_municipalities`),
    a caller reaches those only.
    """
    held = principal.roles & frozenset(readers)
    if principal.tenant is None or not held:
        return NOBODY
    opened = opened_children(principal) if held & BREAKS_GLASS else frozenset()
    if principal.tenant not in principal.tenants:
        return Reach(opened=opened)
    if held - ASSIGNMENT_BOUND:
        return EVERY_CHILD
    return Reach(assigned_to=principal.username, opened=opened)


def opened_children(principal: Principal) -> frozenset[uuid.UUID]:
    """The children of the municipality the caller acts in that it opened by breaking the glass."""
    return frozenset(
        child_id
        for child_id, opened in OPENED_BY_GLASS.get().items()
        if opened.lives_in == principal.tenant
    )


# --- the copy of care's assignments other services keep ------------------------------------


class ContactAssignmentColumns:
    """Who is the child's contact person, as care announced it (a mixin for a service's model).

    A relocation deletes the row and does not carry it along: the contact person is a user of
    the municipality the child left (`havn.relocation`).
    """

    __tablename__ = "contact_assignments"

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (Index("ix_contact_assignments_username", "username"),)

    child_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    username: Mapped[str] = mapped_column(Text)
    assigned_on: Mapped[date] = mapped_column(Date)


def assigned_children(
    assignments: type[ContactAssignmentColumns],
    child_id: ColumnElement[uuid.UUID] | InstrumentedAttribute[uuid.UUID],
) -> Callable[[str], ColumnElement[bool]]:
    """`Reach.where`'s condition for a service keeping a copy: the child's id is assigned."""

    def assigned(username: str) -> ColumnElement[bool]:
        return child_id.in_(select(assignments.child_id).where(assignments.username == username))

    return assigned


async def follow_assignment(
    session: AsyncSession,
    assignments: type[ContactAssignmentColumns],
    *,
    child_id: uuid.UUID,
    tenant_id: str,
    username: str,
    on: date,
) -> None:
    """Records care's assignment; a later one replaces the earlier."""
    await session.execute(
        insert(assignments)
        .values(child_id=child_id, tenant_id=tenant_id, username=username, assigned_on=on)
        .on_conflict_do_update(
            index_elements=[assignments.child_id], set_={"username": username, "assigned_on": on}
        )
    )


async def forget_assignment(
    session: AsyncSession,
    assignments: type[ContactAssignmentColumns],
    *,
    child_id: uuid.UUID,
    username: str | None = None,
) -> None:
    """Forgets the child's contact person (only `username`'s assignment, when given)."""
    query = delete(assignments).where(assignments.child_id == child_id)
    if username is not None:
        query = query.where(assignments.username == username)
    await session.execute(query)


def assignment_subscriptions(
    service: str, assignments: type[ContactAssignmentColumns]
) -> tuple[Subscription, ...]:
    """The consumers that keep a service's copy of care's assignments."""

    async def follow_assigned(session: AsyncSession, envelope: Envelope) -> None:
        assigned = ContactPersonAssignedV1.from_envelope(envelope)
        await follow_assignment(
            session,
            assignments,
            child_id=assigned.child_id,
            tenant_id=envelope.tenant,
            username=assigned.username,
            on=assigned.assigned_on,
        )

    async def follow_unassigned(session: AsyncSession, envelope: Envelope) -> None:
        unassigned = ContactPersonUnassignedV1.from_envelope(envelope)
        await forget_assignment(
            session, assignments, child_id=unassigned.child_id, username=unassigned.username
        )

    return (
        Subscription(
            durable=f"{service}-contact-person-assigned",
            subject=f"havn.{ContactPersonAssignedV1.event_type}.*",
            handler=follow_assigned,
        ),
        Subscription(
            durable=f"{service}-contact-person-unassigned",
            subject=f"havn.{ContactPersonUnassignedV1.event_type}.*",
            handler=follow_unassigned,
        ),
    )


# --- break the glass: the copy of intake's accesses every service keeps ----------------------


class BreakGlassColumns:
    """A child opened by one user beyond their reach, until it expires (a mixin for a model).

    `tenant_id` is where the child lives (its log records the reads); `opened_in` is where
    the user acts. Row-level security shows the row to both.
    """

    __tablename__ = "break_glass_accesses"

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (Index("ix_break_glass_accesses_user", "username", "opened_in", "expires_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    child_id: Mapped[uuid.UUID] = mapped_column()
    username: Mapped[str] = mapped_column(Text)
    opened_in: Mapped[str] = mapped_column(String(4))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# Who sees a break-glass access row: the municipality the child lives in, and the one its user
# acts in (the migration's extra row-level security condition).
OPENED_IN_CONDITION = "opened_in = (select current_setting('havn.tenant', true))"


async def open_accesses(
    session: AsyncSession,
    accesses: type[BreakGlassColumns],
    *,
    username: str,
    tenant: str,
    now: datetime,
) -> dict[uuid.UUID, OpenedChild]:
    """The children a user acting in `tenant` has opened and not yet seen expire, at `now`."""
    query = select(accesses.child_id, accesses.id, accesses.tenant_id).where(
        accesses.username == username, accesses.opened_in == tenant, accesses.expires_at > now
    )
    return {
        child_id: OpenedChild(access_id=access_id, lives_in=lives_in)
        for child_id, access_id, lives_in in (await session.execute(query)).all()
    }


def note_opened_children(
    accesses: type[BreakGlassColumns],
) -> Callable[..., Awaitable[None]]:
    """A service's router dependency: before each request, the children its caller opened
    (one statement, and only for a role that may break the glass)."""

    async def note(principal: CurrentPrincipal, session: UnitOfWork, clock: Today) -> None:
        if principal.tenant is None or not principal.has_any_role(BREAKS_GLASS):
            return
        OPENED_BY_GLASS.set(
            await open_accesses(
                session,
                accesses,
                username=principal.username,
                tenant=principal.tenant,
                now=clock.now(),
            )
        )

    return note


def note_opened_child(child_id: uuid.UUID, opened: OpenedChild) -> None:
    """Adds a child opened during this request, so that what follows is marked too."""
    OPENED_BY_GLASS.set({**OPENED_BY_GLASS.get(), child_id: opened})


async def in_childs_municipalities(
    session: AsyncSession,
    principal: Principal,
    child_ids: Sequence[uuid.UUID],
    read: Callable[[Principal, Sequence[uuid.UUID]], Awaitable[list[T]]],
) -> list[T]:
    """`read` in the caller's municipality, then for the children it opened that live in
    another: bound to where each lives, as a caller that reaches only the children it opened
    there, so that row-level security shows them and their access log records the read."""
    found = list(await read(principal, child_ids))
    opened = OPENED_BY_GLASS.get()
    elsewhere: dict[str, list[uuid.UUID]] = {}
    for child_id in dict.fromkeys(child_ids):
        if child_id in opened and opened[child_id].lives_in != principal.tenant:
            elsewhere.setdefault(opened[child_id].lives_in, []).append(child_id)
    for tenant, ids in elsewhere.items():
        await act_in_tenant(session, tenant)
        found += await read(dataclasses.replace(principal, tenant=tenant), ids)
    if elsewhere and principal.tenant is not None:
        await act_in_tenant(session, principal.tenant)
    return found


async def follow_break_glass(
    session: AsyncSession, accesses: type[BreakGlassColumns], opened: BreakGlassOpenedV1
) -> None:
    """Records intake's access; a redelivery changes nothing."""
    await session.execute(
        insert(accesses)
        .values(
            id=opened.access_id,
            tenant_id=opened.lives_in,
            child_id=opened.child_id,
            username=opened.username,
            opened_in=opened.opened_in,
            expires_at=opened.expires_at,
        )
        .on_conflict_do_nothing(index_elements=[accesses.id])
    )


def break_glass_subscription(service: str, accesses: type[BreakGlassColumns]) -> Subscription:
    """The consumer that keeps a service's copy of intake's break-glass accesses."""

    async def follow(session: AsyncSession, envelope: Envelope) -> None:
        await follow_break_glass(session, accesses, BreakGlassOpenedV1.from_envelope(envelope))

    return Subscription(
        durable=f"{service}-break-glass-opened",
        subject=f"havn.{BreakGlassOpenedV1.event_type}.*",
        handler=follow,
    )


def create_break_glass_accesses(schema: str, *extra: Column[Any]) -> None:
    """Used inside migrations: a service's `break_glass_accesses` table (`BreakGlassColumns`,
    plus `extra` columns), under row-level security for both municipalities involved."""
    from alembic import op

    op.create_table(
        "break_glass_accesses",
        Column("id", Uuid(), primary_key=True),
        Column("tenant_id", String(4), nullable=False),
        Column("child_id", Uuid(), nullable=False),
        Column("username", Text(), nullable=False),
        Column("opened_in", String(4), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False),
        *extra,
        schema=schema,
    )
    op.create_index(
        "ix_break_glass_accesses_user",
        "break_glass_accesses",
        ["username", "opened_in", "expires_at"],
        schema=schema,
    )
    enable_tenant_rls(f"{schema}.break_glass_accesses", OPENED_IN_CONDITION)
