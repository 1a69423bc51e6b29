"""Community rules: partners and agreements, offers, volunteers, consent, grants and matching.

Functions here build and change model objects and raise typed errors; they never touch
HTTP, SQL text or the transaction (the request's unit of work, or the event's, commits).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Generic, TypeVar

from havn.errors import Conflict, InvalidInput
from havn.events.contracts import ChildSettledV1, ChildUpdatedV1
from havn.languages import normalise_languages
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

K = TypeVar("K", bound=StrEnum)
T = TypeVar("T")


class PartnerKind(StrEnum):
    NGO = "NGO"
    SPORTS_CLUB = "SPORTS_CLUB"
    EMPLOYER = "EMPLOYER"
    FAITH = "FAITH"
    LIBRARY = "LIBRARY"
    VOLUNTEER_CENTRE = "VOLUNTEER_CENTRE"
    OTHER = "OTHER"


class OfferKind(StrEnum):
    LEISURE = "LEISURE"
    LANGUAGE_CAFE = "LANGUAGE_CAFE"
    WORK_TRAINING = "WORK_TRAINING"
    SUMMER_JOB = "SUMMER_JOB"


class VolunteerKind(StrEnum):
    MENTOR = "MENTOR"
    SUPPORT_FAMILY = "SUPPORT_FAMILY"
    VISITING_FAMILY = "VISITING_FAMILY"


class FundingStatus(StrEnum):
    APPLIED = "APPLIED"
    GRANTED = "GRANTED"
    REJECTED = "REJECTED"


class GrantSource(StrEnum):
    ENROLMENT = "enrolment"
    MATCH = "match"


# What an enrolment or a match lets a partner see: the child's basic profile, nothing more.
GRANT_SCOPE = "basic"
# Politiattest: a municipality may ask for a fresher one; three years unless it says otherwise.
DEFAULT_POLICE_CERTIFICATE_MONTHS = 36
MAX_WORDS = 30
MAX_WORD_LENGTH = 40
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


# --- small checks -------------------------------------------------------------------------


def check_text(value: str, *, field: str, max_length: int = 200) -> str:
    """Trimmed, NFC, single spaces; empty or over-long text is bad input naming the field."""
    cleaned = " ".join(unicodedata.normalize("NFC", value).split())
    if not cleaned:
        raise InvalidInput(f"{field} must not be empty", field=field)
    if len(cleaned) > max_length:
        raise InvalidInput(f"{field} is longer than {max_length} characters", field=field)
    return cleaned


def check_words(values: Sequence[str], *, field: str) -> list[str]:
    """Tags and interests: lower case, trimmed, duplicates dropped, order kept."""
    if len(values) > MAX_WORDS:
        raise InvalidInput(f"at most {MAX_WORDS} {field} are allowed", field=field)
    words: list[str] = []
    for value in values:
        word = " ".join(unicodedata.normalize("NFC", value).lower().split())
        if not word or len(word) > MAX_WORD_LENGTH:
            raise InvalidInput(
                f"each of {field} must be 1 to {MAX_WORD_LENGTH} characters", field=field
            )
        if word not in words:
            words.append(word)
    return words


def check_languages(codes: Sequence[str], *, field: str = "languages") -> list[str]:
    """Each code in its one ISO 639 form; order kept, duplicates dropped. May be empty."""
    return normalise_languages(codes, field=field)


def parse_kind(kind_type: type[K], value: str, *, field: str = "kind") -> K:
    try:
        return kind_type(value.strip().upper())
    except ValueError:
        allowed = ", ".join(kind_type)
        raise InvalidInput(f"{field} must be one of {allowed}", field=field) from None


def age_on(date_of_birth: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


# --- the child as community knows it -----------------------------------------------------


def project_settled_child(*, settled: ChildSettledV1, tenant_id: str) -> Child:
    """The child as community first knows it: no interests until the child is asked."""
    return Child(
        id=settled.child_id,
        tenant_id=tenant_id,
        first_name=settled.first_name,
        date_of_birth=settled.date_of_birth,
        languages=list(settled.languages),
        interests=[],
        revision=settled.revision,
    )


def apply_child_update(child: Child, *, updated: ChildUpdatedV1) -> None:
    """Keeps the basic facts in step with intake's record; interests are the child's own."""
    child.first_name = updated.first_name
    child.date_of_birth = updated.date_of_birth
    child.languages = list(updated.languages)


def set_interests(child: Child, *, interests: Sequence[str]) -> None:
    """What the child said it would like to do."""
    child.interests = check_words(interests, field="interests")


# --- partners and agreements --------------------------------------------------------------


def register_partner(*, slug: str, name: str, kind: str) -> Partner:
    """A new partner organisation; the slug is how partner users' tokens name it (`org`)."""
    slug = slug.strip().lower()
    if not SLUG.match(slug) or len(slug) > 60:
        raise InvalidInput(
            "slug must be lower-case letters and digits joined by single hyphens", field="slug"
        )
    return Partner(
        id=uuid.uuid4(),
        slug=slug,
        name=check_text(name, field="name"),
        kind=parse_kind(PartnerKind, kind).value,
    )


