"""Internal REST routes of the community service (/v1), called by the gateway with a token.

Municipal staff work in their municipality; partner users (role `partner`, claim `org`)
see their own organisation's offers, enrolments, volunteers and attendance, and a child's
basic profile only while a grant to their organisation is in force in the chosen tenant.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date, datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from havn import permissions
from havn.audit import Action, record_access
from havn.auth import DataClass, Principal, Role
from havn.dates import EventDate
from havn.errors import Conflict, Forbidden, InvalidInput, NotFound
from havn.http import ChildIdsIn, IdsIn, ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.numbers import Int32
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions import require_tenant
from havn.permissions.route import permitted
from havn.reach import EVERY_CHILD, Reach
from havn.text import Line, OneLine, Paragraphs, PersonName
from services.community import domain, events, policy, repository
from services.community.models import (
    AccessGrant,
    Agreement,
    Attendance,
    Child,
    Enrolment,
    FundingApplication,
    Match,
    Offer,
    Partner,
    Volunteer,
)

SERVICE = "community"
T = TypeVar("T")
router = APIRouter(
    prefix="/v1",
    route_class=IdempotentRoute,
    dependencies=[Depends(policy.NOTE_OPENED_CHILDREN)],
)

MAX_SUGGESTIONS = 50

PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


def is_partner(principal: Principal) -> bool:
    """A partner user acting for its organisation (and holding no municipal role)."""
    return principal.has_role(Role.PARTNER) and not principal.is_municipal


def staff_or_partner_reach(principal: Principal) -> Reach:
    """A partner lists its own organisation's records (children shown per grant); staff the
    children they reach."""
    return EVERY_CHILD if is_partner(principal) else policy.child_reach(principal)


async def callers_partner(session: UnitOfWork, principal: Principal) -> Partner | None:
    """The organisation a partner user acts for; None when it is not registered (sees nothing)."""
    if not principal.org:
        return None
    return await repository.get_partner_by_slug(session, principal.org)


async def partner_named(session: UnitOfWork, slug: str, field: str = "partnerSlug") -> Partner:
    partner = await repository.get_partner_by_slug(session, slug.strip().lower())
    if partner is None:
        raise InvalidInput(f"no partner is registered as '{slug}'", field=field)
    return partner


async def police_certificate_limit(session: UnitOfWork) -> int:
    settings = await repository.get_settings(session)
    return (
        settings.police_certificate_months if settings else domain.DEFAULT_POLICE_CERTIFICATE_MONTHS
    )


# --- wire models --------------------------------------------------------------------------


class PartnerIn(BaseModel):
    slug: Annotated[str, OneLine(60)]
    name: Line
    kind: Annotated[str, OneLine(24)]


class PartnerOut(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    kind: str


class AgreementIn(BaseModel):
    partner_slug: Annotated[str, OneLine(60)]
    scope: Annotated[str, Paragraphs(2000)]
    valid_from: EventDate
    valid_to: EventDate | None = None


class AgreementOut(BaseModel):
    id: uuid.UUID
    municipality: str
    partner: PartnerOut
    scope: str
    valid_from: date
    valid_to: date | None
    active: bool


class OfferIn(BaseModel):
    partner_slug: Annotated[str, OneLine(60)]
    title: Line
    kind: Annotated[str, OneLine(24)] = domain.OfferKind.LEISURE.value
    tags: list[Line] = Field(max_length=domain.MAX_WORDS)
    languages: list[Line] = Field(default_factory=list, max_length=20)
    capacity: Int32
    schedule: Annotated[str, OneLine(500)] | None = None


class OfferOut(BaseModel):
    id: uuid.UUID
    municipality: str
    kind: str
    title: str
    partner: PartnerOut
    tags: list[str]
    languages: list[str]
    capacity: int
    enrolled: int
    free_places: int
    schedule: str | None


class VolunteerIn(BaseModel):
    partner_slug: Annotated[str, OneLine(60)]
    kind: Annotated[str, OneLine(24)]
    name: PersonName
    languages: list[Line] = Field(default_factory=list, max_length=20)
    interests: list[Line] = Field(default_factory=list, max_length=domain.MAX_WORDS)
    police_certificate_checked_on: EventDate | None = None


class PoliceCertificateIn(BaseModel):
    checked_on: EventDate


class VolunteerOut(BaseModel):
    id: uuid.UUID
    kind: str
    name: str
    partner: PartnerOut
    languages: list[str]
    interests: list[str]
    police_certificate_checked_on: date | None
    police_certificate_valid: bool
    police_certificate_valid_until: date | None


class InterestsIn(BaseModel):
    interests: list[Line] = Field(max_length=domain.MAX_WORDS)


class EnrolIn(BaseModel):
    child_id: uuid.UUID
    offer_id: uuid.UUID
    consent_given: bool


class MatchIn(BaseModel):
    child_id: uuid.UUID
    volunteer_id: uuid.UUID
    consent_given: bool


class EnrolmentOut(BaseModel):
    id: uuid.UUID
    # null for a partner once its grant to the child is no longer in force
    child_id: uuid.UUID | None
    offer_id: uuid.UUID
    # null where the offer stayed in the municipality the child moved from
    offer: OfferOut | None
    started_on: date
    ended_on: date | None
    active: bool


class MatchOut(BaseModel):
    id: uuid.UUID
    child_id: uuid.UUID | None
    volunteer: VolunteerOut | None
    started_on: date
    ended_on: date | None
    active: bool


class ChildCommunityOut(BaseModel):
    child_id: uuid.UUID
    interests: list[str]
    enrolments: list[EnrolmentOut]


class GrantRef(BaseModel):
    """The grant a partner's view of a child rests on: the gateway checks it again."""

    org: str
    scope: str
    expires_on: date | None


