"""What community consumes: a settled child becomes someone offers can be matched to.

It publishes nothing yet.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from havn.events.consumer import Subscription
from havn.events.contracts import ChildSettledV1
from havn.events.envelope import Envelope
from services.community import domain, repository


async def project_settled_child(session: AsyncSession, envelope: Envelope) -> None:
    """Keeps the child, once, in the event's tenant; another tenant's child id adds nothing."""
    settled = ChildSettledV1.from_envelope(envelope)
    await repository.add_child_if_new(
        session, domain.project_settled_child(settled=settled, tenant_id=envelope.tenant)
    )


SUBSCRIPTIONS: tuple[Subscription, ...] = (
    Subscription(
        durable="community-child-settled",
        subject=f"havn.{ChildSettledV1.event_type}.*",
        handler=project_settled_child,
    ),
)
