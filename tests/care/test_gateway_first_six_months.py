"""Care through the gateway with the dev users: a child's first six months."""

from __future__ import annotations

from datetime import date, timedelta

from services.care.domain.assessments import add_months
from tests.care.gateway_support import (
    ADD_NOTE,
    APPROVE_PLAN,
    ASSIGN,
    CASELOAD,
    EDUCATION,
    MEETING,
    RECORD_ASSESSMENT,
    SET_GP,
    UPDATE_PLAN,
    care_record,
    goals,
    wait_for_care,
)
from tests.client import GraphQLClient
from tests.factories import settle_child

SCREENING = """mutation($id: ID!, $on: Date!) { recordHealthScreening(childId: $id,
  input: {kind: "Tuberculosis", screenedOn: $on, findings: "Negative"}) { screenings { kind } } }"""
MENTAL_HEALTH = """mutation($id: ID!, $on: Date!) { referToMentalHealth(childId: $id,
  input: {service: "BUP Bergen", referredOn: $on, reason: "Sleeps badly, nightmares"}) {
  mentalHealthReferrals { service } } }"""


async def caseload_ids(gql: GraphQLClient, user: str, filter: str) -> set[str]:
    ids: set[str] = set()
    after = None
    while True:
        page = (await gql(user, CASELOAD, {"filter": filter, "after": after}))["caseload"]
        ids |= {edge["node"]["childId"] for edge in page["edges"]}
        if not page["pageInfo"]["hasNextPage"]:
            return ids
        after = page["pageInfo"]["endCursor"]


