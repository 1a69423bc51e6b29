"""FastAPI dependencies that turn a request's bearer token into the calling Principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from havn.auth.principal import Principal
from havn.auth.tokens import TokenVerifier, principal_from_claims
from havn.errors import Unauthenticated

TENANT_HEADER = "X-Havn-Tenant"


async def current_principal(request: Request) -> Principal:
    """Verifies the bearer token with the app's TokenVerifier and binds the requested tenant."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("missing bearer token")
    verifier: TokenVerifier = request.app.state.verifier
    claims = await verifier.verify(token)
    # An empty header is treated as absent, as a proxy may forward it that way.
    requested_tenant = request.headers.get(TENANT_HEADER, "").strip() or None
    return principal_from_claims(claims, token=token, requested_tenant=requested_tenant)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
