"""The per-request GraphQL context: who is calling, and the loaders bound to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from fastapi import Request
from strawberry.fastapi import BaseContext

from gateway.loaders import Loaders
from gateway.services import ServiceClient
from havn.auth import Principal
from havn.auth.tokens import TokenVerifier, principal_from_claims
from havn.errors import HavnError, Unauthenticated


@dataclass
class Context(BaseContext):
    """Holds the verified principal, or the reason there is none (raised on first use)."""

    services: ServiceClient
    verified: Principal | None = None
    refusal: HavnError | None = None
    _loaders: Loaders | None = field(default=None, repr=False)

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
    """Verifies the bearer token once per request; GraphQL reports a refusal per field."""
    services: ServiceClient = request.app.state.services
    verifier: TokenVerifier = request.app.state.verifier
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return Context(services=services, refusal=Unauthenticated("a bearer token is required"))
    try:
        claims = await verifier.verify(token)
        principal = principal_from_claims(
            claims, token=token, requested_tenant=request.headers.get("x-havn-tenant") or None
        )
    except HavnError as refusal:
        return Context(services=services, refusal=refusal)
    return Context(services=services, verified=principal)
