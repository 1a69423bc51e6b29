"""The client's side of OpenID Connect: Authlib's Starlette client as the confidential `havn-web`.

Authorization code flow with PKCE (S256), state and nonce; the ID token is checked by
Authlib against the provider's keys. Only standard OIDC is used (discovery, the token
endpoint's refresh grant, RP-initiated logout), so a real Keycloak is configuration only.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from authlib.integrations.base_client import OAuthError
from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App

from havn.clock import Clock
from havn.config import Settings
from web.sessions import TokenRefreshFailed, Tokens

PROVIDER = "havn"


def client_secret(settings: Settings) -> str:
    """HAVN_WEB_CLIENT_SECRET; under dev and test, the realm file's secret when it is unset."""
    if settings.web_client_secret is not None:
        return settings.web_client_secret.get_secret_value()
    if settings.env in ("dev", "test"):
        realm = json.loads(settings.realm_file.read_text())
        for client in realm["clients"]:
            if client["clientId"] == settings.web_client_id:
                return str(client["secret"])
    raise RuntimeError("HAVN_WEB_CLIENT_SECRET must be set")


def register_provider(settings: Settings) -> StarletteOAuth2App:
    oauth = OAuth()
    app: StarletteOAuth2App = oauth.register(
        PROVIDER,
        client_id=settings.web_client_id,
        client_secret=client_secret(settings),
        server_metadata_url=settings.discovery_url(),
        client_kwargs={"scope": "openid", "code_challenge_method": "S256", "timeout": 10},
    )
    return app


def tokens_from(answer: dict[str, Any], clock: Clock) -> Tokens:
    """The token endpoint's answer as stored; expiry on the app's clock, so tests can move it."""
    return Tokens(
        access_token=answer["access_token"],
        access_expires_at=clock.now() + timedelta(seconds=int(answer["expires_in"])),
        refresh_token=answer.get("refresh_token"),
        id_token=answer.get("id_token"),
    )


async def refresh_tokens(
    provider: StarletteOAuth2App, refresh_token: str, clock: Clock, id_token: str | None
) -> Tokens:
    """Trades the refresh token for new tokens (the provider rotates the refresh token)."""
    try:
        answer = await provider.fetch_access_token(
            grant_type="refresh_token", refresh_token=refresh_token
        )
    except OAuthError as error:
        raise TokenRefreshFailed(error.error) from error
    tokens = tokens_from(dict(answer), clock)
    # A provider may answer a refresh without a new ID token: the first still names the user.
    if tokens.id_token is None:
        tokens.id_token = id_token
    if tokens.refresh_token is None:
        tokens.refresh_token = refresh_token
    return tokens


async def end_session_url(
    provider: StarletteOAuth2App, *, id_token: str | None, post_logout_redirect_uri: str
) -> str | None:
    """Where the browser goes to end its session at the provider (None if it offers no such)."""
    metadata = await provider.load_server_metadata()
    if not metadata.get("end_session_endpoint"):
        return None
    result = await provider.create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri,
        id_token_hint=id_token,
        client_id=provider.client_id,
    )
    return str(result["url"])
