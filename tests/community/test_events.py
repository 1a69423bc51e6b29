"""What community publishes (through its outbox) and how it follows intake's child events;
the sweep that closes grants whose agreement ended."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from havn.clock import Clock
from havn.db import scoped_transaction
from havn.events.contracts import CONTRACTS, ChildRelocatedV1, ChildUpdatedV1
from havn.events.envelope import Envelope
from services.community.background import close_expired_grants
from services.community.events import follow_relocated_child, project_updated_child
from services.community.models import AccessGrant, Attendance, Child, Enrolment
from services.community.schemas.attendance import AttendanceIn
from services.community.schemas.children import InterestsIn
from services.community.schemas.matches import MatchIn
from services.community.schemas.volunteers import VolunteerIn
from services.community.service import (
    attendance,
    enrolments,
    interests,
    matches,
    partner_children,
    volunteers,
)
from tests.community.support import enrolled_child, partner_user, published, staff
from tests.factories import ASKER, BERGEN


def test_community_publishes_six_versioned_contracts():
    names = {event_type for event_type, _ in CONTRACTS if event_type.startswith("community.")}
    assert names == {
        "community.enrolment.started",
        "community.enrolment.ended",
        "community.match.made",
        "community.match.ended",
        "community.grant.opened",
        "community.grant.closed",
    }


async def test_an_enrolment_publishes_its_start_and_the_grant_and_ending_it_closes_both(
    app_sessionmaker,
):
    # given
    clock = Clock()
    enrolled = await enrolled_child(app_sessionmaker, clock)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        await enrolments.end_enrolment(
            session,
            principal=staff(),
            enrolment_id=enrolled.enrolment_id,
            today=clock.today(),
            now=clock.now(),
        )

    # then
    events = await published(app_sessionmaker, BERGEN, enrolled.child_id)
    assert [event_type for event_type, _ in events] == [
        "community.enrolment.started",
        "community.grant.opened",
        "community.enrolment.ended",
        "community.grant.closed",
    ]
    opened, closed = events[1][1], events[3][1]
    assert (opened["org"], opened["scope"], opened["source"]) == (
        enrolled.slug,
        "basic",
        "enrolment",
    )
    assert (closed["grant_id"], closed["org"], closed["reason"]) == (
        opened["grant_id"],
        enrolled.slug,
        "enrolment ended",
    )


async def test_a_match_publishes_match_made_and_a_grant_for_the_volunteers_partner(
    app_sessionmaker,
):
    # given a mentor with a fresh police certificate
    clock = Clock()
    enrolled = await enrolled_child(app_sessionmaker, clock)
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        volunteer, _ = await volunteers.register_volunteer(
            session,
            principal=staff(),
            body=VolunteerIn(
                partner_slug=enrolled.slug,
                kind="MENTOR",
                name="Kari Nordmann",
                police_certificate_checked_on=clock.today() - timedelta(days=30),
            ),
            today=clock.today(),
        )

    # when the child is matched, and the match ends
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        match, _ = await matches.match_volunteer(
            session,
            principal=staff(),
            body=MatchIn(child_id=enrolled.child_id, volunteer_id=volunteer.id, consent_given=True),
            today=clock.today(),
            now=clock.now(),
        )
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        await matches.end_match(
            session, principal=staff(), match_id=match.id, today=clock.today(), now=clock.now()
        )

    # then
    kinds = [
        event_type for event_type, _ in await published(app_sessionmaker, BERGEN, enrolled.child_id)
    ]
    assert kinds[2:] == [
        "community.match.made",
        "community.grant.opened",
        "community.match.ended",
        "community.grant.closed",
    ]


async def test_the_sweep_closes_grants_whose_agreement_ended_and_says_so(app_sessionmaker):
    # given an enrolment under an agreement ending tomorrow
    clock = Clock()
    enrolled = await enrolled_child(
        app_sessionmaker, clock, valid_to=clock.today() + timedelta(days=1)
    )

    # when the sweep runs on the day after the agreement's last day
    await close_expired_grants(app_sessionmaker, Clock(clock.offset + timedelta(days=2)))

    # then the grant is closed, and grant.closed is published
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        grant = await session.scalar(
            select(AccessGrant).where(AccessGrant.child_id == enrolled.child_id)
        )
    assert grant is not None and grant.close_reason == "agreement expired"
    closed = [
        data
        for event_type, data in await published(app_sessionmaker, BERGEN, enrolled.child_id)
        if event_type == "community.grant.closed"
    ]
    assert [data["reason"] for data in closed] == ["agreement expired"]


async def test_the_sweep_leaves_grants_within_their_agreement_open(app_sessionmaker):
    clock = Clock()
    enrolled = await enrolled_child(
        app_sessionmaker, clock, valid_to=clock.today() + timedelta(days=1)
    )
    await close_expired_grants(app_sessionmaker, Clock(clock.offset + timedelta(days=1)))
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        grant = await session.scalar(
            select(AccessGrant).where(AccessGrant.child_id == enrolled.child_id)
        )
    assert grant is not None and grant.closed_at is None


def updated(child_id: uuid.UUID, **changes: object) -> Envelope:
    data = ChildUpdatedV1(
        child_id=child_id,
        first_name="Aminah",
        full_name="Aminah Rahimi",
        date_of_birth=date(2010, 6, 1),
        date_of_birth_estimated=True,
        sex="F",
        nationality="AF",
        languages=["prs", "en", "nb"],
        care_arrangement="GROUP_HOME",
    ).model_dump(mode="json")
    data.update(changes)
    return Envelope(
        type=ChildUpdatedV1.event_type,
        version=1,
        tenant=BERGEN,
        actor="bergen-caseworker",
        data=data,
    )


async def test_a_child_update_changes_the_basic_facts_and_keeps_the_interests(app_sessionmaker):
    # given a child who told us what it likes
    clock = Clock()
    enrolled = await enrolled_child(app_sessionmaker, clock)
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        await interests.set_child_interests(
            session,
            principal=staff(),
            child_id=enrolled.child_id,
            body=InterestsIn(interests=["chess"]),
            today=clock.today(),
        )

    # when intake says the child's record changed
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        await project_updated_child(session, updated(enrolled.child_id))

    # then
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        child = await session.get(Child, enrolled.child_id)
    assert child is not None
    assert (child.first_name, child.date_of_birth, child.languages, child.interests) == (
        "Aminah",
        date(2010, 6, 1),
        ["prs", "en", "nb"],
        ["chess"],
    )


def relocated(child_id: uuid.UUID, on: date) -> Envelope:
    return Envelope(
        type=ChildRelocatedV1.event_type,
        version=1,
        tenant=BERGEN,
        actor="bergen-coordinator",
        data=ChildRelocatedV1(
            child_id=child_id, from_tenant=BERGEN, to_tenant=ASKER, relocated_on=on
        ).model_dump(mode="json"),
    )


async def test_a_relocated_child_ends_its_enrolments_closes_grants_and_moves(app_sessionmaker):
    # given a Bergen child enrolled with a partner, with attendance recorded
    clock = Clock()
    enrolled = await enrolled_child(app_sessionmaker, clock)
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        await attendance.record_attendance(
            session,
            principal=partner_user(enrolled.slug),
            enrolment_id=enrolled.enrolment_id,
            body=AttendanceIn(on=clock.today(), present=True),
            today=clock.today(),
            now=clock.now(),
        )

    # when the child moves to Asker (the event is handled in Bergen, where it is published)
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        await follow_relocated_child(session, relocated(enrolled.child_id, clock.today()))

    # then Bergen keeps nothing, Asker has the child, its ended enrolment and closed grant
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        assert await session.get(Child, enrolled.child_id) is None
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        child = await session.get(Child, enrolled.child_id)
        enrolment = await session.get(Enrolment, enrolled.enrolment_id)
        grant = await session.scalar(
            select(AccessGrant).where(AccessGrant.child_id == enrolled.child_id)
        )
        register = await session.scalar(
            select(Attendance).where(Attendance.child_id == enrolled.child_id)
        )
    assert child is not None and child.tenant_id == ASKER
    assert enrolment is not None and enrolment.ended_on == clock.today()
    assert grant is not None and grant.close_reason == "child relocated"
    assert register is not None
    kinds = [e for e, _ in await published(app_sessionmaker, BERGEN, enrolled.child_id)]
    assert kinds[-2:] == ["community.enrolment.ended", "community.grant.closed"]

    # and the partner sees the child in neither municipality
    for tenant in (BERGEN, ASKER):
        async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
            answer = await partner_children.partner_children_by_ids(
                session,
                principal=partner_user(enrolled.slug, tenant),
                ids=[enrolled.child_id],
                today=clock.today(),
            )
        assert answer == []


async def test_a_relocation_event_naming_another_tenants_child_changes_nothing(app_sessionmaker):
    # given a Bergen child
    clock = Clock()
    enrolled = await enrolled_child(app_sessionmaker, clock)

    # when an Asker-published relocation names it
    envelope = relocated(enrolled.child_id, clock.today()).model_copy(update={"tenant": ASKER})
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        await follow_relocated_child(session, envelope)

    # then it is still Bergen's, enrolled
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        enrolment = await session.get(Enrolment, enrolled.enrolment_id)
    assert enrolment is not None and enrolment.ended_on is None
