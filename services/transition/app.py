"""The transition service: the plan towards independent life, aftercare and outcomes (phase 5)."""

from __future__ import annotations

from fastapi import FastAPI

from havn.clock import Clock
from havn.config import Settings
from havn.service import ServiceSpec, create_service_app
from services.transition import api, policy
from services.transition.background import milestone_scheduler
from services.transition.events import SUBSCRIPTIONS
from services.transition.models import events, idempotency_keys

SPEC = ServiceSpec(
    name="transition",
    routers=api.routers,
    event_tables=events,
    idempotency_keys=idempotency_keys,
    subscriptions=(*SUBSCRIPTIONS, *policy.SUBSCRIPTIONS),
    background=(milestone_scheduler,),
)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_service_app(SPEC, settings, clock)