class PartnerChildOut(BaseModel):
    """A child's basic profile, as a partner with a grant sees it: nothing more."""

    id: uuid.UUID
    municipality: str
    phase: str
    first_name: str
    age: int
    languages: list[str]
    interests: list[str]
    grant: GrantRef


class AttendanceIn(BaseModel):
    on: EventDate
    present: bool


class AttendanceOut(BaseModel):
    id: uuid.UUID
    enrolment_id: uuid.UUID
    on: date
    present: bool
    recorded_by: str
    recorded_org: str | None


class AttendanceBatchIn(BaseModel):
    enrolment_ids: list[uuid.UUID] = Field(max_length=MAX_PAGE_SIZE)


class EnrolmentAttendanceOut(BaseModel):
    enrolment_id: uuid.UUID
    attendance: list[AttendanceOut]


class SuggestedOfferOut(BaseModel):
    offer: OfferOut
    score: int
    reasons: list[str]


class SuggestedVolunteerOut(BaseModel):
    volunteer: VolunteerOut
    score: int
    reasons: list[str]


class SuggestionsOut(BaseModel):
    child_id: uuid.UUID
    offers: list[SuggestedOfferOut]
    volunteers: list[SuggestedVolunteerOut]


class GrantOut(BaseModel):
    id: uuid.UUID
    child_id: uuid.UUID
    partner: PartnerOut
    scope: str
    source: str
    source_id: uuid.UUID
    opened_at: datetime
    expires_on: date | None
    closed_at: datetime | None
    close_reason: str | None
    effective: bool


class ChildRefOut(BaseModel):
    child_id: uuid.UUID


class PartnerEnrolmentsOut(BaseModel):
    partner: PartnerOut
    active_enrolments: int


class SettingsOut(BaseModel):
    municipality: str
    police_certificate_months: int


class PoliceCertificateLimitIn(BaseModel):
    months: Int32


class FundingIn(BaseModel):
    foundation: Annotated[str, OneLine(200)]
    purpose: Annotated[str, Paragraphs(2000)]
    amount_nok: Int32
    applied_on: EventDate


class FundingDecisionIn(BaseModel):
    status: Annotated[str, OneLine(16)]
    decision_on: EventDate
    granted_nok: Int32 | None = None


class FundingOut(BaseModel):
    id: uuid.UUID
    municipality: str
    foundation: str
    purpose: str
    amount_nok: int
    status: str
    applied_on: date
    decision_on: date | None
    granted_nok: int | None


class FundingTotalsOut(BaseModel):
    municipality: str
    applications: int
    applied_nok: int
    pending_nok: int
    granted_nok: int
    rejected_nok: int


# --- presenters ---------------------------------------------------------------------------


def present_partner(partner: Partner) -> PartnerOut:
    return PartnerOut(id=partner.id, slug=partner.slug, name=partner.name, kind=partner.kind)


def present_agreement(agreement: Agreement, today: date) -> AgreementOut:
    return AgreementOut(
        id=agreement.id,
        municipality=agreement.tenant_id,
        partner=present_partner(agreement.partner),
        scope=agreement.scope,
        valid_from=agreement.valid_from,
        valid_to=agreement.valid_to,
        active=domain.agreement_is_active(agreement, today=today),
    )


def present_offer(offer: Offer, enrolled: dict[uuid.UUID, int]) -> OfferOut:
    taken = enrolled.get(offer.id, 0)
    return OfferOut(
        id=offer.id,
        municipality=offer.tenant_id,
        kind=offer.kind,
        title=offer.title,
        partner=present_partner(offer.partner),
        tags=offer.tags,
        languages=offer.languages,
        capacity=offer.capacity,
        enrolled=taken,
        free_places=max(offer.capacity - taken, 0),
        schedule=offer.schedule,
    )


def present_volunteer(volunteer: Volunteer, *, today: date, limit_months: int) -> VolunteerOut:
    return VolunteerOut(
        id=volunteer.id,
        kind=volunteer.kind,
        name=volunteer.name,
        partner=present_partner(volunteer.partner),
        languages=volunteer.languages,
        interests=volunteer.interests,
        police_certificate_checked_on=volunteer.police_certificate_checked_on,
        police_certificate_valid=domain.police_certificate_is_valid(
            volunteer, today=today, limit_months=limit_months
        ),
        police_certificate_valid_until=(
            domain.police_certificate_valid_until(checked_on, limit_months=limit_months)
            if (checked_on := volunteer.police_certificate_checked_on)
            else None
        ),
    )


def present_enrolment(
    enrolment: Enrolment,
    today: date,
    enrolled: dict[uuid.UUID, int],
    visible_children: Collection[uuid.UUID] | None = None,
) -> EnrolmentOut:
    """`visible_children`: for a partner, the children its grants let it see (others null)."""
    shown = visible_children is None or enrolment.child_id in visible_children
    return EnrolmentOut(
        id=enrolment.id,
        child_id=enrolment.child_id if shown else None,
        offer_id=enrolment.offer_id,
        offer=present_offer(enrolment.offer, enrolled) if enrolment.offer else None,
        started_on=enrolment.started_on,
        ended_on=enrolment.ended_on,
        active=domain.enrolment_is_active(enrolment=enrolment, today=today),
    )


def present_match(
    match: Match,
    *,
    today: date,
    limit_months: int,
    visible_children: Collection[uuid.UUID] | None = None,
) -> MatchOut:
    shown = visible_children is None or match.child_id in visible_children
    return MatchOut(
        id=match.id,
        child_id=match.child_id if shown else None,
        volunteer=present_volunteer(match.volunteer, today=today, limit_months=limit_months)
        if match.volunteer
        else None,
        started_on=match.started_on,
        ended_on=match.ended_on,
        active=domain.match_is_active(match=match, today=today),
    )


