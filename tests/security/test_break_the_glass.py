"""Break the glass: a municipal user opens a child beyond their reach, only with a reason, for a
limited time; every read is marked in the child's access log, in the municipality the child lives
in, and its admin reviews the access."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from havn.config import Settings
from tests.client import GraphQLClient
from tests.factories import ASKER, BERGEN, settle_child
from tests.waiting import eventually

CONTACT = "bergen-contact"
ADMIN = "bergen-admin"

BREAK = """mutation($id: ID!, $reason: String!) {
  breakTheGlass(childId: $id, reason: $reason) {
    id childId municipality openedIn actor role reason openedAt expiresAt active reads } }"""
CHILD = "query($id: ID!) { child(id: $id) { id fullName } }"
CHILD_CARE = """query($id: ID!) { child(id: $id) {
  id fullName carePlan { status } followUpNotes { totalCount } } }"""
ACCESS_LOG = """query($id: ID!) { accessLog(childId: $id, first: 500) {
  edges { node { actor service action operation breakGlass breakGlassAccessId } } } }"""
REVIEW = """{ breakGlassAccesses(first: 500) { edges { node {
  id childId municipality openedIn actor role reason expiresAt active reads } } } }"""
HEALTH = "query($id: ID!) { child(id: $id) { care { health { screenings { id } } } } }"
LISTS = """query($name: String!) {
  children(first: 500) { edges { node { id } } }
  searchChildren(name: $name, first: 500) { edges { node { id } } }
  caseload(filter: ALL, first: 500) { edges { node { childId } } } }"""
PROPOSE = """mutation($child: ID!, $to: String!) {
  proposeRelocation(childId: $child, toMunicipality: $to) { id } }"""
NOTE = 'mutation($id: ID!) { addFollowUpNote(childId: $id, text: "Met at school.") { id } }'

REASON = "Emergency: the child called the out-of-hours phone; her contact person is away."


@pytest.fixture
async def unassigned_child(gql: GraphQLClient, stack: Any) -> str:
    """A Bergen child no one is the contact person of, with a follow-up note in care."""
    child: str = (await settle_child(gql, stack.clock.today(), fullName="Leyla Haidari"))["id"]
    await eventually(
        lambda: gql.raw("bergen-caseworker", NOTE, {"id": child}),
        until=lambda body: not body.get("errors"),  # care knows the child once it settles
    )
    return child


async def break_the_glass(
    gql: GraphQLClient, username: str, child: str, reason: str = REASON
) -> dict[str, Any]:
    access: dict[str, Any] = (await gql(username, BREAK, {"id": child, "reason": reason}))[
        "breakTheGlass"
    ]
    return access


async def log_of(gql: GraphQLClient, admin: str, child: str) -> list[dict[str, Any]]:
    data = await gql(admin, ACCESS_LOG, {"id": child})
    return [edge["node"] for edge in data["accessLog"]["edges"]]


async def reviewed(gql: GraphQLClient, admin: str, access_id: str) -> dict[str, Any]:
    data = await gql(admin, REVIEW)
    [node] = [
        e["node"] for e in data["breakGlassAccesses"]["edges"] if e["node"]["id"] == access_id
    ]
    return node


async def test_breaking_the_glass_without_a_reason_is_refused(gql, unassigned_child):
    missing = await gql.error_codes(
        CONTACT,
        "mutation($id: ID!) { breakTheGlass(childId: $id) { id } }",
        {"id": unassigned_child},
    )
    blank = await gql.raw(CONTACT, BREAK, {"id": unassigned_child, "reason": "  \n "})
    assert missing == ["BAD_USER_INPUT"]
    assert [(e["extensions"]["code"], e["extensions"].get("field")) for e in blank["errors"]] == [
        ("BAD_USER_INPUT", "reason")
    ]
    # and the child stays beyond reach
    assert await gql.error_codes(CONTACT, CHILD, {"id": unassigned_child}) == ["NOT_FOUND"]


async def test_contact_person_reads_an_unassigned_child_after_breaking_the_glass_every_read_marked(
    gql, unassigned_child
):
    # given the child is beyond the contact person's reach
    assert await gql.error_codes(CONTACT, CHILD, {"id": unassigned_child}) == ["NOT_FOUND"]

    # when they break the glass with a reason
    access = await break_the_glass(gql, CONTACT, unassigned_child)

    # then it lasts two hours and they read the child, its care as of their own children too
    assert (access["municipality"], access["openedIn"], access["actor"]) == (
        BERGEN,
        BERGEN,
        CONTACT,
    )
    assert access["role"] == "contact-person" and access["active"] is True
    assert access["reason"] == REASON
    data = await eventually(
        lambda: gql.raw(CONTACT, CHILD_CARE, {"id": unassigned_child}),
        until=lambda body: not body.get("errors") and body["data"]["child"]["carePlan"],
    )
    child = data["data"]["child"]
    assert child["fullName"] == "Leyla Haidari"
    assert child["followUpNotes"]["totalCount"] == 1
    # and the data classes of their role still apply: a contact person never sees health
    health = await gql.raw(CONTACT, HEALTH, {"id": unassigned_child})
    assert health["data"]["child"]["care"]["health"] is None
    assert [e["extensions"]["code"] for e in health["errors"]] == ["FORBIDDEN"]

    # and every entry of theirs in the child's log is marked with the access, in each service
    entries = [e for e in await log_of(gql, ADMIN, unassigned_child) if e["actor"] == CONTACT]
    assert {e["breakGlassAccessId"] for e in entries} == {access["id"]}
    assert all(e["breakGlass"] for e in entries)
    assert {"intake", "care"} <= {e["service"] for e in entries if e["action"] == "read"}
    # while the caseworker's reads are not
    staff = [e for e in await log_of(gql, ADMIN, unassigned_child) if e["actor"] != CONTACT]
    assert staff and not any(e["breakGlass"] for e in staff)

    # and the admin's review lists the access with the reads made under it
    review = await reviewed(gql, ADMIN, access["id"])
    assert (review["childId"], review["actor"], review["reason"]) == (
        unassigned_child,
        CONTACT,
        REASON,
    )
    assert review["expiresAt"] == access["expiresAt"] and review["active"] is True
    assert review["reads"] == len([e for e in entries if e["action"] == "read"]) > 0


async def test_an_opened_child_is_read_by_id_but_joins_none_of_the_contact_persons_lists(
    gql, unassigned_child
):
    # given the contact person opened the child and reads it
    await break_the_glass(gql, CONTACT, unassigned_child)
    assert (await gql(CONTACT, CHILD, {"id": unassigned_child}))["child"]["id"] == unassigned_child

    # then neither their children, their search nor their caseload lists it
    listed = await gql(CONTACT, LISTS, {"name": "Leyla Haidari"})
    assert unassigned_child not in {e["node"]["id"] for e in listed["children"]["edges"]}
    assert unassigned_child not in {e["node"]["id"] for e in listed["searchChildren"]["edges"]}
    assert unassigned_child not in {e["node"]["childId"] for e in listed["caseload"]["edges"]}


async def test_break_glass_access_lasts_the_configured_time_then_is_gone(
    gql, stack, unassigned_child
):
    # given the contact person broke the glass and reads the child
    access = await break_the_glass(gql, CONTACT, unassigned_child)
    assert (await gql(CONTACT, CHILD, {"id": unassigned_child}))["child"]["id"] == unassigned_child
    lasts = timedelta(minutes=Settings().break_glass_minutes)
    assert lasts == timedelta(hours=2)

    # when the clock passes the access's expiry
    stack.clock.advance(lasts + timedelta(minutes=1))
    try:
        # then the child is beyond their reach again, in every service
        assert await gql.error_codes(CONTACT, CHILD, {"id": unassigned_child}) == ["NOT_FOUND"]
        care = await gql.service(
            CONTACT, "care", "POST", "/v1/care/batch", json={"child_ids": [unassigned_child]}
        )
        assert care.status_code == 200 and care.json()["items"] == []
        # and the admin sees the access has expired
        assert (await reviewed(gql, ADMIN, access["id"]))["active"] is False
    finally:
        stack.clock.advance(-(lasts + timedelta(minutes=1)))


async def test_receiving_municipality_reads_a_relocating_child_logged_where_the_child_lives(
    gql, stack
):
    # given Bergen proposes to relocate a child to Asker, which cannot read it yet
    child = (await settle_child(gql, stack.clock.today(), fullName="Yusuf Karimi"))["id"]
    await gql("bergen-coordinator", PROPOSE, {"child": child, "to": ASKER})
    assert await gql.error_codes("asker-coordinator", CHILD, {"id": child}) == ["NOT_FOUND"]

    # when Asker's coordinator breaks the glass
    access = await break_the_glass(
        gql, "asker-coordinator", child, "Preparing the placement before we accept."
    )

    # then the access is the child's municipality's, and Asker's coordinator reads the child
    assert (access["municipality"], access["openedIn"]) == (BERGEN, ASKER)
    assert (await gql("asker-coordinator", CHILD, {"id": child}))["child"]["fullName"] == (
        "Yusuf Karimi"
    )

    # and the read is in Bergen's log of the child, marked, where Bergen's admin reviews it
    reads = [
        e
        for e in await log_of(gql, ADMIN, child)
        if e["actor"] == "asker-coordinator" and e["operation"] == "child.read"
    ]
    assert reads and all(e["breakGlassAccessId"] == access["id"] for e in reads)
    review = await reviewed(gql, ADMIN, access["id"])
    assert (review["actor"], review["openedIn"], review["reads"]) == (
        "asker-coordinator",
        ASKER,
        len(reads),
    )


@pytest.mark.parametrize(
    ("username", "tenant"),
    [("sos-partner", BERGEN), ("bergen-volunteers", None), ("bergen-admin", None)],
)
async def test_partners_volunteer_coordinators_and_admins_cannot_break_the_glass(
    gql, unassigned_child, username, tenant
):
    codes = await gql.error_codes(
        username, BREAK, {"id": unassigned_child, "reason": REASON}, tenant=tenant
    )
    assert codes == ["FORBIDDEN"]
    # nor by calling intake directly
    response = await gql.service(
        username,
        "intake",
        "POST",
        "/v1/break-glass",
        json={"child_id": unassigned_child, "reason": REASON},
        headers={"X-Havn-Tenant": tenant} if tenant else {},
    )
    assert response.status_code == 403


async def test_another_municipalitys_child_without_a_pending_relocation_stays_not_found(
    gql, unassigned_child
):
    codes = await gql.error_codes(
        "asker-coordinator", BREAK, {"id": unassigned_child, "reason": REASON}
    )
    assert codes == ["NOT_FOUND"]
    assert await gql.error_codes("asker-coordinator", CHILD, {"id": unassigned_child}) == [
        "NOT_FOUND"
    ]
