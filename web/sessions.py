"""Server-side sessions in PostgreSQL: the cookie holds a random key, the tokens stay here.

A session is found by the SHA-256 of the cookie's key, ends after `idle_timeout` without a
request, and gets a new key at sign-in. Tokens are refreshed before they expire under a
row lock, so that parallel requests of one browser refresh (and rotate) only once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.clock import Clock
from web.models import sessions

COOKIE = "__Host-havn-session"
# Refresh this long before the access token expires, so that a call in flight still carries
# a valid token when it reaches the services.
REFRESH_MARGIN = timedelta(seconds=30)
# A request within this much of the last one does not write `last_seen_at` again.
TOUCH_INTERVAL = timedelta(seconds=15)


@dataclass
class Tokens:
    """What the identity provider answered, as stored (never sent to the browser)."""

    access_token: str
    access_expires_at: datetime
    refresh_token: str | None
    id_token: str | None


@dataclass
class WebSession:
    """One browser's session as loaded for one request."""

    key_hash: bytes
    last_seen_at: datetime
    csrf_token: str
    data: dict[str, Any] = field(default_factory=dict)
    viewer: dict[str, Any] | None = None
    tokens: Tokens | None = None

    @property
    def signed_in(self) -> bool:
        return self.tokens is not None and self.viewer is not None


class TokenRefreshFailed(Exception):
    """The identity provider refused the refresh token: the user must sign in again."""


def hash_key(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def _from_row(row: sa.Row[Any]) -> WebSession:
    tokens = None
    if row.access_token is not None:
        tokens = Tokens(row.access_token, row.access_expires_at, row.refresh_token, row.id_token)
    return WebSession(
        key_hash=row.key_hash,
        last_seen_at=row.last_seen_at,
        csrf_token=row.csrf_token,
        data=dict(row.data),
        viewer=row.viewer,
        tokens=tokens,
    )


def _token_values(tokens: Tokens | None) -> dict[str, Any]:
    return {
        "access_token": tokens.access_token if tokens else None,
        "access_expires_at": tokens.access_expires_at if tokens else None,
        "refresh_token": tokens.refresh_token if tokens else None,
        "id_token": tokens.id_token if tokens else None,
    }


class SessionStore:
    """Creates, finds, extends and ends sessions; the clock is the app's, so tests move it.

    Every step but the token refresh is one statement (or independent ones), so it runs as
    well on an autocommit engine, which the app gives it to spare each request round trips.
    """

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock, idle_timeout: timedelta
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self.idle_timeout = idle_timeout

    async def ping(self) -> None:
        async with self._sessionmaker() as db:
            await db.execute(sa.text("select 1"))

    def expires_at(self, session: WebSession) -> datetime:
        return session.last_seen_at + self.idle_timeout

    async def create(
        self,
        data: dict[str, Any] | None = None,
        *,
        viewer: dict[str, Any] | None = None,
        tokens: Tokens | None = None,
    ) -> tuple[str, WebSession]:
        """Starts a session under a new random key; returns the key (for the cookie only)."""
        key = secrets.token_urlsafe(32)
        now = self._clock.now()
        session = WebSession(
            key_hash=hash_key(key),
            last_seen_at=now,
            csrf_token=secrets.token_urlsafe(32),
            data=data or {},
            viewer=viewer,
            tokens=tokens,
        )
        async with self._sessionmaker() as db, db.begin():
            # Sweep what has idled out, so that abandoned sign-ins do not pile up.
            await db.execute(
                sessions.delete().where(sessions.c.last_seen_at < now - self.idle_timeout)
            )
            await db.execute(
                sessions.insert().values(
                    key_hash=session.key_hash,
                    created_at=now,
                    last_seen_at=now,
                    csrf_token=session.csrf_token,
                    data=session.data,
                    viewer=viewer,
                    **_token_values(tokens),
                )
            )
        return key, session

    async def find(self, key: str | None) -> WebSession | None:
        """The live session of a cookie key, touched; None (and deleted) once idle too long."""
        if not key:
            return None
        key_hash = hash_key(key)
        now = self._clock.now()
        async with self._sessionmaker() as db, db.begin():
            row = (
                await db.execute(sessions.select().where(sessions.c.key_hash == key_hash))
            ).one_or_none()
            if row is None:
                return None
            if row.last_seen_at + self.idle_timeout <= now:
                await db.execute(sessions.delete().where(sessions.c.key_hash == key_hash))
                return None
            session = _from_row(row)
            if now - session.last_seen_at >= TOUCH_INTERVAL:
                await self._touch(db, session, now)
        return session

    async def peek(self, key: str | None) -> WebSession | None:
        """The live session of a cookie key without counting this as activity."""
        if not key:
            return None
        async with self._sessionmaker() as db:
            row = (
                await db.execute(sessions.select().where(sessions.c.key_hash == hash_key(key)))
            ).one_or_none()
        if row is None or row.last_seen_at + self.idle_timeout <= self._clock.now():
            return None
        return _from_row(row)

    async def extend(self, session: WebSession) -> None:
        """Counts now as activity: the idle timeout starts again."""
        async with self._sessionmaker() as db, db.begin():
            await self._touch(db, session, self._clock.now())

    async def _touch(self, db: AsyncSession, session: WebSession, now: datetime) -> None:
        await db.execute(
            sessions.update()
            .where(sessions.c.key_hash == session.key_hash)
            .values(last_seen_at=now)
        )
        session.last_seen_at = now

    async def save_data(self, session: WebSession) -> None:
        async with self._sessionmaker() as db, db.begin():
            await db.execute(
                sessions.update()
                .where(sessions.c.key_hash == session.key_hash)
                .values(data=session.data)
            )

    async def end(self, session: WebSession) -> None:
        async with self._sessionmaker() as db, db.begin():
            await db.execute(sessions.delete().where(sessions.c.key_hash == session.key_hash))

    def needs_refresh(self, tokens: Tokens) -> bool:
        return tokens.access_expires_at - REFRESH_MARGIN <= self._clock.now()

    async def fresh_tokens(
        self, session: WebSession, refresh: Callable[[str], Awaitable[Tokens]]
    ) -> Tokens:
        """The session's tokens, refreshed first when the access token is about to expire.

        The row is locked (`FOR UPDATE`) while one request refreshes; a parallel request of
        the same session waits, then finds the new tokens and does not refresh again.
        Raises TokenRefreshFailed (and ends the session) when the refresh is refused.
        """
        assert session.tokens is not None
        if not self.needs_refresh(session.tokens):
            return session.tokens
        refused = False
        async with self._sessionmaker() as db, db.begin():
            # A transaction even on an autocommit engine: the lock holds until the refresh is in.
            await db.connection(execution_options={"isolation_level": "READ COMMITTED"})
            row = (
                await db.execute(
                    sessions.select()
                    .where(sessions.c.key_hash == session.key_hash)
                    .with_for_update()
                )
            ).one_or_none()
            current = _from_row(row).tokens if row is not None else None
            if current is None:
                raise TokenRefreshFailed("the session has ended")
            if self.needs_refresh(current):
                try:
                    if current.refresh_token is None:
                        raise TokenRefreshFailed("no refresh token")
                    current = await refresh(current.refresh_token)
                except TokenRefreshFailed:
                    refused = True
                else:
                    await db.execute(
                        sessions.update()
                        .where(sessions.c.key_hash == session.key_hash)
                        .values(**_token_values(current))
                    )
        if refused:
            await self.end(session)
            raise TokenRefreshFailed("the identity provider refused the refresh token")
        session.tokens = current
        return current
