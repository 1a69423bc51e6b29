"""Whom a child can be given as contact person (`contactPersons`, care's /v1/contact-persons):
exactly the users care accepts, those seen acting with the contact-person role in the
municipality, whatever they did there and whatever other roles they hold."""

from __future__ import annotations

from typing import Any

import pytest

from tests.client import GraphQLClient
from tests.factories import Municipality, fresh_municipality, fresh_user, settle_child
from tests.waiting import eventually

CONTACT_PERSONS = """query($first: Int, $after: String) {
  contactPersons(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { username } } } }"""
ASSIGN = """mutation($id: ID!, $username: String!) {
  assignContactPerson(childId: $id, username: $username) { contactPerson } }"""
CASELOAD = "{ caseload { totalCount } }"


async def listed(gql: GraphQLClient, town: Municipality) -> list[str]:
    """Every contact person the town's caseworker is offered, page after page of one."""
    usernames: list[str] = []
    after = None
    while True:
        variables = {"first": 1, "after": after}
        page = (await gql(town.caseworker, CONTACT_PERSONS, variables))["contactPersons"]
        usernames += [edge["node"]["username"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return usernames
        after = page["pageInfo"]["endCursor"]


async def contact_who_has_read(gql: GraphQLClient, town: Municipality, **options: Any) -> str:
    """A contact person of the town who has only looked at their caseload there."""
    username = fresh_user(gql, "contact-person", tenants=(town.number,), **options)
    await gql(username, CASELOAD)
    return username


@pytest.fixture
async def town(gql: GraphQLClient) -> Municipality:
    return await fresh_municipality(gql)


async def test_a_contact_person_who_has_only_read_is_listed_and_can_be_assigned(gql, stack, town):
    # given a contact person who has only looked at their (empty) caseload
    reader = await contact_who_has_read(gql, town)
    child = await settle_child(
        gql, stack.clock.today(), coordinator=town.coordinator, municipality=town.number
    )

    # when the caseworker asks whom to assign
    usernames = await listed(gql, town)

    # then they are offered, and assigning them is accepted
    assert reader in usernames
    assigned = await eventually(  # care knows the child once it has heard it settled
        lambda: gql.raw(town.caseworker, ASSIGN, {"id": child["id"], "username": reader}),
        lambda body: not body.get("errors"),
    )
    assert assigned["data"]["assignContactPerson"]["contactPerson"] == reader


async def test_only_the_municipalitys_users_seen_as_contact_persons_are_listed(gql, town):
    # given, beside the town's contact person, one who has only read, a caseworker who is a
    # contact person too, a plain caseworker who has acted in care, and another
    # municipality's contact person
    reader = await contact_who_has_read(gql, town)
    both = fresh_user(gql, "caseworker", tenants=(town.number,), also=("contact-person",))
    await gql(both, CASELOAD)
    await gql(town.caseworker, CASELOAD)
    elsewhere = await fresh_municipality(gql)

    # when the town's caseworker lists them
    usernames = await listed(gql, town)

    # then exactly the town's users with the contact-person role come back, by username
    assert usernames == sorted({town.contact, reader, both})
    assert elsewhere.contact not in usernames


async def test_contact_persons_come_a_page_at_a_time_with_the_total(gql, town):
    # given three contact persons in the town
    readers = [await contact_who_has_read(gql, town) for _ in range(2)]
    everyone = sorted([town.contact, *readers])

    # when the caseworker asks for two, then for those after them
    first = (await gql(town.caseworker, CONTACT_PERSONS, {"first": 2}))["contactPersons"]
    after = first["pageInfo"]["endCursor"]
    rest = (await gql(town.caseworker, CONTACT_PERSONS, {"first": 2, "after": after}))[
        "contactPersons"
    ]

    # then the pages hold them in order, each page knowing the total
    assert [edge["node"]["username"] for edge in first["edges"]] == everyone[:2]
    assert [edge["node"]["username"] for edge in rest["edges"]] == everyone[2:]
    assert (first["pageInfo"]["hasNextPage"], rest["pageInfo"]["hasNextPage"]) == (True, False)
    assert first["totalCount"] == rest["totalCount"] == 3


@pytest.mark.parametrize("variables", [{"first": 0}, {"first": 501}, {"after": "not-a-cursor"}])
async def test_a_bad_page_request_is_bad_user_input_at_its_argument(gql, town, variables):
    # when
    body = await gql.raw(town.caseworker, CONTACT_PERSONS, variables)

    # then
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == next(iter(variables))


@pytest.mark.parametrize("kind", ["contact", "coordinator", "admin", "partner"])
async def test_only_a_caseworker_lists_contact_persons_at_the_gateway_and_the_service(
    gql, town, kind
):
    # given a user whose role may not assign a contact person
    user = (
        fresh_user(gql, "partner", tenants=(town.number,), org="sos-barnebyer")
        if kind == "partner"
        else town.user(kind)
    )

    # when it asks the gateway, and care directly
    codes = await gql.error_codes(user, CONTACT_PERSONS, {})
    response = await gql.service(user, "care", "GET", "/v1/contact-persons")

    # then both refuse it
    assert codes == ["FORBIDDEN"]
    assert response.status_code == 403
