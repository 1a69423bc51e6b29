"""What intake consumes; what it publishes goes through its outbox, in api.py.

Intake is where a child's identity starts; the other services follow its events. It
follows care's contact-person assignments, because a contact person sees only the
children assigned to them, and intake serves their view of the child.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from havn.events.consumer import Subscription
from havn.events.contracts.care import ContactPersonAssignedV1, ContactPersonUnassignedV1
from havn.events.envelope import Envelope
from services.intake import repository


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
