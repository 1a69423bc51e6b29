"""A route that takes CurrentPrincipal gets the verified caller bound to its requested tenant."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from havn.auth.dependencies import CurrentPrincipal
from havn.auth.tokens import TokenVerifier
from havn.errors import Forbidden, Unauthenticated
from tests.auth.conftest import RunningIdp, password_token


@pytest.fixture
async def client(verifier: TokenVerifier) -> AsyncIterator[httpx.AsyncClient]:
    """An app with one protected route; no error handlers, so refusals surface as exceptions."""
    app = FastAPI()
    app.state.verifier = verifier

    @app.get("/me")
    async def me(principal: CurrentPrincipal) -> dict[str, Any]:
        return {
            "username": principal.username,
            "roles": sorted(principal.roles),
            "tenant": principal.tenant,
            "org": principal.org,
        }

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        yield client


@pytest.fixture
async def partner_token(http: httpx.AsyncClient, idp: RunningIdp) -> str:
    token: str = (await password_token(http, idp, "sos-partner"))["access_token"]
    return token


async def test_bearer_token_and_tenant_header_make_the_principal(
    client: httpx.AsyncClient, partner_token: str
) -> None:
    # when
    response = await client.get(
        "/me", headers={"Authorization": f"Bearer {partner_token}", "X-Havn-Tenant": "3203"}
    )

    # then
    assert response.json() == {
        "username": "sos-partner",
        "roles": ["partner"],
        "tenant": "3203",
        "org": "sos-barnebyer",
    }


async def test_tenant_header_outside_the_tokens_tenants_is_forbidden(
    client: httpx.AsyncClient, partner_token: str
) -> None:
    # when / then
    with pytest.raises(Forbidden):
        await client.get(
            "/me", headers={"Authorization": f"Bearer {partner_token}", "X-Havn-Tenant": "5501"}
        )


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer   ", "Basic aGF2bi1jbGk6ZGV2", "token abc"]
)
async def test_request_without_a_bearer_token_is_unauthenticated(
    client: httpx.AsyncClient, authorization: str | None
) -> None:
    # given
    headers = {} if authorization is None else {"Authorization": authorization}

    # when / then
    with pytest.raises(Unauthenticated, match="bearer token"):
        await client.get("/me", headers=headers)


async def test_request_with_an_invalid_bearer_token_is_unauthenticated(
    client: httpx.AsyncClient, partner_token: str
) -> None:
    # when / then
    with pytest.raises(Unauthenticated):
        await client.get("/me", headers={"Authorization": f"Bearer {partner_token}x"})
