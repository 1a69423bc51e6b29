"""Builds test data: through the public API as its owners would, or as services hear of it.

How tests keep apart (they share one committed database and run in any order):
- A test that counts, lists, pages or changes a municipality's data works in a tenant of its
  own: `fresh_municipality(gql)` through the stack (registered, with a user in each municipal
  role), or `fresh_tenant()` for a test that writes straight to a service's tables. Never a
  number chosen by hand to keep clear of other tests.
- The demo municipalities (Bergen, Asker ...) and their users are read-only context: a test
  may read what the seed defines, or find its own rows among everyone's, never count them.
- A fixture wider than a function is only read; a test that changes what it was given gets a
  function-scoped one. No test relies on another's data or on running after it.
"""

from __future__ import annotations

import random
import secrets
import string
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cli.seed import DEMO_MUNICIPALITIES
from cli.synthetic import MUNICIPALITIES_PER_COUNTY, municipality_numbers
from havn.db import scoped_transaction
from havn.events.contracts import ChildSettledV1
from havn.events.envelope import Envelope
from services.care.models import events as care_events
from services.intake.models import events as intake_events
from tests.client import Caller, GraphQLClient

CREATE_REFERRAL = """
mutation Create($input: CreateReferralInput!) {
  createReferral(input: $input) { id status municipality respondBy overdue }
}"""
ACCEPT_REFERRAL = """
mutation Accept($id: ID!, $input: AcceptReferralInput!) {
  acceptReferral(id: $id, input: $input) {
    id status plannedArrival careArrangement readyForArrival preparation { kind done dueOn }
  }
}"""
COMPLETE_TASK = """
mutation Complete($id: ID!, $task: PreparationTaskKind!) {
  completePreparationTask(referralId: $id, task: $task) {
    id readyForArrival preparation { kind done }
  }
}"""
REGISTER_ARRIVAL = """
mutation Arrive($id: ID!, $on: Date!) {
  registerArrival(referralId: $id, arrivedOn: $on) { id municipality firstName fullName settledOn }
}"""
TASKS = ("HOUSING", "GUARDIAN", "SCHOOL", "GP", "HEALTH_CHECK", "INTERPRETER", "BANK_ACCOUNT")


def referral_input(today: date, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "municipality": "4601",
        "fullName": "Amina Rahimi",
        "dateOfBirth": (today - timedelta(days=16 * 365 + 100)).isoformat(),
        "sex": "F",
        "nationality": "AF",
        "languages": ["prs", "en"],
        "needsSummary": "Needs a quiet home; likes football.",
        "respondBy": (today + timedelta(days=14)).isoformat(),
    }
    values.update(overrides)
    return values


async def create_referral(
    gql: GraphQLClient, today: date, *, allocator: str = "imdi-allocator", **overrides: Any
) -> dict[str, Any]:
    data = await gql(allocator, CREATE_REFERRAL, {"input": referral_input(today, **overrides)})
    referral: dict[str, Any] = data["createReferral"]
    return referral


async def settle_child(
    gql: GraphQLClient, today: date, *, coordinator: str = "bergen-coordinator", **overrides: Any
) -> dict[str, Any]:
    """Runs a referral from allocation to arrival; returns the settled child."""
    referral = await create_referral(gql, today, **overrides)
    await gql(
        coordinator,
        ACCEPT_REFERRAL,
        {
            "id": referral["id"],
            "input": {"plannedArrival": today.isoformat(), "careArrangement": "GROUP_HOME"},
        },
    )
    for task in TASKS:
        await gql(coordinator, COMPLETE_TASK, {"id": referral["id"], "task": task})
    data = await gql(coordinator, REGISTER_ARRIVAL, {"id": referral["id"], "on": today.isoformat()})
    child: dict[str, Any] = data["registerArrival"]
    child["referralId"] = referral["id"]
    return child


BERGEN, ASKER = "4601", "3203"

# Numbers a fresh municipality may have: Norwegian-style (a county's code and two digits),
# 10-49 within the county, so never a demo municipality, never synthetic data's (each county's
# 99 downwards) and never one a test of old chose by hand (below 10 or 80 and above).
FRESH_NUMBERS = sorted(
    {f"{county}{n:02d}" for county in MUNICIPALITIES_PER_COUNTY for n in range(10, 50)}
    - set(municipality_numbers())
    - set(DEMO_MUNICIPALITIES)
)
# One user per municipal role in every fresh municipality.
MUNICIPAL_ROLES = {
    "coordinator": "settlement-coordinator",
    "caseworker": "caseworker",
    "contact": "contact-person",
    "volunteers": "volunteer-coordinator",
    "admin": "municipality-admin",
}


@dataclass(frozen=True)
class Municipality:
    """A municipality a test registered for itself, with a user in each municipal role."""

    number: str
    name: str

    def user(self, kind: str) -> str:
        return f"m{self.number}-{kind}"

    @property
    def coordinator(self) -> str:
        return self.user("coordinator")

    @property
    def caseworker(self) -> str:
        return self.user("caseworker")

    @property
    def contact(self) -> str:
        return self.user("contact")

    @property
    def volunteers(self) -> str:
        return self.user("volunteers")

    @property
    def admin(self) -> str:
        return self.user("admin")


