"""Randomised isolation: records made as one municipality, role and partner are probed as every
other caller, through the gateway and straight at the services, and none gets what it may not.

A hypothesis state machine settles children, refers minors, assigns contact persons, writes
notes and assessments, enrols children with partners and ends enrolments, in two municipalities
registered for this run, with users and partner organisations of the run's own. Between those
steps it probes: a random caller runs a random read, and the answer is searched for every
record's id and markers. A record's marker appears only where the rules let the caller see it:

- nothing of municipality A ever reaches a caller acting in B (or the directorate's analyst,
  or the platform admin);
- a partner sees a child's id only while an enrolment with it is in force, and never more
  than the basic profile (no full name, no confidential text);
- a contact person sees only children assigned to them; a volunteer coordinator and a
  municipality admin no personal data; only a caseworker or the assigned contact person
  confidential text;
- a sampled share of the reads that return a child is checked in the access log.

`HAVN_FUZZ_STEPS` sets the number of steps (`make fuzz`); `make test` runs a few thousand.
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cli.stack import InProcessStack
from havn.audit import access_log
from havn.db import scoped_transaction
from tests.client import Caller, TestRealm
from tests.community.support import (
    CREATE_AGREEMENT,
    CREATE_OFFER,
    END_ENROLMENT,
    ENROL,
    REGISTER_PARTNER,
)
from tests.security.fresh_realm import (
    ALLOCATOR,
    register_fresh_municipalities,
    run_callers,
)

T = TypeVar("T")

STEPS = int(os.environ.get("HAVN_FUZZ_STEPS", "2000"))
STEPS_PER_RUN = 60
# Ids, and the markers this module writes into names and confidential text.
MARKER = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|Fz[0-9a-f]{6}[ns][0-9a-f]{10}"
)


# --- what was made, and who may see it --------------------------------------------------------


@dataclass
class ChildRecord:
    tenant: str
    referral: str
    name: str  # the marker in the full name (personal data)
    secret: str  # the marker in notes and assessments (confidential)
    contact: str | None = None
    partners: dict[str, str] = field(default_factory=dict)  # active enrolment id -> partner org


@dataclass
class ReferralRecord:
    tenant: str
    name: str


@dataclass
class Ledger:
    """Every record the run made, with the markers that betray it in an answer."""

    children: dict[str, ChildRecord] = field(default_factory=dict)
    pending: dict[str, ReferralRecord] = field(default_factory=dict)
    # every id and marker -> (what it shows, the child's or pending referral's id)
    markers: dict[str, tuple[str, str]] = field(default_factory=dict)
    steps: int = 0
    checks: int = 0
    probes: int = 0
    # markers shown to callers who may see them, per role: the probes reach real data
    sightings: Counter[str] = field(default_factory=Counter)
    logs_checked: int = 0
    violations: list[str] = field(default_factory=list)


MUNICIPAL_SEE_IDS = {"settlement-coordinator", "caseworker", "volunteer-coordinator"}
PERSONAL = {"settlement-coordinator", "caseworker"}
REFERRALS = {"settlement-coordinator", "caseworker", "municipality-admin"}


def may_see_child(caller: Caller, tenant: str | None, child: ChildRecord, what: str) -> bool:
    """Whether `caller`, acting in `tenant`, may be shown `what` (id/referral/name/secret)."""
    if caller.role == "directorate-allocator":
        return what == "referral"  # the status of the referral it made, nothing of the child
    if tenant != child.tenant:
        return False
    if caller.role == "partner":
        return what == "id" and caller.org in child.partners.values()
    if caller.role == "contact-person":
        return child.contact == caller.username and what != "referral"
    if caller.role == "municipality-admin":
        # the access log and grants name children; the referral list shows its minor
        return what in {"id", "referral"}
    if caller.role == "volunteer-coordinator":
        return what == "id"
    if caller.role == "caseworker":
        return True
    if caller.role == "settlement-coordinator":
        return what != "secret"
    return False


def may_see_referral(
    caller: Caller, tenant: str | None, referral: ReferralRecord, what: str
) -> bool:
    if caller.role == "directorate-allocator":
        # the allocator made the referral: it sees its status, not the minor's name again
        return what == "referral"
    if tenant != referral.tenant:
        return False
    return caller.role in PERSONAL or (caller.role == "municipality-admin" and what == "referral")


# --- driving the stack's event loop from hypothesis -------------------------------------------


@dataclass
class World:
    loop: asyncio.AbstractEventLoop
    stack: InProcessStack
    realm: TestRealm
    http: httpx.AsyncClient
    sessionmaker: async_sessionmaker[AsyncSession]
    tenants: tuple[str, str]
    foreign: str  # a demo municipality: none of the run's records belong there
    callers: list[Caller]
    offers: dict[str, list[tuple[str, str]]]  # tenant -> (offer id, partner org)
    run: str
    ledger: Ledger = field(default_factory=Ledger)

    def run_sync(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)

    def user(self, tenant: str, kind: str) -> str:
        return f"fz{self.run}-{tenant}-{kind}"

    def headers(self, caller: Caller | str, tenant: str | None = None) -> dict[str, str]:
        username = caller if isinstance(caller, str) else caller.username
        headers = {"Authorization": f"Bearer {self.realm.token(username)}"}
        if tenant:
            headers["X-Havn-Tenant"] = tenant
        return headers

    async def graphql(
        self, caller: Caller | str, query: str, variables: dict[str, Any], tenant: str | None = None
    ) -> httpx.Response:
        return await self.http.post(
            f"{self.stack.gateway_url}/graphql",
            headers=self.headers(caller, tenant),
            json={"query": query, "variables": variables},
        )

    async def data(self, caller: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = (await self.graphql(caller, query, variables)).json()
        assert not body.get("errors"), body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    async def service(
        self,
        caller: Caller | str,
        service: str,
        method: str,
        path: str,
        tenant: str | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        port = getattr(self.stack.settings, f"{service}_port")
        return await self.http.request(
            method,
            f"http://127.0.0.1:{port}{path}",
            headers=self.headers(caller, tenant),
            **kwargs,
        )


@pytest.fixture(scope="module")
async def world(
    stack: InProcessStack,
    gql: Any,
    app_sessionmaker: async_sessionmaker[AsyncSession],
) -> World:
    """Two municipalities of this run's own, with staff, two partners, agreements and offers."""
    run = uuid.uuid4().hex[:6]
    a, b = await register_fresh_municipalities(gql, run, 2)
    orgs = {f"fz{run}-both": (a, b), f"fz{run}-a-only": (a,)}
    callers = run_callers(run, (a, b), orgs)
    gql.realm.add(callers)
    built = World(
        loop=asyncio.get_running_loop(),
        stack=stack,
        realm=gql.realm,
        http=httpx.AsyncClient(timeout=30),
        sessionmaker=app_sessionmaker,
        tenants=(a, b),
        foreign="4601",
        callers=callers,
        offers={a: [], b: []},
        run=run,
    )
    for number in (a, b):
        for kind in ("contact", "contact2"):
            # a contact person has used Havn before anyone can assign them a child
            seen = await built.service(built.user(number, kind), "care", "GET", "/v1/caseload")
            assert seen.status_code == 200, seen.text
    today = stack.clock.today()
    for org, org_tenants in orgs.items():
        for tenant in org_tenants:
            organiser = built.user(tenant, "volunteers")
            await built.data(
                organiser,
                REGISTER_PARTNER,
                {"input": {"slug": org, "name": f"Fuzz {org}", "kind": "NGO"}},
            )
            await built.data(
                organiser,
                CREATE_AGREEMENT,
                {
                    "input": {
                        "partnerSlug": org,
                        "scope": "Leisure",
                        "validFrom": (today - timedelta(days=1)).isoformat(),
                    }
                },
            )
            offer = await built.data(
                organiser,
                CREATE_OFFER,
                {
                    "input": {
                        "partnerSlug": org,
                        "title": "Football",
                        "tags": ["football"],
                        "capacity": 10_000,
                    }
                },
            )
            built.offers[tenant].append((offer["createOffer"]["id"], org))
    return built


