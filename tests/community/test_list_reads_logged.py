"""A list of enrolments logs a read of each child it shows: a partner only those its grants
show it, staff every one."""

from __future__ import annotations

from tests.community.support import (
    END_ENROLMENT,
    ENROL,
    PARTNER_ENROLMENTS,
    enrolled_with_sos,
    known_to_community,
)
from tests.factories import BERGEN, settle_child

LIST_READS = {"community.enrolments.list", "community.attendance.read"}


async def list_reads(gql, actor: str, child_id: str) -> set[str]:
    """The list reads of the child by `actor` in Bergen's access log."""
    data = await gql(
        "bergen-admin",
        "query($id: ID!, $actor: String) { accessLog(childId: $id, actor: $actor, first: 200) {"
        " edges { node { operation } } } }",
        {"id": child_id, "actor": actor},
    )
    return {e["node"]["operation"] for e in data["accessLog"]["edges"]} & LIST_READS


async def test_a_list_of_enrolments_logs_the_children_it_shows_the_partner_and_no_other(gql, stack):
    # given two children enrolled in one SOS offer, the second's enrolment (and grant) ended
    today = stack.clock.today()
    shown = await enrolled_with_sos(gql, today)
    offer_id = shown["offer"]["id"]
    hidden = await settle_child(gql, today)
    await known_to_community(gql, hidden["id"])
    enrolled = await gql(
        "bergen-volunteers", ENROL, {"child": hidden["id"], "offer": offer_id, "consent": True}
    )
    await gql("bergen-volunteers", END_ENROLMENT, {"id": enrolled["enrol"]["id"]})

    # when the partner lists the offer's enrolments with their registers
    data = await gql("sos-partner", PARTNER_ENROLMENTS, {"offer": offer_id}, tenant=BERGEN)

    # then both enrolments are listed, but only the child it may see is named and logged
    children = {e["node"]["id"]: e["node"]["child"] for e in data["enrolments"]["edges"]}
    assert children[shown["enrolment"]["id"]]["id"] == shown["child"]["id"]
    assert children[enrolled["enrol"]["id"]] is None
    assert await list_reads(gql, "sos-partner", shown["child"]["id"]) == LIST_READS
    assert await list_reads(gql, "sos-partner", hidden["id"]) == set()

    # and the volunteer coordinator's list logs both
    await gql("bergen-volunteers", PARTNER_ENROLMENTS, {"offer": offer_id})
    assert await list_reads(gql, "bergen-volunteers", hidden["id"]) == LIST_READS
