"""Idempotent service mutations: an `Idempotency-Key` is stored in the transaction of the change.

The semantics are those of the IETF httpapi Idempotency-Key draft. A mutating route called
with a key looks the key up, scoped to the caller (tenant and subject), in the service's own
`idempotency_keys` table, inside the request's unit of work:
- not seen (or older than the retention): the route runs, and its response is written in the
  SAME transaction as the state change and its outbox row, so a crash between the commit and
  the response still leaves the answer for the retry;
- seen with the same request (method, path, query and JSON body): the stored response is
  returned and the use case does not run;
- seen with another request: BAD_USER_INPUT (HTTP 422), naming the header;
- still in flight in another transaction: CONFLICT (HTTP 409); retry it later.
Errors are not stored: the transaction that raised them rolled back, so nothing was applied
and a retry runs the route again.

Every service router uses `IdempotentRoute`, which adds the lookup to each POST, PUT, PATCH
and DELETE route except the batch reads (POSTs only because a page of ids does not fit a URL).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from havn.auth.dependencies import CurrentPrincipal
from havn.clock import Clock
from havn.errors import Conflict, InvalidInput
from havn.events.retention import Purge
from havn.events.tables import SYSTEM_CONDITION
from havn.http import UnitOfWork

logger = logging.getLogger("havn.idempotency")

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
# Set on a response replayed from the store, so a client (and a test) can tell.
REPLAYED_HEADER = "Idempotent-Replayed"
MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BATCH_READ_SUFFIX = "/batch"
# The published key format (the draft asks for one): a UUID fits, as do most random ids.
_KEY_FORMAT = re.compile(r"[A-Za-z0-9._:+/=-]{1,128}")
# The rows are the caller's: the lookup sets the caller's subject, the purge the system flag.
CALLER_CONDITION = "subject = (select current_setting('havn.caller', true))"


def parse_idempotency_key(value: str) -> str:
    """The key of an `Idempotency-Key` header: an sf-string ("…") or, leniently, bare."""
    key = value.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not _KEY_FORMAT.fullmatch(key):
        raise InvalidInput(
            "Idempotency-Key must be 1 to 128 letters, digits or -._:+/= (a UUID, say)",
            field=IDEMPOTENCY_KEY_HEADER,
        )
    return key


def idempotency_table(metadata: MetaData) -> Table:
    """Adds the `idempotency_keys` table to a service's metadata (in `metadata.schema`)."""
    table = Table(
        "idempotency_keys",
        metadata,
        # '' for a caller acting in no municipality (the directorate).
        Column("tenant_id", String(4), nullable=False),
        Column("subject", Text, nullable=False),
        Column("key", Text, nullable=False),
        Column("fingerprint", Text, nullable=False),
        Column("status_code", Integer, nullable=False),
        # The response's bytes as first sent, so a replay is byte for byte the same.
        Column("response_body", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("tenant_id", "subject", "key"),
    )
    Index("ix_idempotency_keys_created", table.c.created_at)
    return table


def idempotency_rls_sql(schema: str) -> list[str]:
    """Forced RLS on the table: a caller sees its own keys; the purge sees every one."""
    table = f"{schema}.idempotency_keys"
    condition = f"({CALLER_CONDITION}) or ({SYSTEM_CONDITION})"
    return [
        f"alter table {table} enable row level security",
        f"alter table {table} force row level security",
        f"create policy caller_isolation on {table} using ({condition}) with check ({condition})",
    ]


def create_idempotency_table_v1(schema: str) -> None:
    """The migration step every service runs once: the table, its index and its RLS.

    Frozen like any migration: a later change to the table is a new function here.
    """
    import sqlalchemy as sa
    from alembic import op

    op.create_table(
        "idempotency_keys",
        sa.Column("tenant_id", sa.String(4), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "subject", "key"),
        schema=schema,
    )
    op.create_index(
        "ix_idempotency_keys_created", "idempotency_keys", ["created_at"], schema=schema
    )
    for statement in idempotency_rls_sql(schema):
        op.execute(statement)


def idempotency_system_flag_v2(schema: str, flag: str) -> None:
    """Has the purge's flag open every caller's keys only when `flag` holds: the system
    role's flag (`SYSTEM_FLAG_V3` of havn.events.migration) in an upgrade, `SYSTEM_FLAG_V1`
    in its downgrade."""
    from alembic import op

    condition = f"({CALLER_CONDITION}) or ({flag})"
    op.execute(
        f"alter policy caller_isolation on {schema}.idempotency_keys "
        f"using ({condition}) with check ({condition})"
    )


@dataclass(frozen=True)
class IdempotencyStore:
    """Where a service keeps its keys, and for how long."""

    table: Table
    retention: timedelta


async def request_fingerprint(request: Request) -> str:
    """What makes two requests the same: method, path, query and the JSON body's content."""
    body = await request.body()
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:  # not JSON (or empty): the bytes themselves
        canonical = body
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.url.path.encode(), request.url.query.encode()):
        digest.update(part + b"\x1f")
    digest.update(canonical)
    return digest.hexdigest()


