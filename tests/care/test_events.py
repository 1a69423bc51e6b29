"""Care's consumers against PostgreSQL: a relocated child's care moves to the receiving
municipality, an updated identity reaches the projection; and care's contracts."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import func, select

from havn.db import scoped_transaction
from havn.events.contracts import CONTRACTS, ChildRelocatedV1, ChildUpdatedV1
from havn.events.envelope import Envelope
from services.care.events import (
    SUBSCRIPTIONS,
    follow_child_identity,
    hand_over_relocated_child,
    open_care_for_settled_child,
)
from services.care.models import (
    Assessment,
    CarePlan,
    CarePlanVersion,
    Child,
    FollowUpNote,
    HealthScreening,
    Meeting,
)
from tests.care.factories import follow_up_notes
from tests.factories import ASKER, BERGEN, child_settled

CARE_TABLES: tuple[Any, ...] = (
    Child,
    CarePlan,
    CarePlanVersion,
    Assessment,
    FollowUpNote,
    HealthScreening,
    Meeting,
)


async def settle(sessionmaker, envelope: Envelope) -> uuid.UUID:
    async with scoped_transaction(sessionmaker, tenant=envelope.tenant) as session:
        await open_care_for_settled_child(session, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def rows_of(sessionmaker, tenant: str, child_id: uuid.UUID) -> list[int]:
    """How many rows of each care table name the child, as `tenant` sees them."""
    counts: list[int] = []
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        for table in CARE_TABLES:
            column = Child.id if table is Child else table.child_id
            query = select(func.count()).select_from(table).where(column == child_id)
            counts.append(int(await session.scalar(query) or 0))
    return counts


def envelope_of(contract, tenant: str) -> Envelope:
    return Envelope(
        type=contract.event_type,
        version=contract.version,
        tenant=tenant,
        actor="bergen-coordinator",
        data=contract.model_dump(mode="json"),
    )


async def test_a_relocated_childs_whole_care_record_moves_and_its_contact_person_stays_behind(
    app_sessionmaker,
):
    # given a Bergen child with a contact person and a row in every part of care
    child_id = await settle(app_sessionmaker, child_settled(tenant=BERGEN))
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        child = await session.get(Child, child_id)
        assert child is not None
        child.contact_person = "bergen-contact"
        session.add_all(
            [
                CarePlanVersion(
                    tenant_id=BERGEN,
                    child_id=child_id,
                    version=1,
                    approved_by="bergen-caseworker",
                    approved_at=func.now(),
                    snapshot={"goals": [], "childs_own_words": "I like Bergen"},
                    changes=["first approved version"],
                ),
                Assessment(
                    tenant_id=BERGEN,
                    child_id=child_id,
                    assessed_on=date(2026, 11, 10),
                    scores=[{"domain": "health", "score": 3}],
                    childs_own_words="Fine",
                    notes=None,
                    next_due_on=date(2027, 5, 10),
                ),
                *follow_up_notes(child_id, 2),
                HealthScreening(
                    tenant_id=BERGEN,
                    child_id=child_id,
                    kind="TB",
                    screened_on=date(2026, 11, 5),
                    findings=None,
                    recorded_by="bergen-caseworker",
                ),
                Meeting(
                    tenant_id=BERGEN,
                    child_id=child_id,
                    held_on=date(2026, 11, 6),
                    purpose="Welcome",
                    language="prs",
                    interpreter_name="Farid Ahmadi",
                    interpreter_qualified=True,
                    interpreter_missing=False,
                    recorded_by="bergen-caseworker",
                ),
            ]
        )

    # when intake's relocation event is handled, in the tenant it was sent from
    relocated = ChildRelocatedV1(
        child_id=child_id, from_tenant=BERGEN, to_tenant=ASKER, relocated_on=date(2027, 1, 4)
    )
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        await hand_over_relocated_child(session, envelope_of(relocated, BERGEN))

    # then Asker holds every row, Bergen none, and no Bergen user follows the child in Asker
    assert await rows_of(app_sessionmaker, ASKER, child_id) == [1, 1, 1, 1, 2, 1, 1]
    assert await rows_of(app_sessionmaker, BERGEN, child_id) == [0] * len(CARE_TABLES)
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        moved = await session.get(Child, child_id)
    assert moved is not None and moved.contact_person is None


async def test_an_updated_identity_reaches_the_projection(app_sessionmaker):
    # given
    child_id = await settle(app_sessionmaker, child_settled(tenant=BERGEN))
    updated = ChildUpdatedV1(
        child_id=child_id,
        first_name="Aminah",
        full_name="Aminah Rahimi",
        date_of_birth=date(2010, 6, 1),
        date_of_birth_estimated=True,
        sex="F",
        nationality="AF",
        languages=["prs", "nb"],
        care_arrangement="GROUP_HOME",
    )

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        await follow_child_identity(session, envelope_of(updated, BERGEN))

    # then
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        child = await session.get(Child, child_id)
    assert child is not None
    assert (child.first_name, child.full_name, child.date_of_birth, child.languages) == (
        "Aminah",
        "Aminah Rahimi",
        date(2010, 6, 1),
        ["prs", "nb"],
    )


def test_care_consumes_intakes_child_events_and_transitions_milestones_and_aftercare():
    # when / then
    assert {s.subject for s in SUBSCRIPTIONS} == {
        "havn.intake.child.settled.*",
        "havn.intake.child.updated.*",
        "havn.intake.child.relocated.*",
        "havn.transition.milestone.reached.*",
        "havn.transition.aftercare.decided.*",
    }


def test_care_publishes_its_four_contracts_under_its_own_name():
    # when / then
    assert {event_type for event_type, version in CONTRACTS if event_type.startswith("care.")} == {
        "care.contactperson.assigned",
        "care.contactperson.unassigned",
        "care.careplan.approved",
        "care.assessment.recorded",
    }
