"""The demo data `make run` seeds shows every phase, seeded into a fresh database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from cli.seed import seed_demo
from cli.stack import InProcessStack, bus_permissions
from havn.clock import Clock
from havn.db import migrate
from havn.embedded import EmbeddedNats, EmbeddedPostgres
from tests.client import GraphQLClient
from tests.waiting import eventually


@pytest.fixture(scope="module")
async def demo(
    postgres_server: EmbeddedPostgres, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GraphQLClient]:
    """A stack of its own (its own database and NATS: no other test's data or consumers),
    seeded once as `make run` seeds it."""
    database = await postgres_server.provision("havn_demo_seed")
    await migrate(database.owner)
    nats = EmbeddedNats(
        tmp_path_factory.mktemp("demo-nats") / "jetstream",
        sync_always=False,
        permissions=bus_permissions(),
    )
    nats.start()
    stack = InProcessStack(
        database=database,
        nats_url=nats.url,
        nats_credentials_dir=nats.credentials_dir,
        data_dir=tmp_path_factory.mktemp("demo"),
    )
    await stack.start()
    try:
        assert await seed_demo(stack.settings, stack.clock) is True
        yield GraphQLClient(stack)
    finally:
        await stack.stop()
        nats.stop()


CASELOAD = """{ children(first: 100) { edges { node {
  id fullName phase settledOn
  care { contactPerson assessmentOverdue nextAssessmentDue carePlanStatus }
  transition { phase aftercare { dueOn status overdue } plan { open goals { domain } }
               outcomes { milestoneYears status } }
} } } }"""
REFERRALS = """{ referrals(first: 100) { edges { node {
  status overdue carePlaceReserved readyForArrival preparation { kind done }
  minor { fullName }
} } } }"""


async def by_name(demo: GraphQLClient, query: str) -> dict[str, Any]:
    data = await demo("bergen-caseworker", query)
    root = next(iter(data.values()))
    return {
        (edge["node"].get("minor") or edge["node"])["fullName"]: edge["node"]
        for edge in root["edges"]
    }


async def test_the_demo_has_a_pending_an_overdue_and_a_referral_in_preparation(demo):
    referrals = await by_name(demo, REFERRALS)
    assert referrals["Mohammed Nuur"]["status"] == "PENDING"
    assert referrals["Mohammed Nuur"]["overdue"] is False
    assert referrals["Samir Haidari"]["status"] == "PENDING"
    assert referrals["Samir Haidari"]["overdue"] is True
    layla = referrals["Layla Haddad"]
    assert layla["status"] == "ACCEPTED" and layla["carePlaceReserved"] is True
    assert {t["kind"] for t in layla["preparation"] if t["done"]} == {"HOUSING", "GUARDIAN"}
    assert any(not t["done"] for t in layla["preparation"])


async def test_the_demo_has_children_in_care_with_assessments_due_and_overdue(demo):
    children = await eventually(
        lambda: by_name(demo, CASELOAD),
        until=lambda c: c["Hana Ahmed"]["care"]["nextAssessmentDue"] is not None,
    )
    yonas, amina, hana = (children[n] for n in ("Yonas Tesfay", "Amina Rahimi", "Hana Ahmed"))
    assert {yonas["phase"], amina["phase"], hana["phase"]} == {"CARE"}
    assert yonas["care"]["assessmentOverdue"] is False
    assert amina["care"]["assessmentOverdue"] is True
    assert amina["care"]["carePlanStatus"] == "APPROVED"
    assert hana["care"]["assessmentOverdue"] is False
    assert date.fromisoformat(hana["care"]["nextAssessmentDue"]) > Clock().today()
    assert amina["care"]["contactPerson"] == hana["care"]["contactPerson"] == "bergen-contact"


async def test_the_demo_has_a_17_year_old_with_a_plan_an_18_year_old_due_a_decision_and_outcomes(
    demo,
):
    children = await eventually(
        lambda: by_name(demo, CASELOAD),
        until=lambda c: c["Ali Rezaei"]["phase"] == "TRANSITION",
    )
    sara, ali, omar = (children[n] for n in ("Sara Haile", "Ali Rezaei", "Omar Yusuf"))
    assert sara["phase"] == "TRANSITION"
    assert sara["transition"]["plan"]["open"] is True
    assert {g["domain"] for g in sara["transition"]["plan"]["goals"]} == {"HOUSING", "EDUCATION"}
    aftercare = ali["transition"]["aftercare"]
    assert aftercare["status"] is None
    assert date.fromisoformat(aftercare["dueOn"]) < Clock().today()
    assert {(o["milestoneYears"], o["status"]) for o in omar["transition"]["outcomes"]} == {
        (1, "INTRODUCTION_PROGRAMME"),
        (2, "EDUCATION"),
    }


async def test_the_demo_partner_sees_the_enrolled_child_and_the_contact_person_theirs(demo):
    partner = await eventually(
        lambda: demo(
            "sos-partner",
            "{ partnerChildren(first: 10) { edges { node { firstName } } } }",
            tenant="4601",
        ),
        until=lambda data: bool(data["partnerChildren"]["edges"]),
    )
    contact = await demo("bergen-contact", "{ children(first: 10) { totalCount } }")
    assert [e["node"]["firstName"] for e in partner["partnerChildren"]["edges"]] == ["Hana"]
    assert contact["children"]["totalCount"] == 2


async def test_the_demo_is_seeded_once(demo):
    assert await seed_demo(demo.stack.settings, demo.stack.clock) is False
