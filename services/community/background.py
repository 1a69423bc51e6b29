"""Community's background work: the sweep that closes grants whose agreement has ended.

Access itself already stops on the agreement's last day (reads check `expires_on`); the sweep
closes the grant and tells the other services.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.clock import Clock
from havn.db import scoped_transaction
from services.community import events
from services.community.repository import grants, municipalities

logger = logging.getLogger("havn.community")

# How often the sweep looks for grants whose agreement has ended.
GRANT_SWEEP_SECONDS = 30.0


async def close_expired_grants(sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> int:
    """Closes, in every municipality, the grants whose agreement ended; returns how many."""
    async with scoped_transaction(sessionmaker, tenant=None) as session:
        numbers = await municipalities.municipality_numbers(session)
    closed = 0
    for number in numbers:
        async with scoped_transaction(sessionmaker, tenant=number) as session:
            expired = await grants.expired_open_grants(session, today=clock.today())
            await events.close_grants(
                session, expired, now=clock.now(), reason="agreement expired", actor="system"
            )
            closed += len(expired)
    return closed


async def sweep_expired_grants(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    interval: float = GRANT_SWEEP_SECONDS,
) -> None:
    """Runs the sweep until cancelled; a failed round is logged and tried again."""
    while True:
        try:
            await close_expired_grants(sessionmaker, clock)
        except Exception:  # one bad round must not stop the next one
            logger.exception("closing expired grants failed")
        await asyncio.sleep(interval)


@asynccontextmanager
async def grant_sweep(app: FastAPI) -> AsyncIterator[None]:
    """The sweep, for as long as the service runs, on the requests' sessionmaker and clock."""
    sweep = asyncio.create_task(
        sweep_expired_grants(app.state.sessionmaker, app.state.clock),
        name="community grant sweep",
    )
    try:
        yield
    finally:
        sweep.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweep
