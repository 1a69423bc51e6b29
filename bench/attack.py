"""`make attack`: attacks a running Havn stack from outside and prints what got through.

It acts as someone on the machine who holds the dev users' passwords (and, for the bus and
the database, what the data directory lets its owner read): cross-tenant and beyond-reach
reads through the gateway and straight at the services, bad input in every mutation, forged
and stale tokens, reads missing from the access log, and connections to NATS and PostgreSQL
without (or with the wrong) credentials. Each category prints its probes and its failures;
the exit code is 1 when any failure count is not 0.

It finds the stack as `havn run` does: `HAVN_*_PORT`, `HAVN_DATA_DIR` (`make run`'s ports and
`.havn/` by default); NATS's port from the data dir's `nats/nats.conf`, PostgreSQL's from
`postgres/postmaster.pid`, unless `HAVN_NATS_URL` / `HAVN_DATABASE_URL` say where they are.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import secrets
import string
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import nats
import nats.errors
from graphql import (
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    get_named_type,
    is_leaf_type,
)
from jwcrypto import jwk
from jwcrypto.common import base64url_encode
from sqlalchemy.engine import make_url

from havn.auth.idp.tokens import SIGNING_KEY_FILE
from havn.clock import Clock
from havn.config import SERVICES, Settings, get_settings
from havn.db import APP_ROLE, ROLES
from havn.events.credentials import ensure_seeds, seed_file
from tests.auth.forged import sign, unsigned, unverified_claims
from tests.client import GraphQLClient
from tests.factories import ASKER, BERGEN, settle_child
from tests.security import test_bad_input as bad_input
from tests.security import test_contact_person_reach as reach
from tests.security.test_bus_auth import Session

CATEGORIES = {
    "leaks": "answers holding data the caller may not see",
    "bad input": "INTERNAL or HTTP 5xx answers",
    "bad tokens": "forged or stale tokens accepted",
    "unlogged reads": "reads of a child missing from its access log",
    "bus and database": "connections or acts that got in",
}
# A short run (the test suite's) samples this many probes of each kind.
SHORT = 4


# --- the figures -------------------------------------------------------------------------------


@dataclass
class Tally:
    probes: int = 0
    failures: int = 0
    noted: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)


@dataclass
class Figures:
    tallies: dict[str, Tally] = field(default_factory=lambda: {c: Tally() for c in CATEGORIES})

    def probe(self, category: str, failed: bool, what: str = "") -> None:
        tally = self.tallies[category]
        tally.probes += 1
        if failed:
            tally.failures += 1
            if len(tally.examples) < 10:
                tally.examples.append(what)

    def note(self, category: str, what: str) -> None:
        self.tallies[category].noted[what] += 1

    @property
    def failed(self) -> bool:
        return any(tally.failures for tally in self.tallies.values())

    def table(self) -> str:
        lines = [f"{'category':<18}{'probes':>8}{'failures':>10}  failure means"]
        for category, tally in self.tallies.items():
            lines.append(
                f"{category:<18}{tally.probes:>8}{tally.failures:>10}  {CATEGORIES[category]}"
            )
            for what, count in sorted(tally.noted.items()):
                lines.append(f"{'':<18}{count:>8}            {what}")
            lines.extend(f"{'':<18}  failure: {example}" for example in tally.examples)
        return "\n".join(lines)


# --- the stack under attack -------------------------------------------------------------------


@dataclass
class Target:
    """Where the running stack listens, and what its data directory gives away."""

    settings: Settings
    nats_url: str | None
    nats_credentials_dir: Path
    postgres: tuple[str, int] | None
    app_password: str | None
    clock: Clock = field(default_factory=Clock)

    @property
    def gateway_url(self) -> str:
        return f"http://{self.settings.host}:{self.settings.gateway_port}"

    @property
    def token_url(self) -> str:
        return f"{self.settings.issuer}/protocol/openid-connect/token"

    def service_url(self, service: str) -> str:
        return self.settings.service_urls(service)[0]

    @classmethod
    def discover(cls, settings: Settings) -> Target:
        data_dir = settings.data_dir
        nats_url = settings.nats_url
        if nats_url is None:
            config = _readable(data_dir / "nats" / "nats.conf")
            found = re.search(r"^listen:\s*([\d.]+:\d+)", config or "", re.MULTILINE)
            nats_url = f"nats://{found.group(1)}" if found else None
        postgres, app_password = None, None
        if settings.database_url is not None:
            url = make_url(settings.database_url)
            postgres = (url.host or "127.0.0.1", url.port or 5432)
            app_password = url.password
        else:
            pid_file = _readable(data_dir / "postgres" / "postmaster.pid")
            if pid_file is not None and len(pid_file.splitlines()) > 3:
                postgres = ("127.0.0.1", int(pid_file.splitlines()[3]))
            kept = _readable(data_dir / "postgres-passwords.json")
            app_password = json.loads(kept).get(APP_ROLE) if kept else None
        return cls(
            settings=settings,
            nats_url=nats_url,
            nats_credentials_dir=settings.nats_credentials_dir or data_dir / "nats" / "credentials",
            postgres=postgres,
            app_password=app_password,
        )


def _readable(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def sample(items: Iterable[Any], short: bool) -> list[Any]:
    """All of them, or (short) SHORT spread over them."""
    listed = list(items)
    return listed[:: max(1, len(listed) // SHORT)][:SHORT] if short else listed


# --- leaks: across municipalities, beyond a contact person's reach, beyond a partner's grant ---


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


# --- bad input: every mutation, every argument, nasty values ----------------------------------

# Values of the wrong type altogether, for any argument.
WRONG_TYPES = {"an object": {"a": 1}, "a list": [1, 2], "a number": 42, "null": None}
RAW_BODIES = {
    "a JSON null body": "null",
    "a JSON list body": "[]",
    "a JSON string body": '"query"',
    "nested 100,000 deep": "[" * 100_000,
    "not JSON": "{",
}


async def probe_bad_input(gql: GraphQLClient, figures: Figures, *, short: bool) -> None:
    limit = asyncio.Semaphore(4)

    async def send(user: str, query: str, variables: dict[str, Any], what: str) -> None:
        async with limit:
            status, body = await bad_input.post(gql, user, query, variables)
        codes = bad_input.codes(body)
        failed = status >= 500 or "INTERNAL" in codes
        figures.probe("bad input", failed, f"{what}: HTTP {status} {codes}")
        if "BAD_USER_INPUT" in codes:
            figures.note("bad input", "answered BAD_USER_INPUT")

    for mutation in sample(bad_input.MUTATIONS, short):
        query, variables = bad_input.operation(mutation)
        user = await permitted_caller(gql, query, variables)
        field_ = bad_input.MUTATION.fields[mutation]
        probes = []
        for name, arg in field_.args.items():
            for path, kind in bad_input.leaves(arg.type, ()):
                values = {**bad_input.nasty_values(kind), **WRONG_TYPES}
                for label, value in values.items():
                    sent = {**variables, name: bad_input.replaced(variables[name], path, value)}
                    probes.append((sent, f"{mutation}({name}{list(path)}: {label})"))
        await asyncio.gather(
            *(send(user, query, sent, what) for sent, what in sample(probes, short))
        )
    for paged in sample(bad_input.PAGED_QUERIES, short):
        text = f"query($after: String) {{ {paged}(after: $after) {{ __typename }} }}"
        if any(
            isinstance(a.type, GraphQLNonNull) and n != "after"
            for n, a in bad_input.QUERY.fields[paged].args.items()
        ):
            continue
        for label, raw in sample(bad_input.MALFORMED_CURSORS.items(), short):
            cursor = base64url_encode(raw)
            await send("bergen-caseworker", text, {"after": cursor}, f"{paged}(after: {label})")
    for label, raw in sample(RAW_BODIES.items(), short):
        async with httpx.AsyncClient(timeout=60) as http:
            response = await http.post(
                f"{gql.stack.gateway_url}/graphql",
                content=raw,
                headers={
                    "Authorization": f"Bearer {await gql.token('bergen-caseworker')}",
                    "Content-Type": "application/json",
                },
            )
        figures.probe("bad input", response.status_code >= 500, f"{label}: {response.status_code}")


async def permitted_caller(gql: GraphQLClient, query: str, variables: dict[str, Any]) -> str:
    """The first dev user the mutation does not refuse outright (else the first of all)."""
    for user in bad_input.USERS:
        _, body = await bad_input.post(gql, user, query, variables)
        if not {"FORBIDDEN", "UNAUTHENTICATED"} & set(bad_input.codes(body)):
            return user
    return bad_input.USERS[0]


# --- bad tokens: at the gateway and at every service ------------------------------------------


async def probe_tokens(
    gql: GraphQLClient, target: Target, figures: Figures, *, short: bool
) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        answer = (
            await http.post(
                target.token_url,
                data={
                    "grant_type": "password",
                    "client_id": "havn-cli",
                    "username": "bergen-caseworker",
                    "password": "dev",
                },
            )
        ).json()
        certs = (await http.get(f"{target.settings.issuer}/protocol/openid-connect/certs")).json()
    real, refresh = answer["access_token"], answer["refresh_token"]
    claims = unverified_claims(real)
    published = jwk.JWK(**certs["keys"][0])
    stranger = jwk.JWK.generate(kty="RSA", size=2048, kid=published["kid"])
    confused = jwk.JWK(
        kty="oct", k=base64url_encode(published.export_to_pem()), kid=published["kid"]
    )
    now = int(time.time())
    header, _, signature = real.split(".")

    def tampered(changed: dict[str, Any]) -> str:
        return f"{header}.{base64url_encode(json.dumps(claims | changed))}.{signature}"

    variants: dict[str, str] = {
        "signed by a stranger's key under the realm's kid": sign(claims, stranger),
        "alg none": unsigned(claims, kid=published["kid"]),
        "HS256 keyed with the realm's public key": sign(claims, confused, alg="HS256"),
        "roles tampered to platform-admin": tampered(
            {"realm_access": {"roles": ["platform-admin"]}}
        ),
        "tenants tampered to Asker": tampered({"tenants": [ASKER]}),
        "expiry tampered to a year on": tampered({"exp": now + 365 * 86400}),
        "refresh token as bearer": refresh,
        "no signature": f"{header}.{real.split('.')[1]}.",
        "garbage": "not-a-token",
    }
    # With the realm's own key (its owner can read it in the data dir), claims that are wrong.
    key_file = _readable(target.settings.data_dir / "keys" / SIGNING_KEY_FILE)
    if key_file is not None:
        key = jwk.JWK.from_pem(key_file.encode())
        signed: dict[str, dict[str, Any]] = {
            "expired an hour ago": {"exp": now - 3600, "iat": now - 3900},
            "valid only from an hour on": {"nbf": now + 3600, "exp": now + 3900},
            "from another issuer": {"iss": "http://127.0.0.1:1/realms/havn"},
            "for another audience": {"aud": "account"},
            "without an expiry": {"exp": None},
            "a refresh token's type": {"typ": "Refresh"},
        }
        for label, changed in signed.items():
            forged = {k: v for k, v in (claims | changed).items() if v is not None}
            variants[f"{label} (realm's key)"] = sign(forged, key)
    else:
        figures.note("bad tokens", "realm's signing key not readable: its variants skipped")

    async def accepted_at_gateway(token: str) -> bool:
        body = await gql.raw(None, "{ me { username } }", token=token)
        return bool((body.get("data") or {}).get("me"))

    async def accepted_by(service: str, token: str) -> bool:
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.get(
                f"{target.service_url(service)}/v1/dead-letters",
                headers={"Authorization": f"Bearer {token}"},
            )
        return response.status_code != 401

    # the real token is accepted everywhere: a refusal below means something
    if not await accepted_at_gateway(real) or not all(
        [await accepted_by(service, real) for service in SERVICES]
    ):
        raise SystemExit("attack: a genuine token is refused; is the stack up?")
    for label, token in sample(variants.items(), short):
        figures.probe("bad tokens", await accepted_at_gateway(token), f"gateway took {label}")
        for service in SERVICES:
            figures.probe(
                "bad tokens", await accepted_by(service, token), f"{service} took {label}"
            )


# --- unlogged reads: each read of a child is in its municipality's access log ---------------

ACCESS_LOG = """query($id: ID!, $actor: String) {
  accessLog(childId: $id, actor: $actor, first: 500) { edges { node { at operation } } } }"""
PROPOSE = """mutation($child: ID!, $to: String!) {
  proposeRelocation(childId: $child, toMunicipality: $to) { id } }"""


async def probe_logged_reads(
    gql: GraphQLClient, world: World, figures: Figures, *, short: bool
) -> None:
    child = world.bergen.assigned
    fields = bad_input.QUERY.fields
    reads: list[tuple[str, str, str | None]] = [
        ("bergen-caseworker", "child", None),
        ("bergen-contact", "child", None),
        ("bergen-caseworker", "childCare", None),
        ("bergen-contact", "childCare", None),
        ("bergen-caseworker", "searchChildren", None),
        ("bergen-contact", "searchChildren", None),
        ("bergen-admin", "accessGrants", None),
        ("bergen-volunteers", "suggestions", None),
        ("bergen-volunteers", "matches", None),
        ("bergen-volunteers", "enrolments", None),
    ]
    victim = Victim(child, frozenset({child, world.bergen.marker}))
    for user, name, tenant in sample(reads, short):
        text, variables = query_reading(name, fields[name], victim, world.bergen.marker)
        body = await logged_read(
            gql, user, child, partial(gql.raw, user, text, variables, tenant=tenant)
        )
        record_read(figures, body, f"{user} read {name}", shown=child in json.dumps(body[0]))
    # the receiving municipality reads a proposed relocation: logged where the child lives
    proposal = await gql("bergen-coordinator", PROPOSE, {"child": world.bergen.other, "to": ASKER})
    relocation = "query($id: ID!) { relocation(id: $id) { id childFirstName childAge } }"
    answer = await logged_read(
        gql,
        "asker-coordinator",
        world.bergen.other,
        lambda: gql.raw(
            "asker-coordinator", relocation, {"id": proposal["proposeRelocation"]["id"]}
        ),
    )
    shown = bool((answer[0].get("data") or {}).get("relocation"))
    record_read(figures, answer, "asker-coordinator read a relocation proposed to Asker", shown)


async def logged_read(
    gql: GraphQLClient, user: str, child: str, read: Callable[[], Awaitable[dict[str, Any]]]
) -> tuple[dict[str, Any], bool]:
    """The answer to `read` (made as `user`), and whether the child's log gained an entry."""
    before = await log_entries(gql, child, user)
    body = await read()
    after = await log_entries(gql, child, user)
    return body, bool(after - before)


