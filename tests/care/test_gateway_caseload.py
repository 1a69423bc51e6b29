"""The caseload through the gateway: its backlog counts and each child's note count."""

from __future__ import annotations

import pytest

from tests.care.gateway_support import ADD_NOTE, ASSIGN, CASELOAD, wait_for_care
from tests.factories import Municipality, fresh_municipality, settle_child


@pytest.fixture(scope="module")
async def team(gql, stack) -> tuple[Municipality, str, str]:
    """A municipality of the module's own with two children: one with a contact person, who
    wrote a note about them, and one with neither (the module's tests only read them)."""
    town = await fresh_municipality(gql)
    today = stack.clock.today()
    settled = [
        await settle_child(gql, today, coordinator=town.coordinator, municipality=town.number)
        for _ in range(2)
    ]
    followed, waiting = (child["id"] for child in settled)
    for child_id in (followed, waiting):
        await wait_for_care(gql, child_id, town.caseworker)
    await gql(town.caseworker, ASSIGN, {"id": followed, "username": town.contact})
    await gql(town.contact, ADD_NOTE, {"id": followed, "text": "Went to the library."})
    return town, followed, waiting


async def test_the_caseload_counts_the_backlog_for_a_team_lead(gql, team):
    town, followed, waiting = team
    # when
    caseload = (await gql(town.caseworker, CASELOAD, {"filter": "NO_CONTACT_PERSON"}))["caseload"]
    mine = (await gql(town.contact, CASELOAD, {"filter": "MINE"}))["caseload"]

    # then
    counts = caseload["counts"]
    assert (caseload["totalCount"], counts["all"], counts["noContactPerson"]) == (1, 2, 1)
    assert [e["node"]["childId"] for e in caseload["edges"]] == [waiting]
    assert mine["totalCount"] == mine["counts"]["all"] == mine["counts"]["mine"] == 1
    assert [e["node"]["childId"] for e in mine["edges"]] == [followed]


async def test_a_caseloads_note_counts_are_the_totals_of_each_childs_notes(gql, team):
    town, followed, waiting = team

    # when the caseload asks only how many notes each child has (preloaded for the whole
    # list), and then for the notes themselves
    def totals(data):
        return {
            e["node"]["id"]: e["node"]["followUpNotes"]["totalCount"]
            for e in data["children"]["edges"]
        }

    counted = await gql(
        town.caseworker,
        "{ children(first: 500) { edges { node { id followUpNotes { totalCount } } } } }",
    )
    # (and with the care plan beside it: the counts then come with the care records)
    with_care = await gql(
        town.caseworker,
        "{ children(first: 500) { edges { node { id "
        "carePlan { status } followUpNotes { totalCount } } } } }",
    )
    paged = await gql(
        town.caseworker,
        "{ children(first: 500) { edges { node { id "
        "followUpNotes(first: 1) { totalCount edges { cursor } } } } } }",
    )

    # then every child's count is its notes' total
    assert totals(counted) == totals(with_care) == totals(paged) == {followed: 1, waiting: 0}
