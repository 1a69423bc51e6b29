"""How a service's event plumbing is doing: NATS, outbox lag, consumer backlog, dead letters.

Reported to the platform administrator on `GET /v1/status` and as OpenTelemetry gauges,
never by failing readiness: while NATS is away the outbox keeps writes working, so the
service can still serve (its `/readyz` asks only its database).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from typing import Annotated, Literal

import nats.errors
from fastapi import APIRouter, Request
from nats.aio.client import Client
from nats.js import JetStreamContext
from opentelemetry import metrics
from opentelemetry.metrics import CallbackOptions, Meter, Observation
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn import permissions
from havn.auth import Principal
from havn.events.envelope import STREAM
from havn.events.tables import EventTables, system_transaction
from havn.permissions.route import permitted
from havn.telemetry import metrics_exported

logger = logging.getLogger("havn")

# A probe that waits longer than this calls the part unreachable: a frozen NATS keeps its
# TCP connection open, so only a round trip within a deadline tells it is answering.
PROBE_TIMEOUT_SECONDS = 1.0
METRICS_INTERVAL_SECONDS = 15.0

Reachability = Literal["ok", "unreachable"]


class ConsumerStatus(BaseModel):
    """One durable consumer's backlog, as JetStream counts it (None while NATS is away)."""

    name: str
    pending: int | None = None
    ack_pending: int | None = None


class ServiceStatus(BaseModel):
    service: str
    database: Reachability
    nats: Reachability
    # Unsent outbox rows and the age of the oldest: how far events lag behind their commits.
    outbox_unsent: int | None
    outbox_lag_seconds: float | None
    consumers: list[ConsumerStatus]
    # Dead letters parked and not replayed yet.
    dead_letters: int | None


class StatusMonitor:
    """Collects one service's status; the last collected one feeds the gauges."""

    def __init__(
        self,
        service: str,
        sessionmaker: async_sessionmaker[AsyncSession],
        tables: EventTables,
        nats_client: Client,
        js: JetStreamContext,
        durables: Sequence[str],
    ) -> None:
        self.service = service
        self._sessionmaker = sessionmaker
        self._tables = tables
        self._nats = nats_client
        self._js = js
        self._durables = list(durables)
        self.latest: ServiceStatus | None = None

    async def collect(self) -> ServiceStatus:
        """Asks the database and NATS now, each within `PROBE_TIMEOUT_SECONDS`."""
        (database, unsent, lag, parked), nats_ok = await asyncio.gather(
            self._event_tables(), self._nats_round_trip()
        )
        consumers = (
            await asyncio.gather(*(self._consumer(name) for name in self._durables))
            if nats_ok
            else [
                ConsumerStatus(name=name, pending=None, ack_pending=None) for name in self._durables
            ]
        )
        self.latest = ServiceStatus(
            service=self.service,
            database=database,
            nats="ok" if nats_ok else "unreachable",
            outbox_unsent=unsent,
            outbox_lag_seconds=lag,
            consumers=list(consumers),
            dead_letters=parked,
        )
        return self.latest

    async def _event_tables(self) -> tuple[Reachability, int | None, float | None, int | None]:
        outbox, dead_letters = self._tables.outbox, self._tables.dead_letters
        unsent = outbox.c.sent_at.is_(None)
        query = select(
            select(func.count()).where(unsent).scalar_subquery(),
            select(func.extract("epoch", func.clock_timestamp() - func.min(outbox.c.created_at)))
            .where(unsent)
            .scalar_subquery(),
            select(func.count())
            .select_from(dead_letters)
            .where(dead_letters.c.replayed_at.is_(None))
            .scalar_subquery(),
        )
        try:
            async with asyncio.timeout(PROBE_TIMEOUT_SECONDS * 2):
                async with system_transaction(self._sessionmaker) as session:
                    count, lag, parked = (await session.execute(query)).one()
        except Exception:  # a status reports, it does not raise
            return "unreachable", None, None, None
        return "ok", count, float(lag or 0), parked

    async def _nats_round_trip(self) -> bool:
        """A JetStream request answered in time. Not `flush()`: its PING outlives a timeout,
        and the late PONG then breaks the client's connection (nats-py 2.x)."""
        if not self._nats.is_connected:
            return False
        try:
            await asyncio.wait_for(self._js.account_info(), PROBE_TIMEOUT_SECONDS)
        except Exception:  # timed out, closed or reconnecting: not answering
            return False
        return True

    async def _consumer(self, name: str) -> ConsumerStatus:
        try:
            info = await self._js.consumer_info(STREAM, name, timeout=PROBE_TIMEOUT_SECONDS)
        except (nats.errors.Error, TimeoutError):
            return ConsumerStatus(name=name)
        return ConsumerStatus(name=name, pending=info.num_pending, ack_pending=info.num_ack_pending)

    @contextlib.asynccontextmanager
    async def exported(self, interval: float = METRICS_INTERVAL_SECONDS) -> AsyncIterator[None]:
        """While open, the process's gauges report this service, refreshed every `interval` s.

        Only where metrics are exported: otherwise nobody reads them and nothing runs.
        """
        if not metrics_exported():
            yield
            return
        if not _exported_gauges:
            _exported_gauges.append(metrics.get_meter("havn"))
            register_status_gauges(_exported_gauges[0], lambda: list(_exported))
        _exported.append(self)

        async def refresh() -> None:
            while True:
                await self.collect()
                await asyncio.sleep(interval)

        task = asyncio.create_task(refresh(), name=f"status of {self.service}")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            _exported.remove(self)


