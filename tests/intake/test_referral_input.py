"""Bad input to a referral is refused with a message naming the field, and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import (
    ACCEPT_REFERRAL,
    CREATE_REFERRAL,
    create_referral,
    fresh_allocator,
    referral_input,
)

COUNT = "{ referrals(first: 1) { totalCount } }"


async def referral_count(gql, allocator: str) -> int:
    return (await gql(allocator, COUNT))["referrals"]["totalCount"]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"municipality": "9999"}, "municipality"),
        ({"dateOfBirth": "FUTURE"}, "dateOfBirth"),
        ({"dateOfBirth": "ADULT"}, "dateOfBirth"),
        ({"nationality": "XX"}, "nationality"),
        ({"languages": ["zz"]}, "languages"),
        ({"languages": []}, "languages"),
        ({"fullName": "   "}, "fullName"),
        ({"sex": "Q"}, "sex"),
        ({"respondBy": "PAST"}, "respondBy"),
    ],
)
async def test_bad_referral_input_is_refused_and_nothing_is_written(gql, stack, override, field):
    today = stack.clock.today()
    relative = {
        "FUTURE": today + timedelta(days=1),
        "ADULT": today - timedelta(days=18 * 366),
        "PAST": today - timedelta(days=1),
    }
    values = {
        k: relative[v].isoformat() if isinstance(v, str) and v in relative else v
        for k, v in override.items()
    }
    allocator = fresh_allocator(gql)

    body = await gql.raw(allocator, CREATE_REFERRAL, {"input": referral_input(today, **values)})

    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == field
    assert await referral_count(gql, allocator) == 0


async def test_only_a_directorate_allocator_creates_referrals(gql, stack):
    body = await gql.raw(
        "bergen-coordinator", CREATE_REFERRAL, {"input": referral_input(stack.clock.today())}
    )
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def test_accepting_twice_is_a_conflict_naming_the_current_state(gql, stack):
    today = stack.clock.today()
    referral = await create_referral(gql, today)
    variables = {
        "id": referral["id"],
        "input": {"plannedArrival": today.isoformat(), "careArrangement": "FOSTER_HOME"},
    }
    await gql("bergen-coordinator", ACCEPT_REFERRAL, variables)

    body = await gql.raw("bergen-coordinator", ACCEPT_REFERRAL, variables)

    [error] = body["errors"]
    assert error["extensions"]["code"] == "CONFLICT"
    assert "ACCEPTED" in error["message"]


async def test_another_municipality_cannot_act_on_a_referral(gql, stack):
    referral = await create_referral(gql, stack.clock.today())
    codes = await gql.error_codes(
        "asker-coordinator",
        ACCEPT_REFERRAL,
        {
            "id": referral["id"],
            "input": {
                "plannedArrival": stack.clock.today().isoformat(),
                "careArrangement": "GROUP_HOME",
            },
        },
    )
    assert codes == ["NOT_FOUND"]


async def test_the_allocator_sees_its_referral_but_nothing_about_the_child(gql, stack):
    referral = await create_referral(gql, stack.clock.today())
    data = await gql(
        "imdi-allocator",
        "query($id: ID!) { referral(id: $id) { status child { id } } }",
        {"id": referral["id"]},
    )
    assert data["referral"] == {"status": "PENDING", "child": None}
