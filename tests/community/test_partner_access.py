"""Through the gateway with the dev users: the volunteer coordinator sets up SOS-barnebyer and
enrols a child; sos-partner sees that child's basic profile and nothing more, keeps the
register, and loses access when the enrolment ends."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from tests.community.support import (
    END_ENROLMENT,
    ENROL,
    PARTNER_ENROLMENTS,
    RECORD_ATTENDANCE,
    REGISTER_VOLUNTEER,
    SET_INTERESTS,
    SOS,
    enrolled_with_sos,
    gateway_offer,
    known_to_community,
)
from tests.factories import ASKER, BERGEN, settle_child

BASIC = "query($id: ID!) { child(id: $id) { id firstName age languages interests } }"
# Every field of a child that is not the basic profile, with the class that guards it.
NOT_FOR_PARTNERS = {
    "fullName": "fullName",
    "dateOfBirth": "dateOfBirth",
    "nationality": "nationality",
    "sex": "sex",
    "careArrangement": "careArrangement",
    "settledOn": "settledOn",
    "carePlan": "carePlan { status }",
    "assessments": "assessments { id }",
    "followUpNotes": "followUpNotes { totalCount }",
    "transition": "transition { planOpensOn }",
}
PARTNER_CHILDREN = "{ partnerChildren(first: 200) { edges { node { id firstName } } } }"
CHILD_ENROLMENTS = (
    "query($id: ID!) { child(id: $id) { enrolments { id offer { partner { slug } } } } }"
)


async def partner(gql, query: str, variables: dict[str, Any] | None = None, tenant: str = BERGEN):
    return await gql.raw("sos-partner", query, variables or {}, tenant=tenant)


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.fixture(scope="module")
async def setup(gql, stack) -> dict[str, Any]:
    """The done-when walk: partner, agreement, offer, volunteer, interests, enrolment."""
    today = stack.clock.today()
    child = await settle_child(gql, today, fullName="Hamid Karimi", languages=["prs", "en"])
    await known_to_community(gql, child["id"])
    offer = await gateway_offer(gql, today, slug=SOS, name="SOS-barnebyer")
    volunteer = await gql(
        "bergen-volunteers",
        REGISTER_VOLUNTEER,
        {
            "input": {
                "partnerSlug": SOS,
                "kind": "MENTOR",
                "name": "Kari Nordmann",
                "languages": ["prs"],
                "interests": ["football"],
                "policeCertificateCheckedOn": (today - timedelta(days=90)).isoformat(),
            }
        },
    )
    interests = await gql(
        "bergen-volunteers", SET_INTERESTS, {"child": child["id"], "interests": ["Football"]}
    )
    enrolment = await gql(
        "bergen-volunteers", ENROL, {"child": child["id"], "offer": offer["id"], "consent": True}
    )
    return {
        "today": today,
        "child": child,
        "offer": offer,
        "volunteer": volunteer["registerVolunteer"],
        "interests": interests["setChildInterests"],
        "enrolment": enrolment["enrol"],
    }


async def test_the_volunteer_coordinator_sets_up_sos_and_enrols_a_child_with_consent(setup):
    assert setup["offer"]["partner"] == {"slug": SOS, "name": "SOS-barnebyer"}
    assert setup["volunteer"]["policeCertificateValid"] is True
    assert setup["interests"] == ["football"]
    enrolment = setup["enrolment"]
    assert (enrolment["active"], enrolment["endedOn"], enrolment["offer"]["enrolled"]) == (
        True,
        None,
        1,
    )
    assert enrolment["child"] == {"id": setup["child"]["id"], "firstName": "Hamid"}


async def test_the_partner_sees_the_enrolled_childs_basic_profile(gql, setup):
    # when
    body = await partner(gql, BASIC, {"id": setup["child"]["id"]})

    # then
    assert "errors" not in body
    child = body["data"]["child"]
    assert (child["firstName"], child["languages"], child["interests"]) == (
        "Hamid",
        ["prs", "en"],
        ["football"],
    )
    assert 15 <= child["age"] <= 17
    listed = await gql("sos-partner", PARTNER_CHILDREN, tenant=BERGEN)
    assert setup["child"]["id"] in [e["node"]["id"] for e in listed["partnerChildren"]["edges"]]


@pytest.mark.parametrize("field", sorted(NOT_FOR_PARTNERS))
async def test_the_partner_is_refused_every_field_beyond_the_basic_profile(gql, setup, field):
    # when
    query = f"query($id: ID!) {{ child(id: $id) {{ firstName {NOT_FOR_PARTNERS[field]} }} }}"
    body = await partner(gql, query, {"id": setup["child"]["id"]})

    # then the child is there, the field is null with FORBIDDEN at its path
    assert body["data"]["child"]["firstName"] == "Hamid"
    assert body["data"]["child"][field] is None
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["child", field], "FORBIDDEN")
    ]


async def test_the_partner_sees_its_enrolment_and_keeps_the_register(gql, setup):
    # when the partner records today's attendance
    recorded = await gql(
        "sos-partner",
        RECORD_ATTENDANCE,
        {"enrolment": setup["enrolment"]["id"], "on": setup["today"].isoformat(), "present": True},
        tenant=BERGEN,
    )

    # then it is recorded in the partner's name and shows on its enrolment
    assert recorded["recordAttendance"]["recordedOrg"] == SOS
    data = await gql(
        "sos-partner", PARTNER_ENROLMENTS, {"offer": setup["offer"]["id"]}, tenant=BERGEN
    )
    (node,) = [
        e["node"]
        for e in data["enrolments"]["edges"]
        if e["node"]["id"] == setup["enrolment"]["id"]
    ]
    assert node["child"]["firstName"] == "Hamid"
    assert node["attendance"] == [{"on": setup["today"].isoformat(), "present": True}]


async def test_the_partner_sees_only_its_own_enrolments_of_the_child(gql, stack, setup):
    # given the child is also enrolled with another partner
    other = await gateway_offer(
        gql, stack.clock.today(), slug="rode-kors-bergen", name="Røde Kors Bergen"
    )
    await gql(
        "bergen-volunteers",
        ENROL,
        {"child": setup["child"]["id"], "offer": other["id"], "consent": True},
    )

    # when
    data = await gql("sos-partner", CHILD_ENROLMENTS, {"id": setup["child"]["id"]}, tenant=BERGEN)

    # then
    assert {e["offer"]["partner"]["slug"] for e in data["child"]["enrolments"]} == {SOS}


async def test_the_partner_cannot_write_another_partners_attendance(gql, stack):
    # given a child enrolled with Røde Kors
    today = stack.clock.today()
    settled = await settle_child(gql, today)
    await known_to_community(gql, settled["id"])
    offer = await gateway_offer(gql, today, slug="rode-kors-bergen", name="Røde Kors Bergen")
    enrolment = (
        await gql(
            "bergen-volunteers",
            ENROL,
            {"child": settled["id"], "offer": offer["id"], "consent": True},
        )
    )["enrol"]

    # when SOS tries to keep Røde Kors' register
    body = await partner(
        gql,
        RECORD_ATTENDANCE,
        {"enrolment": enrolment["id"], "on": today.isoformat(), "present": False},
    )

    # then it is refused, and the register is empty
    assert codes(body) == ["NOT_FOUND"]
    data = await gql(
        "bergen-volunteers",
        "query($o: ID!) { enrolments(offerId: $o) { edges { node { id attendance { on } } } } }",
        {"o": offer["id"]},
    )
    assert [e["node"]["attendance"] for e in data["enrolments"]["edges"]] == [[]]


async def test_a_child_without_a_grant_is_not_found_for_the_partner_in_every_query(gql, stack):
    # given a Bergen child never enrolled with SOS
    today = stack.clock.today()
    settled = await settle_child(gql, today)
    await known_to_community(gql, settled["id"])

    # when / then
    assert codes(await partner(gql, BASIC, {"id": settled["id"]})) == ["NOT_FOUND"]
    listed = await gql("sos-partner", PARTNER_CHILDREN, tenant=BERGEN)
    assert settled["id"] not in [e["node"]["id"] for e in listed["partnerChildren"]["edges"]]
    direct = await gql.service(
        "sos-partner",
        "community",
        "POST",
        "/v1/enrolments/batch",
        json={"child_ids": [settled["id"]]},
        headers={"X-Havn-Tenant": BERGEN},
    )
    assert direct.json() == {"items": []}


async def test_in_another_municipality_the_partner_sees_nothing_of_the_child(gql, setup):
    # when sos-partner acts in Asker
    body = await partner(gql, BASIC, {"id": setup["child"]["id"]}, tenant=ASKER)
    listed = await gql("sos-partner", PARTNER_CHILDREN, tenant=ASKER)
    enrolments = await partner(
        gql, PARTNER_ENROLMENTS, {"offer": setup["offer"]["id"]}, tenant=ASKER
    )

    # then
    assert codes(body) == ["NOT_FOUND"]
    assert setup["child"]["id"] not in [e["node"]["id"] for e in listed["partnerChildren"]["edges"]]
    assert enrolments["data"]["enrolments"]["edges"] == []


async def test_every_partner_read_is_in_the_access_log_with_its_org(gql, setup):
    # given the partner read the child
    await partner(gql, BASIC, {"id": setup["child"]["id"]})

    # when the municipality admin looks
    data = await gql(
        "bergen-admin",
        "query($id: ID!) { accessLog(childId: $id, first: 200) {"
        " edges { node { actor role org action dataClass operation } } } }",
        {"id": setup["child"]["id"]},
    )

    # then the partner's reads are there with its org, and all of them basic
    entries = [e["node"] for e in data["accessLog"]["edges"] if e["node"]["actor"] == "sos-partner"]
    assert {
        "actor": "sos-partner",
        "role": "partner",
        "org": SOS,
        "action": "read",
        "dataClass": "basic",
        "operation": "community.partner.child.read",
    } in entries
    assert {(e["org"], e["dataClass"]) for e in entries} == {(SOS, "basic")}


async def test_the_partner_loses_access_when_the_enrolment_ends(gql, stack):
    # given a child enrolled with SOS, whom the partner can see
    today = stack.clock.today()
    enrolled = await enrolled_with_sos(gql, today)
    child_id, enrolment_id = enrolled["child"]["id"], enrolled["enrolment"]["id"]
    assert "errors" not in await partner(gql, BASIC, {"id": child_id})

    # when the volunteer coordinator ends the enrolment
    ended = await gql("bergen-volunteers", END_ENROLMENT, {"id": enrolment_id})

    # then every partner-visible way to the child is closed
    assert ended["endEnrolment"]["active"] is False
    assert codes(await partner(gql, BASIC, {"id": child_id})) == ["NOT_FOUND"]
    listed = await gql("sos-partner", PARTNER_CHILDREN, tenant=BERGEN)
    assert child_id not in [e["node"]["id"] for e in listed["partnerChildren"]["edges"]]
    data = await gql(
        "sos-partner", PARTNER_ENROLMENTS, {"offer": enrolled["offer"]["id"]}, tenant=BERGEN
    )
    (node,) = [e["node"] for e in data["enrolments"]["edges"] if e["node"]["id"] == enrolment_id]
    assert (node["active"], node["child"]) == (False, None)
    refused = await partner(
        gql,
        RECORD_ATTENDANCE,
        {"enrolment": enrolment_id, "on": today.isoformat(), "present": True},
    )
    assert codes(refused) == ["CONFLICT"]


async def test_the_partner_is_refused_staff_operations(gql, setup):
    for query in (
        "{ belongingOverview { enrolmentsPerPartner { activeEnrolments } } }",
        "{ accessGrants { totalCount } }",
        "{ fundingTotals { appliedNok } }",
        f'{{ suggestions(childId: "{setup["child"]["id"]}") {{ offers {{ score }} }} }}',
    ):
        assert codes(await partner(gql, query)) == ["FORBIDDEN"], query
    mutation = f'mutation {{ endEnrolment(id: "{setup["enrolment"]["id"]}") {{ id }} }}'
    assert codes(await partner(gql, mutation)) == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"consent": False}, "BAD_USER_INPUT"),
        ({"offer": str(uuid.uuid4())}, "BAD_USER_INPUT"),
    ],
)
async def test_an_enrolment_without_consent_or_offer_is_refused_and_writes_nothing(
    gql, stack, variables, code
):
    # given
    today = stack.clock.today()
    settled = await settle_child(gql, today)
    await known_to_community(gql, settled["id"])
    offer = await gateway_offer(gql, today, slug=SOS, name="SOS-barnebyer")

    # when
    body = await gql.raw(
        "bergen-volunteers",
        ENROL,
        {"child": settled["id"], "offer": offer["id"], "consent": True} | variables,
    )

    # then
    assert codes(body) == [code]
    data = await gql(
        "bergen-volunteers",
        "query($id: ID!) { child(id: $id) { enrolments { id } } }",
        {"id": settled["id"]},
    )
    assert data["child"]["enrolments"] == []


async def test_an_enrolment_beyond_the_offers_capacity_is_a_conflict(gql, stack):
    # given an offer with one place, taken
    today = stack.clock.today()
    first = await settle_child(gql, today)
    second = await settle_child(gql, today)
    for child in (first, second):
        await known_to_community(gql, child["id"])
    offer = await gateway_offer(gql, today, slug=SOS, name="SOS-barnebyer", capacity=1)
    await gql(
        "bergen-volunteers", ENROL, {"child": first["id"], "offer": offer["id"], "consent": True}
    )

    # when
    body = await gql.raw(
        "bergen-volunteers", ENROL, {"child": second["id"], "offer": offer["id"], "consent": True}
    )

    # then
    assert codes(body) == ["CONFLICT"]


async def test_the_belonging_overview_shows_who_lacks_belonging_and_where_places_are(gql, stack):
    # given one child with a leisure offer and one without
    today = stack.clock.today()
    enrolled = await enrolled_with_sos(gql, today)
    lonely = await settle_child(gql, today)
    await known_to_community(gql, lonely["id"])

    # when
    data = await gql(
        "bergen-volunteers",
        """{ belongingOverview {
          childrenWithoutLeisureOrMentor(first: 200) { edges { node { id firstName } } }
          enrolmentsPerPartner { partner { slug } activeEnrolments }
          offersWithFreePlaces(first: 200) { edges { node { id freePlaces } } }
        } }""",
    )

    # then
    overview = data["belongingOverview"]
    without = [e["node"]["id"] for e in overview["childrenWithoutLeisureOrMentor"]["edges"]]
    assert lonely["id"] in without and enrolled["child"]["id"] not in without
    per_partner = {
        p["partner"]["slug"]: p["activeEnrolments"] for p in overview["enrolmentsPerPartner"]
    }
    assert per_partner[SOS] >= 1
    free = {
        e["node"]["id"]: e["node"]["freePlaces"] for e in overview["offersWithFreePlaces"]["edges"]
    }
    assert free.get(enrolled["offer"]["id"]) == 9


async def test_the_municipality_admin_sees_partners_grants(gql, setup):
    data = await gql(
        "bergen-admin",
        "query($id: ID!) { accessGrants(childId: $id) {"
        " edges { node { partner { slug } scope source effective child { id } } } } }",
        {"id": setup["child"]["id"]},
    )
    grants = [e["node"] for e in data["accessGrants"]["edges"]]
    assert {
        "partner": {"slug": SOS},
        "scope": "basic",
        "source": "enrolment",
        "effective": True,
        "child": {"id": setup["child"]["id"]},
    } in grants


async def test_a_partners_enrolment_list_costs_the_same_for_one_and_three_children(gql, stack):
    # given an SOS offer with one enrolled child
    today = stack.clock.today()
    first = await enrolled_with_sos(gql, today)
    offer_id = first["offer"]["id"]

    async def cost() -> tuple[int, int, int]:
        services = stack.apps["gateway"].state.services
        calls_before = services.calls
        with stack.request_statements() as seen:
            data = await gql("sos-partner", PARTNER_ENROLMENTS, {"offer": offer_id}, tenant=BERGEN)
        edges = data["enrolments"]["edges"]
        return len(edges), services.calls - calls_before, len(seen["community"])

    await cost()  # once before counting: a connection the pool opens first is not the query's
    one = await cost()

    # when two more children join the offer
    for _ in range(2):
        settled = await settle_child(gql, today)
        await known_to_community(gql, settled["id"])
        await gql(
            "bergen-volunteers", ENROL, {"child": settled["id"], "offer": offer_id, "consent": True}
        )
    three = await cost()

    # then the partner's query costs the same service calls and SQL statements
    assert (one[0], three[0]) == (1, 3)
    assert one[1:] == three[1:]
    assert one[1] == 4  # enrolments, children (via community), interests, attendance
    assert one[2] > 0, "community's statements for the request were counted"
