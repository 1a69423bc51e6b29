"""Publishing an event: an outbox row written in the caller's transaction, never after it."""

from __future__ import annotations

from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from havn.events.contracts import Contract
from havn.events.envelope import Envelope
from havn.events.tables import outbox_channel
from havn.telemetry import inject_headers


async def publish(
    session: AsyncSession, contract: Contract, *, tenant: str, actor: str, outbox: Table
) -> Envelope:
    """Writes the event to the outbox in the caller's transaction; the relay sends it on commit.

    One statement: the row is inserted and the relay's channel notified (PostgreSQL holds
    the notification until commit and drops it on rollback, like the row). The row carries
    the current `traceparent`, so the consumer's span joins the publishing request's trace.
    `tenant` must be the transaction's tenant: row-level security refuses any other.
    """
    envelope = Envelope(
        type=contract.event_type,
        version=contract.version,
        tenant=tenant,
        actor=actor,
        data=contract.model_dump(mode="json"),
    )
    inserted = (
        insert(outbox)
        .values(
            id=envelope.id,
            tenant_id=tenant,
            subject=envelope.subject,
            event_type=envelope.type,
            version=envelope.version,
            payload=envelope.model_dump(mode="json"),
            headers=inject_headers(),
        )
        .returning(outbox.c.id)
        .cte("inserted")
    )
    await session.execute(select(func.pg_notify(outbox_channel(outbox), "")).select_from(inserted))
    return envelope
