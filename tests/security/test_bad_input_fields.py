"""Each kind of bad input answered as BAD_USER_INPUT naming its field, with nothing written:
characters in names, dates out of range, variables that do not fit, malformed requests."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.care.gateway_support import wait_for_care
from tests.client import GraphQLClient
from tests.factories import (
    ACCEPT_REFERRAL,
    CREATE_REFERRAL,
    create_referral,
    fresh_allocator,
    referral_input,
    settle_child,
)

REFERRALS = "query { referrals(first: 1) { totalCount } }"
RECORD_MEETING = """mutation($id: ID!, $input: MeetingInput!) {
  recordMeeting(childId: $id, input: $input) { language } }"""
RECORD_EDUCATION = """mutation($id: ID!, $on: Date!) { recordEducation(childId: $id,
  input: {school: "Nygård skole", classLevel: "8", norwegianLevel: A1, startedOn: $on}) {
  school } }"""


async def referral_count(gql: GraphQLClient, allocator: str) -> int:
    count: int = (await gql(allocator, REFERRALS))["referrals"]["totalCount"]
    return count


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    [error] = body["errors"]
    extensions: dict[str, Any] = error["extensions"]
    return extensions


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Amina\u202eimihaR", "a right-to-left override"),
        ("Amina\u2066Rahimi", "a bidirectional isolate"),
        ("Ami\u200bna Rahimi", "a zero-width space"),
        ("Amina\ufeffRahimi", "a zero-width no-break space"),
        ("Amina\x1b[2J Rahimi", "an escape character"),
        ("Amina\nRahimi", "a line break"),
    ],
)
async def test_a_name_with_control_bidi_or_zero_width_characters_is_refused_naming_it(
    gql: GraphQLClient, stack: Any, name: str, kind: str
) -> None:
    # given an allocator of the test's own
    allocator = fresh_allocator(gql)

    # when
    body = await gql.raw(
        allocator,
        CREATE_REFERRAL,
        {"input": referral_input(stack.clock.today(), fullName=name)},
    )

    # then
    assert only_error(body) == {"code": "BAD_USER_INPUT", "field": "fullName"}, kind
    assert await referral_count(gql, allocator) == 0


async def test_free_text_keeps_its_line_breaks_and_tabs(gql: GraphQLClient, stack: Any) -> None:
    body = await gql.raw(
        "imdi-allocator",
        CREATE_REFERRAL,
        {"input": referral_input(stack.clock.today(), needsSummary="Quiet home.\n\tFootball.")},
    )
    assert "errors" not in body, body["errors"]


@pytest.mark.parametrize(
    ("value", "problem"),
    [("Quiet\x00home", "NUL"), ("Quiet\ud800home", "lone surrogate"), ("x" * 20_001, "length")],
)
async def test_free_text_a_database_would_refuse_is_bad_input_at_the_gateway(
    gql: GraphQLClient, stack: Any, value: str, problem: str
) -> None:
    # given an allocator of the test's own
    allocator = fresh_allocator(gql)
    variables = {"input": referral_input(stack.clock.today(), needsSummary=value)}

    # when: ASCII JSON, so a lone surrogate travels as its escape
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{stack.gateway_url}/graphql",
            content=json.dumps({"query": CREATE_REFERRAL, "variables": variables}),
            headers={
                "Authorization": f"Bearer {await gql.token(allocator)}",
                "Content-Type": "application/json",
            },
        )

    # then
    assert response.status_code == 200, problem
    assert only_error(response.json()) == {"code": "BAD_USER_INPUT", "field": "input.needsSummary"}
    assert await referral_count(gql, allocator) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"needs_summary": "Quiet\x00home"}, "needs_summary"),
        ({"full_name": "Amina\u202eimihaR"}, "full_name"),
        ({"languages": ["prs", "e\u200bn"]}, "languages[1]"),
        ({"date_of_birth": "0001-01-01"}, "date_of_birth"),
        ({"respond_by": "9999-12-31"}, "respond_by"),
    ],
)
async def test_a_service_called_directly_refuses_the_same_input_naming_its_own_field(
    gql: GraphQLClient, stack: Any, body: dict[str, Any], field: str
) -> None:
    # given a referral as the gateway would send it, with one bad field
    today = stack.clock.today()
    sent = {
        "municipality": "4601",
        "full_name": "Amina Rahimi",
        "date_of_birth": (today - timedelta(days=16 * 365)).isoformat(),
        "sex": "F",
        "nationality": "AF",
        "languages": ["prs"],
        "respond_by": (today + timedelta(days=14)).isoformat(),
        **body,
    }

    # when
    response = await gql.service("imdi-allocator", "intake", "POST", "/v1/referrals", json=sent)

    # then
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("BAD_USER_INPUT", field)


@pytest.mark.parametrize("planned", ["9999-12-31", "0001-01-01"])
async def test_a_planned_arrival_out_of_any_plausible_range_is_bad_input(
    gql: GraphQLClient, stack: Any, planned: str
) -> None:
    # given a pending referral
    referral = await create_referral(gql, stack.clock.today())

    # when
    body = await gql.raw(
        "bergen-coordinator",
        ACCEPT_REFERRAL,
        {
            "id": referral["id"],
            "input": {"plannedArrival": planned, "careArrangement": "GROUP_HOME"},
        },
    )

    # then
    assert only_error(body) == {"code": "BAD_USER_INPUT", "field": "plannedArrival"}


@pytest.fixture(scope="module")
async def child_in_care(gql: GraphQLClient, stack: Any) -> dict[str, Any]:
    child = await settle_child(gql, stack.clock.today())
    await wait_for_care(gql, child["id"])
    return child


@pytest.mark.parametrize("held_on", ["0001-01-01", "9999-12-31"])
async def test_a_meeting_date_out_of_any_plausible_range_is_bad_input(
    gql: GraphQLClient, child_in_care: dict[str, Any], held_on: str
) -> None:
    meeting = {"heldOn": held_on, "purpose": "Follow-up", "language": "en"}
    body = await gql.raw(
        "bergen-caseworker", RECORD_MEETING, {"id": child_in_care["id"], "input": meeting}
    )
    assert only_error(body) == {"code": "BAD_USER_INPUT", "field": "heldOn"}


@pytest.mark.parametrize("started_on", ["0001-01-01", "9999-12-31"])
async def test_a_school_start_out_of_any_plausible_range_is_bad_input(
    gql: GraphQLClient, child_in_care: dict[str, Any], started_on: str
) -> None:
    body = await gql.raw(
        "bergen-caseworker", RECORD_EDUCATION, {"id": child_in_care["id"], "on": started_on}
    )
    assert only_error(body) == {"code": "BAD_USER_INPUT", "field": "startedOn"}


async def test_a_meeting_near_today_is_recorded(
    gql: GraphQLClient, stack: Any, child_in_care: dict[str, Any]
) -> None:
    meeting = {"heldOn": stack.clock.today().isoformat(), "purpose": "Follow-up", "language": "en"}
    data = await gql(
        "bergen-caseworker", RECORD_MEETING, {"id": child_in_care["id"], "input": meeting}
    )
    assert data["recordMeeting"]["language"] == "en"


# --- variables, syntax and the request itself -----------------------------------------------

CHILDREN = "query($first: Int) { children(first: $first) { totalCount } }"
ACCEPT_WITH_VARIABLES = """mutation($id: ID!, $planned: Date!, $arrangement: CareArrangement!) {
  acceptReferral(id: $id, input: {plannedArrival: $planned, careArrangement: $arrangement}) {
  id } }"""


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"planned": "2024-13-01", "arrangement": "GROUP_HOME"}, "planned"),
        ({"planned": "TODAY", "arrangement": "GROUP_HOM"}, "arrangement"),
        ({"planned": 20240101, "arrangement": "GROUP_HOME"}, "planned"),
    ],
)
async def test_a_variable_that_does_not_fit_its_type_is_bad_input_naming_the_variable(
    gql: GraphQLClient, stack: Any, variables: dict[str, Any], field: str
) -> None:
    # given a pending referral
    referral = await create_referral(gql, stack.clock.today())
    if variables["planned"] == "TODAY":
        variables = {**variables, "planned": stack.clock.today().isoformat()}

    # when
    body = await gql.raw(
        "bergen-coordinator", ACCEPT_WITH_VARIABLES, {"id": referral["id"], **variables}
    )

    # then
    assert only_error(body) == {"code": "BAD_USER_INPUT", "field": field}
    assert "Did you mean" not in body["errors"][0]["message"]


async def test_an_int_variable_given_a_fraction_is_bad_input_as_the_same_literal_is(
    gql: GraphQLClient,
) -> None:
    by_variable = await gql.raw("bergen-caseworker", CHILDREN, {"first": 1.5})
    by_literal = await gql.raw("bergen-caseworker", "{ children(first: 1.5) { totalCount } }")
    assert only_error(by_variable) == {"code": "BAD_USER_INPUT", "field": "first"}
    assert only_error(by_literal) == {"code": "BAD_USER_INPUT"}


@pytest.mark.parametrize(
    "query",
    ["{ children(", "{ children { totalCount } } }", "query { children(first: ) { id } }"],
)
async def test_a_syntax_error_carries_a_code(gql: GraphQLClient, query: str) -> None:
    body = await gql.raw("bergen-caseworker", query)
    assert only_error(body) == {"code": "BAD_USER_INPUT"}
    assert body["errors"][0]["message"].startswith("Syntax Error")


@pytest.mark.parametrize(
    "query",
    [
        "{ children { totalCoun } }",
        "{ children(firs: 1) { totalCount } }",
        "{ referrals(status: PENDIN) { totalCount } }",
    ],
)
async def test_outside_dev_an_error_suggests_no_field_or_value_names(
    gql: GraphQLClient, query: str
) -> None:
    body = await gql.raw("bergen-caseworker", query)
    assert only_error(body) == {"code": "BAD_USER_INPUT"}
    assert "Did you mean" not in body["errors"][0]["message"]


@pytest.mark.parametrize("raw", ["null", "[]", '"query"', "42", "true", "[" * 100_000])
async def test_a_body_that_is_no_graphql_request_is_a_400_with_a_graphql_error(
    gql: GraphQLClient, stack: Any, raw: str
) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{stack.gateway_url}/graphql",
            content=raw,
            headers={
                "Authorization": f"Bearer {await gql.token('bergen-caseworker')}",
                "Content-Type": "application/json",
            },
        )
    assert response.status_code == 400
    assert only_error(response.json()) == {"code": "BAD_USER_INPUT"}


@pytest.mark.parametrize("length", [19_000, 5_000_000])
async def test_a_search_name_too_long_for_a_url_is_bad_input_naming_it(
    gql: GraphQLClient, length: int
) -> None:
    query = "query($name: String!) { searchChildren(name: $name) { totalCount } }"
    body = await gql.raw("bergen-caseworker", query, {"name": "a" * length})
    assert only_error(body)["code"] == "BAD_USER_INPUT"
    assert only_error(body)["field"] == "name"


@pytest.mark.parametrize(("body", "field"), [({"places": 2**40, "free": 0}, "places")])
async def test_a_number_beyond_a_database_integer_sent_to_a_service_is_bad_input(
    gql: GraphQLClient, body: dict[str, Any], field: str
) -> None:
    response = await gql.service(
        "bergen-coordinator", "intake", "PUT", "/v1/capacity/care-places/OTHER", json=body
    )
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("BAD_USER_INPUT", field)
