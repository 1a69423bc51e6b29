"""Leaks: across municipalities, beyond a contact person's reach, beyond a partner's grant."""

from __future__ import annotations

import json
import re
import secrets
import string
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import httpx
from graphql import (
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    get_named_type,
    is_leaf_type,
)

from bench.attack.figures import Figures
from bench.attack.target import Target, sample
from havn.clock import Clock
from tests.client import GraphQLClient
from tests.factories import ASKER, BERGEN, settle_child
from tests.security import test_bad_input as bad_input
from tests.security import test_contact_person_reach as reach


@dataclass(frozen=True)
class Victim:
    """A child the attack made; `secrets` are what no caller outside its reach may see."""

    child_id: str
    secrets: frozenset[str]


@dataclass
class World:
    bergen: reach.World
    asker: Victim

    def victims_of(self, user: str) -> list[Victim]:
        """The children `user` must not see anything of."""
        marker = self.bergen.marker
        assigned, other = (
            Victim(child, frozenset({child, f"Reach {role} {marker}"}))
            for child, role in ((self.bergen.assigned, "Assigned"), (self.bergen.other, "Other"))
        )
        if user.startswith("asker-"):
            return [assigned, other]
        if user == "sos-partner":  # its grants name none of the run's children
            return [assigned, other, self.asker]
        if user == "bergen-contact":
            return [other, self.asker]
        return [self.asker]


# Who attacks: the other municipality's staff, a partner without grants to the run's children
# (in either municipality it serves), and Bergen's contact person.
ATTACKERS: list[tuple[str, str | None]] = [
    ("asker-coordinator", None),
    ("asker-caseworker", None),
    ("sos-partner", BERGEN),
    ("sos-partner", ASKER),
    ("bergen-contact", None),
    ("bergen-coordinator", None),
    ("bergen-caseworker", None),
    ("bergen-volunteers", None),
    ("bergen-admin", None),
]

# A short run: another municipality's caseworker, and the partner in the children's own.
SHORT_ATTACKERS: list[tuple[str, str | None]] = [
    ("asker-caseworker", None),
    ("sos-partner", BERGEN),
]


async def build_world(gql: GraphQLClient) -> World:
    today = Clock().today()
    bergen = await reach.build_world(gql, today)
    marker = "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))
    name = f"Attack Asker {marker}"
    child = await settle_child(
        gql,
        today,
        coordinator="asker-coordinator",
        municipality=ASKER,
        fullName=name,
    )
    return World(bergen, Victim(child["id"], frozenset({child["id"], name})))


def leaked(data: Any, victims: list[Victim]) -> list[str]:
    text = json.dumps(data)
    return sorted({secret for victim in victims for secret in victim.secrets if secret in text})


