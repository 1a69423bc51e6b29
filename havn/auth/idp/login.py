"""The browser side of the dev identity provider: authorization, login page and logout.

Keycloak's routes, parameters, cookies and login-page markup (`#username`, `#password`,
`#kc-login`), so that a browser test or a web client cannot tell the two apart.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from havn.auth.idp.realm import Client, User
from havn.auth.idp.sessions import AuthorizationRequest, SsoSession
from havn.auth.idp.tokens import DevIdentityProvider, LoginRefusal

# Keycloak's cookie names: the SSO session, and the browser's pending authentication.
SSO_COOKIE = "KEYCLOAK_IDENTITY"
BROWSER_COOKIE = "AUTH_SESSION_ID"
INVALID_CREDENTIALS = "Invalid username or password."
ACCOUNT_DISABLED = "Account is disabled, contact your administrator."
LOGIN_TIMED_OUT = "Your login attempt timed out. Login will start from the beginning."
# Keycloak's default client scopes: requested or not, tokens carry `profile` and `email`.
_KNOWN_SCOPES = frozenset({"openid", "profile", "email", "roles", "web-origins", "acr", "basic"})
GRANTED_SCOPE = "openid profile email"
# RFC 7636 4.2: an S256 challenge is 43 unreserved characters; allow up to 128 as Keycloak.
_CODE_CHALLENGE = re.compile(r"[A-Za-z0-9\-._~]{43,128}")

_templates = Environment(
    loader=PackageLoader("havn.auth.idp"), autoescape=select_autoescape(default=True)
)


class _Redirected(Exception):
    """An authorization error the client is told about at its (validated) redirect URI."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


def login_routes(provider: DevIdentityProvider, *, stylesheet: str) -> APIRouter:
    """The authorization, login-action and end-session endpoints of one realm."""
    issuer = provider.issuer
    realm_path = urlsplit(issuer).path.rstrip("/")
    secure = urlsplit(issuer).scheme == "https"
    # Binds the logout confirmation form to the browser's session cookie (CSRF).
    logout_key = secrets.token_bytes(32)
    router = APIRouter()

    def page(
        template: str, *, status: int = 200, form_targets: tuple[str, ...] = (), **context: Any
    ) -> HTMLResponse:
        html = _templates.get_template(template).render(
            realm_name=provider.realm.display_name, stylesheet=stylesheet, **context
        )
        # A form's redirect target must be allowed too: browsers apply form-action to it.
        form_action = " ".join(["'self'", *dict.fromkeys(form_targets)])
        headers = {
            "Content-Security-Policy": (
                "default-src 'none'; style-src 'self'; img-src 'self'; "
                f"form-action {form_action}; frame-ancestors 'none'; base-uri 'none'"
            ),
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store, must-revalidate, max-age=0",
        }
        return HTMLResponse(html, status_code=status, headers=headers)

    def error_page(message: str) -> HTMLResponse:
        return page("error.html", status=400, message=message)

    def set_cookie(response: Response, name: str, value: str) -> None:
        response.set_cookie(
            name, value, path=f"{realm_path}/", httponly=True, secure=secure, samesite="lax"
        )

    def login_page(
        request: AuthorizationRequest, tab_id: str, *, username: str = "", error: str = ""
    ) -> HTMLResponse:
        query = urlencode({"client_id": request.client_id, "tab_id": tab_id})
        return page(
            "login.html",
            form_targets=(_origin(request.redirect_uri),),
            login_action=f"{issuer}/login-actions/authenticate?{query}",
            username=username,
            error=error,
        )

    def signed_in(request: AuthorizationRequest, session: SsoSession) -> RedirectResponse:
        code = provider.sessions.issue_code(request, session)
        params = {"state": request.state, "session_state": session.id, "iss": issuer}
        return _redirect(request.redirect_uri, {**params, "code": code})

    @router.get(f"{realm_path}/protocol/openid-connect/auth")
    async def authorize(request: Request) -> Response:
        params = request.query_params
        client = provider.realm.clients.get(params.get("client_id", ""))
        if client is None:
            return error_page("Client not found.")
        if not client.enabled:
            return error_page("Client disabled.")
        if client.bearer_only:
            return error_page("Bearer-only clients are not allowed to initiate browser login.")
        redirect_uri = params.get("redirect_uri", "")
        # Never redirect to an unregistered URI, not even to report the error: an error page.
        if not client.allows_redirect(redirect_uri):
            return error_page("Invalid parameter: redirect_uri")
        state = params.get("state")
        try:
            authorization = _authorization_request(client, params)
        except _Redirected as refusal:
            return _redirect(
                redirect_uri,
                {
                    "error": refusal.error,
                    "error_description": refusal.description,
                    "state": state,
                    "iss": issuer,
                },
            )
        session = provider.sessions.session_by_cookie(request.cookies.get(SSO_COOKIE))
        user = provider.realm.user_by_id(session.user_id) if session is not None else None
        if session is not None and user is not None and user.enabled:
            # Signed in already (single sign-on): no login page.
            provider.sessions.touch(session)
            return signed_in(authorization, session)
        browser = request.cookies.get(BROWSER_COOKIE) or secrets.token_urlsafe(16)
        tab_id = provider.sessions.start_login(authorization, browser)
        response = login_page(authorization, tab_id)
        set_cookie(response, BROWSER_COOKIE, browser)
        return response

    @router.post(f"{realm_path}/login-actions/authenticate")
    async def authenticate(request: Request) -> Response:
        tab_id = request.query_params.get("tab_id", "")
        pending = provider.sessions.pending_login(tab_id, request.cookies.get(BROWSER_COOKIE))
        if pending is None:
            return error_page(LOGIN_TIMED_OUT)
        form = await request.form()
        username = str(form.get("username") or "")
        checked = provider.check_credentials(username, str(form.get("password") or ""))
        if not isinstance(checked, User):
            message = ACCOUNT_DISABLED if checked is LoginRefusal.DISABLED else INVALID_CREDENTIALS
            return login_page(pending.request, tab_id, username=username, error=message)
        provider.sessions.finish_login(tab_id)
        session = provider.sessions.start_session(checked.id, browser=True)
        response = signed_in(pending.request, session)
        assert session.cookie is not None
        set_cookie(response, SSO_COOKIE, session.cookie)
        return response

    @router.api_route(f"{realm_path}/protocol/openid-connect/logout", methods=["GET", "POST"])
    async def logout(request: Request) -> Response:
        params: dict[str, Any] = dict(request.query_params)
        if request.method == "POST":
            params.update((await request.form()).items())
        hint = str(params.get("id_token_hint") or "")
        client_id = str(params.get("client_id") or "")
        redirect_uri = str(params.get("post_logout_redirect_uri") or "")
        claims = provider.id_token_hint(hint) if hint else None
        if hint and claims is None:
            return error_page("Invalid parameter: id_token_hint")
        if claims is not None and client_id and client_id != claims.get("azp"):
            return error_page("Invalid parameter: client_id")
        client = provider.realm.clients.get(claims["azp"] if claims else client_id)
        if client_id and client is None:
            return error_page("Invalid parameter: client_id")
        if redirect_uri and client is None:
            return error_page("Missing parameters: id_token_hint")
        if redirect_uri and not (client and client.allows_post_logout_redirect(redirect_uri)):
            return error_page("Invalid redirect uri")
        cookie = request.cookies.get(SSO_COOKIE)
        browser_session = provider.sessions.session_by_cookie(cookie)
        if claims is not None:
            ending = str(claims.get("sid"))
        elif browser_session is not None:
            # Without an ID token, only a confirmed form from this browser logs it out (CSRF).
            expected = hmac.new(logout_key, (cookie or "").encode(), hashlib.sha256).hexdigest()
            submitted = str(params.get("session_code") or "")
            if request.method != "POST" or not hmac.compare_digest(submitted, expected):
                return page(
                    "logout_confirm.html",
                    form_targets=(_origin(redirect_uri),) if redirect_uri else (),
                    logout_action=_with_query(
                        f"{issuer}/protocol/openid-connect/logout",
                        {
                            "client_id": client_id or None,
                            "post_logout_redirect_uri": redirect_uri or None,
                            "state": params.get("state"),
                        },
                    ),
                    session_code=expected,
                )
            ending = browser_session.id
        else:
            ending = ""
        provider.sessions.end_session(ending)
        response: Response
        if redirect_uri:
            response = _redirect(redirect_uri, {"state": params.get("state")})
        else:
            response = page("info.html", message="You are logged out")
        if browser_session is not None and browser_session.id == ending:
            response.delete_cookie(SSO_COOKIE, path=f"{realm_path}/")
        return response

    return router


