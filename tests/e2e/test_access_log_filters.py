"""The municipality admin narrows a child's access log by day, actor and data class."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from havn.audit import access_log
from havn.db import scoped_transaction
from tests.factories import BERGEN, settle_child, unique_name

LOG = """
query($id: ID!, $from: Date, $to: Date, $actor: String, $dataClass: DataClass) {
  accessLog(childId: $id, from: $from, to: $to, actor: $actor, dataClass: $dataClass,
            first: 200) {
    totalCount edges { node { at actor dataClass operation } } } }"""


@pytest.fixture(scope="module")
async def logged_child(gql, stack, app_sessionmaker):
    """A child with three entries of its own: two either side of midnight in Norway (23:30 on
    1 January and 00:30 on 2 January, both 1 January in UTC) and one a week later."""
    child = await settle_child(gql, stack.clock.today(), fullName=unique_name("Hana"))
    entries = [
        (datetime(2026, 1, 1, 22, 30, tzinfo=UTC), "filter-reader-a", "personal", "child.read"),
        (datetime(2026, 1, 1, 23, 30, tzinfo=UTC), "filter-reader-b", "basic", "child.read"),
        (datetime(2026, 1, 8, 12, 0, tzinfo=UTC), "filter-reader-a", "basic", "offers.read"),
    ]
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        for at, actor, data_class, operation in entries:
            await session.execute(
                insert(access_log).values(
                    at=at,
                    tenant_id=BERGEN,
                    child_id=child["id"],
                    actor=actor,
                    role="caseworker",
                    service="intake",
                    action="read",
                    data_class=data_class,
                    operation=operation,
                )
            )
    return child


async def log_of(gql, child, **filters) -> dict:
    data = await gql("bergen-admin", LOG, {"id": child["id"], **filters})
    return data["accessLog"]


async def test_the_access_log_filtered_by_days_keeps_the_entries_of_those_norwegian_days(
    gql, logged_child
):
    second = await log_of(gql, logged_child, **{"from": "2026-01-02", "to": "2026-01-02"})
    first_week = await log_of(gql, logged_child, **{"from": "2026-01-01", "to": "2026-01-07"})
    assert [e["node"]["actor"] for e in second["edges"]] == ["filter-reader-b"]
    assert second["totalCount"] == 1
    assert [e["node"]["actor"] for e in first_week["edges"]] == [
        "filter-reader-b",
        "filter-reader-a",
    ]


async def test_the_access_log_filtered_by_actor_and_data_class_keeps_only_matching_entries(
    gql, logged_child
):
    by_actor = await log_of(gql, logged_child, actor="filter-reader-a")
    by_actor_and_class = await log_of(gql, logged_child, actor="filter-reader-a", dataClass="BASIC")
    assert [e["node"]["operation"] for e in by_actor["edges"]] == ["offers.read", "child.read"]
    assert by_actor["totalCount"] == 2
    assert [
        (e["node"]["operation"], e["node"]["dataClass"]) for e in by_actor_and_class["edges"]
    ] == [("offers.read", "basic")]
    assert by_actor_and_class["totalCount"] == 1


async def test_an_access_log_period_ending_before_it_starts_is_bad_input_at_to(gql, logged_child):
    body = await gql.raw(
        "bergen-admin", LOG, {"id": logged_child["id"], "from": "2026-01-08", "to": "2026-01-01"}
    )
    [error] = body["errors"]
    assert (error["extensions"]["code"], error["extensions"].get("field")) == (
        "BAD_USER_INPUT",
        "to",
    )