def selection(type_: GraphQLOutputType, depth: int) -> str:
    """Every field of the type that needs no argument, `depth` objects deep."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    assert isinstance(named, GraphQLObjectType)
    parts = []
    for name, field_ in named.fields.items():
        if any(isinstance(arg.type, GraphQLNonNull) for arg in field_.args.values()):
            continue
        if is_leaf_type(get_named_type(field_.type)):
            parts.append(name)
        elif depth > 1:
            parts.append(f"{name} {{ __typename {selection(field_.type, depth - 1)} }}")
    return " ".join(parts)


def query_reading(name: str, field_: GraphQLField, victim: Victim, marker: str) -> tuple:
    """A query of the root field, aimed at the victim where it takes a child, id or name."""
    values: dict[str, Any] = {}
    for arg_name, arg in field_.args.items():
        kind = get_named_type(arg.type).name
        if kind == "ID" and arg_name in ("id", "childId"):
            values[arg_name] = victim.child_id
        elif arg_name == "name":
            values[arg_name] = marker
        elif arg_name == "first":
            values[arg_name] = 100
        elif isinstance(arg.type, GraphQLNonNull) and arg.default_value is None:
            values[arg_name] = bad_input.baseline(arg.type)
    declared = ", ".join(f"${n}: {field_.args[n].type}" for n in values)
    passed = ", ".join(f"{n}: ${n}" for n in values)
    for depth in (4, 3, 2):
        body = selection(field_.type, depth)
        text = f"query{f'({declared})' if declared else ''} {{ {name}"
        text += f"{f'({passed})' if passed else ''}{f' {{ __typename {body} }}' if body else ''} }}"
        if len(re.findall(r"\w+|[{}():$!,\[\]]", text)) < 1500:
            break
    return text, values


async def probe_leaks(
    gql: GraphQLClient, target: Target, world: World, figures: Figures, *, short: bool
) -> None:
    query_type = bad_input.QUERY
    for user, tenant in SHORT_ATTACKERS if short else ATTACKERS:
        victims = world.victims_of(user)
        # through the gateway: every root query, aimed at each child they must not see
        for name, field_ in sample(query_type.fields.items(), short):
            aimed = {"id", "childId", "name"} & set(field_.args)
            for victim in victims if aimed else victims[:1]:
                full_name = next(s for s in victim.secrets if s != victim.child_id)
                text, variables = query_reading(name, field_, victim, full_name.split()[-1])
                body = await gql.raw(user, text, variables, tenant=tenant)
                found = leaked(body.get("data"), victims)
                figures.probe("leaks", bool(found), f"{user}@{tenant}: {name} showed {found}")
        # straight at the services: every list and batch route, with the children's ids
        for route in sample(ALL_ROUTES, short):
            response = await call_route(gql, target, user, tenant, route, world, victims)
            found = leaked(response.text, victims) if response.status_code == 200 else []
            figures.note("leaks", f"service answers {response.status_code // 100}xx")
            figures.probe("leaks", bool(found), f"{user}@{tenant}: {route} showed {found}")
    await probe_contact_person(gql, world, figures, short=short)


ALL_ROUTES = sorted({*reach.PROBED, *reach.REFUSED, *reach.WITHOUT_CHILD_DATA})


async def call_route(
    gql: GraphQLClient,
    target: Target,
    user: str,
    tenant: str | None,
    route: reach.Route,
    world: World,
    victims: list[Victim],
) -> httpx.Response:
    service, method, _ = route
    ids = [victim.child_id for victim in victims]
    headers = {"Authorization": f"Bearer {await gql.token(user)}"}
    if tenant:
        headers["X-Havn-Tenant"] = tenant
    url = target.service_url(service) + reach.url_of(route, world.bergen)
    params = {
        "first": 100,
        "name": world.bergen.marker,
        **reach.QUERY.get(route, lambda _: {})(world.bergen),
    }
    async with httpx.AsyncClient(timeout=60) as http:
        if method == "GET":
            return await http.get(url, params=params, headers=headers)
        body = {"first": 50}
        for key in ("child_ids", "ids", "enrolment_ids"):
            sent = {**body, key: ids if key != "enrolment_ids" else list(world.bergen.enrolments)}
            response = await http.post(url, json=sent, headers=headers)
            if response.status_code != 422:
                break
        return response


async def probe_contact_person(
    gql: GraphQLClient, world: World, figures: Figures, *, short: bool
) -> None:
    """bergen-contact reaches only the children assigned to them, however they ask."""
    probes: list[tuple[str, Callable[[], Awaitable[set[str]]]]] = [
        (f"{route}", partial(probe, gql, world.bergen))
        for route, probe in sample(reach.PROBED.items(), short)
    ]

    async def through_gateway(query: str, variables: dict[str, Any], key: str = "id") -> set[str]:
        data = await gql(reach.CONTACT, query, variables)
        return reach.nodes(data, next(iter(data)), key=key)

    probes += [
        ("searchChildren a", lambda: through_gateway(reach.SEARCH, {"name": "a"})),
        (
            "searchChildren marker",
            lambda: through_gateway(reach.SEARCH, {"name": world.bergen.marker}),
        ),
        ("children", lambda: through_gateway(reach.CHILDREN, {})),
        (
            "caseload NO_CONTACT_PERSON",
            lambda: through_gateway(reach.CASELOAD, {"filter": "NO_CONTACT_PERSON"}, "childId"),
        ),
    ]
    for what, probe in probes:
        seen = await probe()
        contact_persons = await reach.assigned_per_care(gql, seen)
        beyond = sorted(child for child in seen if contact_persons.get(child) != reach.CONTACT)
        figures.probe("leaks", bool(beyond), f"bergen-contact: {what} showed {beyond}")
