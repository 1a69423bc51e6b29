"""Reach by assignment: which of a municipality's children a list, search or batch route returns.

One rule for every service: a contact person reaches only the children assigned to them;
every other municipal role a route admits reaches every child of its municipality (row-level
security keeps the other municipalities out). Care owns the assignment; the other services
keep a copy of it (`ContactAssignmentColumns`), following care's events.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, Index, String, Text, delete, false, select, true
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, Mapped, declared_attr, mapped_column

from havn.auth import Principal, Role
from havn.events.consumer import Subscription
from havn.events.contracts.care import ContactPersonAssignedV1, ContactPersonUnassignedV1
from havn.events.envelope import Envelope

# Roles that reach a child only while it is assigned to the user (DOMAIN.md: the contact
# person sees the children assigned to them).
ASSIGNMENT_BOUND = frozenset({Role.CONTACT_PERSON})


@dataclass(frozen=True, slots=True)
class Reach:
    """The children of the tenant one caller reaches through one route."""

    every_child: bool = False
    # Set when the caller reaches only the children assigned to this user.
    assigned_to: str | None = None

    @property
    def nobody(self) -> bool:
        return not self.every_child and self.assigned_to is None

    def admits(self, contact_person: str | None) -> bool:
        """Whether a child with this contact person is reached."""
        return self.every_child or (
            self.assigned_to is not None and contact_person == self.assigned_to
        )

    def where(self, assigned: Callable[[str], ColumnElement[bool]]) -> ColumnElement[bool]:
        """The condition a query's children must meet; `assigned(user)`: assigned to user."""
        if self.every_child:
            return true()
        if self.assigned_to is None:
            return false()
        return assigned(self.assigned_to)


NOBODY = Reach()
EVERY_CHILD = Reach(every_child=True)


def reach_of(principal: Principal, readers: Collection[Role]) -> Reach:
    """A route's reach for the caller, given the roles the route admits.

    A role of the caller's among `readers` that is not assignment-bound reaches every child;
    holding only assignment-bound ones reaches the children assigned to the caller; no
    tenant, or no such role, reaches none.
    """
    held = principal.roles & frozenset(readers)
    if principal.tenant is None or not held:
        return NOBODY
    if held - ASSIGNMENT_BOUND:
        return EVERY_CHILD
    return Reach(assigned_to=principal.username)


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
