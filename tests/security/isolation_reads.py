"""The isolation fuzz's owner mutations and the reads it probes with, gateway and service."""

from __future__ import annotations

CREATE_REFERRAL = (
    """mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }"""
)
ACCEPT = """mutation($id: ID!, $on: Date!) {
  acceptReferral(id: $id, input: {plannedArrival: $on, careArrangement: GROUP_HOME}) { id }
}"""
ARRIVE = (
    """mutation($id: ID!, $on: Date!) { registerArrival(referralId: $id, arrivedOn: $on) { id } }"""
)
ASSIGN = """mutation($id: ID!, $who: String!) {
  assignContactPerson(childId: $id, username: $who) { childId }
}"""
NOTE = (
    """mutation($id: ID!, $text: String!) { addFollowUpNote(childId: $id, text: $text) { id } }"""
)
ASSESS = """mutation($id: ID!, $notes: String!) {
  recordAssessment(childId: $id, input: {scores: [{domain: "health", score: 3}],
    childsOwnWords: "Fine.", notes: $notes}) { id }
}"""

CHILD_FIELDS = "id firstName fullName dateOfBirth"
CARE_FIELDS = """childId contactPerson followUpNotes(first: 50) { edges { node { text } } }
  assessments { notes }"""
# Reads through the gateway; `$id` is a picked child, `$referral` a picked referral.
EDGES = "{{ edges {{ node {{ {} }} }} }}"
GATEWAY_READS: dict[str, str] = {
    "child": f"query($id: ID!) {{ child(id: $id) {{ {CHILD_FIELDS} care {{ {CARE_FIELDS} }} }} }}",
    "children": "{ children(first: 500) " + EDGES.format(CHILD_FIELDS) + " }",
    "searchChildren": "query($name: String!) { searchChildren(name: $name, first: 500) "
    + EDGES.format(CHILD_FIELDS)
    + " }",
    "caseload": "{ caseload(filter: ALL, first: 500) " + EDGES.format(CARE_FIELDS) + " }",
    "childCare": f"query($id: ID!) {{ childCare(childId: $id) {{ {CARE_FIELDS} }} }}",
    "referral": "query($referral: ID!) { referral(id: $referral) "
    "{ id status minor { fullName } child { id fullName } } }",
    "referrals": "{ referrals(first: 500) "
    + EDGES.format("id minor { fullName } child { id }")
    + " }",
    "accessLog": "query($id: ID!) { accessLog(childId: $id, first: 5) "
    + EDGES.format("actor")
    + " }",
    "enrolments": "{ enrolments(first: 500) "
    + EDGES.format("id child { id firstName fullName }")
    + " }",
    "partnerChildren": "{ partnerChildren(first: 500) " + EDGES.format(CHILD_FIELDS) + " }",
    "accessGrants": "{ accessGrants(first: 500) " + EDGES.format("id child { id fullName }") + " }",
}
SERVICE_READS = (
    ("intake", "GET", "/v1/children"),
    ("intake", "POST", "/v1/children/batch"),
    ("intake", "POST", "/v1/referrals/batch"),
    ("care", "POST", "/v1/care/batch"),
    ("care", "POST", "/v1/follow-up-notes/batch"),
    ("care", "POST", "/v1/assessments/batch"),
    ("care", "GET", "/v1/caseload"),
    ("community", "GET", "/v1/enrolments"),
    ("community", "POST", "/v1/enrolments/batch"),
    ("community", "POST", "/v1/partner/children/batch"),
    ("community", "GET", "/v1/grants"),
    ("transition", "POST", "/v1/phases/batch"),
    ("transition", "POST", "/v1/transitions/batch"),
)


# Where a partner sees children: through the gateway, and straight at community.
PARTNER_READS: tuple[str | tuple[str, str, str], ...] = (
    "partnerChildren",
    "enrolments",
    ("community", "GET", "/v1/enrolments"),
    ("community", "POST", "/v1/partner/children/batch"),
    ("community", "POST", "/v1/enrolments/batch"),
)
# The reads of a child's own data: each child they show must be in the access log.
READS_OF_CHILD_DATA = {
    "child",
    "children",
    "searchChildren",
    "caseload",
    "childCare",
    "enrolments",
    "partnerChildren",
    ("intake", "GET", "/v1/children"),
    ("intake", "POST", "/v1/children/batch"),
    ("care", "POST", "/v1/care/batch"),
    ("care", "POST", "/v1/follow-up-notes/batch"),
    ("care", "POST", "/v1/assessments/batch"),
    ("care", "GET", "/v1/caseload"),
    ("community", "GET", "/v1/enrolments"),
    ("community", "POST", "/v1/enrolments/batch"),
    ("community", "POST", "/v1/partner/children/batch"),
    ("transition", "POST", "/v1/phases/batch"),
    ("transition", "POST", "/v1/transitions/batch"),
}
