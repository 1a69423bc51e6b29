"""The platform administrator's queries: services' health, dead letters, municipalities."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import BERGEN, park_settled_event_in_care, settle_child, unique_name

HEALTH = """{ serviceHealth { service reachable database nats outboxUnsent deadLetters
  consumers { name pending ackPending } } }"""
DEAD_LETTERS = """query($after: String) { deadLetters(service: CARE, first: 100, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node { id service consumer eventId eventType municipality errorType replayedAt } } } }"""
REPLAY = """mutation($id: ID!) { replayDeadLetter(service: CARE, id: $id) { id replayedAt } }"""
DISCARD = """mutation($id: ID!) { discardDeadLetter(service: CARE, id: $id) { id eventType } }"""
MUNICIPALITIES = "{ municipalities { number name } }"
NOT_OPERATORS = ("bergen-admin", "bergen-caseworker", "imdi-analyst")


@pytest.fixture
async def parked_letter(gql, stack, app_sessionmaker) -> uuid.UUID:
    child = await settle_child(gql, stack.clock.today(), fullName=unique_name("Dawit"))
    return await park_settled_event_in_care(app_sessionmaker, child["id"])


async def listed_letters(gql) -> dict[str, dict]:
    letters: dict[str, dict] = {}
    after = None
    while True:
        page = (await gql("platform-admin", DEAD_LETTERS, {"after": after}))["deadLetters"]
        letters.update({edge["node"]["id"]: edge["node"] for edge in page["edges"]})
        if not page["pageInfo"]["hasNextPage"]:
            return letters
        after = page["pageInfo"]["endCursor"]


async def test_the_platform_admin_sees_each_services_health(gql):
    health = (await gql("platform-admin", HEALTH))["serviceHealth"]
    assert [s["service"] for s in health] == ["INTAKE", "CARE", "COMMUNITY", "TRANSITION"]
    assert all(s["reachable"] and s["database"] and s["nats"] for s in health)
    care = health[1]
    assert "care-child-settled" in {c["name"] for c in care["consumers"]}


async def test_the_platform_admin_lists_a_parked_event_by_where_it_failed(gql, parked_letter):
    letter = (await listed_letters(gql))[str(parked_letter)]
    assert letter["service"] == "CARE"
    assert (letter["consumer"], letter["eventType"], letter["municipality"]) == (
        "care-child-settled",
        "intake.child.settled",
        BERGEN,
    )
    assert (letter["errorType"], letter["replayedAt"]) == ("OperationalError", None)


async def test_a_replayed_dead_letter_is_marked_replayed_and_cannot_be_replayed_twice(
    gql, parked_letter
):
    replayed = await gql("platform-admin", REPLAY, {"id": str(parked_letter)})
    again = await gql.error_codes("platform-admin", REPLAY, {"id": str(parked_letter)})
    assert replayed["replayDeadLetter"]["replayedAt"] is not None
    assert again == ["CONFLICT"]


async def test_a_discarded_dead_letter_is_gone_from_the_list(gql, parked_letter):
    discarded = await gql("platform-admin", DISCARD, {"id": str(parked_letter)})
    assert discarded["discardDeadLetter"]["eventType"] == "intake.child.settled"
    assert str(parked_letter) not in await listed_letters(gql)


async def test_the_platform_admin_sees_the_municipalities_on_the_platform(gql):
    municipalities = (await gql("platform-admin", MUNICIPALITIES))["municipalities"]
    assert {"number": "4601", "name": "Bergen"} in municipalities
    assert {"number": "3203", "name": "Asker"} in municipalities


@pytest.mark.parametrize("username", NOT_OPERATORS)
@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (HEALTH, {}),
        (DEAD_LETTERS, {}),
        (MUNICIPALITIES, {}),
        (REPLAY, {"id": str(uuid.uuid4())}),
        (DISCARD, {"id": str(uuid.uuid4())}),
    ],
    ids=["health", "dead-letters", "municipalities", "replay", "discard"],
)
async def test_only_the_platform_admin_may_use_the_operators_fields(
    gql, username, query, variables
):
    assert await gql.error_codes(username, query, variables) == ["FORBIDDEN"]
