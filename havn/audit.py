"""The access log: who read or wrote which child's data, of which class, and when.

One append-only table in the kernel's `audit` schema: the application role may insert
and select, never update or delete; rows are tenant-isolated like every other table.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Literal

from opentelemetry import trace
from pydantic import BaseModel
from sqlalchemy import (
    ARRAY,
    BigInteger,
    Column,
    ColumnElement,
    DateTime,
    Identity,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    bindparam,
    column,
    func,
    insert,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from havn.clock import NORWAY
from havn.db import act_in_tenant
from havn.pagination import Page, decode_cursor, page_of

metadata = MetaData(schema="audit")

access_log = Table(
    "access_log",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    Column("tenant_id", String(4), nullable=False),
    Column("child_id", Uuid, nullable=False),
    Column("actor", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("org", Text),
    Column("service", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("data_class", Text, nullable=False),
    Column("operation", Text, nullable=False),
    Column("trace_id", Text),
    # Set when the actor had broken the glass to reach the child (havn.reach): the access the
    # entry was made under, so the admin reviewing it sees what was read.
    Column("break_glass_access_id", Uuid),
)


@dataclass(frozen=True, slots=True)
class OpenedChild:
    """A child its reader reaches only because it broke the glass for it."""

    access_id: uuid.UUID
    # The municipality the child lives in, where the reads are logged.
    lives_in: str


# The children the current request's caller opened by breaking the glass (set per request by
# havn.reach): every entry about one of them is marked with its access. A context, like the
# trace id, so that no route has to hand it to each entry it writes.
NONE_OPENED: Mapping[uuid.UUID, OpenedChild] = MappingProxyType({})
OPENED_BY_GLASS: ContextVar[Mapping[uuid.UUID, OpenedChild]] = ContextVar(
    "havn_opened_by_glass", default=NONE_OPENED
)

Action = Literal["read", "write"]

# One row per (child, data class) from two array parameters: the same small statement for 1
# or 500 children (a multi-row VALUES list would bind ten parameters per row).
_SHARED = ("tenant_id", "actor", "role", "org", "service", "action", "operation")
_ENTRIES = (
    func.unnest(
        bindparam("child_ids", type_=ARRAY(Uuid)), bindparam("data_classes", type_=ARRAY(Text))
    )
    .table_valued("child_id", "data_class")
    .render_derived(name="entry")
)
# The request's opened children as (child, access) pairs: the access an entry is marked with.
_OPENED = (
    func.unnest(
        bindparam("opened_children", type_=ARRAY(Uuid)),
        bindparam("opened_accesses", type_=ARRAY(Uuid)),
    )
    .table_valued(column("child_id", Uuid), column("access_id", Uuid))
    .render_derived(name="opened")
)
_RECORD = insert(access_log).from_select(
    [*_SHARED, "child_id", "data_class", "trace_id", "break_glass_access_id"],
    select(
        *(bindparam(name, type_=access_log.c[name].type) for name in _SHARED),
        _ENTRIES.c.child_id,
        _ENTRIES.c.data_class,
        bindparam("trace_id", type_=Text),
        select(_OPENED.c.access_id)
        .where(_OPENED.c.child_id == _ENTRIES.c.child_id)
        .scalar_subquery(),
    ),
)


class AccessLogEntry(BaseModel):
    at: datetime
    actor: str
    role: str
    org: str | None
    service: str
    action: str
    data_class: str
    operation: str
    trace_id: str | None
    break_glass_access_id: uuid.UUID | None


def current_trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


async def record_access(
    session: AsyncSession,
    principal: Principal,
    *,
    service: str,
    child_ids: Iterable[uuid.UUID],
    data_class: DataClass,
    action: Action,
    operation: str,
    tenant: str | None = None,
) -> None:
    """Writes one entry per child, in one statement whatever the number of children."""
    await record_accesses(
        session,
        principal,
        service=service,
        entries=((child_id, data_class) for child_id in child_ids),
        action=action,
        operation=operation,
        tenant=tenant,
    )


async def record_accesses(
    session: AsyncSession,
    principal: Principal,
    *,
    service: str,
    entries: Iterable[tuple[uuid.UUID, DataClass]],
    action: Action,
    operation: str,
    tenant: str | None = None,
) -> None:
    """Writes one entry per (child, data class) read or written, all in one statement."""
    tenant_id = tenant or principal.tenant
    pairs = list(dict.fromkeys(entries))
    if not pairs or tenant_id is None:
        return
    opened = OPENED_BY_GLASS.get()
    await session.execute(
        _RECORD,
        {
            "tenant_id": tenant_id,
            "child_ids": [child_id for child_id, _ in pairs],
            "data_classes": [data_class.value for _, data_class in pairs],
            "actor": principal.username,
            "role": principal.primary_role,
            "org": principal.org,
            "service": service,
            "action": action,
            "operation": operation,
            "trace_id": current_trace_id(),
            "opened_children": list(opened),
            "opened_accesses": [child.access_id for child in opened.values()],
        },
    )


async def record_accesses_where_children_live(
    session: AsyncSession,
    principal: Principal,
    *,
    service: str,
    entries: Iterable[tuple[str, uuid.UUID, DataClass]],
    action: Action,
    operation: str,
) -> None:
    """Writes each (municipality, child, class) into the log of the municipality the child lives
    in, which is where its admin looks, also when the reader acts in another (the municipality
    a relocation is proposed to). A statement per municipality: row-level security lets a
    transaction write only in the tenant it is bound to, so it visits each and comes back."""
    by_tenant: dict[str, list[tuple[uuid.UUID, DataClass]]] = {}
    for tenant, child_id, data_class in entries:
        by_tenant.setdefault(tenant, []).append((child_id, data_class))
    own = principal.tenant
    others = [tenant for tenant in by_tenant if tenant != own]
    if own in by_tenant:
        await record_accesses(
            session,
            principal,
            service=service,
            entries=by_tenant[own],
            action=action,
            operation=operation,
        )
    for tenant in others:
        await act_in_tenant(session, tenant)
        await record_accesses(
            session,
            principal,
            service=service,
            entries=by_tenant[tenant],
            action=action,
            operation=operation,
            tenant=tenant,
        )
    if others and own is not None:
        await act_in_tenant(session, own)


@dataclass(frozen=True, slots=True)
class AccessFilter:
    """Which entries of a child's log to list: days (Norwegian calendar, both included), the
    actor's username and the data class; None means any."""

    since: date | None = None
    until: date | None = None
    actor: str | None = None
    data_class: DataClass | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.since is not None:
            where.append(access_log.c.at >= datetime.combine(self.since, time(), NORWAY))
        if self.until is not None:
            next_day = datetime.combine(self.until + timedelta(days=1), time(), NORWAY)
            where.append(access_log.c.at < next_day)
        if self.actor is not None:
            where.append(access_log.c.actor == self.actor)
        if self.data_class is not None:
            where.append(access_log.c.data_class == self.data_class.value)
        return where


async def list_access(
    session: AsyncSession,
    *,
    child_id: uuid.UUID,
    first: int,
    after: str | None,
    only: AccessFilter = AccessFilter(),
) -> Page[AccessLogEntry]:
    """Newest first by the time of access; the tenant comes from the transaction (RLS).

    Not by id: ids are taken when a row is written, and each service writes its entries at
    the end of its own transaction, so a later id may carry an earlier time.
    """
    where = [access_log.c.child_id == child_id, *only.conditions()]
    query = select(access_log).where(*where)
    total = await session.scalar(select(func.count()).select_from(access_log).where(*where))
    key = decode_cursor(after, datetime.fromisoformat, int)
    if key is not None:
        query = query.where(tuple_(access_log.c.at, access_log.c.id) < tuple_(*key))
    newest_first = (access_log.c.at.desc(), access_log.c.id.desc())
    rows = (await session.execute(query.order_by(*newest_first).limit(first + 1))).all()
    page = page_of(rows, first, total or 0, key=lambda row: (row.at.isoformat(), row.id))
    return page.map(lambda row: AccessLogEntry.model_validate(row, from_attributes=True))
