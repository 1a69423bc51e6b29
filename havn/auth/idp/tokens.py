"""The token side of the dev identity provider: grants, claims and signatures, as Keycloak's."""

from __future__ import annotations

import base64
import binascii
import enum
import hmac
import json
import os
import re
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core.util import create_half_hash
from jwcrypto import jwk, jwt
from jwcrypto.common import JWException

from havn.auth.idp.bruteforce import BruteForceProtector
from havn.auth.idp.realm import Client, Realm, User, mapped_claims
from havn.auth.idp.sessions import ClientSession, SessionStore, SsoSession

SIGNING_KEY_FILE = "rs256-signing-key.pem"
# Keycloak's default client scopes, as they appear in `scope` without an explicit request.
DEFAULT_SCOPE = "profile email"
_INVALID_CLIENT = "Invalid client or Invalid client credentials"
# RFC 7636 4.1: a code verifier is 43 to 128 unreserved characters.
_CODE_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


class OAuthError(Exception):
    """A refusal answered as Keycloak's `{error, error_description}` body."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


class LoginRefusal(enum.Enum):
    """Why a username and password did not sign a user in."""

    INVALID_CREDENTIALS = "invalid_credentials"
    DISABLED = "disabled"


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
    """Signs users in and issues, refreshes and revokes tokens for one realm."""

    def __init__(
        self,
        *,
        realm: Realm,
        key: jwk.JWK,
        issuer: str,
        sessions: SessionStore,
        brute_force: BruteForceProtector,
    ) -> None:
        self.realm = realm
        self.issuer = issuer
        self.sessions = sessions
        self._brute_force = brute_force
        self._key = key
        self._grants: dict[str, Callable[[Client, Mapping[str, str]], dict[str, Any]]] = {
            "authorization_code": self._authorization_code_grant,
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

    def check_credentials(self, username: str, password: str) -> User | LoginRefusal:
        """Checks a password as Keycloak's authenticators do, brute-force detection included.

        A locked-out user is refused like a wrong password (Keycloak does not reveal the
        lockout), without counting a failure; an empty password is not counted either.
        """
        user = self.realm.users.get(username.strip().lower())
        if user is None or user.password is None or user.service_account_of is not None:
            # Compare anyway, so timing does not reveal which usernames exist.
            hmac.compare_digest(b"", password.encode())
            return LoginRefusal.INVALID_CREDENTIALS
        if self._brute_force.is_locked_out(user.id):
            return LoginRefusal.INVALID_CREDENTIALS
        if not hmac.compare_digest(user.password.encode(), password.encode()):
            if password:
                self._brute_force.record_failure(user.id)
            return LoginRefusal.INVALID_CREDENTIALS
        if not user.enabled:
            return LoginRefusal.DISABLED
        self._brute_force.record_success(user.id)
        return user

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

    def _authorization_code_grant(self, client: Client, form: Mapping[str, str]) -> dict[str, Any]:
        if not client.standard_flow:
            raise OAuthError(400, "unauthorized_client", "Client not allowed to exchange code")
        code = form.get("code")
        if not code:
            raise OAuthError(400, "invalid_request", "Missing parameter: code")
        issued = self.sessions.redeem_code(code)
        if issued is None:
            raise OAuthError(400, "invalid_grant", "Code not valid")
        request = issued.request
        if request.client_id != client.client_id:
            raise OAuthError(400, "invalid_grant", "Auth error")
        if form.get("redirect_uri") != request.redirect_uri:
            raise OAuthError(400, "invalid_grant", "Incorrect redirect_uri")
        _check_code_verifier(request.code_challenge, form.get("code_verifier"))
        session = self.sessions.active_session(issued.session_id)
        user = self.realm.user_by_id(session.user_id) if session is not None else None
        if session is None or user is None or not user.enabled:
            raise OAuthError(400, "invalid_grant", "Session not active")
        client_session = ClientSession(scope=request.scope, nonce=request.nonce)
        session.clients[client.client_id] = client_session
        return self._session_tokens(user, client, session, client_session)

    def _password_grant(self, client: Client, form: Mapping[str, str]) -> dict[str, Any]:
        if not client.direct_access_grants:
            raise OAuthError(
                400, "unauthorized_client", "Client not allowed for direct access grants"
            )
        checked = self.check_credentials(form.get("username", ""), form.get("password", ""))
        if checked is LoginRefusal.DISABLED:
            raise OAuthError(400, "invalid_grant", "Account disabled")
        if not isinstance(checked, User):
            raise OAuthError(401, "invalid_grant", "Invalid user credentials")
        session = self.sessions.start_session(checked.id, browser=False)
        client_session = ClientSession(scope=DEFAULT_SCOPE)
        session.clients[client.client_id] = client_session
        return self._session_tokens(checked, client, session, client_session)

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
            "access_token": self._sign(self._access_claims(user, client, None, DEFAULT_SCOPE)),
            "expires_in": self.realm.access_token_lifespan,
            "refresh_expires_in": 0,
            "token_type": "Bearer",
            "not-before-policy": 0,
            "scope": DEFAULT_SCOPE,
        }

    def _refresh_token_grant(self, client: Client, form: Mapping[str, str]) -> dict[str, Any]:
        encoded = form.get("refresh_token")
        if not encoded:
            raise OAuthError(400, "invalid_request", "Missing parameter: refresh_token")
        claims = self._verified_claims(encoded, typ="Refresh")
        if claims is None:
            raise OAuthError(400, "invalid_grant", "Invalid refresh token")
        if claims["exp"] <= self.sessions.now():
            raise OAuthError(400, "invalid_grant", "Refresh token expired")
        if claims.get("azp") != client.client_id:
            raise OAuthError(
                400,
                "invalid_grant",
                "Invalid refresh token. Token client and authorized client don't match",
            )
        session = self.sessions.active_session(str(claims.get("sid")))
        if session is None:
            raise OAuthError(400, "invalid_grant", "Session not active")
        client_session = session.clients.get(client.client_id)
        if client_session is None:
            raise OAuthError(400, "invalid_grant", "Session doesn't have required client")
        if self.realm.revoke_refresh_token:
            self._use_refresh_token(client_session, str(claims["jti"]))
        # Roles and groups are read again, as Keycloak does: a refresh sees today's realm.
        user = self.realm.user_by_id(session.user_id)
        if user is None or not user.enabled:
            raise OAuthError(400, "invalid_grant", "Invalid refresh token")
        return self._session_tokens(user, client, session, client_session)

    def _use_refresh_token(self, client_session: ClientSession, jti: str) -> None:
        """Keycloak's refresh-token reuse check: only the newest token, `max_reuse + 1` times."""
        if jti not in (client_session.latest_refresh, client_session.current_refresh):
            raise OAuthError(400, "invalid_grant", "Stale token")
        if jti != client_session.current_refresh:
            client_session.current_refresh = jti
            client_session.current_uses = 0
        if client_session.current_uses > self.realm.refresh_token_max_reuse:
            raise OAuthError(400, "invalid_grant", "Maximum allowed refresh token reuse exceeded")
        client_session.current_uses += 1

    def _session_tokens(
        self, user: User, client: Client, session: SsoSession, client_session: ClientSession
    ) -> dict[str, Any]:
        # Every issuance refreshes the session at the very second the tokens carry, in whole
        # seconds as Keycloak counts, so refresh_expires_in is the idle timeout, never one less.
        now = int(self.sessions.now())
        self.sessions.touch(session, now)
        refresh_expires = int(self.sessions.session_expires(session))
        refresh_id = str(uuid.uuid4())
        refresh_claims = {
            "exp": refresh_expires,
            "iat": now,
            "jti": refresh_id,
            "iss": self.issuer,
            "aud": self.issuer,
            "sub": user.id,
            "typ": "Refresh",
            "azp": client.client_id,
            "sid": session.id,
            "scope": client_session.scope,
        }
        client_session.latest_refresh = refresh_id
        access_token = self._sign(self._access_claims(user, client, session, client_session.scope))
        body: dict[str, Any] = {
            "access_token": access_token,
            "expires_in": self.realm.access_token_lifespan,
            "refresh_expires_in": refresh_expires - now,
            "refresh_token": self._sign(refresh_claims),
            "token_type": "Bearer",
            "not-before-policy": 0,
            "session_state": session.id,
            "scope": client_session.scope,
        }
        if "openid" in client_session.scope.split():
            body["id_token"] = self._sign(
                self._id_claims(user, client, session, client_session, access_token)
            )
        return body

    def _id_claims(
        self,
        user: User,
        client: Client,
        session: SsoSession,
        client_session: ClientSession,
        access_token: str,
    ) -> dict[str, Any]:
        now = int(self.sessions.now())
        mapped = mapped_claims(user, client, into="id.token.claim")
        audiences = list(dict.fromkeys([client.client_id, *mapped.pop("aud", [])]))
        claims: dict[str, Any] = {
            "exp": now + self.realm.access_token_lifespan,
            "iat": now,
            "auth_time": session.auth_time,
            "jti": str(uuid.uuid4()),
            "iss": self.issuer,
            "aud": audiences[0] if len(audiences) == 1 else audiences,
            "sub": user.id,
            "typ": "ID",
            "azp": client.client_id,
            "sid": session.id,
            "at_hash": create_half_hash(access_token, "RS256").decode(),
            "acr": "1",
            **_profile_claims(user),
            **mapped,
        }
        if client_session.nonce is not None:
            claims["nonce"] = client_session.nonce
        return claims

    def _access_claims(
        self, user: User, client: Client, session: SsoSession | None, scope: str
    ) -> dict[str, Any]:
        now = int(self.sessions.now())
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
            "scope": scope,
            **_profile_claims(user),
        }
        if session is not None:
            claims["sid"] = session.id
        mapped = mapped_claims(user, client, into="access.token.claim")
        audiences = mapped.pop("aud", [])
        claims.update(mapped)
        # Keycloak writes a single audience as a string, several as a list.
        if audiences:
            claims["aud"] = audiences[0] if len(audiences) == 1 else audiences
        return claims

    def userinfo(self, access_token: str) -> dict[str, Any]:
        """Keycloak's userinfo: the profile of the user an active session's token names."""
        claims = self._verified_claims(access_token, typ="Bearer")
        if claims is None or claims["exp"] <= self.sessions.now():
            raise OAuthError(401, "invalid_token", "Token verification failed")
        session = self.sessions.active_session(str(claims.get("sid")))
        user = self.realm.user_by_id(str(claims.get("sub")))
        client = self.realm.clients.get(str(claims.get("azp")))
        if session is None or user is None or client is None:
            raise OAuthError(
                401, "invalid_token", "User session not found or doesn't have client attached on it"
            )
        mapped = mapped_claims(user, client, into="userinfo.token.claim")
        mapped.pop("aud", None)
        return {"sub": user.id, **_profile_claims(user), **mapped}

    def id_token_hint(self, encoded: str) -> dict[str, Any] | None:
        """The claims of an ID token this realm signed; expired ones count, as in Keycloak."""
        return self._verified_claims(encoded, typ="ID")

    def _verified_claims(self, encoded: str, *, typ: str) -> dict[str, Any] | None:
        # Expiry is checked by the caller against the provider's clock, not the wall clock.
        try:
            token = jwt.JWT(
                jwt=encoded, key=self._key, algs=["RS256"], expected_type="JWS", check_claims=False
            )
            claims: dict[str, Any] = json.loads(token.claims)
        except (JWException, ValueError, TypeError):
            return None
        if claims.get("iss") != self.issuer or claims.get("typ") != typ:
            return None
        if not isinstance(claims.get("exp"), int):
            return None
        return claims

    def _sign(self, claims: Mapping[str, Any]) -> str:
        token = jwt.JWT(
            header={"alg": "RS256", "typ": "JWT", "kid": self._key["kid"]}, claims=claims
        )
        token.make_signed_token(self._key)
        serialized: str = token.serialize()
        return serialized


def _profile_claims(user: User) -> dict[str, Any]:
    """The claims of Keycloak's `profile` and `email` scopes."""
    claims: dict[str, Any] = {"preferred_username": user.username}
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
    return claims


def _check_code_verifier(challenge: str | None, verifier: str | None) -> None:
    """PKCE (RFC 7636) with S256, the only method this provider accepts."""
    if challenge is None:
        if verifier is not None:
            raise OAuthError(
                400,
                "invalid_grant",
                "PKCE code verifier specified but challenge not present in authorization",
            )
        return
    if verifier is None:
        raise OAuthError(400, "invalid_grant", "PKCE code verifier not specified")
    if not _CODE_VERIFIER.fullmatch(verifier):
        raise OAuthError(400, "invalid_grant", "PKCE invalid code verifier")
    if not hmac.compare_digest(create_s256_code_challenge(verifier), challenge):
        raise OAuthError(400, "invalid_grant", "PKCE verification failed")


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
