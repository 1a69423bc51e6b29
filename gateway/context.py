"""The per-request GraphQL context: who is calling, the loaders bound to them, and the child
every phase's types point back to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property

from fastapi import Request
from strawberry.fastapi import BaseContext

from gateway.loaders import Loaders
from gateway.schema.child import Child, load_child
from gateway.services import ServiceClient
from havn.auth import Principal
from havn.auth.dependencies import current_principal
from havn.errors import HavnError, Unauthenticated
from havn.idempotency import IDEMPOTENCY_KEY_HEADER


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

    async def child(self, child_id: uuid.UUID) -> Child | None:
        """The child as the caller may see it, or None: for the types a Child is built from,
        which cannot import it (gateway/schema/common.py, `child_field`)."""
        return await load_child(self.loaders, child_id)


async def build_context(request: Request) -> Context:
    """Verifies the bearer token once, as every service does; a refusal is reported per field.

    A request with an `Idempotency-Key` calls the services with a key per call: a retried
    mutation is re-executed, and each service answers the response it stored for its key.
    """
    services: ServiceClient = request.app.state.services
    idempotency_key = request.headers.get(IDEMPOTENCY_KEY_HEADER)
    if idempotency_key is not None:
        services = services.keyed(idempotency_key)
    try:
        principal = await current_principal(request)
    except HavnError as refusal:
        return Context(services=services, refusal=refusal)
    return Context(services=services, verified=principal)