# The numbers handed out in this run: each goes to one test only.
_HANDED_OUT: set[str] = set()


def fresh_tenant(*, county: str = "", taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A tenant number no other test has: for a test that writes straight to a service's
    tables (nothing registered, so no one's staff reach it)."""
    number = random.choice(
        [n for n in FRESH_NUMBERS if n.startswith(county) and n not in taken | _HANDED_OUT]
    )
    _HANDED_OUT.add(number)
    return number


async def register_municipality(gql: GraphQLClient, name: str, *, county: str = "") -> str:
    """Registers a municipality under a number no one has, as the platform admin onboards one
    (in `county`, a two-digit county code, when the test needs neighbours in one county)."""
    listed = await gql.service("platform-admin", "intake", "GET", "/v1/municipalities")
    number = fresh_tenant(county=county, taken={m["number"] for m in listed.json()["items"]})
    response = await gql.service(
        "platform-admin",
        "intake",
        "PUT",
        f"/v1/municipalities/{number}",
        json={"number": number, "name": f"{name} {number}"},
    )
    assert response.status_code == 200, response.text
    return number


async def fresh_municipality(
    gql: GraphQLClient, name: str = "Testvik", *, county: str = ""
) -> Municipality:
    """A municipality no other test knows, and its staff: a test's own tenant."""
    number = await register_municipality(gql, name, county=county)
    gql.realm.add(
        Caller(f"m{number}-{kind}", role, (number,)) for kind, role in MUNICIPAL_ROLES.items()
    )
    municipality = Municipality(number, f"{name} {number}")
    # Its contact person has used Havn, as a real one has before a caseworker can assign them.
    await gql.service(municipality.contact, "care", "GET", "/v1/caseload")
    return municipality


def fresh_user(
    gql: GraphQLClient,
    role: str,
    *,
    tenants: tuple[str, ...] = (),
    org: str | None = None,
    prefix: str | None = None,
    also: tuple[str, ...] = (),
) -> str:
    """A user no other test has, in `role` (and the roles `also`): for the municipalities
    `tenants`, of the partner `org` (a partner's user); named `prefix` (else the role) and a
    random tag."""
    username = f"{prefix or role}-{secrets.token_hex(4)}"
    gql.realm.add([Caller(username, role, tenants, org, also)])
    return username


def fresh_allocator(gql: GraphQLClient) -> str:
    """A directorate allocator no other test has (an allocator sees only the referrals it
    made): for a test that counts referrals."""
    return fresh_user(gql, "directorate-allocator", prefix="imdi")


def unique_name(given: str, family: str = "Tesfaye") -> str:
    """A full name no other test uses, so a test finds its own child among everyone's."""
    tag = "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))
    return f"{given} {family} {tag.capitalize()}"


def child_settled(
    *,
    tenant: str = BERGEN,
    child_id: uuid.UUID | None = None,
    date_of_birth: date = date(2010, 5, 17),
    settled_on: date = date(2026, 11, 2),
) -> Envelope:
    """The event intake publishes when a child arrives, as the consumer receives it."""
    settled = ChildSettledV1(
        child_id=child_id or uuid.uuid4(),
        referral_id=uuid.uuid4(),
        first_name="Amina",
        full_name="Amina Rahimi",
        date_of_birth=date_of_birth,
        date_of_birth_estimated=False,
        sex="F",
        nationality="AF",
        languages=["prs", "en"],
        care_arrangement="GROUP_HOME",
        settled_on=settled_on,
    )
    return Envelope(
        type=ChildSettledV1.event_type,
        version=ChildSettledV1.version,
        tenant=tenant,
        actor="bergen-coordinator",
        data=settled.model_dump(mode="json"),
    )


async def park_settled_event_in_care(
    sessionmaker: async_sessionmaker[AsyncSession], child_id: str, *, tenant: str = BERGEN
) -> uuid.UUID:
    """A dead letter in care, as care parks an event that kept failing: the child.settled event
    of a child settled in `tenant` (care applied it already, so a replay applies nothing
    twice)."""
    outbox, dead_letters = intake_events.outbox, care_events.dead_letters
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        envelope = await session.scalar(
            select(outbox.c.payload).where(
                outbox.c.event_type == "intake.child.settled",
                outbox.c.payload["data"]["child_id"].astext == child_id,
            )
        )
        assert envelope is not None
        letter = await session.scalar(
            insert(dead_letters)
            .values(
                consumer="care-child-settled",
                event_id=envelope["id"],
                subject=f"havn.intake.child.settled.{tenant}",
                tenant_id=tenant,
                payload=envelope,
                headers={},
                error_type="OperationalError",
                error="the database went away",
                deliveries=5,
            )
            .returning(dead_letters.c.id)
        )
    assert letter is not None
    return letter
