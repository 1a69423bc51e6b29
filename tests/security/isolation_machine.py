"""The isolation fuzz's state machine: makes records as their owners, probes them as everyone."""

from __future__ import annotations

import uuid
from collections.abc import Coroutine
from datetime import date, timedelta
from typing import Any

import httpx
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import func, select

from havn.audit import access_log
from havn.db import scoped_transaction
from tests.client import Caller
from tests.community.support import END_ENROLMENT, ENROL
from tests.security.fresh_realm import ALLOCATOR
from tests.security.isolation_ledger import (
    MARKER,
    ChildRecord,
    Ledger,
    ReferralRecord,
    may_see_child,
    may_see_referral,
)
from tests.security.isolation_reads import (
    ACCEPT,
    ARRIVE,
    ASSESS,
    ASSIGN,
    CREATE_REFERRAL,
    GATEWAY_READS,
    NOTE,
    PARTNER_READS,
    READS_OF_CHILD_DATA,
    SERVICE_READS,
)
from tests.security.isolation_world import World


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