def record_read(
    figures: Figures, answer: tuple[dict[str, Any], bool], what: str, shown: bool
) -> None:
    if not shown:  # refused, or nothing of the child: not a read to look for
        figures.note("unlogged reads", f"showed nothing of the child: {what}")
        return
    figures.probe("unlogged reads", not answer[1], f"{what}: no entry in its log")


async def log_entries(gql: GraphQLClient, child: str, actor: str) -> set[tuple[str, str]]:
    data = await gql("bergen-admin", ACCESS_LOG, {"id": child, "actor": actor})
    return {(e["node"]["at"], e["node"]["operation"]) for e in data["accessLog"]["edges"]}


# --- the bus and the database: without credentials, or with the wrong ones -----------------


async def probe_bus(target: Target, figures: Figures) -> None:
    category = "bus and database"
    if target.nats_url is None:
        figures.note(category, "NATS's port not found: bus not probed")
        return
    with tempfile.TemporaryDirectory() as scratch:
        stranger = seed_file(Path(scratch), "care")
        ensure_seeds(Path(scratch), ["care"])  # a well-formed key the server does not know
        await try_to_connect(target.nats_url, figures, stranger)
    if not seed_file(target.nats_credentials_dir, "care").exists():
        figures.note(category, "no service's seed readable: publishing as another not probed")
        return
    # With care's own seed (its owner can read it): act as intake, and read what care may not.
    acts = {
        "care publishing intake's child.settled": publish_as_intake,
        "care subscribing to every event": subscribe_to_everything,
        "care making a consumer of intake's referrals": consume_referrals,
    }
    for label, act in acts.items():
        session = await Session().open_at(target.nats_url, target.nats_credentials_dir, "care")
        try:
            got_in = await act(session)
        finally:
            await session.client.close()
        figures.probe(category, got_in, label)


