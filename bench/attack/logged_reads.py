"""Unlogged reads: each read of a child is in its municipality's access log."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from bench.attack.figures import Figures
from bench.attack.leaks import Victim, World, query_reading
from bench.attack.target import sample
from tests.client import GraphQLClient
from tests.factories import ASKER
from tests.security import test_bad_input as bad_input

ACCESS_LOG = """query($id: ID!, $actor: String) {
  accessLog(childId: $id, actor: $actor, first: 500) { edges { node { at operation } } } }"""
PROPOSE = """mutation($child: ID!, $to: String!) {
  proposeRelocation(childId: $child, toMunicipality: $to) { id } }"""


async def probe_logged_reads(
    gql: GraphQLClient, world: World, figures: Figures, *, short: bool
) -> None:
    child = world.bergen.assigned
    fields = bad_input.QUERY.fields
    reads: list[tuple[str, str, str | None]] = [
        ("bergen-caseworker", "child", None),
        ("bergen-contact", "child", None),
        ("bergen-caseworker", "childCare", None),
        ("bergen-contact", "childCare", None),
        ("bergen-caseworker", "searchChildren", None),
        ("bergen-contact", "searchChildren", None),
        ("bergen-admin", "accessGrants", None),
        ("bergen-volunteers", "suggestions", None),
        ("bergen-volunteers", "matches", None),
        ("bergen-volunteers", "enrolments", None),
    ]
    victim = Victim(child, frozenset({child, world.bergen.marker}))
    for user, name, tenant in sample(reads, short):
        text, variables = query_reading(name, fields[name], victim, world.bergen.marker)
        body = await logged_read(
            gql, user, child, partial(gql.raw, user, text, variables, tenant=tenant)
        )
        record_read(figures, body, f"{user} read {name}", shown=child in json.dumps(body[0]))
    # the receiving municipality reads a proposed relocation: logged where the child lives
    proposal = await gql("bergen-coordinator", PROPOSE, {"child": world.bergen.other, "to": ASKER})
    relocation = "query($id: ID!) { relocation(id: $id) { id childFirstName childAge } }"
    answer = await logged_read(
        gql,
        "asker-coordinator",
        world.bergen.other,
        lambda: gql.raw(
            "asker-coordinator", relocation, {"id": proposal["proposeRelocation"]["id"]}
        ),
    )
    shown = bool((answer[0].get("data") or {}).get("relocation"))
    record_read(figures, answer, "asker-coordinator read a relocation proposed to Asker", shown)


async def logged_read(
    gql: GraphQLClient, user: str, child: str, read: Callable[[], Awaitable[dict[str, Any]]]
) -> tuple[dict[str, Any], bool]:
    """The answer to `read` (made as `user`), and whether the child's log gained an entry."""
    before = await log_entries(gql, child, user)
    body = await read()
    after = await log_entries(gql, child, user)
    return body, bool(after - before)


def record_read(
    figures: Figures, answer: tuple[dict[str, Any], bool], what: str, shown: bool
) -> None:
    if not shown:  # refused, or nothing of the child: not a read to look for
        figures.note("unlogged reads", f"showed nothing of the child: {what}")
        return
    figures.probe("unlogged reads", not answer[1], f"{what}: no entry in its log")


async def log_entries(gql: GraphQLClient, child: str, actor: str) -> set[tuple[str, str]]:
    data = await gql("bergen-admin", ACCESS_LOG, {"id": child, "actor": actor})
    return {(e["node"]["at"], e["node"]["operation"]) for e in data["accessLog"]["edges"]}
