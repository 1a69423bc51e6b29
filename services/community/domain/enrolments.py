"""Enrolments: a consenting child takes a place in an offer, and the partner is granted its
basic profile."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from havn.errors import Conflict
from services.community.domain.consent import require_consent
from services.community.domain.grants import GrantSource, open_grant
from services.community.models import AccessGrant, Agreement, Child, Enrolment, Offer, Partner


def enrolment_is_active(*, enrolment: Enrolment, today: date) -> bool:
    """Active from its start until the day it ends; an end date ahead is still active."""
    return enrolment.started_on <= today and (
        enrolment.ended_on is None or enrolment.ended_on > today
    )


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
