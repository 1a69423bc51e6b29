"""Capacity: the settlement decision and care places, and the allocator's national view."""

from __future__ import annotations

from datetime import timedelta

import pytest

from havn.auth import Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import Forbidden, InvalidInput
from havn.permissions import intake
from havn.vocabulary import CareArrangement, ReferralStatus
from services.intake import repository
from services.intake.schemas import CarePlacesIn
from services.intake.service import capacity, referrals
from tests.factories import ACCEPT_REFERRAL, BERGEN, create_referral, fresh_municipality
from tests.intake.service import IntakeService, allocator, municipal

CAPACITY = """
query($year: Int) { capacity(year: $year) {
  municipality name year settlementDecision freePlaces pendingReferrals
  carePlaces { careArrangement places free } } }"""
NATIONAL = """
query($first: Int, $after: String) { nationalCapacity(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { municipality settlementDecision freePlaces pendingReferrals
    carePlaces { careArrangement free } } } } }"""
DECISION = """
mutation($year: Int!, $minors: Int!) { recordSettlementDecision(year: $year, minors: $minors) {
  year settlementDecision } }"""
PLACES = """
mutation($arrangement: CareArrangement!, $places: Int!, $free: Int!) {
  recordCarePlaces(careArrangement: $arrangement, places: $places, free: $free) {
    freePlaces carePlaces { careArrangement places free } } }"""


def places_of(capacity: dict, arrangement: str) -> dict:
    return next(p for p in capacity["carePlaces"] if p["careArrangement"] == arrangement)


async def national_capacity(gql, first: int = 50) -> dict[str, dict]:
    """Every municipality's node of the national view, paged through as the allocator."""
    nodes, after = [], None
    while True:
        data = await gql("imdi-allocator", NATIONAL, {"first": first, "after": after})
        page = data["nationalCapacity"]
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return {node["municipality"]: node for node in nodes}
        after = page["pageInfo"]["endCursor"]


@pytest.fixture
def service(stack, app_sessionmaker) -> IntakeService:
    return IntakeService(app_sessionmaker, Clock())


async def test_a_coordinator_records_the_yearly_decision_and_care_places(gql, stack):
    year = stack.clock.today().year + 1
    town = await fresh_municipality(gql)
    # when a municipality records next year's decision and plenty of SOS family places
    decided = await gql(town.coordinator, DECISION, {"year": year, "minors": 40})
    recorded = await gql(
        town.admin, PLACES, {"arrangement": "SOS_FAMILY", "places": 500, "free": 450}
    )
    # then both are there, and free places add up
    assert decided["recordSettlementDecision"] == {"year": year, "settlementDecision": 40}
    sos = places_of(recorded["recordCarePlaces"], "SOS_FAMILY")
    assert sos == {"careArrangement": "SOS_FAMILY", "places": 500, "free": 450}
    data = await gql(town.coordinator, CAPACITY, {"year": year})
    assert data["capacity"]["municipality"] == town.number
    assert data["capacity"]["settlementDecision"] == 40
    assert data["capacity"]["freePlaces"] == 450


@pytest.mark.parametrize(
    ("query", "variables", "field"),
    [
        (DECISION, {"year": 2026, "minors": -1}, "minors"),
        (DECISION, {"year": 1990, "minors": 3}, "year"),
        (PLACES, {"arrangement": "FOSTER_HOME", "places": -2, "free": 0}, "places"),
        (PLACES, {"arrangement": "FOSTER_HOME", "places": 2, "free": -1}, "free"),
        (PLACES, {"arrangement": "FOSTER_HOME", "places": 2, "free": 3}, "free"),
    ],
)
async def test_capacity_below_zero_is_refused_naming_the_field(gql, query, variables, field):
    body = await gql.raw("bergen-coordinator", query, variables)
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_a_refused_care_places_record_changes_nothing(gql):
    town = await fresh_municipality(gql)
    await gql(town.admin, PLACES, {"arrangement": "FOSTER_HOME", "places": 3, "free": 2})
    before = await gql(town.coordinator, CAPACITY)
    await gql.raw(town.coordinator, PLACES, {"arrangement": "FOSTER_HOME", "places": 1, "free": 5})
    assert await gql(town.coordinator, CAPACITY) == before


