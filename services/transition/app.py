"""The transition service: the plan towards independent life, aftercare and outcomes (phase 5)."""

from __future__ import annotations

from fastapi import FastAPI

from havn.clock import Clock
from havn.config import Settings
from havn.service import ServiceSpec, create_service_app
from services.transition import api, policy, statistics
from services.transition.events import SUBSCRIPTIONS
from services.transition.models import events, idempotency_keys
from services.transition.scheduler import milestone_scheduler

SPEC = ServiceSpec(
    name="transition",
    routers=[api.router, statistics.router],
    event_tables=events,
    idempotency_keys=idempotency_keys,
    subscriptions=(*SUBSCRIPTIONS, *policy.SUBSCRIPTIONS),
    background=(milestone_scheduler,),
)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_service_app(SPEC, settings, clock)
