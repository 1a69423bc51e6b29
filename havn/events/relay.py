"""The outbox relay: sends committed outbox rows to JetStream and marks them sent.

Woken by the NOTIFY that `publish` issues, so an event leaves as soon as its transaction
commits; a slow poll catches anything a lost notification would leave behind. Rows are
claimed `FOR UPDATE SKIP LOCKED`, so any number of relays (service replicas) can run
without sending one row twice at the same time; a row sent again after a crash carries
the same `Nats-Msg-Id`, which JetStream drops within its duplicate window and the
consumers' inbox beyond it.

Failures (NATS or the database away) are retried with a backoff doubling up to
`max_backoff`, and logged once a minute with a count (`FailureLog`). When NATS comes
back, `nats_reconnected` cuts the backoff short: the outbox drains at once, not after the
longest wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from typing import Any, NamedTuple

import asyncpg
import nats.errors
from nats.js import JetStreamContext
from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from havn.events.envelope import STREAM
from havn.events.tables import outbox_channel, system_transaction
from havn.failure_log import FailureLog

logger = logging.getLogger("havn.events")

FIRST_BACKOFF_SECONDS = 0.1
MAX_BACKOFF_SECONDS = 5.0


class _Listener(NamedTuple):
    """The pooled connection held for LISTEN, and the asyncpg connection under it."""

    connection: AsyncConnection
    driver: asyncpg.Connection


class OutboxRelay:
    """Relays one service's outbox to JetStream until stopped.

    Connects as the application role: it sees every tenant's outbox rows through the
    `havn.system` flag of its own transactions, and nothing else. One pooled connection
    of the sessionmaker's engine is held for LISTEN while the relay runs.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        outbox: Table,
        js: JetStreamContext,
        *,
        batch_size: int = 100,
        poll_interval: float = 1.0,
        publish_timeout: float = 2.0,
        first_backoff: float = FIRST_BACKOFF_SECONDS,
        max_backoff: float = MAX_BACKOFF_SECONDS,
        failures: FailureLog | None = None,
    ) -> None:
        engine = sessionmaker.kw.get("bind")
        if not isinstance(engine, AsyncEngine):
            raise TypeError("the relay needs a sessionmaker bound to an AsyncEngine")
        self._engine = engine
        self._sessionmaker = sessionmaker
        self._outbox = outbox
        self._js = js
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._publish_timeout = publish_timeout
        self._first_backoff = first_backoff
        self._max_backoff = max_backoff
        self._failures = failures or FailureLog(logger)
        self._channel = outbox_channel(outbox)
        self._claim = (
            select(outbox.c.id, outbox.c.subject, outbox.c.payload, outbox.c.headers)
            .where(outbox.c.sent_at.is_(None))
            .order_by(outbox.c.created_at)
            .limit(batch_size)
            .with_for_update(skip_locked=True)
        )
        self._wake = asyncio.Event()
        # Set when NATS is back: a backoff in progress ends, the next one starts short again.
        self._nats_back = asyncio.Event()
        self._stopping = asyncio.Event()
        # Consecutive failed batches; they set the backoff.
        self.failures = 0
        self._listener: _Listener | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listens first, then relays: nothing committed after `start` returns waits for a poll."""
        if self._task is not None:
            raise RuntimeError("the relay is already running")
        await self._listen()
        self._task = asyncio.create_task(self._run(), name=f"relay {self._channel}")

    async def stop(self, grace_period: float = 10.0) -> None:
        """Lets the batch in flight finish (up to `grace_period` seconds), then stops listening."""
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, grace_period)
            except TimeoutError:
                # Cancelled mid-batch: its rows stay unsent and are sent again, de-duplicated.
                logger.warning("relay %s: stopped mid-batch", self._channel)
            self._task = None
        await self._unlisten()

    async def nats_reconnected(self) -> None:
        """Called when the NATS connection is back (nats.py's reconnected callback)."""
        self._nats_back.set()

    def backoff(self) -> float:
        """The wait after the current run of failed batches: doubling, bounded."""
        return min(self._first_backoff * 2 ** (self.failures - 1), self._max_backoff)

    async def _run(self) -> None:
        what = f"relay {self._channel}"
        while not self._stopping.is_set():
            self._wake.clear()
            self._nats_back.clear()
            try:
                await self._listen()
                claimed = await self._relay_batch()
            except Exception as error:
                self.failures += 1
                self._failures.failed(what, error, traceback=True)
                await self._back_off()
                continue
            self.failures = 0
            self._failures.recovered(what)
            if claimed < self._batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._poll_interval)

    async def _back_off(self) -> None:
        """Waits out the backoff, unless the relay stops or NATS comes back first."""
        stopped_or_back = [
            asyncio.ensure_future(self._stopping.wait()),
            asyncio.ensure_future(self._nats_back.wait()),
        ]
        try:
            await asyncio.wait(
                stopped_or_back, timeout=self.backoff(), return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for waiter in stopped_or_back:
                waiter.cancel()
        if self._nats_back.is_set():
            self.failures = 0

    async def _relay_batch(self) -> int:
        """Sends the oldest unsent rows in order; returns how many it claimed.

        What JetStream acknowledged is marked sent even when a later row fails, so a NATS
        outage costs one timeout per batch, not a resend of the whole batch.
        """
        outbox = self._outbox
        failure: nats.errors.Error | None = None
        async with system_transaction(self._sessionmaker) as session:
            rows = (await session.execute(self._claim)).all()
            sent: list[uuid.UUID] = []
            for row in rows:
                try:
                    await self._send(row.id, row.subject, row.payload, row.headers)
                except nats.errors.Error as error:
                    failure = error
                    await session.execute(
                        update(outbox)
                        .where(outbox.c.id == row.id)
                        .values(attempts=outbox.c.attempts + 1)
                    )
                    break
                sent.append(row.id)
            if sent:
                await session.execute(
                    update(outbox).where(outbox.c.id.in_(sent)).values(sent_at=func.now())
                )
        if failure is not None:
            raise failure
        return len(rows)

    async def _send(
        self, event_id: uuid.UUID, subject: str, payload: dict[str, Any], headers: dict[str, str]
    ) -> None:
        await self._js.publish(
            subject,
            json.dumps(payload, separators=(",", ":")).encode(),
            timeout=self._publish_timeout,
            stream=STREAM,
            headers={**headers, "Nats-Msg-Id": str(event_id)},
        )

    async def _listen(self) -> None:
        """(Re)opens the LISTEN connection unless it is alive."""
        if self._listener is not None:
            if not self._listener.driver.is_closed():
                return
            await self._unlisten()
        connection = await self._engine.connect()
        try:
            # A notification reaches only a connection outside a transaction.
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            raw = await connection.get_raw_connection()
            driver: asyncpg.Connection = raw.driver_connection
            await driver.add_listener(self._channel, self._on_notify)
            # A lost connection wakes the loop, which listens again before its next batch.
            driver.add_termination_listener(self._on_listener_lost)
        except BaseException:
            await connection.invalidate()
            raise
        self._listener = _Listener(connection, driver)

    async def _unlisten(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            # Invalidated, not returned to the pool: the LISTEN must not outlive the relay.
            with contextlib.suppress(Exception):
                await listener.connection.invalidate()

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    def _on_listener_lost(self, *_: object) -> None:
        self._wake.set()