async def try_to_connect(url: str, figures: Figures, stranger: Path) -> None:
    category = "bus and database"
    attempts: dict[str, dict[str, Any]] = {
        "NATS without credentials": {},
        "NATS with a guessed user and password": {"user": "admin", "password": "admin"},
        "NATS with a guessed token": {"token": "havn"},
        "NATS with an unknown NKEY": {"nkeys_seed": str(stranger)},
    }
    for label, credentials in attempts.items():
        try:
            client = await nats.connect(
                url,
                allow_reconnect=False,
                max_reconnect_attempts=0,
                connect_timeout=5,
                error_cb=ignore,
                **credentials,
            )
        except (nats.errors.Error, OSError):
            figures.probe(category, False)
        else:
            figures.probe(category, True, f"{label}: connected")
            await client.close()


async def ignore(_: Exception) -> None:
    """The refusal is the exception `connect` raises: nothing to log besides."""


async def publish_as_intake(session: Session) -> bool:
    subject = f"havn.intake.child.settled.{BERGEN}"
    try:
        await session.client.jetstream().publish(subject, b"{}", timeout=2)
    except nats.errors.TimeoutError:
        return not await refused(session, f'publish to "{subject}"')
    return True


async def subscribe_to_everything(session: Session) -> bool:
    await session.client.subscribe("havn.>")
    await session.client.flush()
    return not await refused(session, 'subscription to "havn.>"')


