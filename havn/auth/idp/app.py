"""The dev identity provider's app: Keycloak's OpenID Connect endpoints for one realm."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.staticfiles import StaticFiles

from havn.auth.idp.bruteforce import BruteForceProtector
from havn.auth.idp.login import login_routes
from havn.auth.idp.realm import Realm
from havn.auth.idp.sessions import SessionStore
from havn.auth.idp.tokens import (
    DevIdentityProvider,
    OAuthError,
    load_or_create_signing_key,
)
from havn.clock import Clock

ALLOWED_ENVS = frozenset({"dev", "test"})
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_STATIC = Path(__file__).parent / "static"


def create_app(
    *, realm_file: Path, keys_dir: Path, issuer: str, env: str, clock: Clock | None = None
) -> FastAPI:
    """Builds the dev identity provider app; refuses to exist outside dev and test.

    `clock` drives sessions, codes, lockouts and token times, so tests can move it.
    """
    if env not in ALLOWED_ENVS:
        raise RuntimeError(
            f"the dev identity provider runs only with HAVN_ENV in {sorted(ALLOWED_ENVS)}, "
            f"not {env!r}: production uses Keycloak"
        )
    realm = Realm.load(realm_file)
    realm_path = urlsplit(issuer).path.rstrip("/")
    if not realm_path.endswith(f"/realms/{realm.name}"):
        raise ValueError(f"issuer {issuer!r} does not name realm {realm.name!r}")
    clock = clock or Clock()
    provider = DevIdentityProvider(
        realm=realm,
        key=load_or_create_signing_key(keys_dir),
        issuer=issuer,
        sessions=SessionStore(realm, clock),
        brute_force=BruteForceProtector(realm.brute_force, clock),
    )

    app = FastAPI(
        title="Havn dev identity provider", docs_url=None, redoc_url=None, openapi_url=None
    )
    # For whoever runs the app in their own process (the browser tests give its login page the
    # users they make); nothing reaches it over HTTP.
    app.state.provider = provider
    # Keycloak serves its theme under /resources, beside /realms.
    resources = realm_path.removesuffix(f"/realms/{realm.name}") + "/resources/havn"
    app.mount(resources, StaticFiles(directory=_STATIC), name="resources")
    app.include_router(login_routes(provider, stylesheet=f"{resources}/login.css"))
    endpoints = f"{issuer}/protocol/openid-connect"

    @app.middleware("http")
    async def no_sniffing(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @app.get(f"{realm_path}/.well-known/openid-configuration")
    async def openid_configuration() -> dict[str, Any]:
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{endpoints}/auth",
            "token_endpoint": f"{endpoints}/token",
            "userinfo_endpoint": f"{endpoints}/userinfo",
            "end_session_endpoint": f"{endpoints}/logout",
            "jwks_uri": f"{endpoints}/certs",
            "grant_types_supported": provider.grant_types,
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "userinfo_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email", "roles"],
            "claims_supported": [
                "aud",
                "sub",
                "iss",
                "auth_time",
                "name",
                "given_name",
                "family_name",
                "preferred_username",
                "email",
                "email_verified",
                "acr",
                "sid",
                "nonce",
            ],
            "claims_parameter_supported": False,
            "request_parameter_supported": False,
            "request_uri_parameter_supported": False,
            "authorization_response_iss_parameter_supported": True,
            "frontchannel_logout_supported": False,
            "backchannel_logout_supported": False,
        }

    @app.get(f"{realm_path}/protocol/openid-connect/certs")
    async def certs() -> dict[str, Any]:
        return provider.jwks()

    @app.post(f"{realm_path}/protocol/openid-connect/token")
    async def token(request: Request) -> JSONResponse:
        form = await request.form()
        fields = {name: value for name, value in form.items() if isinstance(value, str)}
        try:
            body = provider.token(fields, request.headers.get("authorization"))
        except OAuthError as refusal:
            return _refusal(refusal)
        return JSONResponse(body, headers=_NO_STORE)

    @app.api_route(f"{realm_path}/protocol/openid-connect/userinfo", methods=["GET", "POST"])
    async def userinfo(request: Request) -> JSONResponse:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        try:
            if scheme.lower() != "bearer" or not token:
                raise OAuthError(401, "invalid_request", "Missing token")
            body = provider.userinfo(token.strip())
        except OAuthError as refusal:
            response = _refusal(refusal)
            response.headers["WWW-Authenticate"] = (
                f'Bearer realm="{realm.name}", error="{refusal.error}"'
            )
            return response
        return JSONResponse(body, headers=_NO_STORE)

    return app


def _refusal(refusal: OAuthError) -> JSONResponse:
    return JSONResponse(
        {"error": refusal.error, "error_description": refusal.description},
        status_code=refusal.status,
        headers=_NO_STORE,
    )