# The monitors of the services this process runs (one in production, four in tests), and
# the meter their gauges were registered on, once per process.
_exported: list[StatusMonitor] = []
_exported_gauges: list[Meter] = []


def register_status_gauges(meter: Meter, monitors: Callable[[], Iterable[StatusMonitor]]) -> None:
    """The status as observable gauges, one series per service (and per consumer)."""

    def gauge(
        name: str,
        unit: str,
        description: str,
        values: Callable[[ServiceStatus], Iterable[tuple[float | None, dict[str, str]]]],
    ) -> None:
        def observe(_: CallbackOptions) -> Iterator[Observation]:
            for monitor in monitors():
                status = monitor.latest
                if status is None:
                    continue
                for value, attributes in values(status):
                    if value is not None:
                        yield Observation(value, {"havn.service": status.service, **attributes})

        meter.create_observable_gauge(name, callbacks=[observe], unit=unit, description=description)

    gauge(
        "havn.nats.reachable",
        "1",
        "1 when NATS answered a round trip in time, else 0",
        lambda s: [(1 if s.nats == "ok" else 0, {})],
    )
    gauge(
        "havn.outbox.unsent",
        "{event}",
        "outbox rows not yet sent to JetStream",
        lambda s: [(s.outbox_unsent, {})],
    )
    gauge(
        "havn.outbox.lag",
        "s",
        "age of the oldest unsent outbox row",
        lambda s: [(s.outbox_lag_seconds, {})],
    )
    gauge(
        "havn.consumer.pending",
        "{message}",
        "messages of the stream a consumer has not received yet",
        lambda s: [(c.pending, {"havn.consumer": c.name}) for c in s.consumers],
    )
    gauge(
        "havn.consumer.ack_pending",
        "{message}",
        "messages a consumer received and has not acknowledged yet",
        lambda s: [(c.ack_pending, {"havn.consumer": c.name}) for c in s.consumers],
    )
    gauge(
        "havn.dead_letters.parked",
        "{event}",
        "dead letters waiting for an operator",
        lambda s: [(s.dead_letters, {})],
    )


def status_router() -> APIRouter:
    """`GET /v1/status`: the service's status, for the platform administrator only."""
    router = APIRouter(tags=["status"])

    @router.get("/v1/status")
    async def service_status(
        request: Request, _: Annotated[Principal, permitted(permissions.platform.STATUS_READ)]
    ) -> ServiceStatus:
        monitor: StatusMonitor = request.app.state.status
        return await monitor.collect()

    return router