# --- what the machine does --------------------------------------------------------------------

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


class IsolationMachine(RuleBasedStateMachine):
    """Makes records as their owners and probes them as everyone else."""

    world: World

    def __init__(self) -> None:
        super().__init__()
        self.today = self.world.stack.clock.today().isoformat()

    @property
    def ledger(self) -> Ledger:
        return self.world.ledger

    def _owner(self, tenant_pick: int, kind: str) -> tuple[str, str]:
        tenant = self.world.tenants[tenant_pick % 2]
        return tenant, self.world.user(tenant, kind)

    def _child(self, pick: int) -> tuple[str, ChildRecord] | None:
        if not self.ledger.children:
            return None
        ids = list(self.ledger.children)
        child_id = ids[pick % len(ids)]
        return child_id, self.ledger.children[child_id]

    # --- making records, as their owners ---------------------------------------------------

    def _refer(self, tenant: str) -> tuple[str, str]:
        name = f"Fz{self.world.run}n{uuid.uuid4().hex[:10]}"
        birth = date.fromisoformat(self.today) - timedelta(days=16 * 365)
        data = self.world.run_sync(
            self.world.data(
                ALLOCATOR,
                CREATE_REFERRAL,
                {
                    "input": {
                        "municipality": tenant,
                        "fullName": f"Ida {name}",
                        "dateOfBirth": birth.isoformat(),
                        "sex": "F",
                        "nationality": "AF",
                        "languages": ["prs"],
                        "respondBy": self.today,
                    }
                },
            )
        )
        return data["createReferral"]["id"], name

    @rule(tenant_pick=st.integers(0, 1))
    def refer_minor(self, tenant_pick: int) -> None:
        tenant = self.world.tenants[tenant_pick]
        referral, name = self._refer(tenant)
        self.ledger.pending[referral] = ReferralRecord(tenant, name)
        self.ledger.markers |= {referral: ("referral", referral), name: ("name", referral)}

    @rule(tenant_pick=st.integers(0, 1))
    def settle_child(self, tenant_pick: int) -> None:
        tenant, coordinator = self._owner(tenant_pick, "coordinator")
        referral, name = self._refer(tenant)
        world = self.world
        world.run_sync(world.data(coordinator, ACCEPT, {"id": referral, "on": self.today}))
        child = world.run_sync(world.data(coordinator, ARRIVE, {"id": referral, "on": self.today}))[
            "registerArrival"
        ]["id"]
        secret = f"Fz{world.run}s{uuid.uuid4().hex[:10]}"
        self.ledger.children[child] = ChildRecord(tenant, referral, name, secret)
        self.ledger.markers |= {
            child: ("id", child),
            referral: ("referral", child),
            name: ("name", child),
            secret: ("secret", child),
        }

    def _as_owner(self, caller: str, query: str, variables: dict[str, Any]) -> bool:
        """Runs an owner's mutation; False where the service has not heard of the child yet."""
        body = self.world.run_sync(self.world.graphql(caller, query, variables)).json()
        codes = {error["extensions"]["code"] for error in body.get("errors", [])}
        # the child reaches care and community by an event: until then it is not found there
        if not codes <= {"NOT_FOUND"}:
            self.ledger.violations.append(f"{query.split('(')[0]} as {caller}: {body}")
        return not codes

    @rule(pick=st.integers(0, 10**6), second=st.booleans())
    def assign_contact_person(self, pick: int, second: bool) -> None:
        found = self._child(pick)
        if found is None or found[1].contact is not None:
            return
        child_id, child = found
        who = self.world.user(child.tenant, "contact2" if second else "contact")
        if self._as_owner(
            self.world.user(child.tenant, "caseworker"), ASSIGN, {"id": child_id, "who": who}
        ):
            child.contact = who

    @rule(pick=st.integers(0, 10**6), assessment=st.booleans())
    def write_confidential(self, pick: int, assessment: bool) -> None:
        found = self._child(pick)
        if found is None:
            return
        child_id, child = found
        caseworker = self.world.user(child.tenant, "caseworker")
        if assessment:
            self._as_owner(caseworker, ASSESS, {"id": child_id, "notes": f"Calm. {child.secret}"})
        else:
            self._as_owner(caseworker, NOTE, {"id": child_id, "text": f"Met. {child.secret}"})

    @rule(pick=st.integers(0, 10**6), offer_pick=st.integers(0, 1))
    def enrol_with_partner(self, pick: int, offer_pick: int) -> None:
        found = self._child(pick)
        if found is None:
            return
        child_id, child = found
        offers = self.world.offers[child.tenant]
        offer, org = offers[offer_pick % len(offers)]
        body = self.world.run_sync(
            self.world.graphql(
                self.world.user(child.tenant, "volunteers"),
                ENROL,
                {"child": child_id, "offer": offer, "consent": True},
            )
        ).json()
        codes = {error["extensions"]["code"] for error in body.get("errors", [])}
        # not heard of yet, or already enrolled in that offer
        if not codes <= {"NOT_FOUND", "CONFLICT"}:
            self.ledger.violations.append(f"enrol: {body}")
        if not codes:
            child.partners[body["data"]["enrol"]["id"]] = org

    @rule(pick=st.integers(0, 10**6))
    def end_enrolment(self, pick: int) -> None:
        enrolled = [(c, e) for c in self.ledger.children.values() for e in c.partners]
        if not enrolled:
            return
        child, enrolment = enrolled[pick % len(enrolled)]
        organiser = self.world.user(child.tenant, "volunteers")
        assert self._as_owner(organiser, END_ENROLMENT, {"id": enrolment})
        del child.partners[enrolment]

    # --- probing, as everyone ----------------------------------------------------------------

    def _acting_tenant(self, caller: Caller, pick: int) -> str | None:
        """The municipality a call acts in: the caller's own, or (as a partner may choose)
        one of its municipalities, or one it has none in (which must be refused)."""
        if caller.role == "partner":
            options = [*caller.tenants, self.world.foreign, *self.world.tenants]
            return options[pick % len(options)]
        return caller.tenants[0] if caller.tenants else None

    def _check(self, caller: Caller, tenant: str | None, answer: str, probe: str) -> set[str]:
        """Records a violation for every marker the caller may not see; returns the children
        whose data the answer shows."""
        if caller.role == "partner" and tenant not in caller.tenants:
            tenant = None  # a header outside its municipalities buys it nothing
        shown: set[str] = set()
        for marker in set(MARKER.findall(answer)):
            owner = self.ledger.markers.get(marker)
            if owner is None:
                continue
            what, record_id = owner
            child = self.ledger.children.get(record_id)
            if child is not None:
                allowed = may_see_child(caller, tenant, child, what)
                whose = f"a child of {child.tenant}"
                if allowed and what in {"id", "name"}:
                    shown.add(record_id)
                self.ledger.sightings[caller.role] += allowed
            else:
                referral = self.ledger.pending[record_id]
                allowed = may_see_referral(caller, tenant, referral, what)
                whose = f"a referral to {referral.tenant}"
            if not allowed:
                self.ledger.violations.append(
                    f"{caller.username} (as {caller.role} in {tenant}) saw the {what} of "
                    f"{whose} through {probe}"
                )
        return shown

    def _variables(self, pick: int) -> dict[str, Any]:
        found = self._child(pick)
        pending = list(self.ledger.pending)
        child_id = found[0] if found else str(uuid.uuid4())
        referral = (
            found[1].referral
            if found and pick % 2
            else (pending[pick % len(pending)] if pending else str(uuid.uuid4()))
        )
        return {"id": child_id, "referral": referral, "name": f"Fz{self.world.run}"}

    def _last_log_ids(self, tenants: tuple[str, ...]) -> dict[str, int]:
        async def last() -> dict[str, int]:
            ids = {}
            for tenant in tenants:
                async with scoped_transaction(self.world.sessionmaker, tenant=tenant) as session:
                    ids[tenant] = await session.scalar(select(func.max(access_log.c.id))) or 0
            return ids

        return self.world.run_sync(last())

    def _check_logged(
        self, caller: Caller, since: dict[str, int], shown: set[str], probe: str
    ) -> None:
        """Every child whose data the answer showed has a new access-log entry by the caller."""

        async def logged() -> set[str]:
            found: set[str] = set()
            for tenant, last in since.items():
                async with scoped_transaction(self.world.sessionmaker, tenant=tenant) as session:
                    rows = await session.scalars(
                        select(access_log.c.child_id).where(
                            access_log.c.id > last, access_log.c.actor == caller.username
                        )
                    )
                    found |= {str(child) for child in rows}
            return found

        self.ledger.logs_checked += 1
        for child in shown - self.world.run_sync(logged()):
            self.ledger.violations.append(
                f"{caller.username} read a child of {self.ledger.children[child].tenant} "
                f"through {probe} and the access log has no entry of it"
            )

    def _outsider(self, pick: int) -> Caller:
        """A caller who may see nothing of the records of the first of the run's municipalities:
        the other one's staff, the partner only it has, the directorate, the platform admin."""
        outsiders = [
            c
            for c in self.world.callers
            if self.world.tenants[0] not in c.tenants or c.role == "partner"
        ]
        return outsiders[pick % len(outsiders)]

    @rule(
        caller_pick=st.integers(0, 10**6),
        tenant_pick=st.integers(0, 10**6),
        read=st.sampled_from(sorted(GATEWAY_READS)),
        pick=st.integers(0, 10**6),
        sample_log=st.integers(0, 9),
    )
    def probe_gateway(
        self, caller_pick: int, tenant_pick: int, read: str, pick: int, sample_log: int
    ) -> None:
        caller = self.world.callers[caller_pick % len(self.world.callers)]
        self._read_through_gateway(caller, tenant_pick, read, pick, sample_log == 0)

    @rule(
        caller_pick=st.integers(0, 10**6),
        tenant_pick=st.integers(0, 10**6),
        read=st.sampled_from(sorted(GATEWAY_READS)),
        pick=st.integers(0, 10**6),
    )
    def probe_gateway_as_outsider(
        self, caller_pick: int, tenant_pick: int, read: str, pick: int
    ) -> None:
        self._read_through_gateway(self._outsider(caller_pick), tenant_pick, read, pick, False)

    @rule(
        caller_pick=st.integers(0, 10**6),
        tenant_pick=st.integers(0, 10**6),
        route=st.sampled_from(SERVICE_READS),
        sample_log=st.integers(0, 9),
    )
    def probe_service(
        self, caller_pick: int, tenant_pick: int, route: tuple[str, str, str], sample_log: int
    ) -> None:
        caller = self.world.callers[caller_pick % len(self.world.callers)]
        self._read_from_service(caller, tenant_pick, route, sample_log == 0)

    @rule(
        caller_pick=st.integers(0, 10**6),
        tenant_pick=st.integers(0, 10**6),
        route=st.sampled_from(SERVICE_READS),
    )
    def probe_service_as_outsider(
        self, caller_pick: int, tenant_pick: int, route: tuple[str, str, str]
    ) -> None:
        self._read_from_service(self._outsider(caller_pick), tenant_pick, route, False)

    @rule(
        partner_pick=st.integers(0, 1),
        tenant_pick=st.integers(0, 10**6),
        read=st.sampled_from(PARTNER_READS),
        sample_log=st.integers(0, 9),
    )
    def probe_as_partner(
        self, partner_pick: int, tenant_pick: int, read: str | tuple[str, str, str], sample_log: int
    ) -> None:
        """A partner reads where it may see children: only those its grants cover, now."""
        partners = [c for c in self.world.callers if c.role == "partner"]
        partner = partners[partner_pick % len(partners)]
        if isinstance(read, str):
            self._read_through_gateway(partner, tenant_pick, read, 0, sample_log == 0)
        else:
            self._read_from_service(partner, tenant_pick, read, sample_log == 0)

    def _read_through_gateway(
        self, caller: Caller, tenant_pick: int, read: str, pick: int, sample_log: bool
    ) -> None:
        tenant = self._acting_tenant(caller, tenant_pick)
        query = GATEWAY_READS[read]
        variables = {
            name: value for name, value in self._variables(pick).items() if f"${name}" in query
        }
        self._probe(
            caller,
            tenant,
            f"gateway {read}",
            sample_log and read in READS_OF_CHILD_DATA,
            self.world.graphql(
                caller, query, variables, tenant if caller.role == "partner" else None
            ),
        )

    def _read_from_service(
        self, caller: Caller, tenant_pick: int, route: tuple[str, str, str], sample_log: bool
    ) -> None:
        tenant = self._acting_tenant(caller, tenant_pick)
        service, method, path = route
        children = list(self.ledger.children)[-200:]
        kwargs: dict[str, Any]
        if method == "GET":
            kwargs = {"params": {"first": 500}}
        else:
            enrolments = [e for c in self.ledger.children.values() for e in c.partners][-200:]
            referrals = [c.referral for c in self.ledger.children.values()][-100:]
            referrals += list(self.ledger.pending)[-100:]
            kwargs = {
                "json": {
                    "child_ids": children,
                    "ids": children if path == "/v1/children/batch" else referrals,
                    "enrolment_ids": enrolments,
                    "first": 50,
                }
            }
        self._probe(
            caller,
            tenant,
            f"{service} {method} {path}",
            sample_log and route in READS_OF_CHILD_DATA,
            self.world.service(
                caller,
                service,
                method,
                path,
                tenant if caller.role == "partner" else None,
                **kwargs,
            ),
        )

    def _probe(
        self,
        caller: Caller,
        tenant: str | None,
        probe: str,
        check_log: bool,
        request: Coroutine[Any, Any, httpx.Response],
    ) -> None:
        since = self._last_log_ids(self.world.tenants) if check_log else None
        response = self.world.run_sync(request)
        self.ledger.probes += 1
        if response.status_code >= 500:
            self.ledger.violations.append(f"{probe} answered {response.status_code} to {caller}")
        shown = self._check(caller, tenant, response.text, probe)
        if since is not None:
            self._check_logged(caller, since, shown, probe)

    @invariant()
    def count_step(self) -> None:
        # Violations are gathered, not raised: the stack's data outlives each example, so
        # hypothesis could not replay one to shrink it; each names its caller and route.
        self.ledger.checks += 1

    def teardown(self) -> None:
        # invariants run once before the first step, then after each
        self.ledger.steps += self.ledger.checks - 1
        self.ledger.checks = 0


def test_no_caller_ever_gets_records_it_may_not_see(world: World) -> None:
    # given two fresh municipalities, their staff and two partners, and a machine making
    # records as their owners and probing them as every other caller
    IsolationMachine.world = world
    ledger = world.ledger

    # when it runs its steps (hypothesis may end a run early: runs follow until all are done)
    while ledger.steps < STEPS:
        run_state_machine_as_test(
            IsolationMachine,
            settings=settings(
                max_examples=max(1, (STEPS - ledger.steps) // STEPS_PER_RUN),
                stateful_step_count=STEPS_PER_RUN,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            ),
        )

    # then no probe saw what it may not, and reads were probed and logged enough
    print(
        f"\nisolation fuzz: {ledger.steps} steps, {ledger.probes} probes, "
        f"{len(ledger.children)} children, rightful sightings {dict(ledger.sightings)}, "
        f"{ledger.logs_checked} access-log samples, "
        f"{len(ledger.violations)} violations"
    )
    assert ledger.violations == [], "\n".join(sorted(set(ledger.violations)))
    assert ledger.logs_checked > 0
    assert {"caseworker", "contact-person", "partner"} <= {
        role for role, count in ledger.sightings.items() if count
    }
