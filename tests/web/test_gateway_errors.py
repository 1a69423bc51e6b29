"""The client's one GraphQL door maps the gateway's error codes to what a person should see."""

from __future__ import annotations

import uuid
from pathlib import Path

import aiohttp
import pytest

from havn.clock import Clock
from tests.factories import Municipality, create_referral
from tests.web.conftest import BackgroundStack
from web import i18n
from web.areas import WEB_DIR
from web.forms import Refused
from web.graphql import (
    GatewayClient,
    GraphQLResult,
    PageNotFound,
    SignInRequired,
    load_operations,
)

OPERATIONS = {
    "ChildById": "query ChildById($id: ID!) { child(id: $id) { id firstName } }",
    "ChildrenNames": (
        "query ChildrenNames($first: Int!) { children(first: $first) "
        "{ edges { node { id firstName fullName } } } }"
    ),
    "Accept": (
        "mutation Accept($id: ID!, $on: Date!) { acceptReferral(id: $id, input: "
        "{plannedArrival: $on, careArrangement: GROUP_HOME}) { id status } }"
    ),
    # The client's own forms: a date at the top, and dates inside an input object.
    "RegisterArrival": (WEB_DIR / "referrals/operations/RegisterArrival.graphql").read_text(),
    "RecordHealthScreening": (
        WEB_DIR / "record/operations/RecordHealthScreening.graphql"
    ).read_text(),
    "Decline": (
        "mutation Decline($id: ID!, $reason: String!) { declineReferral(id: $id, reason: $reason)"
        " { id status } }"
    ),
}


@pytest.fixture(scope="module")
def operations(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    directory: Path = tmp_path_factory.mktemp("operations")
    for name, document in OPERATIONS.items():
        (directory / f"{name}.graphql").write_text(document)
    return load_operations([directory])


def call(
    web_stack: BackgroundStack,
    operations: dict[str, str],
    user: str | None,
    operation: str,
    variables: dict[str, object],
) -> GraphQLResult:
    stack = web_stack.stack

    async def execute() -> GraphQLResult:
        token = await web_stack.gql.token(user) if user else "not-a-token"
        async with aiohttp.ClientSession() as http:
            client = GatewayClient(stack.gateway_url, operations, http)
            return await client.execute(operation, variables, access_token=token)

    return web_stack.run(execute())


def test_not_found_becomes_the_not_found_page(web_stack, operations, town: Municipality):
    with pytest.raises(PageNotFound):
        call(web_stack, operations, town.caseworker, "ChildById", {"id": str(uuid.uuid4())})


def test_unauthenticated_becomes_signing_in_again(web_stack, operations):
    with pytest.raises(SignInRequired):
        call(web_stack, operations, None, "ChildrenNames", {"first": 5})


def test_a_field_withheld_from_the_role_stays_in_place_as_forbidden(
    web_stack: BackgroundStack, operations, town: Municipality
):
    web_stack.settle_child(town)
    result = call(web_stack, operations, town.volunteers, "ChildrenNames", {"first": 5})
    edges = result.data["children"]["edges"]
    assert edges, "the town's child"
    assert edges[0]["node"]["firstName"]
    assert edges[0]["node"]["fullName"] is None
    assert result.forbidden("children", "edges", 0, "node", "fullName")
    assert not result.forbidden("children", "edges", 0, "node", "firstName")
    # What a list's rows look up instead: the same answer, relative to the list.
    withheld = result.withheld("children", "edges")
    assert (0, "node", "fullName") in withheld and (0, "node") in withheld
    assert (0, "node", "firstName") not in withheld


def test_bad_input_is_kept_by_field_for_the_form(web_stack, operations, town: Municipality):
    result = call(web_stack, operations, town.caseworker, "ChildrenNames", {"first": 0})
    assert not result.ok
    assert set(result.field_errors) == {"first"}


def test_a_conflict_is_kept_with_its_explanation(web_stack, operations, town: Municipality):
    referral = web_stack.run(
        create_referral(web_stack.gql, Clock().today(), municipality=town.number)
    )
    declined = call(
        web_stack,
        operations,
        town.coordinator,
        "Decline",
        {"id": referral["id"], "reason": "x"},
    )
    assert declined.ok
    result = call(
        web_stack,
        operations,
        town.coordinator,
        "Accept",
        {"id": referral["id"], "on": Clock().today().isoformat()},
    )
    assert not result.ok
    assert len(result.conflicts) == 1 and result.conflicts[0]


@pytest.mark.parametrize(
    ("operation", "variables", "sent", "expected"),
    [
        (
            "RegisterArrival",
            {"referralId": "x", "arrivedOn": None},
            {"arrivedOn": ""},
            {"arrivedOn": "Fyll ut dette."},
        ),
        (
            "RecordHealthScreening",
            {"childId": "x", "input": {"kind": "tb", "screenedOn": None}},
            {"kind": "tb", "screenedOn": ""},
            {"screenedOn": "Fyll ut dette."},
        ),
        (
            "RecordHealthScreening",
            {"childId": "x", "input": {"kind": "tb", "screenedOn": "6.12.2026"}},
            {"kind": "tb", "screenedOn": "6.12.2026"},
            {"screenedOn": "Denne verdien er ikke gyldig her."},
        ),
        (
            "RecordHealthScreening",
            {"childId": "x", "input": {"kind": "tb"}},
            {"kind": "tb", "screenedOn": ""},
            {"screenedOn": "Fyll ut dette."},
        ),
    ],
    ids=["blank-variable", "blank-field-of-input", "unfit-field-of-input", "left-out-field"],
)
def test_a_value_unfit_for_its_type_is_shown_at_its_input_in_the_users_words(
    web_stack,
    operations,
    town: Municipality,
    operation: str,
    variables: dict[str, object],
    sent: dict[str, str],
    expected: dict[str, str],
):
    # GraphQL itself refuses these, in words for programmers ("Variable '$input' has invalid
    # value at .screenedOn: ..."), before any resolver runs.
    result = call(web_stack, operations, town.caseworker, operation, variables)
    assert [error.code for error in result.errors] == ["BAD_USER_INPUT"]
    with i18n.language("nb"):
        refused = Refused.of(result, sent)
    assert refused.messages == expected
    assert refused.english == frozenset()
