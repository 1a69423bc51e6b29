"""A mutation retried with its Idempotency-Key through the gateway applies once, answers alike."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from gateway.services import call_key
from havn.db import scoped_transaction
from services.intake.models import Referral
from tests.client import GraphQLClient
from tests.factories import CREATE_REFERRAL, REGISTER_ARRIVAL, referral_input, settle_child

DECISION = """
mutation($year: Int!, $minors: Int!) {
  recordSettlementDecision(year: $year, minors: $minors) { year settlementDecision }
}"""


async def keyed(
    gql: GraphQLClient,
    username: str,
    query: str,
    variables: dict[str, Any],
    key: str,
) -> dict[str, Any]:
    """The whole GraphQL response to a request carrying `Idempotency-Key: "<key>"`."""
    token = await gql.token(username)
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f'"{key}"'}
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"{gql.stack.gateway_url}/graphql",
            headers=headers,
            json={"query": query, "variables": variables},
        )
    body: dict[str, Any] = response.json()
    return body


async def referrals_named(app_sessionmaker, full_name: str) -> int:
    async with scoped_transaction(app_sessionmaker, tenant="4601") as session:
        count = await session.scalar(
            select(func.count()).select_from(Referral).where(Referral.full_name == full_name)
        )
    return int(count or 0)


def new_referral(stack, name: str) -> dict[str, Any]:
    return {"input": referral_input(stack.clock.today(), fullName=name)}


async def test_the_same_key_and_body_twice_create_one_referral_and_answer_the_same(
    gql, stack, app_sessionmaker
):
    name, key = f"Retry {uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    first = await keyed(gql, "imdi-allocator", CREATE_REFERRAL, new_referral(stack, name), key)
    retried = await keyed(gql, "imdi-allocator", CREATE_REFERRAL, new_referral(stack, name), key)

    assert "errors" not in first
    assert retried == first
    assert await referrals_named(app_sessionmaker, name) == 1


async def test_without_a_key_each_request_creates_its_own_referral(gql, stack, app_sessionmaker):
    name = f"Unkeyed {uuid.uuid4().hex[:8]}"
    for _ in range(2):
        await gql("imdi-allocator", CREATE_REFERRAL, new_referral(stack, name))
    assert await referrals_named(app_sessionmaker, name) == 2


async def test_the_same_key_with_another_body_is_bad_user_input_naming_the_header(
    gql, stack, app_sessionmaker
):
    name, key = f"Reused {uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    await keyed(gql, "imdi-allocator", CREATE_REFERRAL, new_referral(stack, name), key)
    other = await keyed(
        gql, "imdi-allocator", CREATE_REFERRAL, new_referral(stack, f"{name} B"), key
    )

    assert [error["extensions"] for error in other["errors"]] == [
        {"code": "BAD_USER_INPUT", "field": "Idempotency-Key"}
    ]
    assert await referrals_named(app_sessionmaker, f"{name} B") == 0


async def test_a_malformed_key_is_bad_user_input_and_applies_nothing(gql, stack, app_sessionmaker):
    name = f"Malformed {uuid.uuid4().hex[:8]}"
    body = await keyed(gql, "imdi-allocator", CREATE_REFERRAL, new_referral(stack, name), "a b")

    assert [error["extensions"] for error in body["errors"]] == [
        {"code": "BAD_USER_INPUT", "field": "Idempotency-Key"}
    ]
    assert await referrals_named(app_sessionmaker, name) == 0


async def test_concurrent_requests_with_one_key_have_one_effect(gql, stack, app_sessionmaker):
    name, key = f"Concurrent {uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    bodies = await asyncio.gather(
        *(
            keyed(gql, "imdi-allocator", CREATE_REFERRAL, new_referral(stack, name), key)
            for _ in range(6)
        )
    )

    assert await referrals_named(app_sessionmaker, name) == 1
    answered = [body["data"] for body in bodies if "errors" not in body]
    refused = [body["errors"][0]["extensions"]["code"] for body in bodies if "errors" in body]
    assert answered and all(data == answered[0] for data in answered)
    assert set(refused) <= {"CONFLICT"}


async def test_a_key_of_another_user_does_not_replay_their_response(gql, stack):
    year, key = stack.clock.today().year + 4, str(uuid.uuid4())
    mine = await keyed(gql, "bergen-coordinator", DECISION, {"year": year, "minors": 5}, key)
    theirs = await keyed(gql, "bergen-admin", DECISION, {"year": year, "minors": 7}, key)

    assert mine["data"]["recordSettlementDecision"]["settlementDecision"] == 5
    assert "errors" not in theirs
    assert theirs["data"]["recordSettlementDecision"]["settlementDecision"] == 7


async def test_a_response_lost_after_the_commit_is_answered_on_retry_without_a_second_effect(
    gql, stack, app_sessionmaker
):
    """The service committed and stored its answer, the client never heard: it retries."""
    name, key = f"Lost {uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    variables = new_referral(stack, name)
    sent = variables["input"]
    # Exactly the body the gateway's createReferral sends, under the key it derives.
    body = {
        "municipality": sent["municipality"],
        "full_name": sent["fullName"],
        "date_of_birth": sent["dateOfBirth"],
        "sex": sent["sex"],
        "nationality": sent["nationality"],
        "languages": sent["languages"],
        "needs_summary": sent["needsSummary"],
        "respond_by": sent["respondBy"],
        "proposed_arrival": None,
    }
    lost = await gql.service(
        "imdi-allocator",
        "intake",
        "POST",
        "/v1/referrals",
        json=body,
        headers={"Idempotency-Key": call_key(key, "intake", "POST", "/v1/referrals", 0)},
    )
    assert lost.status_code == 201

    retried = await keyed(gql, "imdi-allocator", CREATE_REFERRAL, variables, key)

    assert retried["data"]["createReferral"]["id"] == lost.json()["id"]
    assert await referrals_named(app_sessionmaker, name) == 1


async def test_keys_older_than_the_retention_are_purged_and_the_key_is_fresh_again(
    gql, stack, app_sessionmaker
):
    name, key = f"Expired {uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    variables = new_referral(stack, name)
    first = await keyed(gql, "imdi-allocator", CREATE_REFERRAL, variables, key)
    retention = stack.apps["intake"].state.idempotency.retention
    assert retention == timedelta(hours=24)

    stack.clock.advance(retention + timedelta(minutes=1))
    try:
        purged = (await stack.apps["intake"].state.retention.run_once())["idempotency keys"]
        later = await keyed(gql, "imdi-allocator", CREATE_REFERRAL, variables, key)
    finally:
        stack.clock.advance(-(retention + timedelta(minutes=1)))

    assert purged >= 1
    assert later["data"]["createReferral"]["id"] != first["data"]["createReferral"]["id"]
    assert await referrals_named(app_sessionmaker, name) == 2


async def test_a_retried_arrival_without_a_key_answers_the_child_it_settled(gql, stack):
    child = await settle_child(gql, stack.clock.today())
    today = stack.clock.today().isoformat()

    retried = await gql(
        "bergen-coordinator", REGISTER_ARRIVAL, {"id": child["referralId"], "on": today}
    )

    assert retried["registerArrival"] | {"referralId": child["referralId"]} == child


async def test_an_arrival_on_another_day_of_an_arrived_referral_stays_a_conflict(gql, stack):
    child = await settle_child(gql, stack.clock.today())
    yesterday = (stack.clock.today() - timedelta(days=1)).isoformat()

    codes = await gql.error_codes(
        "bergen-coordinator", REGISTER_ARRIVAL, {"id": child["referralId"], "on": yesterday}
    )

    assert codes == ["CONFLICT"]
