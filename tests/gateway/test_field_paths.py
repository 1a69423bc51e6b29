"""The field at fault in one convention: a service names it by its own REST schema
(`goals[0].review_on`), the gateway names it once as GraphQL does (`goals[0].reviewOn`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from gateway.services import graphql_field, graphql_terms
from tests.care.gateway_support import UPDATE_PLAN, goals, wait_for_care
from tests.client import GraphQLClient
from tests.factories import settle_child
from tests.intake.test_child_profile import UPDATE
from tests.intake.test_referral_lifecycle import SEARCH

# A date no service takes (out of any plausible range): refused by the care plan's schema.
IMPLAUSIBLE = "0001-01-01"
SET_INTERVAL = """mutation($months: Int!) {
  setAssessmentInterval(months: $months) { intervalMonths } }"""


def test_a_services_path_is_named_as_the_graphql_schema_names_its_fields():
    assert graphql_field("goals[0].review_on") == "goals[0].reviewOn"
    assert graphql_field("guardian.appointed_on") == "guardian.appointedOn"
    assert graphql_field("Idempotency-Key") == "Idempotency-Key"


def test_a_field_the_gateway_sends_under_another_name_is_named_as_its_argument():
    renamed = {"interval_months": "months", "until": "to"}
    assert graphql_field("interval_months", renamed) == "months"
    assert graphql_field("until", renamed) == "to"
    # only the path's first name is the argument's: the rest is converted as ever
    assert graphql_field("until_day", renamed) == "untilDay"
    assert graphql_field("goals[0].review_on", {"goals": "plan"}) == "plan[0].reviewOn"


def test_a_message_opening_with_the_fields_path_names_it_as_graphql_does():
    assert graphql_terms("goals[0].review_on", "goals[0].review_on: too early", None) == (
        "goals[0].reviewOn",
        "goals[0].reviewOn: too early",
    )
    # a message that only begins with the same letters, or names no field, is left as it is
    assert graphql_terms("full_name", "full_names differ", None) == (
        "fullName",
        "full_names differ",
    )
    assert graphql_terms("on", "only today", None) == ("on", "only today")


@pytest.fixture(scope="module")
async def child_in_care(gql: GraphQLClient, stack: Any) -> dict[str, Any]:
    child = await settle_child(gql, stack.clock.today())
    await wait_for_care(gql, child["id"])
    return child


def one_error(body: dict[str, Any]) -> tuple[str, str, str]:
    [error] = body["errors"]
    return error["extensions"]["code"], error["extensions"].get("field"), error["message"]


async def test_a_service_names_a_field_its_schema_refuses_by_the_schemas_own_path(
    gql: GraphQLClient, stack: Any, child_in_care: dict[str, Any]
) -> None:
    goal = {
        "domain": "education",
        "description": "A good start",
        "measures": ["First step"],
        "responsible": "bergen-caseworker",
        "review_on": IMPLAUSIBLE,
    }
    response = await gql.service(
        "bergen-caseworker",
        "care",
        "PUT",
        f"/v1/children/{child_in_care['id']}/care-plan",
        json={"goals": [goal]},
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"]) == ("BAD_USER_INPUT", "goals[0].review_on")
    assert body["message"].startswith("goals[0].review_on: ")


async def test_a_service_names_a_field_it_refuses_itself_by_its_schemas_own_name(
    gql: GraphQLClient, stack: Any, child_in_care: dict[str, Any]
) -> None:
    response = await gql.service(
        "bergen-caseworker",
        "intake",
        "PATCH",
        f"/v1/children/{child_in_care['id']}",
        json={"full_name": None},
    )
    assert response.status_code == 422
    assert response.json() == {
        "code": "BAD_USER_INPUT",
        "message": "full_name cannot be emptied",
        "field": "full_name",
    }


async def test_the_gateway_names_a_list_items_field_a_service_refuses_by_its_graphql_path(
    gql: GraphQLClient, stack: Any, child_in_care: dict[str, Any]
) -> None:
    plan = goals(stack.clock.today() + timedelta(days=90))
    plan[0]["reviewOn"] = IMPLAUSIBLE
    body = await gql.raw(
        "bergen-caseworker", UPDATE_PLAN, {"id": child_in_care["id"], "input": {"goals": plan}}
    )
    code, field, message = one_error(body)
    assert (code, field) == ("BAD_USER_INPUT", "goals[0].reviewOn")
    assert message.startswith("goals[0].reviewOn: ")


async def test_the_gateway_names_a_profile_field_that_cannot_be_emptied_by_its_graphql_name(
    gql: GraphQLClient, child_in_care: dict[str, Any]
) -> None:
    body = await gql.raw(
        "bergen-caseworker", UPDATE, {"id": child_in_care["id"], "input": {"fullName": None}}
    )
    assert one_error(body) == ("BAD_USER_INPUT", "fullName", "fullName cannot be emptied")


async def test_the_gateway_names_a_field_it_sent_under_another_name_by_the_argument(
    gql: GraphQLClient,
) -> None:
    # care's schedule takes `interval_months`; the mutation's argument is `months`
    body = await gql.raw("bergen-admin", SET_INTERVAL, {"months": 0})
    code, field, _ = one_error(body)
    assert (code, field) == ("BAD_USER_INPUT", "months")


async def test_a_referral_window_ending_before_it_starts_names_the_filters_end(
    gql: GraphQLClient, stack: Any
) -> None:
    # intake's list takes `arrival_to`; the filter's field is `plannedArrivalTo`
    today = stack.clock.today()
    window = {
        "plannedArrivalFrom": today.isoformat(),
        "plannedArrivalTo": (today - timedelta(days=1)).isoformat(),
    }
    body = await gql.raw("bergen-coordinator", SEARCH, {"filter": window})
    code, field, _ = one_error(body)
    assert (code, field) == ("BAD_USER_INPUT", "plannedArrivalTo")