def present_attendance(row: Attendance) -> AttendanceOut:
    return AttendanceOut(
        id=row.id,
        enrolment_id=row.enrolment_id,
        on=row.attended_on,
        present=row.present,
        recorded_by=row.recorded_by,
        recorded_org=row.recorded_org,
    )


def present_grant(grant: AccessGrant, today: date) -> GrantOut:
    return GrantOut(
        id=grant.id,
        child_id=grant.child_id,
        partner=present_partner(grant.partner),
        scope=grant.scope,
        source=grant.source,
        source_id=grant.source_id,
        opened_at=grant.opened_at,
        expires_on=grant.expires_on,
        closed_at=grant.closed_at,
        close_reason=grant.close_reason,
        effective=domain.grant_is_effective(grant, today=today),
    )


def present_partner_child(
    child: Child, partner: Partner, today: date, expires_on: date | None
) -> PartnerChildOut:
    return PartnerChildOut(
        id=child.id,
        municipality=child.tenant_id,
        # Community does not follow the child's phase; partners work with children in care.
        phase="CARE",
        first_name=child.first_name,
        age=domain.age_on(child.date_of_birth, today),
        languages=child.languages,
        interests=child.interests,
        grant=GrantRef(org=partner.slug, scope=domain.GRANT_SCOPE, expires_on=expires_on),
    )


def present_funding(application: FundingApplication) -> FundingOut:
    return FundingOut(
        id=application.id,
        municipality=application.tenant_id,
        foundation=application.foundation,
        purpose=application.purpose,
        amount_nok=application.amount_nok,
        status=application.status,
        applied_on=application.applied_on,
        decision_on=application.decision_on,
        granted_nok=application.granted_nok,
    )


async def log_child_access(
    session: UnitOfWork,
    principal: Principal,
    child_ids: list[uuid.UUID],
    *,
    action: Action,
    operation: str,
) -> None:
    """Community's child data is basic-class; every read or write of it is logged."""
    await record_access(
        session,
        principal,
        service=SERVICE,
        child_ids=child_ids,
        data_class=DataClass.BASIC,
        action=action,
        operation=operation,
    )


# --- partners and agreements -------------------------------------------------------------


@router.get("/partners")
async def list_partners(
    principal: Annotated[Principal, permitted(permissions.community.CATALOGUE_READ)],
    session: UnitOfWork,
    first: PageSize = 50,
    after: str | None = None,
) -> Page[PartnerOut]:
    """Every partner organisation on the platform (shared by all municipalities)."""
    page = await repository.list_partners(session, first=first, after=after)
    return page.map(present_partner)


@router.post("/partners", status_code=201)
async def register_partner(
    body: PartnerIn,
    principal: Annotated[Principal, permitted(permissions.community.PARTNER_REGISTER)],
    session: UnitOfWork,
) -> PartnerOut:
    """Registers a partner, or returns it when another municipality already did."""
    tenant = require_tenant(principal)
    new = domain.register_partner(slug=body.slug, name=body.name, kind=body.kind)
    partner = await repository.add_partner_if_new(session, new)
    if partner.id != new.id:
        domain.check_same_partner(partner, kind=body.kind)
    await repository.note_municipality(session, tenant)
    return present_partner(partner)


@router.get("/agreements")
async def list_agreements(
    principal: Annotated[Principal, permitted(permissions.community.CATALOGUE_READ)],
    session: UnitOfWork,
    clock: Today,
    first: PageSize = 50,
    after: str | None = None,
) -> Page[AgreementOut]:
    """The municipality's agreements; a partner sees its own."""
    partner_id = None
    if is_partner(principal):
        partner = await callers_partner(session, principal)
        if partner is None:
            return Page[AgreementOut].empty()
        partner_id = partner.id
    page = await repository.list_agreements(
        session, partner_id=partner_id, first=first, after=after
    )
    today = clock.today()
    return page.map(lambda agreement: present_agreement(agreement, today))


@router.post("/agreements", status_code=201)
async def create_agreement(
    body: AgreementIn,
    principal: Annotated[Principal, permitted(permissions.community.AGREEMENT_MAKE)],
    session: UnitOfWork,
    clock: Today,
) -> AgreementOut:
    """A partnership agreement between the caller's municipality and a partner."""
    tenant = require_tenant(principal)
    partner = await partner_named(session, body.partner_slug)
    agreement = domain.open_agreement(
        tenant_id=tenant,
        partner=partner,
        scope=body.scope,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
    )
    agreement.partner = partner
    session.add(agreement)
    await repository.note_municipality(session, tenant)
    await session.flush()
    return present_agreement(agreement, clock.today())


# --- offers ----------------------------------------------------------------------------------


@router.get("/offers")
async def list_offers(
    principal: Annotated[Principal, permitted(permissions.community.CATALOGUE_READ)],
    session: UnitOfWork,
    clock: Today,
    kind: str | None = None,
    first: PageSize = 50,
    after: str | None = None,
) -> Page[OfferOut]:
    """The municipality's offers, newest first; a partner sees its own organisation's."""
    partner_id = None
    if is_partner(principal):
        partner = await callers_partner(session, principal)
        if partner is None:
            return Page[OfferOut].empty()
        partner_id = partner.id
    checked_kind = domain.parse_kind(domain.OfferKind, kind).value if kind else None
    page = await repository.list_offers(
        session, partner_id=partner_id, kind=checked_kind, first=first, after=after
    )
    enrolled = await repository.active_enrolment_counts(
        session, [offer.id for offer in page.items], today=clock.today()
    )
    return page.map(lambda offer: present_offer(offer, enrolled))


