"""Transition's background work: the milestone scheduler, which reaches and announces what
became due on the clock's today, once.

Tenancy. Row-level security hides every other tenant, so the scheduler cannot simply read
all due rows as one tenant. It works in two steps:

1. In a *system* transaction (the system role with the `havn.system` flag, as the relay) it reads
   which tenants have pending milestones due. A dedicated `for select` policy on
   `transition.milestones` lets the flag read that table's keys and dates (no names, no
   plans) and nothing else: it cannot write there, and it sees no other table.
2. For each of those tenants it opens an ordinary tenant-bound transaction, in which
   `service.milestones.reach_due_milestones` locks that tenant's due rows (`FOR UPDATE SKIP
   LOCKED`), marks them reached and writes one `transition.milestone.reached` outbox row
   each; it commits: the mark and the event stand or fall together.

Once per child and milestone. The key (child, milestone, occurrence) is unique and a row is
only taken while `reached_on` is null, so a second run, a concurrent replica, or a run after
a pause (which catches up on everything due meanwhile, in date order) finds nothing to fire
twice. The clock is the app's injectable `Clock`: tests move it and call `run_once`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.clock import Clock
from havn.db import scoped_transaction
from havn.events.contracts.transition import MilestoneReachedV1
from havn.events.tables import system_transaction
from services.transition import repository
from services.transition.service.milestones import reach_due_milestones

logger = logging.getLogger("havn.transition")

# Milestones become due by the day; a few minutes' delay after midnight is of no matter,
# and a frequent scan lets a moved clock (a demo, a test) show its effect soon.
SCAN_INTERVAL_SECONDS = 60.0
BATCH_SIZE = 200


@dataclass(frozen=True)
class ReachedMilestone:
    tenant: str
    event: MilestoneReachedV1


class MilestoneScheduler:
    """Fires due milestones for every tenant; `run_once` is one pass, `start` keeps passing."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        interval: float = SCAN_INTERVAL_SECONDS,
        batch_size: int = BATCH_SIZE,
        tenants: Collection[str] | None = None,
    ) -> None:
        """`tenants` confines the scheduler to some municipalities (a shard); None: all."""
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._interval = interval
        self._batch_size = batch_size
        self._tenants = frozenset(tenants) if tenants is not None else None
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> list[ReachedMilestone]:
        """Reaches every milestone due by today, tenant by tenant; returns what it fired."""
        today = self._clock.today()
        async with system_transaction(self._sessionmaker) as session:
            tenants = await repository.tenants_with_due_milestones(
                session, today=today, among=self._tenants
            )
        fired: list[ReachedMilestone] = []
        for tenant in tenants:
            while batch := await self._reach_in_tenant(tenant, today=today):
                fired.extend(batch)
        return fired

    async def _reach_in_tenant(self, tenant: str, *, today: date) -> list[ReachedMilestone]:
        async with scoped_transaction(self._sessionmaker, tenant=tenant) as session:
            reached = await reach_due_milestones(
                session, tenant=tenant, today=today, limit=self._batch_size
            )
        return [ReachedMilestone(tenant=tenant, event=event) for event in reached]

    async def start(self) -> None:
        self._task = asyncio.create_task(self._keep_running(), name="milestone scheduler")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _keep_running(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception:  # a failed pass is retried at the next; the loop must live on
                logger.exception("milestone scheduler pass failed")
            await asyncio.sleep(self._interval)


@asynccontextmanager
async def milestone_scheduler(app: FastAPI) -> AsyncIterator[None]:
    """The service's background scheduler, on the system role's sessionmaker and the clock."""
    scheduler = MilestoneScheduler(
        app.state.system_sessionmaker,
        app.state.clock,
        interval=app.state.settings.milestone_scan_interval,
    )
    app.state.milestone_scheduler = scheduler
    await scheduler.start()
    try:
        yield
    finally:
        await scheduler.stop()
