"""Relocation from Bergen to Asker: proposed by the sender, accepted by the receiver."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from havn.audit import access_log
from havn.db import scoped_transaction
from services.intake.models import Referral
from tests.factories import ASKER, BERGEN, settle_child
from tests.intake.test_child_profile import published

PROPOSE = """
mutation($child: ID!, $to: String!, $note: String) {
  proposeRelocation(childId: $child, toMunicipality: $to, note: $note) {
    id status fromMunicipality toMunicipality childFirstName childAge note } }"""
ACCEPT = """
mutation($id: ID!, $input: AcceptRelocationInput!) { acceptRelocation(id: $id, input: $input) {
  id status careArrangement relocatedOn child { id municipality fullName careArrangement } } }"""
DECLINE = """
mutation($id: ID!, $reason: String!) { declineRelocation(id: $id, reason: $reason) {
  status declineReason } }"""
CANCEL = "mutation($id: ID!) { cancelRelocation(id: $id) { status } }"
INCOMING = """
{ relocations(direction: INCOMING, status: PROPOSED, first: 200) {
  totalCount edges { node { id childFirstName fromMunicipality child { id } } } } }"""
CHILD = "query($id: ID!) { child(id: $id) { id municipality fullName } }"
ACCESS_LOG = """
query($id: ID!) { accessLog(childId: $id, first: 200) { edges { node { actor operation } } } }"""


@pytest.fixture
async def bergen_child(gql, stack) -> dict:
    return await settle_child(gql, stack.clock.today(), fullName="Yonas Tesfay")


async def propose(gql, child: dict, note: str | None = "Closer to his brother") -> dict:
    data = await gql(
        "bergen-coordinator", PROPOSE, {"child": child["id"], "to": ASKER, "note": note}
    )
    return data["proposeRelocation"]


async def test_bergen_proposes_and_asker_takes_the_child_over(
    gql, stack, bergen_child, app_sessionmaker
):
    # given Bergen proposes to move the child to Asker
    proposal = await propose(gql, bergen_child)
    assert proposal["status"] == "PROPOSED"
    assert (proposal["fromMunicipality"], proposal["toMunicipality"]) == (BERGEN, ASKER)
    # then Asker sees the proposal with basic facts only, not the child itself yet
    incoming = await gql("asker-coordinator", INCOMING)
    [node] = [
        e["node"] for e in incoming["relocations"]["edges"] if e["node"]["id"] == proposal["id"]
    ]
    assert node["childFirstName"] == "Yonas" and node["child"] is None

    # when Asker accepts it
    data = await gql(
        "asker-coordinator",
        ACCEPT,
        {"id": proposal["id"], "input": {"careArrangement": "FOSTER_HOME"}},
    )

    # then the child is Asker's, in its new care arrangement
    accepted = data["acceptRelocation"]
    assert accepted["status"] == "ACCEPTED"
    assert accepted["relocatedOn"] == stack.clock.today().isoformat()
    assert accepted["child"] == {
        "id": bergen_child["id"],
        "municipality": ASKER,
        "fullName": "Yonas Tesfay",
        "careArrangement": "FOSTER_HOME",
    }
    assert (await gql("asker-caseworker", CHILD, {"id": bergen_child["id"]}))["child"][
        "municipality"
    ] == ASKER
    # and Bergen no longer sees it
    assert await gql.error_codes("bergen-caseworker", CHILD, {"id": bergen_child["id"]}) == [
        "NOT_FOUND"
    ]
    # and child.relocated went out in Bergen, the municipality the child left
    [event] = await published(
        app_sessionmaker, BERGEN, "intake.child.relocated", bergen_child["id"]
    )
    assert event["tenant"] == BERGEN
    assert (event["data"]["from_tenant"], event["data"]["to_tenant"]) == (BERGEN, ASKER)
    # and Bergen's access log keeps its history, Asker's starts with the move
    bergen_log = await gql("bergen-admin", ACCESS_LOG, {"id": bergen_child["id"]})
    operations = {e["node"]["operation"] for e in bergen_log["accessLog"]["edges"]}
    assert {"child.settle", "child.relocate.out"} <= operations
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        asker_operations = set(
            await session.scalars(
                select(access_log.c.operation).where(
                    access_log.c.child_id == uuid.UUID(bergen_child["id"])
                )
            )
        )
    assert "child.relocate.in" in asker_operations
    assert "child.settle" not in asker_operations
    # and the referral stays with Bergen
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        referrals = await session.scalar(
            select(func.count())
            .select_from(Referral)
            .where(Referral.id == uuid.UUID(bergen_child["referralId"]))
        )
    assert referrals == 1


async def test_the_sender_cannot_accept_its_own_proposal(gql, bergen_child):
    proposal = await propose(gql, bergen_child)
    codes = await gql.error_codes(
        "bergen-coordinator",
        ACCEPT,
        {"id": proposal["id"], "input": {"careArrangement": "GROUP_HOME"}},
    )
    assert codes == ["FORBIDDEN"]


@pytest.mark.parametrize(("to", "field"), [("9999", "toMunicipality"), (BERGEN, "toMunicipality")])
async def test_a_relocation_to_an_unknown_or_the_same_municipality_is_refused(
    gql, bergen_child, to, field
):
    body = await gql.raw("bergen-coordinator", PROPOSE, {"child": bergen_child["id"], "to": to})
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_one_open_proposal_per_child(gql, bergen_child):
    await propose(gql, bergen_child)
    codes = await gql.error_codes(
        "bergen-coordinator", PROPOSE, {"child": bergen_child["id"], "to": ASKER}
    )
    assert codes == ["CONFLICT"]


async def test_asker_declines_with_a_reason_and_bergen_keeps_the_child(gql, bergen_child):
    proposal = await propose(gql, bergen_child)
    blank = await gql.raw("asker-coordinator", DECLINE, {"id": proposal["id"], "reason": " "})
    assert blank["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "reason"}

    data = await gql("asker-coordinator", DECLINE, {"id": proposal["id"], "reason": "full"})

    assert data["declineRelocation"] == {"status": "DECLINED", "declineReason": "full"}
    child = await gql("bergen-caseworker", CHILD, {"id": bergen_child["id"]})
    assert child["child"]["municipality"] == BERGEN


async def test_bergen_cancels_and_asker_can_no_longer_accept(gql, bergen_child):
    proposal = await propose(gql, bergen_child)
    assert (await gql("bergen-coordinator", CANCEL, {"id": proposal["id"]}))[
        "cancelRelocation"
    ] == {"status": "CANCELLED"}
    body = await gql.raw(
        "asker-coordinator",
        ACCEPT,
        {"id": proposal["id"], "input": {"careArrangement": "GROUP_HOME"}},
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "CONFLICT" and "CANCELLED" in error["message"]


async def test_another_municipality_cannot_propose_to_move_bergens_child(gql, bergen_child):
    codes = await gql.error_codes(
        "asker-coordinator", PROPOSE, {"child": bergen_child["id"], "to": ASKER}
    )
    assert codes == ["NOT_FOUND"]


async def test_a_volunteer_coordinator_cannot_propose_a_relocation(gql, bergen_child):
    codes = await gql.error_codes(
        "bergen-volunteers", PROPOSE, {"child": bergen_child["id"], "to": ASKER}
    )
    assert codes == ["FORBIDDEN"]