@router.post("/offers", status_code=201)
async def create_offer(
    body: OfferIn,
    principal: Annotated[Principal, permitted(permissions.community.OFFER_CREATE)],
    session: UnitOfWork,
    clock: Today,
) -> OfferOut:
    """A partner's offer in the municipality; it needs an agreement in force today.

    A partner user may create offers for its own organisation only.
    """
    tenant = require_tenant(principal)
    partner = await partner_named(session, body.partner_slug)
    if is_partner(principal) and partner.slug != principal.org:
        raise Forbidden("a partner may create offers for its own organisation only")
    new = domain.NewOffer(
        kind=body.kind,
        title=body.title,
        tags=body.tags,
        languages=body.languages,
        capacity=body.capacity,
        schedule=body.schedule,
    )
    offer = domain.create_offer(tenant_id=tenant, partner=partner, new=new)
    domain.active_agreement(
        await repository.agreements_with(session, partner.id), partner=partner, today=clock.today()
    )
    offer.partner = partner
    session.add(offer)
    await session.flush()
    return present_offer(offer, {})


# --- volunteers ------------------------------------------------------------------------------


@router.get("/volunteers")
async def list_volunteers(
    principal: Annotated[Principal, permitted(permissions.community.VOLUNTEERS_READ)],
    session: UnitOfWork,
    clock: Today,
    first: PageSize = 50,
    after: str | None = None,
) -> Page[VolunteerOut]:
    """The municipality's volunteers; a partner sees its own organisation's."""
    partner_id = None
    if is_partner(principal):
        partner = await callers_partner(session, principal)
        if partner is None:
            return Page[VolunteerOut].empty()
        partner_id = partner.id
    page = await repository.list_volunteers(
        session, partner_id=partner_id, first=first, after=after
    )
    limit, today = await police_certificate_limit(session), clock.today()
    return page.map(lambda v: present_volunteer(v, today=today, limit_months=limit))


@router.post("/volunteers", status_code=201)
async def register_volunteer(
    body: VolunteerIn,
    principal: Annotated[Principal, permitted(permissions.community.VOLUNTEER_REGISTER)],
    session: UnitOfWork,
    clock: Today,
) -> VolunteerOut:
    tenant = require_tenant(principal)
    partner = await partner_named(session, body.partner_slug)
    today = clock.today()
    volunteer = domain.register_volunteer(
        tenant_id=tenant,
        partner=partner,
        new=domain.NewVolunteer(
            kind=body.kind,
            name=body.name,
            languages=body.languages,
            interests=body.interests,
            police_certificate_checked_on=body.police_certificate_checked_on,
        ),
        today=today,
    )
    volunteer.partner = partner
    session.add(volunteer)
    await session.flush()
    limit = await police_certificate_limit(session)
    return present_volunteer(volunteer, today=today, limit_months=limit)


@router.post("/volunteers/{volunteer_id}/police-certificate")
async def record_police_certificate(
    volunteer_id: uuid.UUID,
    body: PoliceCertificateIn,
    principal: Annotated[Principal, permitted(permissions.community.POLICE_CERTIFICATE_RECORD)],
    session: UnitOfWork,
    clock: Today,
) -> VolunteerOut:
    """Records the day a volunteer's police certificate (politiattest) was checked."""
    volunteer = await repository.get_volunteer(session, volunteer_id, for_update=True)
    if volunteer is None:
        raise NotFound("no such volunteer")
    today = clock.today()
    domain.record_police_certificate(volunteer, checked_on=body.checked_on, today=today)
    await session.flush()
    limit = await police_certificate_limit(session)
    return present_volunteer(volunteer, today=today, limit_months=limit)


@router.get("/settings")
async def read_settings(
    principal: Annotated[Principal, permitted(permissions.community.SETTINGS_READ)],
    session: UnitOfWork,
) -> SettingsOut:
    tenant = require_tenant(principal)
    return SettingsOut(
        municipality=tenant, police_certificate_months=await police_certificate_limit(session)
    )


@router.put("/settings/police-certificate-limit")
async def set_police_certificate_limit(
    body: PoliceCertificateLimitIn,
    principal: Annotated[Principal, permitted(permissions.community.SETTINGS_WRITE)],
    session: UnitOfWork,
) -> SettingsOut:
    """How old a police certificate may be before its volunteer cannot be matched."""
    tenant = require_tenant(principal)
    months = domain.check_police_certificate_limit(body.months)
    await repository.save_police_certificate_limit(session, tenant, months)
    return SettingsOut(municipality=tenant, police_certificate_months=months)


# --- the child's interests and suggestions ---------------------------------------------------


async def staff_child(
    session: UnitOfWork, principal: Principal, child_id: uuid.UUID, *, for_update: bool = False
) -> Child:
    child = await repository.get_child(session, child_id, for_update=for_update)
    if child is None:
        raise NotFound("no such child")
    return child


@router.put("/children/{child_id}/interests")
async def set_child_interests(
    child_id: uuid.UUID,
    body: InterestsIn,
    principal: Annotated[Principal, permitted(permissions.community.INTERESTS_RECORD)],
    session: UnitOfWork,
    clock: Today,
) -> ChildCommunityOut:
    """What the child, asked, says it would like to do (seed 002: ask the youth)."""
    child = await staff_child(session, principal, child_id, for_update=True)
    domain.set_interests(child, interests=body.interests)
    await session.flush()
    await log_child_access(
        session, principal, [child.id], action="write", operation="community.interests.set"
    )
    loaded = list(await repository.children_by_ids(session, [child.id], reach=EVERY_CHILD))
    (out,) = await present_children_for(session, loaded, clock.today(), None, None)
    return out


