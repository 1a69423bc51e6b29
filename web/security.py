"""Response headers every page carries, and the check every POST passes (CSRF)."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
ASSETS_PREFIX = "/assets/"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(identity_provider_origin: str) -> str:
    # The identity provider in form-action: Chrome applies it to the redirect after the
    # sign-out form, which ends at the provider's end-session endpoint.
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"font-src 'self'; connect-src 'self'; form-action 'self' {identity_provider_origin}; "
        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )


class SecurityHeaders:
    """Adds the security headers to every response; `no-store` to all but the static assets."""

    def __init__(self, app: ASGIApp, *, identity_provider_origin: str, hsts: bool) -> None:
        self.app = app
        headers = [
            (b"content-security-policy", content_security_policy(identity_provider_origin)),
            (b"x-content-type-options", "nosniff"),
            # not no-referrer: that makes a no-JS form post send `Origin: null`.
            (b"referrer-policy", "same-origin"),
            (b"cross-origin-opener-policy", "same-origin"),
            (b"x-frame-options", "DENY"),
        ]
        if hsts:
            headers.append((b"strict-transport-security", "max-age=31536000; includeSubDomains"))
        self._headers = [(name, value.encode()) for name, value in headers]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_asset = scope["path"].startswith(ASSETS_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(self._headers)
                if not is_asset:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def same_origin(request: Request, web_origin: str) -> bool:
    """The browser says the request comes from our own pages (Fetch Metadata, else Origin)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    return request.headers.get("origin") == web_origin


async def check_csrf(request: Request, web_origin: str, expected_token: str | None) -> None:
    """Refuses an unsafe request from another site, or without this session's token."""
    if not same_origin(request, web_origin):
        raise HTTPException(status_code=403, detail="cross-site request refused")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected_token or not sent or not hmac.compare_digest(sent, expected_token):
        raise HTTPException(status_code=403, detail="the form has expired; reload the page")
