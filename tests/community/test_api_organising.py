"""Community's organising: partners, offers, volunteer matches and funding, as their roles may."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from havn.auth import Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import Conflict, Forbidden
from services.community.api import enrolments as enrolment_routes
from services.community.api import partners as partner_routes
from services.community.domain.volunteers import police_certificate_is_valid
from services.community.models import Match, Offer
from services.community.schemas.enrolments import EnrolIn
from services.community.schemas.funding import FundingDecisionIn, FundingIn, FundingTotalsOut
from services.community.schemas.matches import MatchIn
from services.community.schemas.offers import OfferIn
from services.community.schemas.partners import PartnerIn
from services.community.schemas.volunteers import PoliceCertificateLimitIn, VolunteerIn
from services.community.service import funding, matches, offers, partners, settings, volunteers
from tests.community.support import count, partner_user, partner_with_offer, settled_child, staff
from tests.factories import ASKER, BERGEN, fresh_tenant
from tests.routes import routed


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