async def test_a_caseworker_runs_a_childs_first_six_months_of_care(gql, stack):
    # given Amina, who speaks Dari and English, settles in Bergen today
    clock = stack.clock
    start = clock.today()
    child = await settle_child(gql, start, fullName="Amina Rahimi", languages=["prs", "en"])
    child_id = child["id"]
    await wait_for_care(gql, child_id)
    moved = timedelta(0)

    def advance(days: int) -> date:
        nonlocal moved
        clock.advance(timedelta(days=days))
        moved += timedelta(days=days)
        return clock.today()

    try:
        # week one: a contact person, the GP and a health check, school, a draft plan
        cw = "bergen-caseworker"
        assigned = await gql(cw, ASSIGN, {"id": child_id, "username": "bergen-contact"})
        await gql(cw, SET_GP, {"id": child_id})
        await gql(cw, SCREENING, {"id": child_id, "on": start.isoformat()})
        await gql(cw, EDUCATION, {"id": child_id, "on": (start + timedelta(days=3)).isoformat()})
        review_on = start + timedelta(days=150)
        await gql(cw, UPDATE_PLAN, {"id": child_id, "input": {"goals": goals(review_on)}})
        without_words = await gql.error_codes(cw, APPROVE_PLAN, {"id": child_id})
        await gql(
            cw,
            UPDATE_PLAN,
            {
                "id": child_id,
                "input": {
                    "goals": goals(review_on),
                    "childsOwnWords": "I want to learn Norwegian and play football.",
                },
            },
        )
        first_approval = (await gql(cw, APPROVE_PLAN, {"id": child_id}))["approveCarePlan"]

        # day ten: the arrival assessment, in a meeting with a qualified Dari interpreter
        day_ten = advance(10)
        interpreted = await gql(
            cw,
            MEETING,
            {
                "id": child_id,
                "input": {
                    "heldOn": day_ten.isoformat(),
                    "purpose": "Arrival assessment",
                    "language": "prs",
                    "interpreter": {"name": "Farid Ahmadi", "qualified": True},
                },
            },
        )
        first = (
            await gql(
                cw,
                RECORD_ASSESSMENT,
                {
                    "id": child_id,
                    "input": {
                        "scores": [
                            {"domain": "health", "score": 3},
                            {"domain": "language", "score": 1},
                            {"domain": "wellbeing", "score": 2},
                            {"domain": "family tracing", "score": 1},
                        ],
                        "childsOwnWords": "I miss my brother.",
                        "notes": "Sleeps badly; asks about her brother in Iran.",
                    },
                },
            )
        )["recordAssessment"]
        contact_note = (
            await gql(
                "bergen-contact", ADD_NOTE, {"id": child_id, "text": "First football practice."}
            )
        )["addFollowUpNote"]
        await gql(
            cw,
            ADD_NOTE,
            {"id": child_id, "text": "Practice was on Tuesday.", "corrects": contact_note["id"]},
        )

        # month three: a leisure goal and a referral to mental-health services
        advance(80)
        revised = (
            await gql(
                cw,
                UPDATE_PLAN,
                {
                    "id": child_id,
                    "input": {
                        "goals": goals(review_on, "leisure"),
                        "childsOwnWords": "I want to play football in a team.",
                    },
                },
            )
        )["updateCarePlan"]
        second_approval = (await gql(cw, APPROVE_PLAN, {"id": child_id}))["approveCarePlan"]
        await gql(cw, MENTAL_HEALTH, {"id": child_id, "on": clock.today().isoformat()})

        # six months after the first assessment: overdue, for caseworker and contact person
        advance((date.fromisoformat(first["nextDueOn"]) - clock.today()).days + 1)
        overdue_for = {
            user: child_id in await caseload_ids(gql, user, "OVERDUE_ASSESSMENT")
            for user in (cw, "bergen-contact")
        }
        second = (
            await gql(
                cw,
                RECORD_ASSESSMENT,
                {
                    "id": child_id,
                    "input": {
                        "scores": [
                            {"domain": "language", "score": 3},
                            {"domain": "wellbeing", "score": 4},
                        ],
                        "childsOwnWords": "I have friends on the team.",
                    },
                },
            )
        )["recordAssessment"]
        still_overdue = child_id in await caseload_ids(gql, cw, "OVERDUE_ASSESSMENT")
        record = await care_record(gql, cw, child_id)
    finally:
        clock.advance(-moved)

    # then every step held, and the caseworker reads it all back
    assert assigned["assignContactPerson"]["contactPerson"] == "bergen-contact"
    assert without_words == ["CONFLICT"]
    assert (first_approval["status"], first_approval["version"]) == ("APPROVED", 1)
    assert (revised["status"], revised["version"]) == ("REVISED", 2)
    assert (second_approval["status"], second_approval["version"]) == ("APPROVED", 2)
    assert interpreted["recordMeeting"]["interpreterMissing"] is False
    assert first["nextDueOn"] == add_months(day_ten, 6).isoformat()
    assert overdue_for == {cw: True, "bergen-contact": True}
    assert not still_overdue
    assert "errors" not in record, record.get("errors")
    care = record["data"]["childCare"]
    assert (care["firstName"], care["contactPerson"], care["interpreterNeeded"]) == (
        "Amina",
        "bergen-contact",
        True,
    )
    assert (care["carePlanStatus"], care["assessmentOverdue"]) == ("APPROVED", False)
    assert care["nextAssessmentDue"] == second["nextDueOn"]
    assert [g["domain"] for g in care["carePlan"]["goals"]] == [
        "education",
        "language",
        "leisure",
        "wellbeing",
    ]
    assert [
        (v["node"]["version"], v["node"]["approvedBy"], v["node"]["changes"])
        for v in care["carePlanVersions"]["edges"]
    ] == [
        (2, cw, ["leisure: goal added", "the child's own words changed"]),
        (1, cw, ["first approved version"]),
    ]
    assert [a["assessedOn"] for a in care["assessments"]] == [
        second["assessedOn"],
        first["assessedOn"],
    ]
    assert care["assessments"][1]["scores"][3] == {"domain": "family_tracing", "score": 1}
    assert [
        (n["node"]["author"], n["node"]["corrects"]) for n in care["followUpNotes"]["edges"]
    ] == [
        (cw, contact_note["id"]),
        ("bergen-contact", None),
    ]
    assert care["health"] == {
        "generalPractitioner": {"name": "Dr. Ingrid Berg"},
        "screenings": [{"kind": "Tuberculosis"}],
        "mentalHealthReferrals": [{"service": "BUP Bergen"}],
    }
    assert (care["education"]["school"], care["education"]["norwegianLevel"]) == (
        "Nygård skole",
        "A1",
    )
    assert care["meetings"]["edges"][0]["node"] == {
        "language": "prs",
        "interpreterName": "Farid Ahmadi",
        "interpreterQualified": True,
        "interpreterMissing": False,
    }
