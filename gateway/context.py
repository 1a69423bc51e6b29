"""The per-request GraphQL context: who is calling, and the loaders bound to them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from fastapi import Request
from strawberry.fastapi import BaseContext

from gateway.loaders import Loaders
from gateway.services import ServiceClient
from havn.auth import Principal
from havn.auth.dependencies import current_principal
from havn.errors import HavnError, Unauthenticated


@dataclass
class Context(BaseContext):
    """Holds the verified principal, or the reason there is none (raised on first use)."""

    services: ServiceClient
    verified: Principal | None = None
    refusal: HavnError | None = None

    def __post_init__(self) -> None:
        super().__init__()

    @property
    def principal(self) -> Principal:
        if self.verified is None:
            raise self.refusal or Unauthenticated("a bearer token is required")
        return self.verified

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders.for_request(self.services, self.principal)


async def build_context(request: Request) -> Context:
    """Verifies the bearer token once, as every service does; a refusal is reported per field."""
    services: ServiceClient = request.app.state.services
    try:
        principal = await current_principal(request)
    except HavnError as refusal:
        return Context(services=services, refusal=refusal)
    return Context(services=services, verified=principal)
