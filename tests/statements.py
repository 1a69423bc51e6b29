"""The SQL statements the services run for requests, counted by the tests that show a query
costs the same whatever the length of its lists."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from havn.config import SERVICES
from havn.http import IN_REQUEST


@contextmanager
def request_statements(stack: Any) -> Iterator[dict[str, list[str]]]:
    """Every SQL statement each service runs for a request while the block runs. Relays and
    consumers work on the same engines in the background (the events of a test's own last
    writes, say), whatever the request: their statements are not its cost."""
    seen: dict[str, list[str]] = {service: [] for service in SERVICES}

    def recorder(service: str) -> Any:
        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if IN_REQUEST.get():
                seen[service].append(statement)

        return record

    listeners = [
        (stack.apps[service].state.engine.sync_engine, recorder(service)) for service in SERVICES
    ]
    for engine, listener in listeners:
        event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        for engine, listener in listeners:
            event.remove(engine, "before_cursor_execute", listener)
