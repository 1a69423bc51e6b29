"""Who may do what is declared once (havn.permissions): every root field of the gateway declares
its permission, and a gateway field and the service route behind it declare the same one."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField

from gateway.schema import Mutation, Query
from gateway.schema.community.types import Enrolment
from gateway.schema.intake.types import Child
from gateway.security import declared_permission
from havn.permissions import Permission
from havn.permissions.route import Permitted
from services.community.api import router as community_routes
from tests.client import GraphQLClient
from tests.security.test_contact_person_reach import CONTACT, World, call, world  # noqa: F401

ROOT_FIELDS = [
    (root.__name__, field)
    for root in (Query, Mutation)
    for field in get_object_definition(root, strict=True).fields
]


def field_named(owner: type, name: str) -> StrawberryField:
    (field,) = [
        f for f in get_object_definition(owner, strict=True).fields if f.python_name == name
    ]
    return field


def route_permission(routes: Any, method: str, path: str) -> Permission | None:
    (route,) = [
        r
        for r in routes.routes
        if isinstance(r, APIRoute) and r.path == path and method in (r.methods or ())
    ]

    def found(dependant: Dependant) -> Permission | None:
        for dependency in dependant.dependencies:
            if isinstance(dependency.call, Permitted):
                return dependency.call.permission
            if (inner := found(dependency)) is not None:
                return inner
        return None

    return found(route.dependant)


@pytest.mark.parametrize(
    ("root", "field"), ROOT_FIELDS, ids=[f"{root}.{f.python_name}" for root, f in ROOT_FIELDS]
)
def test_every_root_field_declares_a_permission(root: str, field: StrawberryField) -> None:
    assert declared_permission(field) is not None, f"{root}.{field.python_name} declares none"


@pytest.mark.parametrize(
    ("owner", "name", "method", "path"),
    [
        (Child, "enrolments", "POST", "/v1/enrolments/batch"),
        (Query, "enrolments", "GET", "/v1/enrolments"),
        (Enrolment, "attendance", "POST", "/v1/attendance/batch"),
    ],
)
def test_a_community_field_and_its_route_declare_the_same_permission(
    owner: type, name: str, method: str, path: str
) -> None:
    declared = declared_permission(field_named(owner, name))
    assert declared is not None
    assert route_permission(community_routes, method, path) is declared


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
