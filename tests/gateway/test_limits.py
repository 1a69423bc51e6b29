"""The gateway's guards: query limits, introspection outside dev, masked errors."""

from __future__ import annotations

import httpx
import pytest

from gateway.schema import build_schema
from gateway.security import MAX_ALIASES, MAX_DEPTH
from havn.pagination import MAX_PAGE_SIZE
from tests.factories import settle_child


async def test_a_query_deeper_than_the_limit_is_refused_every_time_it_is_sent(gql):
    levels = MAX_DEPTH // 2 + 1
    nested = "enrolments { child { " * levels + "id" + " } }" * levels
    query = "query($id: ID!) { child(id: $id) { " + nested + " } }"
    # (a query text seen before skips parsing and validation: its refusal is kept too)
    for _ in range(2):
        body = await gql.raw(
            "bergen-caseworker", query, {"id": "00000000-0000-0000-0000-000000000000"}
        )
        assert body.get("data") is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
        assert "depth" in body["errors"][0]["message"]


async def test_too_many_aliases_are_refused(gql):
    query = "{ " + " ".join(f"a{i}: me {{ username }}" for i in range(MAX_ALIASES + 1)) + " }"
    codes = await gql.error_codes("bergen-caseworker", query)
    assert codes and set(codes) == {"BAD_USER_INPUT"}


async def test_introspection_is_off_outside_dev(gql):
    body = await gql.raw("bergen-caseworker", "{ __schema { types { name } } }")
    assert body.get("data") is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}
    assert "introspection" in body["errors"][0]["message"].lower()


async def test_graphiql_is_not_served_outside_dev(stack):
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{stack.gateway_url}/graphql", headers={"Accept": "text/html"})
    assert response.status_code != 200 or "graphiql" not in response.text.lower()


@pytest.mark.parametrize("first", [0, MAX_PAGE_SIZE + 1])
async def test_a_page_size_beyond_the_maximum_is_bad_input(gql, first):
    query = "query($first: Int) { children(first: $first) { totalCount } }"
    codes = await gql.error_codes("bergen-caseworker", query, {"first": first})
    assert codes == ["BAD_USER_INPUT"]


async def test_a_whole_page_of_the_maximum_size_is_served(gql):
    query = "query($first: Int) { children(first: $first) { totalCount } }"
    assert await gql.error_codes("bergen-caseworker", query, {"first": MAX_PAGE_SIZE}) == []


async def test_a_tampered_cursor_is_bad_input(gql):
    codes = await gql.error_codes(
        "bergen-caseworker", '{ children(after: "bm90LWEtY3Vyc29y") { totalCount } }'
    )
    assert codes == ["BAD_USER_INPUT"]


async def test_an_invalid_id_is_bad_input(gql):
    codes = await gql.error_codes("bergen-caseworker", '{ child(id: "42") { id } }')
    assert codes == ["BAD_USER_INPUT"]


async def test_the_gateway_reports_ready_when_every_service_is(stack):
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{stack.gateway_url}/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "intake": "ok",
        "care": "ok",
        "community": "ok",
        "transition": "ok",
    }


async def test_introspection_works_in_dev():
    result = await build_schema(introspection=True).execute("{ __schema { queryType { name } } }")
    assert result.data == {"__schema": {"queryType": {"name": "Query"}}}


@pytest.mark.parametrize(
    "query",
    [
        # a list of children (the counts are preloaded) and one child (counted on its own)
        "{ children(first: 2) { edges { node { followUpNotes(first: %d) { totalCount } } } } }",
        'query { child(id: "CHILD") { followUpNotes(first: %d) { totalCount } } }',
    ],
)
async def test_a_count_of_notes_refuses_a_page_size_the_page_would_refuse(gql, stack, query):
    # given a child of Bergen's
    child = await settle_child(gql, stack.clock.today())
    # when its notes are counted with a page size beyond the maximum
    query = query.replace("CHILD", child["id"]) % (MAX_PAGE_SIZE + 1)
    codes = await gql.error_codes("bergen-caseworker", query)
    # then it is bad input, as the page itself would be
    assert codes and set(codes) == {"BAD_USER_INPUT"}
