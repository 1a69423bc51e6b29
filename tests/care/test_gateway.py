"""Care through the gateway with the dev users: a child's first six months, what each role
sees of it, and what is refused."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from services.care.domain.assessments import add_months
from tests.client import GraphQLClient
from tests.factories import Municipality, fresh_municipality, settle_child
from tests.waiting import eventually

CARE_RECORD = """
query($id: ID!) { childCare(childId: $id) {
  childId firstName carePlanStatus nextAssessmentDue assessmentOverdue contactPerson
  interpreterNeeded
  carePlan { status version approvedOn childsOwnWords
    goals { domain measures responsible reviewOn } }
  carePlanVersions { totalCount edges { node { version approvedBy changes } } }
  assessments { assessedOn nextDueOn notes childsOwnWords scores { domain score } }
  followUpNotes { totalCount edges { node { id author text corrects } } }
  health { generalPractitioner { name } screenings { kind } mentalHealthReferrals { service } }
  education { school classLevel norwegianLevel startedOn }
  meetings { totalCount edges { node { language interpreterName interpreterQualified
    interpreterMissing } } }
} }"""
ASSIGN = """mutation($id: ID!, $username: String!) {
  assignContactPerson(childId: $id, username: $username) { contactPerson } }"""
UPDATE_PLAN = """mutation($id: ID!, $input: CarePlanInput!) {
  updateCarePlan(childId: $id, input: $input) { status version } }"""
APPROVE_PLAN = "mutation($id: ID!) { approveCarePlan(childId: $id) { status version approvedOn } }"
RECORD_ASSESSMENT = """mutation($id: ID!, $input: AssessmentInput!) {
  recordAssessment(childId: $id, input: $input) { id assessedOn nextDueOn } }"""
ADD_NOTE = """mutation($id: ID!, $text: String!, $corrects: ID) {
  addFollowUpNote(childId: $id, text: $text, corrects: $corrects) { id author text corrects } }"""
SET_GP = """mutation($id: ID!) { setGeneralPractitioner(childId: $id,
  input: {name: "Dr. Ingrid Berg", practice: "Nygård legesenter"}) {
  generalPractitioner { name } } }"""
SCREENING = """mutation($id: ID!, $on: Date!) { recordHealthScreening(childId: $id,
  input: {kind: "Tuberculosis", screenedOn: $on, findings: "Negative"}) { screenings { kind } } }"""
MENTAL_HEALTH = """mutation($id: ID!, $on: Date!) { referToMentalHealth(childId: $id,
  input: {service: "BUP Bergen", referredOn: $on, reason: "Sleeps badly, nightmares"}) {
  mentalHealthReferrals { service } } }"""
EDUCATION = """mutation($id: ID!, $on: Date!) { recordEducation(childId: $id,
  input: {school: "Nygård skole", classLevel: "8 (introduction class)", norwegianLevel: A1,
  startedOn: $on}) { school norwegianLevel } }"""
MEETING = """mutation($id: ID!, $input: MeetingInput!) {
  recordMeeting(childId: $id, input: $input) { language interpreterName interpreterMissing } }"""
CASELOAD = """query($filter: CaseloadFilter!, $after: String) {
  caseload(filter: $filter, first: 200, after: $after) {
    totalCount counts { all mine overdueAssessment carePlanNotApproved noContactPerson }
    pageInfo { hasNextPage endCursor }
    edges { node { childId carePlanStatus nextAssessmentDue assessmentOverdue } }
  } }"""
ACCESS_LOG = """query($id: ID!) { accessLog(childId: $id, first: 200) {
  edges { node { actor action dataClass operation } } } }"""


def goals(review_on: date, *extra: str) -> list[dict[str, Any]]:
    domains = ("education", "language", "wellbeing", *extra)
    return [
        {
            "domain": domain,
            "description": f"A good start in {domain}",
            "measures": [f"First step in {domain}"],
            "responsible": "bergen-caseworker",
            "reviewOn": review_on.isoformat(),
        }
        for domain in domains
    ]


async def care_record(gql: GraphQLClient, user: str, child_id: str) -> dict[str, Any]:
    return await gql.raw(user, CARE_RECORD, {"id": child_id})


async def wait_for_care(
    gql: GraphQLClient, child_id: str, caseworker: str = "bergen-caseworker"
) -> None:
    await eventually(
        lambda: gql.raw(caseworker, CARE_RECORD, {"id": child_id}),
        until=lambda body: bool(body.get("data") and body["data"]["childCare"]),
    )


async def caseload_ids(gql: GraphQLClient, user: str, filter: str) -> set[str]:
    ids: set[str] = set()
    after = None
    while True:
        page = (await gql(user, CASELOAD, {"filter": filter, "after": after}))["caseload"]
        ids |= {edge["node"]["childId"] for edge in page["edges"]}
        if not page["pageInfo"]["hasNextPage"]:
            return ids
        after = page["pageInfo"]["endCursor"]


def refused(body: dict[str, Any]) -> dict[str, str]:
    return {
        ".".join(str(p) for p in error["path"][1:]): error["extensions"]["code"]
        for error in body.get("errors", [])
    }


# --- the first six months -----------------------------------------------------------------


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


# --- what each role sees ------------------------------------------------------------------


@pytest.fixture(scope="module")
async def cared_for(gql, stack):
    """A Bergen child with a contact person and a row in every part of care."""
    today = stack.clock.today()
    child = await settle_child(gql, today, fullName="Yonas Tesfay", languages=["ti"])
    child_id = child["id"]
    await wait_for_care(gql, child_id)
    cw = "bergen-caseworker"
    await gql(cw, ASSIGN, {"id": child_id, "username": "bergen-contact"})
    await gql(cw, SET_GP, {"id": child_id})
    await gql(cw, EDUCATION, {"id": child_id, "on": today.isoformat()})
    await gql(
        cw,
        UPDATE_PLAN,
        {
            "id": child_id,
            "input": {"goals": goals(today + timedelta(days=90)), "childsOwnWords": "I like it"},
        },
    )
    await gql(cw, APPROVE_PLAN, {"id": child_id})
    await gql(
        cw,
        RECORD_ASSESSMENT,
        {
            "id": child_id,
            "input": {
                "scores": [{"domain": "wellbeing", "score": 3}],
                "childsOwnWords": "I am fine",
                "notes": "Quiet",
            },
        },
    )
    await gql("bergen-contact", ADD_NOTE, {"id": child_id, "text": "Went to the library."})
    await gql(
        "bergen-contact",
        MEETING,
        {
            "id": child_id,
            "input": {"heldOn": today.isoformat(), "purpose": "Weekly talk", "language": "nb"},
        },
    )
    return child


CONTACT_REFUSED = {"health": "FORBIDDEN"}
COORDINATOR_REFUSED = {
    field: "FORBIDDEN"
    for field in (
        "contactPerson",
        "interpreterNeeded",
        "carePlanVersions",
        "assessments",
        "followUpNotes",
        "health",
        "education",
        "meetings",
    )
}


async def test_a_caseworker_sees_every_part_of_a_childs_care(gql, cared_for):
    # when
    body = await care_record(gql, "bergen-caseworker", cared_for["id"])

    # then
    assert refused(body) == {}
    care = body["data"]["childCare"]
    assert care["health"]["generalPractitioner"] == {"name": "Dr. Ingrid Berg"}
    assert care["assessments"][0]["notes"] == "Quiet"


async def test_the_contact_person_sees_their_childs_care_but_not_its_health(gql, cared_for):
    # when
    body = await care_record(gql, "bergen-contact", cared_for["id"])

    # then
    assert refused(body) == CONTACT_REFUSED
    care = body["data"]["childCare"]
    assert care["health"] is None
    assert care["assessments"][0]["notes"] == "Quiet"
    assert care["followUpNotes"]["edges"][0]["node"]["text"] == "Went to the library."
    assert care["meetings"]["edges"][0]["node"]["interpreterMissing"] is True
    assert care["carePlan"]["childsOwnWords"] == "I like it"


async def test_a_coordinator_sees_the_care_plans_status_only(gql, cared_for):
    # when
    body = await care_record(gql, "bergen-coordinator", cared_for["id"])

    # then
    assert refused(body) == COORDINATOR_REFUSED
    care = body["data"]["childCare"]
    assert (care["carePlanStatus"], care["carePlan"]["status"]) == ("APPROVED", "APPROVED")
    assert (care["carePlan"]["goals"], care["carePlan"]["childsOwnWords"]) == ([], None)


@pytest.mark.parametrize(
    ("user", "tenant", "code"),
    [
        ("bergen-volunteers", None, "FORBIDDEN"),
        ("bergen-admin", None, "FORBIDDEN"),
        ("sos-partner", "4601", "FORBIDDEN"),
        ("imdi-analyst", None, "FORBIDDEN"),
        ("asker-caseworker", None, "NOT_FOUND"),
    ],
)
async def test_other_roles_and_municipalities_see_none_of_a_childs_care(
    gql, cared_for, user, tenant, code
):
    # when
    body = await gql.raw(user, CARE_RECORD, {"id": cared_for["id"]}, tenant=tenant)

    # then
    assert body["data"] == {"childCare": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]


async def test_a_contact_person_does_not_see_a_child_not_assigned_to_them(gql, stack):
    # given
    child = await settle_child(gql, stack.clock.today())
    await wait_for_care(gql, child["id"])

    # when
    codes = await gql.error_codes("bergen-contact", CARE_RECORD, {"id": child["id"]})
    note = await gql.error_codes("bergen-contact", ADD_NOTE, {"id": child["id"], "text": "Hi"})

    # then
    assert codes == ["NOT_FOUND"]
    assert note == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("user", "mutation", "variables"),
    [
        ("bergen-contact", SET_GP, {}),
        ("bergen-contact", APPROVE_PLAN, {}),
        ("bergen-coordinator", ADD_NOTE, {"text": "Hello"}),
        ("bergen-volunteers", ADD_NOTE, {"text": "Hello"}),
        ("bergen-coordinator", ASSIGN, {"username": "bergen-coordinator"}),
    ],
)
async def test_writes_outside_a_roles_part_of_care_are_forbidden(
    gql, cared_for, user, mutation, variables
):
    # when / then
    assert await gql.error_codes(user, mutation, {"id": cared_for["id"], **variables}) == [
        "FORBIDDEN"
    ]


@pytest.mark.parametrize(
    ("mutation", "variables", "field"),
    [
        (
            RECORD_ASSESSMENT,
            {"input": {"scores": [{"domain": "health", "score": 9}], "childsOwnWords": "x"}},
            "scores[0].score",
        ),
        (
            RECORD_ASSESSMENT,
            {"input": {"scores": [{"domain": "religion", "score": 2}], "childsOwnWords": "x"}},
            "scores[0].domain",
        ),
        (UPDATE_PLAN, {"input": {"goals": goals(date(2020, 1, 1))}}, "goals[0].reviewOn"),
        (
            MEETING,
            {
                "input": {
                    "heldOn": "2026-01-01",
                    "purpose": "Talk",
                    "language": "ti",
                    "interpreter": {"name": "Yonas", "qualified": False},
                }
            },
            "interpreter.name",
        ),
    ],
)
async def test_bad_input_names_the_field_and_changes_nothing(
    gql, cared_for, mutation, variables, field
):
    # given
    before = await care_record(gql, "bergen-caseworker", cared_for["id"])

    # when
    body = await gql.raw("bergen-caseworker", mutation, {"id": cared_for["id"], **variables})

    # then
    assert [(e["extensions"]["code"], e["extensions"].get("field")) for e in body["errors"]] == [
        ("BAD_USER_INPUT", field)
    ]
    assert await care_record(gql, "bergen-caseworker", cared_for["id"]) == before


async def test_every_read_and_write_of_care_is_in_the_access_log(gql, cared_for):
    # given reads by the caseworker and the contact person
    await care_record(gql, "bergen-caseworker", cared_for["id"])
    await care_record(gql, "bergen-contact", cared_for["id"])

    # when
    log = await gql("bergen-admin", ACCESS_LOG, {"id": cared_for["id"]})

    # then
    entries = {
        (e["node"]["actor"], e["node"]["action"], e["node"]["dataClass"], e["node"]["operation"])
        for e in log["accessLog"]["edges"]
    }
    assert {
        ("bergen-caseworker", "write", "personal", "contact-person.assign"),
        ("bergen-caseworker", "write", "sensitive", "health.gp"),
        ("bergen-caseworker", "write", "personal", "care-plan.approve"),
        ("bergen-caseworker", "write", "confidential", "assessment.record"),
        ("bergen-contact", "write", "confidential", "follow-up-note.add"),
        ("bergen-contact", "write", "personal", "meeting.record"),
        ("bergen-caseworker", "read", "sensitive", "health.read"),
        ("bergen-caseworker", "read", "confidential", "care.read"),
        ("bergen-contact", "read", "confidential", "follow-up-notes.read"),
        ("bergen-contact", "read", "personal", "education.read"),
        ("bergen-contact", "read", "personal", "care-plan.history"),
        ("bergen-contact", "read", "personal", "meetings.read"),
    } <= entries
    assert not {e for e in entries if e[0] == "bergen-contact" and e[2] == "sensitive"}


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


async def test_api_md_childrens_care_plan_still_resolves_with_the_new_fields(gql, cared_for):
    # when
    data = await gql(
        "bergen-caseworker",
        "query($id: ID!) { child(id: $id) { carePlan { status goals { domain } } "
        "assessments { id } followUpNotes { totalCount } } }",
        {"id": cared_for["id"]},
    )

    # then
    child = data["child"]
    assert child["carePlan"]["status"] == "APPROVED"
    assert (len(child["assessments"]), child["followUpNotes"]["totalCount"]) == (1, 1)


async def test_a_count_of_follow_up_notes_is_the_pages_total_and_is_logged_as_a_count(
    gql, cared_for
):
    # when a caseload asks only how many notes the child has, and then for the notes
    counted = await gql(
        "bergen-caseworker",
        "query($id: ID!) { child(id: $id) { followUpNotes { totalCount } } }",
        {"id": cared_for["id"]},
    )
    paged = await gql(
        "bergen-caseworker",
        "query($id: ID!) { child(id: $id) { followUpNotes { totalCount edges { node { id } } } } }",
        {"id": cared_for["id"]},
    )

    # then the count is the page's total, and both reads are in the child's access log
    notes = paged["child"]["followUpNotes"]
    assert counted["child"]["followUpNotes"]["totalCount"] == notes["totalCount"]
    assert notes["totalCount"] == len(notes["edges"]) >= 1
    log = await gql(
        "bergen-admin",
        "query($id: ID!) { accessLog(childId: $id, first: 500) { edges { node { operation } } } }",
        {"id": cared_for["id"]},
    )
    operations = {e["node"]["operation"] for e in log["accessLog"]["edges"]}
    assert {"follow-up-notes.count", "follow-up-notes.read"} <= operations


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
