"""The child's profile through the gateway: editing, validation, search, child.updated."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from havn.db import scoped_transaction
from havn.events.contracts import ChildUpdatedV1
from havn.events.envelope import Envelope, subject_for
from services.intake.models import events
from tests.factories import settle_child

UPDATE = """
mutation($id: ID!, $input: ChildProfileInput!) { updateChild(id: $id, input: $input) {
  id firstName fullName dateOfBirth dateOfBirthEstimated sex nationality languages
  interpreterNeeded interpreterLanguage careArrangement guardianshipEndsOn
  representative { name appointedOn } guardian { name appointedOn } } }"""
PROFILE = """
query($id: ID!) { child(id: $id) { fullName nationality languages interpreterNeeded
  guardian { name } } }"""
SEARCH = """
query($name: String!) { searchChildren(name: $name, first: 200) {
  totalCount edges { node { id fullName } } } }"""


@pytest.fixture
async def child(gql, stack) -> dict:
    return await settle_child(gql, stack.clock.today(), fullName="Amina Rahimi")


async def published(app_sessionmaker, tenant: str, event_type: str, child_id: str) -> list[dict]:
    """The events intake wrote to its outbox for one child (what the relay sends on)."""
    outbox = events.outbox
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        rows = await session.scalars(
            select(outbox.c.payload).where(
                outbox.c.event_type == event_type,
                outbox.c.payload["data"]["child_id"].astext == child_id,
            )
        )
        return list(rows)


async def test_a_profile_edit_is_saved_and_published_as_child_updated(
    gql, stack, child, app_sessionmaker
):
    today = stack.clock.today()
    born = today - timedelta(days=15 * 365)
    # when the caseworker corrects the profile
    data = await gql(
        "bergen-caseworker",
        UPDATE,
        {
            "id": child["id"],
            "input": {
                "fullName": "Amina Zahra Rahimi",
                "dateOfBirth": born.isoformat(),
                "dateOfBirthEstimated": True,
                "nationality": "ir",
                "languages": ["fa", "prs", "en"],
                "interpreterNeeded": True,
                "interpreterLanguage": "prs",
                "careArrangement": "FOSTER_HOME",
                "representative": {"name": "Ola Nordmann", "appointedOn": today.isoformat()},
                "guardian": {"name": "Kari Nordmann", "appointedOn": today.isoformat()},
            },
        },
    )
    # then the profile has the new facts, codes normalised
    updated = data["updateChild"]
    assert updated["fullName"] == "Amina Zahra Rahimi"
    assert updated["firstName"] == "Amina"
    assert updated["dateOfBirthEstimated"] is True
    assert updated["nationality"] == "IR"
    assert updated["languages"] == ["fa", "prs", "en"]
    assert (updated["interpreterNeeded"], updated["interpreterLanguage"]) == (True, "prs")
    assert updated["careArrangement"] == "FOSTER_HOME"
    assert updated["guardian"] == {"name": "Kari Nordmann", "appointedOn": today.isoformat()}
    assert updated["guardianshipEndsOn"] == born.replace(year=born.year + 18).isoformat()
    # and every service hears of it: child.updated, with the whole new state
    [event] = await published(app_sessionmaker, "4601", "intake.child.updated", child["id"])
    assert event["data"]["full_name"] == "Amina Zahra Rahimi"
    assert event["data"]["care_arrangement"] == "FOSTER_HOME"
    assert event["version"] == 1


async def test_an_edit_that_changes_nothing_publishes_nothing(gql, child, app_sessionmaker):
    await gql("bergen-coordinator", UPDATE, {"id": child["id"], "input": {"sex": "F"}})
    assert await published(app_sessionmaker, "4601", "intake.child.updated", child["id"]) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"fullName": "   "}, "fullName"),
        ({"nationality": "XX"}, "nationality"),
        ({"languages": ["xx"]}, "languages"),
        ({"languages": []}, "languages"),
        ({"sex": "Q"}, "sex"),
        ({"dateOfBirth": "FUTURE"}, "dateOfBirth"),
        ({"dateOfBirth": "ADULT"}, "dateOfBirth"),
        # a child who speaks only Norwegian has no language of its own to default to
        (
            {"interpreterNeeded": True, "interpreterLanguage": None, "languages": ["nb"]},
            "interpreterLanguage",
        ),
        ({"nationality": None}, "nationality"),
        ({"guardian": {"name": "Kari Nordmann", "appointedOn": "FUTURE"}}, "guardian.appointedOn"),
    ],
)
async def test_bad_profile_input_is_refused_naming_the_field_and_changes_nothing(
    gql, stack, child, change, field
):
    today = stack.clock.today()
    relative = {
        "FUTURE": (today + timedelta(days=1)).isoformat(),
        "ADULT": (today - timedelta(days=19 * 366)).isoformat(),
    }
    values = {
        key: relative.get(value, value) if isinstance(value, str) else value
        for key, value in change.items()
    }
    if "guardian" in values:
        values["guardian"] = {**values["guardian"], "appointedOn": relative["FUTURE"]}
    before = await gql("bergen-caseworker", PROFILE, {"id": child["id"]})

    body = await gql.raw("bergen-caseworker", UPDATE, {"id": child["id"], "input": values})

    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert await gql("bergen-caseworker", PROFILE, {"id": child["id"]}) == before


async def test_guardianship_ends_at_eighteen(gql, stack, child):
    born = stack.clock.today() - timedelta(days=16 * 365 + 100)
    data = await gql("bergen-caseworker", UPDATE, {"id": child["id"], "input": {}})
    assert (
        data["updateChild"]["guardianshipEndsOn"] == born.replace(year=born.year + 18).isoformat()
    )


async def test_names_in_any_script_are_stored_nfc_and_found_without_accents(gql, stack, child):
    # given a name typed decomposed (NFD), as some keyboards send it
    marker = uuid.uuid4().hex[:6]
    decomposed = unicodedata.normalize("NFD", f"Åsa Ødegård-{marker}")
    await gql("bergen-coordinator", UPDATE, {"id": child["id"], "input": {"fullName": decomposed}})
    # when a caseworker searches without accents or capitals
    data = await gql("bergen-caseworker", SEARCH, {"name": f"asa odegard-{marker}"})
    # then the child is found, its name stored composed (NFC)
    [edge] = data["searchChildren"]["edges"]
    assert edge["node"]["id"] == child["id"]
    assert edge["node"]["fullName"] == unicodedata.normalize("NFC", f"Åsa Ødegård-{marker}")


async def test_a_name_in_arabic_script_is_kept_and_found(gql, stack):
    marker = uuid.uuid4().hex[:6]
    settled = await settle_child(gql, stack.clock.today(), fullName=f"أحمد العلي {marker}")
    data = await gql("bergen-caseworker", SEARCH, {"name": f"العلي {marker}"})
    assert [e["node"]["id"] for e in data["searchChildren"]["edges"]] == [settled["id"]]
    assert settled["firstName"] == "أحمد"


async def test_searching_for_an_empty_name_is_bad_input(gql):
    assert await gql.error_codes("bergen-caseworker", SEARCH, {"name": "  "}) == ["BAD_USER_INPUT"]


async def test_search_finds_nobody_in_another_municipality(gql, stack):
    marker = uuid.uuid4().hex[:8]
    await settle_child(gql, stack.clock.today(), fullName=f"Yonas {marker}")
    data = await gql("asker-caseworker", SEARCH, {"name": marker})
    assert data["searchChildren"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("username", "code"),
    [("bergen-volunteers", "FORBIDDEN"), ("asker-caseworker", "NOT_FOUND")],
)
async def test_only_the_municipalitys_coordinators_and_caseworkers_edit(gql, child, username, code):
    codes = await gql.error_codes(username, UPDATE, {"id": child["id"], "input": {"sex": "X"}})
    assert codes == [code]


async def test_child_updated_reaches_nats(gql, child, nats_client):
    # when the coordinator renames the child
    await gql("bergen-coordinator", UPDATE, {"id": child["id"], "input": {"firstName": "Mina"}})
    # then the stream on the bus has its child.updated event, with the whole new state
    subject = subject_for("intake.child.updated", "4601")
    subscription = await nats_client.jetstream().subscribe(subject, ordered_consumer=True)
    try:
        while True:
            message = await subscription.next_msg(timeout=10)
            envelope = Envelope.model_validate_json(message.data)
            if envelope.data["child_id"] == child["id"]:
                break
    finally:
        await subscription.unsubscribe()
    assert (envelope.type, envelope.tenant, envelope.actor) == (
        "intake.child.updated",
        "4601",
        "bergen-coordinator",
    )
    updated = ChildUpdatedV1.model_validate(envelope.data)
    assert (updated.first_name, updated.full_name) == ("Mina", "Amina Rahimi")