class StoredResponse(Exception):
    """Raised by the lookup to skip the route: the response first sent for this key."""

    def __init__(self, status_code: int, body: bytes) -> None:
        super().__init__("replayed")
        self.status_code, self.body = status_code, body

    def response(self) -> Response:
        return Response(
            self.body,
            status_code=self.status_code,
            media_type="application/json",
            headers={REPLAYED_HEADER: "true"},
        )


@dataclass(frozen=True)
class KeyClaim:
    """A new key, locked for this transaction: the route's response is recorded under it."""

    session: AsyncSession
    store: IdempotencyStore
    tenant: str
    subject: str
    key: str
    fingerprint: str
    now: datetime

    async def record(self, response: Response) -> None:
        table = self.store.table
        row = {
            "tenant_id": self.tenant,
            "subject": self.subject,
            "key": self.key,
            "fingerprint": self.fingerprint,
            "status_code": response.status_code,
            "response_body": bytes(response.body),
            "created_at": self.now,
        }
        # An expired row may still be there (the sweep has not come by): the key starts afresh.
        await self.session.execute(
            insert(table)
            .values(row)
            .on_conflict_do_update(
                index_elements=[table.c.tenant_id, table.c.subject, table.c.key], set_=row
            )
        )


def key_lock(table: Table, tenant: str, subject: str, key: str) -> ColumnElement[int]:
    """The advisory lock of one caller's key in one service (a 64-bit hash of them)."""
    return func.hashtextextended("\x1f".join((str(table.schema), tenant, subject, key)), 0)


async def claim_idempotency_key(
    request: Request, principal: CurrentPrincipal, session: UnitOfWork
) -> None:
    """Looks the request's key up in its unit of work: replay, refuse, or claim it."""
    header = request.headers.get(IDEMPOTENCY_KEY_HEADER)
    if header is None:
        return
    key = parse_idempotency_key(header)
    store: IdempotencyStore = request.app.state.idempotency
    clock: Clock = request.app.state.clock
    table, tenant = store.table, principal.tenant or ""
    await session.execute(
        text("select set_config('havn.caller', :subject, true)"), {"subject": principal.subject}
    )
    # Held until this transaction ends: a concurrent request with the key cannot run the
    # route too, and the one after it sees the committed response.
    locked = await session.scalar(
        select(func.pg_try_advisory_xact_lock(key_lock(table, tenant, principal.subject, key)))
    )
    if not locked:
        raise Conflict(
            "a request with this Idempotency-Key is still in progress; retry it later",
            field=IDEMPOTENCY_KEY_HEADER,
        )
    fingerprint = await request_fingerprint(request)
    now = clock.now()
    seen = (
        await session.execute(
            select(table.c.fingerprint, table.c.status_code, table.c.response_body).where(
                table.c.tenant_id == tenant,
                table.c.subject == principal.subject,
                table.c.key == key,
                table.c.created_at > now - store.retention,
            )
        )
    ).one_or_none()
    if seen is not None:
        if seen.fingerprint != fingerprint:
            raise InvalidInput(
                "this Idempotency-Key was used for another request; send a new key",
                field=IDEMPOTENCY_KEY_HEADER,
            )
        raise StoredResponse(seen.status_code, seen.response_body)
    request.state.idempotency_claim = KeyClaim(
        session, store, tenant, principal.subject, key, fingerprint, now
    )


def changes_state(methods: set[str] | frozenset[str] | None, path: str) -> bool:
    """Whether a route is a mutation (and so honours keys), rather than a read."""
    return bool(set(methods or ()) & MUTATING_METHODS) and not path.endswith(BATCH_READ_SUFFIX)


class IdempotentRoute(APIRoute):
    """The route class of every service router: mutations honour `Idempotency-Key`."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        self.keyed = changes_state(kwargs.get("methods"), path)
        if self.keyed:
            # Last: the route's own dependencies (the unit of work among them) come first.
            kwargs["dependencies"] = [
                *(kwargs.get("dependencies") or []),
                Depends(claim_idempotency_key),
            ]
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not self.keyed:
            return handler

        async def keyed_handler(request: Request) -> Response:
            # The unit of work is still open here: it commits after this handler returns,
            # so the recorded response commits with the change or not at all.
            try:
                response = await handler(request)
            except StoredResponse as stored:
                return stored.response()
            claim: KeyClaim | None = getattr(request.state, "idempotency_claim", None)
            if claim is not None:
                await claim.record(response)
            return response

        return keyed_handler


def idempotency_purge(store: IdempotencyStore) -> Purge:
    """The retention sweep's rule for keys (havn/events/retention.py): gone past the retention."""
    return Purge("idempotency keys", store.table, "created_at", store.retention)
