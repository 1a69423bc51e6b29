"""Who may do what is declared once (havn.permissions): every root field of the gateway and every
route of the services declares its permission, and a gateway field and the service route that
does the same action declare the same one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField

from gateway.schema import Mutation, Query
from gateway.schema.care.types import ChildCare
from gateway.schema.child import Child
from gateway.schema.community.types import Enrolment
from gateway.security import declared_permission
from havn.events.dead_letters import dead_letter_router
from havn.http import health_router
from havn.permissions import Permission
from havn.permissions.route import Permitted
from havn.status import status_router
from services.care.app import SPEC as CARE
from services.community.app import SPEC as COMMUNITY
from services.intake.app import SPEC as INTAKE
from services.transition.app import SPEC as TRANSITION
from tests.client import GraphQLClient
from tests.security.test_contact_person_reach import CONTACT, World, call, world  # noqa: F401

ROOT_FIELDS = [
    (root.__name__, field)
    for root in (Query, Mutation)
    for field in get_object_definition(root, strict=True).fields
]

# What every service serves besides its own routes (havn.service mounts them).
KERNEL_ROUTERS = (health_router, dead_letter_router(), status_router())
SERVICES = {
    spec.name: [*spec.routers, *KERNEL_ROUTERS] for spec in (INTAKE, CARE, COMMUNITY, TRANSITION)
}
Route = tuple[str, str, str]

# Routes that name no permission, and why.
EXEMPT: dict[tuple[str, str], str] = {
    ("GET", "/livez"): "a probe: the process answers, to anyone (Kubernetes asks unsigned)",
    ("GET", "/healthz"): "/livez by its older name",
    ("GET", "/readyz"): "a probe: the database answers, to anyone",
}


def routes_of(routers: Iterable[APIRouter]) -> dict[tuple[str, str], APIRoute]:
    return {
        (method, route.path): route
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods or ()
    }


SERVICE_ROUTES: list[Route] = sorted(
    (service, method, path)
    for service, routers in SERVICES.items()
    for method, path in routes_of(routers)
)


def permission_of(route: APIRoute) -> Permission | None:
    def found(dependant: Dependant) -> Permission | None:
        for dependency in dependant.dependencies:
            if isinstance(dependency.call, Permitted):
                return dependency.call.permission
            if (inner := found(dependency)) is not None:
                return inner
        return None

    return found(route.dependant)


def route_permission(service: str, method: str, path: str) -> Permission | None:
    return permission_of(routes_of(SERVICES[service])[(method, path)])


def field_named(owner: type, name: str) -> StrawberryField:
    (field,) = [
        f for f in get_object_definition(owner, strict=True).fields if f.python_name == name
    ]
    return field


@pytest.mark.parametrize(
    ("root", "field"), ROOT_FIELDS, ids=[f"{root}.{f.python_name}" for root, f in ROOT_FIELDS]
)
def test_every_root_field_declares_a_permission(root: str, field: StrawberryField) -> None:
    assert declared_permission(field) is not None, f"{root}.{field.python_name} declares none"


@pytest.mark.parametrize(
    ("service", "method", "path"), SERVICE_ROUTES, ids=[" ".join(route) for route in SERVICE_ROUTES]
)
def test_every_service_route_declares_a_permission(service: str, method: str, path: str) -> None:
    declared = route_permission(service, method, path)
    assert (declared is None) == ((method, path) in EXEMPT), f"{service} {method} {path}"


async def test_the_route_census_holds_every_route_a_service_serves(stack: Any) -> None:
    # given what each running service describes (probes are left out of its description)
    for service, routers in SERVICES.items():
        served = {
            (method.upper(), path)
            for path, operations in stack.apps[service].openapi()["paths"].items()
            for method in operations
        }
        # then the census knows each of them
        assert served <= set(routes_of(routers)), service


# (gateway type, field, service, method, path): the field and the route behind it do one act.
SAME_ACT: list[tuple[type, str, str, str, str]] = [
    # intake
    (Query, "referral", "intake", "POST", "/v1/referrals/batch"),
    (Query, "referrals", "intake", "GET", "/v1/referrals"),
    (Query, "search_referrals", "intake", "GET", "/v1/referrals"),
    (Query, "child", "intake", "POST", "/v1/children/batch"),
    (Query, "children", "intake", "GET", "/v1/children"),
    (Query, "municipality_staff", "intake", "GET", "/v1/staff"),
    (Query, "relocations", "intake", "GET", "/v1/relocations"),
    (Query, "relocation", "intake", "GET", "/v1/relocations/{relocation_id}"),
    (Query, "break_glass_accesses", "intake", "GET", "/v1/break-glass"),
    (Query, "access_log", "intake", "GET", "/v1/access-log"),
    (Mutation, "record_settlement_decision", "intake", "PUT", "/v1/capacity/decisions/{year}"),
    (
        Mutation,
        "record_care_places",
        "intake",
        "PUT",
        "/v1/capacity/care-places/{care_arrangement}",
    ),
    (Mutation, "create_referral", "intake", "POST", "/v1/referrals"),
    (Mutation, "accept_referral", "intake", "POST", "/v1/referrals/{referral_id}/accept"),
    (Mutation, "decline_referral", "intake", "POST", "/v1/referrals/{referral_id}/decline"),
    (Mutation, "withdraw_referral", "intake", "POST", "/v1/referrals/{referral_id}/withdraw"),
    (
        Mutation,
        "complete_preparation_task",
        "intake",
        "POST",
        "/v1/referrals/{referral_id}/preparation/{kind}/complete",
    ),
    (
        Mutation,
        "reopen_preparation_task",
        "intake",
        "POST",
        "/v1/referrals/{referral_id}/preparation/{kind}/reopen",
    ),
    (
        Mutation,
        "update_preparation_task",
        "intake",
        "PATCH",
        "/v1/referrals/{referral_id}/preparation/{kind}",
    ),
    (Mutation, "register_arrival", "intake", "POST", "/v1/referrals/{referral_id}/arrival"),
    (Mutation, "update_child", "intake", "PATCH", "/v1/children/{child_id}"),
    (Mutation, "propose_relocation", "intake", "POST", "/v1/relocations"),
    (Mutation, "accept_relocation", "intake", "POST", "/v1/relocations/{relocation_id}/accept"),
    (Mutation, "decline_relocation", "intake", "POST", "/v1/relocations/{relocation_id}/decline"),
    (Mutation, "cancel_relocation", "intake", "POST", "/v1/relocations/{relocation_id}/cancel"),
    (Mutation, "break_the_glass", "intake", "POST", "/v1/break-glass"),
    (Query, "municipalities", "intake", "GET", "/v1/municipalities"),
    # the platform's own (each service serves them; care stands for all four)
    (Query, "service_health", "care", "GET", "/v1/status"),
    (Query, "dead_letters", "care", "GET", "/v1/dead-letters"),
    (Mutation, "replay_dead_letter", "care", "POST", "/v1/dead-letters/{dead_letter_id}/replay"),
    (Mutation, "discard_dead_letter", "care", "DELETE", "/v1/dead-letters/{dead_letter_id}"),
    # care
    (Query, "child_care", "care", "POST", "/v1/care/batch"),
    (Query, "caseload", "care", "GET", "/v1/caseload"),
    (Query, "assessment_schedule", "care", "GET", "/v1/assessment-schedule"),
    (Query, "contact_persons", "care", "GET", "/v1/contact-persons"),
    (Child, "care", "care", "POST", "/v1/care/batch"),
    (Child, "follow_up_notes", "care", "POST", "/v1/follow-up-notes/batch"),
    (ChildCare, "follow_up_notes", "care", "POST", "/v1/follow-up-notes/batch"),
    (ChildCare, "care_plan_versions", "care", "POST", "/v1/care-plan-versions/batch"),
    (ChildCare, "health", "care", "POST", "/v1/health/batch"),
    (ChildCare, "education", "care", "POST", "/v1/education/batch"),
    (ChildCare, "meetings", "care", "POST", "/v1/meetings/batch"),
    (Mutation, "assign_contact_person", "care", "PUT", "/v1/children/{child_id}/contact-person"),
    (
        Mutation,
        "unassign_contact_person",
        "care",
        "DELETE",
        "/v1/children/{child_id}/contact-person",
    ),
    (Mutation, "update_care_plan", "care", "PUT", "/v1/children/{child_id}/care-plan"),
    (Mutation, "approve_care_plan", "care", "POST", "/v1/children/{child_id}/care-plan/approve"),
    (Mutation, "record_assessment", "care", "POST", "/v1/children/{child_id}/assessments"),
    (Mutation, "add_follow_up_note", "care", "POST", "/v1/children/{child_id}/follow-up-notes"),
    (Mutation, "edit_follow_up_note", "care", "PATCH", "/v1/follow-up-notes/{note_id}"),
    (
        Mutation,
        "set_general_practitioner",
        "care",
        "PUT",
        "/v1/children/{child_id}/health/general-practitioner",
    ),
    (
        Mutation,
        "record_health_screening",
        "care",
        "POST",
        "/v1/children/{child_id}/health/screenings",
    ),
    (
        Mutation,
        "refer_to_mental_health",
        "care",
        "POST",
        "/v1/children/{child_id}/health/mental-health-referrals",
    ),
    (Mutation, "record_education", "care", "PUT", "/v1/children/{child_id}/education"),
    (Mutation, "record_meeting", "care", "POST", "/v1/children/{child_id}/meetings"),
    (Mutation, "set_assessment_interval", "care", "PUT", "/v1/assessment-schedule"),
    # community
    (Query, "partners", "community", "GET", "/v1/partners"),
    (Query, "agreements", "community", "GET", "/v1/agreements"),
    (Query, "offers", "community", "GET", "/v1/offers"),
    (Query, "volunteers", "community", "GET", "/v1/volunteers"),
    (Query, "enrolments", "community", "GET", "/v1/enrolments"),
    (Query, "matches", "community", "GET", "/v1/matches"),
    (Query, "suggestions", "community", "GET", "/v1/children/{child_id}/suggestions"),
    (Query, "belonging_overview", "community", "GET", "/v1/belonging/children-without"),
    (Query, "belonging_overview", "community", "GET", "/v1/belonging/partners"),
    (Query, "belonging_overview", "community", "GET", "/v1/belonging/free-offers"),
    (Query, "partner_children", "community", "GET", "/v1/partner/children"),
    (Query, "access_grants", "community", "GET", "/v1/grants"),
    (Query, "funding_applications", "community", "GET", "/v1/funding-applications"),
    (Query, "funding_totals", "community", "GET", "/v1/funding-applications/totals"),
    (Query, "community_settings", "community", "GET", "/v1/settings"),
    (Child, "enrolments", "community", "POST", "/v1/enrolments/batch"),
    (Enrolment, "attendance", "community", "POST", "/v1/attendance/batch"),
    (Mutation, "register_partner", "community", "POST", "/v1/partners"),
    (Mutation, "create_agreement", "community", "POST", "/v1/agreements"),
    (Mutation, "create_offer", "community", "POST", "/v1/offers"),
    (Mutation, "register_volunteer", "community", "POST", "/v1/volunteers"),
    (
        Mutation,
        "record_police_certificate",
        "community",
        "POST",
        "/v1/volunteers/{volunteer_id}/police-certificate",
    ),
    (
        Mutation,
        "set_police_certificate_limit",
        "community",
        "PUT",
        "/v1/settings/police-certificate-limit",
    ),
    (Mutation, "set_child_interests", "community", "PUT", "/v1/children/{child_id}/interests"),
    (Mutation, "enrol", "community", "POST", "/v1/enrolments"),
    (Mutation, "end_enrolment", "community", "POST", "/v1/enrolments/{enrolment_id}/end"),
    (Mutation, "match_volunteer", "community", "POST", "/v1/matches"),
    (Mutation, "end_match", "community", "POST", "/v1/matches/{match_id}/end"),
    (
        Mutation,
        "record_attendance",
        "community",
        "POST",
        "/v1/enrolments/{enrolment_id}/attendance",
    ),
    (Mutation, "apply_for_funding", "community", "POST", "/v1/funding-applications"),
    (
        Mutation,
        "decide_funding",
        "community",
        "POST",
        "/v1/funding-applications/{application_id}/decision",
    ),
    # transition and statistics
    (Query, "transition_caseload", "transition", "GET", "/v1/transitions"),
    (Child, "transition", "transition", "POST", "/v1/transitions/summaries/batch"),
    (Mutation, "write_transition_plan", "transition", "PUT", "/v1/transitions/{child_id}/plan"),
    (
        Mutation,
        "record_aftercare_decision",
        "transition",
        "POST",
        "/v1/transitions/{child_id}/aftercare-decisions",
    ),
    (Mutation, "record_housing", "transition", "PUT", "/v1/transitions/{child_id}/housing"),
    (Mutation, "record_outcome", "transition", "POST", "/v1/transitions/{child_id}/outcomes"),
    (Query, "national_statistics", "intake", "GET", "/v1/statistics/national"),
    (Query, "national_statistics", "transition", "GET", "/v1/statistics/national"),
]
# Root fields whose route does more than the field, so declares more (or other) roles.
NOT_THE_SAME_ACT = {
    "search_children": "a name search shows personal data (PROFILE_READ); its route, the child "
    "list, is any caller's (CHILD_LOOKUP), each child as the caller reaches it",
    "capacity": "one route answers both capacity fields: its permission is their union",
    "national_capacity": "one route answers both capacity fields: its permission is their union",
    "set_interpreter_need": "a caseworker's act (INTERPRETER_NEED_SET) made through intake's "
    "profile edit (PROFILE_WRITE), which coordinators may make too",
    "me": "the gateway answers it from the token, no route",
}


@pytest.mark.parametrize(
    ("owner", "name", "service", "method", "path"),
    SAME_ACT,
    ids=[
        f"{owner.__name__}.{name} {service} {method} {path}"
        for owner, name, service, method, path in SAME_ACT
    ],
)
def test_a_field_and_its_route_declare_the_same_permission(
    owner: type, name: str, service: str, method: str, path: str
) -> None:
    declared = declared_permission(field_named(owner, name))
    assert declared is not None
    assert route_permission(service, method, path) is declared


def test_every_root_field_is_paired_with_its_route_or_says_why_not() -> None:
    paired = {name for owner, name, *_ in SAME_ACT if owner in (Query, Mutation)}
    roots = {field.python_name for _, field in ROOT_FIELDS}
    assert roots - paired == set(NOT_THE_SAME_ACT)


async def test_a_contact_person_lists_the_enrolments_community_gives_them(
    gql: GraphQLClient,
    world: World,  # noqa: F811
) -> None:
    # given the enrolments community's route gives bergen-contact: its assigned child's only
    listed = await call(gql, "community", "GET", "/v1/enrolments", params={"first": 500})
    from_community = {item["id"] for item in listed["items"] if item["id"] in world.enrolments}
    assert {world.enrolments[e] for e in from_community} == {world.assigned}
    # when it asks the gateway for enrolments
    body = await gql.raw(CONTACT, "{ enrolments(first: 100) { edges { node { id } } } }", {})
    # then it gets the same ones, not FORBIDDEN
    assert not body.get("errors"), body
    ids = {edge["node"]["id"] for edge in body["data"]["enrolments"]["edges"]}
    assert ids & set(world.enrolments) == from_community
