"""Issue 16, point 7: data that read wrong or surprised a new user, each through the gateway."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from cli.seed import date_back_referral
from tests.factories import (
    ACCEPT_REFERRAL,
    REGISTER_ARRIVAL,
    create_referral,
    settle_child,
)
from tests.waiting import eventually

INTERPRETER = """query($id: ID!) {
  child(id: $id) { interpreterNeeded interpreterLanguage care { interpreterNeeded } }
}"""
SET_INTERPRETER = """mutation($id: ID!, $needed: Boolean!) {
  setInterpreterNeed(childId: $id, needed: $needed) { interpreterNeeded }
}"""
PLAN = """mutation($id: ID!, $input: CarePlanInput!) {
  updateCarePlan(childId: $id, input: $input) { childsOwnWords goals { domain } }
}"""
ASSIGN = """mutation($id: ID!, $who: String!, $replace: Boolean! = false) {
  assignContactPerson(childId: $id, username: $who, replace: $replace) { contactPerson }
}"""
ACCESS_LOG = """query($id: ID!) { accessLog(childId: $id, first: 500) { edges { node { at } } } }"""
GOAL = {
    "domain": "education",
    "description": "School in the autumn",
    "measures": ["school place"],
    "responsible": "bergen-caseworker",
    "reviewOn": "2030-01-01",
}


@pytest.fixture
async def settled(gql, stack) -> dict[str, Any]:
    """A Dari and English speaker settled in Bergen today, once care knows the child (one per
    test: the tests change the child's interpreter need and care plan)."""
    child = await settle_child(gql, stack.clock.today(), fullName="Farid Noori")
    await eventually(
        lambda: gql.raw("bergen-caseworker", INTERPRETER, {"id": child["id"]}),
        until=lambda body: (body["data"]["child"] or {}).get("care") is not None,
    )
    return child


async def interpreter(gql, child_id: str) -> tuple[bool, bool]:
    data = await gql("bergen-caseworker", INTERPRETER, {"id": child_id})
    return data["child"]["interpreterNeeded"], data["child"]["care"]["interpreterNeeded"]


async def test_the_interpreter_need_is_one_truth_on_the_child_and_in_care(gql, settled):
    # given a child who speaks no Norwegian: both say it needs an interpreter from arrival
    assert await interpreter(gql, settled["id"]) == (True, True)

    # when the caseworker says it needs none, then says it does again
    for needed in (False, True):
        answer = await gql(
            "bergen-caseworker", SET_INTERPRETER, {"id": settled["id"], "needed": needed}
        )

        # then the child says so at once, and care follows
        assert answer["setInterpreterNeed"]["interpreterNeeded"] is needed
        expected = (needed, needed)
        assert await eventually(lambda: interpreter(gql, settled["id"]), until=expected.__eq__)


async def test_a_care_plan_update_without_the_childs_words_keeps_them(gql, settled):
    # given a plan with the child's own words
    words = "I want to learn Norwegian fast."
    await gql(
        "bergen-caseworker",
        PLAN,
        {"id": settled["id"], "input": {"goals": [GOAL], "childsOwnWords": words}},
    )

    # when the goals are updated and the words left out
    kept = await gql("bergen-caseworker", PLAN, {"id": settled["id"], "input": {"goals": [GOAL]}})
    # and then emptied on purpose with null
    emptied = await gql(
        "bergen-caseworker",
        PLAN,
        {"id": settled["id"], "input": {"goals": [GOAL], "childsOwnWords": None}},
    )

    # then left out keeps them, null empties them
    assert kept["updateCarePlan"]["childsOwnWords"] == words
    assert emptied["updateCarePlan"]["childsOwnWords"] is None


async def test_only_a_contact_person_can_be_assigned_and_replacing_one_is_explicit(gql, stack):
    # given a child with bergen-contact (who has used Havn) as its contact person
    child = await settle_child(gql, stack.clock.today(), fullName="Nasrin Azizi")
    await eventually(
        lambda: gql.raw("bergen-caseworker", ASSIGN, {"id": child["id"], "who": "bergen-contact"}),
        until=lambda body: not body.get("errors"),
    )

    # when a settlement coordinator is assigned, and then bergen-contact again without replace
    coordinator = await gql.raw(
        "bergen-caseworker",
        ASSIGN,
        {"id": child["id"], "who": "bergen-coordinator", "replace": True},
    )
    unknown = await gql.raw(
        "bergen-caseworker", ASSIGN, {"id": child["id"], "who": "kari.nordmann"}
    )

    # then neither is taken: the coordinator is no contact person, and the child has one
    assert [e["extensions"] for e in coordinator["errors"]] == [
        {"code": "BAD_USER_INPUT", "field": "username"}
    ]
    assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    data = await gql(
        "bergen-caseworker",
        "query($id: ID!) { child(id: $id) { care { contactPerson } } }",
        {"id": child["id"]},
    )
    assert data["child"]["care"]["contactPerson"] == "bergen-contact"


async def test_replacing_a_contact_person_without_saying_so_is_a_conflict_naming_them(gql, stack):
    # given a child with bergen-contact as its contact person
    child = await settle_child(gql, stack.clock.today(), fullName="Reza Amiri")
    await eventually(
        lambda: gql.raw("bergen-caseworker", ASSIGN, {"id": child["id"], "who": "bergen-contact"}),
        until=lambda body: not body.get("errors"),
    )
    await gql(
        "bergen-caseworker",
        "mutation($id: ID!) { unassignContactPerson(childId: $id) { childId } }",
        {"id": child["id"]},
    )
    await gql("bergen-caseworker", ASSIGN, {"id": child["id"], "who": "bergen-contact"})

    # when bergen-contact is assigned to a child that has a contact person, without replace
    body = await gql.raw(
        "bergen-caseworker", ASSIGN, {"id": child["id"], "who": "bergen-contact", "replace": False}
    )

    # then (assigning the same one again) it is a conflict; and any other one is too
    assert body["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert "bergen-contact" in body["errors"][0]["message"]


async def test_an_acceptance_says_whether_it_reserved_a_recorded_care_place(gql, stack):
    # given Asker records foster home places but none of supported lodging
    today = stack.clock.today()
    await gql(
        "asker-coordinator",
        "mutation { recordCarePlaces(careArrangement: FOSTER_HOME, places: 50, free: 50) "
        "{ municipality } }",
    )
    accepted = {}
    for arrangement in ("FOSTER_HOME", "SUPPORTED_LODGING"):
        referral = await create_referral(gql, today, municipality="3203")
        data = await gql(
            "asker-coordinator",
            ACCEPT_REFERRAL.replace("readyForArrival", "readyForArrival carePlaceReserved"),
            {
                "id": referral["id"],
                "input": {"plannedArrival": today.isoformat(), "careArrangement": arrangement},
            },
        )
        accepted[arrangement] = data["acceptReferral"]["carePlaceReserved"]

    # then the foster home place was reserved; the unrecorded arrangement, unchecked, says so
    assert accepted == {"FOSTER_HOME": True, "SUPPORTED_LODGING": False}


async def test_an_arrival_before_the_referral_was_made_is_refused(gql, stack):
    # given a referral made today and accepted
    today = stack.clock.today()
    referral = await create_referral(gql, today)
    await gql(
        "bergen-coordinator",
        ACCEPT_REFERRAL,
        {
            "id": referral["id"],
            "input": {"plannedArrival": today.isoformat(), "careArrangement": "GROUP_HOME"},
        },
    )

    # when an arrival a year and a half ago is registered
    body = await gql.raw(
        "bergen-coordinator", REGISTER_ARRIVAL, {"id": referral["id"], "on": "2025-06-01"}
    )

    # then it is refused on arrivedOn, and the referral is still waiting for the child
    assert [e["extensions"] for e in body["errors"]] == [
        {"code": "BAD_USER_INPUT", "field": "arrivedOn"}
    ]
    data = await gql(
        "bergen-coordinator",
        "query($id: ID!) { referral(id: $id) { status } }",
        {"id": referral["id"]},
    )
    assert data["referral"]["status"] == "ACCEPTED"


async def test_an_arrival_after_a_referral_made_earlier_is_accepted(gql, stack):
    # given a referral made a year ago (dated back, as the demo seed does), accepted
    today = stack.clock.today()
    referral = await create_referral(gql, today)
    await date_back_referral(
        stack.settings.database_owner_url,
        tenant="4601",
        referral_id=referral["id"],
        made_on=today - timedelta(days=365),
    )
    await gql(
        "bergen-coordinator",
        ACCEPT_REFERRAL,
        {
            "id": referral["id"],
            "input": {"plannedArrival": today.isoformat(), "careArrangement": "GROUP_HOME"},
        },
    )

    # when the child is registered as arrived 300 days ago
    arrived_on = (today - timedelta(days=300)).isoformat()
    data = await gql(
        "bergen-coordinator", REGISTER_ARRIVAL, {"id": referral["id"], "on": arrived_on}
    )

    # then it is settled on that day
    assert data["registerArrival"]["settledOn"] == arrived_on


async def test_persian_given_as_fas_is_stored_as_fa_on_the_referral_and_the_child(gql, stack):
    # when a referral names Persian by its three-letter code, and Persian again by its two
    child = await settle_child(
        gql, stack.clock.today(), fullName="Maryam Jafari", languages=["fas", "en", "fa"]
    )

    # then the child speaks fa and en, once each
    data = await gql(
        "bergen-coordinator",
        "query($id: ID!) { child(id: $id) { languages } }",
        {"id": child["id"]},
    )
    assert data["child"]["languages"] == ["fa", "en"]


async def test_the_access_log_is_newest_first(gql, settled):
    # given a child read and written many times, by several services
    for _ in range(3):
        await gql("bergen-caseworker", INTERPRETER, {"id": settled["id"]})

    # when the admin reads the access log
    data = await gql("bergen-admin", ACCESS_LOG, {"id": settled["id"]})

    # then the entries come newest first
    times = [edge["node"]["at"] for edge in data["accessLog"]["edges"]]
    assert len(times) > 3
    assert times == sorted(times, reverse=True)


async def test_a_refused_mutation_says_what_may_not_be_done(gql, settled):
    # when a settlement coordinator tries to record an assessment
    body = await gql.raw(
        "bergen-coordinator",
        "mutation($id: ID!) { recordAssessment(childId: $id, "
        'input: {scores: [{domain: "health", score: 3}]}) { id } }',
        {"id": settled["id"]},
    )

    # then the message names the act, not something to see
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert error["message"] == "your role may not record assessment (recordAssessment)"
