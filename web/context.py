"""What a page handler gets: the signed-in staff member, their GraphQL calls, and rendering.

A page is `async def page(request, staff: Staff = Depends(signed_in))`, calls
`await staff.query("OperationName", {...})` and returns `render(request, "area/page.html",
{...}, block="results")` — the named block alone for an htmx request, the page otherwise.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from authlib.integrations.starlette_client import StarletteOAuth2App
from fastapi import Depends, Request
from fastapi.responses import Response
from jinja2_fragments.fastapi import Jinja2Blocks

from havn.clock import Clock
from havn.config import Settings
from web import i18n
from web.areas import NavItem
from web.assets import Assets
from web.forms import NOTHING_REFUSED
from web.graphql import GatewayClient, GraphQLResult, ServiceUnavailable, SignInRequired
from web.oidc import refresh_tokens
from web.security import CSRF_FIELD, CSRF_HEADER, UNSAFE_METHODS, check_csrf
from web.sessions import COOKIE, SessionStore, TokenRefreshFailed, WebSession


@dataclass
class Web:
    """The client's parts, built once by `create_app` (app.state.web)."""

    settings: Settings
    clock: Clock
    store: SessionStore
    provider: StarletteOAuth2App
    gateway: GatewayClient
    templates: Jinja2Blocks
    assets: Assets
    nav: tuple[NavItem, ...]


_UNLOADED = object()


def web(request: Request) -> Web:
    parts: Web = request.app.state.web
    return parts


async def current_session(request: Request) -> WebSession | None:
    """This browser's live session (loaded once per request), or None."""
    session = getattr(request.state, "session", _UNLOADED)
    if session is _UNLOADED:
        session = await web(request).store.find(request.cookies.get(COOKIE))
        request.state.session = session
    assert session is None or isinstance(session, WebSession)
    return session


async def csrf_protect(request: Request) -> None:
    """Every POST: from our own pages, with this session's token (see web/security.py)."""
    if request.method not in UNSAFE_METHODS:
        return  # and a GET does not even load the session (the idle check must not touch it)
    session = await current_session(request)
    await check_csrf(
        request, web(request).settings.web_url(), session.csrf_token if session else None
    )


@dataclass
class Staff:
    """The signed-in user of this request, as the gateway's `me` described them."""

    session: WebSession
    parts: Web

    @property
    def viewer(self) -> dict[str, Any]:
        assert self.session.viewer is not None
        return self.session.viewer

    @property
    def username(self) -> str:
        return str(self.viewer["username"])

    @property
    def roles(self) -> list[str]:
        return list(self.viewer["roles"])

    @property
    def tenants(self) -> list[str]:
        return list(self.viewer["tenants"])

    @property
    def tenant(self) -> str | None:
        """The municipality acted in: the one chosen, else the only one."""
        chosen = self.session.data.get("tenant")
        if chosen in self.tenants:
            return str(chosen)
        return self.tenants[0] if len(self.tenants) == 1 else None

    async def access_token(self) -> str:
        """A current access token, refreshed first when it is about to expire."""
        parts, tokens = self.parts, self.session.tokens
        assert tokens is not None

        async def refresh(refresh_token: str) -> Any:
            try:
                return await refresh_tokens(
                    parts.provider, refresh_token, parts.clock, tokens.id_token
                )
            except httpx.HTTPError as error:
                raise ServiceUnavailable from error

        try:
            fresh = await parts.store.fresh_tokens(self.session, refresh)
        except TokenRefreshFailed:
            raise SignInRequired from None
        return fresh.access_token

    async def query(
        self,
        operation: str,
        variables: dict[str, Any] | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> GraphQLResult:
        """Runs a named operation as this user in their municipality."""
        return await self.parts.gateway.execute(
            operation,
            variables,
            access_token=await self.access_token(),
            tenant=self.tenant,
            idempotency_key=idempotency_key,
        )


async def signed_in(
    request: Request, session: WebSession | None = Depends(current_session)
) -> Staff:
    """The signed-in staff member; anyone else is sent to sign in and brought back."""
    if session is None or not session.signed_in:
        raise SignInRequired
    staff = Staff(session, web(request))
    request.state.staff = staff
    return staff


def return_path(request: Request) -> str:
    """Where to come back to after signing in: this page, or for a POST the page it came from."""
    if request.method == "GET":
        return safe_next(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    for header in ("hx-current-url", "referer"):
        url = request.headers.get(header)
        if url and url.startswith(web(request).settings.web_url() + "/"):
            parts = urlsplit(url)
            return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))
    return "/"


def safe_next(path: str | None) -> str:
    """A local path to go on to; anything that could leave the site becomes "/"."""
    if not path or not path.startswith("/") or path.startswith(("//", "/\\")):
        return "/"
    return path


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and "hx-boosted" not in request.headers


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int | None = None,
) -> Response:
    """A page in the shell; for an htmx request only `block` of it.

    A page showing a refused form again has it as `refused` (web.forms.Refused), which sets
    the status unless `status_code` does; every other page has NOTHING_REFUSED.
    """
    parts = web(request)
    session: WebSession | None = getattr(request.state, "session", None)
    staff: Staff | None = getattr(request.state, "staff", None)
    if staff is None and session is not None and session.signed_in:
        staff = Staff(session, parts)
    csrf = session.csrf_token if session is not None else ""
    full = {
        "staff": staff,
        "nav": [item for item in parts.nav if staff and item.shown_to(staff.roles)],
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf,
        "htmx_headers": json.dumps({CSRF_HEADER: csrf}),
        "language": i18n.current_language(),
        "languages": i18n.LANGUAGES,
        "asset": parts.assets.url,
        "here": return_path(request) if request.method == "GET" else "/",
        "idle_seconds": int(parts.store.idle_timeout.total_seconds()),
        "idle_warning_seconds": parts.settings.web_idle_warning_minutes * 60,
        "refused": NOTHING_REFUSED,
        **(context or {}),
    }
    if status_code is None:
        status_code = full["refused"].status_code
    if block is not None and is_htmx(request):
        return parts.templates.TemplateResponse(
            request, template, full, block_name=block, status_code=status_code
        )
    return parts.templates.TemplateResponse(request, template, full, status_code=status_code)
