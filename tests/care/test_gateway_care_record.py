"""A child's care through the gateway: what each role sees and may write, and the access log."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.care.gateway_support import (
    ADD_NOTE,
    APPROVE_PLAN,
    ASSIGN,
    CARE_RECORD,
    EDUCATION,
    MEETING,
    RECORD_ASSESSMENT,
    SET_GP,
    UPDATE_PLAN,
    care_record,
    goals,
    wait_for_care,
)
from tests.factories import settle_child

ACCESS_LOG = """query($id: ID!) { accessLog(childId: $id, first: 200) {
  edges { node { actor action dataClass operation } } } }"""


def refused(body: dict[str, Any]) -> dict[str, str]:
    return {
        ".".join(str(p) for p in error["path"][1:]): error["extensions"]["code"]
        for error in body.get("errors", [])
    }


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
