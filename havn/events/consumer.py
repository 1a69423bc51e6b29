"""Consuming events: durable JetStream pull consumers, applied once each through an inbox.

Each message is handled in one transaction bound to the event's tenant (a system principal
acting in that municipality): the inbox row and the handler's changes commit together, and
only then is the message acknowledged. A redelivered message finds its inbox row and is
acknowledged without running the handler again. A handler that keeps failing is retried
with `nak(delay)` and, at the last allowed delivery, parked as a dead letter.

Order. Every event type has its own durable consumer, so two events about one child (a
child.relocated and the child.updated right after it) are applied concurrently, in any
order. Nothing here sorts them; each handler checks that it may apply its event now and
raises `NotYetApplicable` when it may not (the child is not here yet, an earlier change
of it has not been applied: see `havn.projection.follow_revision`, which orders intake's
child events by their per-child `revision`). Then nothing commits, no inbox row is written
and the message is not acknowledged: it comes back after a delay that doubles from
`wait_delay` up to `max_wait_delay`, and after `max_waits` deliveries it is parked as a
dead letter for the operator. Waiting is logged once per event, not per delivery; failing
(an outage fails every event, every delivery) once a minute per consumer, with a count.

A failure of the database itself (it is away, restarting, or dropped the connection) says
nothing about the event: it is retried, with the same doubling delay, for as long as the
outage lasts, and never parked, so an event arriving while PostgreSQL restarts is applied
once it is back rather than left among the dead letters.

A message that is not an envelope, or whose data does not fit its contract, is parked at
once (no retry can fix it): a dead letter without a tenant or event id when it is not an
envelope, which only the operator's view (a system transaction) lists. So is an envelope
whose type and tenant do not name the subject it came on: the bus authenticates who
publishes on a subject (`havn.<service>.>` only for that service), not what the envelope
claims, so a forged source is parked, without a tenant, never applied.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial

import asyncpg
import nats.errors
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from pydantic import ValidationError
from sqlalchemy import Table, insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.db import scoped_transaction
from havn.events.contracts.base import UnknownContract, parse
from havn.events.envelope import STREAM, Envelope
from havn.events.stream import until_answered
from havn.events.tables import system_transaction
from havn.failure_log import FailureLog
from havn.telemetry import extract_context

logger = logging.getLogger("havn.events")
tracer = trace.get_tracer("havn.events")

Handler = Callable[[AsyncSession, Envelope], Awaitable[None]]

# How long one pull request waits for a message. It bounds how long a consumer takes to
# notice that NATS came back after a restart (the pending pull is lost with the server).
FETCH_WAIT_SECONDS = 2.0
ERROR_TEXT_LIMIT = 4000


class NotYetApplicable(Exception):
    """A handler cannot apply its event yet: what the event follows has not been applied.

    Raised when the child is not (yet) in the event's municipality, or an earlier change of
    it is still on its way. The consumer rolls back, writes no inbox row and redelivers
    the event later; it is parked as a dead letter only when the wait runs out.
    """


class ForeignEnvelope(Exception):
    """An envelope came on a subject other than its own (`havn.<type>.<tenant>`)."""

    def __init__(self, envelope: Envelope, subject: str) -> None:
        super().__init__(f"envelope of {envelope.subject} arrived on {subject}")


# What PostgreSQL says when it is away or on its way down or up (SQLSTATE classes 08 and
# 57P01-57P03), and what asyncpg raises when the connection is gone. Not the rest of
# asyncpg's InterfaceError: its DataError is a bad value, which no retry mends.
_OUTAGES = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,
    asyncpg.ConnectionDoesNotExistError,
)


def is_outage(error: BaseException) -> bool:
    """Whether a handler failed because the database was away, not because of the event."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, _OUTAGES):
            return True
        if isinstance(seen, DBAPIError) and seen.connection_invalidated:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def redelivery_delay(deliveries: int, *, first: float, longest: float) -> float:
    """How long an event that waited `deliveries` times waits next: doubling, bounded."""
    return min(first * 2 ** (deliveries - 1), longest)


@dataclass(frozen=True)
class Subscription:
    """One durable consumer: the events on `subject` (wildcards allowed) go to `handler`."""

    durable: str
    subject: str
    handler: Handler


async def apply_once(
    session: AsyncSession, inbox: Table, *, consumer: str, envelope: Envelope, handler: Handler
) -> bool:
    """Runs the handler unless this consumer applied the event before; returns whether it ran.

    A concurrent delivery of the same event waits on the inbox row's key until this
    transaction ends, then finds it: the handler never runs twice.
    """
    first_time = await session.scalar(
        pg_insert(inbox)
        .values(consumer=consumer, event_id=envelope.id, tenant_id=envelope.tenant)
        .on_conflict_do_nothing()
        .returning(inbox.c.event_id)
    )
    if first_time is None:
        return False
    await handler(session, envelope)
    return True


