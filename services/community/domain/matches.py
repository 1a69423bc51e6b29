"""Matches: a consenting child and a volunteer whose police certificate is valid."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from havn.errors import Conflict
from services.community.domain.consent import require_consent
from services.community.domain.grants import GrantSource, open_grant
from services.community.domain.volunteers import police_certificate_is_valid
from services.community.models import AccessGrant, Agreement, Child, Match, Partner, Volunteer


def match_is_active(*, match: Match, today: date) -> bool:
    return match.started_on <= today and (match.ended_on is None or match.ended_on > today)


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
