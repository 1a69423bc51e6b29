"""The intake service: allocation and preparing settlement (phases 1-2)."""

from __future__ import annotations

from fastapi import FastAPI

from havn.clock import Clock
from havn.config import Settings
from havn.service import ServiceSpec, create_service_app
from services.intake.api import routers
from services.intake.events import SERVICE, SUBSCRIPTIONS
from services.intake.models import events, idempotency_keys

SPEC = ServiceSpec(
    name=SERVICE,
    routers=routers,
    event_tables=events,
    idempotency_keys=idempotency_keys,
    subscriptions=SUBSCRIPTIONS,
)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_service_app(SPEC, settings, clock)
