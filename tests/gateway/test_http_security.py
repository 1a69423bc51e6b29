"""HTTP hardening of the gateway and every service: security headers, API docs only in dev,
and tokens not yet valid refused at every door."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from cli.stack import InProcessStack, service_app
from gateway.app import create_app as create_gateway
from havn.auth.idp import load_or_create_signing_key
from havn.config import SERVICES, Settings
from havn.http import API_CSP, DEV_PAGE_CSP
from tests.auth.forged import sign, unverified_claims
from tests.client import GraphQLClient

ME = "{ me { username } }"


def base_urls(stack: InProcessStack) -> dict[str, str]:
    ports = {name: getattr(stack.settings, f"{name}_port") for name in SERVICES}
    return {
        "gateway": stack.gateway_url,
        **{name: f"http://127.0.0.1:{port}" for name, port in ports.items()},
    }


async def test_every_response_of_the_gateway_and_the_services_carries_the_security_headers(
    gql: GraphQLClient, stack: InProcessStack
) -> None:
    # given a data response of the gateway, a data response and a refusal of each service
    token = await gql.token("bergen-caseworker")
    bearer = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient() as http:
        responses = {
            "gateway": await http.post(
                f"{stack.gateway_url}/graphql", json={"query": ME}, headers=bearer
            )
        }
        for name, url in base_urls(stack).items():
            responses[f"{name} unauthenticated"] = await http.get(f"{url}/v1/nothing-here")
            responses[f"{name} health"] = await http.get(f"{url}/healthz")

    # then
    for name, response in responses.items():
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff", name
        assert headers["x-frame-options"] == "DENY", name
        assert headers["referrer-policy"] == "no-referrer", name
        assert headers["cache-control"] == "no-store", name
        assert headers["content-security-policy"] == API_CSP, name
        assert "frame-ancestors 'none'" in headers["content-security-policy"], name


@pytest.mark.parametrize("path", ["/openapi.json", "/docs", "/redoc"])
async def test_outside_dev_no_app_describes_its_api(stack: InProcessStack, path: str) -> None:
    async with httpx.AsyncClient() as http:
        statuses = {
            name: (await http.get(f"{url}{path}")).status_code
            for name, url in base_urls(stack).items()
        }
    assert statuses == dict.fromkeys(statuses, 404)


def dev_apps(stack: InProcessStack) -> dict[str, FastAPI]:
    settings = Settings.model_validate({**stack.settings.model_dump(), "env": "dev"})
    return {
        "gateway": create_gateway(settings),
        **{name: service_app(name, settings) for name in SERVICES},
    }


async def test_in_dev_every_app_serves_its_api_description_and_docs(stack: InProcessStack) -> None:
    for name, app in dev_apps(stack).items():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as http:
            described = await http.get("/openapi.json")
            docs = await http.get("/docs")
        assert described.status_code == 200, name
        assert docs.status_code == 200, name
        # the docs page loads its scripts: it gets the dev pages' policy, still unframeable
        assert docs.headers["content-security-policy"] == DEV_PAGE_CSP, name
        assert described.headers["content-security-policy"] == API_CSP, name


def token_valid_from(token: str, stack: InProcessStack, *, seconds: int) -> str:
    now = int(time.time())
    claims: dict[str, Any] = unverified_claims(token) | {
        "nbf": now + seconds,
        "exp": now + seconds + 300,
    }
    return sign(claims, load_or_create_signing_key(stack.data_dir / "keys"))


async def test_a_token_valid_only_from_an_hour_on_is_refused_by_the_gateway(
    gql: GraphQLClient, stack: InProcessStack
) -> None:
    early = token_valid_from(await gql.token("bergen-caseworker"), stack, seconds=3600)
    body = await gql.raw(None, ME, token=early)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("service", SERVICES)
async def test_a_token_valid_only_from_an_hour_on_is_refused_by_every_service(
    gql: GraphQLClient, stack: InProcessStack, service: str
) -> None:
    early = token_valid_from(await gql.token("bergen-caseworker"), stack, seconds=3600)
    url = f"http://127.0.0.1:{getattr(stack.settings, f'{service}_port')}/v1/dead-letters"
    async with httpx.AsyncClient() as http:
        refused = await http.get(url, headers={"Authorization": f"Bearer {early}"})
    assert refused.status_code == 401
    assert refused.json()["code"] == "UNAUTHENTICATED"


async def test_a_token_valid_from_within_the_leeway_is_accepted_by_the_gateway(
    gql: GraphQLClient, stack: InProcessStack
) -> None:
    nearly = token_valid_from(await gql.token("bergen-caseworker"), stack, seconds=10)
    body = await gql.raw(None, ME, token=nearly)
    assert body["data"]["me"]["username"] == "bergen-caseworker"
