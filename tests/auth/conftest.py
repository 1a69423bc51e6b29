"""Fixtures: the dev identity provider served over real HTTP, and tokens it issues."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from jwcrypto import jwk, jwt
from jwcrypto.common import base64url_decode, base64url_encode, json_decode
from starlette.types import ASGIApp, Receive, Scope, Send

from havn.auth.idp import create_app, load_or_create_signing_key
from havn.auth.tokens import TokenVerifier
from havn.config import PROJECT_ROOT
from havn.embedded import free_port

DEV_REALM_FILE = PROJECT_ROOT / "deploy" / "keycloak" / "havn-realm.json"
AUDIENCE = "havn-gateway"
# A public client like havn-cli but without the audience mapper: a misconfigured client.
NO_AUDIENCE_CLIENT = "havn-cli-no-audience"
# Small, so that tests about refetching the JWKS wait only briefly.
REFRESH_INTERVAL = 0.3


class RequestLog:
    """Wraps an ASGI app and counts the paths it is asked for, so tests can see JWKS fetches."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.paths: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.paths[scope["path"]] += 1
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class RunningIdp:
    issuer: str
    keys_dir: Path
    requests: RequestLog

    @property
    def token_url(self) -> str:
        return f"{self.issuer}/protocol/openid-connect/token"

    def certs_requests(self) -> int:
        return self.requests.paths["/realms/havn/protocol/openid-connect/certs"]

    def signing_key(self) -> jwk.JWK:
        return load_or_create_signing_key(self.keys_dir)


@asynccontextmanager
async def serving(app: ASGIApp, port: int) -> AsyncIterator[None]:
    """Serves an ASGI app with uvicorn on 127.0.0.1:port for the duration of the block."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError(f"uvicorn stopped before listening on port {port}")
        await asyncio.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def running_idp(*, realm_file: Path, keys_dir: Path, port: int) -> AsyncIterator[RunningIdp]:
    issuer = f"http://127.0.0.1:{port}/realms/havn"
    app = create_app(realm_file=realm_file, keys_dir=keys_dir, issuer=issuer, env="test")
    requests = RequestLog(app)
    async with serving(requests, port):
        yield RunningIdp(issuer=issuer, keys_dir=keys_dir, requests=requests)


@pytest.fixture(scope="session")
def realm_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dev realm, plus one client that lacks the audience mapper."""
    realm = json.loads(DEV_REALM_FILE.read_text(encoding="utf-8"))
    cli = next(c for c in realm["clients"] if c["clientId"] == "havn-cli")
    realm["clients"].append(
        {
            **cli,
            "clientId": NO_AUDIENCE_CLIENT,
            "protocolMappers": [
                m for m in cli["protocolMappers"] if m["protocolMapper"] != "oidc-audience-mapper"
            ],
        }
    )
    path = tmp_path_factory.mktemp("realm") / "havn-realm.json"
    path.write_text(json.dumps(realm), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
async def idp(
    realm_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[RunningIdp]:
    keys_dir = tmp_path_factory.mktemp("idp") / "keys"
    async with running_idp(realm_file=realm_file, keys_dir=keys_dir, port=free_port()) as running:
        yield running


@pytest.fixture(scope="session")
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


@pytest.fixture
async def verifier(idp: RunningIdp) -> AsyncIterator[TokenVerifier]:
    """A verifier with an empty key cache, as a freshly started service has."""
    verifier = TokenVerifier(idp.issuer, AUDIENCE, refresh_interval=REFRESH_INTERVAL)
    yield verifier
    await verifier.aclose()


async def request_token(http: httpx.AsyncClient, idp: RunningIdp, **form: str) -> httpx.Response:
    return await http.post(idp.token_url, data=form)


async def password_token(
    http: httpx.AsyncClient, idp: RunningIdp, username: str, *, client_id: str = "havn-cli"
) -> dict[str, Any]:
    """Logs a dev user in with the password grant and returns Keycloak's token response."""
    response = await request_token(
        http, idp, grant_type="password", client_id=client_id, username=username, password="dev"
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def unverified_claims(token: str) -> dict[str, Any]:
    """Reads a token's payload without checking it: to copy real claims into forged tokens."""
    claims: dict[str, Any] = json_decode(base64url_decode(token.split(".")[1]))
    return claims


def sign(claims: dict[str, Any], key: jwk.JWK, *, alg: str = "RS256") -> str:
    token = jwt.JWT(header={"alg": alg, "typ": "JWT", "kid": key["kid"]}, claims=claims)
    token.make_signed_token(key)
    serialized: str = token.serialize()
    return serialized


def unsigned(claims: dict[str, Any], *, kid: str) -> str:
    """An `alg: none` token, which a careless verifier would accept without a signature."""
    header = base64url_encode(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}))
    return f"{header}.{base64url_encode(json.dumps(claims))}."
