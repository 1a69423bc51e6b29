"""How a use case records what it did: one call that logs and (if others care) announces it.

A service's `events.py` binds this to its own name and outbox (`record_change`, `record_read`),
so every use case in every service ends the same way: the event and the access-log entry are
written in the use case's transaction, and commit or vanish with its state change.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from havn.audit import record_access, record_accesses
from havn.auth import DataClass, Principal
from havn.events.contracts import Contract
from havn.events.outbox import publish


@dataclass(frozen=True)
class ChangeLog:
    """A service's access log and outbox: what its use cases read, change and announce."""

    service: str
    outbox: Table

    async def record_change(
        self,
        session: AsyncSession,
        principal: Principal,
        *,
        tenant: str,
        child_ids: Iterable[uuid.UUID],
        data_class: DataClass,
        operation: str,
        event: Contract | None = None,
    ) -> None:
        """A write to children's data: logged under its class, its event (if any) published."""
        if event is not None:
            await publish(
                session, event, tenant=tenant, actor=principal.username, outbox=self.outbox
            )
        await record_access(
            session,
            principal,
            service=self.service,
            child_ids=child_ids,
            data_class=data_class,
            action="write",
            operation=operation,
            tenant=tenant,
        )

    async def announce(
        self, session: AsyncSession, event: Contract, *, tenant: str, actor: str
    ) -> None:
        """An event with no child's data read or written by a person (a capacity figure, a
        consumer's or a scheduler's consequence): published, not logged."""
        await publish(session, event, tenant=tenant, actor=actor, outbox=self.outbox)

    async def record_read(
        self,
        session: AsyncSession,
        principal: Principal,
        *,
        child_ids: Iterable[uuid.UUID],
        data_class: DataClass,
        operation: str,
    ) -> None:
        """A read of children's data, one entry per child, in one statement."""
        await record_access(
            session,
            principal,
            service=self.service,
            child_ids=child_ids,
            data_class=data_class,
            action="read",
            operation=operation,
        )

    async def record_reads(
        self,
        session: AsyncSession,
        principal: Principal,
        *,
        entries: Iterable[tuple[uuid.UUID, DataClass]],
        operation: str,
    ) -> None:
        """A read of children's data in several classes, one entry per (child, class), in one
        statement."""
        await record_accesses(
            session,
            principal,
            service=self.service,
            entries=entries,
            action="read",
            operation=operation,
        )