def _authorization_request(client: Client, params: Mapping[str, str]) -> AuthorizationRequest:
    """Validates what Keycloak checks after the client and its redirect URI."""
    response_type = params.get("response_type")
    if not response_type:
        raise _Redirected("invalid_request", "Missing parameter: response_type")
    if response_type != "code":
        raise _Redirected("unsupported_response_type", "Unsupported response_type")
    if not client.standard_flow:
        raise _Redirected(
            "unauthorized_client",
            "Client is not allowed to initiate browser login with given response_type. "
            "Standard flow is disabled for the client.",
        )
    if params.get("response_mode", "query") != "query":
        raise _Redirected("invalid_request", "Invalid parameter: response_mode")
    scopes = params.get("scope", "").split()
    unknown = [scope for scope in scopes if scope not in _KNOWN_SCOPES]
    if unknown:
        raise _Redirected("invalid_scope", f"Invalid scopes: {' '.join(unknown)}")
    if "openid" not in scopes:
        raise _Redirected("invalid_scope", "Missing openid scope")
    challenge = params.get("code_challenge")
    method = params.get("code_challenge_method")
    # PKCE: required for public clients and where the client asks for it; S256 only.
    if challenge is None and (client.public or client.pkce_method is not None):
        raise _Redirected("invalid_request", "Missing parameter: code_challenge")
    if challenge is not None or method is not None:
        if method is None:
            raise _Redirected("invalid_request", "Missing parameter: code_challenge_method")
        if method != "S256":
            raise _Redirected("invalid_request", "Invalid parameter: code_challenge_method")
        if challenge is None or not _CODE_CHALLENGE.fullmatch(challenge):
            raise _Redirected("invalid_request", "Invalid parameter: code_challenge")
    return AuthorizationRequest(
        client_id=client.client_id,
        redirect_uri=params["redirect_uri"],
        scope=GRANTED_SCOPE,
        state=params.get("state"),
        nonce=params.get("nonce"),
        code_challenge=challenge,
    )


def _origin(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}"


def _with_query(uri: str, params: Mapping[str, str | None]) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    if not query:
        return uri
    return f"{uri}{'&' if '?' in uri else '?'}{query}"


def _redirect(uri: str, params: Mapping[str, str | None]) -> RedirectResponse:
    return RedirectResponse(_with_query(uri, params), status_code=302)
