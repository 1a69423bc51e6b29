"""SSO sessions, authorization codes and pending logins, kept in memory as dev state.

Keycloak keeps these in its cache and database; the dev identity provider keeps them in
its process, so a restart of the identity provider signs everyone out (their refresh
tokens are then refused with "Session not active"). Expired entries are pruned as new
ones arrive, so a long-running `make run` does not grow without bound.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from havn.auth.idp.realm import Realm
from havn.clock import Clock

# Prune expired entries at most this often (seconds of the clock), not on every request.
_PRUNE_INTERVAL = 60.0


@dataclass(slots=True)
class ClientSession:
    """One client's share of an SSO session: what its refresh tokens are checked against."""

    scope: str
    nonce: str | None = None
    # Refresh-token rotation, as Keycloak's `revokeRefreshToken`: the token issued last, the
    # token used last and how often it has been used.
    latest_refresh: str | None = None
    current_refresh: str | None = None
    current_uses: int = 0


@dataclass(slots=True)
class SsoSession:
    id: str
    user_id: str
    started: float
    last_refresh: float
    # The secret the browser's session cookie carries; None for the password grant.
    cookie: str | None
    clients: dict[str, ClientSession] = field(default_factory=dict)

    @property
    def auth_time(self) -> int:
        return int(self.started)


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """A validated request to the authorization endpoint."""

    client_id: str
    redirect_uri: str
    scope: str
    state: str | None
    nonce: str | None
    code_challenge: str | None


@dataclass(frozen=True, slots=True)
class AuthorizationCode:
    request: AuthorizationRequest
    session_id: str
    expires: float


@dataclass(frozen=True, slots=True)
class PendingLogin:
    """A login page shown for an authorization request, bound to the browser that saw it."""

    request: AuthorizationRequest
    browser: str
    expires: float


class SessionStore:
    """The identity provider's sessions, codes and pending logins for one realm."""

    def __init__(self, realm: Realm, clock: Clock) -> None:
        self._realm = realm
        self._clock = clock
        self._sessions: dict[str, SsoSession] = {}
        self._by_cookie: dict[str, str] = {}
        self._codes: dict[str, AuthorizationCode] = {}
        # Codes already redeemed, until they would have expired: a second use is an attack.
        self._redeemed: dict[str, AuthorizationCode] = {}
        self._logins: dict[str, PendingLogin] = {}
        self._pruned = 0.0

    def now(self) -> float:
        return self._clock.now().timestamp()

    # --- SSO sessions ---------------------------------------------------------------------

    def start_session(self, user_id: str, *, browser: bool) -> SsoSession:
        self._prune()
        now = self.now()
        session = SsoSession(
            id=secrets.token_urlsafe(16),
            user_id=user_id,
            started=now,
            last_refresh=now,
            cookie=secrets.token_urlsafe(32) if browser else None,
        )
        self._sessions[session.id] = session
        if session.cookie is not None:
            self._by_cookie[session.cookie] = session.id
        return session

    def active_session(self, session_id: str) -> SsoSession | None:
        """The session if it has neither been ended nor idled or lived past its limits."""
        session = self._sessions.get(session_id)
        if session is None:
            return None
        if self.now() >= self.session_expires(session):
            self.end_session(session.id)
            return None
        return session

    def session_by_cookie(self, cookie: str | None) -> SsoSession | None:
        session_id = self._by_cookie.get(cookie or "")
        return self.active_session(session_id) if session_id is not None else None

    def session_expires(self, session: SsoSession) -> float:
        return min(
            session.last_refresh + self._realm.sso_session_idle_timeout,
            session.started + self._realm.sso_session_max_lifespan,
        )

    def touch(self, session: SsoSession, at: float | None = None) -> None:
        session.last_refresh = self.now() if at is None else at

    def end_session(self, session_id: str) -> None:
        session = self._sessions.pop(session_id, None)
        if session is not None and session.cookie is not None:
            self._by_cookie.pop(session.cookie, None)

    # --- authorization codes --------------------------------------------------------------

    def issue_code(self, request: AuthorizationRequest, session: SsoSession) -> str:
        code = secrets.token_urlsafe(32)
        expires = self.now() + self._realm.access_code_lifespan
        self._codes[code] = AuthorizationCode(request, session.id, expires)
        return code

    def redeem_code(self, code: str) -> AuthorizationCode | None:
        """Takes a code out, once; a second attempt also detaches the client it was for."""
        issued = self._codes.pop(code, None)
        if issued is None:
            replayed = self._redeemed.pop(code, None)
            if replayed is not None:
                # RFC 6749 4.1.2: tokens issued from a replayed code should be revoked.
                session = self._sessions.get(replayed.session_id)
                if session is not None:
                    session.clients.pop(replayed.request.client_id, None)
            return None
        self._redeemed[code] = issued
        return issued if self.now() < issued.expires else None

    # --- pending logins -------------------------------------------------------------------

    def start_login(self, request: AuthorizationRequest, browser: str) -> str:
        self._prune()
        tab_id = secrets.token_urlsafe(16)
        expires = self.now() + self._realm.access_code_lifespan_login
        self._logins[tab_id] = PendingLogin(request, browser, expires)
        return tab_id

    def pending_login(self, tab_id: str, browser: str | None) -> PendingLogin | None:
        login = self._logins.get(tab_id)
        if login is None or login.browser != browser or self.now() >= login.expires:
            return None
        return login

    def finish_login(self, tab_id: str) -> None:
        self._logins.pop(tab_id, None)

    def _prune(self) -> None:
        now = self.now()
        if now - self._pruned < _PRUNE_INTERVAL:
            return
        self._pruned = now
        for session in list(self._sessions.values()):
            if now >= self.session_expires(session):
                self.end_session(session.id)
        for codes in (self._codes, self._redeemed):
            for code, issued in list(codes.items()):
                if now >= issued.expires:
                    del codes[code]
        for tab_id, login in list(self._logins.items()):
            if now >= login.expires:
                del self._logins[tab_id]
