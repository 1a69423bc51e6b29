"""What care consumes: a child settling, its identity changing, and its relocation (from
intake); the milestones of its age and its aftercare decisions (from transition), which end
and reopen its care plan.

What care publishes (contact person, plan approval, assessments; contracts in
`havn.events.contracts.care`) goes through its outbox, with the access log, from the use cases
in service/ (`changes`).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from havn.changes import ChangeLog
from havn.events.consumer import NotYetApplicable, Subscription
from havn.events.contracts import ChildRelocatedV1, ChildSettledV1, ChildUpdatedV1
from havn.events.contracts.transition import AftercareDecidedV1, MilestoneReachedV1
from havn.events.envelope import Envelope
from havn.projection import follow_revision
from havn.relocation import move_child
from services.care import repository
from services.care.domain import children, milestones
from services.care.models import Base, CarePlan
from services.care.models import events as event_tables

SERVICE = "care"
changes = ChangeLog(service=SERVICE, outbox=event_tables.outbox)


async def open_care_for_settled_child(session: AsyncSession, envelope: Envelope) -> None:
    """Keeps the child and drafts its care plan, once, in the event's tenant."""
    settled = ChildSettledV1.from_envelope(envelope)
    child, plan = children.open_care(settled=settled, tenant_id=envelope.tenant)
    # The plan is drafted only with the projection: a redelivered event, or a child id that
    # is another tenant's, adds neither.
    if await repository.add_child_if_new(session, child):
        await repository.add_care_plan(session, plan)


async def follow_child_identity(session: AsyncSession, envelope: Envelope) -> None:
    """Keeps the child's name, birth date and languages as intake now has them."""
    updated = ChildUpdatedV1.from_envelope(envelope)
    child = await repository.get_child(session, updated.child_id, for_update=True)
    if follow_revision(child, updated.revision):
        children.follow_identity(child, updated=updated)
        await session.flush()


async def hand_over_relocated_child(session: AsyncSession, envelope: Envelope) -> None:
    """Moves the child's whole care record to the receiving municipality.

    The contact person stays behind: they are a user of the municipality the child left.
    """
    relocated = ChildRelocatedV1.from_envelope(envelope)
    child = await repository.get_child(session, relocated.child_id, for_update=True)
    if not follow_revision(child, relocated.revision):
        return
    # The revision moves with the child's row.
    await session.flush()
    await move_child(
        session,
        Base.metadata,
        child_id=relocated.child_id,
        from_tenant=relocated.from_tenant,
        to_tenant=relocated.to_tenant,
    )
    # move_child leaves the transaction in the receiving tenant.
    child = await repository.get_child(session, relocated.child_id, for_update=True)
    if child is not None and child.contact_person is not None:
        children.unassign_contact_person(child)
        await session.flush()


async def follow_transition_milestone(session: AsyncSession, envelope: Envelope) -> None:
    """At 18 the care plan closes unless aftercare is accepted; at 25 it closes for good."""
    reached = MilestoneReachedV1.from_envelope(envelope)
    if reached.milestone not in milestones.PLAN_MILESTONES:
        return
    # Locked: an aftercare decision for the same child may be handled at the same time.
    plan = await repository.care_plan_for_update(session, reached.child_id)
    if milestones.follow_milestone(plan_here(plan, reached.child_id), reached=reached):
        await session.flush()


async def follow_aftercare_decision(session: AsyncSession, envelope: Envelope) -> None:
    """Accepted aftercare reopens a plan closed for want of it; a decline closes it."""
    decided = AftercareDecidedV1.from_envelope(envelope)
    plan = await repository.care_plan_for_update(session, decided.child_id)
    if milestones.follow_aftercare_decision(plan_here(plan, decided.child_id), decided=decided):
        await session.flush()


def plan_here(plan: CarePlan | None, child_id: uuid.UUID) -> CarePlan:
    """Transition follows a child care has settled: until care has it here (its settlement
    or relocation is on its way), the event waits.
    """
    if plan is None:
        raise NotYetApplicable(f"child {child_id} has no care plan here (yet)")
    return plan


SUBSCRIPTIONS: tuple[Subscription, ...] = (
    Subscription(
        durable="care-child-settled",
        subject=f"havn.{ChildSettledV1.event_type}.*",
        handler=open_care_for_settled_child,
    ),
    Subscription(
        durable="care-child-updated",
        subject=f"havn.{ChildUpdatedV1.event_type}.*",
        handler=follow_child_identity,
    ),
    Subscription(
        durable="care-child-relocated",
        subject=f"havn.{ChildRelocatedV1.event_type}.*",
        handler=hand_over_relocated_child,
    ),
    Subscription(
        durable="care-transition-milestone",
        subject=f"havn.{MilestoneReachedV1.event_type}.*",
        handler=follow_transition_milestone,
    ),
    Subscription(
        durable="care-aftercare-decided",
        subject=f"havn.{AftercareDecidedV1.event_type}.*",
        handler=follow_aftercare_decision,
    ),
)