async def consume_referrals(session: Session) -> bool:
    from nats.js.api import ConsumerConfig
    from nats.js.errors import APIError

    name = f"attack-{uuid.uuid4().hex[:8]}"
    try:
        await session.client.jetstream().add_consumer(
            "HAVN", ConsumerConfig(name=name, filter_subject="havn.intake.referral.>"), timeout=2
        )
    except (nats.errors.TimeoutError, APIError):
        return not await refused(session, f'publish to "$JS.API.CONSUMER.CREATE.HAVN.{name}')
    return True


async def refused(session: Session, what: str) -> bool:
    try:
        return await session.refused(what)
    except AssertionError:  # the server sent no error at all
        return False


STATISTICS_CALLS = (
    "select * from intake.national_statistics("
    "'SETTLED_CHILDREN', array['MUNICIPALITY'], null, array[13], '{}', '{}')",
    "select * from transition.national_statistics("
    "'OUTCOME_EDUCATION_OR_WORK_RATE', array['OUTCOME_MILESTONE'], null, array[13])",
)
# Tenant tables the system flag would open to a role allowed to use it.
TENANT_TABLES = (
    *(f"{service}.outbox" for service in SERVICES),
    *(f"{service}.inbox" for service in SERVICES),
    "intake.children",
    "audit.access_log",
)