def check_same_partner(existing: Partner, *, kind: str) -> None:
    """Registering a known partner again names the same organisation, or it is a conflict."""
    if existing.kind != parse_kind(PartnerKind, kind).value:
        raise Conflict(f"partner '{existing.slug}' is already registered as a {existing.kind}")


def open_agreement(
    *, tenant_id: str, partner: Partner, scope: str, valid_from: date, valid_to: date | None
) -> Agreement:
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput("the agreement ends before it starts", field="validTo")
    return Agreement(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        partner_id=partner.id,
        scope=check_text(scope, field="scope", max_length=2000),
        valid_from=valid_from,
        valid_to=valid_to,
    )


def agreement_is_active(agreement: Agreement, *, today: date) -> bool:
    """From its first day to its last day, both included."""
    return agreement.valid_from <= today and (
        agreement.valid_to is None or today <= agreement.valid_to
    )


def active_agreement(
    agreements: Sequence[Agreement], *, partner: Partner, today: date
) -> Agreement:
    """The agreement that lets the partner work with children today: the one lasting longest."""
    active = [a for a in agreements if agreement_is_active(a, today=today)]
    if not active:
        raise Conflict(
            f"the municipality has no active agreement with '{partner.slug}' today; "
            "register or renew one first"
        )
    return max(active, key=lambda a: a.valid_to or date.max)


# --- offers and volunteers ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NewOffer:
    kind: str
    title: str
    tags: list[str]
    languages: list[str]
    capacity: int
    schedule: str | None


def create_offer(*, tenant_id: str, partner: Partner, new: NewOffer) -> Offer:
    if not 1 <= new.capacity <= 10_000:
        raise InvalidInput("capacity must be between 1 and 10000", field="capacity")
    schedule = (new.schedule or "").strip()
    return Offer(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        partner_id=partner.id,
        kind=parse_kind(OfferKind, new.kind).value,
        title=check_text(new.title, field="title"),
        tags=check_words(new.tags, field="tags"),
        languages=check_languages(new.languages),
        capacity=new.capacity,
        schedule=check_text(schedule, field="schedule", max_length=500) if schedule else None,
    )


@dataclass(frozen=True, kw_only=True)
class NewVolunteer:
    kind: str
    name: str
    languages: list[str]
    interests: list[str]
    police_certificate_checked_on: date | None


def register_volunteer(
    *, tenant_id: str, partner: Partner, new: NewVolunteer, today: date
) -> Volunteer:
    checked_on = new.police_certificate_checked_on
    if checked_on is not None and checked_on > today:
        raise InvalidInput(
            "the police certificate check date is in the future",
            field="policeCertificateCheckedOn",
        )
    return Volunteer(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        partner_id=partner.id,
        kind=parse_kind(VolunteerKind, new.kind).value,
        name=check_text(new.name, field="name"),
        languages=check_languages(new.languages),
        interests=check_words(new.interests, field="interests"),
        police_certificate_checked_on=checked_on,
    )


def record_police_certificate(volunteer: Volunteer, *, checked_on: date, today: date) -> None:
    if checked_on > today:
        raise InvalidInput("the check date is in the future", field="checkedOn")
    volunteer.police_certificate_checked_on = checked_on


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day where that day does not exist)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


def police_certificate_is_valid(volunteer: Volunteer, *, today: date, limit_months: int) -> bool:
    """Missing, or checked more than `limit_months` ago: not valid."""
    checked_on = volunteer.police_certificate_checked_on
    return checked_on is not None and checked_on >= months_before(today, limit_months)


def police_certificate_valid_until(checked_on: date, *, limit_months: int) -> date:
    """The last day a certificate checked on `checked_on` is valid (see the rule above): the
    same day `limit_months` later, or a day or three more where that month is shorter."""
    last = months_before(checked_on, -limit_months)
    while months_before(last + timedelta(days=1), limit_months) <= checked_on:
        last += timedelta(days=1)
    return last


def check_police_certificate_limit(months: int) -> int:
    if not 1 <= months <= 120:
        raise InvalidInput("the limit must be between 1 and 120 months", field="months")
    return months


