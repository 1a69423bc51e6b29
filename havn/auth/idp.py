"""The dev identity provider: Keycloak's token endpoints for `make run` and tests.

It reads users, groups, roles, clients and protocol mappers from the same realm
file Keycloak imports, and answers the way Keycloak does, so that nothing
downstream can tell the two apart. Only the grants Havn uses are served:
`password`, `client_credentials` and `refresh_token`.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from jwcrypto import jwk, jwt
from jwcrypto.common import JWException

SIGNING_KEY_FILE = "rs256-signing-key.pem"
ALLOWED_ENVS = frozenset({"dev", "test"})
# Keycloak's default client scopes, as they appear in `scope` without an explicit request.
_DEFAULT_SCOPE = "profile email"
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_INVALID_CLIENT = "Invalid client or Invalid client credentials"
_SUPPORTED_MAPPERS = frozenset({"oidc-audience-mapper", "oidc-usermodel-attribute-mapper"})


class OAuthError(Exception):
    """A token endpoint refusal, answered as Keycloak's `{error, error_description}` body."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


@dataclass(frozen=True, slots=True)
class Client:
    client_id: str
    enabled: bool
    public: bool
    bearer_only: bool
    secret: str | None
    direct_access_grants: bool
    service_accounts: bool
    mappers: tuple[Mapping[str, Any], ...]


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
class Realm:
    name: str
    access_token_lifespan: int
    refresh_token_lifespan: int
    clients: Mapping[str, Client]
    users: Mapping[str, User]

    @classmethod
    def load(cls, path: Path) -> Realm:
        """Reads the parts of a Keycloak realm export that tokens depend on."""
        rep = json.loads(path.read_text(encoding="utf-8"))
        groups = {group["path"]: group for group in rep.get("groups", [])}
        clients = {c["clientId"]: _client(c) for c in rep.get("clients", [])}
        users = [_user(u, groups) for u in rep.get("users", [])]
        return cls(
            name=rep["realm"],
            access_token_lifespan=int(rep.get("accessTokenLifespan", 300)),
            refresh_token_lifespan=int(rep.get("ssoSessionIdleTimeout", 1800)),
            clients=clients,
            # Keycloak stores usernames in lower case and matches them that way.
            users={user.username.lower(): user for user in users},
        )

    def service_account(self, client_id: str) -> User | None:
        return next((u for u in self.users.values() if u.service_account_of == client_id), None)

    def user_by_id(self, user_id: str) -> User | None:
        return next((u for u in self.users.values() if u.id == user_id), None)


def _is_true(value: object) -> bool:
    return str(value).lower() == "true"


def _client(rep: Mapping[str, Any]) -> Client:
    for mapper in rep.get("protocolMappers", []):
        # A mapper we would skip makes tokens differ from Keycloak's: refuse it loudly.
        if mapper["protocolMapper"] not in _SUPPORTED_MAPPERS:
            raise ValueError(f"unsupported protocol mapper {mapper['protocolMapper']!r}")
    return Client(
        client_id=rep["clientId"],
        enabled=rep.get("enabled", True),
        public=rep.get("publicClient", False),
        bearer_only=rep.get("bearerOnly", False),
        secret=rep.get("secret"),
        direct_access_grants=rep.get("directAccessGrantsEnabled", False),
        service_accounts=rep.get("serviceAccountsEnabled", False),
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


def load_or_create_signing_key(keys_dir: Path) -> jwk.JWK:
    """Returns the realm's RSA signing key, generated on first use and kept across restarts."""
    path = keys_dir / SIGNING_KEY_FILE
    if not path.exists():
        keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None)
        # O_EXCL: a key another process just wrote wins; never overwrite a key tokens rely on.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as file:
                file.write(pem)
    # Importing sets `kid` to the key's RFC 7638 thumbprint.
    return jwk.JWK.from_pem(path.read_bytes())


