"""A query's service calls and SQL statements do not grow with the length of its lists."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from havn.config import SERVICES
from havn.http import IN_REQUEST
from tests.factories import settle_child
from tests.waiting import eventually

CASELOAD = """
query($first: Int!) {
  children(first: $first) {
    totalCount
    edges { node {
      id firstName fullName interests
      carePlan { status } assessments { id } followUpNotes(first: 5) { totalCount }
      enrolments { id } transition { planOpensOn }
    } }
  }
}"""


@contextmanager
def statements(stack) -> Iterator[list[str]]:
    """Records every SQL statement the four services run while the block runs."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if IN_REQUEST.get():  # not the relay's or the consumers' background work
            seen.append(statement)

    engines = [stack.apps[s].state.engine.sync_engine for s in SERVICES]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


@pytest.fixture(scope="module")
async def twelve_children(gql, stack):
    today = stack.clock.today()
    return [await settle_child(gql, today) for _ in range(12)]


async def cost(gql, stack, first: int) -> tuple[int, int]:
    services = stack.apps["gateway"].state.services
    calls_before = services.calls
    with statements(stack) as seen:
        data = await gql("bergen-caseworker", CASELOAD, {"first": first})
    assert len(data["children"]["edges"]) == first
    return services.calls - calls_before, len(seen)


async def test_service_calls_and_statements_are_the_same_for_2_and_12_children(
    gql, stack, twelve_children
):
    # given Bergen's caseload has at least twelve children, each known to every service
    await eventually(
        lambda: gql("bergen-caseworker", CASELOAD, {"first": 12}),
        until=lambda d: all(
            e["node"]["carePlan"] and e["node"]["transition"] for e in d["children"]["edges"]
        ),
    )
    # when the same caseload query asks for 2 and for 12 children
    small = await cost(gql, stack, 2)
    large = await cost(gql, stack, 12)
    # then both cost the same number of service calls and SQL statements
    assert small == large
    assert small[1] > 0, "the services' statements were counted"
    assert small[0] == 5  # children list, care, follow-up notes, community, transition
