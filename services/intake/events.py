"""What intake publishes and what it consumes.

Intake is where a child's identity starts; the other services follow its events, written
with the change that causes them through `changes` (outbox and access log in one call). It
follows care's contact-person assignments, because a contact person sees only the children
assigned to them, and intake serves their view of the child.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from havn.changes import ChangeLog
from havn.events.consumer import Subscription
from havn.events.contracts import ChildSettledV1, ChildUpdatedV1
from havn.events.contracts.care import ContactPersonAssignedV1, ContactPersonUnassignedV1
from havn.events.envelope import Envelope
from services.intake import models, repository
from services.intake.models import Child, Referral

SERVICE = "intake"
changes = ChangeLog(service=SERVICE, outbox=models.events.outbox)


def child_identity(child: Child) -> dict[str, Any]:
    """The child's identity record as intake's events carry it."""
    return {
        "child_id": child.id,
        "first_name": child.first_name,
        "full_name": child.full_name,
        "date_of_birth": child.date_of_birth,
        "date_of_birth_estimated": child.date_of_birth_estimated,
        "sex": child.sex,
        "nationality": child.nationality,
        "languages": child.languages,
        "care_arrangement": child.care_arrangement,
        "revision": child.revision,
        "interpreter_needed": child.interpreter_needed,
    }


def child_settled(child: Child, referral: Referral) -> ChildSettledV1:
    """The child's identity record, as every other service starts to follow it."""
    return ChildSettledV1(
        **child_identity(child), referral_id=referral.id, settled_on=child.settled_on
    )


def child_updated(child: Child) -> ChildUpdatedV1:
    """The child's identity record after a change, numbered by its revision."""
    return ChildUpdatedV1(**child_identity(child))


async def follow_contact_person_assigned(session: AsyncSession, envelope: Envelope) -> None:
    """The child's new contact person sees it; the one replaced no longer does."""
    assigned = ContactPersonAssignedV1.from_envelope(envelope)
    if await repository.get_child(session, assigned.child_id) is None:
        # Care names a child in the municipality where intake had it first, so the child
        # has left since (never "not yet"): the assignment lapsed with the move. Kept, it
        # would hold the child's key here and refuse its next assignment where it lives.
        return
    await repository.assign_contact_person(
        session,
        child_id=assigned.child_id,
        tenant_id=envelope.tenant,
        username=assigned.username,
        on=assigned.assigned_on,
    )


async def follow_contact_person_unassigned(session: AsyncSession, envelope: Envelope) -> None:
    unassigned = ContactPersonUnassignedV1.from_envelope(envelope)
    await repository.unassign_contact_person(
        session, child_id=unassigned.child_id, username=unassigned.username
    )


SUBSCRIPTIONS: tuple[Subscription, ...] = (
    Subscription(
        durable="intake-contact-person-assigned",
        subject=f"havn.{ContactPersonAssignedV1.event_type}.*",
        handler=follow_contact_person_assigned,
    ),
    Subscription(
        durable="intake-contact-person-unassigned",
        subject=f"havn.{ContactPersonUnassignedV1.event_type}.*",
        handler=follow_contact_person_unassigned,
    ),
)
