"""The parts of a Keycloak realm export the dev identity provider answers from."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

_SUPPORTED_MAPPERS = frozenset({"oidc-audience-mapper", "oidc-usermodel-attribute-mapper"})


def _is_true(value: object) -> bool:
    return str(value).lower() == "true"


@dataclass(frozen=True, slots=True)
class Client:
    client_id: str
    enabled: bool
    public: bool
    bearer_only: bool
    secret: str | None
    standard_flow: bool
    direct_access_grants: bool
    service_accounts: bool
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    # The client's `pkce.code.challenge.method` attribute: PKCE is required when set.
    pkce_method: str | None
    mappers: tuple[Mapping[str, Any], ...]

    def allows_redirect(self, uri: str) -> bool:
        return _matches_redirect(self.redirect_uris, uri)

    def allows_post_logout_redirect(self, uri: str) -> bool:
        return _matches_redirect(self.post_logout_redirect_uris, uri)


def _matches_redirect(patterns: Sequence[str], uri: str) -> bool:
    """Matches a redirect URI the way Keycloak's RedirectUtils does.

    A pattern is an exact URI, or a prefix ending in `*`, compared with the URI's query
    and fragment cut off (`http://host/*` also admits `http://host`). A URI with a
    fragment or user info is refused outright: both are ways to smuggle another host in.
    """
    parts = urlsplit(uri)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.fragment:
        return False
    if "@" in parts.netloc or "\\" in uri:
        return False
    without_query = uri.split("?", 1)[0]
    for pattern in patterns:
        if pattern.endswith("*") and "?" not in pattern:
            prefix = pattern[:-1]
            if without_query.startswith(prefix) or without_query == prefix.rstrip("/"):
                return True
        elif pattern == uri:
            return True
    return False


@dataclass(frozen=True, slots=True)
class User:
    id: str
    username: str
    enabled: bool
    password: str | None
    first_name: str | None
    last_name: str | None
    email: str | None
    email_verified: bool
    roles: tuple[str, ...]
    attributes: Mapping[str, list[str]]
    group_attributes: tuple[Mapping[str, list[str]], ...]
    service_account_of: str | None

    def attribute(self, name: str, *, aggregate: bool) -> list[str]:
        """Resolves an attribute as Keycloak does: the user's own, then its groups'."""
        values = list(self.attributes.get(name, []))
        for group in self.group_attributes:
            if values and not aggregate:
                break
            values.extend(group.get(name, []))
        return list(dict.fromkeys(values))


@dataclass(frozen=True, slots=True)
class BruteForcePolicy:
    """The realm's brute-force detection settings; the defaults are Keycloak's."""

    failure_factor: int = 30
    wait_increment_seconds: int = 60
    max_failure_wait_seconds: int = 900
    max_delta_time_seconds: int = 43200
    permanent_lockout: bool = False
    quick_login_check_milliseconds: int = 1000
    minimum_quick_login_wait_seconds: int = 60

    @classmethod
    def from_realm(cls, rep: Mapping[str, Any]) -> BruteForcePolicy | None:
        if not rep.get("bruteForceProtected", False):
            return None
        defaults = cls()
        return cls(
            failure_factor=int(rep.get("failureFactor", defaults.failure_factor)),
            wait_increment_seconds=int(
                rep.get("waitIncrementSeconds", defaults.wait_increment_seconds)
            ),
            max_failure_wait_seconds=int(
                rep.get("maxFailureWaitSeconds", defaults.max_failure_wait_seconds)
            ),
            max_delta_time_seconds=int(
                rep.get("maxDeltaTimeSeconds", defaults.max_delta_time_seconds)
            ),
            permanent_lockout=bool(rep.get("permanentLockout", defaults.permanent_lockout)),
            quick_login_check_milliseconds=int(
                rep.get("quickLoginCheckMilliSeconds", defaults.quick_login_check_milliseconds)
            ),
            minimum_quick_login_wait_seconds=int(
                rep.get("minimumQuickLoginWaitSeconds", defaults.minimum_quick_login_wait_seconds)
            ),
        )


@dataclass(frozen=True, slots=True)
class Realm:
    name: str
    display_name: str
    access_token_lifespan: int
    # How long an authorization code, and a login page once shown, stay valid.
    access_code_lifespan: int
    access_code_lifespan_login: int
    sso_session_idle_timeout: int
    sso_session_max_lifespan: int
    revoke_refresh_token: bool
    refresh_token_max_reuse: int
    brute_force: BruteForcePolicy | None
    clients: Mapping[str, Client]
    users: Mapping[str, User]

    @classmethod
    def load(cls, path: Path) -> Realm:
        """Reads the parts of a Keycloak realm export that logins and tokens depend on."""
        rep = json.loads(path.read_text(encoding="utf-8"))
        groups = {group["path"]: group for group in rep.get("groups", [])}
        clients = {c["clientId"]: _client(c) for c in rep.get("clients", [])}
        users = [_user(u, groups) for u in rep.get("users", [])]
        return cls(
            name=rep["realm"],
            display_name=rep.get("displayName") or rep["realm"],
            access_token_lifespan=int(rep.get("accessTokenLifespan", 300)),
            access_code_lifespan=int(rep.get("accessCodeLifespan", 60)),
            access_code_lifespan_login=int(rep.get("accessCodeLifespanLogin", 1800)),
            sso_session_idle_timeout=int(rep.get("ssoSessionIdleTimeout", 1800)),
            sso_session_max_lifespan=int(rep.get("ssoSessionMaxLifespan", 36000)),
            revoke_refresh_token=bool(rep.get("revokeRefreshToken", False)),
            refresh_token_max_reuse=int(rep.get("refreshTokenMaxReuse", 0)),
            brute_force=BruteForcePolicy.from_realm(rep),
            clients=clients,
            # Keycloak stores usernames in lower case and matches them that way.
            users={user.username.lower(): user for user in users},
        )

    def service_account(self, client_id: str) -> User | None:
        return next((u for u in self.users.values() if u.service_account_of == client_id), None)

    def user_by_id(self, user_id: str) -> User | None:
        return next((u for u in self.users.values() if u.id == user_id), None)


def _client(rep: Mapping[str, Any]) -> Client:
    for mapper in rep.get("protocolMappers", []):
        # A mapper we would skip makes tokens differ from Keycloak's: refuse it loudly.
        if mapper["protocolMapper"] not in _SUPPORTED_MAPPERS:
            raise ValueError(f"unsupported protocol mapper {mapper['protocolMapper']!r}")
    root = (rep.get("rootUrl") or "").rstrip("/")
    # Keycloak resolves a relative redirect URI against the client's root URL.
    redirects = tuple(root + u if u.startswith("/") else u for u in rep.get("redirectUris", []))
    attributes = rep.get("attributes", {})
    # Keycloak separates post-logout redirect URIs with "##"; "+" stands for the redirect URIs.
    post_logout: list[str] = []
    for uri in str(attributes.get("post.logout.redirect.uris", "")).split("##"):
        if uri == "+":
            post_logout.extend(redirects)
        elif uri:
            post_logout.append(root + uri if uri.startswith("/") else uri)
    return Client(
        client_id=rep["clientId"],
        enabled=rep.get("enabled", True),
        public=rep.get("publicClient", False),
        bearer_only=rep.get("bearerOnly", False),
        secret=rep.get("secret"),
        # Keycloak enables the standard (authorization code) flow unless told otherwise.
        standard_flow=rep.get("standardFlowEnabled", True),
        direct_access_grants=rep.get("directAccessGrantsEnabled", False),
        service_accounts=rep.get("serviceAccountsEnabled", False),
        redirect_uris=redirects,
        post_logout_redirect_uris=tuple(post_logout),
        pkce_method=attributes.get("pkce.code.challenge.method") or None,
        mappers=tuple(rep.get("protocolMappers", [])),
    )


def _user(rep: Mapping[str, Any], groups: Mapping[str, Mapping[str, Any]]) -> User:
    member_of = [groups[path] for path in rep.get("groups", [])]
    passwords = [c["value"] for c in rep.get("credentials", []) if c.get("type") == "password"]
    roles = [*rep.get("realmRoles", [])]
    for group in member_of:
        roles.extend(group.get("realmRoles", []))
    return User(
        id=rep["id"],
        username=rep["username"],
        # Keycloak imports a user without `enabled` as disabled; so do we.
        enabled=rep.get("enabled", False),
        password=passwords[0] if passwords else None,
        first_name=rep.get("firstName"),
        last_name=rep.get("lastName"),
        email=rep.get("email"),
        email_verified=rep.get("emailVerified", False),
        roles=tuple(dict.fromkeys(roles)),
        attributes=rep.get("attributes", {}),
        group_attributes=tuple(group.get("attributes", {}) for group in member_of),
        service_account_of=rep.get("serviceAccountClientId"),
    )


def mapped_claims(user: User, client: Client, *, into: str) -> dict[str, Any]:
    """The claims a client's protocol mappers add to one kind of token.

    `into` names the mapper switch: `access.token.claim`, `id.token.claim` or
    `userinfo.token.claim`. Audiences come back as a list under `aud`.
    """
    claims: dict[str, Any] = {}
    audiences: list[str] = []
    for mapper in client.mappers:
        config = mapper.get("config", {})
        if not _is_true(config.get(into)):
            continue
        if mapper["protocolMapper"] == "oidc-audience-mapper":
            audience = config.get("included.client.audience") or config.get(
                "included.custom.audience"
            )
            if audience:
                audiences.append(audience)
            continue
        values = user.attribute(
            config["user.attribute"], aggregate=_is_true(config.get("aggregate.attrs"))
        )
        # Keycloak leaves the claim out when the attribute has no value.
        if values:
            multivalued = _is_true(config.get("multivalued"))
            claims[config["claim.name"]] = values if multivalued else values[0]
    if audiences:
        claims["aud"] = list(dict.fromkeys(audiences))
    return claims
