"""What transition publishes and consumes.

It publishes `transition.milestone.reached` (the scheduler), `transition.aftercare.decided` and
`transition.outcome.recorded` (use cases), each through `changes`, in the transaction of the
change. It consumes settlement, corrected identities and relocations of children.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from havn.changes import ChangeLog
from havn.events.consumer import Subscription
from havn.events.contracts import ChildRelocatedV1, ChildSettledV1, ChildUpdatedV1
from havn.events.envelope import Envelope
from havn.projection import follow_revision
from havn.relocation import move_child
from services.transition import models, repository
from services.transition.domain import transitions

SERVICE = "transition"
changes = ChangeLog(service=SERVICE, outbox=models.events.outbox)


async def open_transition_for_settled_child(session: AsyncSession, envelope: Envelope) -> None:
    """Keeps the child, dates its transition plan and lays out its timeline, once."""
    settled = ChildSettledV1.from_envelope(envelope)
    child, transition, milestones = transitions.open_transition(
        settled=settled, tenant_id=envelope.tenant
    )
    transitions.keep_statistical_categories(
        child,
        sex=settled.sex,
        nationality=settled.nationality,
        care_arrangement=settled.care_arrangement,
    )
    # The record is added only with the projection: a redelivered event, or a child id that
    # is another tenant's, adds neither.
    if await repository.add_child_if_new(session, child):
        await repository.add_transition(session, transition, milestones)


async def follow_corrected_date_of_birth(session: AsyncSession, envelope: Envelope) -> None:
    """A corrected date of birth moves the plan's opening and the milestones still pending;
    a changed sex, nationality or care arrangement moves the child's statistical categories.
    """
    updated = ChildUpdatedV1.from_envelope(envelope)
    transition = await repository.get_transition(session, updated.child_id, for_update=True)
    if not follow_revision(transition.child if transition else None, updated.revision):
        return
    assert transition is not None, "follow_revision applies only a child that is here"
    transitions.correct_date_of_birth(transition, date_of_birth=updated.date_of_birth)
    transitions.keep_statistical_categories(
        transition.child,
        sex=updated.sex,
        nationality=updated.nationality,
        care_arrangement=updated.care_arrangement,
    )
    await session.flush()


async def move_relocated_child(session: AsyncSession, envelope: Envelope) -> None:
    """Hands the child's transition, timeline and history over to the receiving tenant."""
    relocated = ChildRelocatedV1.from_envelope(envelope)
    if relocated.from_tenant != envelope.tenant or relocated.to_tenant == relocated.from_tenant:
        # The event is published in the tenant the child leaves; anything else is not ours.
        return
    child = await repository.get_child(session, relocated.child_id)
    if not follow_revision(child, relocated.revision):
        return
    # The revision moves with the child's row.
    await session.flush()
    await move_child(
        session,
        models.Base.metadata,
        child_id=relocated.child_id,
        from_tenant=relocated.from_tenant,
        to_tenant=relocated.to_tenant,
    )


SUBSCRIPTIONS: tuple[Subscription, ...] = (
    Subscription(
        durable="transition-child-settled",
        subject=f"havn.{ChildSettledV1.event_type}.*",
        handler=open_transition_for_settled_child,
    ),
    Subscription(
        durable="transition-child-updated",
        subject=f"havn.{ChildUpdatedV1.event_type}.*",
        handler=follow_corrected_date_of_birth,
    ),
    Subscription(
        durable="transition-child-relocated",
        subject=f"havn.{ChildRelocatedV1.event_type}.*",
        handler=move_relocated_child,
    ),
)
