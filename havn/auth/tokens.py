"""Bearer token verification against the realm's keys, and the Principal a token stands for."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any

from jwcrypto import jwk
from jwcrypto.common import JWException, base64url_decode, json_decode
from jwcrypto.jwt import JWTExpired
from keycloak import KeycloakOpenID
from keycloak.exceptions import KeycloakError

from havn.auth.policy import Role
from havn.auth.principal import Principal
from havn.config import Settings
from havn.errors import Forbidden, Unauthenticated

logger = logging.getLogger(__name__)

# A fixed list: the token's own `alg` header never chooses how it is checked.
ALGORITHMS = ["RS256"]
# Compact serialization only; JSON-serialized and encrypted tokens are not Keycloak's.
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_ROLES = {role.value: role for role in Role}
# How many verified tokens a verifier remembers (the oldest is forgotten first).
VERIFIED_TOKENS = 4096


class TokenVerifier:
    """Verifies Keycloak access tokens with the realm's JWKS, fetched and cached by kid."""

    def __init__(
        self,
        issuer: str,
        audience: str,
        *,
        leeway: int = 30,
        refresh_interval: float = 10.0,
        keys_from: str | None = None,
    ) -> None:
        server_url, _, realm = issuer.rstrip("/").rpartition("/realms/")
        if not server_url or not realm or "/" in realm:
            raise ValueError(f"issuer {issuer!r} is not <server>/realms/<realm>")
        # Keys may come from an internal address of the same server; the issuer stays exact.
        server_url = (keys_from or server_url).rstrip("/")
        # The trailing slash keeps a server path (e.g. /auth) when the realm URL is joined on.
        self._openid = KeycloakOpenID(
            server_url=f"{server_url}/", realm_name=realm, client_id=audience, timeout=10
        )
        self._check_claims = {"iss": issuer, "aud": audience, "exp": None, "typ": "Bearer"}
        self._leeway = leeway
        self._refresh_interval = refresh_interval
        self._keys = jwk.JWKSet()
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()
        # Tokens verified already, until they expire: a client sends the same token with
        # every request, and each service verifies it again (about 0.3 ms of RSA and JSON).
        # Emptied whenever the keys change, so a retired key's tokens are checked anew.
        self._verified: dict[str, tuple[dict[str, Any], float]] = {}

    async def verify(self, token: str) -> dict[str, Any]:
        """Returns the claims of a valid access token; raises Unauthenticated otherwise."""
        known = self._verified.get(token)
        if known is not None and time.time() < known[1]:
            return dict(known[0])
        claims = await self._verify(token)
        if len(self._verified) >= VERIFIED_TOKENS:
            del self._verified[next(iter(self._verified))]  # the oldest
        # Until `exp` itself: past it, the full check (with its leeway) decides again.
        self._verified[token] = (claims, float(claims["exp"]))
        return dict(claims)

    async def _verify(self, token: str) -> dict[str, Any]:
        kid = _signing_key_id(token)
        keys = await self._keys_with(kid)
        try:
            claims: dict[str, Any] = self._openid.decode_token(
                token,
                key=keys,
                algs=ALGORITHMS,
                expected_type="JWS",
                check_claims=self._check_claims,
                leeway=self._leeway,
            )
        except JWTExpired as exc:
            raise Unauthenticated("token expired") from exc
        except (JWException, ValueError, TypeError) as exc:
            raise Unauthenticated("invalid token") from exc
        # jwcrypto checks `nbf` only when no claims are named; the same leeway as for `exp`.
        not_before = claims.get("nbf", 0)
        if isinstance(not_before, bool) or not isinstance(not_before, int | float):
            raise Unauthenticated("invalid token")
        if not_before > time.time() + self._leeway:
            raise Unauthenticated("token not yet valid")
        return claims

    async def aclose(self) -> None:
        await self._openid.connection.aclose()

    async def _keys_with(self, kid: str) -> jwk.JWKSet:
        if not self._keys.get_keys(kid):
            async with self._lock:
                # Whoever held the lock may already have fetched the key this request needs.
                if not self._keys.get_keys(kid) and self._may_refresh():
                    await self._refresh()
        keys = self._keys
        if not keys.get_keys(kid):
            raise Unauthenticated("token signed with an unknown key")
        return keys

    def _may_refresh(self) -> bool:
        # Bounded so that tokens with made-up kids cannot make us hammer the identity provider.
        return (
            self._fetched_at is None
            or time.monotonic() - self._fetched_at >= self._refresh_interval
        )

    async def _refresh(self) -> None:
        # A failed fetch counts too: an unreachable provider is retried once per interval.
        self._fetched_at = time.monotonic()
        try:
            certs = await self._openid.a_certs()
            keys = jwk.JWKSet()
            for entry in certs.get("keys", []):
                # Keycloak also publishes encryption keys; only its RS256 signing keys verify.
                if entry.get("use", "sig") == "sig" and entry.get("alg", "RS256") in ALGORITHMS:
                    keys.add(jwk.JWK(**entry))
        except (KeycloakError, JWException, ValueError, TypeError) as exc:
            logger.warning("could not fetch the realm's signing keys: %r", exc)
            raise Unauthenticated("signing keys unavailable, try again shortly") from exc
        self._keys = keys
        self._verified.clear()


def _signing_key_id(token: str) -> str:
    """Reads the kid of an RS256 token, refusing any other alg before a key is touched."""
    if not _COMPACT_JWS.fullmatch(token):
        raise Unauthenticated("malformed token")
    try:
        header = json_decode(base64url_decode(token.partition(".")[0]))
    except ValueError as exc:
        raise Unauthenticated("malformed token") from exc
    if not isinstance(header, dict):
        raise Unauthenticated("malformed token")
    if header.get("alg") not in ALGORITHMS:
        raise Unauthenticated("token algorithm not allowed")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise Unauthenticated("token names no signing key")
    return kid


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str))
    return ()


def principal_from_claims(
    claims: dict[str, Any], *, token: str, requested_tenant: str | None
) -> Principal:
    """Builds the caller from verified claims, bound to the requested or its only tenant."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise Unauthenticated("token has no subject")
    realm_access = claims.get("realm_access")
    granted = _strings(realm_access.get("roles")) if isinstance(realm_access, dict) else ()
    # Keycloak adds its own roles (default-roles-havn, offline_access): they mean nothing here.
    roles = frozenset(_ROLES[name] for name in granted if name in _ROLES)
    tenants = _strings(claims.get("tenants"))
    org = claims.get("org")
    if requested_tenant is not None:
        if requested_tenant not in tenants:
            raise Forbidden("the X-Havn-Tenant header is not one of your municipalities")
        tenant: str | None = requested_tenant
    else:
        tenant = tenants[0] if len(tenants) == 1 else None
    username = claims.get("preferred_username")
    return Principal(
        subject=subject,
        username=username if isinstance(username, str) else subject,
        roles=roles,
        tenants=tenants,
        org=org if isinstance(org, str) else None,
        tenant=tenant,
        token=token,
    )


def verifier_from(settings: Settings) -> TokenVerifier:
    """The verifier the gateway and every service use, as configured."""
    return TokenVerifier(settings.issuer, settings.audience, keys_from=settings.keycloak_url)