async def test_only_coordinators_and_admins_record_capacity(gql):
    for username in ("bergen-caseworker", "bergen-volunteers", "imdi-allocator"):
        codes = await gql.error_codes(username, DECISION, {"year": 2026, "minors": 1})
        assert codes == ["FORBIDDEN"], username


async def test_the_allocator_sees_every_municipalitys_capacity_beside_its_pending_referrals(
    gql, stack
):
    # given a municipality has a pending referral and recorded places
    town = await fresh_municipality(gql)
    await gql(town.admin, PLACES, {"arrangement": "SOS_FAMILY", "places": 500, "free": 480})
    await create_referral(gql, stack.clock.today(), municipality=town.number)
    # when the allocator pages through the national capacity
    by_number = await national_capacity(gql, first=2)
    # then every municipality is there, with counts and nothing else
    assert {"4601", "3203", "5501", "4621", town.number} <= set(by_number)
    assert by_number[town.number]["pendingReferrals"] == 1
    assert places_of(by_number[town.number], "SOS_FAMILY") == {
        "careArrangement": "SOS_FAMILY",
        "free": 480,
    }


async def test_a_municipality_sees_only_its_own_capacity_and_not_the_national_view(gql):
    own = await gql("asker-coordinator", CAPACITY)
    assert own["capacity"]["municipality"] == "3203"
    assert await gql.error_codes("bergen-coordinator", NATIONAL) == ["FORBIDDEN"]


async def test_the_service_refuses_the_national_view_to_other_roles(service):
    with pytest.raises(Forbidden):
        await service.as_(
            municipal(BERGEN, Role.VOLUNTEER_COORDINATOR),
            intake.CAPACITY_READ,
            capacity.list_capacity,
            year=None,
            clock=service.clock,
            first=50,
            after=None,
        )


async def test_accepting_reserves_a_care_place_and_without_a_free_one_is_refused(gql, service):
    # given a municipality has one free foster home
    town = (await fresh_municipality(gql)).number
    coordinator = municipal(town, Role.SETTLEMENT_COORDINATOR)
    await service.as_(
        coordinator,
        intake.CAPACITY_WRITE,
        capacity.record_care_places,
        care_arrangement=CareArrangement.FOSTER_HOME,
        body=CarePlacesIn(places=4, free=1),
        clock=service.clock,
    )
    first = await service.create_referral(allocator(), town)
    second = await service.create_referral(allocator(), town)
    # when it accepts one referral, the place is taken
    await service.accept(coordinator, first.id, "FOSTER_HOME")
    async with scoped_transaction(service.sessionmaker, tenant=town) as session:
        places = await repository.get_care_places(session, town, "FOSTER_HOME")
        pending_before = await repository.pending_count(session, town)
    assert places is not None and places.free == 0
    # then accepting another with no free place is refused, naming what to do
    with pytest.raises(InvalidInput, match="no free FOSTER_HOME care place") as refused:
        await service.accept(coordinator, second.id, "FOSTER_HOME")
    assert refused.value.field == "care_arrangement"
    # and nothing of it was written
    [still] = await service.as_(
        coordinator, intake.REFERRALS_READ, referrals.referrals_by_ids, ids=[second.id]
    )
    assert still.status == ReferralStatus.PENDING and still.tasks == []
    async with scoped_transaction(service.sessionmaker, tenant=town) as session:
        assert await repository.pending_count(session, town) == pending_before


async def test_accepting_through_the_gateway_takes_one_place(gql, stack):
    today = stack.clock.today()
    town = await fresh_municipality(gql)
    await gql(town.admin, PLACES, {"arrangement": "SOS_FAMILY", "places": 500, "free": 300})
    referral = await create_referral(gql, today, municipality=town.number)
    await gql(
        town.coordinator,
        ACCEPT_REFERRAL,
        {
            "id": referral["id"],
            "input": {
                "plannedArrival": (today + timedelta(days=3)).isoformat(),
                "careArrangement": "SOS_FAMILY",
            },
        },
    )
    after = await gql(town.coordinator, CAPACITY)
    assert places_of(after["capacity"], "SOS_FAMILY") == {
        "careArrangement": "SOS_FAMILY",
        "places": 500,
        "free": 299,
    }