async def present_children_for(
    session: UnitOfWork,
    children: list[Child],
    today: date,
    partner: Partner | None,
    visible: set[uuid.UUID] | None,
) -> list[ChildCommunityOut]:
    """Children with their enrolments; a partner's view keeps its own organisation's only."""
    offer_ids = list({e.offer_id for child in children for e in child.enrolments})
    enrolled = await repository.active_enrolment_counts(session, offer_ids, today=today)
    return [
        ChildCommunityOut(
            child_id=child.id,
            interests=child.interests,
            enrolments=[
                present_enrolment(enrolment, today, enrolled, visible)
                for enrolment in child.enrolments
                # An offer left behind in the municipality the child moved from is not shown.
                if enrolment.offer is not None
                and (partner is None or enrolment.offer.partner_id == partner.id)
            ],
        )
        for child in children
    ]


@router.get("/children/{child_id}/suggestions")
async def suggestions_for_child(
    child_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.community.SUGGESTIONS_READ)],
    session: UnitOfWork,
    clock: Today,
    first: Annotated[int, Query(ge=1, le=MAX_SUGGESTIONS)] = 10,
) -> SuggestionsOut:
    """Offers and volunteers ranked by the interests and languages they share with the child."""
    child = await staff_child(session, principal, child_id)
    today = clock.today()
    offers = await repository.all_offers(session)
    enrolled = await repository.active_enrolment_counts(
        session, [offer.id for offer in offers], today=today
    )
    limit = await police_certificate_limit(session)
    offer_suggestions = domain.suggest_offers(
        child,
        offers,
        enrolled=enrolled,
        taken=await repository.offers_taken_by(session, child.id, today=today),
    )[:first]
    volunteer_suggestions = domain.suggest_volunteers(
        child,
        await repository.all_volunteers(session),
        taken=await repository.volunteers_matched_with(session, child.id, today=today),
        today=today,
        limit_months=limit,
    )[:first]
    await log_child_access(
        session, principal, [child.id], action="read", operation="community.suggestions"
    )
    return SuggestionsOut(
        child_id=child.id,
        offers=[
            SuggestedOfferOut(
                offer=present_offer(s.item, enrolled), score=s.score, reasons=s.reasons
            )
            for s in offer_suggestions
        ],
        volunteers=[
            SuggestedVolunteerOut(
                volunteer=present_volunteer(s.item, today=today, limit_months=limit),
                score=s.score,
                reasons=s.reasons,
            )
            for s in volunteer_suggestions
        ],
    )


# --- enrolments ------------------------------------------------------------------------------


@router.post("/enrolments", status_code=201)
async def enrol(
    body: EnrolIn,
    principal: Annotated[Principal, permitted(permissions.community.ENROL)],
    session: UnitOfWork,
    clock: Today,
) -> EnrolmentOut:
    """Enrols a child who consented; the offer's partner is granted the basic profile."""
    domain.require_consent(body.consent_given)
    child = await staff_child(session, principal, body.child_id, for_update=True)
    # The offer's row is locked: two enrolments cannot both take its last place.
    offer = await repository.get_offer(session, body.offer_id, for_update=True)
    if offer is None:
        raise InvalidInput("no such offer in your municipality", field="offerId")
    today, now = clock.today(), clock.now()
    agreement = domain.active_agreement(
        await repository.agreements_with(session, offer.partner_id),
        partner=offer.partner,
        today=today,
    )
    counts = await repository.active_enrolment_counts(session, [offer.id], today=today)
    enrolment, grant = domain.enrol(
        child=child,
        offer=offer,
        partner=offer.partner,
        agreement=agreement,
        active_enrolments=counts.get(offer.id, 0),
        already_enrolled=await repository.is_enrolled(
            session, child_id=child.id, offer_id=offer.id, today=today
        ),
        consent_given=body.consent_given,
        by=principal.username,
        today=today,
        now=now,
    )
    enrolment.offer = offer
    session.add(enrolment)
    await session.flush()
    await events.announce_enrolment_started(session, enrolment, offer, actor=principal.username)
    await events.grant_partner_access(session, grant, offer.partner, actor=principal.username)
    await log_child_access(
        session, principal, [child.id], action="write", operation="community.enrol"
    )
    return present_enrolment(enrolment, today, {offer.id: counts.get(offer.id, 0) + 1})


@router.post("/enrolments/{enrolment_id}/end")
async def end_enrolment(
    enrolment_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.community.ENROLMENT_END)],
    session: UnitOfWork,
    clock: Today,
) -> EnrolmentOut:
    """Ends the enrolment today; the partner's grant closes with it."""
    enrolment = await repository.get_enrolment(session, enrolment_id, for_update=True)
    if enrolment is None or enrolment.offer is None:
        raise NotFound("no such enrolment")
    today, now = clock.today(), clock.now()
    domain.end_enrolment(enrolment, today=today)
    await session.flush()
    await events.announce_enrolment_ended(
        session, enrolment, enrolment.offer.partner, reason="ended", actor=principal.username
    )
    await events.revoke_partner_access(
        session,
        await repository.open_grants_for_source(session, enrolment.id),
        now=now,
        reason="enrolment ended",
        actor=principal.username,
    )
    await log_child_access(
        session, principal, [enrolment.child_id], action="write", operation="community.enrol.end"
    )
    counts = await repository.active_enrolment_counts(session, [enrolment.offer_id], today=today)
    return present_enrolment(enrolment, today, counts)


async def visible_children_of_partner(
    session: UnitOfWork, partner: Partner, child_ids: list[uuid.UUID], today: date
) -> dict[uuid.UUID, date | None]:
    """The children a grant to the partner lets it see today, with the day access ends."""
    return await repository.granted_child_ids(
        session,
        partner_id=partner.id,
        child_ids=child_ids,
        scope=domain.GRANT_SCOPE,
        today=today,
    )


