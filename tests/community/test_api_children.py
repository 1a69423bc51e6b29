"""Community's child reads and interests as each role and partner grant allows, and logged."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from havn.audit import access_log
from havn.auth import Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import NotFound
from services.community.models import AccessGrant
from services.community.schemas.children import ChildCommunityOut, InterestsIn, PartnerChildOut
from services.community.service import (
    children,
    enrolments,
    interests,
    partner_children,
    suggestions,
)
from tests.community.support import (
    count,
    enrol_child,
    enrolled_child,
    partner_user,
    partner_with_offer,
    settled_child,
    staff,
)
from tests.factories import ASKER, BERGEN


async def logged(sessionmaker, child_id: uuid.UUID, tenant: str = BERGEN):
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        rows = await session.execute(
            select(
                access_log.c.actor,
                access_log.c.org,
                access_log.c.action,
                access_log.c.data_class,
                access_log.c.operation,
            ).where(access_log.c.child_id == child_id)
        )
        return [tuple(row) for row in rows]


@pytest.mark.parametrize(
    "role",
    [
        Role.SETTLEMENT_COORDINATOR,
        Role.CASEWORKER,
        Role.VOLUNTEER_COORDINATOR,
        Role.MUNICIPALITY_ADMIN,
    ],
)
async def test_municipal_staff_see_interests_and_enrolments_and_the_read_is_logged_basic(
    app_sessionmaker, role
):
    # given
    clock = Clock()
    enrolled = await enrolled_child(app_sessionmaker, clock)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = await children.children_in_community(
            session,
            principal=staff(role),
            child_ids=[enrolled.child_id, uuid.uuid4()],
            today=clock.today(),
        )

    # then
    (child,) = answer.children
    assert (child.id, child.interests) == (enrolled.child_id, [])
    (enrolment,) = child.enrolments
    assert (enrolment.child_id, enrolment.ended_on) == (enrolled.child_id, None)
    assert enrolment.offer is not None and enrolment.offer.partner.slug == enrolled.slug
    assert answer.enrolled[enrolment.offer_id] == 1
    assert (staff(role).username, None, "read", "basic", "community.read") in await logged(
        app_sessionmaker, enrolled.child_id
    )


@pytest.mark.parametrize(
    "role", [Role.CONTACT_PERSON, Role.DIRECTORATE_ALLOCATOR, Role.PLATFORM_ADMIN]
)
async def test_contact_persons_and_non_municipal_roles_get_no_children(app_sessionmaker, role):
    # given
    clock = Clock()
    enrolled = await enrolled_child(app_sessionmaker, clock)
    before = await logged(app_sessionmaker, enrolled.child_id)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = await children.children_in_community(
            session, principal=staff(role), child_ids=[enrolled.child_id], today=clock.today()
        )

    # then
    assert answer.children == []
    assert await logged(app_sessionmaker, enrolled.child_id) == before


async def test_a_partner_sees_only_children_its_grants_cover_and_only_its_own_enrolments(
    app_sessionmaker,
):
    # given a child enrolled with two partners, and a child enrolled with neither
    clock = Clock()
    ours = await enrolled_child(app_sessionmaker, clock)
    _, other_offer = await partner_with_offer(app_sessionmaker, clock)
    await enrol_child(app_sessionmaker, clock, ours.child_id, other_offer)
    stranger = await settled_child(app_sessionmaker)

    # when the first partner asks for both children, in both ways
    today = clock.today()
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        profiles = await partner_children.partner_children_by_ids(
            session, principal=partner_user(ours.slug), ids=[ours.child_id, stranger], today=today
        )
        community = await children.children_in_community(
            session,
            principal=partner_user(ours.slug),
            child_ids=[ours.child_id, stranger],
            today=today,
        )

    # then it sees the basic profile of its child only, and only its own enrolment
    (profile,) = [PartnerChildOut.of(granted, today) for granted in profiles]
    assert set(profile.model_dump()) == {
        "id",
        "municipality",
        "phase",
        "first_name",
        "age",
        "languages",
        "interests",
        "grant",
    }
    assert (profile.id, profile.first_name, profile.grant.org) == (
        ours.child_id,
        "Amina",
        ours.slug,
    )
    (item,) = [
        ChildCommunityOut.of(child, today, community.enrolled, community.partner, community.visible)
        for child in community.children
    ]
    assert [e.id for e in item.enrolments] == [ours.enrolment_id]
    assert (f"{ours.slug}-partner", ours.slug, "read", "basic", "community.partner.child.read") in (
        await logged(app_sessionmaker, ours.child_id)
    )
    assert await logged(app_sessionmaker, stranger) == []


async def test_a_partner_sees_nothing_of_the_child_in_another_municipality(app_sessionmaker):
    # given a Bergen child enrolled with the partner
    clock = Clock()
    enrolled = await enrolled_child(app_sessionmaker, clock)

    # when the partner asks in Asker
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        answer = await partner_children.partner_children_by_ids(
            session,
            principal=partner_user(enrolled.slug, ASKER),
            ids=[enrolled.child_id],
            today=clock.today(),
        )

    # then
    assert answer == []


async def test_the_grant_is_checked_in_the_service_after_the_agreement_ends(app_sessionmaker):
    # given an enrolment under an agreement ending tomorrow
    clock = Clock()
    enrolled = await enrolled_child(
        app_sessionmaker, clock, valid_to=clock.today() + timedelta(days=1)
    )

    # when the partner asks the day after the agreement's last day (no sweep has run)
    later = Clock(clock.offset + timedelta(days=2))
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = await partner_children.partner_children_by_ids(
            session,
            principal=partner_user(enrolled.slug),
            ids=[enrolled.child_id],
            today=later.today(),
        )

    # then the child is no longer visible
    assert answer == []


async def test_ending_an_enrolment_closes_the_partners_grant_at_once(app_sessionmaker):
    # given
    clock = Clock()
    enrolled = await enrolled_child(app_sessionmaker, clock)

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        ended, _ = await enrolments.end_enrolment(
            session,
            principal=staff(),
            enrolment_id=enrolled.enrolment_id,
            today=clock.today(),
            now=clock.now(),
        )
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        answer = await partner_children.partner_children_by_ids(
            session,
            principal=partner_user(enrolled.slug),
            ids=[enrolled.child_id],
            today=clock.today(),
        )

    # then
    assert ended.ended_on == clock.today()
    assert answer == []
    assert (
        await count(
            app_sessionmaker,
            AccessGrant,
            AccessGrant.child_id == enrolled.child_id,
            AccessGrant.closed_at.is_(None),
        )
        == 0
    )


async def test_suggestions_rank_offers_by_the_childs_interests_with_reasons(app_sessionmaker):
    # given a child who likes climbing, and a climbing offer
    clock = Clock()
    child_id = await settled_child(app_sessionmaker)
    tag = f"climbing-{uuid.uuid4().hex[:6]}"
    _, offer_id = await partner_with_offer(app_sessionmaker, clock, tags=[tag], languages=["prs"])
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        await interests.set_child_interests(
            session,
            principal=staff(),
            child_id=child_id,
            body=InterestsIn(interests=[tag.upper()]),
            today=clock.today(),
        )

    # when
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        found = await suggestions.suggestions_for_child(
            session, principal=staff(), child_id=child_id, first=50, today=clock.today()
        )

    # then the climbing offer comes first with both reasons
    best = found.offers[0]
    assert (best.item.id, best.score) == (offer_id, 2)
    assert best.reasons == [
        f"shares the child's interests: {tag}",
        "in the child's languages: prs",
    ]
    assert (staff().username, None, "write", "basic", "community.interests.set") in await logged(
        app_sessionmaker, child_id
    )


async def test_a_child_in_another_municipality_is_not_found(app_sessionmaker):
    clock = Clock()
    child_id = await settled_child(app_sessionmaker, BERGEN)
    with pytest.raises(NotFound):
        async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
            await interests.set_child_interests(
                session,
                principal=staff(tenant=ASKER),
                child_id=child_id,
                body=InterestsIn(interests=["chess"]),
                today=clock.today(),
            )
