"""Community's use cases called with a caller and a tenant-bound transaction (and its routes,
where the permission they declare is the rule): roles, the partner's grant checked in the
service, bad input that writes nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from havn.audit import access_log
from havn.auth import Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.community.api import enrolments as enrolment_routes
from services.community.api import partners as partner_routes
from services.community.domain.volunteers import police_certificate_is_valid
from services.community.models import AccessGrant, Attendance, Enrolment, Match, Offer
from services.community.schemas.attendance import AttendanceIn
from services.community.schemas.children import ChildCommunityOut, InterestsIn, PartnerChildOut
from services.community.schemas.enrolments import EnrolIn
from services.community.schemas.funding import FundingDecisionIn, FundingIn, FundingTotalsOut
from services.community.schemas.matches import MatchIn
from services.community.schemas.offers import OfferIn
from services.community.schemas.partners import PartnerIn
from services.community.schemas.volunteers import PoliceCertificateLimitIn, VolunteerIn
from services.community.service import (
    attendance,
    children,
    enrolments,
    funding,
    interests,
    matches,
    offers,
    partner_children,
    partners,
    settings,
    suggestions,
    volunteers,
)
from tests.community.support import (
    enrol_child,
    enrolled_child,
    partner_user,
    partner_with_offer,
    settled_child,
    staff,
)
from tests.factories import ASKER, BERGEN, fresh_tenant
from tests.routes import routed


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


async def count(sessionmaker, model, *conditions, tenant: str = BERGEN) -> int:
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        return await session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


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


async def test_an_enrolment_without_consent_writes_nothing(app_sessionmaker):
    # given
    clock = Clock()
    child_id = await settled_child(app_sessionmaker)
    _, offer_id = await partner_with_offer(app_sessionmaker, clock)

    # when
    with pytest.raises(InvalidInput) as refused:
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            await enrolments.enrol(
                session,
                principal=staff(),
                body=EnrolIn(child_id=child_id, offer_id=offer_id, consent_given=False),
                today=clock.today(),
                now=clock.now(),
            )

    # then
    assert refused.value.field == "consent_given"
    assert await count(app_sessionmaker, Enrolment, Enrolment.child_id == child_id) == 0
    assert await count(app_sessionmaker, AccessGrant, AccessGrant.child_id == child_id) == 0


async def test_an_unknown_offer_is_bad_input_and_a_full_one_a_conflict(app_sessionmaker):
    # given an offer with one place, taken
    clock = Clock()
    enrolled = await enrolled_child(app_sessionmaker, clock, capacity=1)
    child_id = await settled_child(app_sessionmaker)

    # when / then
    with pytest.raises(InvalidInput) as unknown:
        await enrol_child(app_sessionmaker, clock, child_id, uuid.uuid4())
    assert unknown.value.field == "offer_id"
    with pytest.raises(Conflict, match="full"):
        await enrol_child(app_sessionmaker, clock, child_id, enrolled.offer_id)
    assert await count(app_sessionmaker, Enrolment, Enrolment.child_id == child_id) == 0


async def test_an_offer_whose_agreement_expired_takes_no_enrolment(app_sessionmaker):
    # given an offer under an agreement ending today
    clock = Clock()
    _, offer_id = await partner_with_offer(app_sessionmaker, clock, valid_to=clock.today())
    child_id = await settled_child(app_sessionmaker)

    # when tomorrow comes
    tomorrow = Clock(clock.offset + timedelta(days=1))

    # then
    with pytest.raises(Conflict, match="no active agreement"):
        await enrol_child(app_sessionmaker, tomorrow, child_id, offer_id)
    assert await count(app_sessionmaker, Enrolment, Enrolment.child_id == child_id) == 0


async def test_a_volunteer_without_a_valid_certificate_is_not_matched(app_sessionmaker):
    # given a volunteer whose certificate is four years old
    clock = Clock()
    slug, _ = await partner_with_offer(app_sessionmaker, clock)
    child_id = await settled_child(app_sessionmaker)
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        volunteer, _ = await volunteers.register_volunteer(
            session,
            principal=staff(),
            body=VolunteerIn(
                partner_slug=slug,
                kind="MENTOR",
                name="Ola Nordmann",
                police_certificate_checked_on=clock.today() - timedelta(days=4 * 365),
            ),
            today=clock.today(),
        )

    # when / then
    with pytest.raises(Conflict, match="police certificate"):
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            await matches.match_volunteer(
                session,
                principal=staff(),
                body=MatchIn(child_id=child_id, volunteer_id=volunteer.id, consent_given=True),
                today=clock.today(),
                now=clock.now(),
            )
    assert await count(app_sessionmaker, Match, Match.child_id == child_id) == 0


async def test_a_stricter_municipal_limit_makes_a_certificate_invalid(app_sessionmaker):
    # given a municipality asks for certificates at most 12 months old, and a volunteer
    # checked 18 ago (its own municipality: the limit is the whole municipality's)
    clock, town = Clock(), fresh_tenant()
    slug, _ = await partner_with_offer(app_sessionmaker, clock, tenant=town)
    async with scoped_transaction(app_sessionmaker, tenant=town) as session:
        await settings.set_police_certificate_limit(
            session,
            principal=staff(Role.MUNICIPALITY_ADMIN, town),
            body=PoliceCertificateLimitIn(months=12),
        )
        volunteer, limit = await volunteers.register_volunteer(
            session,
            principal=staff(tenant=town),
            body=VolunteerIn(
                partner_slug=slug,
                kind="SUPPORT_FAMILY",
                name="Familien Hansen",
                police_certificate_checked_on=clock.today() - timedelta(days=18 * 30),
            ),
            today=clock.today(),
        )

    # then
    assert limit == 12
    assert not police_certificate_is_valid(volunteer, today=clock.today(), limit_months=limit)


async def test_a_partner_cannot_record_another_partners_attendance(app_sessionmaker):
    # given an enrolment in another partner's offer
    clock = Clock()
    theirs = await enrolled_child(app_sessionmaker, clock)
    ours = await enrolled_child(app_sessionmaker, clock)

    # when our partner tries to keep their register
    with pytest.raises(NotFound):
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            await attendance.record_attendance(
                session,
                principal=partner_user(ours.slug),
                enrolment_id=theirs.enrolment_id,
                body=AttendanceIn(on=clock.today(), present=True),
                today=clock.today(),
                now=clock.now(),
            )

    # then nothing is written
    assert (
        await count(app_sessionmaker, Attendance, Attendance.enrolment_id == theirs.enrolment_id)
        == 0
    )


async def test_a_partner_records_attendance_in_its_own_offer_once_a_day(app_sessionmaker):
    # given
    clock = Clock()
    ours = await enrolled_child(app_sessionmaker, clock)
    day = AttendanceIn(on=clock.today(), present=True)

    async def record() -> Attendance:
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            return await attendance.record_attendance(
                session,
                principal=partner_user(ours.slug),
                enrolment_id=ours.enrolment_id,
                body=day,
                today=clock.today(),
                now=clock.now(),
            )

    # when
    row = await record()

    # then
    assert (row.present, row.recorded_org) == (True, ours.slug)
    with pytest.raises(Conflict, match="already recorded"):
        await record()


@pytest.mark.parametrize(
    ("route", "arguments"),
    [
        (partner_routes.register_partner, (PartnerIn(slug="x", name="x", kind="NGO"),)),
        (
            enrolment_routes.enrol,
            (EnrolIn(child_id=uuid.uuid4(), offer_id=uuid.uuid4(), consent_given=True),),
        ),
        (enrolment_routes.end_enrolment, (uuid.uuid4(),)),
    ],
)
async def test_a_partner_may_not_organise_the_municipalitys_community_work(
    app_sessionmaker, route, arguments
):
    clock = Clock()
    with pytest.raises(Forbidden):
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            extra = (clock,) if route is not partner_routes.register_partner else ()
            await routed(route)(*arguments, partner_user("sos-barnebyer"), session, *extra)


async def test_a_partner_creates_offers_for_its_own_organisation_only(app_sessionmaker):
    # given two partners with agreements
    clock = Clock()
    ours, _ = await partner_with_offer(app_sessionmaker, clock)
    theirs, _ = await partner_with_offer(app_sessionmaker, clock)
    offer = OfferIn(partner_slug=theirs, title="Chess", tags=["chess"], capacity=5)

    async def create(body: OfferIn) -> Offer:
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            return await offers.create_offer(
                session, principal=partner_user(ours), body=body, today=clock.today()
            )

    # when / then
    with pytest.raises(Forbidden):
        await create(offer)
    own = await create(offer.model_copy(update={"partner_slug": ours}))
    assert own.partner.slug == ours


async def test_a_partner_is_registered_once_and_shared_by_municipalities(app_sessionmaker):
    # given Bergen registered a partner
    clock = Clock()
    slug, _ = await partner_with_offer(app_sessionmaker, clock)

    # when Asker registers the same slug
    async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
        again = await partners.register_partner(
            session,
            principal=staff(tenant=ASKER),
            body=PartnerIn(slug=slug, name="Another name", kind="SPORTS_CLUB"),
        )
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        first = await partners.partner_named(session, slug)

    # then it is the same partner, and a different kind is a conflict
    assert again.id == first.id and again.name == first.name
    with pytest.raises(Conflict):
        async with scoped_transaction(app_sessionmaker, tenant=ASKER) as session:
            await partners.register_partner(
                session,
                principal=staff(tenant=ASKER),
                body=PartnerIn(slug=slug, name="x", kind="LIBRARY"),
            )


async def test_funding_totals_are_per_municipality(app_sessionmaker):
    # given a municipality of the test's own applies twice and one is granted in part
    clock, town = Clock(), fresh_tenant()
    coordinator = staff(tenant=town)
    today = clock.today()
    async with scoped_transaction(app_sessionmaker, tenant=town) as session:
        granted = await funding.apply_for_funding(
            session,
            principal=coordinator,
            body=FundingIn(
                foundation="Gjensidigestiftelsen",
                purpose="Football kits",
                amount_nok=100_000,
                applied_on=today,
            ),
            today=today,
        )
        await funding.apply_for_funding(
            session,
            principal=coordinator,
            body=FundingIn(
                foundation="Sparebankstiftelsen",
                purpose="Summer camp",
                amount_nok=40_000,
                applied_on=today,
            ),
            today=today,
        )
        await funding.decide_funding(
            session,
            principal=coordinator,
            application_id=granted.id,
            body=FundingDecisionIn(status="GRANTED", decision_on=today, granted_nok=60_000),
            today=today,
        )

    # when
    async with scoped_transaction(app_sessionmaker, tenant=town) as session:
        after = FundingTotalsOut.of(*await funding.funding_totals(session, principal=coordinator))

    # then
    assert (after.applications, after.applied_nok, after.granted_nok, after.pending_nok) == (
        2,
        140_000,
        60_000,
        40_000,
    )
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        bergen = await funding.list_funding_applications(
            session, status=None, first=200, after=None
        )
    assert granted.id not in [item.id for item in bergen.items]


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
