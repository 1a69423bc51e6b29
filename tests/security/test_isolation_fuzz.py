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
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cli.stack import InProcessStack
from tests.community.support import CREATE_AGREEMENT, CREATE_OFFER, REGISTER_PARTNER
from tests.security.fresh_realm import register_fresh_municipalities, run_callers
from tests.security.isolation_machine import IsolationMachine
from tests.security.isolation_world import World

STEPS = int(os.environ.get("HAVN_FUZZ_STEPS", "2000"))
STEPS_PER_RUN = 60


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