async def probe_database(target: Target, figures: Figures) -> None:
    category = "bus and database"
    if target.postgres is None:
        figures.note(category, "PostgreSQL's port not found: database not probed")
        return
    host, port = target.postgres
    for role in (*ROLES, "postgres"):
        for label, password in (("no password", ""), ("its name as password", role)):
            try:
                connection = await asyncpg.connect(
                    host=host,
                    port=port,
                    user=role,
                    password=password,
                    database="havn",
                    timeout=10,
                )
            except (asyncpg.PostgresError, OSError):
                figures.probe(category, False)
            else:
                figures.probe(category, True, f"{role} with {label}: connected")
                await connection.close()
    if target.app_password is None:
        figures.note(category, "havn_app's password not readable: its acts not probed")
        return
    app = await asyncpg.connect(
        host=host, port=port, user=APP_ROLE, password=target.app_password, database="havn"
    )
    try:
        for table in TENANT_TABLES:
            try:
                async with app.transaction():
                    await app.execute("select set_config('havn.system', 'on', true)")
                    rows = await app.fetchval(f"select count(*) from {table}")
            except asyncpg.PostgresError:
                rows = 0
            figures.probe(category, rows > 0, f"havn_app with havn.system on read {table}")
        for label, statement in (
            ("became havn_system", "set role havn_system"),
            ("read the web sessions", "select count(*) from web.sessions"),
            *(("called the statistics function", call) for call in STATISTICS_CALLS),
        ):
            try:
                async with app.transaction():
                    await app.execute("select set_config('havn.tenant', $1, true)", BERGEN)
                    await app.execute(statement)
            except asyncpg.PostgresError:
                figures.probe(category, False)
            else:
                figures.probe(category, True, f"havn_app {label}")
    finally:
        await app.close()


# --- the whole attack ---------------------------------------------------------------------------


async def attack(target: Target, *, short: bool = False) -> Figures:
    figures = Figures()
    gql = GraphQLClient(target)
    started = time.monotonic()

    def say(what: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {what}", flush=True)

    say("settling the attack's children (Bergen, Asker) ...")
    world = await build_world(gql)
    say("leaks ...")
    await probe_leaks(gql, target, world, figures, short=short)
    say("bad input ...")
    await probe_bad_input(gql, figures, short=short)
    say("bad tokens ...")
    await probe_tokens(gql, target, figures, short=short)
    say("unlogged reads ...")
    await probe_logged_reads(gql, world, figures, short=short)
    say("bus and database ...")
    await probe_bus(target, figures)
    await probe_database(target, figures)
    say("done.")
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.attack", description=__doc__)
    parser.add_argument("--short", action="store_true", help=f"{SHORT} probes of each kind")
    args = parser.parse_args(argv)
    target = Target.discover(get_settings())
    print(f"attacking {target.gateway_url} (data dir {target.settings.data_dir})", flush=True)
    figures = asyncio.run(attack(target, short=args.short))
    print(figures.table())
    sys.exit(1 if figures.failed else 0)


if __name__ == "__main__":
    main()
