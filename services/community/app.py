"""The community service: partners, offers, volunteers and the grants that build belonging."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from havn.clock import Clock
from havn.config import Settings
from havn.service import ServiceSpec, create_service_app
from services.community import api, policy
from services.community.events import SUBSCRIPTIONS, sweep_expired_grants
from services.community.models import events, idempotency_keys

SPEC = ServiceSpec(
    name="community",
    routers=[api.router],
    event_tables=events,
    idempotency_keys=idempotency_keys,
    subscriptions=(*SUBSCRIPTIONS, *policy.SUBSCRIPTIONS),
)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    app = create_service_app(SPEC, settings, clock)
    service_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """The service's own lifespan, plus the sweep that closes grants of ended agreements."""
        async with service_lifespan(app):
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

    app.router.lifespan_context = lifespan
    return app