# --- consent, enrolments, matches and the grants they open --------------------------------


def require_consent(consent_given: bool) -> None:
    if not consent_given:
        raise InvalidInput(
            "the child's consent is required: ask the child and set consentGiven to true",
            field="consentGiven",
        )


def enrolment_is_active(*, enrolment: Enrolment, today: date) -> bool:
    """Active from its start until the day it ends; an end date ahead is still active."""
    return enrolment.started_on <= today and (
        enrolment.ended_on is None or enrolment.ended_on > today
    )


def match_is_active(*, match: Match, today: date) -> bool:
    return match.started_on <= today and (match.ended_on is None or match.ended_on > today)


def grant_is_effective(grant: AccessGrant, *, today: date) -> bool:
    """Open, and within the agreement it rests on."""
    return grant.closed_at is None and (grant.expires_on is None or today <= grant.expires_on)


def open_grant(
    *,
    child: Child,
    partner: Partner,
    agreement: Agreement,
    source: GrantSource,
    source_id: uuid.UUID,
    now: datetime,
) -> AccessGrant:
    return AccessGrant(
        id=uuid.uuid4(),
        tenant_id=child.tenant_id,
        child_id=child.id,
        partner_id=partner.id,
        scope=GRANT_SCOPE,
        source=source.value,
        source_id=source_id,
        opened_at=now,
        expires_on=agreement.valid_to,
        closed_at=None,
        close_reason=None,
    )


def close_grant(grant: AccessGrant, *, now: datetime, reason: str) -> bool:
    """Closes an open grant; says whether it was open."""
    if grant.closed_at is not None:
        return False
    grant.closed_at = now
    grant.close_reason = reason
    return True


def enrol(
    *,
    child: Child,
    offer: Offer,
    partner: Partner,
    agreement: Agreement,
    active_enrolments: int,
    already_enrolled: bool,
    consent_given: bool,
    by: str,
    today: date,
    now: datetime,
) -> tuple[Enrolment, AccessGrant]:
    """Enrols the child with its consent and opens the partner's grant to its basic profile."""
    require_consent(consent_given)
    if already_enrolled:
        raise Conflict("the child is already enrolled in this offer")
    if active_enrolments >= offer.capacity:
        raise Conflict(f"the offer is full: all {offer.capacity} places are taken")
    enrolment = Enrolment(
        id=uuid.uuid4(),
        tenant_id=child.tenant_id,
        child_id=child.id,
        offer_id=offer.id,
        started_on=today,
        ended_on=None,
        consent_recorded_by=by,
        consent_recorded_at=now,
    )
    grant = open_grant(
        child=child,
        partner=partner,
        agreement=agreement,
        source=GrantSource.ENROLMENT,
        source_id=enrolment.id,
        now=now,
    )
    return enrolment, grant


def end_enrolment(enrolment: Enrolment, *, today: date) -> None:
    """Ends an active enrolment today."""
    if not enrolment_is_active(enrolment=enrolment, today=today):
        raise Conflict("the enrolment has already ended")
    enrolment.ended_on = today


def match_volunteer(
    *,
    child: Child,
    volunteer: Volunteer,
    partner: Partner,
    agreement: Agreement,
    already_matched: bool,
    consent_given: bool,
    limit_months: int,
    by: str,
    today: date,
    now: datetime,
) -> tuple[Match, AccessGrant]:
    """Matches the child with a volunteer whose police certificate is valid, with consent."""
    require_consent(consent_given)
    if not police_certificate_is_valid(volunteer, today=today, limit_months=limit_months):
        raise Conflict(
            "the volunteer has no valid police certificate (politiattest): it is missing or "
            f"older than {limit_months} months; record a new check first"
        )
    if already_matched:
        raise Conflict("the child is already matched with this volunteer")
    match = Match(
        id=uuid.uuid4(),
        tenant_id=child.tenant_id,
        child_id=child.id,
        volunteer_id=volunteer.id,
        started_on=today,
        ended_on=None,
        consent_recorded_by=by,
        consent_recorded_at=now,
    )
    grant = open_grant(
        child=child,
        partner=partner,
        agreement=agreement,
        source=GrantSource.MATCH,
        source_id=match.id,
        now=now,
    )
    return match, grant


def end_match(match: Match, *, today: date) -> None:
    if not match_is_active(match=match, today=today):
        raise Conflict("the match has already ended")
    match.ended_on = today