@router.get("/enrolments")
async def list_enrolments(
    principal: Annotated[Principal, permitted(permissions.community.ENROLMENTS_READ)],
    session: UnitOfWork,
    clock: Today,
    offer_id: uuid.UUID | None = None,
    active: bool = False,
    first: PageSize = 50,
    after: str | None = None,
) -> Page[EnrolmentOut]:
    """The municipality's enrolments, newest first; a partner sees its own offers' only.

    A partner sees which child an enrolment is for only while its grant is in force.
    """
    today = clock.today()
    partner = await callers_partner(session, principal) if is_partner(principal) else None
    if is_partner(principal) and partner is None:
        return Page[EnrolmentOut].empty()
    page = await repository.list_enrolments(
        session,
        reach=staff_or_partner_reach(principal).listed,
        partner_id=partner.id if partner else None,
        offer_id=offer_id,
        active_on=today if active else None,
        first=first,
        after=after,
    )
    child_ids = [enrolment.child_id for enrolment in page.items]
    visible = (
        await visible_children_of_partner(session, partner, child_ids, today) if partner else None
    )
    await log_child_access(
        session,
        principal,
        [child_id for child_id in child_ids if visible is None or child_id in visible],
        action="read",
        operation="community.enrolments.list",
    )
    enrolled = await repository.active_enrolment_counts(
        session, list({e.offer_id for e in page.items}), today=today
    )
    return page.map(lambda e: present_enrolment(e, today, enrolled, visible))


