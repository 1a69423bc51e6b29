"""What care consumes: a settled child opens its care record. It publishes nothing yet."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from havn.events.consumer import Subscription
from havn.events.contracts import ChildSettledV1
from havn.events.envelope import Envelope
from services.care import domain, repository


async def open_care_for_settled_child(session: AsyncSession, envelope: Envelope) -> None:
    """Keeps the child and drafts its care plan, once, in the event's tenant."""
    settled = ChildSettledV1.from_envelope(envelope)
    child, plan = domain.open_care(settled=settled, tenant_id=envelope.tenant)
    # The plan is drafted only with the projection: a redelivered event, or a child id that
    # is another tenant's, adds neither.
    if await repository.add_child_if_new(session, child):
        await repository.add_care_plan(session, plan)


SUBSCRIPTIONS: tuple[Subscription, ...] = (
    Subscription(
        durable="care-child-settled",
        subject=f"havn.{ChildSettledV1.event_type}.*",
        handler=open_care_for_settled_child,
    ),
)
