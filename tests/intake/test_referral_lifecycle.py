"""The referral's lifecycle through the gateway: withdrawal, declining, overdue, lists."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from havn.auth import Principal
from havn.clock import Clock
from havn.errors import NotFound
from havn.pagination import Page
from havn.permissions import intake
from havn.vocabulary import ReferralStatus
from services.intake import repository
from services.intake.domain.referrals import is_overdue
from services.intake.models import Referral
from services.intake.schemas import ReasonIn
from services.intake.service import referrals
from tests.factories import (
    ACCEPT_REFERRAL,
    BERGEN,
    REGISTER_ARRIVAL,
    create_referral,
    fresh_municipality,
)
from tests.intake.service import IntakeService, allocator

WITHDRAW = """
mutation($id: ID!, $reason: String!) { withdrawReferral(id: $id, reason: $reason) {
  id status withdrawReason overdue } }"""
DECLINE = """
mutation($id: ID!, $reason: String!) { declineReferral(id: $id, reason: $reason) {
  id status declineReason } }"""
REFERRAL = "query($id: ID!) { referral(id: $id) { id status } }"
SEARCH = """
query($filter: ReferralFilter, $sort: ReferralSort, $first: Int, $after: String) {
  searchReferrals(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id status respondBy plannedArrival overdue } } } }"""


def accept_variables(referral_id: str, planned: str, arrangement: str = "GROUP_HOME") -> dict:
    return {
        "id": referral_id,
        "input": {"plannedArrival": planned, "careArrangement": arrangement},
    }


async def test_the_allocator_withdraws_a_pending_referral_with_a_reason(gql, stack):
    referral = await create_referral(gql, stack.clock.today())
    data = await gql(
        "imdi-allocator", WITHDRAW, {"id": referral["id"], "reason": "placed with family"}
    )
    assert data["withdrawReferral"]["status"] == "WITHDRAWN"
    assert data["withdrawReferral"]["withdrawReason"] == "placed with family"
    # and the municipality can no longer accept it
    body = await gql.raw(
        "bergen-coordinator",
        ACCEPT_REFERRAL,
        accept_variables(referral["id"], stack.clock.today().isoformat()),
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "CONFLICT"
    assert "WITHDRAWN" in error["message"]


async def test_an_accepted_referral_cannot_be_withdrawn(gql, stack):
    referral = await create_referral(gql, stack.clock.today())
    await gql(
        "bergen-coordinator",
        ACCEPT_REFERRAL,
        accept_variables(referral["id"], stack.clock.today().isoformat()),
    )
    body = await gql.raw("imdi-allocator", WITHDRAW, {"id": referral["id"], "reason": "late"})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "CONFLICT"
    assert "ACCEPTED" in error["message"]


async def test_only_the_allocator_withdraws(gql, stack):
    referral = await create_referral(gql, stack.clock.today())
    codes = await gql.error_codes(
        "bergen-coordinator", WITHDRAW, {"id": referral["id"], "reason": "no"}
    )
    assert codes == ["FORBIDDEN"]
    assert (await gql("imdi-allocator", REFERRAL, {"id": referral["id"]}))["referral"][
        "status"
    ] == "PENDING"


async def test_another_allocator_cannot_withdraw_a_referral_it_did_not_make(
    stack, app_sessionmaker
):
    service = IntakeService(app_sessionmaker, Clock())
    referral = await service.create_referral(allocator("imdi-a"), BERGEN)
    with pytest.raises(NotFound):
        await service.as_(
            allocator("imdi-b"),
            intake.REFERRAL_WITHDRAW,
            referrals.withdraw_referral,
            referral_id=referral.id,
            body=ReasonIn(reason="mine now"),
        )


async def test_declining_without_a_reason_is_refused_and_the_referral_stays_pending(gql, stack):
    referral = await create_referral(gql, stack.clock.today())
    body = await gql.raw("bergen-coordinator", DECLINE, {"id": referral["id"], "reason": "  "})
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "reason"}
    assert (await gql("bergen-coordinator", REFERRAL, {"id": referral["id"]}))["referral"][
        "status"
    ] == "PENDING"
    declined = await gql(
        "bergen-coordinator", DECLINE, {"id": referral["id"], "reason": "no group home place"}
    )
    assert declined["declineReferral"]["declineReason"] == "no group home place"


async def test_accepting_with_a_planned_arrival_in_the_past_is_refused(gql, stack):
    referral = await create_referral(gql, stack.clock.today())
    yesterday = (stack.clock.today() - timedelta(days=1)).isoformat()
    body = await gql.raw(
        "bergen-coordinator", ACCEPT_REFERRAL, accept_variables(referral["id"], yesterday)
    )
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "plannedArrival"}


async def test_a_pending_referral_past_respond_by_is_listed_as_overdue(stack, app_sessionmaker):
    # given an allocator of the test's own (it sees only the referrals it made) and a referral
    # answered by nobody, seen a month later (a clock of the test's own)
    service = IntakeService(app_sessionmaker, Clock())
    own = allocator(f"imdi-{uuid.uuid4().hex[:8]}")
    referral = await service.create_referral(own, BERGEN)
    later = Clock(offset=timedelta(days=30))
    # when the allocator lists its overdue referrals
    page = await list_referrals(service, own, later, overdue=True)
    # then it is the one, flagged
    [found] = page.items
    assert found.id == referral.id
    assert is_overdue(found, today=later.today()) and found.status == ReferralStatus.PENDING
    fresh = await list_referrals(service, own, later, overdue=False)
    assert fresh.items == []


async def list_referrals(
    service: IntakeService, own: Principal, clock: Clock, *, overdue: bool
) -> Page[Referral]:
    search = referrals.ReferralSearch(where=repository.ReferralFilter(overdue=overdue))
    return await service.as_(
        own,
        intake.REFERRALS_READ,
        referrals.list_referrals,
        search=search,
        today=clock.today(),
        first=200,
        after=None,
    )


async def test_referrals_filter_by_status_and_arrival_window_and_sort_by_respond_by(gql, stack):
    today = stack.clock.today()
    town = await fresh_municipality(gql)
    # given three accepted referrals planned ahead, with different respond-by dates, and one
    # planned outside the window
    window_start = today + timedelta(days=30)
    ids = []
    for offset in (3, 1, 2, 9):
        referral = await create_referral(
            gql,
            today,
            municipality=town.number,
            respondBy=(today + timedelta(days=10 + offset)).isoformat(),
        )
        planned = (window_start + timedelta(days=offset)).isoformat()
        await gql(town.coordinator, ACCEPT_REFERRAL, accept_variables(referral["id"], planned))
        ids.append(referral["id"])
    window = {
        "status": ["ACCEPTED"],
        "plannedArrivalFrom": window_start.isoformat(),
        "plannedArrivalTo": (window_start + timedelta(days=3)).isoformat(),
    }
    # when the coordinator lists them by respond-by, latest first, two at a time
    first = await gql(
        town.coordinator, SEARCH, {"filter": window, "sort": "RESPOND_BY_DESC", "first": 2}
    )
    page = first["searchReferrals"]
    rest = await gql(
        town.coordinator,
        SEARCH,
        {
            "filter": window,
            "sort": "RESPOND_BY_DESC",
            "first": 2,
            "after": page["pageInfo"]["endCursor"],
        },
    )
    nodes = [e["node"] for e in page["edges"] + rest["searchReferrals"]["edges"]]
    # then exactly those three come, latest respond-by first
    assert page["totalCount"] == 3
    assert [n["id"] for n in nodes] == [ids[0], ids[2], ids[1]]
    assert all(n["status"] == "ACCEPTED" for n in nodes)
    # and a window that ends before it starts is bad input
    backwards = {**window, "plannedArrivalTo": (window_start - timedelta(days=9)).isoformat()}
    codes = await gql.error_codes(town.coordinator, SEARCH, {"filter": backwards})
    assert codes == ["BAD_USER_INPUT"]


async def test_the_allocator_sees_the_status_but_nothing_about_the_child_after_arrival(gql, stack):
    today = stack.clock.today()
    referral = await create_referral(gql, today)
    await gql(
        "bergen-coordinator", ACCEPT_REFERRAL, accept_variables(referral["id"], today.isoformat())
    )
    await gql(
        "bergen-coordinator", REGISTER_ARRIVAL, {"id": referral["id"], "on": today.isoformat()}
    )

    body = await gql.raw(
        "imdi-allocator",
        "query($id: ID!) { referral(id: $id) { status child { id } minor { fullName } } }",
        {"id": referral["id"]},
    )

    assert body["data"]["referral"] == {"status": "ARRIVED", "child": None, "minor": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def test_the_municipality_sees_the_referred_minors_facts(gql, stack):
    referral = await create_referral(gql, stack.clock.today(), fullName="Layla Haddad")
    data = await gql(
        "bergen-coordinator",
        "query($id: ID!) { referral(id: $id) { minor { fullName nationality languages } } }",
        {"id": referral["id"]},
    )
    assert data["referral"]["minor"] == {
        "fullName": "Layla Haddad",
        "nationality": "AF",
        "languages": ["prs", "en"],
    }
