"""Recording reads and writes: one row per child and data class, in one statement."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import event, insert, select

from havn.audit import access_log, list_access, record_accesses
from havn.auth import DataClass, Principal, Role
from havn.db import scoped_transaction

CASEWORKER = Principal(
    subject="s", username="cw", roles=frozenset({Role.CASEWORKER}), tenants=("4601",), tenant="4601"
)


async def test_every_child_and_class_read_is_one_row_written_in_one_statement(
    app_engine, app_sessionmaker
):
    # given three children, two of them read as basic and personal data, one named twice
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    entries = [
        (first, DataClass.BASIC),
        (first, DataClass.PERSONAL),
        (second, DataClass.BASIC),
        (second, DataClass.PERSONAL),
        (third, DataClass.CONFIDENTIAL),
        (third, DataClass.CONFIDENTIAL),
    ]
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    # when they are recorded
    async with scoped_transaction(app_sessionmaker, tenant="4601") as session:
        event.listen(app_engine.sync_engine, "before_cursor_execute", count)
        try:
            await record_accesses(
                session,
                CASEWORKER,
                service="care",
                entries=entries,
                action="read",
                operation="care.read",
            )
        finally:
            event.remove(app_engine.sync_engine, "before_cursor_execute", count)

    # then each pair is one row, with who read it and how, from a single statement
    async with scoped_transaction(app_sessionmaker, tenant="4601") as session:
        rows = (
            await session.execute(
                select(
                    access_log.c.child_id,
                    access_log.c.data_class,
                    access_log.c.actor,
                    access_log.c.role,
                    access_log.c.operation,
                ).where(access_log.c.child_id.in_([first, second, third]))
            )
        ).all()
    assert sorted(rows) == sorted(
        (child, data_class.value, "cw", "caseworker", "care.read")
        for child, data_class in dict.fromkeys(entries)
    )
    assert len(statements) == 1


async def test_the_access_log_lists_entries_newest_first_by_time_not_by_id(app_sessionmaker):
    # given two entries about a child where the later-written one was read earlier (each
    # service writes its entries at the end of its own transaction)
    child = uuid.uuid4()
    async with scoped_transaction(app_sessionmaker, tenant="4601") as session:
        for at in (datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)):
            await session.execute(
                insert(access_log).values(
                    at=at,
                    tenant_id="4601",
                    child_id=child,
                    actor="cw",
                    role="caseworker",
                    service="care",
                    action="read",
                    data_class="basic",
                    operation="care.read",
                )
            )
        await session.execute(
            insert(access_log).values(
                at=datetime(2026, 1, 3, tzinfo=UTC),
                tenant_id="4601",
                child_id=child,
                actor="cw",
                role="caseworker",
                service="intake",
                action="read",
                data_class="basic",
                operation="child.read",
            )
        )

    # when the log is read a page of two at a time
    async with scoped_transaction(app_sessionmaker, tenant="4601") as session:
        first = await list_access(session, child_id=child, first=2, after=None)
        rest = await list_access(session, child_id=child, first=2, after=first.end_cursor)

    # then the newest comes first and the pages continue in time order
    assert [entry.at.day for entry in first.items + rest.items] == [3, 2, 1]
