"""Who may see a settled child, and which of its fields, through the gateway."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import fresh_municipality, settle_child

CHILD = "query($id: ID!) { child(id: $id) { id firstName } }"
PERSONAL = "query($id: ID!) { child(id: $id) { id firstName fullName dateOfBirth } }"


@pytest.fixture(scope="module")
async def bergen_child(gql, stack):
    return await settle_child(gql, stack.clock.today(), fullName="Yonas Tesfay")


@pytest.mark.parametrize(
    ("username", "tenant"),
    [
        ("asker-caseworker", None),  # another municipality
        ("sos-partner", "4601"),  # a partner without a grant, in the child's municipality
        ("imdi-allocator", None),  # the directorate: nothing about the child after arrival
        ("imdi-analyst", None),
        ("platform-admin", None),
    ],
)
async def test_a_child_is_not_found_for_those_who_may_not_see_it(
    gql, bergen_child, username, tenant
):
    body = await gql.raw(username, CHILD, {"id": bergen_child["id"]}, tenant=tenant)
    assert body["data"] == {"child": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]


async def test_an_unknown_child_and_a_foreign_one_look_the_same(gql, bergen_child):
    foreign = await gql.raw("asker-caseworker", CHILD, {"id": bergen_child["id"]})
    unknown = await gql.raw("asker-caseworker", CHILD, {"id": str(uuid.uuid4())})
    assert foreign["errors"][0]["message"] == unknown["errors"][0]["message"]


async def test_a_volunteer_coordinator_sees_basic_fields_and_is_refused_personal_ones(
    gql, bergen_child
):
    body = await gql.raw("bergen-volunteers", PERSONAL, {"id": bergen_child["id"]})
    child = body["data"]["child"]
    assert child["firstName"] == "Yonas"
    assert child["fullName"] is None and child["dateOfBirth"] is None
    refused = {tuple(e["path"]): e["extensions"]["code"] for e in body["errors"]}
    assert refused == {("child", "fullName"): "FORBIDDEN", ("child", "dateOfBirth"): "FORBIDDEN"}


async def test_a_caseworker_of_the_municipality_sees_personal_fields(gql, bergen_child):
    data = await gql("bergen-caseworker", PERSONAL, {"id": bergen_child["id"]})
    assert data["child"]["fullName"] == "Yonas Tesfay"


async def test_a_tenant_header_outside_the_users_municipalities_is_refused(gql, bergen_child):
    codes = await gql.error_codes(
        "bergen-caseworker", CHILD, {"id": bergen_child["id"]}, tenant="3203"
    )
    assert codes == ["FORBIDDEN"]


async def test_a_partner_in_several_municipalities_must_choose_one(gql):
    codes = await gql.error_codes("sos-partner", "{ children { totalCount } }")
    assert codes == ["BAD_USER_INPUT"]


async def test_a_request_without_a_token_is_unauthenticated(gql, bergen_child):
    codes = await gql.error_codes(None, CHILD, {"id": bergen_child["id"]})
    assert codes == ["UNAUTHENTICATED"]


async def test_a_forged_token_is_unauthenticated(gql, bergen_child):
    token = await gql.token("bergen-caseworker")
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[::-1]}"
    body = await gql.raw(None, CHILD, {"id": bergen_child["id"]}, token=forged)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_the_access_log_shows_who_read_the_child(gql, bergen_child):
    # given a caseworker read the child's personal data
    await gql("bergen-caseworker", PERSONAL, {"id": bergen_child["id"]})
    # when the municipality admin asks for the child's access log
    data = await gql(
        "bergen-admin",
        """
        query($id: ID!) { accessLog(childId: $id, first: 200) {
          totalCount edges { node { actor role action dataClass operation } } } }""",
        {"id": bergen_child["id"]},
    )
    entries = [edge["node"] for edge in data["accessLog"]["edges"]]
    # then the read is there, with who, which role and which class
    assert {
        "actor": "bergen-caseworker",
        "role": "caseworker",
        "action": "read",
        "dataClass": "personal",
        "operation": "child.read",
    } in entries
    assert any(e["action"] == "write" and e["operation"] == "child.settle" for e in entries)


async def test_the_access_log_is_for_the_municipality_admin_only(gql, bergen_child):
    query = "query($id: ID!) { accessLog(childId: $id) { totalCount } }"
    assert await gql.error_codes("bergen-caseworker", query, {"id": bergen_child["id"]}) == [
        "FORBIDDEN"
    ]


async def test_another_municipalitys_admin_gets_not_found_for_the_access_log(gql, bergen_child):
    # given Bergen's child has entries in its access log (Bergen's own admin sees them)
    query = """
    query($id: ID!) { accessLog(childId: $id) { totalCount edges { node { actor } } } }"""
    own = await gql("bergen-admin", query, {"id": bergen_child["id"]})
    assert own["accessLog"]["totalCount"] > 0
    # when the admin of another municipality asks for it
    other = await fresh_municipality(gql)
    body = await gql.raw(other.admin, query, {"id": bergen_child["id"]})
    # then the child is not found for them, and no entry comes with the answer
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
    assert body["data"] is None
