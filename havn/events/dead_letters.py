"""Dead letters: events a consumer gave up on, listed for the operator, replayed or discarded.

The routes read the service's `ConsumerGroup` from `app.state.consumers`: it knows the
sessionmaker, the inbox and dead-letter tables, and the handler of every consumer.
An operator (platform-admin) is cleared for no personal data, so a dead letter shows what
failed and where, never the event's data or the error's message. A message that was not an
envelope has no event id, type or tenant: it cannot be replayed, only inspected and
discarded. A dead letter stays until the operator replays or discards it; a replayed one is
purged with the inbox rows (havn/events/retention.py).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Row, Table, delete, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from havn import permissions
from havn.auth import Principal
from havn.db import scoped_transaction
from havn.errors import Conflict, NotFound
from havn.events.consumer import ConsumerGroup, apply_once
from havn.events.envelope import Envelope
from havn.events.tables import system_transaction
from havn.pagination import MAX_PAGE_SIZE, Page, decode_cursor, page_of
from havn.permissions.route import permitted

logger = logging.getLogger("havn.events")


class DeadLetter(BaseModel):
    """What an operator sees of a parked event: where it failed, not what it carried."""

    id: uuid.UUID
    consumer: str
    # None for a message that was not an envelope.
    event_id: uuid.UUID | None
    event_type: str | None
    subject: str
    tenant: str | None
    error_type: str
    deliveries: int
    parked_at: datetime
    replayed_at: datetime | None


def _columns(dead_letters: Table) -> tuple[ColumnElement[Any], ...]:
    c = dead_letters.c
    return (
        c.id,
        c.consumer,
        c.event_id,
        c.payload["type"].astext.label("event_type"),
        c.subject,
        c.tenant_id.label("tenant"),
        c.error_type,
        c.deliveries,
        c.parked_at,
        c.replayed_at,
    )


def _present(row: Row[Any]) -> DeadLetter:
    return DeadLetter.model_validate(row, from_attributes=True)


async def list_dead_letters(
    session: AsyncSession, dead_letters: Table, *, first: int, after: str | None
) -> Page[DeadLetter]:
    """Newest first; in a system transaction it lists every tenant's, otherwise the tenant's."""
    query = select(*_columns(dead_letters))
    key = decode_cursor(after, datetime.fromisoformat, uuid.UUID)
    if key is not None:
        query = query.where(tuple_(dead_letters.c.parked_at, dead_letters.c.id) < tuple(key))
    total = await session.scalar(select(func.count()).select_from(dead_letters))
    rows = (
        await session.execute(
            query.order_by(dead_letters.c.parked_at.desc(), dead_letters.c.id.desc()).limit(
                first + 1
            )
        )
    ).all()
    page = page_of(
        rows, first, total or 0, key=lambda row: (row.parked_at.isoformat(), str(row.id))
    )
    return page.map(_present)


async def replay_dead_letter(consumers: ConsumerGroup, dead_letter_id: uuid.UUID) -> DeadLetter:
    """Runs the consumer's handler again on a parked event, in the event's tenant.

    The dead letter is marked replayed in the same transaction, and the inbox check still
    applies: a second replay, even a concurrent one, is refused and applies nothing.
    """
    table = consumers.dead_letters
    async with system_transaction(consumers.sessionmaker) as session:
        parked = (
            await session.execute(
                select(table.c.consumer, table.c.tenant_id, table.c.payload).where(
                    table.c.id == dead_letter_id
                )
            )
        ).one_or_none()
    if parked is None:
        raise NotFound(f"dead letter {dead_letter_id} not found")
    handler = consumers.handler_for(parked.consumer)
    if handler is None:
        raise Conflict(f"this service has no consumer {parked.consumer!r} to replay it")
    if parked.tenant_id is None:
        raise Conflict(f"dead letter {dead_letter_id} is not an event: it cannot be replayed")
    envelope = Envelope.model_validate(parked.payload)
    async with scoped_transaction(consumers.sessionmaker, tenant=parked.tenant_id) as session:
        # Claiming the row first makes a concurrent replay wait here, then find it replayed.
        replayed = (
            await session.execute(
                update(table)
                .where(table.c.id == dead_letter_id, table.c.replayed_at.is_(None))
                .values(replayed_at=func.now())
                .returning(*_columns(table))
            )
        ).one_or_none()
        if replayed is None:
            raise Conflict(f"dead letter {dead_letter_id} has been replayed or discarded already")
        try:
            await apply_once(
                session,
                consumers.inbox,
                consumer=parked.consumer,
                envelope=envelope,
                handler=handler,
            )
        except Exception as error:
            logger.warning("replay of dead letter %s failed again", dead_letter_id, exc_info=True)
            raise Conflict(
                f"replaying dead letter {dead_letter_id} failed again ({type(error).__name__}); "
                "it stays parked"
            ) from error
    return _present(replayed)


async def discard_dead_letter(
    consumers: ConsumerGroup, dead_letter_id: uuid.UUID, *, by: Principal
) -> DeadLetter:
    """Deletes a dead letter for good, saying in the log who discarded which event where."""
    table = consumers.dead_letters
    async with system_transaction(consumers.sessionmaker) as session:
        discarded = (
            await session.execute(
                delete(table).where(table.c.id == dead_letter_id).returning(*_columns(table))
            )
        ).one_or_none()
    if discarded is None:
        raise NotFound(f"dead letter {dead_letter_id} not found")
    letter = _present(discarded)
    logger.warning(
        "dead letter %s discarded by %s: consumer %s, event %s (%s) on %s, tenant %s",
        letter.id,
        by.subject,
        letter.consumer,
        letter.event_id,
        letter.event_type,
        letter.subject,
        letter.tenant,
    )
    return letter


def _consumers(request: Request) -> ConsumerGroup:
    consumers: ConsumerGroup = request.app.state.consumers
    return consumers


def dead_letter_router() -> APIRouter:
    """`GET /v1/dead-letters`, `POST /v1/dead-letters/{id}/replay` and
    `DELETE /v1/dead-letters/{id}` (discard), platform-admin only."""
    router = APIRouter(prefix="/v1/dead-letters", tags=["dead letters"])

    @router.get("")
    async def list_parked_events(
        request: Request,
        _: Annotated[Principal, permitted(permissions.platform.DEAD_LETTERS_READ)],
        first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
        after: str | None = None,
    ) -> Page[DeadLetter]:
        consumers = _consumers(request)
        async with system_transaction(consumers.sessionmaker) as session:
            return await list_dead_letters(
                session, consumers.dead_letters, first=first, after=after
            )

    @router.post("/{dead_letter_id}/replay")
    async def replay_parked_event(
        dead_letter_id: uuid.UUID,
        request: Request,
        _: Annotated[Principal, permitted(permissions.platform.DEAD_LETTER_REPLAY)],
    ) -> DeadLetter:
        return await replay_dead_letter(_consumers(request), dead_letter_id)

    @router.delete("/{dead_letter_id}")
    async def discard_parked_event(
        dead_letter_id: uuid.UUID,
        request: Request,
        principal: Annotated[Principal, permitted(permissions.platform.DEAD_LETTER_DISCARD)],
    ) -> DeadLetter:
        return await discard_dead_letter(_consumers(request), dead_letter_id, by=principal)

    return router