class DevIdentityProvider:
    """Issues and refreshes tokens for one realm, signed with one RSA key."""

    def __init__(self, *, realm: Realm, key: jwk.JWK, issuer: str) -> None:
        self.realm = realm
        self.issuer = issuer
        self._key = key
        self._grants: dict[str, Callable[[Client, Mapping[str, str]], dict[str, Any]]] = {
            "password": self._password_grant,
            "client_credentials": self._client_credentials_grant,
            "refresh_token": self._refresh_token_grant,
        }

    @property
    def grant_types(self) -> list[str]:
        return list(self._grants)

    def jwks(self) -> dict[str, Any]:
        public = self._key.export_public(as_dict=True)
        return {"keys": [{**public, "alg": "RS256", "use": "sig"}]}

    def token(self, form: Mapping[str, str], authorization: str | None) -> dict[str, Any]:
        """Answers one token request, in Keycloak's order: grant type, client, then grant."""
        grant_type = form.get("grant_type")
        if not grant_type:
            raise OAuthError(400, "invalid_request", "Missing form parameter: grant_type")
        grant = self._grants.get(grant_type)
        if grant is None:
            raise OAuthError(400, "unsupported_grant_type", "Unsupported grant_type")
        return grant(self._authenticate_client(form, authorization), form)

    def _authenticate_client(self, form: Mapping[str, str], authorization: str | None) -> Client:
        client_id, secret = _basic_credentials(authorization) or (
            form.get("client_id"),
            form.get("client_secret"),
        )
        client = self.realm.clients.get(client_id or "")
        if client is None or not client.enabled:
            raise OAuthError(401, "invalid_client", _INVALID_CLIENT)
        if not client.public and not (
            client.secret is not None
            and secret is not None
            and hmac.compare_digest(client.secret.encode(), secret.encode())
        ):
            raise OAuthError(401, "unauthorized_client", _INVALID_CLIENT)
        if client.bearer_only:
            raise OAuthError(400, "invalid_client", "Bearer-only not allowed")
        return client

    def _password_grant(self, client: Client, form: Mapping[str, str]) -> dict[str, Any]:
        if not client.direct_access_grants:
            raise OAuthError(
                400, "unauthorized_client", "Client not allowed for direct access grants"
            )
        user = self.realm.users.get(form.get("username", "").lower())
        expected = user.password if user is not None and user.password is not None else ""
        # Compare even for an unknown user, so timing does not reveal which usernames exist.
        matches = hmac.compare_digest(expected.encode(), form.get("password", "").encode())
        if user is None or user.password is None or not matches:
            raise OAuthError(401, "invalid_grant", "Invalid user credentials")
        if not user.enabled:
            raise OAuthError(400, "invalid_grant", "Account disabled")
        return self._session_tokens(user, client, session_id=str(uuid.uuid4()))

    def _client_credentials_grant(self, client: Client, form: Mapping[str, str]) -> dict[str, Any]:
        if client.public:
            raise OAuthError(
                400, "unauthorized_client", "Public client not allowed to retrieve service account"
            )
        user = self.realm.service_account(client.client_id)
        if not client.service_accounts or user is None:
            raise OAuthError(
                400, "unauthorized_client", "Client not enabled to retrieve service account"
            )
        # Keycloak issues no refresh token for client credentials by default.
        return {
            "access_token": self._sign(self._access_claims(user, client, session_id=None)),
            "expires_in": self.realm.access_token_lifespan,
            "refresh_expires_in": 0,
            "token_type": "Bearer",
            "not-before-policy": 0,
            "scope": _DEFAULT_SCOPE,
        }

    def _refresh_token_grant(self, client: Client, form: Mapping[str, str]) -> dict[str, Any]:
        encoded = form.get("refresh_token")
        if not encoded:
            raise OAuthError(400, "invalid_request", "Missing parameter: refresh_token")
        try:
            refresh = jwt.JWT(
                jwt=encoded,
                key=self._key,
                algs=["RS256"],
                expected_type="JWS",
                check_claims={"iss": self.issuer, "typ": "Refresh", "exp": None},
            )
            claims: dict[str, Any] = json.loads(refresh.claims)
        except (JWException, ValueError, TypeError) as exc:
            raise OAuthError(400, "invalid_grant", "Invalid refresh token") from exc
        if claims.get("azp") != client.client_id:
            raise OAuthError(
                400,
                "invalid_grant",
                "Invalid refresh token. Token client and authorized client don't match",
            )
        # Roles and groups are read again, as Keycloak does: a refresh sees today's realm.
        user = self.realm.user_by_id(str(claims.get("sub")))
        if user is None or not user.enabled:
            raise OAuthError(400, "invalid_grant", "Invalid refresh token")
        return self._session_tokens(user, client, session_id=str(claims["sid"]))

    def _session_tokens(self, user: User, client: Client, *, session_id: str) -> dict[str, Any]:
        now = int(time.time())
        refresh_claims = {
            "exp": now + self.realm.refresh_token_lifespan,
            "iat": now,
            "jti": str(uuid.uuid4()),
            "iss": self.issuer,
            "aud": self.issuer,
            "sub": user.id,
            "typ": "Refresh",
            "azp": client.client_id,
            "sid": session_id,
            "scope": _DEFAULT_SCOPE,
        }
        return {
            "access_token": self._sign(self._access_claims(user, client, session_id=session_id)),
            "expires_in": self.realm.access_token_lifespan,
            "refresh_expires_in": self.realm.refresh_token_lifespan,
            "refresh_token": self._sign(refresh_claims),
            "token_type": "Bearer",
            "not-before-policy": 0,
            "session_state": session_id,
            "scope": _DEFAULT_SCOPE,
        }

    def _access_claims(
        self, user: User, client: Client, *, session_id: str | None
    ) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "exp": now + self.realm.access_token_lifespan,
            "iat": now,
            "jti": str(uuid.uuid4()),
            "iss": self.issuer,
            "sub": user.id,
            "typ": "Bearer",
            "azp": client.client_id,
            "acr": "1",
            "realm_access": {"roles": list(user.roles)},
            "scope": _DEFAULT_SCOPE,
            "preferred_username": user.username,
        }
        if session_id is not None:
            claims["sid"] = session_id
        if user.email is not None:
            claims["email"] = user.email
            claims["email_verified"] = user.email_verified
        names = [n for n in (user.first_name, user.last_name) if n]
        if names:
            claims["name"] = " ".join(names)
        if user.first_name:
            claims["given_name"] = user.first_name
        if user.last_name:
            claims["family_name"] = user.last_name
        audiences: list[str] = []
        for mapper in client.mappers:
            config = mapper.get("config", {})
            if not _is_true(config.get("access.token.claim")):
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
        # Keycloak writes a single audience as a string, several as a list.
        if audiences:
            unique = list(dict.fromkeys(audiences))
            claims["aud"] = unique[0] if len(unique) == 1 else unique
        return claims

    def _sign(self, claims: Mapping[str, Any]) -> str:
        token = jwt.JWT(
            header={"alg": "RS256", "typ": "JWT", "kid": self._key["kid"]}, claims=claims
        )
        token.make_signed_token(self._key)
        serialized: str = token.serialize()
        return serialized


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    """Reads client credentials from `Authorization: Basic`, form-urlencoded per RFC 6749."""
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise OAuthError(401, "invalid_client", _INVALID_CLIENT) from exc
    client_id, _, secret = decoded.partition(":")
    return unquote_plus(client_id), unquote_plus(secret)


