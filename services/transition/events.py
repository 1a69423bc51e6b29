"""What transition consumes: a settled child gets a transition record. It publishes nothing yet."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from havn.events.consumer import Subscription
from havn.events.contracts import ChildSettledV1
from havn.events.envelope import Envelope
from services.transition import domain, repository


async def open_transition_for_settled_child(session: AsyncSession, envelope: Envelope) -> None:
    """Keeps the child and dates its transition plan, once, in the event's tenant."""
    settled = ChildSettledV1.from_envelope(envelope)
    child, transition = domain.open_transition(settled=settled, tenant_id=envelope.tenant)
    # The record is added only with the projection: a redelivered event, or a child id that
    # is another tenant's, adds neither.
    if await repository.add_child_if_new(session, child):
        await repository.add_transition(session, transition)


SUBSCRIPTIONS: tuple[Subscription, ...] = (
    Subscription(
        durable="transition-child-settled",
        subject=f"havn.{ChildSettledV1.event_type}.*",
        handler=open_transition_for_settled_child,
    ),
)
