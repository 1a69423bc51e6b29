"""The care service: care plans, assessments and follow-up of a settled child (phase 3)."""

from __future__ import annotations

from fastapi import FastAPI

from havn.clock import Clock
from havn.config import Settings
from havn.service import ServiceSpec, create_service_app
from services.care import policy
from services.care.api import routers
from services.care.events import SERVICE, SUBSCRIPTIONS
from services.care.models import events, idempotency_keys

SPEC = ServiceSpec(
    name=SERVICE,
    routers=routers,
    event_tables=events,
    idempotency_keys=idempotency_keys,
    subscriptions=(*SUBSCRIPTIONS, *policy.SUBSCRIPTIONS),
)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_service_app(SPEC, settings, clock)