def create_app(*, realm_file: Path, keys_dir: Path, issuer: str, env: str) -> FastAPI:
    """Builds the dev identity provider app; refuses to exist outside dev and test."""
    if env not in ALLOWED_ENVS:
        raise RuntimeError(
            f"the dev identity provider runs only with HAVN_ENV in {sorted(ALLOWED_ENVS)}, "
            f"not {env!r}: production uses Keycloak"
        )
    realm = Realm.load(realm_file)
    realm_path = urlsplit(issuer).path.rstrip("/")
    if not realm_path.endswith(f"/realms/{realm.name}"):
        raise ValueError(f"issuer {issuer!r} does not name realm {realm.name!r}")
    provider = DevIdentityProvider(
        realm=realm, key=load_or_create_signing_key(keys_dir), issuer=issuer
    )

    app = FastAPI(
        title="Havn dev identity provider", docs_url=None, redoc_url=None, openapi_url=None
    )
    token_endpoint = f"{issuer}/protocol/openid-connect/token"

    @app.get(f"{realm_path}/.well-known/openid-configuration")
    async def openid_configuration() -> dict[str, Any]:
        return {
            "issuer": issuer,
            "token_endpoint": token_endpoint,
            "jwks_uri": f"{issuer}/protocol/openid-connect/certs",
            "grant_types_supported": provider.grant_types,
            "response_types_supported": [],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile", "email", "roles"],
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
            return JSONResponse(
                {"error": refusal.error, "error_description": refusal.description},
                status_code=refusal.status,
                headers=_NO_STORE,
            )
        return JSONResponse(body, headers=_NO_STORE)

    return app
