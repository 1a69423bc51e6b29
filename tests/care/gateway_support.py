"""Care's queries and mutations for gateway tests, and waiting for a settled child's care."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.client import GraphQLClient
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
