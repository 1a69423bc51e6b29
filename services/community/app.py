"""The community service: interests, offers and enrolments that build belonging (phase 4)."""

from __future__ import annotations

from fastapi import FastAPI

from havn.clock import Clock
from havn.config import Settings
from havn.service import ServiceSpec, create_service_app
from services.community import api
from services.community.events import SUBSCRIPTIONS
from services.community.models import events

SPEC = ServiceSpec(
    name="community", routers=[api.router], event_tables=events, subscriptions=SUBSCRIPTIONS
)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    return create_service_app(SPEC, settings, clock)
