"""Retention: a background sweep purges the event rows a service no longer needs, in small batches.

What goes, and why it may (DESIGN.md, Events):
- a *sent* outbox row, once JetStream's duplicate window has passed: it has left, and a copy
  sent again after that could no longer be told apart by its `Nats-Msg-Id` anyway. An
  unsent row never goes (its `sent_at` is null, older than nothing).
- an inbox row, a day after the stream would have dropped its event: no redelivery, and no
  consumer created anew reading the stream from its start, can bring that event back.
- a dead letter once replayed, as long after as an inbox row. One not replayed stays until
  an operator replays or discards it (havn/events/dead_letters.py).

The sweep works in system transactions (as the relay does: every tenant's rows), one small
batch each, taken `FOR UPDATE SKIP LOCKED`, so replicas sweeping at once share the work and
no batch holds locks for long. Its clock is the app's `Clock`: tests move it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.clock import Clock
from havn.events.stream import DUPLICATE_WINDOW_SECONDS
from havn.events.tables import EventTables, system_transaction
from havn.failure_log import FailureLog

logger = logging.getLogger("havn.events")

BATCH_SIZE = 500
# Inbox rows outlive the stream's events by this much: clocks and the stream's own expiry
# (which runs now and then, not to the second) need not agree exactly.
INBOX_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class Purge:
    """The rows of `table` whose `column` is older than `keep` go; a null `column` never does."""

    name: str
    table: Table
    column: str
    keep: timedelta


def event_purges(tables: EventTables, *, stream_max_age: timedelta) -> list[Purge]:
    """What a service purges of its event tables, given how long the stream keeps events."""
    kept_past_the_stream = stream_max_age + INBOX_MARGIN
    return [
        Purge(
            "sent outbox rows",
            tables.outbox,
            "sent_at",
            timedelta(seconds=DUPLICATE_WINDOW_SECONDS),
        ),
        Purge("inbox rows", tables.inbox, "received_at", kept_past_the_stream),
        Purge("replayed dead letters", tables.dead_letters, "replayed_at", kept_past_the_stream),
    ]


class RetentionSweep:
    """Purges what `purges` say, every `interval` seconds; `run_once` is one full pass."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        purges: Sequence[Purge],
        clock: Clock,
        *,
        interval: float,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self._sessionmaker = sessionmaker
        self.purges = tuple(purges)
        self._clock = clock
        self._interval = interval
        self._batch_size = batch_size
        self._failures = FailureLog(logger)
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> dict[str, int]:
        """Purges everything due by the clock's now, batch by batch; returns counts by name."""
        now = self._clock.now()
        purged: dict[str, int] = {}
        for purge in self.purges:
            total = 0
            while (batch := await self._purge_batch(purge, before=now - purge.keep)) > 0:
                total += batch
                if batch < self._batch_size:
                    break
            purged[purge.name] = total
        if any(purged.values()):
            logger.info(
                "retention: purged %s",
                ", ".join(f"{count} {name}" for name, count in purged.items() if count),
            )
        return purged

    async def _purge_batch(self, purge: Purge, *, before: datetime) -> int:
        table = purge.table
        key = tuple_(*table.primary_key.columns)
        doomed = (
            select(*table.primary_key.columns)
            .where(table.c[purge.column] < before)
            .limit(self._batch_size)
            .with_for_update(skip_locked=True)
        )
        async with system_transaction(self._sessionmaker) as session:
            result = await session.execute(delete(table).where(key.in_(doomed)))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def start(self) -> None:
        self._task = asyncio.create_task(self._keep_sweeping(), name="retention sweep")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _keep_sweeping(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception as error:  # a failed pass is retried at the next; the loop lives on
                self._failures.failed("retention sweep", error, traceback=True)
            else:
                self._failures.recovered("retention sweep")
            await asyncio.sleep(self._interval)