class ConsumerGroup:
    """The consumers of one service, each a task pulling from its durable consumer."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        inbox: Table,
        dead_letters: Table,
        js: JetStreamContext,
        subscriptions: Sequence[Subscription],
        *,
        max_deliver: int = 5,
        ack_wait: float = 30,
        nak_delay: float = 0.5,
        wait_delay: float = 0.5,
        max_wait_delay: float = 30.0,
        max_waits: int = 20,
    ) -> None:
        """`max_deliver` deliveries of a failing event, `nak_delay` s apart, before it is
        parked; an event `NotYetApplicable` is delivered up to `max_waits` times, waiting
        `wait_delay` s doubling up to `max_wait_delay` s (about 7.5 minutes with the
        defaults). Both count every delivery of the message.
        """
        durables = [subscription.durable for subscription in subscriptions]
        if len(set(durables)) != len(durables):
            raise ValueError(f"durable consumer names must be unique: {durables}")
        self.sessionmaker = sessionmaker
        self.inbox = inbox
        self.dead_letters = dead_letters
        self._js = js
        self._subscriptions = {subscription.durable: subscription for subscription in subscriptions}
        self._max_deliver = max_deliver
        self._ack_wait = ack_wait
        self._nak_delay = nak_delay
        self._wait_delay = wait_delay
        self._max_wait_delay = max_wait_delay
        self._max_waits = max_waits
        # (consumer, event id) of the events waiting here, so each wait is logged once.
        self._waiting: set[tuple[str, uuid.UUID]] = set()
        self._pulls: list[JetStreamContext.PullSubscription] = []
        self._workers: dict[str, asyncio.Task[None]] = {}
        # Workers waiting for a message, the only state in which `stop` may cancel them.
        self._idle: set[str] = set()
        self._stopping = False
        self._failures = FailureLog(logger)

    def handler_for(self, consumer: str) -> Handler | None:
        subscription = self._subscriptions.get(consumer)
        return subscription.handler if subscription else None

    async def start(self) -> None:
        """Creates the durable consumers that do not exist yet and starts pulling."""
        for subscription in self._subscriptions.values():
            pull = await until_answered(
                partial(
                    self._js.pull_subscribe,
                    subscription.subject,
                    durable=subscription.durable,
                    stream=STREAM,
                    config=ConsumerConfig(
                        ack_policy=AckPolicy.EXPLICIT,
                        deliver_policy=DeliverPolicy.ALL,
                        ack_wait=self._ack_wait,
                        # No server-side limit: parking is ours, and a message whose parking
                        # failed (database down) must come back to be parked again.
                        max_deliver=-1,
                    ),
                ),
                f"the consumer {subscription.durable}",
            )
            self._pulls.append(pull)
            self._workers[subscription.durable] = asyncio.create_task(
                self._consume(subscription, pull), name=f"consumer {subscription.durable}"
            )

    async def stop(self, grace_period: float = 10.0) -> None:
        """Lets messages in hand finish (up to `grace_period` s); waiting pulls are cancelled."""
        self._stopping = True
        for durable, worker in self._workers.items():
            if durable in self._idle:
                worker.cancel()
        if self._workers:
            _, late = await asyncio.wait(self._workers.values(), timeout=grace_period)
            for worker in late:
                worker.cancel()
            await asyncio.gather(*self._workers.values(), return_exceptions=True)
        self._workers.clear()
        for pull in self._pulls:
            with contextlib.suppress(nats.errors.Error):
                await pull.unsubscribe()
        self._pulls.clear()

    async def _consume(
        self, subscription: Subscription, pull: JetStreamContext.PullSubscription
    ) -> None:
        while not self._stopping:
            self._idle.add(subscription.durable)
            try:
                messages = await pull.fetch(1, timeout=FETCH_WAIT_SECONDS)
            except nats.errors.TimeoutError:
                continue
            except nats.errors.Error as error:
                self._failures.failed(f"consumer {subscription.durable}: fetching", error)
                await asyncio.sleep(FETCH_WAIT_SECONDS)
                continue
            finally:
                self._idle.discard(subscription.durable)
            self._failures.recovered(f"consumer {subscription.durable}: fetching")
            for message in messages:
                try:
                    await self._receive(subscription, message)
                except nats.errors.Error as error:
                    # The ack was lost: the message comes back after `ack_wait`, and the
                    # inbox acknowledges it without applying it twice.
                    logger.warning("consumer %s: %s", subscription.durable, error)

    async def _receive(self, subscription: Subscription, message: Msg) -> None:
        with tracer.start_as_current_span(
            f"{message.subject} process",
            context=extract_context(message.headers),
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "nats",
                "messaging.destination.name": message.subject,
                "messaging.consumer.group.name": subscription.durable,
            },
        ) as span:
            envelope = await self._read(subscription, message)
            if envelope is None:
                return
            span.set_attribute("messaging.message.id", str(envelope.id))
            span.set_attribute("havn.tenant", envelope.tenant)
            try:
                async with scoped_transaction(self.sessionmaker, tenant=envelope.tenant) as session:
                    await apply_once(
                        session,
                        self.inbox,
                        consumer=subscription.durable,
                        envelope=envelope,
                        handler=subscription.handler,
                    )
            except NotYetApplicable as reason:
                span.add_event("not yet applicable", {"havn.reason": str(reason)})
                await self._wait_or_park(subscription, message, envelope, reason)
                return
            except Exception as error:
                span.record_exception(error)
                span.set_status(Status(StatusCode.ERROR, type(error).__name__))
                if is_outage(error):
                    await self._wait_out_outage(subscription, message, error)
                else:
                    await self._retry_or_park(subscription, message, envelope, error)
                return
        if (subscription.durable, envelope.id) in self._waiting:
            self._waiting.discard((subscription.durable, envelope.id))
            logger.info(
                "consumer %s: event %s applied at delivery %d",
                subscription.durable,
                envelope.id,
                message.metadata.num_delivered,
            )
        self._failures.recovered(f"consumer {subscription.durable}")
        await message.ack()

    async def _read(self, subscription: Subscription, message: Msg) -> Envelope | None:
        """The message's envelope, its data checked against its contract; a message that
        fails either is parked at once (no retry can fix it) and None is returned.
        """
        try:
            envelope = Envelope.model_validate_json(message.data)
        except ValidationError as error:
            # Not something `publish` wrote: parked without a tenant or an event id.
            await self._park(subscription, message, error)
            return None
        if envelope.subject != message.subject:
            # The bus lets a service publish only under `havn.<itself>.`: an envelope naming
            # another source, tenant or event than its subject is forged or broken.
            await self._park(subscription, message, ForeignEnvelope(envelope, message.subject))
            return None
        try:
            parse(envelope)
        except (ValidationError, UnknownContract) as error:
            await self._park(subscription, message, error, envelope)
            return None
        return envelope

    async def _wait_or_park(
        self, subscription: Subscription, message: Msg, envelope: Envelope, reason: Exception
    ) -> None:
        deliveries = message.metadata.num_delivered
        key = (subscription.durable, envelope.id)
        if deliveries < self._max_waits:
            if key not in self._waiting:
                self._waiting.add(key)
                logger.info(
                    "consumer %s: event %s waits (up to %d deliveries): %s",
                    subscription.durable,
                    envelope.id,
                    self._max_waits,
                    reason,
                )
            await message.nak(
                delay=redelivery_delay(
                    deliveries, first=self._wait_delay, longest=self._max_wait_delay
                )
            )
            return
        await self._park(subscription, message, reason, envelope)

    async def _wait_out_outage(
        self, subscription: Subscription, message: Msg, error: Exception
    ) -> None:
        self._failures.failed(f"consumer {subscription.durable}: database away", error)
        delay = redelivery_delay(
            message.metadata.num_delivered, first=self._wait_delay, longest=self._max_wait_delay
        )
        await message.nak(delay=delay)

    async def _retry_or_park(
        self, subscription: Subscription, message: Msg, envelope: Envelope, error: Exception
    ) -> None:
        deliveries = message.metadata.num_delivered
        if deliveries < self._max_deliver:
            self._failures.failed(f"consumer {subscription.durable}", error)
            await message.nak(delay=self._nak_delay)
            return
        await self._park(subscription, message, error, envelope)

    async def _park(
        self,
        subscription: Subscription,
        message: Msg,
        error: Exception,
        envelope: Envelope | None = None,
    ) -> None:
        """Parks the message as a dead letter and terminates it; if parking fails (the
        database is down), the message comes back to be parked again.

        Without an envelope the message's bytes are kept as text, with no tenant.
        """
        event = str(envelope.id) if envelope else f"on {message.subject} (not an envelope)"
        if envelope:
            self._waiting.discard((subscription.durable, envelope.id))
        payload = (
            envelope.model_dump(mode="json")
            if envelope
            else message.data.decode("utf-8", errors="replace")
        )
        try:
            async with system_transaction(self.sessionmaker) as session:
                await session.execute(
                    insert(self.dead_letters).values(
                        consumer=subscription.durable,
                        event_id=envelope.id if envelope else None,
                        subject=message.subject,
                        tenant_id=envelope.tenant if envelope else None,
                        payload=payload,
                        headers=message.headers or {},
                        error_type=type(error).__qualname__,
                        error=f"{type(error).__qualname__}: {error}"[:ERROR_TEXT_LIMIT],
                        deliveries=message.metadata.num_delivered,
                    )
                )
        except Exception as parking_failed:
            # The database is down, most likely: every failing event comes here each delivery.
            self._failures.failed(
                f"consumer {subscription.durable}: parking", parking_failed, traceback=True
            )
            await message.nak(delay=self._nak_delay)
            return
        self._failures.recovered(f"consumer {subscription.durable}: parking")
        logger.error(
            "consumer %s: event %s parked as a dead letter after %d deliveries (%s)",
            subscription.durable,
            event,
            message.metadata.num_delivered,
            type(error).__qualname__,
        )
        await message.term()
