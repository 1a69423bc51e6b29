"""Grants: what an enrolment or a match lets a partner see of a child, and until when."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from services.community.models import AccessGrant, Agreement, Child, Partner


@dataclass(frozen=True)
class GrantedChild:
    """A child a partner sees, and the day its grant ends (None: no end set)."""

    child: Child
    partner: Partner
    expires_on: date | None


class GrantSource(StrEnum):
    ENROLMENT = "enrolment"
    MATCH = "match"


# What an enrolment or a match lets a partner see: the child's basic profile, nothing more.
GRANT_SCOPE = "basic"


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
