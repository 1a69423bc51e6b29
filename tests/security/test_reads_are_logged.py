"""Reads that name a child leave an entry in the log of the municipality the child lives in:
partners' grants listed by the admin, and a relocation read by the municipality it is
proposed to, before the child is its own."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from havn.audit import access_log
from havn.db import scoped_transaction
from tests.community.support import CREATE_AGREEMENT, CREATE_OFFER, ENROL, REGISTER_PARTNER
from tests.factories import ASKER, BERGEN, settle_child
from tests.waiting import eventually

ACCESS_LOG = """
query($id: ID!) { accessLog(childId: $id, first: 200) { edges { node { actor operation } } } }"""
GRANTS = """query($id: ID) {
  accessGrants(childId: $id, first: 50) { edges { node { id scope effective } } }
}"""
ALL_GRANTS = "{ accessGrants(first: 500) { edges { node { id } } } }"
PROPOSE = """mutation($child: ID!, $to: String!) {
  proposeRelocation(childId: $child, toMunicipality: $to) { id } }"""
INCOMING = """{ relocations(direction: INCOMING, status: PROPOSED, first: 500) {
  edges { node { id childFirstName } } } }"""
RELOCATION = "query($id: ID!) { relocation(id: $id) { id childFirstName childAge } }"


async def bergen_log(gql, child_id: str) -> set[tuple[str, str]]:
    """(actor, operation) of every entry in Bergen's log about the child, as its admin sees it."""
    data = await gql("bergen-admin", ACCESS_LOG, {"id": child_id})
    return {(e["node"]["actor"], e["node"]["operation"]) for e in data["accessLog"]["edges"]}


async def test_listing_partners_grants_is_logged_for_every_child_a_grant_names(
    gql, stack, app_sessionmaker
):
    # given a child whose enrolment opened a grant to a partner
    today = stack.clock.today()
    child = await settle_child(gql, today, fullName="Grant Logged")
    slug = f"grants-{uuid.uuid4().hex[:8]}"
    await gql(
        "bergen-volunteers",
        REGISTER_PARTNER,
        {"input": {"slug": slug, "name": slug, "kind": "NGO"}},
    )
    agreement = {"partnerSlug": slug, "scope": "Leisure", "validFrom": today.isoformat()}
    await gql("bergen-volunteers", CREATE_AGREEMENT, {"input": agreement})
    offer = await gql(
        "bergen-volunteers",
        CREATE_OFFER,
        {"input": {"partnerSlug": slug, "title": "Chess", "tags": ["chess"], "capacity": 3}},
    )
    await eventually(
        lambda: gql.raw(
            "bergen-volunteers",
            ENROL,
            {"child": child["id"], "offer": offer["createOffer"]["id"], "consent": True},
        ),
        until=lambda body: not body.get("errors"),
    )

    # when the admin lists the child's grants, and every grant of the municipality
    named = await gql("bergen-admin", GRANTS, {"id": child["id"]})
    await gql("bergen-admin", ALL_GRANTS)

    # then the child's log holds both reads
    assert len(named["accessGrants"]["edges"]) == 1
    assert ("bergen-admin", "community.grants.list") in await bergen_log(gql, child["id"])
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        rows = (
            await session.scalars(
                select(access_log.c.operation).where(
                    access_log.c.child_id == uuid.UUID(child["id"]),
                    access_log.c.operation == "community.grants.list",
                )
            )
        ).all()
    assert len(rows) == 2


async def test_a_relocation_read_by_the_receiving_municipality_is_logged_where_the_child_lives(
    gql, stack, app_sessionmaker
):
    # given Bergen proposes to move a child to Asker
    child = await settle_child(gql, stack.clock.today(), fullName="Moved Logged")
    proposal = (await gql("bergen-coordinator", PROPOSE, {"child": child["id"], "to": ASKER}))[
        "proposeRelocation"
    ]

    # when Asker lists its incoming proposals and reads this one, before accepting
    incoming = await gql("asker-coordinator", INCOMING)
    await gql("asker-coordinator", RELOCATION, {"id": proposal["id"]})

    # then the child's own municipality, Bergen, logs both reads by Asker's coordinator
    assert proposal["id"] in {e["node"]["id"] for e in incoming["relocations"]["edges"]}
    entries = await bergen_log(gql, child["id"])
    assert {
        ("asker-coordinator", "relocation.list"),
        ("asker-coordinator", "relocation.read"),
    } <= entries
    # and Asker's own log, where the child is not (yet), holds nothing of it
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        asker_entries = (
            await session.scalars(
                select(access_log.c.id).where(access_log.c.child_id == uuid.UUID(child["id"]))
            )
        ).all()
    assert asker_entries == []