@router.post("/enrolments/batch")
async def enrolments_by_child_ids(
    body: ChildIdsIn,
    principal: Annotated[Principal, permitted(permissions.community.CHILD_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[ChildCommunityOut]:
    """Many children's interests and enrolments in one call; unseen children are absent.

    A partner gets only children its grants let it see, with its own offers' enrolments.
    """
    today = clock.today()
    partner: Partner | None = None
    child_ids = list(body.child_ids)
    if is_partner(principal):
        partner = await callers_partner(session, principal)
        if partner is None:
            return ItemsOut[ChildCommunityOut](items=[])
        child_ids = list(await visible_children_of_partner(session, partner, child_ids, today))
    reach = staff_or_partner_reach(principal)
    if reach.nobody:
        return ItemsOut[ChildCommunityOut](items=[])
    children = list(await repository.children_by_ids(session, child_ids, reach=reach))
    await log_child_access(
        session,
        principal,
        [child.id for child in children],
        action="read",
        operation="community.read",
    )
    visible = {child.id for child in children} if partner else None
    return ItemsOut[ChildCommunityOut](
        items=await present_children_for(session, children, today, partner, visible)
    )


# --- matches ---------------------------------------------------------------------------------


@router.post("/matches", status_code=201)
async def match_volunteer(
    body: MatchIn,
    principal: Annotated[Principal, permitted(permissions.community.MATCH)],
    session: UnitOfWork,
    clock: Today,
) -> MatchOut:
    """Matches a consenting child with a volunteer whose police certificate is valid."""
    domain.require_consent(body.consent_given)
    child = await staff_child(session, principal, body.child_id, for_update=True)
    volunteer = await repository.get_volunteer(session, body.volunteer_id, for_update=True)
    if volunteer is None:
        raise InvalidInput("no such volunteer in your municipality", field="volunteerId")
    today, now = clock.today(), clock.now()
    agreement = domain.active_agreement(
        await repository.agreements_with(session, volunteer.partner_id),
        partner=volunteer.partner,
        today=today,
    )
    limit = await police_certificate_limit(session)
    match, grant = domain.match_volunteer(
        child=child,
        volunteer=volunteer,
        partner=volunteer.partner,
        agreement=agreement,
        already_matched=volunteer.id
        in await repository.volunteers_matched_with(session, child.id, today=today),
        consent_given=body.consent_given,
        limit_months=limit,
        by=principal.username,
        today=today,
        now=now,
    )
    match.volunteer = volunteer
    session.add(match)
    await session.flush()
    await events.announce_match_made(session, match, volunteer, actor=principal.username)
    await events.grant_partner_access(session, grant, volunteer.partner, actor=principal.username)
    await log_child_access(
        session, principal, [child.id], action="write", operation="community.match"
    )
    return present_match(match, today=today, limit_months=limit)


@router.post("/matches/{match_id}/end")
async def end_match(
    match_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.community.MATCH_END)],
    session: UnitOfWork,
    clock: Today,
) -> MatchOut:
    match = await repository.get_match(session, match_id, for_update=True)
    if match is None or match.volunteer is None:
        raise NotFound("no such match")
    today, now = clock.today(), clock.now()
    domain.end_match(match, today=today)
    await session.flush()
    await events.announce_match_ended(
        session, match, match.volunteer.partner, reason="ended", actor=principal.username
    )
    await events.revoke_partner_access(
        session,
        await repository.open_grants_for_source(session, match.id),
        now=now,
        reason="match ended",
        actor=principal.username,
    )
    await log_child_access(
        session, principal, [match.child_id], action="write", operation="community.match.end"
    )
    return present_match(match, today=today, limit_months=await police_certificate_limit(session))


@router.get("/matches")
async def list_matches(
    principal: Annotated[Principal, permitted(permissions.community.MATCHES_READ)],
    session: UnitOfWork,
    clock: Today,
    child_id: uuid.UUID | None = None,
    first: PageSize = 50,
    after: str | None = None,
) -> Page[MatchOut]:
    """The municipality's matches; a partner sees its own volunteers' (children per grant)."""
    today = clock.today()
    partner = await callers_partner(session, principal) if is_partner(principal) else None
    if is_partner(principal) and partner is None:
        return Page[MatchOut].empty()
    page = await repository.list_matches(
        session,
        reach=EVERY_CHILD if is_partner(principal) else policy.organiser_reach(principal),
        child_id=child_id,
        partner_id=partner.id if partner else None,
        first=first,
        after=after,
    )
    child_ids = [match.child_id for match in page.items]
    visible = (
        await visible_children_of_partner(session, partner, child_ids, today) if partner else None
    )
    await log_child_access(
        session,
        principal,
        [c for c in child_ids if visible is None or c in visible],
        action="read",
        operation="community.matches.list",
    )
    limit = await police_certificate_limit(session)
    return page.map(
        lambda m: present_match(m, today=today, limit_months=limit, visible_children=visible)
    )


# --- attendance ------------------------------------------------------------------------------


async def enrolment_for_attendance(
    session: UnitOfWork, principal: Principal, enrolment_id: uuid.UUID, today: date
) -> Enrolment:
    """The enrolment, if the caller may keep its register: a partner only its own, in force."""
    enrolment = await repository.get_enrolment(session, enrolment_id, for_update=True)
    if enrolment is None or enrolment.offer is None:
        raise NotFound("no such enrolment")
    if is_partner(principal):
        partner = await callers_partner(session, principal)
        own = partner is not None and enrolment.offer.partner_id == partner.id
        if not own or partner is None:
            raise NotFound("no such enrolment among your organisation's offers")
        granted = await visible_children_of_partner(session, partner, [enrolment.child_id], today)
        if enrolment.child_id not in granted:
            raise Conflict("your organisation's access to this child has ended")
    return enrolment


@router.post("/enrolments/{enrolment_id}/attendance", status_code=201)
async def record_attendance(
    enrolment_id: uuid.UUID,
    body: AttendanceIn,
    principal: Annotated[Principal, permitted(permissions.community.ATTENDANCE_RECORD)],
    session: UnitOfWork,
    clock: Today,
) -> AttendanceOut:
    """Whether the child came on a day; a partner keeps the register of its own offers only."""
    today = clock.today()
    enrolment = await enrolment_for_attendance(session, principal, enrolment_id, today)
    if await repository.attendance_exists(session, enrolment.id, body.on):
        raise Conflict(f"attendance for {body.on.isoformat()} is already recorded")
    row = domain.record_attendance(
        enrolment=enrolment,
        attended_on=body.on,
        present=body.present,
        by=principal.username,
        org=principal.org if is_partner(principal) else None,
        today=today,
        now=clock.now(),
    )
    session.add(row)
    await session.flush()
    await log_child_access(
        session,
        principal,
        [enrolment.child_id],
        action="write",
        operation="community.attendance.record",
    )
    return present_attendance(row)


@router.post("/attendance/batch")
async def attendance_by_enrolment_ids(
    body: AttendanceBatchIn,
    principal: Annotated[Principal, permitted(permissions.community.ATTENDANCE_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[EnrolmentAttendanceOut]:
    """Attendance of many enrolments; a partner's own offers only, children per grant."""
    reach = staff_or_partner_reach(principal)
    if reach.nobody:
        return ItemsOut[EnrolmentAttendanceOut](items=[])
    today = clock.today()
    enrolments = await repository.enrolments_by_ids(session, body.enrolment_ids, reach=reach)
    if is_partner(principal):
        partner = await callers_partner(session, principal)
        if partner is None:
            return ItemsOut[EnrolmentAttendanceOut](items=[])
        enrolments = [
            e for e in enrolments if e.offer is not None and e.offer.partner_id == partner.id
        ]
        visible = await visible_children_of_partner(
            session, partner, [e.child_id for e in enrolments], today
        )
        logged = [e.child_id for e in enrolments if e.child_id in visible]
    else:
        logged = [e.child_id for e in enrolments]
    rows = await repository.attendance_for(session, [e.id for e in enrolments])
    await log_child_access(
        session, principal, logged, action="read", operation="community.attendance.read"
    )
    return ItemsOut[EnrolmentAttendanceOut](
        items=[
            EnrolmentAttendanceOut(
                enrolment_id=e.id,
                attendance=[present_attendance(row) for row in rows.get(e.id, [])],
            )
            for e in enrolments
        ]
    )


# --- partners' view of children --------------------------------------------------------------


@router.post("/partner/children/batch")
async def partner_children_by_ids(
    body: IdsIn,
    principal: Annotated[Principal, permitted(permissions.community.PARTNER_VIEW)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[PartnerChildOut]:
    """The basic profile of the children a grant to the caller's organisation lets it see."""
    partner = await callers_partner(session, principal)
    if partner is None:
        return ItemsOut[PartnerChildOut](items=[])
    today = clock.today()
    granted = await visible_children_of_partner(session, partner, list(body.ids), today)
    children = list(await repository.children_by_ids(session, list(granted), reach=EVERY_CHILD))
    await log_child_access(
        session,
        principal,
        [child.id for child in children],
        action="read",
        operation="community.partner.child.read",
    )
    return ItemsOut[PartnerChildOut](
        items=[
            present_partner_child(child, partner, today, granted[child.id]) for child in children
        ]
    )


@router.get("/partner/children")
async def partner_children(
    principal: Annotated[Principal, permitted(permissions.community.PARTNER_VIEW)],
    session: UnitOfWork,
    clock: Today,
    first: PageSize = 50,
    after: str | None = None,
) -> Page[PartnerChildOut]:
    """Every child the caller's organisation may see in the chosen municipality."""
    partner = await callers_partner(session, principal)
    if partner is None:
        return Page[PartnerChildOut].empty()
    today = clock.today()
    page = await repository.granted_children(
        session,
        partner_id=partner.id,
        scope=domain.GRANT_SCOPE,
        today=today,
        first=first,
        after=after,
    )
    await log_child_access(
        session,
        principal,
        [child.id for child in page.items],
        action="read",
        operation="community.partner.child.list",
    )
    granted = await visible_children_of_partner(
        session, partner, [child.id for child in page.items], today
    )
    return page.map(lambda child: present_partner_child(child, partner, today, granted[child.id]))


# --- grants ----------------------------------------------------------------------------------


@router.get("/grants")
async def list_grants(
    principal: Annotated[Principal, permitted(permissions.community.GRANTS_READ)],
    session: UnitOfWork,
    clock: Today,
    child_id: uuid.UUID | None = None,
    first: PageSize = 50,
    after: str | None = None,
) -> Page[GrantOut]:
    """Partners' grants in the municipality, newest first (the admin's oversight)."""
    page = await repository.list_grants(
        session, reach=policy.grant_reach(principal), child_id=child_id, first=first, after=after
    )
    # A grant names the child it opens: listing grants reads which children partners reach.
    await log_child_access(
        session,
        principal,
        [grant.child_id for grant in page.items],
        action="read",
        operation="community.grants.list",
    )
    today = clock.today()
    return page.map(lambda grant: present_grant(grant, today))


# --- the belonging overview ------------------------------------------------------------------


@router.get("/belonging/children-without")
async def children_without_belonging(
    principal: Annotated[Principal, permitted(permissions.community.BELONGING_READ)],
    session: UnitOfWork,
    clock: Today,
    first: PageSize = 50,
    after: str | None = None,
) -> Page[ChildRefOut]:
    """Children with neither an active leisure offer nor a mentor."""
    page = await repository.children_without_belonging(
        session,
        reach=policy.organiser_reach(principal),
        today=clock.today(),
        first=first,
        after=after,
    )
    await log_child_access(
        session,
        principal,
        [child.id for child in page.items],
        action="read",
        operation="community.belonging",
    )
    return page.map(lambda child: ChildRefOut(child_id=child.id))


@router.get("/belonging/partners")
async def enrolments_per_partner(
    principal: Annotated[Principal, permitted(permissions.community.BELONGING_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[PartnerEnrolmentsOut]:
    """Active enrolments per partner with offers in the municipality."""
    rows = await repository.active_enrolments_per_partner(session, today=clock.today())
    return ItemsOut[PartnerEnrolmentsOut](
        items=[
            PartnerEnrolmentsOut(partner=present_partner(partner), active_enrolments=count)
            for partner, count in rows
        ]
    )


@router.get("/belonging/free-offers")
async def offers_with_free_places(
    principal: Annotated[Principal, permitted(permissions.community.BELONGING_READ)],
    session: UnitOfWork,
    clock: Today,
    first: PageSize = 50,
    after: str | None = None,
) -> Page[OfferOut]:
    today = clock.today()
    page = await repository.offers_with_free_places(session, today=today, first=first, after=after)
    enrolled = await repository.active_enrolment_counts(
        session, [offer.id for offer in page.items], today=today
    )
    return page.map(lambda offer: present_offer(offer, enrolled))


# --- funding ---------------------------------------------------------------------------------


@router.post("/funding-applications", status_code=201)
async def apply_for_funding(
    body: FundingIn,
    principal: Annotated[Principal, permitted(permissions.community.FUNDING_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> FundingOut:
    tenant = require_tenant(principal)
    application = domain.apply_for_funding(
        tenant_id=tenant,
        foundation=body.foundation,
        purpose=body.purpose,
        amount_nok=body.amount_nok,
        applied_on=body.applied_on,
        today=clock.today(),
    )
    session.add(application)
    await session.flush()
    return present_funding(application)


@router.post("/funding-applications/{application_id}/decision")
async def decide_funding(
    application_id: uuid.UUID,
    body: FundingDecisionIn,
    principal: Annotated[Principal, permitted(permissions.community.FUNDING_DECIDE)],
    session: UnitOfWork,
    clock: Today,
) -> FundingOut:
    """Records the foundation's decision."""
    application = await repository.get_funding_application(session, application_id)
    if application is None:
        raise NotFound("no such funding application")
    domain.decide_funding(
        application,
        status=body.status,
        decision_on=body.decision_on,
        granted_nok=body.granted_nok,
        today=clock.today(),
    )
    await session.flush()
    return present_funding(application)


@router.get("/funding-applications")
async def list_funding_applications(
    principal: Annotated[Principal, permitted(permissions.community.FUNDING_READ)],
    session: UnitOfWork,
    status: str | None = None,
    first: PageSize = 50,
    after: str | None = None,
) -> Page[FundingOut]:
    checked = (
        domain.parse_kind(domain.FundingStatus, status, field="status").value if status else None
    )
    page = await repository.list_funding_applications(
        session, status=checked, first=first, after=after
    )
    return page.map(present_funding)


@router.get("/funding-applications/totals")
async def funding_totals(
    principal: Annotated[Principal, permitted(permissions.community.FUNDING_READ)],
    session: UnitOfWork,
) -> FundingTotalsOut:
    """The municipality's applications, and kroner applied for, pending, granted, rejected."""
    tenant = require_tenant(principal)
    totals = await repository.funding_totals(session)

    def applied(status: domain.FundingStatus) -> int:
        return totals.get(status.value, (0, 0, 0))[1]

    return FundingTotalsOut(
        municipality=tenant,
        applications=sum(count for count, _, _ in totals.values()),
        applied_nok=sum(amount for _, amount, _ in totals.values()),
        pending_nok=applied(domain.FundingStatus.APPLIED),
        granted_nok=totals.get(domain.FundingStatus.GRANTED.value, (0, 0, 0))[2],
        rejected_nok=applied(domain.FundingStatus.REJECTED),
    )
