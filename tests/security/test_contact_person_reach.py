"""A contact person reaches only the children assigned to them, through every route that lists,
searches or batch-reads children's data, in every service and through the gateway.

Every such route of the four services is listed below: probed as `bergen-contact` (only
assigned children may come back), refused to a contact person (403), or without any child's
data (neither test child's id appears in it). A new list or batch route fails the census
until it is listed.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

import httpx
import pytest

from havn.config import SERVICES
from tests.client import GraphQLClient
from tests.community.support import CREATE_AGREEMENT, CREATE_OFFER, ENROL, REGISTER_PARTNER
from tests.factories import settle_child
from tests.waiting import eventually

CONTACT = "bergen-contact"
CASEWORKER = "bergen-caseworker"
ORGANISER = "bergen-volunteers"

ASSIGN = """mutation($id: ID!, $who: String!) {
  assignContactPerson(childId: $id, username: $who) { childId }
}"""
NOTE = 'mutation($id: ID!) { addFollowUpNote(childId: $id, text: "Met at school.") { id } }'
EDUCATION = """mutation($id: ID!, $on: Date!) {
  recordEducation(childId: $id, input: {school: "Nordnes skole", classLevel: "9",
    norwegianLevel: A2, startedOn: $on}) { school }
}"""
MEETING = """mutation($id: ID!, $on: Date!) {
  recordMeeting(childId: $id, input: {heldOn: $on, purpose: "Follow-up", language: "nb"}) { id }
}"""


@dataclass(frozen=True)
class World:
    """Two Bergen children: `assigned` to bergen-contact, `other` not; both with care notes,
    education, meetings and an enrolment, so every route has something of each to leak."""

    assigned: str
    other: str
    marker: str
    enrolments: dict[str, str]  # enrolment id -> child id

    @property
    def both(self) -> list[str]:
        return [self.assigned, self.other]


async def _ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, (response.request.url, response.text)
    return response.json()


@pytest.fixture(scope="module")
async def world(gql: GraphQLClient, stack: Any) -> World:
    return await build_world(gql, stack.clock.today())


async def build_world(gql: GraphQLClient, today: date) -> World:
    """Two children settled in Bergen, each with notes, education, a meeting and an enrolment,
    one of them assigned to bergen-contact (also `make attack`'s victims)."""
    marker = "".join(random.choices(string.ascii_lowercase, k=10))
    assigned, other = [
        (await settle_child(gql, today, fullName=f"Reach {role} {marker}"))["id"]
        for role in ("Assigned", "Other")
    ]
    await eventually(
        lambda: gql.raw(CASEWORKER, ASSIGN, {"id": assigned, "who": CONTACT}),
        until=lambda body: not body.get("errors"),  # care knows the child once it settles
    )
    on = today.isoformat()
    for child in (assigned, other):
        for mutation, variables in (
            (NOTE, {"id": child}),
            (EDUCATION, {"id": child, "on": on}),
            (MEETING, {"id": child, "on": on}),
        ):
            await eventually(
                partial(gql.raw, CASEWORKER, mutation, variables),
                until=lambda body: not body.get("errors"),
            )
    slug = f"reach-{marker}"
    await gql(ORGANISER, REGISTER_PARTNER, {"input": {"slug": slug, "name": slug, "kind": "NGO"}})
    await gql(
        ORGANISER,
        CREATE_AGREEMENT,
        {
            "input": {
                "partnerSlug": slug,
                "scope": "Leisure",
                "validFrom": (today - timedelta(days=1)).isoformat(),
            }
        },
    )
    offer = await gql(
        ORGANISER,
        CREATE_OFFER,
        {"input": {"partnerSlug": slug, "title": "Football", "tags": ["football"], "capacity": 5}},
    )
    enrolments = {}
    for child in (assigned, other):
        body = await eventually(
            partial(
                gql.raw,
                ORGANISER,
                ENROL,
                {"child": child, "offer": offer["createOffer"]["id"], "consent": True},
            ),
            until=lambda body: not body.get("errors"),
        )
        enrolments[body["data"]["enrol"]["id"]] = child
    built = World(assigned=assigned, other=other, marker=marker, enrolments=enrolments)
    # every service that copies care's assignment has heard of it
    for probe in (intake_batch, batch("community", "/v1/enrolments/batch"), phases):
        await eventually(partial(probe, gql, built), until=lambda seen: assigned in seen)
    return built


async def call(gql: GraphQLClient, service: str, method: str, path: str, **kwargs: Any) -> Any:
    return await _ok(await gql.service(CONTACT, service, method, path, **kwargs))


def child_ids_in(answer: Any) -> set[str]:
    """Every child id an answer names (`child_id`, or a child's own `id` in intake's lists)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("child_id", "childId") and isinstance(value, str):
                    found.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(answer)
    return found


def intake_children(answer: Any) -> set[str]:
    return {item["id"] for item in answer["items"]}


Probe = Callable[[GraphQLClient, World], Awaitable[set[str]]]


def batch(service: str, path: str, **extra: Any) -> Probe:
    async def probe(gql: GraphQLClient, world: World) -> set[str]:
        answer = await call(gql, service, "POST", path, json={"child_ids": world.both, **extra})
        return child_ids_in(answer)

    return probe


async def intake_list(gql: GraphQLClient, world: World) -> set[str]:
    seen: set[str] = set()
    for name in (None, "a", world.marker):
        params = {"first": 500, **({"name": name} if name else {})}
        seen |= intake_children(await call(gql, "intake", "GET", "/v1/children", params=params))
    return seen


phases = batch("transition", "/v1/phases/batch")


async def intake_batch(gql: GraphQLClient, world: World) -> set[str]:
    answer = await call(gql, "intake", "POST", "/v1/children/batch", json={"ids": world.both})
    return intake_children(answer)


async def care_caseload(gql: GraphQLClient, world: World) -> set[str]:
    seen: set[str] = set()
    for caseload_filter in ("ALL", "MINE", "NO_CONTACT_PERSON", "CARE_PLAN_NOT_APPROVED"):
        params = {"filter": caseload_filter, "first": 500}
        seen |= child_ids_in(await call(gql, "care", "GET", "/v1/caseload", params=params))
    return seen


async def community_enrolments(gql: GraphQLClient, world: World) -> set[str]:
    return child_ids_in(
        await call(gql, "community", "GET", "/v1/enrolments", params={"first": 500})
    )


async def community_attendance(gql: GraphQLClient, world: World) -> set[str]:
    answer = await call(
        gql,
        "community",
        "POST",
        "/v1/attendance/batch",
        json={"enrolment_ids": list(world.enrolments)},
    )
    return {world.enrolments[item["enrolment_id"]] for item in answer["items"]}


PAGES = {"first": 50}
Route = tuple[str, str, str]

# Routes that return children's data: what a contact person gets must be theirs.
PROBED: dict[Route, Probe] = {
    ("intake", "GET", "/v1/children"): intake_list,
    ("intake", "POST", "/v1/children/batch"): intake_batch,
    ("care", "POST", "/v1/care/batch"): batch("care", "/v1/care/batch", note_counts=True),
    ("care", "GET", "/v1/caseload"): care_caseload,
    ("care", "POST", "/v1/care-plan-versions/batch"): batch(
        "care", "/v1/care-plan-versions/batch", **PAGES
    ),
    ("care", "POST", "/v1/follow-up-notes/batch"): batch(
        "care", "/v1/follow-up-notes/batch", **PAGES
    ),
    ("care", "POST", "/v1/follow-up-notes/counts/batch"): batch(
        "care", "/v1/follow-up-notes/counts/batch"
    ),
    ("care", "POST", "/v1/education/batch"): batch("care", "/v1/education/batch"),
    ("care", "POST", "/v1/meetings/batch"): batch("care", "/v1/meetings/batch", **PAGES),
    ("community", "GET", "/v1/enrolments"): community_enrolments,
    ("community", "POST", "/v1/enrolments/batch"): batch("community", "/v1/enrolments/batch"),
    ("community", "POST", "/v1/attendance/batch"): community_attendance,
    ("transition", "POST", "/v1/phases/batch"): phases,
}
# Where the assigned child must come back (the others may rightly hold nothing of it).
MUST_SHOW_ASSIGNED = {
    ("intake", "GET", "/v1/children"),
    ("intake", "POST", "/v1/children/batch"),
    ("care", "POST", "/v1/care/batch"),
    ("care", "GET", "/v1/caseload"),
    ("care", "POST", "/v1/follow-up-notes/batch"),
    ("care", "POST", "/v1/follow-up-notes/counts/batch"),
    ("care", "POST", "/v1/education/batch"),
    ("care", "POST", "/v1/meetings/batch"),
    ("community", "GET", "/v1/enrolments"),
    ("community", "POST", "/v1/enrolments/batch"),
    ("community", "POST", "/v1/attendance/batch"),
    ("transition", "POST", "/v1/phases/batch"),
}

# Routes a contact person's role may not use at all: 403, whatever the child.
REFUSED: dict[Route, str] = {
    ("intake", "GET", "/v1/referrals"): "referrals: coordinators, caseworkers, admins",
    ("intake", "POST", "/v1/referrals/batch"): "referrals, as their list",
    ("intake", "GET", "/v1/capacity"): "capacity: coordinators, caseworkers, admins",
    ("intake", "GET", "/v1/staff"): "staff: who decides on referrals",
    ("intake", "GET", "/v1/break-glass"): "break-the-glass review: municipality admins",
    ("intake", "GET", "/v1/relocations"): "relocations: coordinators and caseworkers",
    ("intake", "GET", "/v1/relocations/{relocation_id}"): "relocations",
    ("intake", "GET", "/v1/access-log"): "the access log: the municipality admin",
    ("intake", "GET", "/v1/status"): "operational status: platform-admin only",
    ("care", "GET", "/v1/status"): "operational status: platform-admin only",
    ("community", "GET", "/v1/status"): "operational status: platform-admin only",
    ("transition", "GET", "/v1/status"): "operational status: platform-admin only",
    ("care", "POST", "/v1/health/batch"): "health: caseworkers only",
    ("care", "GET", "/v1/contact-persons"): "whom to assign as contact person: caseworkers",
    ("community", "GET", "/v1/volunteers"): "volunteers: organisers and partners",
    ("community", "GET", "/v1/children/{child_id}/suggestions"): "suggestions: organisers",
    ("community", "GET", "/v1/matches"): "matches: organisers and partners",
    ("community", "GET", "/v1/partner/children"): "the partner view: partners",
    ("community", "POST", "/v1/partner/children/batch"): "the partner view: partners",
    ("community", "GET", "/v1/grants"): "grants: the admin and the volunteer coordinator",
    ("community", "GET", "/v1/belonging/children-without"): "belonging: organisers",
    ("community", "GET", "/v1/belonging/partners"): "belonging: organisers",
    ("community", "GET", "/v1/belonging/free-offers"): "belonging: organisers",
    ("community", "GET", "/v1/funding-applications"): "funding: not the contact person",
    ("community", "GET", "/v1/funding-applications/totals"): "funding: not the contact person",
    ("transition", "GET", "/v1/transitions"): "the transition caseload: coordinators, caseworkers",
    ("transition", "POST", "/v1/transitions/batch"): "transitions, as their caseload",
    ("transition", "POST", "/v1/transitions/summaries/batch"): "transitions, as their caseload",
    **{
        (service, "GET", "/v1/statistics/national"): "statistics: analysts and admins"
        for service in ("intake", "transition")
    },
    ("intake", "GET", "/v1/municipalities"): "the municipalities on Havn: the platform admin",
    **{
        (service, "GET", "/v1/dead-letters"): "dead letters: the platform admin"
        for service in SERVICES
    },
}

# Routes without any child's data; each is called, and neither test child may appear in it.
WITHOUT_CHILD_DATA: dict[Route, str] = {
    ("care", "GET", "/v1/assessment-schedule"): "the municipality's interval",
    ("community", "GET", "/v1/partners"): "partner organisations",
    ("community", "GET", "/v1/agreements"): "partner agreements",
    ("community", "GET", "/v1/offers"): "offers with counts of places",
    ("community", "GET", "/v1/settings"): "the municipality's settings",
}

QUERY: dict[Route, Callable[[World], dict[str, Any]]] = {
    ("intake", "GET", "/v1/access-log"): lambda world: {"child_id": world.other},
    ("intake", "GET", "/v1/statistics/national"): lambda _: {"measure": "SETTLED_CHILDREN"},
    ("transition", "GET", "/v1/statistics/national"): lambda _: {
        "measure": "OUTCOME_EDUCATION_OR_WORK_RATE",
        "by": "OUTCOME_MILESTONE",
    },
}


def list_and_batch_routes(stack: Any) -> Iterator[Route]:
    """Every route of the services that reads a list or a batch: each GET, each POST …/batch
    (as each app's own OpenAPI description has them; only health probes are left out of it)."""
    for service in SERVICES:
        for path, operations in stack.apps[service].openapi()["paths"].items():
            for method in operations:
                if method == "get" or (method == "post" and path.endswith("/batch")):
                    yield service, method.upper(), path


def url_of(route: Route, world: World) -> str:
    return route[2].format(relocation_id=uuid.uuid4(), child_id=world.other)


async def test_every_list_and_batch_route_is_probed_refused_or_free_of_child_data(stack):
    # given every list and batch route the four services serve
    served = set(list_and_batch_routes(stack))

    # then each is in exactly one of the three lists, and every listed route exists
    listed = [*PROBED, *REFUSED, *WITHOUT_CHILD_DATA]
    assert len(listed) == len(set(listed)), "a route is listed twice"
    assert served - set(listed) == set(), "list or batch routes no test probes as a contact person"
    assert set(listed) - served == set(), "listed routes no service serves"


@pytest.mark.parametrize("route", list(PROBED), ids="{0[0]} {0[1]} {0[2]}".format)
async def test_a_contact_person_gets_only_assigned_children_from_the_route(gql, world, route):
    # when the contact person calls the route directly, with their own token
    seen = await PROBED[route](gql, world)

    # then only children assigned to them come back, as care (which assigns) has it
    assert world.other not in seen
    if route in MUST_SHOW_ASSIGNED:
        assert world.assigned in seen
    contact_persons = await assigned_per_care(gql, seen)
    assert {child: contact_persons.get(child) for child in seen} == dict.fromkeys(seen, CONTACT)


async def assigned_per_care(gql: GraphQLClient, child_ids: set[str]) -> dict[str, str | None]:
    """Each child's contact person, as care (which owns the assignment) tells a caseworker."""
    ids = list(child_ids)
    found: dict[str, str | None] = {}
    for start in range(0, len(ids), 500):
        response = await gql.service(
            CASEWORKER,
            "care",
            "POST",
            "/v1/care/batch",
            json={"child_ids": ids[start : start + 500]},
        )
        found |= {
            item["child_id"]: item["contact_person"] for item in (await _ok(response))["items"]
        }
    return found


@pytest.mark.parametrize("route", list(REFUSED), ids="{0[0]} {0[1]} {0[2]}".format)
async def test_a_contact_person_is_refused_the_route(gql, world, route):
    service, method, _ = route
    body = {"child_ids": world.both, "ids": world.both, "first": 50} if method == "POST" else None
    params = QUERY.get(route, lambda _: {})(world)

    # when
    response = await gql.service(
        CONTACT, service, method, url_of(route, world), json=body, params=params
    )

    # then
    assert response.status_code == 403, response.text


@pytest.mark.parametrize("route", list(WITHOUT_CHILD_DATA), ids="{0[0]} {0[1]} {0[2]}".format)
async def test_a_route_without_child_data_names_no_child_to_a_contact_person(gql, world, route):
    service, method, _ = route
    params = QUERY.get(route, lambda _: {})(world)

    # when
    response = await gql.service(CONTACT, service, method, url_of(route, world), params=params)

    # then
    assert response.status_code == 200, response.text
    assert world.assigned not in response.text and world.other not in response.text


# --- through the gateway ---------------------------------------------------------------------

SEARCH = """query($name: String!) {
  searchChildren(name: $name, first: 500) { edges { node { id fullName dateOfBirth nationality } } }
}"""
CHILDREN = "{ children(first: 500) { edges { node { id fullName } } } }"
CASELOAD = """query($filter: CaseloadFilter!) {
  caseload(filter: $filter, first: 500) { edges { node { childId contactPerson } } }
}"""


def nodes(data: dict[str, Any], field: str, key: str = "id") -> set[str]:
    return {edge["node"][key] for edge in data[field]["edges"]}


async def test_the_gateways_child_lists_give_a_contact_person_only_assigned_children(gql, world):
    # when the contact person searches broadly, by the test children's name, lists, and the caseload
    broad = nodes(await gql(CONTACT, SEARCH, {"name": "a"}), "searchChildren")
    named = nodes(await gql(CONTACT, SEARCH, {"name": world.marker}), "searchChildren")
    listed = nodes(await gql(CONTACT, CHILDREN), "children")
    caseload: set[str] = set()
    for caseload_filter in ("ALL", "NO_CONTACT_PERSON"):
        data = await gql(CONTACT, CASELOAD, {"filter": caseload_filter})
        caseload |= nodes(data, "caseload", key="childId")

    # then the name finds the assigned child only, and nothing shown is another's
    assert named == {world.assigned}
    assert world.assigned in broad and world.assigned in listed and world.assigned in caseload
    seen = broad | listed | caseload
    contact_persons = await assigned_per_care(gql, seen)
    assert {child: contact_persons.get(child) for child in seen} == dict.fromkeys(seen, CONTACT)
