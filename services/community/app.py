"""The community service: partners, offers, volunteers and the grants that build belonging."""

from __future__ import annotations

from fastapi import FastAPI

from havn.clock import Clock
from havn.config import Settings
from havn.service import ServiceSpec, create_service_app
from services.community import policy
from services.community.api import routers
from services.community.background import grant_sweep
from services.community.events import SUBSCRIPTIONS
from services.community.models import events, idempotency_keys

SPEC = ServiceSpec(
    name="community",
    routers=routers,
    event_tables=events,
    idempotency_keys=idempotency_keys,
    subscriptions=(*SUBSCRIPTIONS, *policy.SUBSCRIPTIONS),
    background=(grant_sweep,),
)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_service_app(SPEC, settings, clock)