def record_attendance(
    *,
    enrolment: Enrolment,
    attended_on: date,
    present: bool,
    by: str,
    org: str | None,
    today: date,
    now: datetime,
) -> Attendance:
    """Attendance for a day of an active enrolment, not in the future."""
    if attended_on > today:
        raise InvalidInput("attendance cannot be recorded for a future day", field="on")
    if attended_on < enrolment.started_on:
        raise InvalidInput("the day is before the enrolment started", field="on")
    if not enrolment_is_active(enrolment=enrolment, today=today):
        raise Conflict("the enrolment has ended: attendance can no longer be recorded")
    return Attendance(
        id=uuid.uuid4(),
        tenant_id=enrolment.tenant_id,
        enrolment_id=enrolment.id,
        child_id=enrolment.child_id,
        attended_on=attended_on,
        present=present,
        recorded_by=by,
        recorded_org=org,
        recorded_at=now,
    )


# --- suggestions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion(Generic[T]):
    """Something offered to a child, how well it fits, and why."""

    item: T
    score: int
    reasons: list[str]


def _fit(
    child: Child, *, words: Sequence[str], languages: Sequence[str]
) -> tuple[int, int, list[str]]:
    shared_interests = [word for word in words if word in child.interests]
    shared_languages = [code for code in languages if code in child.languages]
    reasons = []
    if shared_interests:
        reasons.append(f"shares the child's interests: {', '.join(shared_interests)}")
    if shared_languages:
        reasons.append(f"in the child's languages: {', '.join(shared_languages)}")
    return len(shared_interests) + len(shared_languages), len(shared_interests), reasons


def suggest_offers(
    child: Child, offers: Sequence[Offer], *, enrolled: dict[uuid.UUID, int], taken: set[uuid.UUID]
) -> list[Suggestion[Offer]]:
    """Offers with free places the child is not in, ranked by shared interests and languages."""
    ranked = []
    for offer in offers:
        if offer.id in taken or enrolled.get(offer.id, 0) >= offer.capacity:
            continue
        score, interests, reasons = _fit(child, words=offer.tags, languages=offer.languages)
        if score:
            ranked.append((score, interests, offer.title, Suggestion(offer, score, reasons)))
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
    return [r[3] for r in ranked]


def suggest_volunteers(
    child: Child,
    volunteers: Sequence[Volunteer],
    *,
    taken: set[uuid.UUID],
    today: date,
    limit_months: int,
) -> list[Suggestion[Volunteer]]:
    """Volunteers who may be matched (valid certificate), ranked like offers."""
    ranked = []
    for volunteer in volunteers:
        if volunteer.id in taken or not police_certificate_is_valid(
            volunteer, today=today, limit_months=limit_months
        ):
            continue
        score, interests, reasons = _fit(
            child, words=volunteer.interests, languages=volunteer.languages
        )
        if score:
            ranked.append((score, interests, volunteer.name, Suggestion(volunteer, score, reasons)))
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
    return [r[3] for r in ranked]


# --- funding ------------------------------------------------------------------------------


def apply_for_funding(
    *, tenant_id: str, foundation: str, purpose: str, amount_nok: int, applied_on: date, today: date
) -> FundingApplication:
    if amount_nok <= 0:
        raise InvalidInput("the amount must be a positive number of kroner", field="amountNok")
    if applied_on > today:
        raise InvalidInput("the application date is in the future", field="appliedOn")
    return FundingApplication(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        foundation=check_text(foundation, field="foundation"),
        purpose=check_text(purpose, field="purpose", max_length=2000),
        amount_nok=amount_nok,
        status=FundingStatus.APPLIED.value,
        applied_on=applied_on,
        decision_on=None,
        granted_nok=None,
    )


def decide_funding(
    application: FundingApplication,
    *,
    status: str,
    decision_on: date,
    granted_nok: int | None,
    today: date,
) -> None:
    """Records the foundation's answer: granted (in full unless a sum is given) or rejected."""
    decided = parse_kind(FundingStatus, status, field="status")
    if decided == FundingStatus.APPLIED:
        raise InvalidInput("a decision is GRANTED or REJECTED", field="status")
    if application.status != FundingStatus.APPLIED:
        raise Conflict(f"the application was already {application.status}")
    if decision_on > today or decision_on < application.applied_on:
        raise InvalidInput(
            "the decision date must be between the application date and today",
            field="decisionOn",
        )
    if decided == FundingStatus.GRANTED:
        granted = application.amount_nok if granted_nok is None else granted_nok
        if not 0 < granted <= application.amount_nok:
            raise InvalidInput(
                "the granted sum must be positive and at most the amount applied for",
                field="grantedNok",
            )
        application.granted_nok = granted
    elif granted_nok is not None:
        raise InvalidInput("a rejected application has no granted sum", field="grantedNok")
    application.status = decided.value
    application.decision_on = decision_on
