"""Fixtures: the dev identity provider served over real HTTP, and tokens it issues."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
import uvicorn
from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from jwcrypto import jwk
from starlette.types import ASGIApp, Receive, Scope, Send

from havn.auth.idp import create_app, load_or_create_signing_key
from havn.auth.tokens import TokenVerifier
from havn.clock import Clock
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

    @property
    def authorization_url(self) -> str:
        return f"{self.issuer}/protocol/openid-connect/auth"

    @property
    def logout_url(self) -> str:
        return f"{self.issuer}/protocol/openid-connect/logout"

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
async def running_idp(
    *, realm_file: Path, keys_dir: Path, port: int, clock: Clock | None = None
) -> AsyncIterator[RunningIdp]:
    issuer = f"http://127.0.0.1:{port}/realms/havn"
    app = create_app(
        realm_file=realm_file, keys_dir=keys_dir, issuer=issuer, env="test", clock=clock
    )
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


# --- the browser flow: the web client's side, driven by Authlib as the web client drives it ---

WEB_CLIENT = "havn-web"
WEB_SECRET = "dev-web-secret"
WEB_REDIRECT = "http://127.0.0.1:8090/auth/callback"
WEB_SIGNED_OUT = "http://127.0.0.1:8090/signed-out"


class Page(HTMLParser):
    """What a test of a page's markup looks at: elements by id, labels, title, scripts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: dict[str, dict[str, str | None]] = {}
        self.inputs: dict[str, str | None] = {}
        self.texts: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self.lang: str | None = None
        self.title = ""
        self.scripts = 0
        self.stylesheets: list[str] = []
        self._open: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag == "script":
            self.scripts += 1
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes.get("href") or "")
        if tag == "input" and attributes.get("name"):
            self.inputs[str(attributes["name"])] = attributes.get("value")
        if attributes.get("id"):
            self.ids[str(attributes["id"])] = {"tag": tag, **attributes}
        if tag not in {"input", "link", "meta", "br"}:
            key = attributes.get("id") or (f"label:{attributes['for']}" if tag == "label" else None)
            self._open.append((tag, key or ("title" if tag == "title" else None)))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for _tag, key in self._open:
            if key is None:
                continue
            if key == "title":
                self.title += data
            elif key.startswith("label:"):
                self.labels[key.removeprefix("label:")] = self.labels.get(key[6:], "") + data
            else:
                self.texts[key] = self.texts.get(key, "") + data

    def text(self, element_id: str) -> str:
        return " ".join(self.texts.get(element_id, "").split())


def web_client(idp: RunningIdp, *, auth_method: str = "client_secret_basic") -> StarletteOAuth2App:
    """The confidential client `havn-web`, registered with Authlib as the web client does."""
    oauth = OAuth()
    client: StarletteOAuth2App = oauth.register(
        WEB_CLIENT,
        client_id=WEB_CLIENT,
        client_secret=WEB_SECRET,
        server_metadata_url=f"{idp.issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": "openid profile email",
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": auth_method,
        },
    )
    return client


@dataclass(frozen=True)
class SignIn:
    """One authorization request and where the identity provider sent the browser back."""

    request: dict[str, str]
    callback: str

    @property
    def params(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.callback).query))


async def submit_login(
    user_agent: httpx.AsyncClient, login_page: httpx.Response, username: str, password: str
) -> httpx.Response:
    """Fills in and submits the login form as a user would."""
    action = Page(login_page.text).ids["kc-form-login"]["action"]
    assert action is not None
    return await user_agent.post(
        action,
        data={"username": username, "password": password, "credentialId": "", "login": "Sign In"},
    )


async def sign_in(
    user_agent: httpx.AsyncClient,
    client: StarletteOAuth2App,
    username: str = "bergen-caseworker",
    **params: str,
) -> SignIn:
    """Starts an authorization request and signs in on the login page."""
    request = await client.create_authorization_url(WEB_REDIRECT, **params)
    login_page = await user_agent.get(request["url"])
    assert login_page.status_code == 200, login_page.text
    response = await submit_login(user_agent, login_page, username, "dev")
    assert response.status_code == 302, response.text
    return SignIn(request=request, callback=response.headers["location"])


async def code_flow_tokens(
    user_agent: httpx.AsyncClient, client: StarletteOAuth2App, username: str = "bergen-caseworker"
) -> tuple[SignIn, dict[str, Any]]:
    """Signs in and exchanges the code, as Authlib's `authorize_access_token` does."""
    signed_in = await sign_in(user_agent, client, username)
    token: dict[str, Any] = await client.fetch_access_token(
        redirect_uri=WEB_REDIRECT,
        code=signed_in.params["code"],
        state=signed_in.params["state"],
        code_verifier=signed_in.request["code_verifier"],
    )
    return signed_in, token


@pytest.fixture
async def user_agent() -> AsyncIterator[httpx.AsyncClient]:
    """A browser with its own cookies that shows redirects instead of following them."""
    async with httpx.AsyncClient(timeout=10, follow_redirects=False) as client:
        yield client


@dataclass(frozen=True)
class ClockedIdp:
    idp: RunningIdp
    clock: Clock


@asynccontextmanager
async def clocked_idp(realm_file: Path, keys_dir: Path) -> AsyncIterator[ClockedIdp]:
    """A fresh identity provider (no sessions, no failures) whose clock a test moves."""
    clock = Clock()
    async with running_idp(
        realm_file=realm_file, keys_dir=keys_dir, port=free_port(), clock=clock
    ) as running:
        yield ClockedIdp(running, clock)


def realm_variant(directory: Path, **settings: Any) -> Path:
    """The dev realm with some realm-level settings changed."""
    realm = json.loads(DEV_REALM_FILE.read_text(encoding="utf-8"))
    path = directory / "havn-realm.json"
    path.write_text(json.dumps({**realm, **settings}), encoding="utf-8")
    return path


@pytest.fixture
async def fresh(idp: RunningIdp) -> AsyncIterator[ClockedIdp]:
    """An identity provider of its own, for tests that fail logins or move its clock."""
    async with clocked_idp(DEV_REALM_FILE, idp.keys_dir) as running:
        yield running


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def authorization_url(idp: RunningIdp, **params: str) -> str:
    defaults = {
        "client_id": WEB_CLIENT,
        "redirect_uri": WEB_REDIRECT,
        "response_type": "code",
        "scope": "openid",
        "state": "s-1",
        "code_challenge": create_s256_code_challenge("v" * 43),
        "code_challenge_method": "S256",
    }
    merged = {k: v for k, v in {**defaults, **params}.items() if v != "-"}
    return f"{idp.authorization_url}?{urlencode(merged)}"


async def refresh(client: object, refresh_token: str) -> dict[str, object]:
    token: dict[str, object] = await client.fetch_access_token(  # type: ignore[attr-defined]
        grant_type="refresh_token", refresh_token=refresh_token
    )
    return token
