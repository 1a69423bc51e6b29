"""The one way a Havn service is assembled: the same app anatomy for all four."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import cast

from fastapi import APIRouter, FastAPI
from sqlalchemy import Table

from havn.auth.tokens import verifier_from
from havn.clock import Clock
from havn.config import Settings, get_settings
from havn.db import create_engine, create_sessionmaker
from havn.events.consumer import ConsumerGroup, Subscription
from havn.events.dead_letters import dead_letter_router
from havn.events.relay import OutboxRelay
from havn.events.retention import RetentionSweep, event_purges
from havn.events.stream import connect, ensure_stream
from havn.events.tables import EventTables
from havn.http import api_docs, health_router, install_error_handlers, secure
from havn.idempotency import IdempotencyStore, idempotency_purge
from havn.runtime import settle_heap
from havn.status import StatusMonitor, status_router
from havn.telemetry import instrument_app, setup_logging, setup_telemetry


@dataclass(frozen=True)
class ServiceSpec:
    """What makes one service different from the others."""

    name: str
    routers: Sequence[APIRouter]
    event_tables: EventTables
    idempotency_keys: Table
    subscriptions: Sequence[Subscription] = field(default_factory=tuple)
    # Extra background work (a scheduler, say), entered after the consumers start and left
    # before they stop; each gets the app, whose state holds the sessionmakers (requests',
    # and `system_sessionmaker` for work across tenants) and the clock.
    background: Sequence[Callable[[FastAPI], AbstractAsyncContextManager[None]]] = field(
        default_factory=tuple
    )


def create_service_app(
    spec: ServiceSpec, settings: Settings | None = None, clock: Clock | None = None
) -> FastAPI:
    """Builds a service: routes, errors, health, and a lifespan running its relay and consumers."""
    settings = settings or get_settings()
    urls = (
        settings.database_url,
        settings.database_system_url,
        settings.database_statistics_url,
        settings.nats_url,
    )
    if None in urls:
        raise RuntimeError(
            "HAVN_DATABASE_URL, HAVN_DATABASE_SYSTEM_URL, HAVN_DATABASE_STATISTICS_URL and "
            "HAVN_NATS_URL must be set for a service"
        )
    database_url, system_url, statistics_url, nats_url = cast(tuple[str, str, str, str], urls)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(database_url, pool_size=settings.database_pool_size)
        sessionmaker = create_sessionmaker(engine)
        # The relay, consumers, status and schedulers cross tenants in event tables: as the
        # system role, the only one whose `havn.system` flag opens them.
        system_engine = create_engine(system_url, pool_size=settings.database_pool_size)
        system_sessionmaker = create_sessionmaker(system_engine)
        # Pools open connections only when used: services without statistics open none.
        statistics_engine = create_engine(statistics_url, pool_size=2)
        verifier = verifier_from(settings)
        relay: OutboxRelay | None = None

        async def on_nats_reconnected() -> None:
            if relay is not None:
                await relay.nats_reconnected()

        nats, js = await connect(
            nats_url,
            user=spec.name,
            credentials_dir=settings.nats_credentials_dir,
            on_reconnected=on_nats_reconnected,
        )
        stream_max_age = timedelta(days=settings.stream_max_age_days)
        await ensure_stream(
            js,
            replicas=settings.stream_replicas,
            max_age=stream_max_age,
            max_bytes=settings.stream_max_bytes,
        )
        relay = OutboxRelay(system_sessionmaker, spec.event_tables.outbox, js)
        consumers = ConsumerGroup(
            system_sessionmaker,
            spec.event_tables.inbox,
            spec.event_tables.dead_letters,
            js,
            spec.subscriptions,
            max_deliver=settings.max_deliver,
            wait_delay=settings.event_wait_delay,
            max_wait_delay=settings.event_max_wait_delay,
            max_waits=settings.event_max_waits,
        )
        app.state.engine, app.state.sessionmaker = engine, sessionmaker
        app.state.system_sessionmaker = system_sessionmaker
        app.state.statistics_sessionmaker = create_sessionmaker(statistics_engine)
        app.state.verifier, app.state.nats = verifier, nats
        app.state.event_tables, app.state.consumers = spec.event_tables, consumers
        app.state.status = status = StatusMonitor(
            spec.name,
            system_sessionmaker,
            spec.event_tables,
            nats,
            js,
            [subscription.durable for subscription in spec.subscriptions],
        )
        # One sweep for everything a service keeps for a while: event rows, idempotency keys.
        app.state.retention = retention = RetentionSweep(
            system_sessionmaker,
            [
                *event_purges(spec.event_tables, stream_max_age=stream_max_age),
                idempotency_purge(app.state.idempotency),
            ],
            app.state.clock,
            interval=settings.retention_sweep_interval,
        )
        settle_heap()
        await relay.start()
        await consumers.start()
        await retention.start()
        try:
            async with AsyncExitStack() as background:
                await background.enter_async_context(status.exported())
                for task in spec.background:
                    await background.enter_async_context(task(app))
                yield
        finally:
            await retention.stop()
            await consumers.stop()
            await relay.stop()
            await nats.close()
            await verifier.aclose()
            for disposed in (engine, system_engine, statistics_engine):
                await disposed.dispose()

    dev = settings.env == "dev"
    app = FastAPI(title=f"havn-{spec.name}", lifespan=lifespan, **api_docs(dev=dev))
    app.state.service = spec.name
    app.state.clock = clock or Clock()
    app.state.idempotency = IdempotencyStore(
        spec.idempotency_keys, timedelta(hours=settings.idempotency_retention_hours)
    )
    app.state.settings = settings
    install_error_handlers(app)
    secure(app, dev=dev)
    app.include_router(health_router)
    app.include_router(dead_letter_router())
    app.include_router(status_router())
    for router in spec.routers:
        app.include_router(router)
    setup_logging(settings.log_level)
    setup_telemetry(f"havn-{spec.name}", otlp_endpoint=settings.otlp_endpoint)
    instrument_app(app)
    return app
