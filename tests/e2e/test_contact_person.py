"""A contact person sees the children assigned to them, and only those, as care assigns them."""

from __future__ import annotations

import pytest

from tests.factories import settle_child
from tests.waiting import eventually

CHILD = "query($id: ID!) { child(id: $id) { id firstName fullName } }"
ASSIGN = """mutation($id: ID!, $who: String!) {
  assignContactPerson(childId: $id, username: $who) { childId }
}"""
UNASSIGN = "mutation($id: ID!) { unassignContactPerson(childId: $id) { childId } }"
CASELOAD = "{ children(first: 200) { edges { node { id } } } }"


async def visible_to_contact(gql, child_id: str) -> bool:
    body = await gql.raw("bergen-contact", CHILD, {"id": child_id})
    return body["data"]["child"] is not None


@pytest.fixture
async def two_children(gql, stack):
    today = stack.clock.today()
    return [await settle_child(gql, today, fullName=name) for name in ("Sara Haile", "Omid Karimi")]


async def assign_contact(gql, child_id: str) -> None:
    """The caseworker assigns bergen-contact to the child, once care knows the child."""
    await eventually(
        lambda: gql.raw("bergen-caseworker", ASSIGN, {"id": child_id, "who": "bergen-contact"}),
        until=lambda body: not body.get("errors"),  # care knows the child once child.settled lands
    )


async def test_a_contact_person_sees_only_the_children_assigned_to_them(gql, two_children):
    assigned, other = two_children
    # given a caseworker assigns bergen-contact to one of the two children
    await assign_contact(gql, assigned["id"])
    # when the contact person looks
    await eventually(lambda: visible_to_contact(gql, assigned["id"]), until=bool)
    data = await gql("bergen-contact", CHILD, {"id": assigned["id"]})
    caseload = await gql("bergen-contact", CASELOAD)
    # then they see that child with its personal data, and not the other
    assert data["child"]["fullName"] == "Sara Haile"
    assert await gql.error_codes("bergen-contact", CHILD, {"id": other["id"]}) == ["NOT_FOUND"]
    ids = {edge["node"]["id"] for edge in caseload["children"]["edges"]}
    assert assigned["id"] in ids and other["id"] not in ids


async def test_a_contact_person_loses_the_child_when_unassigned(gql, two_children):
    assigned, _ = two_children
    # given the contact person sees a child assigned to them
    await assign_contact(gql, assigned["id"])
    await eventually(lambda: visible_to_contact(gql, assigned["id"]), until=bool)
    # when the caseworker removes the assignment
    await gql("bergen-caseworker", UNASSIGN, {"id": assigned["id"]})
    # then the child is gone for the contact person
    await eventually(lambda: visible_to_contact(gql, assigned["id"]), until=lambda seen: not seen)
